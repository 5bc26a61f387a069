public import PiaojueDomain

/// `ballot open`.
public struct SessionOpenOutput: Codable, Sendable, Equatable {
    public let session: String
    public let list: String
    public let seats: Int
    public let candidates: [String]
    public let seated: Int
    public let rules: String
    public let rulesHash: String
    public let round: Int

    public init(_ opened: BallotSessionOpened) {
        session = opened.session
        list = opened.list
        seats = opened.seats
        candidates = opened.header.items
        seated = opened.header.seated
        rules = opened.rulesName
        rulesHash = opened.rulesHash
        round = opened.round
    }
}

/// `ballot checkin`, `evaluate checkin`.
public struct CheckinOutput: Codable, Sendable, Equatable {
    public let session: String
    public let present: Int
    public let seated: Int
    public let quorum: Bool
    public let quorumNeeded: Int
    public let added: Int

    public init(session: String, present: Int, seated: Int, quorum: Bool, quorumNeeded: Int, added: Int) {
        self.session = session
        self.present = present
        self.seated = seated
        self.quorum = quorum
        self.quorumNeeded = quorumNeeded
        self.added = added
    }
}

/// `ballot issue`, `evaluate issue`.
public struct IssueOutput: Codable, Sendable, Equatable {
    public let session: String
    /// Slips handed out in the session so far (发出).
    public let issued: Int
    public let batch: Int
    /// Slips handed out now.
    public let count: Int
    /// The slips file written now ("" when sealed slips were handed out and nothing was printed).
    public let slips: String
    /// Credentials printed for the session, and those still sealed.
    public let printed: Int
    public let sealed: Int

    public init(session: String, issued: Int, batch: Int, count: Int, slips: String, printed: Int, sealed: Int) {
        self.session = session
        self.issued = issued
        self.batch = batch
        self.count = count
        self.slips = slips
        self.printed = printed
        self.sealed = sealed
    }
}

/// `ballot cast`, `evaluate cast`, and `POST /api/v1/ballots`.
public struct CastOutput: Codable, Sendable, Equatable {
    /// The entry's leaf hash, 64 lowercase hex digits.
    public let receipt: String
    public let index: Int
    /// The `c2sp.org/tlog-proof@v1` text: the entry's index, its inclusion proof and the checkpoint
    /// signed after the ballot committed (nil only when a repeated ballot is answered before a
    /// fresh proof is made).
    public let proof: String?
    /// The ballot is recorded but counts void: more 赞成 than seats under rules where that voids a
    /// ballot, as on paper (the booth warns and asks once more before sending one).
    public let void: Bool

    public init(receipt: String, index: Int, proof: String?, void: Bool = false) {
        self.receipt = receipt
        self.index = index
        self.proof = proof
        self.void = void
    }
}

/// `ballot import`, `evaluate import`.
public struct PaperImportOutput: Codable, Sendable, Equatable {
    public let imported: Int
    public let void: Int
    /// The receipt, index and `c2sp.org/tlog-proof@v1` proof of the import's summary entry, which
    /// chains to every ballot of the file: one proof for the batch.
    public let receipt: String
    public let index: Int
    public let proof: String

    public init(imported: Int, void: Int, receipt: String, index: Int, proof: String) {
        self.imported = imported
        self.void = void
        self.receipt = receipt
        self.index = index
        self.proof = proof
    }
}

/// `ballot close`, `evaluate close`.
public struct CloseOutput: Codable, Sendable, Equatable {
    public let session: String
    public let issued: Int
    public let returned: Int
    public let recorded: Int
    /// The recorded ballots cast electronically and entered from paper.
    public let electronic: Int
    public let paper: Int
    /// Electronic ballots the session's signed checkpoints acknowledged.
    public let acknowledged: Int
    /// What did not reconcile (`returned-exceeds-recorded`, `acknowledged-exceeds-electronic`).
    public let discrepancies: [CloseDiscrepancy]
    /// The same, as sentences with the figures (Chinese first).
    public let findings: [String]
    /// Whether the frozen rules will void this round at the tally (T7).
    public let voidRound: Bool

    public init(_ closed: SessionClosed, voidRound: Bool) {
        session = closed.session
        issued = closed.issued
        returned = closed.returned
        recorded = closed.recorded
        electronic = closed.electronic ?? 0
        paper = closed.paper ?? 0
        acknowledged = closed.acknowledged ?? 0
        discrepancies = closed.discrepancies ?? []
        findings = discrepancies.map { $0.sentence(closed) }
        self.voidRound = voidRound
    }
}

/// `ballot runoff`.
public struct RunoffOutput: Codable, Sendable, Equatable {
    public let session: String
    public let parent: String
    public let candidates: [String]
    public let seats: Int
    public let round: Int

    public init(_ opened: BallotSessionOpened) {
        session = opened.session
        parent = opened.parent ?? ""
        candidates = opened.header.items
        seats = opened.seats
        round = opened.round
    }
}

/// `ballot status`.
public struct BallotStatusOutput: Codable, Sendable, Equatable {
    public let session: String
    public let list: String
    public let round: Int
    public let seats: Int
    public let seated: Int
    public let present: Int
    public let quorum: Bool
    public let quorumNeeded: Int
    public let issued: Int
    public let batches: Int
    public let recorded: Int
    public let closed: Bool
    public let tallied: Bool
    public let status: String?

    public init(opened: BallotSessionOpened, state: SessionState, tally: TallyResult?) {
        session = opened.session
        list = opened.list
        round = opened.round
        seats = opened.seats
        seated = state.header.seated
        present = state.present.count
        quorum = state.quorumReached
        quorumNeeded = state.quorumNeeded
        issued = state.issued
        batches = state.batches.count
        recorded = state.recorded
        closed = state.isClosed
        tallied = tally != nil
        status = tally?.status.rawValue
    }
}

/// The facts a 主席团公告 names beside the tally: the body and each candidate's title.
public struct AnnouncementContext: Sendable, Equatable {
    public let body: String
    public let titles: [String: String]
    /// The frozen rules' round limit and budget cap, which the explanations name.
    public let maxRounds: Int
    public let budgetCap: Int64?

    public init(body: String, titles: [String: String], maxRounds: Int, budgetCap: Int64?) {
        self.body = body
        self.titles = titles
        self.maxRounds = maxRounds
        self.budgetCap = budgetCap
    }
}
