/// The level of the congress that keeps the ledger.
public enum BodyLevel: String, Sendable, CaseIterable, Codable {
    case township, county, city

    /// From the English word or 乡镇 / 县 / 市.
    public init?(word: String) {
        switch word {
        case "township", "乡镇", "乡", "镇": self = .township
        case "county", "县", "区", "县级": self = .county
        case "city", "市", "地市": self = .city
        default: return nil
        }
    }
}

/// The body (人民代表大会) that keeps a ledger: its name and the key name derived from it.
public enum Body {
    /// The longest name accepted.
    public static let maximumNameLength = 100

    /// The name as recorded: trimmed, 1–100 characters.
    public static func name(_ text: String) throws(SetupFailure) -> String {
        let name = text.trimmingSpaces()
        guard !name.isEmpty, name.count <= maximumNameLength else { throw .bodyName }
        return name
    }

    /// The checkpoint origin and signed-note key name for a body: `piaojue/<name>` with spaces,
    /// `+` and control characters replaced by `-`.
    public static func keyName(for body: String) -> String {
        let cleaned = body.unicodeScalars.map { scalar -> String in
            scalar == "+" || scalar.properties.isWhitespace || scalar.value < 0x20 ? "-" : String(scalar)
        }.joined()
        return "piaojue/" + cleaned
    }

    /// The deciding body of a ledger's level, named when an adjustment gives none: 乡镇人民代表大会
    /// for a township, else 人大常委会.
    public static func decidingBody(level: BodyLevel?) -> String {
        level == .township ? "乡镇人民代表大会" : "人大常委会"
    }
}
