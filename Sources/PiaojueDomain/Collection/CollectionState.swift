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
    /// Proposals accepted since the last frozen list, in screening order: the only ones a freeze
    /// can move to the reserve pool, so a freeze does not walk every proposal ever submitted.
    private var acceptedSinceFreeze: [String] = []

    public init() {}

    private static func duplicateKey(title: String, location: String?) -> String {
        title.trimmingSpaces() + "\u{0}" + (location ?? "").trimmingSpaces()
    }

    /// The id the next proposal gets.
    public var nextProposalID: String { Self.proposalID(order.count + 1) }

    /// The id of the `number`th proposal recorded (1-based): `P1`, `P2` ….
    public static func proposalID(_ number: Int) -> String { "P\(number)" }
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
        case .accept:
            record.status = .accepted
            acceptedSinceFreeze.append(event.id)
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
        // Only screening makes a proposal accepted: the accepted ones are among those accepted
        // since the last freeze. Those not on the list go to the reserve pool.
        for id in acceptedSinceFreeze where !onList.contains(id) && records[id]?.status == .accepted {
            records[id]?.status = .reserve
        }
        acceptedSinceFreeze = []
        for id in onList {
            records[id]?.status = .shortlisted
            records[id]?.list = event.list
        }
    }

    public mutating func apply(_ outcome: ListOutcome) {
        for id in outcome.chosen { records[id]?.status = .chosen }
        for id in outcome.notChosen { records[id]?.status = .notChosen }
    }

    // MARK: Decisions

    /// Checks a new proposal against the rules; returns the id of a possible duplicate (same title
    /// and location as a proposal still in play), which is pointed out but does not block.
    public func check(submit proposal: Proposal, rules: CollectionRules) throws(CollectionRefusal) -> String? {
        let required: [ProposalField] = [.title, .category, .content] + rules.requiredFields
        for field in required where !proposal.has(field) {
            throw .missingField(field: field.rawValue, name: field.chineseName)
        }
        guard rules.categories.contains(proposal.category) else {
            throw .unknownCategory(category: proposal.category, categories: rules.categories)
        }
        if let channel = proposal.channel, !rules.channels.isEmpty, !rules.channels.contains(channel) {
            throw .unknownChannel(channel: channel, channels: rules.channels)
        }
        for (name, text) in [("项目名称 title", proposal.title), ("建设内容 content", proposal.content)] where text.count > 4000 {
            throw .tooLong(field: name, length: text.count)
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
    ) throws(CollectionRefusal) -> ProposalScreened {
        guard let record = records[id] else { throw .unknownProposal(id: id) }
        switch decision {
        case .accept:
            guard record.status == .submitted else { throw Self.alreadyScreened(record) }
            return ProposalScreened(id: id, decision: .accept, note: note)
        case .reject:
            guard record.status == .submitted || record.status == .accepted || record.status.isInReservePool else {
                throw Self.alreadyScreened(record)
            }
            guard let reason, let resolved = Self.resolveReason(reason, in: rules.negativeList) else {
                throw .reasonNotListed(reason: reason ?? "", negativeList: rules.negativeList)
            }
            return ProposalScreened(id: id, decision: .reject, reason: resolved, note: note)
        case .merge:
            guard let target else { throw .mergeNeedsTarget }
            guard let into = records[target] else { throw .unknownProposal(id: target) }
            guard target != id else { throw .mergeIntoSelf(id: id) }
            guard record.status == .submitted || record.status == .accepted else { throw Self.alreadyScreened(record) }
            guard into.status == .submitted || into.status == .accepted || into.status.isInReservePool else {
                throw .mergeTargetClosed(target: target, status: into.status.rawValue)
            }
            return ProposalScreened(id: id, decision: .merge, into: target, note: note)
        }
    }

    /// The next approval step of the candidate list; the steps must come in the configured order.
    public func decide(approve step: String, ref: String, rules: CollectionRules) throws(CollectionRefusal) -> ListStepApproved {
        let steps = rules.approvalSteps
        guard let position = steps.firstIndex(of: step) else {
            throw .unknownStep(step: step, steps: steps)
        }
        guard !ref.trimmingSpaces().isEmpty else {
            throw .missingRef
        }
        let done = pendingApprovals.map(\.step)
        if done.contains(step) {
            throw .stepRepeated(step: step, ref: pendingApprovals.first { $0.step == step }?.ref ?? "")
        }
        if position > done.count {
            let missing = steps[done.count]
            throw .stepOutOfOrder(missing: missing, step: step)
        }
        return ListStepApproved(step: step, ref: ref.trimmingSpaces(), list: nextListID)
    }

    /// Freezes a candidate list: every configured approval step done, every candidate accepted in
    /// screening (or from the reserve pool), and the 差额 rule kept (T3, T4, T5).
    public func decide(
        shortlist seats: Int, ids: [String], rules: CollectionRules
    ) throws(CollectionRefusal) -> (seats: Int, candidates: [Candidate], approvals: [ListStepApproved]) {
        guard seats >= 1 else { throw .seats(seats: seats) }
        guard !ids.isEmpty else { throw .noCandidates }
        var seen = Set<String>()
        for id in ids where !seen.insert(id).inserted {
            throw .candidateRepeated(id: id)
        }
        var candidates: [Candidate] = []
        for id in ids {
            guard let record = records[id] else { throw .unknownProposal(id: id) }
            guard record.status == .accepted || record.status.isInReservePool else {
                throw .notAccepted(id: id, title: record.proposal.title, status: record.status.rawValue)
            }
            let p = record.proposal
            candidates.append(Candidate(id: id, title: p.title, category: p.category, budget: p.budget, unit: p.unit, location: p.location))
        }
        let done = pendingApprovals.map(\.step)
        if let missing = rules.approvalSteps.first(where: { !done.contains($0) }) {
            throw .stepMissing(missing: missing)
        }
        switch rules.margin {
        case .contested where ids.count <= seats:
            throw .notContested(candidates: ids.count, seats: seats)
        case .equalAllowed where ids.count < seats:
            throw .tooFewCandidates(candidates: ids.count, seats: seats)
        default: break
        }
        if let ratio = rules.minimumRatio, Int64(ids.count) * ratio.denominator < Int64(seats) * ratio.numerator {
            throw .ratioTooLow(ratio: ratio.description, candidates: ids.count, seats: seats)
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

    static func alreadyScreened(_ record: ProposalRecord) -> CollectionRefusal {
        .alreadyScreened(id: record.id, status: record.status.rawValue)
    }
}
