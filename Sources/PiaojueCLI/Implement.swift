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

/// Shared input parsing of the implement commands.
enum ImplementInput {
    /// Ids given repeated or comma-separated.
    static func ids(_ values: [String]) -> [String] {
        values.flatMap { $0.split(whereSeparator: { $0 == "," || $0 == "，" }).map { String($0).trimmingSpaces() } }.filter { !$0.isEmpty }
    }

    /// `--milestone DATE:TEXT` values.
    static func milestones(_ values: [String]) throws(InputError) -> [(date: Day, text: String)] {
        var result: [(date: Day, text: String)] = []
        for value in values { result.append(try ImplementationInput.milestone(value)) }
        return result
    }

    /// Warnings as text lines.
    static func warningLines(_ warnings: [String]) -> String {
        warnings.map { "\n注意 Warning: \($0)" }.joined()
    }
}

/// One project's figures for `--json` output (`implement status`, `implement progress`).
struct ProjectStatusRow: Encodable {
    let id: String
    let title: String
    let status: String
    let statusText: String
    let percent: Int
    let spent: Int64
    let budget: Int64?
    /// spent ÷ budget in percent with one decimal (rounded down).
    let spentPercent: Double?
    let overBudget: Bool
    let overdue: Bool
    let overdueReasons: [String]
    let unit: String?
    let leader: String?
    let votedOn: String
    let planDueBy: String
    let planPublishedOn: String?
    let planLate: Bool
    let deadline: String?
    let daysLeft: Int?
    let nextMilestone: MilestoneRow?
    let milestones: [MilestoneRow]
    let openProblems: Int
    let problems: Int
    let lastReportOn: String?
    let evidence: Int
    let adjustments: [AdjustmentRow]

    struct MilestoneRow: Encodable {
        let id: String
        let date: String
        let text: String
        let reachedOn: String?
        let daysLeft: Int
        let missed: Bool

        init(_ m: MilestoneProgress) {
            id = m.milestone.id
            date = m.milestone.date.description
            text = m.milestone.text
            reachedOn = m.reachedOn?.description
            daysLeft = m.daysLeft
            missed = m.missed
        }

        enum CodingKeys: String, CodingKey { case id, date, text, reachedOn, daysLeft, missed }

        /// `reachedOn` is written as null when not reached, so the keys are stable.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(date, forKey: .date)
            try c.encode(text, forKey: .text)
            try c.encode(reachedOn, forKey: .reachedOn)
            try c.encode(daysLeft, forKey: .daysLeft)
            try c.encode(missed, forKey: .missed)
        }
    }

    struct AdjustmentRow: Encodable {
        let kind: String
        let reason: String
        let decision: String
        let decidedBy: String
        let decidedOn: String

        init(_ a: AdjustmentDecided) {
            kind = a.adjustment.rawValue
            reason = a.reason
            decision = a.decision
            decidedBy = a.decidedBy
            decidedOn = a.decidedOn.description
        }
    }

    init(_ p: ProjectProgress) {
        id = p.id
        title = p.title
        status = p.status.rawValue
        statusText = p.status.chinese
        percent = p.percent
        spent = p.spent
        budget = p.budget
        spentPercent = p.spentPermille.map { Double($0) / 10 }
        overBudget = p.overBudget
        overdue = p.overdue
        overdueReasons = p.overdueReasons.map(\.code)
        unit = p.unit
        leader = p.leader
        votedOn = p.votedOn.description
        planDueBy = p.planDueBy.description
        planPublishedOn = p.planPublishedOn?.description
        planLate = p.planLate
        deadline = p.deadline?.description
        daysLeft = p.daysLeft
        nextMilestone = p.nextMilestone.map(MilestoneRow.init)
        milestones = p.milestones.map(MilestoneRow.init)
        openProblems = p.openProblems
        problems = p.problems
        lastReportOn = p.lastReportOn?.description
        evidence = p.evidenceCount
        adjustments = p.adjustments.map(AdjustmentRow.init)
    }

    /// Every key, also when nil, so scripts see stable keys.
    enum CodingKeys: String, CodingKey {
        case id, title, status, statusText, percent, spent, budget, spentPercent, overBudget, overdue, overdueReasons, unit, leader
        case votedOn, planDueBy, planPublishedOn, planLate, deadline, daysLeft, nextMilestone, milestones, openProblems, problems
        case lastReportOn, evidence, adjustments
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(status, forKey: .status)
        try c.encode(statusText, forKey: .statusText)
        try c.encode(percent, forKey: .percent)
        try c.encode(spent, forKey: .spent)
        try c.encode(budget, forKey: .budget)
        try c.encode(spentPercent, forKey: .spentPercent)
        try c.encode(overBudget, forKey: .overBudget)
        try c.encode(overdue, forKey: .overdue)
        try c.encode(overdueReasons, forKey: .overdueReasons)
        try c.encode(unit, forKey: .unit)
        try c.encode(leader, forKey: .leader)
        try c.encode(votedOn, forKey: .votedOn)
        try c.encode(planDueBy, forKey: .planDueBy)
        try c.encode(planPublishedOn, forKey: .planPublishedOn)
        try c.encode(planLate, forKey: .planLate)
        try c.encode(deadline, forKey: .deadline)
        try c.encode(daysLeft, forKey: .daysLeft)
        try c.encode(nextMilestone, forKey: .nextMilestone)
        try c.encode(milestones, forKey: .milestones)
        try c.encode(openProblems, forKey: .openProblems)
        try c.encode(problems, forKey: .problems)
        try c.encode(lastReportOn, forKey: .lastReportOn)
        try c.encode(evidence, forKey: .evidence)
        try c.encode(adjustments, forKey: .adjustments)
    }
}
