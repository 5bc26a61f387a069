import PiaojueDomain
import Testing

/// Amounts as clerks write them, to whole 元; never floating point.
@Suite struct MoneyTests {
    @Test(arguments: [
        ("1200000", 1_200_000),
        ("1,200,000元", 1_200_000),
        ("120万", 1_200_000),
        ("120 万元", 1_200_000),
        ("120万元", 1_200_000),
        ("6513.3万元", 65_133_000),
        ("6513.3万", 65_133_000),
        ("1.5亿", 150_000_000),
        ("0.0001万", 1),
        ("800元", 800),
        ("0", 0),
        (" 1,234 ", 1234),
        ("+500", 500),
        ("1,000,000,000", 1_000_000_000),
        ("10000000亿", 1_000_000_000_000_000),
    ] as [(String, Int64)])
    func amountsAreReadAsWholeYuan(_ text: String, _ yuan: Int64) throws {
        #expect(try Money.parse(text) == yuan)
    }

    @Test(arguments: [
        "-5万", "−5万", "-1200000", "1e9", "1E9", "1.5", "0.5元", "0.00001万", "1,20,000", "1,2000", ",100", "12,",
        "", "  ", "abc", "万", "元", "1.2.3万", "1.5万万", "1.2,5", "１２０万", "120 000", "0x10", "100000000亿",
    ])
    func ambiguousOrNegativeAmountsAreRefused(_ text: String) throws {
        let error = try #require(throws: InputFailure.self) { try Money.parse(text) }
        #expect(error.code == "input.amount")
        #expect(error.details["text"] == .text(text))
        #expect(error.exitStatus == 2)
        #expect(error.description.contains("“\(text)”"))
        #expect(error.description.contains("6513.3万元"))
    }

    @Test(arguments: [
        (Int64(800), "800元"), (10_000, "1万元"), (1_200_000, "120万元"), (65_133_000, "6513.3万元"), (12_345, "1.2345万元"),
        (150_000_000, "15000万元"),
    ])
    func amountsDisplayIn万元(_ yuan: Int64, _ text: String) throws {
        #expect(Money.display(yuan) == text)
        #expect(try Money.parse(text) == yuan)
    }
}
