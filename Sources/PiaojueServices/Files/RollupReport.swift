import Foundation
import PiaojueDomain

/// The county report of a roll-up in its three human forms: `report.html` (self-contained, no
/// network, no script; a chart per township), `report.md` and `rollup.csv` (one row per project).
/// Every figure names the checkpoint (origin, size, root) it comes from. Chinese first.
enum RollupReport {
    static let title = "民生实事项目人大代表票决制 全县汇总"
    static let subtitle = "County roll-up of the townships' verified ledgers"

    // MARK: Shared phrases

    static func statusText(_ project: RolledProject) -> String {
        "\(project.completion.rawValue)（\(project.status.chinese) \(project.percent)%）"
    }

    static func ratingText(_ project: RolledProject) -> String {
        project.rating.map { "\($0.rawValue)（\(project.ratedIn ?? "")）" } ?? RollupTotals.notRated
    }

    static func budgetText(_ budget: Int64?) -> String { budget.map(Money.display) ?? "—" }

    static func checkpointText(_ reference: CheckpointReference) -> String {
        "\(reference.origin) · 大小 size \(reference.size) · 根 root \(reference.root)"
    }

    static func failureText(_ failure: RollupFailureOutput) -> String {
        if let check = failure.check {
            return "第 \(check.id) 项检查未通过 check \(check.id) failed：\(check.name)：\(check.detail)"
        }
        if failure.reason == "inconsistent" {
            return "与同一乡镇的公开包 \(failure.inconsistentWith.joined(separator: "、")) 不一致：一方不是另一方的前缀（分叉）/ inconsistent with \(failure.inconsistentWith.joined(separator: ", ")) of the same township: one history does not extend the other"
        }
        return "汇总所需的条目无法读取 / an entry the roll-up reads cannot be decoded"
    }

    static func summaryLines(_ output: RollupOutput) -> [String] {
        let county = output.county
        var lines = [
            county.sentence + "。",
            "实施情况 Implementation：\(county.completionSentence)。",
            "满意度测评 Satisfaction：\(county.satisfactionSentence)。",
        ]
        if county.totals.withoutBudget > 0 {
            lines.append("其中 \(county.totals.withoutBudget) 个项目未填投资估算，按 0 计入资金。\(county.totals.withoutBudget) projects have no budget and count 0.")
        }
        lines.append(
            "共核验公开包 \(output.bundles) 个：计入 \(output.townships.count) 个乡镇，被同乡镇更新的公开包取代 \(output.superseded.count) 个，未通过或不一致 \(output.failed.count) 个（不计入任何合计）。\(output.bundles) bundles: \(output.townships.count) townships counted, \(output.superseded.count) superseded, \(output.failed.count) left out.")
        if let policy = output.policy {
            lines.append("每个公开包的检查点须有信任策略 \(policy) 的见证人副署（法定数 \(output.quorum ?? "")）。Each checkpoint had to carry the quorum of cosignatures of \(policy).")
        }
        return lines
    }

    // MARK: Markdown

