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
        workspace: Workspace
    ) throws -> RatingSessionOpened {
        let committee = try rosterPath.map { path in
            (deputies: try RosterService.readRosterFile(path: path, encoding: rosterEncoding).deputies,
             file: URL(fileURLWithPath: path).lastPathComponent)
        }
        let ledger = try workspace.openForWriting()
        return try ledger.write { writer in
            let selected = try select(selection, reader: writer)
            let history = try RatingHistory(writer)
            var projects: [RatedProject] = []
            for chosen in selected {
                projects.append(try ratedProject(chosen, history: history))
            }
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
                guard let entry = try writer.latest(kind: RosterImported.kind) else {
                    throw RuleRefusal("尚未导入代表名册，请先 `piaojue roster import FILE`，或用 --roster 给出常委会组成人员名单。Import the roster first, or give --roster.")
                }
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

    /// The chosen projects a selection names.
    static func select(_ selection: Selection, reader: LedgerReader) throws -> [ChosenProject] {
        let chosen = try BallotService.chosenProjects(reader)
        switch selection {
        case let .year(year):
            let selected = chosen.filter { $0.decidedOn.year == year }
            guard !selected.isEmpty else {
                let years = Set(chosen.map(\.decidedOn.year)).sorted().map(String.init)
                let known = years.isEmpty ? "账本中还没有票决确定的项目 / no project has been chosen yet" : "有项目的年份 / years with chosen projects: \(years.joined(separator: ", "))"
                throw RuleRefusal("\(year) 年没有票决确定的民生实事项目，无法测评（\(known)）。No project was chosen by a vote in \(year).")
            }
            return selected
        case let .projects(ids):
            guard !ids.isEmpty else { throw InputError("请用 --projects 给出要测评的项目编号。Give the projects to rate.") }
            var seen: Set<String> = []
            var selected: [ChosenProject] = []
            for id in ids {
                guard seen.insert(id).inserted else {
                    throw InputError("项目编号 \(id) 重复给出，每个项目只能测评一次。\(id) is given twice.")
                }
                guard let project = chosen.first(where: { $0.id == id }) else {
                    let candidates = try reader.events(BallotSessionOpened.self).flatMap(\.candidates).map(\.id)
                    if candidates.contains(id) {
                        throw RuleRefusal("项目 \(id) 未经票决确定（未当选或尚未计票），不能测评。\(id) was not chosen by a vote.")
                    }
                    throw InputError("没有编号为 \(id) 的票决项目，请用 `piaojue collect list --status chosen` 查看。No chosen project \(id).")
                }
                selected.append(project)
            }
            return selected
        }
    }

    /// A chosen project as it goes into a rating session, refused when it is being rated already
    /// or was rated without a rectification to rate again.
    static func ratedProject(_ chosen: ChosenProject, history: RatingHistory) throws -> RatedProject {
        let id = chosen.id
        if let pending = history.pending[id] {
            throw RuleRefusal("项目 \(id) 已在测评会期 \(pending) 中，该会期尚未计票，不能另开测评。\(id) is in rating session \(pending), not tallied yet.")
        }
        var rerate = false
        var previous: String?
        var rectification: Int?
        if let last = history.latest[id] {
            let shown = last.classification?.rawValue ?? "?"
            guard last.flagged else {
                throw RuleRefusal("项目 \(id) 已在会期 \(last.session) 测评为“\(shown)”，未列入整改，不需要再测评。\(id) was rated \(shown) in \(last.session) and is not flagged for rectification.")
            }
            guard let record = history.rectification(project: id, session: last.session) else {
                throw RuleRefusal("项目 \(id) 在会期 \(last.session) 测评为“\(shown)”，须先记录整改（`piaojue evaluate rectify \(id) …`）再进行再测评。Record the rectification of \(id) before rating it again.")
            }
            rerate = true
            previous = last.session
            rectification = record.index
        }
        let candidate = chosen.candidate
        return RatedProject(
            id: id, title: candidate.title, category: candidate.category, unit: candidate.unit, location: candidate.location,
            budget: candidate.budget, chosenIn: chosen.session, chosenOn: chosen.decidedOn, rerate: rerate,
            previousRating: previous, rectification: rectification)
    }

    // MARK: Sessions

    /// The opening of a rating session; a ballot session or an unknown id is refused, named.
    public static func opening(_ reader: LedgerReader, session: String) throws -> RatingSessionOpened {
        guard let entry = try reader.latest(kind: RatingSessionOpened.kind, session: session) else {
            if try reader.latest(kind: BallotSessionOpened.kind, session: session) != nil {
                throw InputError("\(session) 是票决会期，请用 `piaojue ballot`。\(session) is a ballot session; use piaojue ballot.")
            }
            throw RuleRefusal("没有测评会期 \(session)，请先 `piaojue evaluate open`。There is no rating session \(session).")
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
    public static func tally(session: String, workspace: Workspace) throws -> RatingResult {
        let ledger = try workspace.openForWriting()
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
        let loaded = try SessionService.load(reader, session: session)
        guard let closed = loaded.state.closed else {
            throw RuleRefusal("测评会期 \(session) 尚未结束投票，请先 `piaojue evaluate close \(session)`。Close the session before tallying.")
        }
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
        let what = what.trimmingSpaces()
        let unit = unit.trimmingSpaces()
        guard !what.isEmpty else { throw InputError("请用 --what 写明整改内容。Give --what: what is to be rectified.") }
        guard !unit.isEmpty else { throw InputError("请用 --unit 写明整改责任单位。Give --unit: the responsible unit.") }
        let ledger = try workspace.openForWriting()
        return try ledger.write { writer in
            let history = try RatingHistory(writer)
            guard let last = history.latest[project] else {
                if let pending = history.pending[project] {
                    throw RuleRefusal("项目 \(project) 的测评会期 \(pending) 尚未计票，不能记录整改。Rating session \(pending) of \(project) is not tallied yet.")
                }
                throw RuleRefusal("项目 \(project) 尚未经过测评，没有可整改的结果。\(project) has not been rated.")
            }
            let shown = last.classification?.rawValue ?? "?"
            guard last.flagged else {
                throw RuleRefusal("项目 \(project) 在会期 \(last.session) 测评为“\(shown)”，未列入整改。\(project) was rated \(shown) in \(last.session) and is not flagged for rectification.")
            }
            if let existing = history.rectification(project: project, session: last.session) {
                throw RuleRefusal("项目 \(project) 针对会期 \(last.session) 的整改已记录（第 \(existing.index) 条）。The rectification of \(project) for \(last.session) is entry \(existing.index).")
            }
            let opened = try opening(writer, session: last.session)
            let record = Rectification(
                session: last.session, project: project, title: opened.projects.first { $0.id == project }?.title ?? "",
                ratedClass: last.classification, tallyEntry: last.tallyEntry, what: what, unit: unit, due: due)
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

/// Every project's rating history: open sessions, the latest decided rating, rectifications.
struct RatingHistory {
    struct Rated {
        let session: String
        let classification: RatingClass?
        let flagged: Bool
        let tallyEntry: Int
    }

    /// Project → rating session opened but not tallied.
    var pending: [String: String] = [:]
    /// Project → its latest decided (not void) rating.
    var latest: [String: Rated] = [:]
    /// "project\u{0}session" → the `evaluate.rectify` entry.
    private var rectifications: [String: (index: Int, record: Rectification)] = [:]

    init(_ reader: LedgerReader) throws {
        var tallies: [String: (index: Int, result: RatingResult)] = [:]
        for entry in try reader.entries(kinds: [RatingResult.kind]) {
            let result = try entry.payload(RatingResult.self)
            tallies[result.session] = (entry.index, result)
        }
        // Sessions of one project never overlap (a project in an open session is refused), so the
        // opening order is the order of its ratings.
        for opened in try reader.events(RatingSessionOpened.self) {
            guard let tally = tallies[opened.session] else {
                for id in opened.header.items { pending[id] = opened.session }
                continue
            }
            guard tally.result.status == .decided else { continue }
            for rating in tally.result.projects {
                latest[rating.id] = Rated(
                    session: opened.session, classification: rating.classification, flagged: rating.rectify,
                    tallyEntry: tally.index)
            }
        }
        for entry in try reader.entries(kinds: [Rectification.kind]) {
            let record = try entry.payload(Rectification.self)
            rectifications[record.project + "\u{0}" + record.session] = (entry.index, record)
        }
    }

    func rectification(project: String, session: String) -> (index: Int, record: Rectification)? {
        rectifications[project + "\u{0}" + session]
    }
}
