/// The file formats mailhound reads, recognized from content, never from the file name.
public enum SourceFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Microsoft 365 UAL records, one JSON object a line.
    case ualJSONLines = "ual-jsonl"
    /// UAL records in a JSON array (Management Activity API content blob, ConvertTo-Json output).
    case ualJSONArray = "ual-json"
    /// Purview audit search export, or Search-UnifiedAuditLog | Export-Csv: a CSV with an AuditData column.
    case purviewCSV = "purview-csv"

    public var description: String { rawValue }
}
