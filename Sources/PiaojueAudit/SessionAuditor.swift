import PiaojueCrypto
public import PiaojueDomain
public import PiaojueLedger

/// Checks what the entries mean, as they stream past: every session's rules frozen before its first
/// credential, quorum at every issue, every ballot signed by a credential issued in its session, one
/// ballot per credential, nothing cast after closing, returned ≤ issued, and every tally re-derived
/// from the ballots by the frozen rules.
public final class SessionAuditor: EntryObserver {
    var frozen = CheckTally("票决办法先于凭证冻结 / rules, list and roster frozen before the first credential")
    var attendance = CheckTally("签到代表在名册且在任 / every check-in names a seated deputy on the frozen roster")
    var quorum = CheckTally("发放凭证时达到法定人数 / quorum at every issue, one credential per present deputy")
    var eligibility = CheckTally("每张选票由本会期发放的凭证签署 / every ballot signed by a credential issued in its session")
    var singleUse = CheckTally("一证一票 / one ballot per credential")
    var window = CheckTally("投票在发放之后、结束之前 / ballots only while the session is open")
    var returned = CheckTally("收回不多于发出，否则本轮无效 / returned ≤ issued, else the round is void")
    var retally = CheckTally("重新计票与记录一致 / re-tally from the ballots equals the recorded tally")
    var decision = CheckTally("当选结果符合冻结规则 / chosen set follows the frozen rules")
    /// Extra checks (rating sessions) contributed by other shapes.
    var extensions: [any SessionAuditExtension]

    struct RosterInfo {
        let hash: String
        let seated: Int
        let statuses: [String: Deputy.Status]
    }

    final class Track {
        let session: String
        let shape: SessionShape
        let openIndex: Int
        let header: SessionHeader
        let ballot: BallotSessionOpened?
        var present: Set<String> = []
        var issuedCount = 0
        /// This session's number in ``SessionAuditor/sessionNames`` (from 1).
        var number: Int32 = 0
        var closed: SessionClosed?
        var recorded = 0
        var counter: VoteCounter?
        var ballots: [Choices] = []
        var tally: TallyResult?

        init(session: String, shape: SessionShape, openIndex: Int, header: SessionHeader, ballot: BallotSessionOpened?) {
            self.session = session
            self.shape = shape
            self.openIndex = openIndex
            self.header = header
            self.ballot = ballot
            if let ballot {
                counter = VoteCounter(candidates: ballot.candidates.map(\.id), seats: ballot.seats, rules: ballot.rules)
            }
        }
    }

    var rosters: [Int: RosterInfo] = [:]
    var lists: [String: ListFrozen] = [:]
    var tracks: [String: Track] = [:]
    /// Every issued credential (its first 16 bytes): the issuing session's number, negative once
    /// the credential has voted. One compact table instead of sets per session keeps a
    /// million-ballot audit within bounded memory.
    var keys: [UInt128: Int32] = [:]
    var sessionNames: [String] = []
    var tallies: [String: TallyResult] = [:]

    public init(extensions: [any SessionAuditExtension] = []) { self.extensions = extensions }

    /// The first 16 bytes of a key, as a compact set member.
    static func fingerprint(_ key: [UInt8]) -> UInt128 {
        var value: UInt128 = 0
        for byte in key.prefix(16) { value = value << 8 | UInt128(byte) }
        return value
    }

    static func fingerprint(base64 text: String) -> UInt128? {
        guard let bytes = Encoding.unbase64(text), bytes.count == 32 else { return nil }
        return fingerprint(bytes)
    }

    func decode<T: Decodable>(_ type: T.Type, _ fields: EntryFields) -> T? {
        try? PayloadCoding.decode(T.self, from: fields.payload)
    }

