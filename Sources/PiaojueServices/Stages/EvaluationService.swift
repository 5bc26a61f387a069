import Foundation
import PiaojueCrypto
public import PiaojueDomain
public import PiaojueLedger

/// Stage 4 · 监督评议: rating sessions over chosen projects, their tally, and rectification.
///
/// Check-in, credentials, casting, paper import and closing are ``SessionService``'s, shared with
/// ballot sessions; this service adds what is particular to ratings.
public enum EvaluationService {
    /// Which projects a rating session covers.
    public enum Selection: Sendable, Equatable {
        /// Every project chosen by a ballot tally in that calendar year (UTC date of the tally).
        case year(Int)
        /// These chosen projects, in this order.
        case projects([String])
    }

    /// Opens a rating session: the projects, the evaluation rules (frozen with their hash) and the
    /// raters' roster hash go into one `evaluate.open` entry, followed by a signed checkpoint.
    ///
    /// Raters are the seated roster, or the people of `rosterPath` (常委会组成人员), recorded first
    /// as an `evaluate.raters` entry. Every project must have been chosen by a tallied ballot
    /// session and must not be in another rating session still open; a project already rated is
    /// taken again only when that rating flagged it and its rectification is recorded (再测评).
    public static func open(
        selection: Selection, rules: Rules, rosterPath: String? = nil, rosterEncoding: TextEncodingChoice = .utf8,
        workspace: Workspace, ledger given: Ledger? = nil
    ) throws -> RatingSessionOpened {
        let committee = try rosterPath.map { path in
            (deputies: try RosterService.readRosterFile(path: path, encoding: rosterEncoding).deputies,
             file: URL(fileURLWithPath: path).lastPathComponent)
        }
        let ledger = try given ?? workspace.openForWriting()
        return try ledger.write { writer in
            let selected = try select(selection, reader: writer)
            let history = try ratingHistory(writer)
            let projects = try selected.map { chosen throws(EvaluationRefusal) in try history.decide(rate: chosen) }
            let session = "R\(try writer.count(kind: RatingSessionOpened.kind) + 1)"
            let rosterEntry: Int
            let rosterHash: String
            let seated: Int
            if let committee {
                let raters = RaterRoster(
                    session: session, deputies: committee.deputies, seated: committee.deputies.count,
                    rosterHash: try canonicalHash(committee.deputies), file: committee.file)
                rosterEntry = try writer.append(raters).index
                rosterHash = raters.rosterHash
                seated = raters.seated
            } else {
                guard let entry = try writer.latest(kind: RosterImported.kind) else { throw EvaluationRefusal.noRaters }
                let roster = try entry.payload(RosterImported.self)
                rosterEntry = entry.index
                rosterHash = roster.rosterHash
                seated = roster.seated
            }
            let header = SessionHeader(
                session: session, shape: .rating, items: projects.map(\.id), seated: seated, rosterEntry: rosterEntry,
                rosterHash: rosterHash, quorum: rules.ballot.quorum)
            let year: Int?
            if case let .year(value) = selection { year = value } else { year = nil }
            let opened = RatingSessionOpened(
                session: session, header: header, projects: projects, year: year,
                raters: committee == nil ? .roster : .committee, rerated: projects.filter(\.rerate).map(\.id),
                rulesName: rules.name, rules: rules.evaluation, rulesHash: try canonicalHash(rules.evaluation))
            try writer.append(opened)
            try writer.signCheckpoint(reason: RatingSessionOpened.kind)
            return opened
        }
    }

    /// The chosen projects a rating session may be opened on now, as `evaluate open` would take
    /// them: chosen by a tallied vote, in no open rating session, not rated yet or rectified
    /// after a flagged rating (再测评).
    public static func eligible(_ reader: LedgerReader) throws -> [RatedProject] {
        let history = try ratingHistory(reader)
        return try BallotService.chosenProjects(reader).compactMap { chosen in try? history.decide(rate: chosen) }
    }

    /// The chosen projects a selection names.
    static func select(_ selection: Selection, reader: LedgerReader) throws -> [ChosenProject] {
        let chosen = try BallotService.chosenProjects(reader)
        switch selection {
        case let .year(year):
            return try RatingHistory.select(year: year, ids: [], chosen: chosen, candidates: [])
        case let .projects(ids):
            let candidates = Set(try reader.events(BallotSessionOpened.self).flatMap(\.candidates).map(\.id))
            return try RatingHistory.select(year: nil, ids: ids, chosen: chosen, candidates: candidates)
        }
    }

