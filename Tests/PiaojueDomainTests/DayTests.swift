import PiaojueDomain
import Testing

/// Dates `YYYY-MM-DD` and the 完成时限 forms clerks write.
@Suite struct DayTests {
    @Test(arguments: ["2024-02-29", "2000-02-29", "2025-12-31", "2025-01-01", "1999-04-30"])
    func realDatesParse(_ text: String) throws {
        let day = try Day(parsing: text)
        #expect(day.description == text)
    }

    @Test(arguments: [
        "2025-02-30", "2025-02-29", "2100-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00",
        "2025-2-3", "25-02-03", "2025/02/03", "2025-02-03T00:00:00Z", "", "明天", "２０２５-０２-０３",
    ])
    func impossibleOrMalformedDatesAreRefused(_ text: String) throws {
        let error = try #require(throws: InputFailure.self) { try Day(parsing: text) }
        #expect(["input.date", "input.impossible-date"].contains(error.code))
        #expect(error.details["text"] == .text(text))
        #expect(error.description.contains("“\(text)”"))
    }

    @Test func aNonexistentDateSaysSo() throws {
        let error = try #require(throws: InputFailure.self) { try Day(parsing: "2025-02-30") }
        #expect(error == .impossibleDate(text: "2025-02-30", year: 2025, month: 2, day: 30))
        #expect(error.code == "input.impossible-date")
        #expect(error.description.contains("不存在"))
        #expect(Day(year: 2025, month: 2, day: 29) == nil)
        #expect(Day(year: 2024, month: 2, day: 29) != nil)
    }

    @Test(arguments: [
        ("2025-12-31", "2025-12-31"),
        ("2025-12", "2025-12-31"),
        ("2025-02", "2025-02-28"),
        ("2024-02", "2024-02-29"),
        ("2025-06", "2025-06-30"),
        ("2025年12月31日", "2025-12-31"),
        ("2025年6月30号", "2025-06-30"),
        ("2025年12月", "2025-12-31"),
        ("2025年2月底", "2025-02-28"),
        ("2025年12月底", "2025-12-31"),
        ("2025年9月前", "2025-09-30"),
        ("2025年底", "2025-12-31"),
        ("2025年末", "2025-12-31"),
        ("2025年", "2025-12-31"),
        (" 2025-12-31 ", "2025-12-31"),
    ])
    func deadlinesInClerksForms(_ text: String, _ expected: String) throws {
        #expect(try Day(deadline: text).description == expected)
    }

    @Test(arguments: ["2025年2月30日", "2025-13", "2025年13月", "明年", "年底", "25年底", "2025-02-30", "", "2025年12月32日"])
    func impossibleDeadlinesAreRefused(_ text: String) throws {
        let error = try #require(throws: InputFailure.self) { try Day(deadline: text) }
        #expect(["input.deadline", "input.impossible-deadline"].contains(error.code))
        #expect(error.details["text"] == .text(text))
        #expect(error.description.contains("“\(text)”"))
    }

    @Test func dayArithmetic() throws {
        let start = try Day(parsing: "2024-02-28")
        #expect(start.adding(days: 1).description == "2024-02-29")
        #expect(start.adding(days: 2).description == "2024-03-01")
        #expect(start.days(until: try Day(parsing: "2025-02-28")) == 366)
        #expect(Day(ordinal: 0).description == "1970-01-01")
        #expect(try Day(parsing: "1970-01-02").ordinal == 1)
        #expect(start < start.adding(days: 1))
        #expect(Day(ledgerTime: "2025-03-01T23:59:59Z")?.description == "2025-03-01")
    }

    @Test(arguments: [("2/3", 120, 80, 79), ("1/2", 327, 164, 163), ("3/4", 100, 75, 74)] as [(String, Int, Int, Int)])
    func ratiosAreInclusiveAndExact(_ text: String, _ total: Int, _ enough: Int, _ short: Int) throws {
        let ratio = try #require(Ratio(parsing: text))
        #expect(ratio.minimumCount(of: total) == enough)
        #expect(ratio.isReached(count: enough, of: total))
        #expect(!ratio.isReached(count: short, of: total))
    }
}
