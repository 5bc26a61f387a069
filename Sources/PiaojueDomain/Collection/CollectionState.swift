/// One proposal and everything decided about it so far.
public struct ProposalRecord: Sendable, Equatable {
    public let id: String
    public var proposal: Proposal
    public var status: ProposalStatus
    /// Every proposer, the merged-in ones included (一事一提, both sources kept).
    public var proposers: [Proposer]
    public var rejectReason: String?
    public var note: String?
    public var mergedInto: String?
    public var mergedFrom: [String] = []
    /// The latest candidate list this proposal was on.
    public var list: String?
    public var possibleDuplicateOf: String?
}

/// The outcome of a counted round for the proposals on its list.
public struct ListOutcome: Sendable, Equatable {
    public var list: String
    public var chosen: [String]
    /// Lost: go to the reserve pool (T20).
    public var notChosen: [String]

    public init(list: String, chosen: [String], notChosen: [String]) {
        self.list = list
        self.chosen = chosen
        self.notChosen = notChosen
    }
}

/// Stage 1 state rebuilt from the ledger, and the decisions Stage 1 allows from it.
public struct CollectionState: Sendable {
    public private(set) var records: [String: ProposalRecord] = [:]
    /// Proposal ids in submission order.
    public private(set) var order: [String] = []
    /// Approval steps recorded since the last frozen list, in order.
    public private(set) var pendingApprovals: [ListStepApproved] = []
    public private(set) var lists: [String: ListFrozen] = [:]
    public private(set) var listOrder: [String] = []
    /// Proposal ids by trimmed title and location, in submission order: the duplicate check looks
    /// here instead of scanning every proposal (an import of 10,000 rows stays linear).
    private var idsByTitleAndLocation: [String: [String]] = [:]

    public init() {}

    private static func duplicateKey(title: String, location: String?) -> String {
        title.trimmingSpaces() + "\u{0}" + (location ?? "").trimmingSpaces()
    }

    /// The id the next proposal gets.
    public var nextProposalID: String { "P\(order.count + 1)" }
    /// The id the next candidate list gets.
    public var nextListID: String { "L\(listOrder.count + 1)" }

    /// Proposals in submission order.
    public var proposals: [ProposalRecord] { order.compactMap { records[$0] } }

    /// The reserve pool (储备库): accepted but not listed, and candidates who lost a vote.
    public var reservePool: [ProposalRecord] { proposals.filter { $0.status.isInReservePool } }

    // MARK: Replay

    public mutating func apply(_ event: ProposalSubmitted) {
        var proposers: [Proposer] = []
        if var proposer = event.proposal.proposer {
            if proposer.channel == nil { proposer.channel = event.proposal.channel }
            proposers.append(proposer)
        } else if let channel = event.proposal.channel {
            proposers.append(Proposer(name: "", channel: channel))
        }
        records[event.id] = ProposalRecord(
            id: event.id, proposal: event.proposal, status: .submitted, proposers: proposers,
            possibleDuplicateOf: event.possibleDuplicateOf)
        order.append(event.id)
        idsByTitleAndLocation[Self.duplicateKey(title: event.proposal.title, location: event.proposal.location), default: []]
            .append(event.id)
    }

    public mutating func apply(_ event: ProposalScreened) {
        guard var record = records[event.id] else { return }
        record.note = event.note ?? record.note
        switch event.decision {
        case .accept: record.status = .accepted
        case .reject:
            record.status = .rejected
            record.rejectReason = event.reason
        case .merge:
            record.status = .merged
            record.mergedInto = event.into
            if let target = event.into, var into = records[target] {
                into.proposers.append(contentsOf: record.proposers)
                into.mergedFrom.append(event.id)
                records[target] = into
            }
        }
        records[event.id] = record
    }

    public mutating func apply(_ event: ListStepApproved) { pendingApprovals.append(event) }

    public mutating func apply(_ event: ListFrozen) {
        lists[event.list] = event
        listOrder.append(event.list)
        pendingApprovals = []
        let onList = Set(event.candidates.map(\.id))
        for id in order {
            guard var record = records[id] else { continue }
            if onList.contains(id) {
                record.status = .shortlisted
                record.list = event.list
            } else if record.status == .accepted {
                record.status = .reserve
            }
            records[id] = record
        }
    }

    public mutating func apply(_ outcome: ListOutcome) {
        for id in outcome.chosen { records[id]?.status = .chosen }
        for id in outcome.notChosen { records[id]?.status = .notChosen }
    }

