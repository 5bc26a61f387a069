import ArgumentParser
import PiaojueDomain
import PiaojueServices

extension Piaojue.Implement {
    /// `implement progress`: a progress report with evidence files.
    struct Progress: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "progress",
            abstract: "进度报告 Report a project's progress, funds spent and evidence.",
            discussion: """
                --percent is 0–100 (exit 2 otherwise); a lower percent than the last report \
                needs --note (exit 1 otherwise). --spent is 已完成投资 so far (cumulative); above \
                the planned budget it is recorded with a warning and shown red. Each \
                --evidence FILE (photo, acceptance document) is hashed: its name and SHA-256 \
                go into the ledger, never its content. --reached marks milestones (M1 …) \
                reached; 100 % reaches them all. --final closes the project (below 100 %: \
                partially completed). Refused on a suspended or terminated project.

                Example:
                  piaojue implement progress P3 --percent 40 --spent 50万 --reached M1 \\
                    --note "主体结构完工" --evidence 现场照片.jpg --evidence 监理月报.pdf
                  piaojue implement progress P3 --percent 35 --note "复核后下调：二期未开工"
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "项目编号 The project.") var project: ProjectID
        @Option(parsing: .unconditional, help: "完成进度 Percent done, 0–100.") var percent: Percent
        @Option(parsing: .unconditional, help: "已完成投资（累计）Funds spent so far: 50万, 500000.") var spent: Amount?
        @Option(help: "说明 Note (required for a decrease).") var note: String?
        @Option(help: "证明材料 Evidence file, hashed into the ledger (repeatable).") var evidence: [String] = []
        @Option(help: "已完成的时间节点 Milestone reached, M1 … (repeatable or comma-separated).") var reached: [MilestoneIDs] = []
        @Flag(help: "结项 Final report: closes the project.") var final = false

        func run() throws {
            let workspace = try global.workspace()
            let result = try ImplementationService.progress(
                project: try project.get(), percent: try percent.get(), spent: try spent.value(), note: note, reached: try reached.ids(),
                final: final, evidence: evidence, workspace: workspace)
            let report = result.report.event
            let status = result.status
            global.emit(ProgressOutput(report: result.report, status: status)) {
                var text = "项目 \(report.project) 进度已记录：\(report.previousPercent)% → \(report.percent)%"
                if let status {
                    text += "，已完成投资 \(Money.display(status.spent))"
                    if let budget = status.budget { text += " / \(Money.display(budget))" }
                    text += "，状态：\(status.status.chinese)"
                }
                text += "。Progress recorded."
                for file in report.evidence { text += "\n  证明材料 \(file.name)  SHA-256 \(file.sha256)" }
                return text + ImplementInput.warningLines(result.report.warnings)
            }
        }
    }
}
