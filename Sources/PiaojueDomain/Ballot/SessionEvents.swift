/// Ledger payloads of a voting session. Ballot sessions (审议票决) and rating sessions (满意度测评)
/// share one machinery — check-in, anonymous credentials, casting, closing — and differ only in the
/// shape of a ballot.

/// What a ballot of a session holds.
public enum SessionShape: String, Codable, Sendable {
    /// 赞成 / 反对 / 弃权 on candidates (Stage 2).
    case vote
    /// 满意 / 基本满意 / 不满意 / 弃权 on projects (Stage 4).
    case rating

    /// The marks a ballot of this shape may carry.
    public var marks: [Mark] {
        switch self {
        case .vote: [.approve, .oppose, .abstain]
        case .rating: [.satisfied, .basic, .dissatisfied, .abstain]
        }
    }
}

/// A mark on a ballot.
public enum Mark: String, Codable, Sendable, CaseIterable {
    case approve, oppose, abstain, satisfied, basic, dissatisfied

    /// The Chinese word on the paper ballot.
    public var chinese: String {
        switch self {
        case .approve: "赞成"
        case .oppose: "反对"
        case .abstain: "弃权"
        case .satisfied: "满意"
        case .basic: "基本满意"
        case .dissatisfied: "不满意"
        }
    }

    /// A mark from its English or Chinese word.
    public init?(word: String) {
        let text = word.trimmingSpaces()
        if let mark = Mark(rawValue: text.lowercased()) {
            self = mark
            return
        }
        switch text {
        case "赞成", "同意": self = .approve
        case "反对", "不同意": self = .oppose
        case "弃权": self = .abstain
        case "满意": self = .satisfied
        case "基本满意": self = .basic
        case "不满意": self = .dissatisfied
        case "basically-satisfied", "basic-satisfied": self = .basic
        case "unsatisfied", "not-satisfied": self = .dissatisfied
        default: return nil
        }
    }
}

/// The marks of one ballot: for each mark, the ids it was given to. An id missing everywhere is
/// unmarked; an id under two marks (or twice under one) makes the ballot void.
public struct Choices: Codable, Sendable, Equatable {
    public var marks: [Mark: [String]]

    public init(_ marks: [Mark: [String]] = [:]) { self.marks = marks }

    /// The ids under `mark`.
    public subscript(mark: Mark) -> [String] { marks[mark] ?? [] }

    /// Every id occurrence, with repeats.
    public var allMarkedIDs: [String] { Mark.allCases.flatMap { marks[$0] ?? [] } }

    /// Whether some id is marked more than once.
    public var hasRepeatedID: Bool {
        let all = allMarkedIDs
        return Set(all).count != all.count
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: MarkKey.self)
        var marks: [Mark: [String]] = [:]
        for key in container.allKeys {
            guard let mark = Mark(rawValue: key.stringValue) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "unknown mark \(key.stringValue)")
            }
            marks[mark] = try container.decode([String].self, forKey: key)
        }
        self.marks = marks
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: MarkKey.self)
        for (mark, ids) in marks { try container.encode(ids, forKey: MarkKey(mark.rawValue)) }
    }

    struct MarkKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// How a ballot reached the ledger: cast by its holder (a booth, a terminal) or entered by the
/// counters from a paper ballot. Format 2 ballots carry it inside what the credential signs, so
/// nobody can relabel one as the other.
public enum BallotMedium: String, Codable, Sendable, CaseIterable {
    case electronic
    case paper

    /// The entry kind of a ballot of this medium.
    public var kind: String {
        switch self {
        case .electronic: Ballot.kind
        case .paper: Ballot.paperKind
        }
    }
}

/// A ballot as signed by its credential: the canonical JSON of `{session, via, choices}` (format
/// 2; format 1 had no `via`). This is the whole payload of `session.cast` (electronic) and
/// `session.paper` (entered by counters) entries.
public struct Ballot: EntryPayload, Equatable {
    public static let kind = "session.cast"
    /// The kind of a paper ballot entered by counters.
    public static let paperKind = "session.paper"

    public var session: String
    /// The medium, signed with the ballot (nil in format 1).
    public var via: BallotMedium?
    public var choices: Choices

