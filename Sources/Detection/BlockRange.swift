/// A range of a table's blocks, from `first` up to but not including `last`; nil leaves that end
/// open. The parts of a full run count the events a range each, so each page is read once.
struct BlockRange: Equatable, Sendable {
    let first: Int?
    let last: Int?

    /// `blocks` divided into `parts` ranges of about equal size, the first open at its start and
    /// the last at its end: rows a load adds while the run counts are in some range, not lost.
    static func dividing(_ blocks: Int, into parts: Int) -> [BlockRange] {
        let parts = max(1, parts)
        let bounds = (1..<parts).map { blocks / parts * $0 + min($0, blocks % parts) }
        return (0..<parts).map { part in
            BlockRange(first: part == 0 ? nil : bounds[part - 1], last: part == parts - 1 ? nil : bounds[part])
        }
    }
}
