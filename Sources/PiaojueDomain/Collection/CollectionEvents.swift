/// Ledger payloads of Stage 1. Each struct is the `payload` of one entry kind.

/// `collect.submit`: a proposal recorded.
public struct ProposalSubmitted: EntryPayload, Equatable {
    public static let kind = "collect.submit"
    public var id: String
    public var proposal: Proposal
    /// An existing proposal with the same title and location, pointed out at submit time.
    public var possibleDuplicateOf: String?
    /// For spreadsheet imports: the file's SHA-256 and the line.
    public var source: ImportSource?

    public init(id: String, proposal: Proposal, possibleDuplicateOf: String? = nil, source: ImportSource? = nil) {
        self.id = id
        self.proposal = proposal
        self.possibleDuplicateOf = possibleDuplicateOf
        self.source = source
    }
}

/// The file and line an imported record came from.
public struct ImportSource: Codable, Sendable, Equatable {
    public var file: String
    public var sha256: String
    public var line: Int

    public init(file: String, sha256: String, line: Int) {
        self.file = file
        self.sha256 = sha256
        self.line = line
    }
}

/// `collect.import`: a spreadsheet imported as a whole (its rows are the `collect.submit` entries
/// written in the same transaction).
public struct ProposalsImported: EntryPayload, Equatable {
    public static let kind = "collect.import"
    public var file: String
    public var sha256: String
    public var encoding: String
    public var ids: [String]

    public init(file: String, sha256: String, encoding: String, ids: [String]) {
        self.file = file
        self.sha256 = sha256
        self.encoding = encoding
        self.ids = ids
    }
}

/// `collect.screen`: a screening decision (筛选论证).
public struct ProposalScreened: EntryPayload, Equatable {
    public static let kind = "collect.screen"

    public enum Decision: String, Codable, Sendable {
        case accept, reject, merge
    }

    public var id: String
    public var decision: Decision
    /// For `reject`: the negative-list reason.
    public var reason: String?
    /// For `merge`: the proposal this one is merged into.
    public var into: String?
    public var note: String?

    public init(id: String, decision: Decision, reason: String? = nil, into: String? = nil, note: String? = nil) {
        self.id = id
        self.decision = decision
        self.reason = reason
        self.into = into
        self.note = note
    }
}

/// `collect.approve`: one approval step of the candidate list, with its meeting reference.
public struct ListStepApproved: EntryPayload, Equatable {
    public static let kind = "collect.approve"
    public var step: String
    public var ref: String
    /// Which candidate list this approval prepares (the next list number).
    public var list: String

    public init(step: String, ref: String, list: String) {
        self.step = step
        self.ref = ref
        self.list = list
    }
}

/// `collect.shortlist`: the frozen candidate list (候选项目).
public struct ListFrozen: EntryPayload, Equatable {
    public static let kind = "collect.shortlist"
    public var list: String
    /// 应选数.
    public var seats: Int
    public var candidates: [Candidate]
    /// SHA-256 (hex) of the canonical JSON of `candidates`.
    public var candidatesHash: String
    /// The approval steps this list passed, in order.
    public var approvals: [ListStepApproved]
    public var margin: Margin
    public var rules: String

    public init(
        list: String, seats: Int, candidates: [Candidate], candidatesHash: String, approvals: [ListStepApproved],
        margin: Margin, rules: String
    ) {
        self.list = list
        self.seats = seats
        self.candidates = candidates
        self.candidatesHash = candidatesHash
        self.approvals = approvals
        self.margin = margin
        self.rules = rules
    }
}

/// A project on a candidate list, as frozen.
public struct Candidate: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var category: String
    public var budget: Int64?
    public var unit: String?
    public var location: String?

    public init(id: String, title: String, category: String, budget: Int64?, unit: String?, location: String?) {
        self.id = id
        self.title = title
        self.category = category
        self.budget = budget
        self.unit = unit
        self.location = location
    }
}
