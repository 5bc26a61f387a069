/// Text made safe for HTML element content and attribute values, for the self-contained reports.
public enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` replaced by entities, code point by code point: a browser's
    /// tokenizer reads code points, so a `"` followed by a combining mark (one Character to Swift)
    /// would still end an attribute value.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Text for Markdown output.
public enum MarkdownText {
    /// Text made inert in Markdown, code point by code point: a backslash, `<`, `>` and `|` are
    /// backslash-escaped (so a title holding `<script>` stays text and a `|` cannot end a table
    /// cell), and a line break becomes a space (it would end a table row, a heading or a quote).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previousCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\", "<", ">", "|":
                out.unicodeScalars.append("\\")
                out.unicodeScalars.append(scalar)
            case "\r", "\n", "\u{2028}", "\u{2029}", "\u{85}", "\u{0B}", "\u{0C}":
                if !(scalar == "\n" && previousCR) { out.unicodeScalars.append(" ") }
            default: out.unicodeScalars.append(scalar)
            }
            previousCR = scalar == "\r"
        }
        return out
    }
}
