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
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        }
        return text
    }

    /// A whole document.
    public static func document(header: [String], rows: [[String]]) -> String {
        var out = "\u{FEFF}" + header.map(cell).joined(separator: ",") + "\r\n"
        for row in rows { out += row.map(cell).joined(separator: ",") + "\r\n" }
        return out
    }
}
