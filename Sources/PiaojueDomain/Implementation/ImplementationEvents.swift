/// Ledger payloads of Stage 3 · 组织实施. Each struct is the `payload` of one entry kind.
///
/// Four kinds: `implement.plan` (the plan of a chosen project), `implement.progress` (a progress
/// report), `implement.problem` (a problem or rectification item: opened, assigned, closed — one
/// kind, told apart by `action`) and `implement.adjust` (a decided 暂缓 / 终止 / 重大调整 / 恢复).
/// None carries a `session` key: they belong to the project, not to a ballot session.

/// A dated step of an implementation plan (时间节点).
public struct Milestone: Codable, Sendable, Equatable {
    /// `M1`, `M2` … numbered in date order within the plan.
    public var id: String
    public var date: Day
    public var text: String

    /// A milestone with its id.
    public init(id: String, date: Day, text: String) {
        self.id = id
        self.date = date
        self.text = text
    }
}

/// `implement.plan`: the implementation plan (实施方案) of a project chosen by a tallied session.
public struct PlanPublished: EntryPayload, Equatable {
    public static let kind = "implement.plan"
    /// The chosen project (proposal id, e.g. `P3`).
    public var project: String
    /// Its title as frozen on the candidate list.
    public var title: String
    /// The ballot session whose tally chose the project, that tally's ledger index and its date.
    public var voteSession: String
    public var tallyEntry: Int
    public var votedOn: Day
    /// 责任单位.
    public var unit: String
    /// 分管领导.
    public var leader: String
    /// 年度计划投资 in whole 元.
    public var budget: Int64
    /// 完成时限.
    public var deadline: Day
    /// 时间节点, in date order.
    public var milestones: [Milestone]
    /// The day the plan was recorded.
    public var publishedOn: Day
    /// The day the plan was due: the vote plus the rules' `plan_deadline_days`.
    public var dueBy: Day
    /// The rules' `plan_deadline_days` that gave `dueBy` (format 2; absent in format 1).
    public var planDeadlineDays: Int?
    /// True when `publishedOn` is after `dueBy` (the plan was published late).
    public var late: Bool

    /// A plan; `late` is computed from `publishedOn` and `dueBy`.
    public init(
        project: String, title: String, voteSession: String, tallyEntry: Int, votedOn: Day, unit: String, leader: String,
        budget: Int64, deadline: Day, milestones: [Milestone], publishedOn: Day, dueBy: Day, planDeadlineDays: Int? = nil
    ) {
        self.project = project
        self.title = title
        self.voteSession = voteSession
        self.tallyEntry = tallyEntry
        self.votedOn = votedOn
        self.unit = unit
        self.leader = leader
        self.budget = budget
        self.deadline = deadline
        self.milestones = milestones
        self.publishedOn = publishedOn
        self.dueBy = dueBy
        self.planDeadlineDays = planDeadlineDays
        self.late = publishedOn > dueBy
    }
}

/// A file shown as evidence (photo, acceptance document): its name and SHA-256, never its content.
public struct EvidenceFile: Codable, Sendable, Equatable {
    /// The file name without its folder.
    public var name: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public var sha256: String
    /// The file's size in bytes.
    public var bytes: Int

    /// An evidence file's name, hash and size.
    public init(name: String, sha256: String, bytes: Int) {
        self.name = name
        self.sha256 = sha256
        self.bytes = bytes
    }
}

/// `implement.progress`: a progress report (年中问进度).
public struct ProgressReported: EntryPayload, Equatable {
    public static let kind = "implement.progress"
    public var project: String
    /// The day of the report.
    public var reportedOn: Day
    /// Percent done, 0–100.
    public var percent: Int
    /// The percent of the report before this one (0 for the first).
    public var previousPercent: Int
    /// 已完成投资: funds spent so far, cumulative, whole 元; nil when not reported this time.
    public var spent: Int64?
    /// Why, in the reporter's words; required for a decrease.
    public var note: String?
    /// Milestone ids reached with this report (a report at 100 % reaches every milestone).
    public var reached: [String]
    /// 结项: the last report; below 100 % the project is partially completed.
    public var final: Bool
    /// Files shown, by name and hash.
    public var evidence: [EvidenceFile]

    /// A progress report with every field given.
    public init(
        project: String, reportedOn: Day, percent: Int, previousPercent: Int, spent: Int64?, note: String?,
        reached: [String], final: Bool, evidence: [EvidenceFile]
    ) {
        self.project = project
        self.reportedOn = reportedOn
        self.percent = percent
        self.previousPercent = previousPercent
        self.spent = spent
        self.note = note
        self.reached = reached
        self.final = final
        self.evidence = evidence
    }
}

