import ArgumentParser
import PiaojueDomain
import PiaojueServices

extension Piaojue {
    /// `piaojue implement`: Stage 3 · 组织实施.
    struct Implement: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "implement",
            abstract: "组织实施 Implementation plans, progress and decided adjustments.",
            discussion: """
                Only projects chosen by a tallied vote are followed. Order: plan (within the \
                rules' plan_deadline_days of the vote, default 30) → progress (through the \
                year, with evidence files hashed into the ledger) → problem \
                open/assign/close → status / report. 暂缓, 终止 and 重大调整 need the deciding \
                body's reference (adjust --decision). Today is the system date, or \
                $PIAOJUE_NOW (YYYY-MM-DD).

                Example:
                  piaojue implement plan P3 --unit 县民政局 --leader 李副县长 --budget 120万 \\
                    --deadline 2025-12-31
                  piaojue implement progress P3 --percent 40 --spent 50万 --evidence 现场照片.jpg
                  piaojue implement status --overdue
                """,
            subcommands: [Plan.self, Progress.self, Problem.self, Adjust.self, Status.self, Report.self])

        @OptionGroup var global: GlobalOptions
    }
}

/// Shared rendering of the implement commands.
enum ImplementInput {
    /// Warnings as text lines.
    static func warningLines(_ warnings: [String]) -> String {
        warnings.map { "\n注意 Warning: \($0)" }.joined()
    }
}
