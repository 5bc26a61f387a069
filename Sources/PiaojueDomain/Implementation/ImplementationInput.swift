/// Parsing what clerks type for Stage 3: percentages and `DATE:TEXT` milestones.
public enum ImplementationInput {
    /// A milestone as typed, before it is numbered.
    public typealias Draft = (date: Day, text: String)

    /// A percent done: `45`, `45%` or `45％`, a whole number from 0 to 100.
    public static func percent(_ text: String) throws(InputFailure) -> Int {
        var body = text.trimmingSpaces()
        if body.hasSuffix("%") || body.hasSuffix("％") { body = String(body.dropLast()).trimmingSpaces() }
        let digits = body.hasPrefix("-") || body.hasPrefix("+") ? String(body.dropFirst()) : body
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let magnitude = Int(digits) else {
            throw .percent(text: text)
        }
        let value = body.hasPrefix("-") ? -magnitude : magnitude
        guard (0...100).contains(value) else {
            throw .percentRange(percent: value)
        }
        return value
    }

    /// A milestone `DATE:TEXT` (also with a full-width colon `：`); DATE as for deadlines
    /// (`2025-06-30`, `2025-06`, `2025年6月底`).
    public static func milestone(_ text: String) throws(InputFailure) -> (date: Day, text: String) {
        guard let colon = text.firstIndex(where: { $0 == ":" || $0 == "：" }) else {
            throw .milestoneForm(text: text)
        }
        let dateText = String(text[..<colon])
        let description = try CleanText.text(String(text[text.index(after: colon)...]).trimmingSpaces(), field: "时间节点 milestone")
        let date: Day
        do { date = try Day(deadline: dateText) } catch {
            throw .milestoneDate(text: text, why: error.description)
        }
        guard !description.isEmpty else {
            throw .milestoneText(text: text)
        }
        guard description.count <= 500 else {
            throw .milestoneTooLong(text: dateText, length: description.count)
        }
        return (date, description)
    }

    /// Milestones in date order (the order given breaks ties), numbered `M1`, `M2` ….
    public static func numbered(_ drafts: [(date: Day, text: String)]) -> [Milestone] {
        drafts.enumerated()
            .sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }
            .enumerated()
            .map { Milestone(id: "M\($0.offset + 1)", date: $0.element.element.date, text: $0.element.element.text) }
    }
}
