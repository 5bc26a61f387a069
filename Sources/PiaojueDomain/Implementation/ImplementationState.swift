/// A project a tallied session chose: the only kind of project Stage 3 plans and follows.
public struct VotedProject: Sendable, Equatable {
    public var id: String
    public var title: String
    /// The ballot session whose tally chose it, its candidate list, and the tally's ledger index.
    public var session: String
    public var list: String
    public var tallyEntry: Int
    /// The date of the vote (the tally).
    public var votedOn: Day
    /// 投资估算 and 责任单位 as proposed (before any plan).
    public var estimate: Int64?
    public var proposedUnit: String?

    /// A chosen project as the tally recorded it.
    public init(
        id: String, title: String, session: String, list: String, tallyEntry: Int, votedOn: Day, estimate: Int64? = nil,
        proposedUnit: String? = nil
    ) {
        self.id = id
        self.title = title
        self.session = session
        self.list = list
        self.tallyEntry = tallyEntry
        self.votedOn = votedOn
        self.estimate = estimate
        self.proposedUnit = proposedUnit
    }
}

/// Where a chosen project stands: planned → in progress → completed / partially completed /
/// suspended / terminated (RULES.md Stage 3), plus `unplanned` before its plan is published.
public enum ImplementationStatus: String, Codable, Sendable, CaseIterable {
    /// Chosen, no plan published yet.
    case unplanned
    /// Plan published, no work reported yet.
    case planned
    /// Work reported (percent or funds above zero), not finished.
    case inProgress = "in-progress"
    /// 100 % reported.
    case completed
    /// Closed by a final report below 100 %.
    case partiallyCompleted = "partially-completed"
    /// 暂缓 by decision.
    case suspended
    /// 终止 by decision.
    case terminated

    /// The Chinese words clerks use.
    public var chinese: String {
        switch self {
        case .unplanned: "未制定计划"
        case .planned: "已制定计划"
        case .inProgress: "实施中"
        case .completed: "已完成"
        case .partiallyCompleted: "部分完成"
        case .suspended: "暂缓"
        case .terminated: "终止"
        }
    }

    /// Still being worked on: deadlines and milestones apply.
    public var isActive: Bool { self == .unplanned || self == .planned || self == .inProgress }
}

/// One problem or rectification item and its life so far.
public struct ProblemItem: Sendable, Equatable {
    public let id: String
    public let project: String
    public var text: String
    /// The unit responsible now (the latest assignment).
    public var unit: String?
    public var openedOn: Day
    public var closedOn: Day?
    public var closeNote: String?

    /// Not yet closed.
    public var isOpen: Bool { closedOn == nil }
}

/// One chosen project and everything recorded about its implementation.
public struct ProjectRecord: Sendable, Equatable {
    public let project: VotedProject
    /// The plan as published.
    public var originalPlan: PlanPublished?
    /// The plan in force: the published one with every 重大调整 applied.
    public var plan: PlanPublished?
    public var reports: [ProgressReported] = []
    public var adjustments: [AdjustmentDecided] = []
    /// The latest reported percent and cumulative funds spent.
    public var percent = 0
    public var spent: Int64 = 0
    /// Milestone id → the day a report marked it reached.
    public var reached: [String: Day] = [:]
    public var isFinal = false
    public var isSuspended = false
    public var isTerminated = false

    /// A chosen project with nothing recorded yet.
    public init(project: VotedProject) { self.project = project }

    /// The project's id.
    public var id: String { project.id }

    /// The status by the records (independent of today).
    public var status: ImplementationStatus {
        if isTerminated { return .terminated }
        if isSuspended { return .suspended }
        if percent >= 100 { return .completed }
        if isFinal { return .partiallyCompleted }
        guard plan != nil else { return .unplanned }
        return percent > 0 || spent > 0 ? .inProgress : .planned
    }

    /// Evidence files shown across all reports.
    public var evidenceCount: Int { reports.reduce(0) { $0 + $1.evidence.count } }
}

/// A plan as asked for, before the rules check it.
public struct PlanRequest: Sendable, Equatable {
    public var project: String
    public var unit: String
    public var leader: String
    public var budget: Int64
    public var deadline: Day
    public var milestones: [Milestone]

