import ArgumentParser
import Foundation
import PiaojueDomain
import PiaojueServices

extension Piaojue.Implement {
    /// `implement status`: every chosen project on today's date.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "实施进度 Every chosen project: unit, status, percent, spent vs budget, next milestone, overdue.",
            discussion: """
                Overdue: a milestone or the deadline passed and the project not completed, \
                or no plan published by the rules' plan_deadline_days after the vote. \
                Suspended and terminated projects show so and are not counted overdue. Today \
                is the system date, or $PIAOJUE_NOW.

                Example:
                  piaojue implement status
                  piaojue implement status --overdue
                  piaojue implement status --csv > 实施进度.csv
                  PIAOJUE_NOW=2025-07-01 piaojue implement status --json
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var rulesOption: RulesOption
        @Flag(help: "只看逾期项目 Only overdue projects.") var overdue = false
        @Flag(help: "输出 CSV（可用 Excel 打开）Write CSV for Excel.") var csv = false

        func validate() throws {
            if csv && global.json { throw ValidationError("--csv 与 --json 只能选一个。Give --csv or --json, not both.") }
        }

        func run() throws {
            let workspace = try global.workspace()
            let overview = try ImplementationService.overview(rules: try workspace.rules(rulesOption.rules), workspace: workspace)
            let projects = overdue ? overview.projects.filter(\.overdue) : overview.projects
            if csv {
                Output.line(CSV.document(header: StatusTable.header, rows: projects.map(StatusTable.row)))
                return
            }
            struct Result: Encodable {
                let asOf: String
                let overdue: Int
                let projects: [ProjectStatusRow]
            }
            global.emit(Result(asOf: overview.asOf.description, overdue: projects.filter(\.overdue).count, projects: projects.map(ProjectStatusRow.init))) {
                guard !projects.isEmpty else {
                    return overdue ? "截至 \(overview.asOf) 没有逾期项目。No overdue projects." : "尚无票决选中的项目。No chosen projects yet."
                }
                return "截至 \(overview.asOf) As of \(overview.asOf)：\n" + projects.map(StatusTable.text).joined(separator: "\n")
            }
        }
    }

    /// `implement report`: the printable HTML page for the supervision meeting.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "实施进度报告 Write a self-contained HTML report for the supervision meeting.",
            discussion: """
                One HTML file (index.html) with inline CSS and no network access: a progress \
                bar per project, overdue ones first, Chinese with English, printable. DIR \
                must be new or empty.

                Example:
                  piaojue implement report --out 年中问进度-2025
                  PIAOJUE_NOW=2025-07-01 piaojue implement report --out report
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var rulesOption: RulesOption
        @Option(help: "输出目录（新建或空目录）Output directory (new or empty).") var out: String

        func run() throws {
            let workspace = try global.workspace()
            let result = try ImplementationService.writeReport(directory: out, rules: try workspace.rules(rulesOption.rules), workspace: workspace)
            struct Result: Encodable {
                let dir: String
                let file: String
                let asOf: String
                let projects: Int
                let overdue: Int
            }
            let overdue = result.overview.projects.filter(\.overdue).count
            global.emit(Result(dir: out, file: result.file, asOf: result.overview.asOf.description, projects: result.overview.projects.count, overdue: overdue)) {
                "实施进度报告已写入 \(result.file)：项目 \(result.overview.projects.count) 个，逾期 \(overdue) 个。Report written."
            }
        }
    }
}

/// The status table as text and CSV.
enum StatusTable {
    static let header = [
        "项目编号 id", "项目名称 title", "状态 status", "责任单位 unit", "分管领导 leader", "完成进度% percent", "已完成投资(元) spent",
        "年度计划投资(元) budget", "投资完成率% spent/budget", "超出计划投资 over budget", "下一时间节点 next milestone", "节点日期 milestone date",
        "完成时限 deadline", "剩余天数 days left", "逾期 overdue", "逾期原因 overdue reasons", "票决日期 voted", "计划公布 plan published",
        "计划逾期 plan late", "待整改问题 open problems",
    ]

    static func row(_ p: ProjectProgress) -> [String] {
        [
            p.id, p.title, "\(p.status.chinese) \(p.status.rawValue)", p.unit ?? "", p.leader ?? "", "\(p.percent)", "\(p.spent)",
            p.budget.map(String.init) ?? "", p.spentPercentText ?? "", p.overBudget ? "是 yes" : "",
            p.nextMilestone.map { "\($0.milestone.id) \($0.milestone.text)" } ?? "", p.nextMilestone?.milestone.date.description ?? "",
            p.deadline?.description ?? "", p.daysLeft.map(String.init) ?? "", p.overdue ? "是 yes" : "否 no",
            p.overdueReasons.map(\.text).joined(separator: "；"), p.votedOn.description, p.planPublishedOn?.description ?? "",
            p.planLate ? "是 yes" : "", "\(p.openProblems)",
        ]
    }

    static func text(_ p: ProjectProgress) -> String {
        var line = "\(p.overdue ? "⚠ " : "  ")\(p.id)  \(p.title)  \(p.status.chinese) \(p.status.rawValue)  \(p.percent)%"
        var money = "投资 \(Money.display(p.spent))"
        if let budget = p.budget { money += " / \(Money.display(budget))" }
        if let percent = p.spentPercentText { money += "（\(percent)%）" }
        if p.overBudget { money += " 超出计划投资 OVER BUDGET" }
        line += "  " + money
        var details: [String] = []
        if let unit = p.unit { details.append("责任单位 \(unit)") }
        if let deadline = p.deadline {
            var text = "完成时限 \(deadline)"
            if let days = p.daysLeft { text += days >= 0 ? "（剩余 \(days) 日）" : "（已过 \(-days) 日）" }
            details.append(text)
        }
        if let next = p.nextMilestone {
            let days = next.daysLeft >= 0 ? "剩余 \(next.daysLeft) 日" : "已过 \(-next.daysLeft) 日"
            details.append("下一节点 \(next.milestone.id) \(next.milestone.date) \(next.milestone.text)（\(days)）")
        }
        if p.planPublishedOn == nil, p.status.isActive { details.append("实施计划应于 \(p.planDueBy) 前公布") }
        if p.planLate, p.planPublishedOn != nil { details.append("实施计划逾期公布 plan published late") }
        if p.openProblems > 0 { details.append("待整改问题 \(p.openProblems) 个") }
        if let last = p.adjustments.last { details.append("\(last.adjustment.chinese)：\(last.decidedBy) \(last.decision)") }
        if !details.isEmpty { line += "\n      " + details.joined(separator: "；") }
        if p.overdue { line += "\n      逾期 OVERDUE：" + p.overdueReasons.map(\.text).joined(separator: "；") }
        return line
    }
}
