import PiaojueAudit
import PiaojueDomain

/// The chart of `report.html` drawn for the big screen (1920 × 1080): the same bars, counts,
/// outcomes and majority line, in type large enough to read across the hall, and with colours as
/// SVG attributes only, so that the page's Content-Security-Policy need not allow inline styles.
enum ScreenChart {
    static func svg(_ model: ReportModel) -> String {
        // Drawn for the right-hand 60% of a 1920-pixel screen: one unit is about one pixel there.
        let labelWidth = 400.0
        let barWidth = 560.0
        let outcomeWidth = 190.0
        let rowHeight = min(62.0, max(30.0, 760.0 / Double(max(model.bars.count, 1))))
        let top = 40.0
        let font = min(26.0, rowHeight * 0.46)
        let width = labelWidth + barWidth + outcomeWidth
        let height = top + rowHeight * Double(model.bars.count) + 12
        let scale = Double(max(model.scale, 1))
        let e = HTMLText.escape
        func number(_ value: Double) -> String { String(Int(value.rounded())) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(number(width)) \(number(height))\" "
            + "role=\"img\" aria-label=\"\(e(model.chartTitle))\" font-size=\"\(number(font))\">\n"
        for tick in 0...4 {
            let x = labelWidth + barWidth * Double(tick) / 4
            svg += "<line x1=\"\(number(x))\" y1=\"\(number(top - 6))\" x2=\"\(number(x))\" y2=\"\(number(height - 8))\" stroke=\"#cfd4da\"/>"
            svg += "<text x=\"\(number(x))\" y=\"\(number(top - 12))\" text-anchor=\"middle\" fill=\"#5f6368\">"
                + "\(Int((scale * Double(tick) / 4).rounded()))</text>\n"
        }
        for (n, bar) in model.bars.enumerated() {
            let y = top + rowHeight * Double(n)
            let baseline = number(y + rowHeight * 0.64)
            let label = bar.title.count > 12 ? String(bar.title.prefix(11)) + "…" : bar.title
            svg += "<text x=\"8\" y=\"\(baseline)\" font-weight=\"\(bar.highlighted ? "bold" : "normal")\" fill=\"#1a1a1a\">"
                + "\(e(bar.id)) \(e(label))</text>\n"
            var x = labelWidth
            for segment in bar.segments where segment.count > 0 {
                let w = barWidth * Double(segment.count) / scale
                svg += "<rect x=\"\(number(x))\" y=\"\(number(y + rowHeight * 0.14))\" width=\"\(number(w))\" "
                    + "height=\"\(number(rowHeight * 0.72))\" fill=\"\(segment.color)\"><title>\(e(segment.label)) \(segment.count)</title></rect>"
                if w > font * 2.2 {
                    svg += "<text x=\"\(number(x + w / 2))\" y=\"\(baseline)\" text-anchor=\"middle\" fill=\"#fff\">\(segment.count)</text>"
                }
                x += w
            }
            svg += "<text x=\"\(number(labelWidth + barWidth + 14))\" y=\"\(baseline)\" fill=\"\(bar.highlighted ? "#1b5e20" : "#444")\" "
                + "font-weight=\"\(bar.highlighted ? "bold" : "normal")\">\(e(bar.outcome))</text>\n"
        }
        if let threshold = model.threshold {
            let x = labelWidth + barWidth * Double(threshold.count) / scale
            svg += "<line x1=\"\(number(x))\" y1=\"\(number(top - 4))\" x2=\"\(number(x))\" y2=\"\(number(height - 8))\" "
                + "stroke=\"#b71c1c\" stroke-width=\"4\" stroke-dasharray=\"10,6\"><title>\(e(threshold.label))</title></line>\n"
        }
        return svg + "</svg>"
    }
}