    public func observe(_ fields: EntryFields, leafHash: [UInt8]) {
        let at = EntryPlace(fields)
        switch fields.kind {
        case RosterImported.kind:
            guard let roster = decode(RosterImported.self, fields) else { return }
            let hash = (try? PayloadCoding.encode(roster.deputies).canonicalBytes).map { Encoding.hex(SHA256.hash($0)) }
            if hash != roster.rosterHash || roster.seated != roster.deputies.count {
                frozen.fail("\(at) 名册的哈希或实有人数与名单不符 / the roster hash or seated count is wrong")
            }
            rosters[fields.index] = RosterInfo(
                hash: roster.rosterHash, seated: roster.seated,
                statuses: Dictionary(roster.deputies.map { ($0.id, $0.status) }, uniquingKeysWith: { first, _ in first }))
        case ListFrozen.kind:
            guard let list = decode(ListFrozen.self, fields) else {
                frozen.fail("\(at) 候选名单无法读取 / unreadable list")
                return
            }
            let hash = (try? PayloadCoding.encode(list.candidates).canonicalBytes).map { Encoding.hex(SHA256.hash($0)) }
            if hash != list.candidatesHash { frozen.fail("\(at) 候选名单的哈希不符 / the candidate list hash is wrong") }
            lists[list.list] = list
        case BallotSessionOpened.kind:
            guard let opened = decode(BallotSessionOpened.self, fields) else {
                frozen.fail("\(at) 开启会期的条目无法读取 / unreadable session opening")
                return
            }
            openBallotSession(opened, fields: fields, at: at)
        case CheckedIn.kind: checkin(fields, at: at)
        case CredentialsIssued.kind: issue(fields, at: at)
        case Ballot.kind, Ballot.paperKind: cast(fields, at: at)
        case SessionClosed.kind: close(fields, at: at)
        case TallyResult.kind: ballotTally(fields, at: at)
        default:
            if SessionService.openingKinds.contains(fields.kind) || fields.kind.hasPrefix("evaluate.") {
                for item in extensions { item.observe(fields, auditor: self) }
            }
        }
    }

    func openBallotSession(_ opened: BallotSessionOpened, fields: EntryFields, at: EntryPlace) {
        var problems: [String] = []
        if tracks[opened.session] != nil { problems.append("会期编号重复 / session id reused") }
        if let list = lists[opened.list] {
            if list.candidatesHash != opened.listHash { problems.append("名单哈希不符 / list hash differs") }
            let listed = Set(list.candidates.map(\.id))
            if !opened.candidates.allSatisfy({ listed.contains($0.id) }) { problems.append("候选项目不在名单中 / candidate not on the list") }
            if opened.parent == nil, opened.candidates != list.candidates || opened.seats != list.seats {
                problems.append("候选项目或应选数与名单不同 / candidates or seats differ from the list")
            }
        } else {
            problems.append("候选名单 \(opened.list) 未在此前冻结 / list not frozen before")
        }
        if (try? PayloadCoding.encode(opened.rules).canonicalBytes).map({ Encoding.hex(SHA256.hash($0)) }) != opened.rulesHash {
            problems.append("规则哈希不符 / rules hash differs")
        }
        if let roster = rosters[opened.header.rosterEntry] {
            if roster.hash != opened.header.rosterHash || roster.seated != opened.header.seated {
                problems.append("名册哈希或实有人数不符 / roster hash or seated differs")
            }
        } else {
            problems.append("名册条目 \(opened.header.rosterEntry) 不存在 / roster entry missing")
        }
        if opened.header.items != opened.candidates.map(\.id) || opened.header.shape != .vote || opened.header.session != opened.session {
            problems.append("会期头信息不一致 / header inconsistent")
        }
        if opened.header.quorum != opened.rules.quorum { problems.append("法定人数与规则不一致 / quorum differs from the rules") }
        if let parent = opened.parent {
            if let tally = tallies[parent] {
                if tally.status != .runoffRequired || Set(tally.runoff) != Set(opened.header.items) || tally.runoffSeats != opened.seats {
                    problems.append("再次投票与上一轮结果不符 / the runoff does not follow \(parent)'s tally")
                }
            } else {
                problems.append("上一轮 \(parent) 尚未计票 / parent not tallied")
            }
        }
        if problems.isEmpty { frozen.pass() } else { frozen.fail("\(at)：\(problems.joined(separator: "；"))") }
        register(Track(session: opened.session, shape: .vote, openIndex: fields.index, header: opened.header, ballot: opened))
    }

    /// Registers a session (ballot or rating) and gives it its number.
    func register(_ track: Track) {
        sessionNames.append(track.session)
        track.number = Int32(sessionNames.count)
        tracks[track.session] = track
    }

    func track(_ fields: EntryFields, at: EntryPlace) -> Track? {
        guard let session = fields.session, let track = tracks[session] else {
            frozen.fail("\(at) 所属会期此前未开启、未冻结规则 / its session was not opened with frozen rules before")
            return nil
        }
        return track
    }