    /// `milestones` are numbered in date order here.
    public init(project: String, unit: String, leader: String, budget: Int64, deadline: Day, milestones: [(date: Day, text: String)]) {
        self.project = project
        self.unit = unit.trimmingSpaces()
        self.leader = leader.trimmingSpaces()
        self.budget = budget
        self.deadline = deadline
        self.milestones = ImplementationInput.numbered(milestones)
    }
}

/// A progress report as asked for.
public struct ProgressRequest: Sendable, Equatable {
    public var project: String
    public var percent: Int
    public var spent: Int64?
    public var note: String?
    public var reached: [String]
    public var final: Bool
    public var evidence: [EvidenceFile]

    /// A report; a blank note counts as none.
    public init(
        project: String, percent: Int, spent: Int64? = nil, note: String? = nil, reached: [String] = [], final: Bool = false,
        evidence: [EvidenceFile] = []
    ) {
        self.project = project
        self.percent = percent
        self.spent = spent
        let trimmed = note?.trimmingSpaces() ?? ""
        self.note = trimmed.isEmpty ? nil : trimmed
        self.reached = reached
        self.final = final
        self.evidence = evidence
    }
}

/// A decision with a warning the clerk should see (it is recorded all the same).
public struct Warned<Event: Sendable & Equatable>: Sendable, Equatable {
    public let event: Event
    /// Bilingual sentences, Chinese first.
    public let warnings: [String]
}

/// Stage 3 state rebuilt from the ledger, and the decisions Stage 3 allows from it.
public struct ImplementationState: Sendable {
    public private(set) var records: [String: ProjectRecord] = [:]
    /// Chosen project ids in the order they were chosen.
    public private(set) var order: [String] = []
    public private(set) var problems: [String: ProblemItem] = [:]
    /// Problem ids in the order opened.
    public private(set) var problemOrder: [String] = []
    /// Proposals that exist but were not chosen: id → their status in Chinese (for messages).
    private var otherProposals: [String: String]

    /// The state before any Stage 3 entry: `projects` are the chosen ones, `otherProposals` every
    /// other proposal id with its status word, so an id that exists but was not chosen is refused
    /// as a rule (exit 1) while an id that does not exist is bad input (exit 2).
    public init(projects: [VotedProject], otherProposals: [String: String] = [:]) {
        var records: [String: ProjectRecord] = [:]
        var order: [String] = []
        for project in projects where records[project.id] == nil {
            records[project.id] = ProjectRecord(project: project)
            order.append(project.id)
        }
        self.records = records
        self.order = order
        self.otherProposals = otherProposals.filter { records[$0.key] == nil }
    }

    /// Chosen projects in the order chosen.
    public var projects: [ProjectRecord] { order.compactMap { records[$0] } }

    /// A project chosen by a tally after this state began (the auditor replays the ledger in order).
    public mutating func add(chosen project: VotedProject) {
        guard records[project.id] == nil else { return }
        records[project.id] = ProjectRecord(project: project)
        order.append(project.id)
        otherProposals[project.id] = nil
    }

    /// A proposal that exists but is not chosen (for messages telling "not chosen" from "unknown").
    public mutating func note(proposal id: String, status: String) {
        if records[id] == nil { otherProposals[id] = status }
    }

    /// The id the next problem gets.
    public var nextProblemID: String { "Q\(problemOrder.count + 1)" }

    // MARK: Replay

    /// Replays a published plan.
    public mutating func apply(_ event: PlanPublished) {
        records[event.project]?.originalPlan = event
        records[event.project]?.plan = event
    }

    /// Replays a progress report: latest percent and funds, milestones reached, closing.
    public mutating func apply(_ event: ProgressReported) {
        guard var record = records[event.project] else { return }
        record.reports.append(event)
        record.percent = event.percent
        if let spent = event.spent { record.spent = spent }
        for id in event.reached where record.reached[id] == nil { record.reached[id] = event.reportedOn }
        if event.percent >= 100 {
            for milestone in record.plan?.milestones ?? [] where record.reached[milestone.id] == nil {
                record.reached[milestone.id] = event.reportedOn
            }
        }
        if event.final { record.isFinal = true }
        records[event.project] = record
    }

