/// A detector: one SQL file under `sql/detectors/` whose leading `-- key: value` comment lines
/// describe it. Parsing needs no database.
public struct DetectorFile: Sendable, Equatable {
    public static let requiredKeys = [
        "id", "title", "status", "severity", "finds", "why", "reads", "evidence", "reason",
    ]

    public var fileName: String
    public var header: [String: String]
    /// The query, without the header and trailing semicolon, ready to be used as a subquery.
    public var query: String
    public var text: String
    /// A chain file (sql/chains): it returns chains of findings, not findings.
    public var isChain: Bool

    public var id: String { header["id"] ?? "" }
    /// A detector that limits what it judges to sessions from `mailhound.judged_from()`: an
    /// incremental run keeps its findings of earlier sessions. The others judge every session.
    public var judgesIncrementally: Bool { !isChain && query.contains("mailhound.judged_from()") }
    public var title: String { header["title"] ?? "" }
    /// The severity word, e.g. `high` from `high     points: 40`.
    public var severity: String {
        header["severity"].flatMap { $0.split(separator: " ").first.map(String.init) } ?? ""
    }

    /// Parses the header: the leading comment lines, up to a blank line. Continuation lines (`--`
    /// followed by indentation) extend the previous key.
    public init(fileName: String, text: String, isChain: Bool = false) throws(DetectorFileError) {
        self.fileName = fileName
        self.text = text
        self.isChain = isChain
        var header: [String: String] = [:]
        var lastKey: String?
        var bodyLines: [Substring] = []
        var inHeader = true
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard inHeader else {
                bodyLines.append(line)
                continue
            }
            // The header ends at the first blank or SQL line: comments after a blank line belong
            // to the query.
            guard line.hasPrefix("--") else {
                if !line.trimmingCharacters().isEmpty || !header.isEmpty {
                    inHeader = false
                    bodyLines.append(line)
                }
                continue
            }
            let content = line.dropFirst(2)
            if let colon = content.firstIndex(of: ":"), content.first == " ",
                content[content.index(after: content.startIndex)..<colon].allSatisfy({
                    $0.isLetter || $0 == "-"
                }),
                !content[content.index(after: content.startIndex)..<colon].isEmpty
            {
                let key = content[content.index(after: content.startIndex)..<colon].lowercased()
                header[key] = content[content.index(after: colon)...].trimmingCharacters()
                lastKey = key
            } else if let key = lastKey, !content.trimmingCharacters().isEmpty {
                header[key, default: ""] += " " + content.trimmingCharacters()
            }
        }
        self.header = header
        var query = bodyLines.joined(separator: "\n").trimmingCharacters()
        while query.hasSuffix(";") { query = String(query.dropLast()).trimmingCharacters() }
        self.query = query
        for key in Self.requiredKeys where (header[key] ?? "").isEmpty {
            throw DetectorFileError(file: fileName, reason: "header has no \"\(key):\" line")
        }
        let expectedID = fileName.hasSuffix(".sql") ? String(fileName.dropLast(4)) : fileName
        guard id == expectedID else {
            throw DetectorFileError(file: fileName, reason: "id \"\(id)\" differs from the file name")
        }
        guard !query.isEmpty else {
            throw DetectorFileError(file: fileName, reason: "no query after the header")
        }
    }
}

public struct DetectorFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String { "\(file): \(reason)" }

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }
}

extension StringProtocol {
    func trimmingCharacters() -> String {
        var result = Substring(self)
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return String(result)
    }
}