    static func markdown(_ output: RollupOutput) -> String {
        let cell = MarkdownText.escape
        var md = "# \(title)\n\n\(subtitle)\n\n## 汇总 Summary\n\n"
        for line in summaryLines(output) { md += line + "\n\n" }
        md += "## 按类别 By category\n\n| 类别 category | 项目 projects | 资金 funds |\n|---|---:|---:|\n"
        for item in output.county.totals.byCategory {
            md += "| \(cell(item.category)) | \(item.projects) | \(Money.display(item.funds)) |\n"
        }
        if !output.failed.isEmpty {
            md += "\n## 未计入的公开包 Bundles left out\n\n"
            for failure in output.failed {
                md += "- `\(cell(failure.dir))`（\(failure.checkpoint.map(checkpointText) ?? "无法读取检查点 no readable checkpoint")）：\(cell(failureText(failure)))\n"
            }
        }
        if !output.superseded.isEmpty {
            md += "\n## 被取代的公开包 Superseded bundles\n\n"
            for item in output.superseded {
                md += "- `\(cell(item.dir))`（\(checkpointText(item.checkpoint))）由 `\(cell(item.supersededBy))` 延续并取代 / extended by the later bundle\n"
            }
        }
        md += "\n## 各乡镇 Townships\n"
        for township in output.townships {
            let figures = township.figures
            md += "\n### \(cell(figures.body))\n\n"
            md += "- 检查点 checkpoint：\(checkpointText(figures.checkpoint))\n"
            md += "- 公开包 bundle：`\(cell(township.dir))`\n"
            if output.policy != nil { md += "- 见证人副署 cosigned by：\(township.cosignedBy.joined(separator: ", "))\n" }
            md += "- 票决出项目 \(figures.totals.projects) 个，资金 \(Money.display(figures.totals.funds))；\(figures.totals.completion.map { "\($0.name) \($0.projects)" }.joined(separator: "，"))；\(figures.totals.satisfaction.map { "\($0.name) \($0.projects)" }.joined(separator: "，"))\n"
            for session in figures.sessions {
                md += "- 会期 \(session.session)（\(session.shape == "vote" ? "票决 vote" : "测评 rating")）：\(session.status ?? "未计票 not tallied")，实有 \(session.seated)，出席 \(session.present)，有效票 \(session.valid)，项目 \(session.projects)\n"
            }
            md += "\n| 项目 project | 类别 category | 投资估算 budget | 实施 implementation | 测评 rating |\n|---|---|---:|---|---|\n"
            for project in figures.projects {
                md += "| \(cell(project.id)) \(cell(project.title)) | \(cell(project.category)) | \(budgetText(project.budget)) | \(cell(statusText(project))) | \(cell(ratingText(project))) |\n"
            }
        }
        md += "\n## 如何核验 How to verify\n\n"
        md += "每个数字都来自上面写明的检查点（origin、大小、根）。任何人都可以用同样的公开包重新核验并重新汇总，结果逐字节相同：\nEvery figure comes from the checkpoint named beside it; anyone can verify each bundle and roll them up again, byte for byte:\n\n"
        md += "```\n"
        for township in output.townships {
            md += "piaojue audit verify \(township.dir)\(output.policy.map { " --policy \($0)" } ?? "")\n"
        }
        md += "```\n"
        return md
    }

    // MARK: CSV

    static let csvHeader = [
        "乡镇 body", "origin", "size", "root", "项目 id", "项目名称 title", "类别 category", "投资估算 budget (元)", "票决会期 session",
        "实施 completion", "状态 status", "进度 percent", "已完成投资 spent (元)", "测评 rating", "测评会期 rated in",
    ]

    static func csv(_ output: RollupOutput) -> String {
        SpreadsheetText.document(header: csvHeader, rows: csvRows(output))
    }

    /// `rollup.xlsx`: the rows of `rollup.csv`, typed (see ``SpreadsheetExport``).
    static func xlsx(_ output: RollupOutput) throws -> [UInt8] {
        try SpreadsheetExport.rollup(header: csvHeader, rows: csvRows(output))
    }

    static func csvRows(_ output: RollupOutput) -> [[String]] {
        var rows: [[String]] = []
        for township in output.townships {
            let figures = township.figures
            for project in figures.projects {
                rows.append([
                    figures.body, figures.checkpoint.origin, String(figures.checkpoint.size), figures.checkpoint.root, project.id,
                    project.title, project.category, project.budget.map(String.init) ?? "", project.session, project.completion.rawValue,
                    project.status.rawValue, String(project.percent), String(project.spent), project.rating?.rawValue ?? "",
                    project.ratedIn ?? "",
                ])
            }
        }
        return rows
    }

    // MARK: HTML

    static let completionColors: [CompletionClass: String] = [
        .completed: "#2e7d32", .basicallyCompleted: "#f9a825", .notCompleted: "#9e9e9e",
    ]

