import ArgumentParser
import PiaojueDomain
import PiaojueServices

extension Piaojue.Evaluate {
    struct Tally: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tally",
            abstract: "测评计票 Count and classify each project by the frozen rules.",
            discussion: """
                满意 more than half of the base → 满意; else 满意 + 基本满意 more than half → 基本满意; else \
                不满意 (exactly half does not pass when strict). Rate = (满意 + 基本满意) / valid ballots. \
                A second tally prints the recorded result. --csv writes each project's counts, rates and \
                class for Excel; --xlsx FILE also writes that table as an .xlsx workbook to a new file.

                Example:
                  piaojue evaluate tally R1
                  piaojue evaluate tally R1 --json > tally.json
                  piaojue evaluate tally R1 --xlsx 测评结果.xlsx
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "测评会期 Rating session.") var session: SessionID
        @Flag(help: "输出 CSV（可用 Excel 打开）Write CSV for Excel.") var csv = false
        @Option(help: "另写一份 .xlsx 工作簿（新文件）Also write an .xlsx workbook to this new file.") var xlsx: String?

        func run() throws {
            if csv && global.json { throw UsageFailure.exclusive(options: ["--csv", "--json"]) }
            let session = try self.session.get()
            let workspace = try global.workspace()
            let result = try EvaluationService.tally(session: session, workspace: workspace)
            let context = try LedgerQueries.ratingContext(session: session, workspace: workspace)
            if let xlsx { try SpreadsheetExport.writeRating(result, opened: context.opened, to: xlsx) }
            if csv {
                Output.line(CSV.document(header: RatingTable.header, rows: RatingTable.rows(result, opened: context.opened)))
                return
            }
            global.emit(RatingTallyOutput(result)) { RatingText.announcement(result, context: context) }
        }
    }

    struct Rectify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rectify",
            abstract: "记录整改 Record the rectification of a project flagged by its rating.",
            discussion: """
                Only for a project its latest rating flagged (by default: classed 不满意). Afterwards \
                `evaluate open --projects PROJECT` rates it again, marked 再测评.

                Example:
                  piaojue evaluate rectify P3 --what 补齐路灯并修复破损路面 --unit 县交通运输局 --by 2025-09-30
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "项目编号 The project.") var project: ProjectID
        @Option(help: "整改内容 What is to be rectified.") var what: String
        @Option(help: "整改责任单位 The responsible unit.") var unit: String
        @Option(help: "整改时限 Due date YYYY-MM-DD.") var by: Deadline

        func run() throws {
            let recorded = try EvaluationService.rectify(
                project: try project.get(), what: what, unit: unit, due: try by.get(), workspace: global.workspace())
            let record = recorded.record
            global.emit(RectifyOutput(record, index: recorded.index)) {
                """
                已记录项目 \(record.project)\(record.title.isEmpty ? "" : "（\(record.title)）") 的整改（第 \(recorded.index) 条）：\(record.what)；责任单位 \(record.unit)，\(record.due) 前完成。
                Rectification of \(record.project) recorded (entry \(recorded.index)), due \(record.due).
                整改完成后再测评 Then rate again: piaojue evaluate open --projects \(record.project)
                """
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "测评会期进度 Where a rating session stands.",
            discussion: "Example:\n  piaojue evaluate status R1")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "测评会期 Rating session.") var session: SessionID

        func run() throws {
            let session = try self.session.get()
            let status = try EvaluationService.status(session: session, workspace: global.workspace())
            let state = status.state
            global.emit(RatingStatusOutput(opened: status.opened, state: state, tally: status.tally)) {
                let stage: String
                if let tally = status.tally {
                    stage = tally.status == .void ? "已计票：本次测评无效 / void" : "已计票 / tallied"
                } else {
                    stage = state.isClosed ? "已结束投票，待计票 / closed" : "投票进行中 / open"
                }
                return """
                    测评会期 \(session)\(status.opened.year.map { "（\($0) 年度）" } ?? "")：项目 \(status.opened.header.items.joined(separator: "、"))\(status.opened.rerated.isEmpty ? "" : "（再测评 \(status.opened.rerated.joined(separator: "、"))）")
                    测评人员（\(status.opened.raters.chinese)）出席 \(state.present.count) / \(state.header.seated)（法定人数 \(state.quorumNeeded)：\(state.quorumReached ? "已达到" : "未达到")）
                    已发凭证 \(state.issued) 张（\(state.batches.count) 批），已投 \(state.recorded) 张；\(stage)
                    """
            }
        }
    }
}

