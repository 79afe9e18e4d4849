/// A terminal table fitted to a width: every cell made safe for the terminal, columns as wide as
/// their widest cell, flexible columns capped and then narrowed in a given order until the
/// table fits.
struct TextTable {
    struct Column {
        var header: String
        /// Cap on the width; nil keeps the column as wide as its widest cell.
        var cap: Int? = nil
        var alignRight = false
    }

    var columns: [Column]
    /// Columns that give way, first to last, when the table is wider than the terminal.
    var shrinkOrder: [Int] = []

    /// `width` `Int.max`: no limit, and no caps either: every cell whole.
    func render(_ rows: [[String]], width: Int) -> String {
        let cells = rows.map { $0.map(SafeText.terminal) }
        var widths = columns.indices.map { column in
            let widest = max(columns[column].header.count, cells.map { $0[column].count }.max() ?? 0)
            guard width < .max else { return widest }
            return columns[column].cap.map { min(widest, $0) } ?? widest
        }
        var excess = width == .max ? 0 : widths.reduce(0, +) + 2 * (columns.count - 1) - width
        for column in shrinkOrder where excess > 0 {
            let cut = min(excess, widths[column] - 6)
            if cut > 0 {
                widths[column] -= cut
                excess -= cut
            }
        }
        let lines = ([columns.map(\.header)] + cells).map { row in
            var line = row.enumerated().map { column, cell in
                let text = SafeText.truncated(cell, to: widths[column])
                let padding = String(repeating: " ", count: max(0, widths[column] - text.count))
                return columns[column].alignRight ? padding + text : text + padding
            }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
