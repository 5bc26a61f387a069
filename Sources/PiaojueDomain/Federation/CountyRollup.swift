/// How county reports count a chosen project's implementation: 完成 / 基本完成 / 未完成.
public enum CompletionClass: String, Codable, Sendable, CaseIterable {
    /// 完成: 100 % reported.
    case completed = "完成"
    /// 基本完成: closed by a final report below 100 % (部分完成).
    case basicallyCompleted = "基本完成"
    /// 未完成: everything else — not yet planned, planned, in progress, 暂缓 or 终止.
    case notCompleted = "未完成"

    /// The class of a project in `status`.
    public init(_ status: ImplementationStatus) {
        switch status {
        case .completed: self = .completed
        case .partiallyCompleted: self = .basicallyCompleted
        case .unplanned, .planned, .inProgress, .suspended, .terminated: self = .notCompleted
        }
    }
}

/// Where a roll-up figure comes from: the township's verified checkpoint.
public struct CheckpointReference: Codable, Sendable, Equatable, Hashable {
    /// The checkpoint origin (the township ledger's key name).
    public var origin: String
    /// The tree size (entries covered).
    public var size: Int
    /// The Merkle root, base64 as in the checkpoint text.
    public var root: String

    /// A reference from its parts.
    public init(origin: String, size: Int, root: String) {
        self.origin = origin
        self.size = size
        self.root = root
    }

    /// `origin@size root…`, as the reports print it.
    public var short: String { "\(origin) @\(size) \(root.prefix(12))…" }
}

/// One chosen project of a township, as the roll-up reports it.
public struct RolledProject: Codable, Sendable, Equatable {
    /// The proposal id (`P3`).
    public var id: String
    public var title: String
    /// 类别.
    public var category: String
    /// 投资估算 as voted (whole 元), nil when the proposal gave none.
    public var budget: Int64?
    /// The ballot session that chose it.
    public var session: String
    /// The implementation status by the records.
    public var status: ImplementationStatus
    /// 完成 / 基本完成 / 未完成.
    public var completion: CompletionClass
    /// The latest reported percent and cumulative funds spent (元).
    public var percent: Int
    public var spent: Int64
    /// The class of its latest decided rating, nil before any.
    public var rating: RatingClass?
    /// The rating session that gave ``rating``.
    public var ratedIn: String?

    /// A project from its parts; `completion` follows from `status`.
    public init(
        id: String, title: String, category: String, budget: Int64?, session: String, status: ImplementationStatus, percent: Int,
        spent: Int64, rating: RatingClass?, ratedIn: String?
    ) {
        self.id = id
        self.title = title
        self.category = category
        self.budget = budget
        self.session = session
        self.status = status
        completion = CompletionClass(status)
        self.percent = percent
        self.spent = spent
        self.rating = rating
        self.ratedIn = ratedIn
    }
}

/// One session of a township (a ballot round or a rating), as the roll-up lists it.
public struct RolledSession: Codable, Sendable, Equatable {
    /// `S1`, `R1` ….
    public var session: String
    /// `vote` or `rating`.
    public var shape: String
    /// The tally's status (`decided`, `void`, `runoff-required` …), nil before the tally.
    public var status: String?
    /// 实有, present and valid ballots (0 before the tally).
    public var seated: Int
    public var present: Int
    public var valid: Int
    /// Projects chosen (vote) or rated (rating).
    public var projects: Int

    /// A session from its parts.
    public init(session: String, shape: String, status: String?, seated: Int, present: Int, valid: Int, projects: Int) {
        self.session = session
        self.shape = shape
        self.status = status
        self.seated = seated
        self.present = present
        self.valid = valid
        self.projects = projects
    }
}

/// Counts and funds of one category (类别).
public struct CategoryTotal: Codable, Sendable, Equatable {
    public var category: String
    public var projects: Int
    /// Whole 元.
    public var funds: Int64
}

/// How many projects are in each class, in the order reports name them.
public struct ClassCount: Codable, Sendable, Equatable {
    /// The class's Chinese name (`完成`, `满意`, `未测评` …).
    public var name: String
    public var projects: Int
}

