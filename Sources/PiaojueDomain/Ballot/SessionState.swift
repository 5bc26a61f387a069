/// A session (ballot or rating) rebuilt from its entries, and the decisions its machinery allows:
/// check-in, issuing credentials, accepting a ballot, closing.
public struct SessionState: Sendable {
    public let header: SessionHeader
    /// Deputies present, in check-in order.
    public private(set) var present: [String] = []
    private var presentSet: Set<String> = []
    public private(set) var batches: [CredentialsIssued] = []
    /// Base64 public keys of every credential issued in this session.
    public private(set) var issuedKeys: Set<String> = []
    public private(set) var closed: SessionClosed?
    /// Ballot entries recorded so far.
    public private(set) var recorded = 0

    public init(header: SessionHeader) { self.header = header }

    public var session: String { header.session }
    public var issued: Int { issuedKeys.count }
    /// Present deputies who have not been given a credential yet.
    public var awaitingCredentials: Int { max(0, present.count - batches.reduce(0) { $0 + $1.count }) }
    public var isClosed: Bool { closed != nil }

    /// Quorum (法定人数): present ≥ quorum × seated, inclusive (T1, T2).
    public var quorumReached: Bool { header.quorum.isReached(count: present.count, of: header.seated) }
    /// The least number present for quorum.
    public var quorumNeeded: Int { header.quorum.minimumCount(of: header.seated) }

    // MARK: Replay

    public mutating func apply(_ event: CheckedIn) {
        for id in event.deputies where presentSet.insert(id).inserted { present.append(id) }
    }

    public mutating func apply(_ event: CredentialsIssued) {
        batches.append(event)
        issuedKeys.formUnion(event.credentials)
    }

    public mutating func apply(_ event: SessionClosed) { closed = event }

    public mutating func recordBallot() { recorded += 1 }

    // MARK: Decisions