    /// Replays one action on a problem item.
    public mutating func apply(_ event: ProblemRecorded) {
        switch event.action {
        case .open:
            problems[event.id] = ProblemItem(
                id: event.id, project: event.project, text: event.text ?? "", unit: event.unit, openedOn: event.recordedOn)
            problemOrder.append(event.id)
        case .assign:
            problems[event.id]?.unit = event.unit
        case .close:
            problems[event.id]?.closedOn = event.recordedOn
            problems[event.id]?.closeNote = event.note
        }
    }

    /// Replays a decided adjustment; a major change's terms replace the plan's.
    public mutating func apply(_ event: AdjustmentDecided) {
        guard var record = records[event.project] else { return }
        record.adjustments.append(event)
        switch event.adjustment {
        case .suspend: record.isSuspended = true
        case .resume: record.isSuspended = false
        case .terminate: record.isTerminated = true
        case .majorChange:
            if let changes = event.changes, var plan = record.plan {
                if let unit = changes.unit { plan.unit = unit }
                if let leader = changes.leader { plan.leader = leader }
                if let budget = changes.budget { plan.budget = budget }
                if let deadline = changes.deadline { plan.deadline = deadline }
                if let milestones = changes.milestones {
                    plan.milestones = milestones
                    record.reached = [:]
                    if record.percent >= 100 { for milestone in milestones { record.reached[milestone.id] = event.decidedOn } }
                }
                record.plan = plan
            }
        }
        records[event.project] = record
    }

    // MARK: Decisions

    /// The chosen project `id`: bad input (exit 2) when no proposal has that id, refused (exit 1)
    /// when the proposal exists but no tallied session chose it.
    public func project(_ id: String) throws(ImplementationRefusal) -> ProjectRecord {
        if let record = records[id] { return record }
        if let status = otherProposals[id] {
            throw .notChosen(project: id, status: status)
        }
        throw .unknownProject(project: id, chosen: order)
    }

    /// The implementation plan of a chosen project: once per project (later changes go through
    /// `adjust --kind major-change` with a decision); dates not before the vote; milestones not after
    /// the deadline; a project running past the vote's year states a milestone in every year before
    /// its last. A plan later than `planDeadlineDays` after the vote is recorded with a warning.
    public func decide(plan request: PlanRequest, today: Day, rules: ImplementationRules) throws(ImplementationRefusal) -> Warned<PlanPublished> {
        let record = try project(request.project)
        let project = record.project
        if record.isTerminated { throw Self.terminatedRefusal(record) }
        if let plan = record.plan { throw .planExists(project: project.id, publishedOn: plan.publishedOn.description) }
        guard !request.unit.isEmpty else { throw .missingUnit }
        guard !request.leader.isEmpty else { throw .missingLeader }
        try Self.checkToday(today, project: project)
        try Self.checkTerms(deadline: request.deadline, milestones: request.milestones, project: project)
        let dueBy = project.votedOn.adding(days: rules.planDeadlineDays)
        let event = PlanPublished(
            project: project.id, title: project.title, voteSession: project.session, tallyEntry: project.tallyEntry,
            votedOn: project.votedOn, unit: request.unit, leader: request.leader, budget: request.budget,
            deadline: request.deadline, milestones: request.milestones, publishedOn: today, dueBy: dueBy,
            planDeadlineDays: rules.planDeadlineDays)
        var warnings: [String] = []
        if event.late {
            warnings.append("实施计划应在票决后 \(rules.planDeadlineDays) 日内（\(dueBy) 前）公布，现已逾期 \(dueBy.days(until: today)) 日，已如实记录。The plan is \(dueBy.days(until: today)) days late (due \(dueBy)).")
        }
        if let estimate = project.estimate, request.budget > estimate {
            warnings.append("年度计划投资 \(Money.display(request.budget)) 高于票决时的投资估算 \(Money.display(estimate))。The planned budget is above the estimate voted on.")
        }
        return Warned(event: event, warnings: warnings)
    }

