/// Why a Stage 4 · 监督评议 action is refused: bad input (exit 2) or a rule (exit 1).
public enum EvaluationRefusal: StageRefusal, Equatable {
    case noRaters
    case nothingChosenIn(year: Int, years: [Int])
    case noProjects
    case projectRepeated(project: String)
    case notChosen(project: String)
    case unknownProject(project: String)
    case inOpenSession(project: String, session: String)
    case notFlagged(project: String, session: String, ratedClass: String)
    case rectifyFirst(project: String, session: String, ratedClass: String)
    case notTallied(project: String, session: String)
    case notRated(project: String)
    case rectificationRecorded(project: String, session: String, entry: Int)
    case notClosed(session: String)
    case emptyWhat
    case emptyUnit

    public var plainCaseName: String? {
        switch self {
        case .noRaters: "noRaters"
        case .noProjects: "noProjects"
        case .emptyWhat: "emptyWhat"
        case .emptyUnit: "emptyUnit"
        default: nil
        }
    }

    public var codePrefix: String { "evaluate" }

    public var exitStatus: Int32 {
        switch self {
        case .noProjects, .projectRepeated, .unknownProject, .emptyWhat, .emptyUnit: 2
        default: 1
        }
    }

    public var description: String {
        switch self {
        case .noRaters:
            "尚未导入代表名册，请先 `piaojue roster import FILE`，或用 --roster 给出常委会组成人员名单。Import the roster first, or give --roster."
        case let .nothingChosenIn(year, years):
            "\(year) 年没有票决确定的民生实事项目，无法测评（\(years.isEmpty ? "账本中还没有票决确定的项目 / no project has been chosen yet" : "有项目的年份 / years with chosen projects: \(years.map(String.init).joined(separator: ", "))")）。No project was chosen by a vote in \(year)."
        case .noProjects: "请用 --projects 给出要测评的项目编号。Give the projects to rate."
        case let .projectRepeated(id): "项目编号 \(id) 重复给出，每个项目只能测评一次。\(id) is given twice."
        case let .notChosen(id): "项目 \(id) 未经票决确定（未当选或尚未计票），不能测评。\(id) was not chosen by a vote."
        case let .unknownProject(id): "没有编号为 \(id) 的票决项目，请用 `piaojue collect list --status chosen` 查看。No chosen project \(id)."
        case let .inOpenSession(id, session):
            "项目 \(id) 已在测评会期 \(session) 中，该会期尚未计票，不能另开测评。\(id) is in rating session \(session), not tallied yet."
        case let .notFlagged(id, session, shown):
            "项目 \(id) 已在会期 \(session) 测评为“\(shown)”，未列入整改。\(id) was rated \(shown) in \(session) and is not flagged for rectification."
        case let .rectifyFirst(id, session, shown):
            "项目 \(id) 在会期 \(session) 测评为“\(shown)”，须先记录整改（`piaojue evaluate rectify \(id) …`）再进行再测评。Record the rectification of \(id) before rating it again."
        case let .notTallied(id, session):
            "项目 \(id) 的测评会期 \(session) 尚未计票，不能记录整改。Rating session \(session) of \(id) is not tallied yet."
        case let .notRated(id): "项目 \(id) 尚未经过测评，没有可整改的结果。\(id) has not been rated."
        case let .rectificationRecorded(id, session, entry):
            "项目 \(id) 针对会期 \(session) 的整改已记录（第 \(entry) 条）。The rectification of \(id) for \(session) is entry \(entry)."
        case let .notClosed(session):
            "测评会期 \(session) 尚未结束投票，请先 `piaojue evaluate close \(session)`。Close the session before tallying."
        case .emptyWhat: "请用 --what 写明整改内容。Give --what: what is to be rectified."
        case .emptyUnit: "请用 --unit 写明整改责任单位。Give --unit: the responsible unit."
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

    public init(candidate: Candidate, session: String, list: String, decidedAt: String, decidedOn: Day, tallyEntry: Int) {
        self.candidate = candidate
        self.session = session
        self.list = list
        self.decidedAt = decidedAt
        self.decidedOn = decidedOn
        self.tallyEntry = tallyEntry
    }

    public var id: String { candidate.id }
}

/// Every project's rating history: rating sessions still open, the latest decided rating, and the
/// rectifications recorded. Built from the entries in ledger order.
public struct RatingHistory: Sendable {
    public struct Rated: Sendable, Equatable {
        public let session: String
        public let classification: RatingClass?
        public let flagged: Bool
        public let tallyEntry: Int
    }

    /// Project → rating session opened but not tallied.
    public private(set) var pending: [String: String] = [:]
    /// Project → its latest decided (not void) rating.
    public private(set) var latest: [String: Rated] = [:]
    /// "project\u{0}session" → the `evaluate.rectify` entry.
    private var rectifications: [String: (index: Int, record: Rectification)] = [:]

    public init() {}

    /// A rating session opened: its projects are pending until its tally.
    public mutating func apply(opened: RatingSessionOpened) {
        for id in opened.header.items { pending[id] = opened.session }
    }

    /// A rating tallied (entry `index`): a decided one becomes each project's latest rating.
    public mutating func apply(tally result: RatingResult, index: Int) {
        for (id, session) in pending where session == result.session { pending[id] = nil }
        guard result.status == .decided else { return }
        for rating in result.projects {
            latest[rating.id] = Rated(session: result.session, classification: rating.classification, flagged: rating.rectify, tallyEntry: index)
        }
    }

    /// A rectification recorded (entry `index`).
    public mutating func apply(rectification record: Rectification, index: Int) {
        rectifications[record.project + "\u{0}" + record.session] = (index, record)
    }

    /// The rectification of `project` recorded for the rating `session`, if any.
    public func rectification(project: String, session: String) -> (index: Int, record: Rectification)? {
        rectifications[project + "\u{0}" + session]
    }

    /// The chosen projects a selection names: every project chosen by a tally in `year`, or the
    /// given ids in order (each once, each chosen by a vote; `candidates` are all ids ever on a
    /// ballot, to tell "not chosen" from "unknown").
    public static func select(
        year: Int?, ids: [String], chosen: [ChosenProject], candidates: Set<String>
    ) throws(EvaluationRefusal) -> [ChosenProject] {
        if let year {
            let selected = chosen.filter { $0.decidedOn.year == year }
            guard !selected.isEmpty else { throw .nothingChosenIn(year: year, years: Set(chosen.map(\.decidedOn.year)).sorted()) }
            return selected
        }
        guard !ids.isEmpty else { throw .noProjects }
        var seen: Set<String> = []
        var selected: [ChosenProject] = []
        for id in ids {
            guard seen.insert(id).inserted else { throw .projectRepeated(project: id) }
            guard let project = chosen.first(where: { $0.id == id }) else {
                throw candidates.contains(id) ? .notChosen(project: id) : .unknownProject(project: id)
            }
            selected.append(project)
        }
        return selected
    }

    /// A chosen project as it goes into a new rating session: refused while it is in a session not
    /// yet tallied, or when it was rated before and not flagged, or flagged but not yet rectified
    /// (re-rating, 再测评, follows a recorded rectification).
    public func decide(rate chosen: ChosenProject) throws(EvaluationRefusal) -> RatedProject {
        let id = chosen.id
        if let session = pending[id] { throw .inOpenSession(project: id, session: session) }
        var rerate = false
        var previous: String?
        var rectification: Int?
        if let last = latest[id] {
            let shown = last.classification?.rawValue ?? "?"
            guard last.flagged else { throw .notFlagged(project: id, session: last.session, ratedClass: shown) }
            guard let record = self.rectification(project: id, session: last.session) else {
                throw .rectifyFirst(project: id, session: last.session, ratedClass: shown)
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

    /// The rectification of a project flagged by its latest rating; refused when not rated, not
    /// flagged, still in an untallied session, or already rectified for that rating.
    public func decide(
        rectify project: String, title: String, what: String, unit: String, due: Day
    ) throws(EvaluationRefusal) -> Rectification {
        let what = what.trimmingSpaces()
        let unit = unit.trimmingSpaces()
        guard !what.isEmpty else { throw .emptyWhat }
        guard !unit.isEmpty else { throw .emptyUnit }
        guard let last = latest[project] else {
            if let session = pending[project] { throw .notTallied(project: project, session: session) }
            throw .notRated(project: project)
        }
        let shown = last.classification?.rawValue ?? "?"
        guard last.flagged else { throw .notFlagged(project: project, session: last.session, ratedClass: shown) }
        if let existing = rectification(project: project, session: last.session) {
            throw .rectificationRecorded(project: project, session: last.session, entry: existing.index)
        }
        return Rectification(
            session: last.session, project: project, title: title, ratedClass: last.classification, tallyEntry: last.tallyEntry,
            what: what, unit: unit, due: due)
    }
}
