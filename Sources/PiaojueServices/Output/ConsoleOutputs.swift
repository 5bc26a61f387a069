public import PiaojueDomain

/// The console's first page: every session, the frozen lists, the rules presets.
public struct ConsoleOverviewOutput: Encodable, Sendable, Equatable {
    /// Every session opened, oldest first.
    public let sessions: [ConsoleSessionRow]
    /// Every frozen candidate list.
    public let lists: [ConsoleListRow]
    /// Rules presets a session may be opened with.
    public let presets: [String]
    /// The chosen projects a rating session may be opened on now (as `evaluate open` takes them).
    public let projects: [RatedProject]
}

/// One session in the console's list.
public struct ConsoleSessionRow: Encodable, Sendable, Equatable {
    /// The session id.
    public let session: String
    /// Vote or rating.
    public let shape: SessionShape
    /// `open`, `closed` or `tallied`.
    public let status: String
    /// 实有代表.
    public let seated: Int
    /// Deputies checked in.
    public let present: Int
    /// Slips handed out.
    public let issued: Int
    /// Ballots recorded.
    public let cast: Int
}

/// A frozen candidate list.
public struct ConsoleListRow: Encodable, Sendable, Equatable {
    /// The list's name.
    public let list: String
    /// 应选数.
    public let seats: Int
    /// Candidates on it.
    public let candidates: Int
}

/// One deputy of the roster on the check-in page.
public struct ConsoleDeputy: Encodable, Sendable, Equatable {
    /// The deputy's id (what a card scan types).
    public let id: String
    /// The deputy's name.
    public let name: String
    /// 代表团.
    public let delegation: String?
    /// 暂停代表职务: counted as seated, cannot check in.
    public let suspended: Bool
    /// Checked in to this session.
    public let present: Bool
}

/// How far the double entry of paper ballots has come.
public struct ConsoleCountingStanding: Encodable, Sendable, Equatable {
    /// Ballots counter A entered.
    public let a: Int
    /// Ballots counter B entered.
    public let b: Int
    /// Ballots not yet agreed.
    public let differences: Int
}

/// A vote session's console page.
public struct ConsoleSessionOutput: Encodable, Sendable {
    /// Attendance, slips, ballots, status (as `GET /api/v1/sessions/{id}`).
    public let status: SessionStatusOutput
    /// The ballot (candidates, form, seats).
    public let ballot: BoothBallotOutput
    /// The frozen list the session votes on.
    public let list: String
    /// The round (1, then runoffs).
    public let round: Int
    /// The session this one is a runoff of.
    public let parent: String?
    /// The rules preset's name.
    public let rules: String
    /// The roster, or those matching `query`.
    public let deputies: [ConsoleDeputy]
    /// The search the roster was filtered by ("" for none).
    public let query: String
    /// Every delegation of the roster, in roster order.
    public let delegations: [String]
    /// Whether the slips file is there (issued and not destroyed).
    public let slips: Bool
    /// The double entry's standing.
    public let counting: ConsoleCountingStanding
    /// The recorded tally.
    public let tally: TallyResult?
    /// Whether the bundle was published from the console.
    public let published: Bool
}

/// A rating session's console page.
public struct ConsoleRatingOutput: Encodable, Sendable {
    /// Attendance, slips, ballots, status (as `GET /api/v1/sessions/{id}`).
    public let status: SessionStatusOutput
    /// The rating form (projects, grades).
    public let ballot: BoothBallotOutput
    /// The session's opening: projects, raters, frozen rules.
    public let opened: RatingSessionOpened
    /// The raters' roster, or those matching `query`.
    public let deputies: [ConsoleDeputy]
    /// The search the roster was filtered by ("" for none).
    public let query: String
    /// Every delegation of the roster, in roster order.
    public let delegations: [String]
    /// Whether the slips file is there (issued and not destroyed).
    public let slips: Bool
    /// The recorded tally.
    public let tally: RatingResult?
    /// Whether the bundle was published from the console.
    public let published: Bool
}

/// The codes of a slips file, for the print pages.
public struct ConsoleSlipsOutput: Sendable {
    /// The session.
    public let session: String
    /// The codes, in the file's (shuffled) order.
    public let codes: [String]
    /// The ballot printed on paper ballots.
    public let ballot: BoothBallotOutput
}

/// One ballot where the two counters differ.
public struct ConsoleDifference: Encodable, Sendable, Equatable {
    /// The ballot's key (its credential's public key, base64): what a settlement names.
    public let key: String
    /// Its place in the pile, from 1.
    public let position: Int
    /// Counter A's reading; nil when A did not enter it.
    public let a: Choices?
    /// Counter B's reading; nil when B did not enter it.
    public let b: Choices?
}

/// The double entry of a session: counts and every open difference.
public struct ConsoleCountingOutput: Encodable, Sendable {
    /// The session.
    public let session: String
    /// Ballots counter A entered.
    public let a: Int
    /// Ballots counter B entered.
    public let b: Int
    /// Ballots agreed (equal readings, or settled).
    public let agreed: Int
    /// Ballots not yet agreed, in the order first entered.
    public let differences: [ConsoleDifference]
    /// The ballot (candidates, marks).
    public let ballot: BoothBallotOutput
}
