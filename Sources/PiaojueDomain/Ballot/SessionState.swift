/// A session (ballot or rating) rebuilt from its entries, and the decisions its machinery allows:
/// check-in, issuing credentials, accepting a ballot, closing.
public struct SessionState: Sendable {
    public let header: SessionHeader
    /// Deputies present, in check-in order.
    public private(set) var present: [String] = []
    private var presentSet: Set<String> = []
    /// The issues so far, by their figures: the keys themselves stay in the ledger's entries (and
    /// its credentials index), so that replaying a million ballots does not hold a million keys
    /// twice over.
    public private(set) var batches: [IssueBatch] = []
    /// Credentials printed in this session, over every issue.
    private var printedKeys = 0
    public private(set) var closed: SessionClosed?
    /// Ballot entries recorded so far, and of them the electronic (`session.cast`) ones.
    public private(set) var recorded = 0
    public private(set) var electronic = 0
    /// Slips handed out to deputies so far (发出): every key of a format-1 batch, the `handedOut`
    /// of a format-2 issue and its later handouts.
    public private(set) var handedOut = 0

    public init(header: SessionHeader) { self.header = header }

    public var session: String { header.session }
    /// Ballots issued (发出): the slips handed out, which is what the returned count is held to.
    public var issued: Int { handedOut }
    /// Credentials printed: handed out plus sealed.
    public var printed: Int { printedKeys }
    /// Printed slips not handed out, kept sealed by the scrutineers.
    public var sealed: Int { max(0, printedKeys - handedOut) }
    /// Present deputies who have not been given a slip yet.
    public var awaitingCredentials: Int { max(0, present.count - handedOut) }
    public var isClosed: Bool { closed != nil }

    /// Quorum (法定人数): present ≥ quorum × seated, inclusive (T1, T2).
    public var quorumReached: Bool { header.quorum.isReached(count: present.count, of: header.seated) }
    /// The least number present for quorum.
    public var quorumNeeded: Int { header.quorum.minimumCount(of: header.seated) }

    // MARK: Replay

    /// Check-ins count while the session is open (a closed session refuses them: see
    /// ``decide(checkin:roster:)``).
    public mutating func apply(_ event: CheckedIn) {
        guard !isClosed else { return }
        for id in event.deputies where presentSet.insert(id).inserted { present.append(id) }
    }

    public mutating func apply(_ event: CredentialsIssued) {
        batches.append(IssueBatch(count: event.count, handedOut: event.handedOut))
        printedKeys += event.credentials.count
        handedOut += event.handedOut ?? event.count
    }

    public mutating func apply(_ event: CredentialsHandedOut) { handedOut = event.handedOut }

    /// Closes the session. The set that kept check-ins unique is let go: nobody checks in after
    /// closing, and an audit replaying a million ballots would otherwise hold every session's.
    public mutating func apply(_ event: SessionClosed) {
        closed = event
        presentSet = []
    }

    /// One more ballot entry, cast electronically or entered from paper.
    public mutating func recordBallot(electronic isElectronic: Bool) {
        recorded += 1
        if isElectronic { electronic += 1 }
    }

    // MARK: Decisions

