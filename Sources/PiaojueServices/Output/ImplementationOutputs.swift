public import PiaojueDomain

/// One project's figures for `--json` output (`implement status`, `implement progress`).
public struct ProjectStatusRow: Codable, Sendable, Equatable {
    public let id: String
    public let title: String
    public let status: String
    public let statusText: String
    public let percent: Int
    public let spent: Int64
    public let budget: Int64?
    /// spent ÷ budget in percent with one decimal (rounded down).
    public let spentPercent: Double?
    public let overBudget: Bool
    public let overdue: Bool
    public let overdueReasons: [String]
    public let unit: String?
    public let leader: String?
    public let votedOn: String
    public let planDueBy: String
    public let planPublishedOn: String?
    public let planLate: Bool
    public let deadline: String?
    public let daysLeft: Int?
    public let nextMilestone: MilestoneRow?
    public let milestones: [MilestoneRow]
    public let openProblems: Int
    public let problems: Int
    public let lastReportOn: String?
    public let evidence: Int
    public let adjustments: [AdjustmentRow]

    public struct MilestoneRow: Codable, Sendable, Equatable {
        public let id: String
        public let date: String
        public let text: String
        public let reachedOn: String?
        public let daysLeft: Int
        public let missed: Bool

        public init(_ m: MilestoneProgress) {
            id = m.milestone.id
            date = m.milestone.date.description
            text = m.milestone.text
            reachedOn = m.reachedOn?.description
            daysLeft = m.daysLeft
            missed = m.missed
        }

        enum CodingKeys: String, CodingKey { case id, date, text, reachedOn, daysLeft, missed }

