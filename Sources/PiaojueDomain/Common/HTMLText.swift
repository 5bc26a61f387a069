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