    /// Attendance: every id must be on the session's roster and seated (not suspended); ids already
    /// present are skipped. Returns nil when nobody new is present.
    public func decide(checkin ids: [String], roster: [Deputy]) throws(SessionRefusal) -> CheckedIn? {
        guard !isClosed else { throw refusal(.closed(session: session)) }
        guard !ids.isEmpty else { throw refusal(.noDeputies) }
        let byID = Dictionary(roster.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var added: [String] = []
        var seen = presentSet
        for id in ids {
            guard let deputy = byID[id] else {
                if let lookAlike = CleanText.lookAlike(of: id, in: roster.lazy.map(\.id)) {
                    throw refusal(.lookAlikeOnRoster(deputy: id, onRoster: lookAlike))
                }
                throw refusal(.notOnRoster(deputy: id))
            }
            guard deputy.status == .seated else {
                throw refusal(.suspended(deputy: id, name: deputy.name))
            }
            if seen.insert(id).inserted { added.append(id) }
        }
        guard !added.isEmpty else { return nil }
        return CheckedIn(session: session, deputies: added, present: present.count + added.count)
    }

    /// What `issue` does now.
    public enum IssueDecision: Sendable, Equatable {
        /// Print `keys` credentials (one per seated deputy) and hand out `handOut` of them.
        case issue(keys: Int, handOut: Int)
        /// Hand out `count` more of the sealed slips, to deputies who arrived after the issue.
        case handOut(count: Int)
    }

    /// The first issue prints a credential for every seated deputy and hands one to each deputy
    /// present; later calls hand out sealed slips to the deputies present since. Refused without
    /// quorum (T1), after closing, or when everyone present already has a slip.
    public func decideIssue() throws(SessionRefusal) -> IssueDecision {
        guard !isClosed else { throw refusal(.closed(session: session)) }
        guard quorumReached else {
            throw refusal(.noQuorum(seated: header.seated, present: present.count, needed: quorumNeeded, quorum: header.quorum.description))
        }
        let count = awaitingCredentials
        guard count > 0 else { throw refusal(.allIssued(present: present.count)) }
        if batches.isEmpty { return .issue(keys: max(header.seated, present.count), handOut: count) }
        // A format-1 session, issued batch by batch, keeps going that way: it has no sealed slips.
        if sealed < count { return .issue(keys: count, handOut: count) }
        return .handOut(count: count)
    }

    /// The handout that ``decideIssue()`` asked for, as an entry.
    public func handout(_ count: Int) -> CredentialsHandedOut {
        CredentialsHandedOut(session: session, count: count, handedOut: handedOut + count, present: present.count)
    }

    /// Whether a ballot signed by `publicKey` (base64) may be recorded now; see
    /// ``checkCast(session:isClosed:usedAt:issuedIn:)``.
    public func check(castBy publicKey: String, usedAt: Int?, issuedIn: String?) throws(SessionRefusal) {
        try Self.checkCast(session: session, shape: header.shape, isClosed: isClosed, usedAt: usedAt, issuedIn: issuedIn)
    }

    /// Whether a ballot may be recorded in `session` now. `usedAt` is the entry of an earlier
    /// ballot by the same credential (T21: refused, the first ballot stands); `issuedIn` is the
    /// session that issued the credential, nil when none did (T22: another session's credential is
    /// refused, naming it). The ledger's UNIQUE credential column enforces single use a second time.
    public static func checkCast(
        session: String, shape: SessionShape, isClosed: Bool, usedAt: Int?, issuedIn: String?
    ) throws(SessionRefusal) {
        if let usedAt { throw SessionRefusal(.alreadyVoted(entry: usedAt), shape: shape) }
        guard !isClosed else { throw SessionRefusal(.closed(session: session), shape: shape) }
        guard issuedIn == session else {
            if let other = issuedIn { throw SessionRefusal(.otherSession(session: session, other: other), shape: shape) }
            throw SessionRefusal(.notIssued(session: session), shape: shape)
        }
    }

    /// No more ballots than slips handed out: a sealed slip cannot vote before it is handed out
    /// (`recorded` ballots so far, `adding` more now).
    public static func checkHandedOut(
        session: String, shape: SessionShape, recorded: Int, adding: Int, handedOut: Int
    ) throws(SessionRefusal) {
        guard recorded + adding <= handedOut else {
            throw SessionRefusal(.moreBallotsThanSlips(recorded: recorded, adding: adding, handedOut: handedOut), shape: shape)
        }
    }

    /// The state of a session that must exist: a session that was never opened has no adopted
    /// voting rules, so nothing may be done in it (T6).
    public static func adopted(_ state: SessionState?, session: String, shape: SessionShape) throws(SessionRefusal) -> SessionState {
        guard let state else { throw SessionRefusal(.notOpened(session: session), shape: shape) }
        return state
    }

    /// The choices of an electronic ballot, checked and put in order: only this session's ids, each
    /// at most once, only the marks the form allows. An over-marked vote is accepted and counts
    /// void, exactly as an over-marked paper ballot does (``VoteTally/voidReason(_:seats:rules:)``);
    /// the booth warns and asks once more before it sends one.
    public func normalize(_ choices: Choices, form: BallotForm?) throws(SessionRefusal) -> Choices {
        let allowed = header.shape.marks
        var seen: [String: Mark] = [:]
        // One set per ballot, so that each id costs one lookup however many items the ballot has.
        let onBallot = Set(header.items)
        for mark in Mark.allCases {
            let ids = choices[mark]
            guard !ids.isEmpty else { continue }
            guard allowed.contains(mark) else {
                throw refusal(.markNotOnForm(mark: mark.rawValue))
            }
            if form == .approveOnly, mark != .approve {
                throw refusal(.approveOnly)
            }
            for id in ids {
                guard onBallot.contains(id) else {
                    throw refusal(.notOnBallot(id: id, items: header.items))
                }
                if let other = seen[id] {
                    throw refusal(.markedTwice(id: id, first: other.rawValue, second: mark.rawValue))
                }
                seen[id] = mark
            }
        }
        var ordered: [Mark: [String]] = [:]
        for mark in allowed {
            ordered[mark] = header.items.filter { seen[$0] == mark }
        }
        return Choices(ordered)
    }

    /// Closing: the returned count defaults to the ballots recorded. Fewer returned than recorded is
    /// impossible; more than issued is recorded (the tally voids the round, T7).
    /// Closing: the returned count (默认 = ballots recorded) may not be below the ballots recorded.
    /// The close reconciles what the ledger holds with what was counted and acknowledged: more
    /// returned than recorded, or fewer electronic ballots than the session's signed checkpoints
    /// acknowledged (`acknowledged`), is recorded as a discrepancy with its figures, stated in
    /// the 公告. `format` 1 records only the four counts.
    public func decideClose(returned: Int?, acknowledged: Int, format: Int = 2) throws(SessionRefusal) -> SessionClosed {
        guard !isClosed else { throw refusal(.closed(session: session)) }
        guard !batches.isEmpty else { throw refusal(.nothingIssued(session: session)) }
        let count = returned ?? recorded
        guard count >= 0 else { throw refusal(.negativeReturned) }
        guard count >= recorded else { throw refusal(.returnedBelowRecorded(returned: count, recorded: recorded)) }
        var closed = SessionClosed(session: session, issued: issued, recorded: recorded, returned: count)
        guard format >= 2 else { return closed }
        closed.electronic = electronic
        closed.paper = recorded - electronic
        closed.acknowledged = acknowledged
        var discrepancies: [CloseDiscrepancy] = []
        if count > recorded { discrepancies.append(.returnedExceedsRecorded) }
        if acknowledged > electronic { discrepancies.append(.acknowledgedExceedsElectronic) }
        closed.discrepancies = discrepancies
        return closed
    }

    /// A refusal about this session.
    public func refusal(_ reason: SessionRefusal.Reason) -> SessionRefusal { SessionRefusal(reason, shape: header.shape) }
}

/// The issued-versus-returned rule (T7, T8), in one place for every tally, the close and the audit.
public enum ReturnedRule {
    /// More ballots returned than issued voids the round when the rules say so (ballot sessions:
    /// `excessReturnedVoidsRound`; rating sessions always); fewer is valid, the difference recorded.
    public static func voidsRound(returned: Int, issued: Int, excessReturnedVoidsRound: Bool) -> Bool {
        excessReturnedVoidsRound && returned > issued
    }

    /// Rating sessions have no switch: an excess always voids the rating.
    public static let ratingsVoidOnExcess = true
}

/// One `session.issue` as a session's state keeps it: how many credentials it printed and, in
/// format 2, how many of them it handed out.
public struct IssueBatch: Sendable, Equatable {
    public let count: Int
    public let handedOut: Int?

    public init(count: Int, handedOut: Int?) {
        self.count = count
        self.handedOut = handedOut
    }
}