    /// Every project's rating history, replayed from the ledger.
    static func ratingHistory(_ reader: LedgerReader) throws -> RatingHistory {
        var history = RatingHistory()
        for entry in try reader.entries(kinds: [RatingSessionOpened.kind, RatingResult.kind, Rectification.kind]) {
            switch entry.kind {
            case RatingSessionOpened.kind: history.apply(opened: try entry.payload(RatingSessionOpened.self))
            case RatingResult.kind: history.apply(tally: try entry.payload(RatingResult.self), index: entry.index)
            default: history.apply(rectification: try entry.payload(Rectification.self), index: entry.index)
            }
        }
        return history
    }

    // MARK: Sessions

    /// The opening of a rating session; a ballot session or an unknown id is refused, named.
    public static func opening(_ reader: LedgerReader, session: String) throws -> RatingSessionOpened {
        guard let entry = try reader.latest(kind: RatingSessionOpened.kind, session: session) else {
            if try reader.latest(kind: BallotSessionOpened.kind, session: session) != nil {
                throw SessionRefusal(.wrongShape(session: session, shape: SessionShape.vote.rawValue), shape: .rating)
            }
            throw SessionRefusal(.notOpened(session: session), shape: .rating)
        }
        return try entry.payload(RatingSessionOpened.self)
    }

    /// Refuses anything but an existing rating session (before the shared session commands run).
    public static func requireRatingSession(_ session: String, workspace: Workspace) throws {
        _ = try workspace.openForReading().read { try opening($0, session: session) }
    }

    // MARK: Tally

    /// Counts and classifies a closed rating session by its frozen rules; records the result and a
    /// signed checkpoint. A session already tallied returns its recorded result.
    public static func tally(session: String, workspace: Workspace, ledger given: Ledger? = nil) throws -> RatingResult {
        let ledger = try given ?? workspace.openForWriting()
        return try ledger.write { writer in
            if let recorded = try writer.latestEvent(RatingResult.self, session: session) { return recorded }
            let result = RatingTally.decide(try tallyInput(writer, session: session))
            try writer.append(result)
            try writer.signCheckpoint(reason: RatingResult.kind)
            return result
        }
    }

    /// What the tally of a closed rating session is computed from.
    public static func tallyInput(_ reader: LedgerReader, session: String) throws -> RatingTallyInput {
        let opened = try opening(reader, session: session)
        let loaded = try SessionService.load(reader, session: session, shape: .rating)
        guard let closed = loaded.state.closed else { throw EvaluationRefusal.notClosed(session: session) }
        return RatingTallyInput(
            session: session, projects: opened.header.items, rules: opened.rules, seated: opened.header.seated,
            present: loaded.state.present.count, issued: closed.issued, returned: closed.returned,
            ballots: try SessionService.ballots(reader, session: session))
    }

    /// The tally recorded for a rating session, or nil.
    public static func recordedTally(session: String, workspace: Workspace) throws -> RatingResult? {
        try workspace.openForReading().read { try $0.latestEvent(RatingResult.self, session: session) }
    }

    // MARK: Rectification

    /// Records the rectification (整改) of a project flagged by its latest rating: what, the
    /// responsible unit, the due date. Refused for a project not flagged, or already rectified for
    /// that rating.
    public static func rectify(
        project: String, what: String, unit: String, due: Day, workspace: Workspace
    ) throws -> (record: Rectification, index: Int) {
        let what = try CleanText.text(what, field: "整改内容 what", multiline: true)
        let unit = try CleanText.text(unit, field: "整改责任单位 unit")
        let ledger = try workspace.openForWriting()
        return try ledger.write { writer in
            let history = try ratingHistory(writer)
            let title = try history.latest[project].map { last in
                try opening(writer, session: last.session).projects.first { $0.id == project }?.title ?? ""
            } ?? ""
            let record = try history.decide(rectify: project, title: title, what: what, unit: unit, due: due)
            let entry = try writer.append(record)
            return (record, entry.index)
        }
    }

    // MARK: Status

    /// A rating session's progress, for `evaluate status`.
    public struct Status: Sendable {
        /// The session's opening.
        public let opened: RatingSessionOpened
        /// Check-in, credentials and ballots so far.
        public let state: SessionState
        /// The recorded tally, if any.
        public let tally: RatingResult?
    }

    /// Where a rating session stands.
    public static func status(session: String, workspace: Workspace) throws -> Status {
        try workspace.openForReading().read { reader in
            Status(
                opened: try opening(reader, session: session),
                state: try SessionService.load(reader, session: session, countBallots: true).state,
                tally: try reader.latestEvent(RatingResult.self, session: session))
        }
    }

    /// The rectifications recorded for the projects of a session's tally (整改 records it triggered).
    public static func rectifications(session: String, workspace: Workspace) throws -> [Rectification] {
        try workspace.openForReading().read { try $0.events(Rectification.self, session: session) }
    }
}
