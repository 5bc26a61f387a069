import Foundation
import PiaojueCrypto
public import PiaojueDomain
public import PiaojueLedger

/// Stage 2 · 审议票决: opening a session with frozen rules, tallying, runoffs.
public enum BallotService {
    /// Adopts and freezes the voting rules for a candidate list: the rules, the list hash and the
    /// seated roster hash go into one `ballot.open` entry, followed by a signed checkpoint.
    public static func open(list: String, rules: Rules, scrutineers: [String], workspace: Workspace) throws -> BallotSessionOpened {
        let ledger = try workspace.openForWriting()
        return try ledger.write { writer in
            guard let frozen = try writer.events(ListFrozen.self).last(where: { $0.list == list }) else {
                throw InputError("没有编号为 \(list) 的候选名单，请先 `piaojue collect shortlist`。No candidate list \(list).")
            }
            let sessions = try sessions(writer, list: list)
            if let last = sessions.last {
                let tally = try writer.latestEvent(TallyResult.self, session: last.session)
                switch tally?.status {
                case nil:
                    throw RuleRefusal("候选名单 \(list) 的会期 \(last.session) 尚未计票，不能另开会期。Session \(last.session) of list \(list) is not tallied yet.")
                case .decided?:
                    throw RuleRefusal("候选名单 \(list) 已在会期 \(last.session) 票决完毕。List \(list) was decided in \(last.session).")
                case .runoffRequired?:
                    throw RuleRefusal("会期 \(last.session) 须再次投票，请用 `piaojue ballot runoff \(last.session)`。Use ballot runoff \(last.session).")
                case .void?:
                    break
                }
            }
            guard let rosterEntry = try writer.latest(kind: RosterImported.kind) else {
                throw RuleRefusal("尚未导入代表名册，请先 `piaojue roster import FILE`。Import the roster first.")
            }
            let roster = try rosterEntry.payload(RosterImported.self)
            let id = "S\(try writer.count(kind: BallotSessionOpened.kind) + 1)"
            let header = SessionHeader(
                session: id, shape: .vote, items: frozen.candidates.map(\.id), seated: roster.seated, rosterEntry: rosterEntry.index,
                rosterHash: roster.rosterHash, quorum: rules.ballot.quorum)
            let opened = BallotSessionOpened(
                session: id, header: header, list: list, listHash: frozen.candidatesHash, candidates: frozen.candidates,
                seats: frozen.seats, round: 1, parent: nil, budgetCommitted: 0, rulesName: rules.name, rules: rules.ballot,
                rulesHash: try canonicalHash(rules.ballot), scrutineers: scrutineers)
            try writer.append(opened)
            try writer.signCheckpoint(reason: BallotSessionOpened.kind)
            return opened
        }
    }

    /// The ballot sessions of a list, oldest first.
    static func sessions(_ reader: LedgerReader, list: String) throws -> [BallotSessionOpened] {
        try reader.events(BallotSessionOpened.self).filter { $0.list == list }
    }

    /// The opening of a ballot session.
    public static func opening(_ reader: LedgerReader, session: String) throws -> BallotSessionOpened {
        guard let entry = try reader.latest(kind: BallotSessionOpened.kind, session: session) else {
            if try reader.latest(kind: "evaluate.open", session: session) != nil {
                throw InputError("\(session) 是测评会期，请用 `piaojue evaluate`。\(session) is a rating session.")
            }
            throw RuleRefusal("会期 \(session) 不存在或尚未通过并冻结票决办法：请核对会期编号（`piaojue log --kind ballot.open` 列出已开启的会期），或先 `piaojue ballot open --list 候选名单`。Session \(session) does not exist or has no adopted voting rules: check the id, or open it first.")
        }
        return try entry.payload(BallotSessionOpened.self)
    }

    /// Counts and decides a closed session by its frozen rules; records the tally and a checkpoint.
    /// A session already tallied returns its recorded result.
    public static func tally(session: String, workspace: Workspace) throws -> TallyResult {
        let ledger = try workspace.openForWriting()
        return try ledger.write { writer in
            if let recorded = try writer.latestEvent(TallyResult.self, session: session) { return recorded }
            let input = try tallyInput(writer, session: session, withBallots: false)
            var counter = VoteCounter(candidates: input.candidates.map(\.id), seats: input.seats, rules: input.rules)
            try SessionService.countVotes(writer, session: session, into: &counter)
            let result = VoteTally.decide(input, counter: counter)
            try writer.append(result)
            try writer.signCheckpoint(reason: TallyResult.kind)
            return result
        }
    }

    /// The tally recorded for a session, or nil.
    public static func recordedTally(session: String, workspace: Workspace) throws -> TallyResult? {
        try workspace.openForReading().read { try $0.latestEvent(TallyResult.self, session: session) }
    }