        /// `reachedOn` is written as null when not reached, so the keys are stable.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(date, forKey: .date)
            try c.encode(text, forKey: .text)
            try c.encode(reachedOn, forKey: .reachedOn)
            try c.encode(daysLeft, forKey: .daysLeft)
            try c.encode(missed, forKey: .missed)
        }
    }

    public struct AdjustmentRow: Codable, Sendable, Equatable {
        public let kind: String
        public let reason: String
        public let decision: String
        public let decidedBy: String
        public let decidedOn: String

        public init(_ a: AdjustmentDecided) {
            kind = a.adjustment.rawValue
            reason = a.reason
            decision = a.decision
            decidedBy = a.decidedBy
            decidedOn = a.decidedOn.description
        }
    }

    public init(_ p: ProjectProgress) {
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

    public func encode(to encoder: any Encoder) throws {
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

/// `--json` of the problem commands.
public struct ProblemRow: Codable, Sendable, Equatable {
    public let id: String
    public let project: String
    public let text: String
    public let unit: String?
    public let status: String
    public let openedOn: String
    public let closedOn: String?
    public let note: String?

    public init(_ item: ProblemItem) {
        id = item.id
        project = item.project
        text = item.text
        unit = item.unit
        status = item.isOpen ? "open" : "closed"
        openedOn = item.openedOn.description
        closedOn = item.closedOn?.description
        note = item.closeNote
    }
}

/// The status table as text and CSV.
public enum StatusTable {
    public static let header = [
        "项目编号 id", "项目名称 title", "状态 status", "责任单位 unit", "分管领导 leader", "完成进度% percent", "已完成投资(元) spent",
        "年度计划投资(元) budget", "投资完成率% spent/budget", "超出计划投资 over budget", "下一时间节点 next milestone", "节点日期 milestone date",
        "完成时限 deadline", "剩余天数 days left", "逾期 overdue", "逾期原因 overdue reasons", "票决日期 voted", "计划公布 plan published",
        "计划逾期 plan late", "待整改问题 open problems",
    ]

    public static func row(_ p: ProjectProgress) -> [String] {
        [
            p.id, p.title, "\(p.status.chinese) \(p.status.rawValue)", p.unit ?? "", p.leader ?? "", "\(p.percent)", "\(p.spent)",
            p.budget.map(String.init) ?? "", p.spentPercentText ?? "", p.overBudget ? "是 yes" : "",
            p.nextMilestone.map { "\($0.milestone.id) \($0.milestone.text)" } ?? "", p.nextMilestone?.milestone.date.description ?? "",
            p.deadline?.description ?? "", p.daysLeft.map(String.init) ?? "", p.overdue ? "是 yes" : "否 no",
            p.overdueReasons.map(\.text).joined(separator: "；"), p.votedOn.description, p.planPublishedOn?.description ?? "",
            p.planLate ? "是 yes" : "", "\(p.openProblems)",
        ]
    }

    public static func text(_ p: ProjectProgress) -> String {
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

/// `implement plan`.
public struct PlanOutput: Codable, Sendable, Equatable {
    public struct Milestone: Codable, Sendable, Equatable {
        public let id: String
        public let date: String
        public let text: String
    }

    public let id: String
    public let project: String
    public let title: String
    public let unit: String
    public let leader: String
    public let budget: Int64
    public let deadline: String
    public let milestones: [Milestone]
    public let votedOn: String
    public let dueBy: String
    public let publishedOn: String
    /// Days from the vote to the plan's publication.
    public let daysAfterVote: Int
    public let late: Bool
    public let warnings: [String]

    public init(_ decided: Warned<PlanPublished>) {
        let plan = decided.event
        id = plan.project
        project = plan.project
        title = plan.title
        unit = plan.unit
        leader = plan.leader
        budget = plan.budget
        deadline = plan.deadline.description
        milestones = plan.milestones.map { Milestone(id: $0.id, date: $0.date.description, text: $0.text) }
        votedOn = plan.votedOn.description
        dueBy = plan.dueBy.description
        publishedOn = plan.publishedOn.description
        daysAfterVote = plan.votedOn.days(until: plan.publishedOn)
        late = plan.late
        warnings = decided.warnings
    }
}

/// `implement progress`.
public struct ProgressOutput: Codable, Sendable, Equatable {
    public struct Evidence: Codable, Sendable, Equatable {
        public let name: String
        public let sha256: String
        public let bytes: Int
    }

    public let project: String
    public let percent: Int
    public let previousPercent: Int
    public let spent: Int64
    public let budget: Int64?
    public let overBudget: Bool
    public let status: String
    public let statusText: String
    public let reached: [String]
    public let evidence: [Evidence]
    public let warnings: [String]

    public init(report decided: Warned<ProgressReported>, status: ProjectProgress?) {
        let report = decided.event
        project = report.project
        percent = report.percent
        previousPercent = report.previousPercent
        spent = status?.spent ?? report.spent ?? 0
        budget = status?.budget
        overBudget = status?.overBudget ?? false
        self.status = status?.status.rawValue ?? ""
        statusText = status?.status.chinese ?? ""
        reached = report.reached
        evidence = report.evidence.map { Evidence(name: $0.name, sha256: $0.sha256, bytes: $0.bytes) }
        warnings = decided.warnings
    }
}

/// `implement adjust`.
public struct AdjustOutput: Codable, Sendable, Equatable {
    public let project: String
    public let kind: String
    public let status: String
    public let decision: String
    public let decidedBy: String
    public let decidedOn: String

    public init(event: AdjustmentDecided, status: ImplementationStatus) {
        project = event.project
        kind = event.adjustment.rawValue
        self.status = status.rawValue
        decision = event.decision
        decidedBy = event.decidedBy
        decidedOn = event.decidedOn.description
    }
}

/// `implement problem open|assign|close`.
public struct ProblemOutput: Codable, Sendable, Equatable {
    public let id: String
    public let project: String
    public let status: String
    public let unit: String?

    public init(_ event: ProblemRecorded) {
        id = event.id
        project = event.project
        status = event.action == .close ? "closed" : "open"
        unit = event.unit
    }
}

/// `implement problem list`.
public struct ProblemListOutput: Codable, Sendable, Equatable {
    public let problems: [ProblemRow]

    public init(_ items: [ProblemItem]) { problems = items.map(ProblemRow.init) }
}

/// `implement status`.
public struct ImplementationStatusOutput: Codable, Sendable, Equatable {
    public let asOf: String
    public let overdue: Int
    public let projects: [ProjectStatusRow]

    public init(asOf: Day, projects: [ProjectProgress]) {
        self.asOf = asOf.description
        overdue = projects.filter(\.overdue).count
        self.projects = projects.map(ProjectStatusRow.init)
    }
}

/// `implement report`.
public struct ImplementationReportOutput: Codable, Sendable, Equatable {
    public let dir: String
    public let file: String
    public let asOf: String
    public let projects: Int
    public let overdue: Int

    public init(dir: String, file: String, overview: ImplementationOverview) {
        self.dir = dir
        self.file = file
        asOf = overview.asOf.description
        projects = overview.projects.count
        overdue = overview.projects.filter(\.overdue).count
    }
}
