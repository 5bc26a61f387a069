import ArgumentParser
import PiaojueDomain
import PiaojueServices

extension Piaojue.Implement {
    /// `implement adjust`: a decided suspension, termination, major change or resumption (T15).
    struct Adjust: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "adjust",
            abstract: "项目调整 Record a decided 暂缓 / 终止 / 重大调整 / 恢复 of a project.",
            discussion: """
                Takes effect only with the decision of the 人大常委会 (county and above) or the \
                乡镇人民代表大会 (township): without --decision it is refused (exit 1) and nothing \
                is recorded. --kind: suspend (暂缓), terminate (终止), major-change (重大调整) or \
                resume (恢复). A major change may replace the plan's unit, leader, budget, \
                deadline or milestones. --by names the deciding body when it is not the \
                default for the level.

                Example:
                  piaojue implement adjust P5 --kind terminate --reason "上级政策调整，项目并入省级工程" \\
                    --decision "县人大常委会〔2025〕12号"
                  piaojue implement adjust P3 --kind major-change --reason 地质条件变化 \\
                    --decision "县人大常委会第21次会议决定" --deadline 2026-06-30 --milestone 2025-12-31:主体完工
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "项目编号 The project.") var project: ProjectID
        @Option(help: "调整类型 suspend | terminate | major-change | resume (暂缓 / 终止 / 重大调整 / 恢复).") var kind: AdjustmentValue
        @Option(help: "调整原因 Reason.") var reason: String
        @Option(help: "决定文号 The deciding body's reference (required by rule).") var decision: String?
        @Option(help: "作出决定的机关 The deciding body (default by level: 人大常委会 or 乡镇人民代表大会).") var by: String?
        @Option(help: "重大调整：新的责任单位 New responsible unit.") var unit: String?
        @Option(help: "重大调整：新的分管领导 New leader in charge.") var leader: String?
        @Option(parsing: .unconditional, help: "重大调整：新的年度计划投资 New planned budget.") var budget: Amount?
        @Option(help: "重大调整：新的完成时限 New deadline.") var deadline: Deadline?
        @Option(help: "重大调整：新的时间节点 DATE:TEXT, replacing all (repeatable).") var milestone: [MilestoneValue] = []

        func run() throws {
            let adjustment = try kind.get()
            let changes = PlanChanges(
                unit: unit?.trimmingSpaces(), leader: leader?.trimmingSpaces(), budget: try budget.value(),
                deadline: try deadline.value(), milestones: milestone.isEmpty ? nil : ImplementationInput.numbered(try milestone.values()))
            let workspace = try global.workspace()
            let result = try ImplementationService.adjust(
                project: try project.get(), kind: adjustment, reason: reason, decision: decision, decidedBy: by?.trimmingSpaces(),
                changes: changes, workspace: workspace)
            let event = result.event
            global.emit(AdjustOutput(event: event, status: result.status)) {
                "项目 \(event.project) \(event.adjustment.chinese)已记录（\(event.decidedBy) \(event.decision)），当前状态：\(result.status.chinese)。\(event.adjustment.rawValue) recorded; status \(result.status.rawValue)."
            }
        }
    }
}