    static func html(_ output: RollupOutput) -> String {
        let e = HTMLText.escape
        var h = """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <title>\(e(title))</title>
            <style>
            :root { --ink:#1a1a1a; --muted:#5f6368; --line:#d0d4d9; --accent:#b71c1c; }
            body { font-family: "Noto Sans CJK SC","Noto Serif CJK SC","PingFang SC","Microsoft YaHei",sans-serif; color:var(--ink); margin:0; background:#f6f6f4; }
            main { max-width: 960px; margin: 24px auto; background:#fff; padding: 32px 40px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
            h1 { font-size: 26px; text-align:center; color: var(--accent); margin: 0 0 4px; letter-spacing: 2px; }
            .sub { text-align:center; color: var(--muted); margin: 0 0 20px; font-size: 14px; }
            h2 { font-size: 19px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; margin-top: 30px; }
            h3 { font-size: 17px; margin: 26px 0 6px; }
            .en { color: var(--muted); font-size: 0.86em; }
            p.lead { font-size: 18px; line-height: 1.8; font-weight: bold; text-indent: 2em; margin: 6px 0; }
            p.announce { font-size: 15px; line-height: 1.8; text-indent: 2em; margin: 4px 0; }
            table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 6px 0; }
            th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
            th { background: #f1f3f4; }
            td.num { text-align:right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            .checkpoint { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; color: var(--muted); word-break: break-all; }
            .failed { background:#ffebee; border-left: 4px solid var(--accent); padding: 6px 10px; margin: 8px 0; }
            .legend span { display:inline-block; margin-right: 14px; font-size: 13px; }
            .legend i { display:inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
            pre { background: #f6f8fa; border: 1px solid var(--line); padding: 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; font-size: 12.5px; }
            @media print { body { background:#fff; } main { box-shadow:none; margin:0; padding: 0 8mm; } h3 { break-after: avoid; } svg, table { break-inside: avoid; } }
            </style></head><body><main>
            <h1>\(e(title))</h1>
            <p class="sub">\(e(subtitle))</p>
            <h2>汇总 <span class="en">Summary</span></h2>

            """
        for (number, line) in summaryLines(output).enumerated() {
            h += "<p class=\"\(number == 0 ? "lead" : "announce")\">\(e(line))</p>\n"
        }
        h += "<table><tr><th>类别 <span class=\"en\">category</span></th><th>项目 <span class=\"en\">projects</span></th><th>资金 <span class=\"en\">funds</span></th></tr>\n"
        for item in output.county.totals.byCategory {
            h += "<tr><td>\(e(item.category))</td><td class=\"num\">\(item.projects)</td><td class=\"num\">\(e(Money.display(item.funds)))</td></tr>\n"
        }
        h += "</table>\n"
        if !output.failed.isEmpty {
            h += "<h2>未计入的公开包 <span class=\"en\">Bundles left out of every total</span></h2>\n"
            for failure in output.failed {
                h += "<div class=\"failed\"><b>\(e(failure.dir))</b> <span class=\"checkpoint\">\(e(failure.checkpoint.map(checkpointText) ?? "无法读取检查点 no readable checkpoint"))</span><br>\(e(failureText(failure)))</div>\n"
            }
        }
        if !output.superseded.isEmpty {
            h += "<h2>被取代的公开包 <span class=\"en\">Superseded bundles</span></h2>\n<ul>\n"
            for item in output.superseded {
                h += "<li>\(e(item.dir)) <span class=\"checkpoint\">\(e(checkpointText(item.checkpoint)))</span> 由 \(e(item.supersededBy)) 延续并取代 <span class=\"en\">extended by the later bundle</span></li>\n"
            }
            h += "</ul>\n"
        }
        h += "<h2>各乡镇 <span class=\"en\">Townships</span></h2>\n<p class=\"legend\">"
        for kind in CompletionClass.allCases {
            h += "<span><i style=\"background:\(completionColors[kind] ?? "#999")\"></i>\(e(kind.rawValue))</span>"
        }
        h += "</p>\n"
        for township in output.townships {
            let figures = township.figures
            h += "<h3>\(e(figures.body))</h3>\n"
            h += "<p class=\"checkpoint\">检查点 checkpoint：\(e(checkpointText(figures.checkpoint)))<br>公开包 bundle：\(e(township.dir))"
            if output.policy != nil { h += "<br>见证人副署 cosigned by：\(e(township.cosignedBy.joined(separator: ", ")))" }
            h += "</p>\n"
            h += "<p class=\"announce\">票决出项目 \(figures.totals.projects) 个，资金 \(e(Money.display(figures.totals.funds)))；\(e(figures.totals.completion.map { "\($0.name) \($0.projects)" }.joined(separator: "，")))；\(e(figures.totals.satisfaction.map { "\($0.name) \($0.projects)" }.joined(separator: "，")))。</p>\n"
            h += chart(figures)
            h += "<table><tr><th>项目 <span class=\"en\">project</span></th><th>类别</th><th>投资估算 <span class=\"en\">budget</span></th><th>实施 <span class=\"en\">implementation</span></th><th>测评 <span class=\"en\">rating</span></th></tr>\n"
            for project in figures.projects {
                h += "<tr><td>\(e(project.id)) \(e(project.title))</td><td>\(e(project.category))</td><td class=\"num\">\(e(budgetText(project.budget)))</td><td>\(e(statusText(project)))</td><td>\(e(ratingText(project)))</td></tr>\n"
            }
            h += "</table>\n<table><tr><th>会期 <span class=\"en\">session</span></th><th>结果 <span class=\"en\">status</span></th><th>实有</th><th>出席</th><th>有效票</th><th>项目</th></tr>\n"
            for session in figures.sessions {
                h += "<tr><td>\(e(session.session)) \(session.shape == "vote" ? "票决" : "测评")</td><td>\(e(session.status ?? "未计票"))</td><td class=\"num\">\(session.seated)</td><td class=\"num\">\(session.present)</td><td class=\"num\">\(session.valid)</td><td class=\"num\">\(session.projects)</td></tr>\n"
            }
            h += "</table>\n"
        }
        h += "<h2>如何核验 <span class=\"en\">How to verify</span></h2>\n"
        h += "<p class=\"announce\">每个数字都来自写明的检查点（origin、大小、根）。任何人都可以用同样的公开包逐一核验并重新汇总，得到逐字节相同的结果。<span class=\"en\">Every figure comes from the checkpoint named beside it; anyone can verify each bundle and roll them up again, byte for byte.</span></p>\n<pre>"
        for township in output.townships {
            h += e("piaojue audit verify \(township.dir)\(output.policy.map { " --policy \($0)" } ?? "")") + "\n"
        }
        h += "</pre>\n</main></body></html>\n"
        return h
    }

