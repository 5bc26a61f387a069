/// Parsing what clerks type for Stage 3: percentages and `DATE:TEXT` milestones.
public enum ImplementationInput {
    /// A percent done: `45`, `45%` or `45％`, a whole number from 0 to 100.
    public static func percent(_ text: String) throws(InputError) -> Int {
        var body = text.trimmingSpaces()
        if body.hasSuffix("%") || body.hasSuffix("％") { body = String(body.dropLast()).trimmingSpaces() }
        let digits = body.hasPrefix("-") || body.hasPrefix("+") ? String(body.dropFirst()) : body
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let magnitude = Int(digits) else {
            throw InputError("完成进度“\(text)”应为 0 到 100 的整数（可带 %）。Percent \"\(text)\" must be a whole number from 0 to 100.")
        }
        let value = body.hasPrefix("-") ? -magnitude : magnitude
        guard (0...100).contains(value) else {
            throw InputError("完成进度 \(value)% 超出范围，应在 0 到 100 之间。Percent \(value) is outside 0–100.")
        }
        return value
    }

    /// A milestone `DATE:TEXT` (also with a full-width colon `：`); DATE as for deadlines
    /// (`2025-06-30`, `2025-06`, `2025年6月底`).
    public static func milestone(_ text: String) throws(InputError) -> (date: Day, text: String) {
        guard let colon = text.firstIndex(where: { $0 == ":" || $0 == "：" }) else {
            throw InputError("时间节点“\(text)”应写成 日期:内容，例如 2025-06-30:主体完工。Milestone \"\(text)\" must be DATE:TEXT.")
        }
        let dateText = String(text[..<colon])
        let description = String(text[text.index(after: colon)...]).trimmingSpaces()
        let date: Day
        do { date = try Day(deadline: dateText) } catch {
            throw InputError("时间节点“\(text)”的日期无法识别：\(error.description)")
        }
        guard !description.isEmpty else {
            throw InputError("时间节点“\(text)”缺少内容，应写成 日期:内容。Milestone \"\(text)\" has no text.")
        }
        guard description.count <= 500 else {
            throw InputError("时间节点“\(dateText)”的内容过长（\(description.count) 字，上限 500）。Milestone text is too long.")
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
