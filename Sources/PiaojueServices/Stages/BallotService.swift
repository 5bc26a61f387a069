import Foundation
import PiaojueCrypto
public import PiaojueDomain
public import PiaojueLedger

/// Stage 2 · 审议票决: opening a session with frozen rules, tallying, runoffs.
public enum BallotService {
    /// Adopts and freezes the voting rules for a candidate list: the rules, the list hash and the
    /// seated roster hash go into one `ballot.open` entry, followed by a signed checkpoint.
    /// `ledger`: an open ledger to use instead of opening one (the server's one connection).
    public static func open(
        list: String, rules: Rules, scrutineers: [String], workspace: Workspace, ledger given: Ledger? = nil
    ) throws -> BallotSessionOpened {
        let scrutineers = try scrutineers.map { text throws(InputFailure) in try CleanText.text(text, field: "监票人 scrutineer") }
        let ledger = try given ?? workspace.openForWriting()
        return try ledger.write { writer in
            let frozen = try writer.events(ListFrozen.self).last(where: { $0.list == list })
            let rounds = try sessions(writer, list: list).map { opened in
                BallotRounds.Round(opened: opened, tally: try writer.latestEvent(TallyResult.self, session: opened.session))
            }
            let roster = try writer.latest(kind: RosterImported.kind).map { entry in
                BallotRounds.RosterRef(entry: entry.index, roster: try entry.payload(RosterImported.self))
            }
            let opened = try BallotRounds.decideOpen(
                list: list, frozen: frozen, rounds: rounds, roster: roster,
                adopted: BallotRounds.Adopted(name: rules.name, rules: rules.ballot, hash: try canonicalHash(rules.ballot)),
                scrutineers: scrutineers, session: "S\(try writer.count(kind: BallotSessionOpened.kind) + 1)")
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
            if try reader.latest(kind: RatingSessionOpened.kind, session: session) != nil {
                throw SessionRefusal(.wrongShape(session: session, shape: SessionShape.rating.rawValue), shape: .vote)
            }
            throw SessionRefusal(.notOpened(session: session), shape: .vote)
        }
        return try entry.payload(BallotSessionOpened.self)
    }

    /// Counts and decides a closed session by its frozen rules; records the tally and a checkpoint.
    /// A session already tallied returns its recorded result.
    /// `ledger`: an open ledger to use instead of opening one (the server's one connection).
    public static func tally(session: String, workspace: Workspace, ledger given: Ledger? = nil) throws -> TallyResult {
        let ledger = try given ?? workspace.openForWriting()
        return try ledger.write { writer in
            if let recorded = try writer.latestEvent(TallyResult.self, session: session) { return recorded }
            let input = try tallyInput(writer, session: session, withBallots: false)
            var counter = VoteCounter(candidates: input.candidates.map(\.id), seats: input.seats, rules: input.rules)
            let opening = try SessionService.openingEntry(writer, session: session) ?? 0
            try SessionService.countVotes(writer, session: session, from: opening, into: &counter)
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
            throw BallotRefusal.notClosed(session: session)
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
    /// `ledger`: an open ledger to use instead of opening one (the server's one connection).
    public static func runoff(session: String, workspace: Workspace, ledger given: Ledger? = nil) throws -> BallotSessionOpened {
        let ledger = try given ?? workspace.openForWriting()
        return try ledger.write { writer in
            let parent = try opening(writer, session: session)
            let decided = try BallotRounds.decideRunoff(
                parent: parent, tally: try writer.latestEvent(TallyResult.self, session: session),
                existingRunoff: try writer.events(BallotSessionOpened.self).first(where: { $0.parent == session })?.session,
                present: try SessionService.load(writer, session: session).state.present,
                session: "S\(try writer.count(kind: BallotSessionOpened.kind) + 1)")
            try writer.append(decided.opened)
            if let carried = decided.carriedOver { try writer.append(carried) }
            try writer.signCheckpoint(reason: BallotSessionOpened.kind)
            return decided.opened
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