/// A rating result as a plain bilingual table for the 公告.
enum RatingText {
    static func baseText(_ result: RatingResult) -> String {
        switch result.base {
        case .seated: "全体测评人员 \(result.baseCount) 名 / all \(result.baseCount) raters entitled"
        case .present: "出席人员 \(result.baseCount) 名 / \(result.baseCount) present"
        case .valid: "有效票 \(result.baseCount) 张 / \(result.baseCount) valid ballots"
        }
    }

    static func announcement(_ result: RatingResult, context: (body: String, opened: RatingSessionOpened)) -> String {
        let opened = context.opened
        let titles = Dictionary(opened.projects.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        let rerated = Set(opened.rerated)
        var lines: [String] = []
        lines.append("\(context.body)\(opened.year.map { "\($0) 年度" } ?? "")民生实事项目满意度测评结果")
        lines.append("Satisfaction rating of session \(result.session) (raters: \(opened.raters.rawValue))")
        lines.append("")
        lines.append("测评人员 \(result.seated) 名，出席 \(result.present) 名。发出测评票 \(result.issued) 张，收回 \(result.returned) 张，有效 \(result.valid) 张，无效 \(result.invalid) 张\(result.notReturned > 0 ? "，未收回 \(result.notReturned) 张" : "")。")
        lines.append("Raters \(result.seated), present \(result.present); issued \(result.issued), returned \(result.returned), valid \(result.valid), invalid \(result.invalid).")
        if result.status == .void {
            lines.append("")
            lines.append("本次测评无效 VOID：\(result.explanation ?? "")")
            return lines.joined(separator: "\n")
        }
        let half = result.strict ? "超过半数" : "达到半数"
        lines.append("评定基数：\(baseText(result))，\(half)即 \(result.threshold) 票 / \(result.strict ? "more than half" : "at least half"): \(result.threshold).")
        lines.append("评定规则：满意票\(half) → 满意；否则满意与基本满意票合计\(half) → 基本满意；否则不满意。")
        lines.append("")
        lines.append(["编号 ID", "满意", "基本满意", "不满意", "弃权", "满意率 Rate", "满意票占比", "评定 Class", "项目 Project"].joined(separator: "\t"))
        for rating in result.projects {
            let rate = rating.rate.map { "\($0.percentText) (\($0))" } ?? "—"
            let satisfiedRate = rating.satisfiedRate?.percentText ?? "—"
            let mark = [rerated.contains(rating.id) ? "再测评" : nil, rating.rectify ? "须整改" : nil].compactMap { $0 }
            lines.append([
                rating.id, "\(rating.satisfied)", "\(rating.basic)", "\(rating.dissatisfied)", "\(rating.abstain)", rate, satisfiedRate,
                rating.classification?.rawValue ?? "—",
                (titles[rating.id] ?? "") + (mark.isEmpty ? "" : "（\(mark.joined(separator: "，"))）"),
            ].joined(separator: "\t"))
        }
        lines.append("")
        lines.append("满意率 = (满意 + 基本满意) / 有效票；满意票占比 = 满意 / 有效票。Rate = (satisfied + basic) / valid.")
        if result.rectify.isEmpty {
            lines.append("无须整改的项目。No project is flagged for rectification.")
        } else {
            let flagged = result.rectify.map { "\($0) \(titles[$0] ?? "")" }
            lines.append("须整改项目 To be rectified：" + flagged.joined(separator: "；"))
            lines.append("下一步 Next: piaojue evaluate rectify \(result.rectify[0]) --what 整改内容 --unit 责任单位 --by YYYY-MM-DD")
        }
        return lines.joined(separator: "\n")
    }
}
