/// CSV text that is safe to open in a spreadsheet: RFC 4180 quoting, and no cell that starts with
/// `=`, `+`, `-`, `@`, tab or carriage return (OWASP CSV injection) — such a cell gets a leading
/// apostrophe. UTF-8 with a byte order mark and CRLF, so that Excel reads Chinese correctly.
public enum SpreadsheetText {
    /// One safe cell.
    public static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        // Scalars, not Characters: a quote or comma followed by a combining mark is one Character
        // (`"` + U+0306) that equals neither, yet a spreadsheet still splits on its byte — found by
        // fuzzing: such a cell went out unquoted, or with its quote not doubled, so the text after it
        // became a cell of its own that could start with "=".
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted.append("\"") }
            quoted.append(scalar)
        }
        quoted.append("\"")
        return String(quoted)
    }

    /// The byte order mark a document starts with.
    public static let byteOrderMark = "\u{FEFF}"

    /// One row of safe cells, with its CRLF.
    public static func line(_ cells: [String]) -> String { cells.map(cell).joined(separator: ",") + "\r\n" }

    /// A whole document: the byte order mark, the header, the rows.
    public static func document(header: [String], rows: [[String]]) -> String {
        var out = byteOrderMark + line(header)
        for row in rows { out += line(row) }
        return out
    }
}
