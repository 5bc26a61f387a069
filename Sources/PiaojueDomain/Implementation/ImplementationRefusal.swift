/// Why a Stage 3 · 组织实施 action is refused: bad input (exit 2) or a rule (exit 1).
public enum ImplementationRefusal: StageRefusal, Equatable {
    case notChosen(project: String, status: String)
    case unknownProject(project: String, chosen: [String])
    case planExists(project: String, publishedOn: String)
    case missingUnit
    case missingLeader
    case terminated(project: String, decidedBy: String, decision: String)
    case suspended(project: String, decision: String)
    case noPlan(project: String)
    case closed(project: String, status: String)
    case lowerPercent(project: String, from: Int, to: Int)
    case lowerSpent(project: String, from: Int64, to: Int64)
    /// Funds spent below zero or above the largest amount the ledger holds.
    case spentOutOfRange(project: String, spent: Int64)
    case unknownMilestone(project: String, milestone: String, listed: [String])
    case milestoneReached(milestone: String, text: String, on: String)
    case emptyProblem
    case problemTooLong(length: Int)
    case emptyUnit
    case emptyNote
    case unknownProblem(problem: String)
    case problemClosed(problem: String, on: String, note: String)
    case needsDecision(kind: String, body: String)
    case emptyReason
    case emptyBody
    case notAdjustable(project: String, status: String, kind: String)
    case alreadySuspended(project: String)
    case notSuspended(project: String)
    case nothingToChange(project: String)
    case changesNeedMajorChange
    case emptyLeader
    case beforeVote(project: String, today: String, votedOn: String)
    case deadlineBeforeVote(deadline: String, votedOn: String)
    case milestoneBeforeVote(date: String, text: String, votedOn: String)
    case milestoneAfterDeadline(date: String, text: String, deadline: String)
    case changedMilestone(milestone: String)
    case yearlyMilestone(project: String, deadline: String, year: Int)
    case evidence(why: String)
    case percentOutOfRange(percent: Int)

    public var plainCaseName: String? {
        switch self {
        case .missingUnit: "missingUnit"
        case .missingLeader: "missingLeader"
        case .emptyProblem: "emptyProblem"
        case .emptyUnit: "emptyUnit"
        case .emptyNote: "emptyNote"
        case .emptyReason: "emptyReason"
        case .emptyBody: "emptyBody"
        case .changesNeedMajorChange: "changesNeedMajorChange"
        case .emptyLeader: "emptyLeader"
        default: nil
        }
    }

    public var codePrefix: String { "implement" }

    public var exitStatus: Int32 {
        switch self {
        case .notChosen, .planExists, .terminated, .suspended, .noPlan, .closed, .lowerPercent, .lowerSpent, .problemClosed,
            .needsDecision, .notAdjustable, .alreadySuspended, .notSuspended, .nothingToChange, .yearlyMilestone:
            1
        default: 2
        }
    }