/// `implement.problem`: a problem and its rectification item (问题/责任/整改清单).
///
/// One kind for the item's whole life: `open` states it, `assign` names the responsible unit
/// (again to reassign), `close` records how it was rectified.
public struct ProblemRecorded: EntryPayload, Equatable {
    public static let kind = "implement.problem"

    /// What this entry does to the item.
    public enum Action: String, Codable, Sendable {
        case open, assign, close
    }

    /// The item's id, `Q1`, `Q2` … in the order opened.
    public var id: String
    public var action: Action
    /// The project the item belongs to (repeated on every action).
    public var project: String
    /// `open`: the problem as stated.
    public var text: String?
    /// `open` (optional) and `assign`: the unit responsible for rectifying it.
    public var unit: String?
    /// `close`: how it was rectified.
    public var note: String?
    /// The day recorded.
    public var recordedOn: Day

    /// One action on a problem item.
    public init(
        id: String, action: Action, project: String, text: String? = nil, unit: String? = nil, note: String? = nil,
        recordedOn: Day
    ) {
        self.id = id
        self.action = action
        self.project = project
        self.text = text
        self.unit = unit
        self.note = note
        self.recordedOn = recordedOn
    }
}

/// What a decided adjustment does.
public enum AdjustmentKind: String, Codable, Sendable, CaseIterable {
    /// 暂缓: the project stops until a decision resumes it.
    case suspend
    /// 终止: the project ends; nothing more is reported on it.
    case terminate
    /// 重大调整: the plan's terms change (unit, leader, budget, deadline, milestones).
    case majorChange = "major-change"
    /// 恢复实施: a suspended project resumes.
    case resume

    /// The kind from its English word or 暂缓 / 终止 / 重大调整 / 恢复.
    public init(word: String) throws(InputFailure) {
        switch word.trimmingSpaces().lowercased() {
        case "suspend", "暂缓", "暂缓实施": self = .suspend
        case "terminate", "终止", "终止实施": self = .terminate
        case "major-change", "重大调整", "调整": self = .majorChange
        case "resume", "恢复", "恢复实施": self = .resume
        default:
            throw .adjustmentKind(word: word)
        }
    }

    /// The Chinese word.
    public var chinese: String {
        switch self {
        case .suspend: "暂缓"
        case .terminate: "终止"
        case .majorChange: "重大调整"
        case .resume: "恢复实施"
        }
    }
}

/// The plan terms a 重大调整 replaces; nil fields stay as they were.
public struct PlanChanges: Codable, Sendable, Equatable {
    public var unit: String?
    public var leader: String?
    public var budget: Int64?
    public var deadline: Day?
    /// When given, the whole milestone list is replaced (and their reached marks start afresh).
    public var milestones: [Milestone]?

    /// New terms; nil keeps the old one.
    public init(unit: String? = nil, leader: String? = nil, budget: Int64? = nil, deadline: Day? = nil, milestones: [Milestone]? = nil) {
        self.unit = unit
        self.leader = leader
        self.budget = budget
        self.deadline = deadline
        self.milestones = milestones
    }

    /// True when nothing is changed.
    public var isEmpty: Bool { unit == nil && leader == nil && budget == nil && deadline == nil && milestones == nil }
}

/// `implement.adjust`: 暂缓, 终止, 重大调整 or 恢复, in force only with the deciding body's
/// decision (人大常委会 at county level and above, 乡镇人民代表大会 in a township) — T15.
public struct AdjustmentDecided: EntryPayload, Equatable {
    public static let kind = "implement.adjust"
    public var project: String
    public var adjustment: AdjustmentKind
    /// Why (force majeure, policy change …).
    public var reason: String
    /// The deciding body's reference (决定文号 / 会议纪要).
    public var decision: String
    /// The deciding body.
    public var decidedBy: String
    /// The day recorded.
    public var decidedOn: Day
    /// For `major-change`: the new plan terms, when the decision changes any.
    public var changes: PlanChanges?

    /// A decided adjustment with every field given.
    public init(
        project: String, adjustment: AdjustmentKind, reason: String, decision: String, decidedBy: String, decidedOn: Day,
        changes: PlanChanges? = nil
    ) {
        self.project = project
        self.adjustment = adjustment
        self.reason = reason
        self.decision = decision
        self.decidedBy = decidedBy
        self.decidedOn = decidedOn
        self.changes = changes
    }
}
