/// What `evaluate tally --json` prints and the audit bundle's `tally.json` holds for a rating
/// session: the recorded ``RatingResult`` with each rate also as a number in [0, 1].
///
/// The one place this rendering is made: the command line and the audit bundle both call
/// ``init(_:)``. The numbers are computed from the exact fractions of the ledger; they are for
/// reading and scripts only and never go back into the ledger.
public struct RatingTallyOutput: Encodable, Sendable, Equatable {
    /// One project's row.
    public struct Project: Encodable, Sendable, Equatable {
        /// The project id.
        public let id: String
        /// 满意.
        public let satisfied: Int
        /// 基本满意.
        public let basic: Int
        /// 不满意.
        public let dissatisfied: Int
        /// 弃权, unmarked included.
        public let abstain: Int
        /// 满意 / 基本满意 / 不满意 (JSON key `class`), null when the session is void.
        public let classification: String?
        /// (满意 + 基本满意) / valid in [0, 1], null when void or without valid ballots.
        public let rate: Double?
        /// 满意 / valid in [0, 1], null likewise.
        public let satisfiedRate: Double?
        /// The exact fractions as `n/d` and as percentages rounded to 0.01%, e.g. `192/193`, `99.48%`.
        public let rateFraction: String?
        public let ratePercent: String?
        public let satisfiedRateFraction: String?
        public let satisfiedRatePercent: String?
        /// Flagged for rectification (整改).
        public let rectify: Bool

        init(_ rating: ProjectRating) {
            id = rating.id
            satisfied = rating.satisfied
            basic = rating.basic
            dissatisfied = rating.dissatisfied
            abstain = rating.abstain
            classification = rating.classification?.rawValue
            rate = rating.rate?.doubleValue
            satisfiedRate = rating.satisfiedRate?.doubleValue
            rateFraction = rating.rate?.description
            ratePercent = rating.rate?.percentText
            satisfiedRateFraction = rating.satisfiedRate?.description
            satisfiedRatePercent = rating.satisfiedRate?.percentText
            rectify = rating.rectify
        }

        enum CodingKeys: String, CodingKey {
            case id, satisfied, basic, dissatisfied, abstain
            case classification = "class"
            case rate, satisfiedRate, rateFraction, ratePercent, satisfiedRateFraction, satisfiedRatePercent, rectify
        }

        /// Every key is always present; missing values are `null`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(satisfied, forKey: .satisfied)
            try container.encode(basic, forKey: .basic)
            try container.encode(dissatisfied, forKey: .dissatisfied)
            try container.encode(abstain, forKey: .abstain)
            try container.encode(classification, forKey: .classification)
            try container.encode(rate, forKey: .rate)
            try container.encode(satisfiedRate, forKey: .satisfiedRate)
            try container.encode(rateFraction, forKey: .rateFraction)
            try container.encode(ratePercent, forKey: .ratePercent)
            try container.encode(satisfiedRateFraction, forKey: .satisfiedRateFraction)
            try container.encode(satisfiedRatePercent, forKey: .satisfiedRatePercent)
            try container.encode(rectify, forKey: .rectify)
        }
    }

    /// The rating session.
    public let session: String
    /// `decided` or `void`.
    public let status: String
    /// Raters entitled.
    public let seated: Int
    /// Raters present.
    public let present: Int
    /// Credentials issued.
    public let issued: Int
    /// Ballots returned.
    public let returned: Int
    /// Ballot entries in the ledger.
    public let recorded: Int
    /// Valid ballots.
    public let valid: Int
    /// Void ballots.
    public let invalid: Int
    /// Issued but not returned.
    public let notReturned: Int
    /// `seated`, `present` or `valid`, and its number.
    public let base: String
    public let baseCount: Int
    /// Exactly half does not pass.
    public let strict: Bool
    /// The least count that is more than half of the base.
    public let threshold: Int
    /// In ballot order.
    public let projects: [Project]
    /// Ids flagged for rectification.
    public let rectify: [String]
    /// Why the session is void (`excess-returned`), or null.
    public let reason: String?

    /// The rendering of a recorded rating result.
    public init(_ result: RatingResult) {
        session = result.session
        status = result.status.rawValue
        seated = result.seated
        present = result.present
        issued = result.issued
        returned = result.returned
        recorded = result.recorded
        valid = result.valid
        invalid = result.invalid
        notReturned = result.notReturned
        base = result.base.rawValue
        baseCount = result.baseCount
        strict = result.strict
        threshold = result.threshold
        projects = result.projects.map(Project.init)
        rectify = result.rectify
        reason = result.reason?.rawValue ?? (result.note == nil ? nil : TallyReason.excessReturned.rawValue)
    }

    enum CodingKeys: String, CodingKey {
        case session, status, seated, present, issued, returned, recorded, valid, invalid, notReturned, base, baseCount, strict
        case threshold, projects, rectify, reason
    }

    /// Every key is always present; a missing reason is `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(session, forKey: .session)
        try container.encode(status, forKey: .status)
        try container.encode(seated, forKey: .seated)
        try container.encode(present, forKey: .present)
        try container.encode(issued, forKey: .issued)
        try container.encode(returned, forKey: .returned)
        try container.encode(recorded, forKey: .recorded)
        try container.encode(valid, forKey: .valid)
        try container.encode(invalid, forKey: .invalid)
        try container.encode(notReturned, forKey: .notReturned)
        try container.encode(base, forKey: .base)
        try container.encode(baseCount, forKey: .baseCount)
        try container.encode(strict, forKey: .strict)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(projects, forKey: .projects)
        try container.encode(rectify, forKey: .rectify)
        try container.encode(reason, forKey: .reason)
    }
}

extension Ratio {
    /// The fraction as a floating-point number, for display and JSON output only.
    public var doubleValue: Double { Double(numerator) / Double(denominator) }

    /// The fraction as a percentage rounded half up to two decimals, by integer arithmetic:
    /// 192/193 → `99.48%`.
    public var percentText: String {
        let hundredths = (numerator * 20_000 + denominator) / (2 * denominator)
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}