    // MARK: Decisions

    /// Checks a new proposal against the rules; returns the id of a possible duplicate (same title
    /// and location as a proposal still in play), which is pointed out but does not block.
    public func check(submit proposal: Proposal, rules: CollectionRules) throws(InputError) -> String? {
        let required: [ProposalField] = [.title, .category, .content] + rules.requiredFields
        for field in required where !proposal.has(field) {
            throw InputError("缺少必填项“\(field.chineseName)”(\(field.rawValue))，请补充后再提交。The required field \(field.rawValue) is missing.")
        }
        guard rules.categories.contains(proposal.category) else {
            throw InputError("类别“\(proposal.category)”不在规则文件的类别清单中（\(rules.categories.joined(separator: "、"))）。Unknown category \"\(proposal.category)\".")
        }
        if let channel = proposal.channel, !rules.channels.isEmpty, !rules.channels.contains(channel) {
            throw InputError("征集渠道“\(channel)”不在规则文件的渠道清单中（\(rules.channels.joined(separator: "、"))）。Unknown channel \"\(channel)\".")
        }
        for (name, text) in [("项目名称 title", proposal.title), ("建设内容 content", proposal.content)] where text.count > 4000 {
            throw InputError("\(name) 过长（\(text.count) 字，上限 4000）。The field is too long.")
        }
        let key = Self.duplicateKey(title: proposal.title, location: proposal.location)
        return idsByTitleAndLocation[key]?.first { id in
            guard let status = records[id]?.status else { return false }
            return status != .merged && status != .rejected
        }
    }

