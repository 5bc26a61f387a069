import Foundation
import PiaojueLedger
import Testing

/// Entry times: `YYYY-MM-DDTHH:MM:SSZ`, written and read back exactly.
@Suite struct LedgerTimeTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"),
        (951_782_400.0, "2000-02-29T00:00:00Z"),
        (1_795_319_249.9, "2026-11-22T03:47:29Z"),
        (253_402_300_799.0, "9999-12-31T23:59:59Z"),
    ])
    func formatsAndParsesBack(seconds: Double, text: String) {
        #expect(LedgerTime.format(Date(timeIntervalSince1970: seconds)) == text)
        #expect(LedgerTime.parse(text) == Date(timeIntervalSince1970: seconds.rounded(.down)))
    }

    @Test(arguments: ["2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-22 03:47:29Z", "2026-11-22T24:00:00Z"])
    func refusesWhatIsNotAnEntryTime(text: String) {
        #expect(LedgerTime.parse(text) == nil)
    }
}
