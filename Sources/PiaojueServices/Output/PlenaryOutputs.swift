public import PiaojueDomain

/// One item on the booth's ballot: a candidate (vote) or a project (rating). Candidates are public.
public struct BoothItem: Codable, Sendable, Equatable {
    public let id: String
    public let title: String
    public let category: String
    public let location: String?
    /// The budget estimate in 元, and as the ballot prints it (`120万元`).
    public let budget: Int64?
    public let budgetText: String?
    public let unit: String?

    public init(id: String, title: String, category: String, location: String?, budget: Int64?, unit: String?) {
        self.id = id
        self.title = title
        self.category = category
        self.location = location
        self.budget = budget
        budgetText = budget.map { Money.display($0) }
        self.unit = unit
    }
}

/// The ballot the booth shows: `GET /api/v1/booth` and the page `/booth`.
public struct BoothBallotOutput: Codable, Sendable, Equatable {
    public let body: String
    public let session: String
    /// `vote` or `rating`.
    public let shape: SessionShape
    /// The ballot's heading, Chinese first.
    public let title: String
    /// 应选数 (votes only).
    public let seats: Int?
    /// The frozen ballot form (votes only): `approve-oppose-abstain`, `approve-only`, `e-voter`.
    public let form: BallotForm?
    /// The marks a deputy may give, in button order (`approve`, `oppose`, `abstain`, or the four grades).
    public let marks: [Mark]
    /// What an unmarked item counts as, in Chinese: 弃权, or 未按 under the e-voter form.
    public let unmarked: String
    public let items: [BoothItem]
    /// The round (votes; 1 for a first vote).
    public let round: Int?

    public init(
        body: String, session: String, shape: SessionShape, title: String, seats: Int?, form: BallotForm?, marks: [Mark],
        unmarked: String, items: [BoothItem], round: Int?
    ) {
        self.body = body
        self.session = session
        self.shape = shape
        self.title = title
        self.seats = seats
        self.form = form
        self.marks = marks
        self.unmarked = unmarked
        self.items = items
        self.round = round
    }
}

/// A session's standing, `GET /api/v1/sessions/{id}` and each event of the big screen: turnout only,
/// never a figure per candidate before the tally.
public struct SessionStatusOutput: Encodable, Sendable, Equatable {
    public let session: String
    public let shape: SessionShape
    /// `open` (credentials may vote), `closed` (casting ended), `tallied`.
    public let status: String
    public let seated: Int
    public let present: Int
    public let quorum: Bool
    public let quorumNeeded: Int
    /// Slips handed out (发出).
    public let issued: Int
    /// Ballots recorded, electronic and paper (已投).
    public let cast: Int
    /// The recorded tally, once it exists: the object `ballot tally --json` / `evaluate tally --json` prints.
    public let tally: SessionTally?

    public init(
        session: String, shape: SessionShape, status: String, seated: Int, present: Int, quorum: Bool, quorumNeeded: Int,
        issued: Int, cast: Int, tally: SessionTally?
    ) {
        self.session = session
        self.shape = shape
        self.status = status
        self.seated = seated
        self.present = present
        self.quorum = quorum
        self.quorumNeeded = quorumNeeded
        self.issued = issued
        self.cast = cast
        self.tally = tally
    }

    enum CodingKeys: String, CodingKey {
        case session, shape, status, seated, present, quorum, quorumNeeded, issued, cast, tally
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(session, forKey: .session)
        try container.encode(shape, forKey: .shape)
        try container.encode(status, forKey: .status)
        try container.encode(seated, forKey: .seated)
        try container.encode(present, forKey: .present)
        try container.encode(quorum, forKey: .quorum)
        try container.encode(quorumNeeded, forKey: .quorumNeeded)
        try container.encode(issued, forKey: .issued)
        try container.encode(cast, forKey: .cast)
        // Absent, not null, before the tally: no per-candidate key exists until then.
        try container.encodeIfPresent(tally, forKey: .tally)
    }
}

/// The recorded tally of a vote or of a rating session.
public enum SessionTally: Encodable, Sendable, Equatable {
    case vote(TallyResult)
    case rating(RatingTallyOutput)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case let .vote(result): try result.encode(to: encoder)
        case let .rating(result): try result.encode(to: encoder)
        }
    }
}

/// The 主席团公告 of a tallied session for the big screen: what `report.html` shows first.
public struct ScreenAnnouncementOutput: Sendable, Equatable {
    public let session: String
    public let title: String
    public let subtitle: String
    /// The 公告 paragraphs, Chinese first.
    public let announcement: [String]
    /// Runoff, shortfall, budget and other notes.
    public let notes: [String]
    public let chartTitle: String
    /// The legend of the chart: label and colour of each segment.
    public let legend: [ChartLegendItem]
    /// The chart, one SVG element without style attributes (it passes a strict CSP).
    public let chartSVG: String
    /// Attendance and ballots, label and value.
    public let facts: [ChartFact]

    public init(
        session: String, title: String, subtitle: String, announcement: [String], notes: [String], chartTitle: String,
        legend: [ChartLegendItem], chartSVG: String, facts: [ChartFact]
    ) {
        self.session = session
        self.title = title
        self.subtitle = subtitle
        self.announcement = announcement
        self.notes = notes
        self.chartTitle = chartTitle
        self.legend = legend
        self.chartSVG = chartSVG
        self.facts = facts
    }
}

/// One legend entry of a chart.
public struct ChartLegendItem: Sendable, Equatable {
    public let label: String
    /// A CSS colour, `#2e7d32`.
    public let color: String
}

/// One label/value row beside a chart.
public struct ChartFact: Sendable, Equatable {
    public let label: String
    public let value: String
}

/// `serve` once listening: where the pages are, and the TLS certificate's fingerprint.
public struct ServeOutput: Encodable, Sendable, Equatable {
    public let booth: String
    public let screen: String
    public let api: String
    /// SHA-256 of the TLS certificate (upper-case hex pairs), or nil over plain HTTP on loopback.
    public let fingerprint: String?
    public let certificate: String?
    /// The clerk's console.
    public let console: String?
    /// The console token, only on the run that made it (printed once); nil otherwise.
    public let consoleToken: String?
    /// Where the console token is kept (mode 0600).
    public let consoleTokenFile: String?

    public init(
        booth: String, screen: String, api: String, fingerprint: String?, certificate: String?, console: String? = nil,
        consoleToken: String? = nil, consoleTokenFile: String? = nil
    ) {
        self.booth = booth
        self.screen = screen
        self.api = api
        self.fingerprint = fingerprint
        self.certificate = certificate
        self.console = console
        self.consoleToken = consoleToken
        self.consoleTokenFile = consoleTokenFile
    }
}

extension ErrorOutput {
    /// The error object of `failure` with every stretch of what was typed (`typed`: the code, the
    /// session, the ids) masked in its sentence and its named values, as the command line does: an
    /// answer never repeats seven or more characters of a credential code.
    public init(scrubbing failure: any ClerkFacingError, typed: [String]) {
        code = failure.code
        message = Secrets.scrubbed(failure.description, typed: typed)
        exitStatus = failure.exitStatus
        details = Secrets.scrubbed(failure.details, typed: typed)
    }
}