    /// One bar per chosen project, its length the project's budget against the township's largest,
    /// coloured by 完成 / 基本完成 / 未完成, labelled with the budget and the rating.
    static func chart(_ figures: TownshipFigures) -> String {
        let e = HTMLText.escape
        guard !figures.projects.isEmpty else { return "<p class=\"announce\">没有票决出的项目。No project chosen.</p>\n" }
        let rowHeight = 26, top = 8, labelWidth = 260, barWidth = 420, valueWidth = 220
        let width = labelWidth + barWidth + valueWidth
        let height = top + rowHeight * figures.projects.count + 8
        let largest = max(1, figures.projects.map { $0.budget ?? 0 }.max() ?? 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(e(figures.body)) 项目资金与实施情况 budgets and implementation\" font-size=\"13\">\n"
        for (row, project) in figures.projects.enumerated() {
            let y = top + row * rowHeight
            let label = "\(project.id) \(project.title)"
            let shown = label.count > 18 ? String(label.prefix(17)) + "…" : label
            let length = Int((Int64(barWidth) * (project.budget ?? 0)) / largest)
            svg += "<text x=\"4\" y=\"\(y + 18)\">\(e(shown))<title>\(e(label))</title></text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 5)\" width=\"\(max(length, 1))\" height=\"\(rowHeight - 10)\" fill=\"\(completionColors[project.completion] ?? "#999")\"><title>\(e(statusText(project)))</title></rect>"
            svg += "<text x=\"\(labelWidth + max(length, 1) + 6)\" y=\"\(y + 18)\" fill=\"#333\">\(e(budgetText(project.budget)))</text>"
            svg += "<text x=\"\(labelWidth + barWidth + 70)\" y=\"\(y + 18)\" fill=\"#555\">\(e(project.completion.rawValue)) · \(e(project.rating?.rawValue ?? RollupTotals.notRated))</text>\n"
        }
        return svg + "</svg>\n"
    }
}