    func checkin(_ fields: EntryFields, at: EntryPlace) {
        guard let track = track(fields, at: at), let event = decode(CheckedIn.self, fields) else { return }
        if track.closed != nil { window.fail("\(at) 结束后仍有签到 / check-in after closing") }
        let statuses = rosters[track.header.rosterEntry]?.statuses ?? [:]
        var ok = true
        for id in event.deputies {
            if statuses[id] != .seated { ok = false }
            track.present.insert(id)
        }
        if event.present != track.present.count { ok = false }
        if ok { attendance.pass() } else {
            attendance.fail("\(at) 签到名单有不在名册或暂停职务的代表，或人数不符 / a deputy is not seated on the roster, or the count is wrong")
        }
    }

    func issue(_ fields: EntryFields, at: EntryPlace) {
        guard let track = track(fields, at: at), let event = decode(CredentialsIssued.self, fields) else { return }
        if track.closed != nil { window.fail("\(at) 结束后仍发放凭证 / credentials issued after closing") }
        let present = track.present.count
        let keys = event.credentials.compactMap(Self.fingerprint(base64:))
        var problems: [String] = []
        if !track.header.quorum.isReached(count: present, of: track.header.seated) {
            problems.append("出席 \(present) 名未达法定人数 \(track.header.quorum.minimumCount(of: track.header.seated)) / no quorum")
        }
        if event.count != event.credentials.count || keys.count != event.count { problems.append("凭证数与公钥列表不符 / count ≠ keys") }
        if event.count != present - track.issuedCount { problems.append("凭证数应等于尚未领取凭证的出席代表数 / not one per present deputy") }
        if event.credentials != event.credentials.sorted() { problems.append("公钥列表未排序 / keys not sorted") }
        if event.present != present || event.seated != track.header.seated { problems.append("出席或实有人数记录不符 / present or seated misstated") }
        for key in keys {
            if self.keys[key] != nil { problems.append("凭证重复发放 / a key issued twice") }
            self.keys[key] = track.number
        }
        track.issuedCount += event.count
        if problems.isEmpty { quorum.pass() } else { quorum.fail("\(at)：\(problems.joined(separator: "；"))") }
    }

    func cast(_ fields: EntryFields, at: EntryPlace) {
        guard let track = track(fields, at: at) else { return }
        let key = Self.fingerprint(fields.signer)
        let owner = keys[key]
        if let owner, abs(owner) == track.number { eligibility.pass() } else if let owner {
            let name = Int(abs(owner)) - 1 < sessionNames.count ? sessionNames[Int(abs(owner)) - 1] : "?"
            eligibility.fail("\(at) 的凭证属于会期 \(name) / the credential belongs to session \(name)")
        } else {
            eligibility.fail("\(at) 的凭证从未发放 / the credential was never issued")
        }
        if let owner, owner < 0 {
            singleUse.fail("\(at) 的凭证已经投过票 / the credential had already voted")
        } else {
            singleUse.pass()
            if let owner { keys[key] = -owner }
        }
        if track.closed == nil { window.pass() } else { window.fail("\(at) 在会期结束后投出 / cast after closing") }
        track.recorded += 1
        guard let choices = Self.fastChoices(fields.payload), fields.payload["session"]?.stringValue == track.session else {
            retally.fail("\(at) 的选票内容无法读取 / unreadable ballot")
            return
        }
        if track.counter != nil { track.counter?.add(choices) } else { track.ballots.append(choices) }
    }

    /// The choices of a ballot payload (see ``BallotJSON``).
    static func fastChoices(_ payload: JSONValue) -> Choices? { BallotJSON.choices(payload) }

    func close(_ fields: EntryFields, at: EntryPlace) {
        guard let track = track(fields, at: at), let event = decode(SessionClosed.self, fields) else { return }
        if track.closed != nil { window.fail("\(at) 重复结束 / closed twice") }
        if event.issued != track.issuedCount || event.recorded != track.recorded || event.returned < event.recorded {
            returned.fail("\(at) 记录的发出 \(event.issued)/录入 \(event.recorded)/收回 \(event.returned) 与账本不符（发出 \(track.issuedCount)，录入 \(track.recorded)）/ the counts disagree with the ledger")
        }
        track.closed = event
    }