    public var description: String {
        switch self {
        case let .notChosen(id, status):
            "项目 \(id) 未经人大代表票决选中（状态：\(status)），不能制定实施计划或报告进度。Project \(id) was not chosen by a tallied vote."
        case let .unknownProject(id, chosen):
            "没有编号为 \(id) 的项目（\(chosen.isEmpty ? "目前还没有票决选中的项目" : "票决选中的项目：\(chosen.joined(separator: "、"))")），请用 `piaojue implement status` 查看。No project \(id)."
        case let .planExists(id, publishedOn):
            "项目 \(id) 已于 \(publishedOn) 公布实施计划；如需变更，须经决定后用 `piaojue implement adjust \(id) --kind major-change --decision 文号` 记录。\(id) already has a plan; changes need a decided major-change."
        case .missingUnit: "请用 --unit 写明责任单位。The responsible unit (--unit) is missing."
        case .missingLeader: "请用 --leader 写明分管领导。The leader in charge (--leader) is missing."
        case let .terminated(id, body, decision):
            "项目 \(id) 已经\(body)决定终止（\(decision)），不能再记录实施情况。\(id) is terminated."
        case let .suspended(id, decision):
            "项目 \(id) 已暂缓实施（\(decision)），恢复须经决定：`piaojue implement adjust \(id) --kind resume --decision 文号`。\(id) is suspended; resuming needs a decision."
        case let .noPlan(id): "项目 \(id) 尚未公布实施计划，请先 `piaojue implement plan \(id)`。\(id) has no plan yet."
        case let .closed(id, status):
            "项目 \(id) 已结项（\(ImplementationStatus(rawValue: status)?.chinese ?? status)），不再报告进度。\(id) is closed."
        case let .lowerPercent(id, from, to):
            "项目 \(id) 的完成进度从 \(from)% 降为 \(to)%，须用 --note 说明原因。A lower percent (\(from) → \(to)) needs --note."
        case let .spentOutOfRange(id, spent):
            "项目 \(id) 的已完成投资 \(spent) 元不在 0 到 \(Money.maximum) 元之间。Funds spent must be between 0 and \(Money.maximum) yuan."
        case let .lowerSpent(id, from, to):
            "项目 \(id) 的已完成投资从 \(Money.display(from)) 降为 \(Money.display(to))，须用 --note 说明原因（已完成投资为累计数）。Funds spent are cumulative; a lower figure needs --note."
        case let .unknownMilestone(id, milestone, listed):
            "项目 \(id) 没有时间节点 \(milestone)（\(listed.isEmpty ? "计划中没有时间节点" : listed.joined(separator: "；"))）。No milestone \(milestone)."
        case let .milestoneReached(milestone, text, on):
            "时间节点 \(milestone)（\(text)）已于 \(on) 记为完成。Milestone \(milestone) was already reached on \(on)."
        case .emptyProblem: "请用 --text 写明问题。The problem (--text) is empty."
        case let .problemTooLong(length): "问题描述过长（\(length) 字，上限 4000）。The text is too long."
        case .emptyUnit: "--unit 不能为空。--unit is empty."
        case .emptyNote: "请用 --note 写明整改情况。The note (--note) is empty."
        case let .unknownProblem(id): "没有编号为 \(id) 的问题清单项，请用 `piaojue implement problem list` 查看。No problem item \(id)."
        case let .problemClosed(id, on, note): "问题 \(id) 已于 \(on) 整改销号（\(note)）。Item \(id) is closed."
        case let .needsDecision(kind, body):
            "项目\(AdjustmentKind(rawValue: kind)?.chinese ?? kind)须经\(body.isEmpty ? "人大常委会或乡镇人民代表大会" : body)作出决定，请用 --decision 写明决定文号；未记录。A \(kind) takes effect only with the deciding body's decision (--decision REF); nothing was recorded."
        case .emptyReason: "请用 --reason 写明调整原因。The reason (--reason) is empty."
        case .emptyBody: "请写明作出决定的机关。The deciding body is empty."
        case let .notAdjustable(id, status, kind):
            "项目 \(id) 已\(ImplementationStatus(rawValue: status)?.chinese ?? status)，不能再\(AdjustmentKind(rawValue: kind)?.chinese ?? kind)。\(id) is \(status)."
        case let .alreadySuspended(id): "项目 \(id) 已处于暂缓状态。\(id) is already suspended."
        case let .notSuspended(id): "项目 \(id) 没有暂缓，无需恢复。\(id) is not suspended."
        case let .nothingToChange(id):
            "项目 \(id) 尚未公布实施计划，没有可调整的计划；请先 `piaojue implement plan \(id)`。\(id) has no plan to change."
        case .changesNeedMajorChange: "只有重大调整（--kind major-change）可以变更计划内容。Only a major change changes the plan's terms."
        case .emptyLeader: "--leader 不能为空。--leader is empty."
        case let .beforeVote(id, today, votedOn):
            "今天（\(today)）早于项目 \(id) 的票决日期 \(votedOn)，请检查日期（PIAOJUE_NOW）。Today \(today) is before the vote on \(votedOn)."
        case let .deadlineBeforeVote(deadline, votedOn):
            "完成时限 \(deadline) 早于票决日期 \(votedOn)。The deadline \(deadline) is before the vote (\(votedOn))."
        case let .milestoneBeforeVote(date, text, votedOn):
            "时间节点 \(date)（\(text)）早于票决日期 \(votedOn)。The milestone \(date) is before the vote."
        case let .changedMilestone(milestone):
            "调整后的时间节点 \(milestone) 无效：时间节点须按日期先后依次编号 M1、M2…，内容不能为空且不超过 500 字。The changed milestone \(milestone) is not in date order, not numbered in turn, or its text is empty or over 500 characters."
        case let .milestoneAfterDeadline(date, text, deadline):
            "时间节点 \(date)（\(text)）晚于完成时限 \(deadline)。The milestone \(date) is after the deadline \(deadline)."
        case let .yearlyMilestone(id, deadline, year):
            "项目 \(id) 跨年度实施（完成时限 \(deadline)），须为 \(year) 年列出年度时间节点（--milestone \(year)-12-31:年度目标）。A multi-year project needs a milestone in \(year)."
        case let .evidence(why): "证明材料：\(why)"
        case let .percentOutOfRange(percent): "完成进度 \(percent)% 超出范围，应在 0 到 100 之间。Percent \(percent) is outside 0–100."
        }
    }
}