    public init(session: String, via: BallotMedium?, choices: Choices) {
        self.session = session
        self.via = via
        self.choices = choices
    }
}

/// Facts every session's opening entry carries, whatever its shape.
public struct SessionHeader: Codable, Sendable, Equatable {
    public var session: String
    public var shape: SessionShape
    /// Candidate ids (vote) or project ids (rating), in ballot order.
    public var items: [String]
    /// 实有代表 (or raters entitled) at opening.
    public var seated: Int
    /// The `roster.import` entry whose deputies may check in, and its hash.
    public var rosterEntry: Int
    public var rosterHash: String
    /// Least fraction present before credentials may be issued.
    public var quorum: Ratio

    public init(session: String, shape: SessionShape, items: [String], seated: Int, rosterEntry: Int, rosterHash: String, quorum: Ratio) {
        self.session = session
        self.shape = shape
        self.items = items
        self.seated = seated
        self.rosterEntry = rosterEntry
        self.rosterHash = rosterHash
        self.quorum = quorum
    }
}

/// `ballot.open`: the voting rules adopted and frozen with the candidate list and the roster.
public struct BallotSessionOpened: EntryPayload, Equatable {
    public static let kind = "ballot.open"
    public var session: String
    public var header: SessionHeader
    public var list: String
    /// `candidatesHash` of the frozen list.
    public var listHash: String
    public var candidates: [Candidate]
    /// 应选数 of this round.
    public var seats: Int
    /// 1 for the first round; a runoff is round 2 …
    public var round: Int
    /// The session whose tie or shortfall this round resolves.
    public var parent: String?
    /// Budget already taken by projects chosen in earlier rounds of this list (for the budget cap).
    public var budgetCommitted: Int64
    public var rulesName: String
    public var rules: BallotRules
    /// SHA-256 (hex) of the canonical JSON of `rules`.
    public var rulesHash: String
    /// 总监票人 / 监票人 named for the session.
    public var scrutineers: [String]

    public init(
        session: String, header: SessionHeader, list: String, listHash: String, candidates: [Candidate], seats: Int, round: Int,
        parent: String?, budgetCommitted: Int64, rulesName: String, rules: BallotRules, rulesHash: String, scrutineers: [String]
    ) {
        self.session = session
        self.header = header
        self.list = list
        self.listHash = listHash
        self.candidates = candidates
        self.seats = seats
        self.round = round
        self.parent = parent
        self.budgetCommitted = budgetCommitted
        self.rulesName = rulesName
        self.rules = rules
        self.rulesHash = rulesHash
        self.scrutineers = scrutineers
    }
}

/// `session.checkin`: deputies present (签到, public), added to earlier check-ins.
public struct CheckedIn: EntryPayload, Equatable {
    public static let kind = "session.checkin"
    public var session: String
    /// The deputies newly present, in the order given.
    public var deputies: [String]
    /// Present after this check-in.
    public var present: Int

    public init(session: String, deputies: [String], present: Int) {
        self.session = session
        self.deputies = deputies
        self.present = present
    }
}

/// `session.issue`: anonymous credentials — only the count and the sorted public keys, never who
/// received which. In format 2 a session has exactly one, with a credential for every seated
/// deputy (as paper ballots are printed for all): `handedOut` slips go to the deputies present,
/// the rest stay sealed with the scrutineers for late arrivals (`session.handout`), so every
/// ballot's anonymity set is the whole session. Format 1 issued one batch per group of arrivals.
public struct CredentialsIssued: EntryPayload, Equatable {
    public static let kind = "session.issue"
    public var session: String
    public var batch: Int
    public var count: Int
    /// Base64 Ed25519 public keys, sorted (so their order reveals nothing).
    public var credentials: [String]
    /// Present and seated when the batch was issued (the quorum facts).
    public var present: Int
    public var seated: Int
    /// Slips handed out with this issue (format 2; format 1 handed out every key issued).
    public var handedOut: Int?

    public init(session: String, batch: Int, count: Int, credentials: [String], present: Int, seated: Int, handedOut: Int? = nil) {
        self.session = session
        self.batch = batch
        self.count = count
        self.credentials = credentials
        self.present = present
        self.seated = seated
        self.handedOut = handedOut
    }
}

