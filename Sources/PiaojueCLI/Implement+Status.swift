import ArgumentParser
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
                is the system date, or $PIAOJUE_NOW. --xlsx FILE also writes the table of --csv as an \
                .xlsx workbook (numbers, amounts and dates typed) to a new file.

                Example:
                  piaojue implement status
                  piaojue implement status --overdue
                  piaojue implement status --csv > 实施进度.csv
                  piaojue implement status --xlsx 实施进度.xlsx
                  PIAOJUE_NOW=2025-07-01 piaojue implement status --json
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var rulesOption: RulesOption
        @Flag(help: "只看逾期项目 Only overdue projects.") var overdue = false
        @Flag(help: "输出 CSV（可用 Excel 打开）Write CSV for Excel.") var csv = false
        @Option(help: "另写一份 .xlsx 工作簿（新文件）Also write an .xlsx workbook to this new file.") var xlsx: String?

        func run() throws {
            if csv && global.json { throw UsageFailure.exclusive(options: ["--csv", "--json"]) }
            let workspace = try global.workspace()
            let overview = try ImplementationService.overview(rules: try workspace.rules(rulesOption.rules), workspace: workspace)
            let projects = overdue ? overview.projects.filter(\.overdue) : overview.projects
            if let xlsx { try SpreadsheetExport.writeStatus(projects, to: xlsx) }
            if csv {
                Output.line(CSV.document(header: StatusTable.header, rows: projects.map(StatusTable.row)))
                return
            }
            global.emit(ImplementationStatusOutput(asOf: overview.asOf, projects: projects)) {
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
            let output = ImplementationReportOutput(dir: out, file: result.file, overview: result.overview)
            global.emit(output) {
                "实施进度报告已写入 \(output.file)：项目 \(output.projects) 个，逾期 \(output.overdue) 个。Report written."
            }
        }
    }
}
