public import PiaojueDomain

/// `evaluate open`.
public struct RatingOpenOutput: Codable, Sendable, Equatable {
    public let session: String
    public let projects: [String]
    public let rerated: [String]
    public let year: Int?
    public let raters: String
    public let seated: Int
    public let rules: String
    public let rulesHash: String

    public init(_ opened: RatingSessionOpened) {
        session = opened.session
        projects = opened.header.items
        rerated = opened.rerated
        year = opened.year
        raters = opened.raters.rawValue
        seated = opened.header.seated
        rules = opened.rulesName
        rulesHash = opened.rulesHash
    }
}

/// `evaluate rectify`.
public struct RectifyOutput: Codable, Sendable, Equatable {
    public let project: String
    public let session: String
    public let due: String
    public let unit: String
    public let index: Int

    public init(_ record: Rectification, index: Int) {
        project = record.project
        session = record.session
        due = record.due.description
        unit = record.unit
        self.index = index
    }
}

/// `evaluate status`.
public struct RatingStatusOutput: Codable, Sendable, Equatable {
    public let session: String
    public let projects: [String]
    public let rerated: [String]
    public let year: Int?
    public let raters: String
    public let seated: Int
    public let present: Int
    public let quorum: Bool
    public let quorumNeeded: Int
    public let issued: Int
    public let batches: Int
    public let recorded: Int
    public let closed: Bool
    public let tallied: Bool
    public let status: String?
    public let rectify: [String]

    public init(opened: RatingSessionOpened, state: SessionState, tally: RatingResult?) {
        session = opened.session
        projects = opened.header.items
        rerated = opened.rerated
        year = opened.year
        raters = opened.raters.rawValue
        seated = state.header.seated
        present = state.present.count
        quorum = state.quorumReached
        quorumNeeded = state.quorumNeeded
        issued = state.issued
        batches = state.batches.count
        recorded = state.recorded
        closed = state.isClosed
        tallied = tally != nil
        status = tally?.status.rawValue
        rectify = tally?.rectify ?? []
    }
}
