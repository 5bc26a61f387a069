import Foundation
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

/// Every text of `report.md` is inert Markdown: `<`, `>`, `|` and backslashes are escaped wherever
/// a title, a name or a note appears, so a proposal titled `<script>` stays text on any renderer.
@Suite struct MarkdownTextTests {
    @Test(arguments: [
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"), ("路灯|照明", "路灯\\|照明"), ("C:\\路灯", "C:\\\\路灯"),
        ("a > b", "a \\> b"), ("两行\r\n标题", "两行 标题"), ("普通标题", "普通标题"),
    ])
    func textIsEscaped(_ text: String, _ escaped: String) {
        #expect(ReportRenderer.markdownText(text) == escaped)
    }

    @Test func aTitleHoldingMarkupStaysTextEverywhereInTheReport() {
        var model = BallotReport.model(BallotReportTests.source(approvals: [8, 7, 1], seats: 2, titles: ["<script>x</script>", "B|C", "D\\E"]))
        model.body = "<b>县</b>人大"
        model.notes.append("<img src=x onerror=alert(1)>")
        let markdown = ReportRenderer.markdown(model)
        // Outside the fenced verification commands, no raw `<` remains.
        let prose = markdown.components(separatedBy: "```")[0]
        #expect(!prose.replacingOccurrences(of: "\\<", with: "").contains("<"))
        #expect(markdown.contains("| P1 | \\<script\\>x\\</script\\> |"))
        #expect(markdown.contains("| P2 | B\\|C |"))
        #expect(markdown.contains("| P3 | D\\\\E |"))
        #expect(markdown.contains("> \\<img src=x onerror=alert(1)\\>"))
        let html = ReportRenderer.html(model)
        #expect(!html.contains("<script>x") && html.contains("&lt;script&gt;x"))
    }
}