    /// What the tally of a closed session is computed from.
    public static func tallyInput(_ reader: LedgerReader, session: String, withBallots: Bool = true) throws -> TallyInput {
        let opened = try opening(reader, session: session)
        guard let closed = try reader.latestEvent(SessionClosed.self, session: session) else {
            throw RuleRefusal("会期 \(session) 尚未结束投票，请先 `piaojue ballot close \(session)`。Close the session before tallying.")
        }
        // Each check-in records the number present after it (re-derived on audit), so the latest
        // one gives attendance without reading every deputy id.
        let present = try reader.latest(kind: CheckedIn.kind, session: session)
            .flatMap { try $0.payloadInteger("present") }.map { Int($0) } ?? 0
        return TallyInput(
            session: session, list: opened.list, round: opened.round, seats: opened.seats, candidates: opened.candidates,
            rules: opened.rules, seated: opened.header.seated, present: present, issued: closed.issued,
            returned: closed.returned, budgetCommitted: opened.budgetCommitted,
            ballots: withBallots ? try SessionService.ballots(reader, session: session) : [])
    }

    /// A new session among the tied (or remaining) candidates of a `runoff-required` tally, for the
    /// seats left; same frozen rules and roster, attendance carried over, new credentials.
    public static func runoff(session: String, workspace: Workspace) throws -> BallotSessionOpened {
        let ledger = try workspace.openForWriting()
        return try ledger.write { writer in
            let parent = try opening(writer, session: session)
            guard let tally = try writer.latestEvent(TallyResult.self, session: session) else {
                throw RuleRefusal("会期 \(session) 尚未计票，请先 `piaojue ballot tally \(session)`。Session \(session) is not tallied yet; tally it first.")
            }
            guard tally.status == .runoffRequired else {
                throw RuleRefusal("会期 \(session) 的计票结果是“\(tally.status == .void ? "本轮无效" : "已产生结果")”（\(tally.status.rawValue)），不需要再次投票。Session \(session) is \(tally.status.rawValue) and needs no runoff.")
            }
            if let child = try writer.events(BallotSessionOpened.self).first(where: { $0.parent == session }) {
                throw RuleRefusal("会期 \(session) 的再次投票已开始（\(child.session)）。The runoff of \(session) is \(child.session).")
            }
            guard parent.round < parent.rules.maxRounds else {
                throw RuleRefusal("已达规则允许的最多轮次 \(parent.rules.maxRounds)。The round limit is reached.")
            }
            let id = "S\(try writer.count(kind: BallotSessionOpened.kind) + 1)"
            let candidates = parent.candidates.filter { tally.runoff.contains($0.id) }
            let budgets = Dictionary(uniqueKeysWithValues: parent.candidates.map { ($0.id, $0.budget ?? 0) })
            let committed = parent.budgetCommitted + tally.chosen.reduce(0) { $0 + (budgets[$1] ?? 0) }
            var header = parent.header
            header.session = id
            header.items = candidates.map(\.id)
            let opened = BallotSessionOpened(
                session: id, header: header, list: parent.list, listHash: parent.listHash, candidates: candidates,
                seats: tally.runoffSeats, round: parent.round + 1, parent: session, budgetCommitted: committed,
                rulesName: parent.rulesName, rules: parent.rules, rulesHash: parent.rulesHash, scrutineers: parent.scrutineers)
            try writer.append(opened)
            let present = try SessionService.load(writer, session: session).state.present
            if !present.isEmpty {
                try writer.append(CheckedIn(session: id, deputies: present, present: present.count))
            }
            try writer.signCheckpoint(reason: BallotSessionOpened.kind)
            return opened
        }
    }

    /// A session's progress, for `ballot status`.
    public struct Status: Sendable {
        public let opened: BallotSessionOpened
        public let state: SessionState
        public let tally: TallyResult?
    }

    public static func status(session: String, workspace: Workspace) throws -> Status {
        try workspace.openForReading().read { reader in
            Status(
                opened: try opening(reader, session: session),
                state: try SessionService.load(reader, session: session, countBallots: true).state,
                tally: try reader.latestEvent(TallyResult.self, session: session))
        }
    }
}

/// A project chosen by a tallied ballot session: what Stages 3 and 4 work on.
public struct ChosenProject: Sendable, Equatable {
    public let candidate: Candidate
    /// The session whose tally chose it, and the list it was on.
    public let session: String
    public let list: String
    /// The tally entry's time (UTC, `YYYY-MM-DDTHH:MM:SSZ`) and its date: the vote.
    public let decidedAt: String
    public let decidedOn: Day
    /// The tally entry's index in the ledger.
    public let tallyEntry: Int

    public var id: String { candidate.id }
}

extension BallotService {
    /// Every project chosen by a tallied session, in the order chosen.
    public static func chosenProjects(_ reader: LedgerReader) throws -> [ChosenProject] {
        var result: [ChosenProject] = []
        let openings = Dictionary(
            try reader.events(BallotSessionOpened.self).map { ($0.session, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in try reader.entries(kinds: [TallyResult.kind]) {
            let tally = try entry.payload(TallyResult.self)
            guard tally.status != .void, let opened = openings[tally.session] else { continue }
            let time = try entry.fields().time
            for id in tally.chosen {
                guard let candidate = opened.candidates.first(where: { $0.id == id }) else { continue }
                result.append(ChosenProject(
                    candidate: candidate, session: tally.session, list: tally.list, decidedAt: time,
                    decidedOn: Day(ledgerTime: time) ?? Day(ordinal: 0), tallyEntry: entry.index))
            }
        }
        return result
    }
}