    /// A progress report: only after the plan, not on a suspended, terminated or closed project; a
    /// lower percent or lower funds spent than before needs a note; funds above the budget are
    /// recorded with a warning.
    public func decide(progress request: ProgressRequest, today: Day) throws(ImplementationRefusal) -> Warned<ProgressReported> {
        let record = try project(request.project)
        let id = record.id
        guard (0...100).contains(request.percent) else {
            throw .percentOutOfRange(percent: request.percent)
        }
        if record.isTerminated { throw Self.terminatedRefusal(record) }
        if record.isSuspended { throw .suspended(project: id, decision: record.adjustments.last?.decision ?? "") }
        guard let plan = record.plan else { throw .noPlan(project: id) }
        if record.isFinal || record.status == .partiallyCompleted { throw .closed(project: id, status: record.status.rawValue) }
        try Self.checkToday(today, project: record.project)
        if request.percent < record.percent, request.note == nil {
            throw .lowerPercent(project: id, from: record.percent, to: request.percent)
        }
        if let spent = request.spent, !(0...Money.maximum).contains(spent) { throw .spentOutOfRange(project: id, spent: spent) }
        if let spent = request.spent, spent < record.spent, request.note == nil {
            throw .lowerSpent(project: id, from: record.spent, to: spent)
        }
        var reached: [String] = []
        for milestoneID in request.reached {
            guard let milestone = plan.milestones.first(where: { $0.id == milestoneID }) else {
                throw .unknownMilestone(project: id, milestone: milestoneID, listed: plan.milestones.map { "\($0.id) \($0.date) \($0.text)" })
            }
            if let day = record.reached[milestone.id] {
                throw .milestoneReached(milestone: milestone.id, text: milestone.text, on: day.description)
            }
            if !reached.contains(milestone.id) { reached.append(milestone.id) }
        }
        let event = ProgressReported(
            project: id, reportedOn: today, percent: request.percent, previousPercent: record.percent, spent: request.spent,
            note: request.note, reached: reached, final: request.final, evidence: request.evidence)
        var warnings: [String] = []
        let spent = request.spent ?? record.spent
        if spent > plan.budget {
            warnings.append("已完成投资 \(Money.display(spent)) 超出年度计划投资 \(Money.display(plan.budget))（超出 \(Money.display(spent - plan.budget))），已记录，请说明原因。Funds spent exceed the planned budget.")
        }
        return Warned(event: event, warnings: warnings)
    }

    /// Opens a problem or rectification item on a chosen project.
    public func decide(openProblem project: String, text: String, unit: String?, today: Day) throws(ImplementationRefusal) -> ProblemRecorded {
        let record = try self.project(project)
        let statement = text.trimmingSpaces()
        guard !statement.isEmpty else { throw .emptyProblem }
        guard statement.count <= 4000 else { throw .problemTooLong(length: statement.count) }
        let trimmedUnit = unit?.trimmingSpaces()
        if let trimmedUnit, trimmedUnit.isEmpty { throw .emptyUnit }
        try Self.checkToday(today, project: record.project)
        return ProblemRecorded(id: nextProblemID, action: .open, project: record.id, text: statement, unit: trimmedUnit, recordedOn: today)
    }

    /// Names (or changes) the unit responsible for an open item.
    public func decide(assignProblem id: String, unit: String, today: Day) throws(ImplementationRefusal) -> ProblemRecorded {
        let item = try openProblem(id)
        let trimmed = unit.trimmingSpaces()
        guard !trimmed.isEmpty else { throw .emptyUnit }
        return ProblemRecorded(id: item.id, action: .assign, project: item.project, unit: trimmed, recordedOn: today)
    }

    /// Closes an open item with a note on how it was rectified.
    public func decide(closeProblem id: String, note: String, today: Day) throws(ImplementationRefusal) -> ProblemRecorded {
        let item = try openProblem(id)
        let trimmed = note.trimmingSpaces()
        guard !trimmed.isEmpty else { throw .emptyNote }
        return ProblemRecorded(id: item.id, action: .close, project: item.project, note: trimmed, recordedOn: today)
    }

    private func openProblem(_ id: String) throws(ImplementationRefusal) -> ProblemItem {
        guard let item = problems[id] else {
            throw .unknownProblem(problem: id)
        }
        if let closed = item.closedOn { throw .problemClosed(problem: id, on: closed.description, note: item.closeNote ?? "") }
        return item
    }

