import ArgumentParser
import PiaojueDomain
import PiaojueServices

extension Piaojue.Implement {
    /// `implement plan`: the implementation plan of a chosen project.
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "实施计划 Record the implementation plan of a chosen project.",
            discussion: """
                Only for a project chosen by a tallied vote (refused otherwise, exit 1); \
                once per project — later changes need a decision (adjust --kind \
                major-change). Dates may not be before the vote; milestones not after the \
                deadline. A project running past the vote's year states a milestone in each \
                earlier year. A plan recorded more than the rules' plan_deadline_days \
                (default 30) after the vote is recorded and reported late.

                Example:
                  piaojue implement plan P3 --unit 县民政局 --leader 李副县长 --budget 120万 \\
                    --deadline 2025-12-31 --milestone 2025-06-30:主体完工 --milestone 2025-10-31:设备安装
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var rulesOption: RulesOption
        @Argument(help: "项目编号 The chosen project (P3 …).") var project: ProjectID
        @Option(help: "责任单位 Responsible unit.") var unit: String
        @Option(help: "分管领导 Leader in charge.") var leader: String
        @Option(parsing: .unconditional, help: "年度计划投资 Planned budget: 1200000, 120万, 6513.3万元.") var budget: Amount
        @Option(help: "完成时限 Deadline: 2025-12-31, 2025-12 or 2025年12月底.") var deadline: Deadline
        @Option(help: "时间节点 Milestone DATE:TEXT (repeatable).") var milestone: [MilestoneValue] = []

        func run() throws {
            let request = PlanRequest(
                project: try project.get(), unit: unit, leader: leader, budget: try budget.get(), deadline: try deadline.get(),
                milestones: try milestone.values())
            let workspace = try global.workspace()
            let decided = try ImplementationService.plan(request, rules: try workspace.rules(rulesOption.rules), workspace: workspace)
            let plan = decided.event
            global.emit(PlanOutput(decided)) {
                var text = "项目 \(plan.project)（\(plan.title)）实施计划已记录：责任单位 \(plan.unit)，分管领导 \(plan.leader)，年度计划投资 \(Money.display(plan.budget))，完成时限 \(plan.deadline)。Plan recorded."
                for m in plan.milestones { text += "\n  \(m.id) \(m.date) \(m.text)" }
                return text + ImplementInput.warningLines(decided.warnings)
            }
        }
    }
}
