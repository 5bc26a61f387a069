/// Ledger payloads of Stage 4 · 监督评议: a rating session over chosen projects (满意度测评), its
/// raters, and the rectification (整改) of a project that failed.
///
/// A rating session is a session like a ballot session — the same check-in, anonymous credentials,
/// casting, paper import and closing (``SessionState``) — whose ballots have the shape
/// ``SessionShape/rating``.

/// Who rates: the seated roster at a plenary, or the members of the 常委会 (or 主席团).
public enum RaterBody: String, Codable, Sendable {
    /// 代表: the seated roster (the latest `roster.import`).
    case roster
    /// 常委会组成人员: a roster given for this session, recorded as `evaluate.raters`.
    case committee

    /// The Chinese word for reports.
    public var chinese: String {
        switch self {
        case .roster: "人大代表"
        case .committee: "常委会组成人员"
        }
    }
}

/// A project put to a rating session, with where it came from.
public struct RatedProject: Codable, Sendable, Equatable {
    /// The id (as on the candidate list, e.g. `P3`).
    public var id: String
    /// The title (项目名称).
    public var title: String
    /// The category (类别).
    public var category: String
    /// 责任单位, as on the candidate list.
    public var unit: String?
    /// 实施地点.
    public var location: String?
    /// Budget estimate (元) on the candidate list.
    public var budget: Int64?
    /// The ballot session whose tally chose the project, and the tally's date.
    public var chosenIn: String
    public var chosenOn: Day
    /// 再测评: the project was flagged in an earlier rating and has a rectification record.
    public var rerate: Bool
    /// For a re-rating: the rating session that flagged the project …
    public var previousRating: String?
    /// … and the index of its `evaluate.rectify` entry.
    public var rectification: Int?

    /// Memberwise.
    public init(
        id: String, title: String, category: String, unit: String?, location: String?, budget: Int64?, chosenIn: String,
        chosenOn: Day, rerate: Bool, previousRating: String?, rectification: Int?
    ) {
        self.id = id
        self.title = title
        self.category = category
        self.unit = unit
        self.location = location
        self.budget = budget
        self.chosenIn = chosenIn
        self.chosenOn = chosenOn
        self.rerate = rerate
        self.previousRating = previousRating
        self.rectification = rectification
    }
}

/// `evaluate.open`: a rating session opened over chosen projects, with its evaluation rules frozen.
///
/// `header.shape` is ``SessionShape/rating`` and `header.items` are the project ids in ballot order;
/// `header.rosterEntry` names the `roster.import` (raters `roster`) or `evaluate.raters` (raters
/// `committee`) entry whose people may check in.
public struct RatingSessionOpened: EntryPayload, Equatable {
    /// The entry kind.
    public static let kind = "evaluate.open"
    /// The session id (`R1`, `R2` …).
    public var session: String
    /// The facts every session opening carries (shape `rating`, items = project ids).
    public var header: SessionHeader
    /// The projects rated, in ballot order.
    public var projects: [RatedProject]
    /// The year whose chosen projects were selected (`--year`), or nil for `--projects`.
    public var year: Int?
    /// Who rates.
    public var raters: RaterBody
    /// Ids of the projects rated again after rectification (再测评), in ballot order.
    public var rerated: [String]
    /// The rules preset's name.
    public var rulesName: String
    /// The evaluation rules, frozen.
    public var rules: EvaluationRules
    /// SHA-256 (hex) of the canonical JSON of `rules`.
    public var rulesHash: String

    /// Memberwise.
    public init(
        session: String, header: SessionHeader, projects: [RatedProject], year: Int?, raters: RaterBody, rerated: [String],
        rulesName: String, rules: EvaluationRules, rulesHash: String
    ) {
        self.session = session
        self.header = header
        self.projects = projects
        self.year = year
        self.raters = raters
        self.rerated = rerated
        self.rulesName = rulesName
        self.rules = rules
        self.rulesHash = rulesHash
    }
}

/// `evaluate.raters`: the people entitled to rate in one session when they are not the seated
/// roster (常委会组成人员). Same members as `roster.import` plus the session; written just before the
/// session's `evaluate.open`, which names it in `header.rosterEntry`. It does not replace the
/// seated roster used by later ballot sessions.
public struct RaterRoster: EntryPayload, Equatable {
    /// The entry kind.
    public static let kind = "evaluate.raters"
    /// The session id (`R1`, `R2` …).
    public var session: String
    /// The raters, as on the roster file.
    public var deputies: [Deputy]
    /// Raters entitled: everyone on the list, suspended included.
    public var seated: Int
    /// SHA-256 (hex) of the canonical JSON of `deputies`.
    public var rosterHash: String
    /// The roster file's name.
    public var file: String?

    /// Memberwise.
    public init(session: String, deputies: [Deputy], seated: Int, rosterHash: String, file: String?) {
        self.session = session
        self.deputies = deputies
        self.seated = seated
        self.rosterHash = rosterHash
        self.file = file
    }
}

/// `evaluate.rectify`: the rectification (整改) of a project flagged by a rating — what is to be
/// done, by whom, by when. The project may then be rated again (再测评).
public struct Rectification: EntryPayload, Equatable {
    /// The entry kind.
    public static let kind = "evaluate.rectify"
    /// The rating session whose tally flagged the project.
    public var session: String
    /// The project rectified.
    public var project: String
    /// The title (项目名称).
    public var title: String
    /// The class the project got in that rating.
    public var ratedClass: RatingClass?
    /// The index of that session's `evaluate.tally` entry.
    public var tallyEntry: Int
    /// 整改内容.
    public var what: String
    /// 责任单位.
    public var unit: String
    /// 整改时限.
    public var due: Day

    /// Memberwise.
    public init(session: String, project: String, title: String, ratedClass: RatingClass?, tallyEntry: Int, what: String, unit: String, due: Day) {
        self.session = session
        self.project = project
        self.title = title
        self.ratedClass = ratedClass
        self.tallyEntry = tallyEntry
        self.what = what
        self.unit = unit
        self.due = due
    }

    enum CodingKeys: String, CodingKey {
        case session, project, title
        case ratedClass = "class"
        case tallyEntry, what, unit, due
    }
}