/// The sums a report gives for a set of projects: their number, funds, per category, per
/// completion class and per satisfaction class.
public struct RollupTotals: Codable, Sendable, Equatable {
    /// The name `satisfaction` uses for projects without a decided rating.
    public static let notRated = "未测评"

    public var projects: Int
    /// Whole 元: the sum of the voted budgets (projects without one count 0).
    public var funds: Int64
    /// Projects without a budget.
    public var withoutBudget: Int
    /// Per category, in order of first appearance.
    public var byCategory: [CategoryTotal]
    /// 完成, 基本完成, 未完成.
    public var completion: [ClassCount]
    /// 满意, 基本满意, 不满意, 未测评.
    public var satisfaction: [ClassCount]

    /// The totals of `projects`.
    public init(_ projects: [RolledProject]) {
        self.projects = projects.count
        funds = projects.reduce(0) { $0 + ($1.budget ?? 0) }
        withoutBudget = projects.count(where: { $0.budget == nil })
        var categories: [CategoryTotal] = []
        for project in projects {
            if let index = categories.firstIndex(where: { $0.category == project.category }) {
                categories[index].projects += 1
                categories[index].funds += project.budget ?? 0
            } else {
                categories.append(CategoryTotal(category: project.category, projects: 1, funds: project.budget ?? 0))
            }
        }
        byCategory = categories
        completion = CompletionClass.allCases.map { kind in
            ClassCount(name: kind.rawValue, projects: projects.count(where: { $0.completion == kind }))
        }
        satisfaction = RatingClass.allCases.map { kind in
            ClassCount(name: kind.rawValue, projects: projects.count(where: { $0.rating == kind }))
        } + [ClassCount(name: Self.notRated, projects: projects.count(where: { $0.rating == nil }))]
    }

    /// The number of projects in the class named `name`.
    public func count(_ name: String) -> Int {
        (completion + satisfaction).first(where: { $0.name == name })?.projects ?? 0
    }
}

/// One township's verified figures.
public struct TownshipFigures: Codable, Sendable, Equatable {
    /// The congress (`body` of `ledger.init`) and its level.
    public var body: String
    public var level: String
    /// The checkpoint every figure of the township comes from.
    public var checkpoint: CheckpointReference
    public var sessions: [RolledSession]
    /// The chosen projects, in the order chosen.
    public var projects: [RolledProject]
    /// Their sums.
    public var totals: RollupTotals

    /// The figures of one township; `totals` are computed.
    public init(body: String, level: String, checkpoint: CheckpointReference, sessions: [RolledSession], projects: [RolledProject]) {
        self.body = body
        self.level = level
        self.checkpoint = checkpoint
        self.sessions = sessions
        self.projects = projects
        totals = RollupTotals(projects)
    }
}

/// The county's sums over its verified townships, in the words county reports use.
public struct CountyTotals: Codable, Sendable, Equatable {
    /// Townships counted (verified, consistent, one bundle each).
    public var townships: Int
    /// The sums over every counted township's projects.
    public var totals: RollupTotals

    /// The sums of `townships`.
    public init(_ townships: [TownshipFigures]) {
        self.townships = townships.count
        totals = RollupTotals(townships.flatMap(\.projects))
    }

    /// 全县N个乡镇票决出项目M个，资金达X万元.
    public var sentence: String {
        "全县\(townships)个乡镇票决出项目\(totals.projects)个，资金达\(Money.display(totals.funds))"
    }

    /// 完成 a 个、基本完成 b 个、未完成 c 个.
    public var completionSentence: String {
        totals.completion.map { "\($0.name) \($0.projects) 个" }.joined(separator: "，")
    }

    /// 满意 a 个、基本满意 b 个、不满意 c 个、未测评 d 个.
    public var satisfactionSentence: String {
        totals.satisfaction.map { "\($0.name) \($0.projects) 个" }.joined(separator: "，")
    }
}
