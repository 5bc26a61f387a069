/// Why opening, tallying or re-running a ballot round is refused.
public enum BallotRefusal: StageRefusal, Equatable {
    case unknownList(list: String)
    case notTallied(session: String, list: String)
    case listDecided(list: String, session: String)
    case useRunoff(session: String)
    case notClosed(session: String)
    case tallyFirst(session: String)
    case noRunoffNeeded(session: String, status: String)
    case runoffOpened(session: String, runoff: String)
    case roundLimit(maxRounds: Int)

    public var codePrefix: String { "ballot" }
    public var exitStatus: Int32 {
        if case .unknownList = self { return 2 }
        return 1
    }

    public var description: String {
        switch self {
        case let .unknownList(list): "没有编号为 \(list) 的候选名单，请先 `piaojue collect shortlist`。No candidate list \(list)."
        case let .notTallied(session, list):
            "候选名单 \(list) 的会期 \(session) 尚未计票，不能另开会期。Session \(session) of list \(list) is not tallied yet."
        case let .listDecided(list, session): "候选名单 \(list) 已在会期 \(session) 票决完毕。List \(list) was decided in \(session)."
        case let .useRunoff(session): "会期 \(session) 须再次投票，请用 `piaojue ballot runoff \(session)`。Use ballot runoff \(session)."
        case let .notClosed(session):
            "会期 \(session) 尚未结束投票，请先 `piaojue ballot close \(session)`。Close the session before tallying."
        case let .tallyFirst(session): "会期 \(session) 尚未计票，请先 `piaojue ballot tally \(session)`。Session \(session) is not tallied yet; tally it first."
        case let .noRunoffNeeded(session, status):
            "会期 \(session) 的计票结果是“\(status == TallyStatus.void.rawValue ? "本轮无效" : "已产生结果")”（\(status)），不需要再次投票。Session \(session) is \(status) and needs no runoff."
        case let .runoffOpened(session, runoff): "会期 \(session) 的再次投票已开始（\(runoff)）。The runoff of \(session) is \(runoff)."
        case let .roundLimit(maxRounds): "已达规则允许的最多轮次 \(maxRounds)。The round limit is reached."
        }
    }
}

/// The rounds of a candidate list: the first round, a round held again after it was void (T7),
/// and runoffs among the tied (T12) or for a shortfall (T13). Pure decisions, used by the service
/// that opens sessions and by the auditor that re-derives every opening.
public enum BallotRounds {
    /// One earlier round of a list and its tally, if counted.
    public struct Round: Sendable, Equatable {
        public var opened: BallotSessionOpened
        public var tally: TallyResult?

        public init(opened: BallotSessionOpened, tally: TallyResult?) {
            self.opened = opened
            self.tally = tally
        }
    }

    /// The roster entry a session freezes.
    public struct RosterRef: Sendable, Equatable {
        public var entry: Int
        public var roster: RosterImported

        public init(entry: Int, roster: RosterImported) {
            self.entry = entry
            self.roster = roster
        }
    }

    /// The rules adopted for a new round: the preset's name, the ballot rules and their hash.
    public struct Adopted: Sendable, Equatable {
        public var name: String
        public var rules: BallotRules
        public var hash: String

        public init(name: String, rules: BallotRules, hash: String) {
            self.name = name
            self.rules = rules
            self.hash = hash
        }
    }

    /// `ballot open --list`: the first round of a frozen list, or the same round held again when the
    /// list's latest round was void. Refused while a round is not tallied, once the list is decided,
    /// and when a runoff is due (it has its own command). A round held again keeps the void round's
    /// candidates, seats, round number, parent and committed budget; a first round takes the list's.
    public static func decideOpen(
        list listID: String, frozen: ListFrozen?, rounds: [Round], roster: RosterRef?, adopted: Adopted, scrutineers: [String],
        session: String
    ) throws -> BallotSessionOpened {
        guard let frozen else { throw BallotRefusal.unknownList(list: listID) }
        var base: BallotSessionOpened?
        if let last = rounds.last {
            switch last.tally?.status {
            case nil: throw BallotRefusal.notTallied(session: last.opened.session, list: listID)
            case .decided?: throw BallotRefusal.listDecided(list: listID, session: last.opened.session)
            case .runoffRequired?: throw BallotRefusal.useRunoff(session: last.opened.session)
            case .void?: base = last.opened
            }
        }
        guard let roster else { throw RosterRefusal.noRoster }
        let candidates = base?.candidates ?? frozen.candidates
        // A runoff held again keeps the rules it was frozen with; a first round takes those adopted now.
        let rules = base?.parent == nil ? adopted : Adopted(name: base?.rulesName ?? adopted.name, rules: base?.rules ?? adopted.rules, hash: base?.rulesHash ?? adopted.hash)
        let header = SessionHeader(
            session: session, shape: .vote, items: candidates.map(\.id), seated: roster.roster.seated, rosterEntry: roster.entry,
            rosterHash: roster.roster.rosterHash, quorum: rules.rules.quorum)
        return BallotSessionOpened(
            session: session, header: header, list: listID, listHash: frozen.candidatesHash, candidates: candidates,
            seats: base?.seats ?? frozen.seats, round: base?.round ?? 1, parent: base?.parent,
            budgetCommitted: base?.budgetCommitted ?? 0, rulesName: rules.name, rules: rules.rules, rulesHash: rules.hash,
            scrutineers: scrutineers)
    }

    /// Budget taken by the rounds before a runoff of `parent`: what `parent`'s own earlier rounds
    /// took, plus the budgets of the projects `tally` chose.
    public static func committedBudget(after parent: BallotSessionOpened, tally: TallyResult) -> Int64 {
        let budgets = Dictionary(parent.candidates.map { ($0.id, $0.budget ?? 0) }, uniquingKeysWith: { first, _ in first })
        return parent.budgetCommitted + tally.chosen.reduce(0) { $0 + (budgets[$1] ?? 0) }
    }

    /// `ballot runoff`: a new round among the tally's `runoff` candidates for its `runoffSeats`, with
    /// the parent's frozen rules and roster, new credentials, and the parent's attendance carried
    /// over (the returned check-in, when anyone was present).
    public static func decideRunoff(
        parent: BallotSessionOpened, tally: TallyResult?, existingRunoff: String?, present: [String], session: String
    ) throws(BallotRefusal) -> (opened: BallotSessionOpened, carriedOver: CheckedIn?) {
        guard let tally else { throw .tallyFirst(session: parent.session) }
        guard tally.status == .runoffRequired else {
            throw .noRunoffNeeded(session: parent.session, status: tally.status.rawValue)
        }
        if let existingRunoff { throw .runoffOpened(session: parent.session, runoff: existingRunoff) }
        guard parent.round < parent.rules.maxRounds else { throw .roundLimit(maxRounds: parent.rules.maxRounds) }
        let candidates = parent.candidates.filter { tally.runoff.contains($0.id) }
        var header = parent.header
        header.session = session
        header.items = candidates.map(\.id)
        let opened = BallotSessionOpened(
            session: session, header: header, list: parent.list, listHash: parent.listHash, candidates: candidates,
            seats: tally.runoffSeats, round: parent.round + 1, parent: parent.session,
            budgetCommitted: committedBudget(after: parent, tally: tally), rulesName: parent.rulesName, rules: parent.rules,
            rulesHash: parent.rulesHash, scrutineers: parent.scrutineers)
        let carried = present.isEmpty ? nil : CheckedIn(session: session, deputies: present, present: present.count)
        return (opened, carried)
    }
}
