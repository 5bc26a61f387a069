import PiaojueAudit
import Testing

/// The votes table of `report.md` keeps one row per candidate and its columns whatever a title
/// holds: a `|` or a line break in a title (both can come from a proposals spreadsheet) must not
/// split the row.
@Suite struct MarkdownTableTests {
    @Test func aTitleWithAPipeOrALineBreakStaysInItsCell() {
        let model = BallotReport.model(BallotReportTests.source(approvals: [8, 7, 1], seats: 2, titles: ["路灯|照明", "老旧小区\n加装电梯", "C"]))
        let markdown = ReportRenderer.markdown(model)
        #expect(markdown.contains("| P1 | 路灯\\|照明 | 8 | 0 | 2 | 当选 chosen |\n"))
        #expect(markdown.contains("| P2 | 老旧小区 加装电梯 | 7 | 0 | 3 | 当选 chosen |\n"))
        #expect(!markdown.contains("\n加装电梯 |"))
    }
}