    /// The screening decision for proposal `id`.
    public func decide(
        screen id: String, decision: ProposalScreened.Decision, reason: String?, into target: String?, note: String?,
        rules: CollectionRules
    ) throws(DomainFailure) -> ProposalScreened {
        guard let record = records[id] else { throw .input(Self.unknown(id)) }
        switch decision {
        case .accept:
            guard record.status == .submitted else { throw .rule(Self.alreadyScreened(record)) }
            return ProposalScreened(id: id, decision: .accept, note: note)
        case .reject:
            guard record.status == .submitted || record.status == .accepted || record.status.isInReservePool else {
                throw .rule(Self.alreadyScreened(record))
            }
            let listed = rules.negativeList.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "；")
            guard let reason, let resolved = Self.resolveReason(reason, in: rules.negativeList) else {
                throw .input(InputError("不予采纳的理由“\(reason ?? "")”不在负面清单中，请选用：\(listed)（可写序号；其他说明用 --note）。The reason must come from the negative list."))
            }
            return ProposalScreened(id: id, decision: .reject, reason: resolved, note: note)
        case .merge:
            guard let target else { throw .input(InputError("合并需要指定目标项目 --merge-into。Merging needs --merge-into.")) }
            guard let into = records[target] else { throw .input(Self.unknown(target)) }
            guard target != id else { throw .input(InputError("项目 \(id) 不能合并到自身。A proposal cannot be merged into itself.")) }
            guard record.status == .submitted || record.status == .accepted else { throw .rule(Self.alreadyScreened(record)) }
            guard into.status == .submitted || into.status == .accepted || into.status.isInReservePool else {
                throw .rule(RuleRefusal("目标项目 \(target) 的状态为“\(into.status.chinese)”，不能再并入其他建议。\(target) is \(into.status.rawValue) and cannot take a merge."))
            }
            return ProposalScreened(id: id, decision: .merge, into: target, note: note)
        }
    }

    /// The next approval step of the candidate list; the steps must come in the configured order.
    public func decide(approve step: String, ref: String, rules: CollectionRules) throws(DomainFailure) -> ListStepApproved {
        let steps = rules.approvalSteps
        guard let position = steps.firstIndex(of: step) else {
            throw .input(InputError("审批环节“\(step)”不在规则文件中，应为：\(steps.joined(separator: " → "))。Unknown approval step \"\(step)\"."))
        }
        guard !ref.trimmingSpaces().isEmpty else {
            throw .input(InputError("请用 --ref 写明会议文号或纪要编号。Each approval step needs its meeting reference (--ref)."))
        }
        let done = pendingApprovals.map(\.step)
        if done.contains(step) {
            throw .rule(RuleRefusal("审批环节“\(step)”已记录过（\(pendingApprovals.first { $0.step == step }?.ref ?? "")）。The step \"\(step)\" is already recorded for this list."))
        }
        if position > done.count {
            let missing = steps[done.count]
            throw .rule(RuleRefusal("必须先完成“\(missing)”，再进行“\(step)”：请先 `piaojue collect approve --step \(missing) --ref 会议文号`。The step \"\(missing)\" must come before \"\(step)\"; record it first."))
        }
        return ListStepApproved(step: step, ref: ref.trimmingSpaces(), list: nextListID)
    }

    /// Freezes a candidate list: every configured approval step done, every candidate accepted in
    /// screening (or from the reserve pool), and the 差额 rule kept (T3, T4, T5).
    public func decide(
        shortlist seats: Int, ids: [String], rules: CollectionRules
    ) throws(DomainFailure) -> (seats: Int, candidates: [Candidate], approvals: [ListStepApproved]) {
        guard seats >= 1 else {
            throw .input(InputError("应选数 --seats 必须至少为 1（现为 \(seats)）。Seats must be at least 1."))
        }
        guard !ids.isEmpty else { throw .input(InputError("请列出候选项目编号。List the candidate ids.")) }
        var seen = Set<String>()
        for id in ids where !seen.insert(id).inserted {
            throw .input(InputError("候选项目 \(id) 重复列出。The candidate \(id) is listed twice."))
        }
        var candidates: [Candidate] = []
        for id in ids {
            guard let record = records[id] else { throw .input(Self.unknown(id)) }
            guard record.status == .accepted || record.status.isInReservePool else {
                throw .rule(RuleRefusal("项目 \(id)（\(record.proposal.title)）的状态为“\(record.status.chinese)”，未经筛选采纳，不能列入候选名单。\(id) is \(record.status.rawValue), not accepted in screening."))
            }
            let p = record.proposal
            candidates.append(Candidate(id: id, title: p.title, category: p.category, budget: p.budget, unit: p.unit, location: p.location))
        }
        let done = pendingApprovals.map(\.step)
        if let missing = rules.approvalSteps.first(where: { !done.contains($0) }) {
            throw .rule(RuleRefusal("候选名单缺少审批环节“\(missing)”，不能提请票决；请先 `piaojue collect approve --step \(missing) --ref 会议文号`。The approval step \"\(missing)\" is missing; record it first."))
        }
        switch rules.margin {
        case .contested where ids.count <= seats:
            throw .rule(RuleRefusal("差额票决要求候选项目多于应选数：候选 \(ids.count) 个，应选 \(seats) 个。A contested list needs more candidates than seats (\(ids.count) for \(seats))."))
        case .equalAllowed where ids.count < seats:
            throw .rule(RuleRefusal("候选项目 \(ids.count) 个少于应选数 \(seats) 个。Fewer candidates (\(ids.count)) than seats (\(seats))."))
        default: break
        }
        if let ratio = rules.minimumRatio, Int64(ids.count) * ratio.denominator < Int64(seats) * ratio.numerator {
            throw .rule(RuleRefusal("候选项目与应选数之比低于规则要求的 \(ratio)（\(ids.count):\(seats)）。The candidates-to-seats ratio is below \(ratio)."))
        }
        return (seats, candidates, pendingApprovals)
    }

    /// A negative-list reason given as its text or its 1-based number.
    static func resolveReason(_ text: String, in list: [String]) -> String? {
        let trimmed = text.trimmingSpaces()
        if list.contains(trimmed) { return trimmed }
        if let number = Int(trimmed), (1...list.count).contains(number) { return list[number - 1] }
        return nil
    }

    static func unknown(_ id: String) -> InputError {
        InputError("没有编号为 \(id) 的建议项目，请用 `piaojue collect list` 查看编号。No proposal \(id).")
    }

    static func alreadyScreened(_ record: ProposalRecord) -> RuleRefusal {
        RuleRefusal("项目 \(record.id) 的状态已是“\(record.status.chinese)”，不能再作此筛选决定。\(record.id) is already \(record.status.rawValue).")
    }
}

/// A domain decision that failed: a rule refusal (exit 1) or bad input (exit 2).
public enum DomainFailure: ClerkFacingError, Equatable {
    case rule(RuleRefusal)
    case input(InputError)

    public var exitStatus: Int32 {
        switch self {
        case .rule: 1
        case .input: 2
        }
    }

    public var description: String {
        switch self {
        case let .rule(refusal): refusal.description
        case let .input(error): error.description
        }
    }

    public var code: String {
        switch self {
        case let .rule(refusal): refusal.code
        case let .input(error): error.code
        }
    }
}