    func ballotTally(_ fields: EntryFields, at: EntryPlace) {
        guard let track = track(fields, at: at), let opened = track.ballot, let counter = track.counter else { return }
        guard let recorded = decode(TallyResult.self, fields) else {
            retally.fail("\(at) 计票结果无法读取 / unreadable tally")
            return
        }
        tallies[track.session] = recorded
        guard let closed = track.closed else {
            retally.fail("\(at) 会期未结束就计票 / tallied before closing")
            return
        }
        if track.tally != nil { retally.fail("\(at) 重复计票 / tallied twice") }
        track.tally = recorded
        let input = TallyInput(
            session: track.session, list: opened.list, round: opened.round, seats: opened.seats, candidates: opened.candidates,
            rules: opened.rules, seated: opened.header.seated, present: track.present.count, issued: closed.issued,
            returned: closed.returned, budgetCommitted: opened.budgetCommitted, ballots: [])
        let computed = VoteTally.decide(input, counter: counter)
        if ReturnedRule.voidsRound(returned: closed.returned, issued: closed.issued, excessReturnedVoidsRound: opened.rules.excessReturnedVoidsRound) {
            if recorded.status == .void { returned.pass() } else {
                returned.fail("\(at) 收回 \(closed.returned) 多于发出 \(closed.issued)，本轮应无效 / more returned than issued but the round was not voided")
            }
        } else {
            returned.pass()
        }
        let countsMatch = computed.valid == recorded.valid && computed.invalid == recorded.invalid
            && computed.recorded == recorded.recorded && computed.issued == recorded.issued && computed.returned == recorded.returned
            && computed.present == recorded.present && computed.seated == recorded.seated
            && computed.candidates.map { [$0.approve, $0.oppose, $0.abstain, $0.notPressed ?? -1] }
                == recorded.candidates.map { [$0.approve, $0.oppose, $0.abstain, $0.notPressed ?? -1] }
            && computed.candidates.map(\.id) == recorded.candidates.map(\.id)
        if countsMatch { retally.pass() } else {
            retally.fail("\(at) 会期 \(track.session) 重新计票结果与记录不符 / re-tally of \(track.session) differs from the record")
        }
        if computed == recorded { decision.pass() } else if countsMatch {
            decision.fail("\(at) 会期 \(track.session) 的当选结果不符合冻结的规则 / the decision does not follow the frozen rules")
        }
    }

    /// The recorded tally of a session, for bundle checks.
    public func recordedTally(session: String) -> TallyResult? { tallies[session] }

    public func finish() -> [(name: String, ok: Bool, detail: String)] {
        func row(_ tally: CheckTally, _ pass: String) -> (name: String, ok: Bool, detail: String) {
            let check = tally.check(id: 0, passDetail: pass)
            return (check.name, check.ok, check.detail)
        }
        let sessions = tracks.count
        var rows = [
            row(frozen, "\(sessions) 个会期均在发放凭证前冻结规则、名单和名册 / all \(sessions) sessions frozen first"),
            row(attendance, "\(attendance.checked) 次签到均有效 / all check-ins valid"),
            row(quorum, "\(quorum.checked) 批凭证发放时均达到法定人数 / quorum at all \(quorum.checked) issues"),
            row(eligibility, "\(eligibility.checked) 张选票的凭证均为本会期发放 / all issued in their session"),
            row(singleUse, "\(singleUse.checked) 张选票，无一证多投 / no credential used twice"),
            row(window, "全部选票在会期开放期间投出 / all cast while open"),
            row(returned, "\(returned.checked) 个会期收回不多于发出，或已判定无效 / all consistent"),
            row(retally, "\(retally.checked) 次计票均可由选票重新得出 / all re-derived"),
            row(decision, "\(decision.checked) 次当选结果均符合冻结规则 / all follow the rules"),
        ]
        for item in extensions { rows.append(contentsOf: item.finish()) }
        return rows
    }
}

/// Checks for another session shape (rating sessions), plugged into ``SessionAuditor``.
public protocol SessionAuditExtension: AnyObject {
    func observe(_ fields: EntryFields, auditor: SessionAuditor)
    func finish() -> [(name: String, ok: Bool, detail: String)]
}

/// The opening kinds the auditor treats as sessions.
enum SessionService {
    static let openingKinds = ["ballot.open", "evaluate.open"]
}