    /// Attendance: every id must be on the session's roster and seated (not suspended); ids already
    /// present are skipped. Returns nil when nobody new is present.
    public func decide(checkin ids: [String], roster: [Deputy]) throws(DomainFailure) -> CheckedIn? {
        guard !isClosed else { throw .rule(Self.closedRefusal(session)) }
        guard !ids.isEmpty else { throw .input(InputError("请用 --deputy 或 --present 给出签到的代表编号。Give the deputies present.")) }
        let byID = Dictionary(roster.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var added: [String] = []
        var seen = presentSet
        for id in ids {
            guard let deputy = byID[id] else {
                throw .input(InputError("代表编号 \(id) 不在本会期的代表名册中，请核对签到名单。Deputy \(id) is not on this session's roster."))
            }
            guard deputy.status == .seated else {
                throw .rule(RuleRefusal("代表 \(id)（\(deputy.name)）已暂停代表职务，不能签到参加表决。Deputy \(id) is suspended and cannot vote."))
            }
            if seen.insert(id).inserted { added.append(id) }
        }
        guard !added.isEmpty else { return nil }
        return CheckedIn(session: session, deputies: added, present: present.count + added.count)
    }

    /// How many credentials to issue now: one per present deputy without one. Refused without
    /// quorum (T1), after closing, or when everyone present already has one.
    public func decideIssue() throws(RuleRefusal) -> Int {
        guard !isClosed else { throw Self.closedRefusal(session) }
        guard quorumReached else {
            throw RuleRefusal("未达到法定人数：实有代表 \(header.seated) 名，出席 \(present.count) 名，至少需要 \(quorumNeeded) 名（\(header.quorum)），不能发放选票。No quorum: \(present.count) of \(header.seated) present, \(quorumNeeded) needed.")
        }
        let count = awaitingCredentials
        guard count > 0 else {
            throw RuleRefusal("出席的 \(present.count) 名代表都已领取凭证，没有需要发放的。Every present deputy already has a credential.")
        }
        return count
    }

    /// Whether a ballot signed by `publicKey` (base64) may be recorded now; see
    /// ``checkCast(session:isClosed:usedAt:issuedIn:)``.
    public func check(castBy publicKey: String, usedAt: Int?, issuedIn: String?) throws(RuleRefusal) {
        try Self.checkCast(session: session, isClosed: isClosed, usedAt: usedAt, issuedIn: issuedIn)
    }

    /// Whether a ballot may be recorded in `session` now. `usedAt` is the entry of an earlier
    /// ballot by the same credential (T21: refused, the first ballot stands); `issuedIn` is the
    /// session that issued the credential, nil when none did (T22: another session's credential is
    /// refused, naming it). The ledger's UNIQUE credential column enforces single use a second time.
    public static func checkCast(session: String, isClosed: Bool, usedAt: Int?, issuedIn: String?) throws(RuleRefusal) {
        if let usedAt {
            throw RuleRefusal("该凭证已经投过票（第 \(usedAt) 条），第一次投出的选票有效，本次拒绝。This credential has already voted (entry \(usedAt)); the first ballot stands.")
        }
        guard !isClosed else { throw closedRefusal(session) }
        guard issuedIn == session else {
            if let other = issuedIn {
                throw RuleRefusal("该凭证属于会期 \(other)，不能在会期 \(session) 投票。This credential belongs to session \(other), not \(session).")
            }
            throw RuleRefusal("该凭证不是本会期 \(session) 发放的，拒绝投票。This credential was not issued for session \(session).")
        }
    }

    /// The state of a session that must exist: a session that was never opened has no adopted
    /// voting rules, so nothing may be done in it (T6).
    public static func adopted(_ state: SessionState?, session: String) throws(RuleRefusal) -> SessionState {
        guard let state else {
            throw RuleRefusal("会期 \(session) 不存在或尚未通过并冻结票决办法，不能进行此操作：请核对会期编号（`piaojue log --kind ballot.open` 或 `--kind evaluate.open` 列出已开启的会期），或先 `piaojue ballot open` / `piaojue evaluate open`。Session \(session) does not exist or has no adopted rules: check the id, or open the session first.")
        }
        return state
    }

    /// The choices of an electronic ballot, checked and put in order: only this session's ids, each
    /// at most once, only the marks the form allows. An over-marked vote is refused (electronic
    /// ballots are never recorded void; paper ones are, see ``VoteTally``).
    public func normalize(_ choices: Choices, form: BallotForm?, seats: Int?) throws(InputError) -> Choices {
        let allowed = header.shape.marks
        var seen: [String: Mark] = [:]
        for mark in Mark.allCases {
            let ids = choices[mark]
            guard !ids.isEmpty else { continue }
            guard allowed.contains(mark) else {
                throw InputError("本会期的选票不接受“\(mark.chinese)”(\(mark.rawValue))。This ballot has no \(mark.rawValue) mark.")
            }
            if form == .approveOnly, mark != .approve {
                throw InputError("勾选式选票只能标记赞成，未勾选即不赞成。An approve-only ballot takes ticks (--approve) only.")
            }
            for id in ids {
                guard header.items.contains(id) else {
                    throw InputError("编号 \(id) 不在本会期的\(header.shape == .vote ? "候选项目" : "测评项目")中（\(header.items.joined(separator: ","))）。\(id) is not on this ballot.")
                }
                if let other = seen[id] {
                    throw InputError("项目 \(id) 同时标记为“\(other.chinese)”和“\(mark.chinese)”，每个项目只能标记一次。\(id) is marked twice.")
                }
                seen[id] = mark
            }
        }
        if header.shape == .vote, let seats, form != nil, choices[.approve].count > seats {
            throw InputError("赞成 \(choices[.approve].count) 项，超过应选数 \(seats) 项，这是废票；请重新选择。More approvals (\(choices[.approve].count)) than seats (\(seats)).")
        }
        var ordered: [Mark: [String]] = [:]
        for mark in allowed {
            ordered[mark] = header.items.filter { seen[$0] == mark }
        }
        return Choices(ordered)
    }

    /// Closing: the returned count defaults to the ballots recorded. Fewer returned than recorded is
    /// impossible; more than issued is recorded (the tally voids the round, T7).
    public func decideClose(returned: Int?) throws(DomainFailure) -> SessionClosed {
        guard !isClosed else { throw .rule(Self.closedRefusal(session)) }
        guard !batches.isEmpty else {
            throw .rule(RuleRefusal("会期 \(session) 还没有发放任何凭证，不能结束投票；请先 `piaojue ballot issue \(session) --out 凭证文件`。No credentials were issued in \(session); issue them first."))
        }
        let count = returned ?? recorded
        guard count >= 0 else { throw .input(InputError("收回票数 --returned 不能为负。--returned cannot be negative.")) }
        guard count >= recorded else {
            throw .rule(RuleRefusal("收回票数 \(count) 少于已录入的 \(recorded) 张选票，请核对。Returned (\(count)) is less than the \(recorded) ballots recorded."))
        }
        return SessionClosed(session: session, issued: issued, recorded: recorded, returned: count)
    }

    static func closedRefusal(_ session: String) -> RuleRefusal {
        RuleRefusal("会期 \(session) 已结束投票，不能再签到、发放凭证或投票。Session \(session) is closed.")
    }
}
