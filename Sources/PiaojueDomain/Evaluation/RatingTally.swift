/// Counting a rating session and classifying each project (RULES.md Stage 4, T16–T18): pure,
/// deterministic functions of the frozen rules and the ballots, used by `evaluate tally` and
/// re-run by the auditor. Only integers and exact fractions; no floating point.
public enum RatingTally {
    /// Why a rating ballot is void (废票), or nil when it is valid: a project marked twice, a mark
    /// that is not a rating mark, or an id that is not on the ballot.
    public static func voidReason(_ choices: Choices, projects: Set<String>) -> String? {
        if choices.hasRepeatedID { return "同一项目标记了两次 / a project marked twice" }
        for mark in Mark.allCases where !SessionShape.rating.marks.contains(mark) && !choices[mark].isEmpty {
            return "“\(mark.chinese)”不是测评选项 / \(mark.rawValue) is not a rating mark"
        }
        if let unknown = choices.allMarkedIDs.first(where: { !projects.contains($0) }) {
            return "\(unknown) 不在测评项目中 / \(unknown) is not on the ballot"
        }
        return nil
    }

    /// Per-project counts over the valid ballots; a project left unmarked on a valid ballot counts
    /// as 弃权.
    public static func count(ballots: [Choices], projects: [String]) -> (counts: [ProjectRating], valid: Int, invalid: Int) {
        var counter = RatingCounter(projects: projects)
        for ballot in ballots { counter.add(ballot) }
        return (counter.counts, counter.valid, counter.invalid)
    }

    /// The classification base: raters entitled (seated), present, or valid ballots.
    public static func base(_ rules: EvaluationRules, seated: Int, present: Int, valid: Int) -> Int {
        switch rules.base {
        case .seated: seated
        case .present: present
        case .valid: valid
        }
    }

    /// The least count that is "more than half" of `base` (strict: exactly half does not pass), and
    /// never less than 1, so that an empty base classifies nothing as passing.
    public static func threshold(base: Int, strict: Bool) -> Int {
        strict ? base / 2 + 1 : max(1, (base + 1) / 2)
    }

    /// The 镇海 rule: 满意 reaching the threshold → 满意; else 满意 + 基本满意 reaching it → 基本满意;
    /// else 不满意.
    public static func classify(satisfied: Int, basic: Int, threshold: Int) -> RatingClass {
        if satisfied >= threshold { return .satisfied }
        if satisfied + basic >= threshold { return .basicallySatisfied }
        return .unsatisfied
    }

    /// Whether a classified project is flagged for rectification: its class is `rules.rectifyClass`
    /// or worse, or its rate (满意 + 基本满意) / valid is below `rules.rectifyBelowRate`.
    public static func flagsRectification(_ rating: ProjectRating, rules: EvaluationRules) -> Bool {
        guard let classification = rating.classification else { return false }
        if classification.rank >= rules.rectifyClass.rank { return true }
        if let floor = rules.rectifyBelowRate, let rate = rating.rate {
            return rate.numerator * floor.denominator < floor.numerator * rate.denominator
        }
        return false
    }

    /// Decides a closed rating session: void when more ballots were returned than issued (the
    /// session must be held again); else every project classified and the rectification flags set.
    public static func decide(_ input: RatingTallyInput) -> RatingResult {
        var counter = RatingCounter(projects: input.projects)
        for ballot in input.ballots { counter.add(ballot) }
        return decide(input, counter: counter)
    }