    /// 暂缓, 终止, 重大调整 or 恢复: only with the deciding body's reference (T15), never on a
    /// terminated or closed project; `changes` only with a major change of a planned project.
    public func decide(
        adjust id: String, kind: AdjustmentKind, reason: String, decision: String?, decidedBy: String, changes: PlanChanges?,
        today: Day
    ) throws(ImplementationRefusal) -> AdjustmentDecided {
        let record = try project(id)
        let body = decidedBy.trimmingSpaces()
        guard let decision = decision?.trimmingSpaces(), !decision.isEmpty else {
            throw .needsDecision(kind: kind.rawValue, body: body)
        }
        let why = reason.trimmingSpaces()
        guard !why.isEmpty else { throw .emptyReason }
        guard !body.isEmpty else { throw .emptyBody }
        if record.isTerminated { throw Self.terminatedRefusal(record) }
        switch record.status {
        case .completed, .partiallyCompleted:
            throw .notAdjustable(project: id, status: record.status.rawValue, kind: kind.rawValue)
        default: break
        }
        switch kind {
        case .suspend where record.isSuspended:
            throw .alreadySuspended(project: id)
        case .resume where !record.isSuspended:
            throw .notSuspended(project: id)
        case .majorChange where record.plan == nil:
            throw .nothingToChange(project: id)
        default: break
        }
        var recordedChanges: PlanChanges?
        if let changes, !changes.isEmpty {
            guard kind == .majorChange, let plan = record.plan else {
                throw .changesNeedMajorChange
            }
            if let unit = changes.unit, unit.trimmingSpaces().isEmpty { throw .emptyUnit }
            if let leader = changes.leader, leader.trimmingSpaces().isEmpty { throw .emptyLeader }
            try Self.checkTerms(
                deadline: changes.deadline ?? plan.deadline, milestones: changes.milestones ?? plan.milestones, project: record.project)
            if let milestones = changes.milestones { try Self.checkNumbered(milestones) }
            recordedChanges = changes
        }
        try Self.checkToday(today, project: record.project)
        return AdjustmentDecided(
            project: id, adjustment: kind, reason: why, decision: decision, decidedBy: body, decidedOn: today, changes: recordedChanges)
    }

    // MARK: Checks

    /// Milestones as a plan numbers them: in date order, `M1`, `M2` … in turn, each text not empty
    /// once trimmed and at most 500 characters (``ImplementationInput/milestone(_:)``).
    static func checkNumbered(_ milestones: [Milestone]) throws(ImplementationRefusal) {
        for (n, milestone) in milestones.enumerated() {
            let text = milestone.text
            guard milestone.id == "M\(n + 1)", n == 0 || milestones[n - 1].date <= milestone.date,
                !text.trimmingSpaces().isEmpty, text.count <= 500
            else { throw .changedMilestone(milestone: milestone.id) }
        }
    }

    static func checkToday(_ today: Day, project: VotedProject) throws(ImplementationRefusal) {
        guard today >= project.votedOn else {
            throw .beforeVote(project: project.id, today: today.description, votedOn: project.votedOn.description)
        }
    }

    static func checkTerms(deadline: Day, milestones: [Milestone], project: VotedProject) throws(ImplementationRefusal) {
        guard deadline >= project.votedOn else {
            throw .deadlineBeforeVote(deadline: deadline.description, votedOn: project.votedOn.description)
        }
        for milestone in milestones {
            guard milestone.date >= project.votedOn else {
                throw .milestoneBeforeVote(date: milestone.date.description, text: milestone.text, votedOn: project.votedOn.description)
            }
            guard milestone.date <= deadline else {
                throw .milestoneAfterDeadline(date: milestone.date.description, text: milestone.text, deadline: deadline.description)
            }
        }
        // A multi-year project states a yearly milestone: one in each year before its last.
        if deadline.year > project.votedOn.year {
            for year in project.votedOn.year..<deadline.year where !milestones.contains(where: { $0.date.year == year }) {
                throw .yearlyMilestone(project: project.id, deadline: deadline.description, year: year)
            }
        }
    }

    static func terminatedRefusal(_ record: ProjectRecord) -> ImplementationRefusal {
        let decision = record.adjustments.last { $0.adjustment == .terminate }
        return .terminated(project: record.id, decidedBy: decision?.decidedBy ?? "", decision: decision?.decision ?? "")
    }
}
