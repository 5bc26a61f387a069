/// Why a project is overdue on a given day.
public enum OverdueReason: Sendable, Equatable {
    /// No plan published and the plan's due day has passed.
    case planNotPublished(dueBy: Day)
    /// A milestone's day has passed and no report marked it reached.
    case milestone(Milestone)
    /// The deadline has passed below 100 %.
    case deadline(Day)

    /// A short stable code for scripts: `plan`, `milestone:M1`, `deadline`.
    public var code: String {
        switch self {
        case .planNotPublished: "plan"
        case let .milestone(milestone): "milestone:\(milestone.id)"
        case .deadline: "deadline"
        }
    }

    /// One bilingual phrase.
    public var text: String {
        switch self {
        case let .planNotPublished(due): "实施计划逾期未公布（应于 \(due) 前）plan not published (due \(due))"
        case let .milestone(m): "时间节点 \(m.id)「\(m.text)」\(m.date) 未完成 milestone \(m.id) missed"
        case let .deadline(day): "已过完成时限 \(day) deadline passed"
        }
    }
}

/// A milestone of the plan in force, as it stands on a given day.
public struct MilestoneProgress: Sendable, Equatable {
    public let milestone: Milestone
    /// The day a report marked it reached, or nil.
    public let reachedOn: Day?
    /// Days from today to its day (negative once past).
    public let daysLeft: Int

    /// Past and not reached.
    public var missed: Bool { reachedOn == nil && daysLeft < 0 }
}

/// Everything the supervision meeting asks about one project, computed for one day (年中问进度).
public struct ProjectProgress: Sendable, Equatable {
    public let id: String
    public let title: String
    /// 责任单位 and 分管领导 of the plan in force (the proposed unit before a plan).
    public let unit: String?
    public let leader: String?
    public let status: ImplementationStatus
    public let percent: Int
    /// 已完成投资 (cumulative) and 年度计划投资, whole 元; `budget` is nil before a plan.
    public let spent: Int64
    public let budget: Int64?
    /// spent ÷ budget in tenths of a percent, rounded down (nil without a positive budget).
    public let spentPermille: Int?
    /// Funds spent above the budget (shown red).
    public let overBudget: Bool
    public let votedOn: Day
    /// The plan's due day (vote + `planDeadlineDays`), when it was published, and whether it
    /// was late (or, still unpublished on an active project, is late now).
    public let planDueBy: Day
    public let planPublishedOn: Day?
    public let planLate: Bool
    public let deadline: Day?
    /// Days from today to the deadline (negative once past) while the project is active.
    public let daysLeft: Int?
    public let milestones: [MilestoneProgress]
    /// The earliest milestone not reached, while the project is active.
    public let nextMilestone: MilestoneProgress?
    /// A milestone or the deadline (or the plan's due day) passed and the project is not
    /// completed. Suspended, terminated and closed projects are never overdue: a decision or a
    /// final report settled them.
    public let overdue: Bool
    public let overdueReasons: [OverdueReason]
    public let openProblems: Int
    public let problems: Int
    public let lastReportOn: Day?
    public let evidenceCount: Int
    public let adjustments: [AdjustmentDecided]

    /// spent ÷ budget as a percent with one decimal, e.g. `41.6`, or nil.
    public var spentPercentText: String? {
        spentPermille.map { "\($0 / 10).\($0 % 10)" }
    }
}

extension ImplementationState {
    /// Every chosen project as it stands on `today`, in the order chosen.
    public func progress(today: Day, rules: ImplementationRules) -> [ProjectProgress] {
        projects.map { progress(of: $0, today: today, rules: rules) }
    }

    /// One project as it stands on `today`.
    public func progress(of record: ProjectRecord, today: Day, rules: ImplementationRules) -> ProjectProgress {
        let status = record.status
        let plan = record.plan
        let dueBy = record.originalPlan?.dueBy ?? record.project.votedOn.adding(days: rules.planDeadlineDays)
        let active = status.isActive
        let milestones = (plan?.milestones ?? []).map { milestone in
            MilestoneProgress(milestone: milestone, reachedOn: record.reached[milestone.id], daysLeft: today.days(until: milestone.date))
        }
        var reasons: [OverdueReason] = []
        if active {
            if let plan {
                for milestone in milestones where milestone.missed { reasons.append(.milestone(milestone.milestone)) }
                if today > plan.deadline, record.percent < 100 { reasons.append(.deadline(plan.deadline)) }
            } else if today > dueBy {
                reasons.append(.planNotPublished(dueBy: dueBy))
            }
        }
        let planLate = record.originalPlan.map { $0.publishedOn > $0.dueBy } ?? (active && today > dueBy)
        var permille: Int?
        if let budget = plan?.budget, budget > 0 {
            let (product, overflow) = record.spent.multipliedReportingOverflow(by: 1000)
            permille = overflow ? Int.max : Int(product / budget)
        }
        let projectProblems = problemOrder.compactMap { problems[$0] }.filter { $0.project == record.id }
        return ProjectProgress(
            id: record.id, title: record.project.title, unit: plan?.unit ?? record.project.proposedUnit, leader: plan?.leader,
            status: status, percent: record.percent, spent: record.spent, budget: plan?.budget, spentPermille: permille,
            overBudget: plan.map { record.spent > $0.budget } ?? false, votedOn: record.project.votedOn, planDueBy: dueBy,
            planPublishedOn: record.originalPlan?.publishedOn, planLate: planLate,
            deadline: plan?.deadline, daysLeft: active ? plan.map { today.days(until: $0.deadline) } : nil,
            milestones: milestones, nextMilestone: active ? milestones.first { $0.reachedOn == nil } : nil,
            overdue: !reasons.isEmpty, overdueReasons: reasons,
            openProblems: projectProblems.filter(\.isOpen).count, problems: projectProblems.count,
            lastReportOn: record.reports.last?.reportedOn, evidenceCount: record.evidenceCount, adjustments: record.adjustments)
    }
}