    /// The same decision from ballots already counted one at a time (the auditor streams them);
    /// `input.ballots` is not read.
    public static func decide(_ input: RatingTallyInput, counter: RatingCounter) -> RatingResult {
        let counted = (counts: counter.counts, valid: counter.valid, invalid: counter.invalid)
        let baseCount = base(input.rules, seated: input.seated, present: input.present, valid: counted.valid)
        let threshold = threshold(base: baseCount, strict: input.rules.strict)
        var result = RatingResult(
            session: input.session, status: .decided, seated: input.seated, present: input.present, issued: input.issued,
            returned: input.returned, recorded: counter.valid + counter.invalid, valid: counted.valid, invalid: counted.invalid,
            notReturned: max(0, input.issued - input.returned), base: input.rules.base, baseCount: baseCount,
            strict: input.rules.strict, threshold: threshold, projects: counted.counts, rectify: [], reason: nil, note: nil)
        if ReturnedRule.voidsRound(returned: input.returned, issued: input.issued, excessReturnedVoidsRound: ReturnedRule.ratingsVoidOnExcess) {
            result.status = .void
            result.reason = .excessReturned
            return result
        }
        for n in result.projects.indices {
            var rating = result.projects[n]
            rating.classification = classify(satisfied: rating.satisfied, basic: rating.basic, threshold: threshold)
            rating.rate = Ratio(Int64(rating.satisfied + rating.basic), Int64(counted.valid))
            rating.satisfiedRate = Ratio(Int64(rating.satisfied), Int64(counted.valid))
            rating.rectify = flagsRectification(rating, rules: input.rules)
            result.projects[n] = rating
        }
        result.rectify = result.projects.filter(\.rectify).map(\.id)
        return result
    }
}

/// Counts rating ballots one at a time: validity, then 满意/基本满意/不满意 per project.
public struct RatingCounter: Sendable {
    /// Project ids in ballot order.
    public let projects: [String]
    private let known: Set<String>
    private var satisfied: [String: Int] = [:]
    private var basic: [String: Int] = [:]
    private var dissatisfied: [String: Int] = [:]
    /// Valid ballots so far.
    public private(set) var valid = 0
    /// Void ballots so far.
    public private(set) var invalid = 0

    /// An empty count for `projects`.
    public init(projects: [String]) {
        self.projects = projects
        known = Set(projects)
    }

    /// Counts one ballot: void by ``RatingTally/voidReason(_:projects:)``, or valid.
    public mutating func add(_ ballot: Choices) {
        guard RatingTally.voidReason(ballot, projects: known) == nil else {
            invalid += 1
            return
        }
        valid += 1
        for id in ballot[.satisfied] { satisfied[id, default: 0] += 1 }
        for id in ballot[.basic] { basic[id, default: 0] += 1 }
        for id in ballot[.dissatisfied] { dissatisfied[id, default: 0] += 1 }
    }

    /// Per-project counts so far; unmarked on a valid ballot is 弃权.
    public var counts: [ProjectRating] {
        projects.map { id in
            let s = satisfied[id] ?? 0
            let b = basic[id] ?? 0
            let d = dissatisfied[id] ?? 0
            return ProjectRating(id: id, satisfied: s, basic: b, dissatisfied: d, abstain: valid - s - b - d)
        }
    }
}

/// Everything a rating tally needs, read from the session's entries.
public struct RatingTallyInput: Sendable {
    /// The session id (`R1`, `R2` …).
    public var session: String
    /// Project ids in ballot order (`header.items` of `evaluate.open`).
    public var projects: [String]
    /// The evaluation rules, frozen.
    public var rules: EvaluationRules
    /// Raters entitled (`header.seated`).
    public var seated: Int
    /// Raters present (checked in).
    public var present: Int
    /// Credentials issued.
    public var issued: Int
    /// Ballots returned (recorded at closing).
    public var returned: Int
    /// The choices of every `session.cast` and `session.paper` entry of the session, in ledger order.
    public var ballots: [Choices]

    /// Memberwise.
    public init(
        session: String, projects: [String], rules: EvaluationRules, seated: Int, present: Int, issued: Int, returned: Int,
        ballots: [Choices]
    ) {
        self.session = session
        self.projects = projects
        self.rules = rules
        self.seated = seated
        self.present = present
        self.issued = issued
        self.returned = returned
        self.ballots = ballots
    }
}

/// How a rating session ended.
public enum RatingStatus: String, Codable, Sendable {
    case decided
    /// More ballots returned than issued: nothing is classified.
    case void
}