/// `session.handout`: more sealed slips handed out, to deputies who checked in after the issue
/// (format 2). Only the number is recorded, never which slips.
public struct CredentialsHandedOut: EntryPayload, Equatable {
    public static let kind = "session.handout"
    public var session: String
    /// Slips handed out now.
    public var count: Int
    /// Slips handed out in the session so far, this handout included.
    public var handedOut: Int
    /// Deputies present.
    public var present: Int

    public init(session: String, count: Int, handedOut: Int, present: Int) {
        self.session = session
        self.count = count
        self.handedOut = handedOut
        self.present = present
    }
}

/// `session.import`: a file of paper ballots entered by counters (its ballots are the
/// `session.paper` entries of the same transaction).
public struct PaperBallotsImported: EntryPayload, Equatable {
    public static let kind = "session.import"
    public var session: String
    public var file: String
    public var sha256: String
    public var count: Int
    public var void: Int

    public init(session: String, file: String, sha256: String, count: Int, void: Int) {
        self.session = session
        self.file = file
        self.sha256 = sha256
        self.count = count
        self.void = void
    }
}

/// `session.close`: casting ended; the returned count of paper ballots is recorded even when it
/// exceeds the issued count (the tally then voids the round).
public struct SessionClosed: EntryPayload, Equatable {
    public static let kind = "session.close"
    public var session: String
    public var issued: Int
    /// Ballot entries in the ledger for this session.
    public var recorded: Int
    /// Ballots returned (counted from the box, or = recorded for electronic voting).
    public var returned: Int
    /// Format 2: the recorded ballots cast electronically and entered from paper.
    public var electronic: Int?
    public var paper: Int?
    /// Format 2: electronic ballots the session's signed checkpoints acknowledged (each cast's
    /// checkpoint names the session's electronic count after it).
    public var acknowledged: Int?
    /// Format 2: what did not reconcile (empty when everything did).
    public var discrepancies: [CloseDiscrepancy]?

    public init(
        session: String, issued: Int, recorded: Int, returned: Int, electronic: Int? = nil, paper: Int? = nil,
        acknowledged: Int? = nil, discrepancies: [CloseDiscrepancy]? = nil
    ) {
        self.session = session
        self.issued = issued
        self.recorded = recorded
        self.returned = returned
        self.electronic = electronic
        self.paper = paper
        self.acknowledged = acknowledged
        self.discrepancies = discrepancies
    }

    /// The four counts format 1 recorded.
    public var countsOnly: SessionClosed { SessionClosed(session: session, issued: issued, recorded: recorded, returned: returned) }
}

/// What a close found not to reconcile.
public enum CloseDiscrepancy: String, Codable, Sendable, Equatable {
    /// More ballots returned (counted from the box) than the ledger holds.
    case returnedExceedsRecorded = "returned-exceeds-recorded"
    /// Fewer electronic ballots in the ledger than signed checkpoints acknowledged.
    case acknowledgedExceedsElectronic = "acknowledged-exceeds-electronic"

    /// The sentence the close and the 公告 print, with the figures.
    public func sentence(_ closed: SessionClosed) -> String {
        switch self {
        case .returnedExceedsRecorded:
            "收回选票 \(closed.returned) 张，账本中只有 \(closed.recorded) 张，相差 \(closed.returned - closed.recorded) 张未录入或已丢失。\(closed.returned) ballots returned but only \(closed.recorded) are in the ledger."
        case .acknowledgedExceedsElectronic:
            "已签名的检查点确认过 \(closed.acknowledged ?? 0) 张电子选票，账本中只有 \(closed.electronic ?? 0) 张：有已确认的选票不在账本中。Signed checkpoints acknowledged \(closed.acknowledged ?? 0) electronic ballots; the ledger holds \(closed.electronic ?? 0)."
        }
    }
}

extension Mark {
    /// A small number for each mark, used by the audit's ballot scanner and ``VoteCounter/add(marks:conflict:)``.
    public var code: UInt8 {
        switch self {
        case .approve: 1
        case .oppose: 2
        case .abstain: 3
        case .satisfied: 4
        case .basic: 5
        case .dissatisfied: 6
        }
    }
}
