import AuditEvents

/// Column positions of a CSV header, found by name (case-insensitive), never by position: every
/// export format has several historical layouts.
struct CSVColumns {
    let names: [String]
    private let positions: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() where positions[name.lowercased()] == nil {
            positions[name.lowercased()] = index
        }
        self.positions = positions
    }

    func index(_ name: String) -> Int? { positions[name.lowercased()] }

    func contains(_ name: String) -> Bool { index(name) != nil }
}

/// One data row of a CSV table, valid during the callback.
struct CSVRow {
    let reader: CSVRecordReader
    let record: CSVRecordReader.Record
    let columns: CSVColumns
    let buffer: StreamBuffer
    let origin: Origin

    /// The named field's text; nil when the column is missing or the field empty.
    func value(_ name: String) -> String? {
        guard let index = columns.index(name), index < record.fields.count, !record.fields[index].isEmpty else {
            return nil
        }
        return reader.text(of: record, field: index)
    }

    func unescape(field: Int, into bytes: inout [UInt8]) { reader.unescape(record, field: field, into: &bytes) }

    /// The row as it stands in the file, kept as evidence.
    var text: String {
        var length = record.length
        while length > 0,
            buffer.storage[buffer.start + length - 1] == .newline
                || buffer.storage[buffer.start + length - 1] == .carriageReturn
        {
            length -= 1
        }
        return String(decoding: UnsafeBufferPointer(start: buffer.storage + buffer.start, count: length), as: UTF8.self)
    }
}

/// Reads a CSV whose first record is its header. Lines starting with `#` are directives: a
/// `#Fields:` line replaces the header (Exchange logs repeat it when a file is reopened), others
/// are skipped. Rows the CSV reader rejects go to `malformed`; blank lines are ignored.
/// `columns` resumes under a header read before; `advanced` learns where reading can continue
/// after each row, before the row is delivered; with `holdBackTail` a last row without its line
/// end is left unread.
func readCSVTable(
    _ buffer: StreamBuffer, file: String, firstLine: Int, columns initial: [String]? = nil,
    holdBackTail: Bool = false,
    advanced: (_ offset: Int64, _ line: Int, _ columns: [String]?) -> Void = { _, _, _ in },
    header validate: (CSVColumns, Int) throws -> Void,
    row: (CSVRow) throws -> Void,
    malformed: (Origin, String, String) throws -> Void
) throws {
    var reader = CSVRecordReader(buffer: buffer, file: file, firstLine: firstLine)
    var record = CSVRecordReader.Record()
    var columns = initial.map(CSVColumns.init)
    if let columns { try validate(columns, firstLine) }
    while try reader.next(into: &record) {
        if let skipped = record.skipped {
            advanced(skipped.offsetAfter, reader.line, columns?.names)
            try malformed(
                Origin(file: file, line: record.line, byteOffset: skipped.offset), record.problem ?? "", skipped.excerpt
            )
            continue
        }
        if holdBackTail, buffer.atEndOfInput, record.length == buffer.available, record.length > 0,
            buffer.storage[buffer.start + record.length - 1] != .newline
        {
            return
        }
        defer { buffer.start += record.length }
        let origin = Origin(file: file, line: record.line, byteOffset: record.offset)
        if record.fields.count == 1, record.fields[0].isEmpty { continue }
        let firstField = record.fields.isEmpty ? "" : reader.text(of: record, field: 0)
        if record.fields.count == 1, record.quoted.first == false, PastedExcerpt.isNoise(firstField) {
            advanced(record.offset + Int64(record.length), reader.line, columns?.names)
            try malformed(origin, PastedExcerpt.reason, firstField)
            continue
        }
        if record.quoted.first == false, firstField.hasPrefix("#") {
            if firstField.hasPrefix("#Fields:") {
                var names = (1..<record.fields.count).map { reader.text(of: record, field: $0) }
                names.insert(String(firstField.dropFirst("#Fields:".count)).trimmed, at: 0)
                let parsed = CSVColumns(names.map(\.trimmed))
                try validate(parsed, record.line)
                columns = parsed
            }
            continue
        }
        guard let current = columns else {
            let names = record.fields.indices.map { reader.text(of: record, field: $0).trimmed }
            let parsed = CSVColumns(names)
            try validate(parsed, record.line)
            columns = parsed
            continue
        }
        let view = CSVRow(reader: reader, record: record, columns: current, buffer: buffer, origin: origin)
        advanced(record.offset + Int64(record.length), reader.line, current.names)
        if let problem = record.problem {
            try malformed(origin, problem, view.text)
            continue
        }
        try row(view)
    }
}

extension StringProtocol {
    /// Without any of `characters` at either end.
    func trimming(_ characters: String) -> String {
        var text = self[...]
        while let first = text.first, characters.contains(first) { text.removeFirst() }
        while let last = text.last, characters.contains(last) { text.removeLast() }
        return String(text)
    }

    /// Without spaces, tabs and carriage returns at either end.
    var trimmed: String { trimming(" \t\r") }
}