/// One project's counts, class and rates in a rating session.
public struct ProjectRating: Codable, Sendable, Equatable {
    /// The id (as on the candidate list, e.g. `P3`).
    public var id: String
    /// 满意.
    public var satisfied: Int
    /// 基本满意.
    public var basic: Int
    /// 不满意.
    public var dissatisfied: Int
    /// Explicit 弃权 plus unmarked, over valid ballots.
    public var abstain: Int
    /// The class (JSON key `class`); nil when the session is void.
    public var classification: RatingClass?
    /// (满意 + 基本满意) / valid, not reduced; nil when void or without valid ballots.
    public var rate: Ratio?
    /// 满意 / valid, not reduced; nil when void or without valid ballots.
    public var satisfiedRate: Ratio?
    /// Flagged for rectification (整改).
    public var rectify: Bool

    /// Memberwise.
    public init(
        id: String, satisfied: Int, basic: Int, dissatisfied: Int, abstain: Int, classification: RatingClass? = nil,
        rate: Ratio? = nil, satisfiedRate: Ratio? = nil, rectify: Bool = false
    ) {
        self.id = id
        self.satisfied = satisfied
        self.basic = basic
        self.dissatisfied = dissatisfied
        self.abstain = abstain
        self.classification = classification
        self.rate = rate
        self.satisfiedRate = satisfiedRate
        self.rectify = rectify
    }

    enum CodingKeys: String, CodingKey {
        case id, satisfied, basic, dissatisfied, abstain
        case classification = "class"
        case rate, satisfiedRate, rectify
    }
}

/// `evaluate.tally`: the counted and classified rating session.
public struct RatingResult: EntryPayload, Equatable {
    /// The entry kind.
    public static let kind = "evaluate.tally"
    /// The session id (`R1`, `R2` …).
    public var session: String
    /// `decided`, or `void` when more ballots were returned than issued.
    public var status: RatingStatus
    /// Raters entitled.
    public var seated: Int
    /// Raters present (checked in).
    public var present: Int
    /// Credentials issued.
    public var issued: Int
    /// Ballots returned (recorded at closing).
    public var returned: Int
    /// Ballot entries in the ledger.
    public var recorded: Int
    /// Valid ballots.
    public var valid: Int
    /// Void ballots (废票).
    public var invalid: Int
    /// Issued but not returned.
    public var notReturned: Int
    /// The classification base and its number.
    public var base: RatingBase
    public var baseCount: Int
    /// Exactly half does not pass.
    public var strict: Bool
    /// The least count that is more than half of the base.
    public var threshold: Int
    /// In ballot order.
    public var projects: [ProjectRating]
    /// Ids flagged for rectification, in ballot order.
    public var rectify: [String]
    /// Why the session is void (format 2: `excess-returned`), or nil.
    public var reason: TallyReason?
    /// The same as a sentence (format 1 ledgers only).
    public var note: String?

    /// Memberwise.
    public init(
        session: String, status: RatingStatus, seated: Int, present: Int, issued: Int, returned: Int, recorded: Int, valid: Int,
        invalid: Int, notReturned: Int, base: RatingBase, baseCount: Int, strict: Bool, threshold: Int, projects: [ProjectRating],
        rectify: [String], reason: TallyReason?, note: String?
    ) {
        self.session = session
        self.status = status
        self.seated = seated
        self.present = present
        self.issued = issued
        self.returned = returned
        self.recorded = recorded
        self.valid = valid
        self.invalid = invalid
        self.notReturned = notReturned
        self.base = base
        self.baseCount = baseCount
        self.strict = strict
        self.threshold = threshold
        self.projects = projects
        self.rectify = rectify
        self.reason = reason
        self.note = note
    }

    /// The result without format 1's prose: what a format-1 entry is compared by.
    public var withoutProse: RatingResult {
        var copy = self
        copy.note = nil
        copy.reason = nil
        return copy
    }
}
