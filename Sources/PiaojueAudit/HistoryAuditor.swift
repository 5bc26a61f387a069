public import PiaojueCrypto
import PiaojueDomain
public import PiaojueLedger

/// Replays the whole history, entry by entry, and re-derives every field of every entry with the
/// same domain decisions the services made them with: an entry is accepted only when the decision
/// on the state before it gives exactly that payload (compared as canonical JSON, so an unknown
/// or missing member fails too). What the ledger cannot re-derive — a title, a meeting reference,
/// a note, the rules adopted — is checked against its definition (non-empty, in range, a valid
/// rules file). Kinds outside the closed list fail; so do entry times that go backwards.
///
/// The checks are grouped by what they protect; docs/audit-format.md §5 lists every field and the
/// check that covers it. Format-1 entries (before a `ledger.upgrade`) are checked by the rules of
/// format 1: the same decisions, compared without the prose fields format 1 carried.
public final class HistoryAuditor: EntryObserver {
    // MARK: Checks, in the order they are reported

    var kinds = CheckTally("条目种类、时间与格式 / known entry kinds, times never going back, the payload format")
    var genesis = CheckTally("账本创建条目 / ledger.init: body, level, key name and format derived")
    var rosters = CheckTally("名册 / rosters and raters' lists valid, counts and hashes re-derived")
    var collection = CollectionChecks()
    var frozen = CheckTally("会期开启 / every session opening re-derived: list, round, seats, budget committed, roster, rules frozen before the first credential")
    var attendance = CheckTally("签到 / every check-in re-derived: seated deputies of the frozen roster, counts")
    var issues = CheckTally("发放凭证 / every issue and handout re-derived: quorum, one slip per deputy present, keys sorted and never reused")
    var eligibility = CheckTally("每张选票由本会期发放的凭证签署 / every ballot signed by a credential issued in its session")
    var singleUse = CheckTally("一证一票 / one ballot per credential, no more ballots than slips handed out")
    var window = CheckTally("投票在发放之后、结束之前 / ballots only while the session is open")
    var ballotForm = CheckTally("选票格式 / every ballot of its session's form, its medium signed (electronic ballots in ballot order)")
    var imports = CheckTally("纸质选票录入 / every paper import summary re-derived: count, void ballots, file")
    var closing = CheckTally("结束投票 / every close re-derived: issued, recorded, returned; returned ≤ issued or the round void")
    var retally = CheckTally("重新计票与记录一致 / re-tally from the ballots equals the recorded counts")
    var decision = CheckTally("当选结果符合冻结规则 / every decision re-derived by the frozen rules")
    var ratingOpened = CheckTally("测评会期 / every rating session re-derived: projects chosen and eligible, raters, rules frozen")
    var ratingClasses = CheckTally("测评等次 / every rating re-derived from its ballots by the frozen rules")
    var rectifications = CheckTally("整改 / every rectification re-derived from a flagged rating")
    var implementation = CheckTally("组织实施 / every plan, progress report, problem and adjustment re-derived")

    /// Groups the Stage 1 checks under one name.
    struct CollectionChecks {
        var tally = CheckTally("征集初定 / every proposal, import, screening, approval and candidate list re-derived")
    }

    // MARK: State

    /// The payload format in force (1 until a `ledger.upgrade`).
    private(set) var format = 1
    private var lastTime: String?
    private var level: BodyLevel?
    /// Roster entries by index (`roster.import`, `evaluate.raters`) and the latest seated roster.
    /// Only the rosters an entry can still refer to are kept (see ``releaseRosters()``).
    private var rosterEntries: [Int: RosterImported] = [:]
    /// Sessions whose roster later entries may still need: open, or waiting for their tally, or
    /// tallied as needing a runoff that has not been opened.
    private var unsettled: Set<String> = []
    /// Sessions with paper ballots read since their last `session.import` summary (so that no
    /// entry has to look through every session for them).
    private var openPaperRuns: [Track] = []
    private var latestRoster: (index: Int, roster: RosterImported)?
    /// The entries that are raters' lists (`evaluate.raters`), not rosters.
    private var raterEntries: Set<Int> = []
    /// Rating sessions already tallied.
    private var ratingTallied: Set<String> = []
    private var collectionState = CollectionState()
    /// Submissions of one spreadsheet still waiting for their `collect.import` summary.
    private var importRun: (file: String, sha256: String, ids: [String])?
    private var lists: [String: ListFrozen] = [:]
    private var ballotOpenings: [BallotSessionOpened] = []
    private var tracks: [String: Track] = [:]
    private var sessionNames: [String] = []
    /// Every issued credential (its first 16 bytes): the issuing session's number, negative once it voted.
    private var keys: [UInt128: Int32] = [:]
    private var tallies: [String: (index: Int, result: TallyResult)] = [:]
    private var ratingOpenings: [String: RatingSessionOpened] = [:]
    private var ratingHistory = RatingHistory()
    private var implementationState = ImplementationState(projects: [])
    private var chosen: [ChosenProject] = []
    /// An entry that must come next (a runoff's carried check-in, a raters' list's rating session).
    private var expectedNext: (kind: String, description: String, check: (EntryFields) -> [String])?
    /// The recorded tally of each session, for bundle checks.
    public private(set) var recordedTallies: [String: (kind: String, payload: JSONValue)] = [:]

    /// One session as replayed.
    final class Track {
        let opened: (ballot: BallotSessionOpened?, rating: RatingSessionOpened?)
        var state: SessionState
        let number: Int32
        var counter: VoteCounter?
        var ratingCounter: RatingCounter?
        /// Paper ballots read since the last import summary: their count and void ones.
        var paperRun = 0
        var paperVoid = 0
        /// The session's items as a set, so that checking a paper ballot's ids costs one lookup per
        /// id (a ballot of 2,000 candidates marks about as many).
        let items: Set<String>

        init(ballot: BallotSessionOpened?, rating: RatingSessionOpened?, header: SessionHeader, number: Int32) {
            opened = (ballot, rating)
            state = SessionState(header: header)
            self.number = number
            items = Set(header.items)
            if let ballot { counter = VoteCounter(candidates: ballot.candidates.map(\.id), seats: ballot.seats, rules: ballot.rules) }
            if rating != nil { ratingCounter = RatingCounter(projects: header.items) }
        }

        var shape: SessionShape { state.header.shape }
    }

    /// The electronic ballots of a session its cast checkpoints acknowledged before entry
    /// `index` (the live ledger's checkpoint rows); nil in a bundle.
    public var acknowledgedBallots: ((_ session: String, _ before: Int) -> Int?)?

    public init() {}

    // MARK: Helpers

    /// The first 16 bytes of a credential key: of the 32-byte Ed25519 key, or of the x coordinate
    /// of a 65-byte SM2 point (after its 0x04).
    static func fingerprint(_ key: [UInt8]) -> UInt128 {
        var value: UInt128 = 0
        for byte in key.count == CryptoSuite.gm.publicKeyByteCount ? key.dropFirst().prefix(16) : key.prefix(16) {
            value = value << 8 | UInt128(byte)
        }
        return value
    }

    static func fingerprint(base64 text: String) -> UInt128? {
        guard let bytes = Encoding.unbase64(text),
            bytes.count == CryptoSuite.standard.publicKeyByteCount || bytes.count == CryptoSuite.gm.publicKeyByteCount
        else { return nil }
        return fingerprint(bytes)
    }

    func decode<T: Decodable>(_ type: T.Type, _ fields: EntryFields) -> T? {
        try? PayloadCoding.decode(T.self, canonical: fields.payloadBytes)
    }

    /// The members of the entry's payload that differ from the canonical JSON of `expected`.
    static func differences(_ expected: some Encodable, _ fields: EntryFields) -> [String] {
        differences(expected, fields.payload, canonical: fields.payloadBytes)
    }

    /// The members of `recorded` that differ from the canonical JSON of `expected`.
    static func differences(_ expected: some Encodable, _ recorded: JSONValue) -> [String] {
        differences(expected, recorded, canonical: recorded.canonicalBytes)
    }

    /// `canonical`: the canonical bytes of `recorded`. An `expected` whose `JSONEncoder` bytes are
    /// exactly those is the same value: nothing is parsed or written out again to compare.
    static func differences(_ expected: some Encodable, _ recorded: JSONValue, canonical: [UInt8]) -> [String] {
        guard let encoded = try? PayloadCoding.encoderBytes(expected) else { return ["(cannot encode)"] }
        if encoded == canonical { return [] }
        guard let expectedValue = try? JSONValue.parse(encoded) else { return ["(cannot encode)"] }
        return differences(value: expectedValue, recorded, canonical: canonical)
    }

    /// The members of the entry's payload that differ from `expected`.
    static func differences(value expected: JSONValue, _ fields: EntryFields) -> [String] {
        differences(value: expected, fields.payload, canonical: fields.payloadBytes)
    }

    static func differences(value expected: JSONValue, _ recorded: JSONValue, canonical: [UInt8]? = nil) -> [String] {
        if expected.canonicalBytes == canonical ?? recorded.canonicalBytes { return [] }
        guard let a = expected.objectValue, let b = recorded.objectValue else { return ["payload"] }
        let names = Set(a.keys).union(b.keys).sorted()
        let differing = names.filter { a[$0]?.canonicalBytes != b[$0]?.canonicalBytes }
        return differing.isEmpty ? ["payload"] : differing
    }

    func note(_ tally: inout CheckTally, _ at: EntryPlace, _ problems: [String]) {
        if problems.isEmpty { tally.pass() } else { tally.fail("\(at)：\(problems.joined(separator: "；"))") }
    }

    func mismatch(_ fields: [String]) -> [String] {
        fields.isEmpty ? [] : ["与按此前记录重新推导的结果不同的字段 / fields differing from the re-derived entry: \(fields.joined(separator: ", "))"]
    }

    func day(_ fields: EntryFields) -> Day? { Day(ledgerTime: fields.time) }

    /// Whether `text` is a SHA-256 as the ledger writes it: 64 lowercase hex digits.
    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// A refusal's sentence (or, for anything else, its description) as a finding.
    static func describe(_ error: any Error) -> String {
        (error as? any ClerkFacingError)?.description ?? String(describing: error)
    }

    // MARK: The stream

    /// The kinds every format knows, and those only format 2 has.
    static let kindsOfEveryFormat: Set<String> = [
        "ledger.init", RosterImported.kind, ProposalSubmitted.kind, ProposalsImported.kind, ProposalScreened.kind,
        ListStepApproved.kind, ListFrozen.kind, BallotSessionOpened.kind, CheckedIn.kind, CredentialsIssued.kind, Ballot.kind,
        Ballot.paperKind, PaperBallotsImported.kind, SessionClosed.kind, TallyResult.kind, PlanPublished.kind, ProgressReported.kind,
        ProblemRecorded.kind, AdjustmentDecided.kind, RaterRoster.kind, RatingSessionOpened.kind, RatingResult.kind, Rectification.kind,
    ]
    static let kindsOfFormat2: Set<String> = [LedgerFormat.upgradeKind, CredentialsHandedOut.kind]

    public func observe(_ fields: EntryFields, leafHash: [UInt8]) {
        let at = EntryPlace(fields)
        // Times never go backwards; the kind is one of the closed list of its format.
        var problems: [String] = []
        if let lastTime, fields.time < lastTime { problems.append("时间 \(fields.time) 早于前一条的 \(lastTime) / time goes backwards") }
        lastTime = fields.time
        let known = Self.kindsOfEveryFormat.contains(fields.kind) || (format >= 2 && Self.kindsOfFormat2.contains(fields.kind))
            || (fields.kind == LedgerFormat.upgradeKind && format == 1)
        if !known { problems.append("未知的条目种类 \(fields.kind) / unknown entry kind") }
        if let expected = expectedNext {
            expectedNext = nil
            if fields.kind != expected.kind {
                problems.append("此处应为 \(expected.description) / \(expected.description) must come here")
            } else {
                problems.append(contentsOf: expected.check(fields))
            }
        }
        if let run = importRun, fields.kind != ProposalSubmitted.kind, fields.kind != ProposalsImported.kind {
            problems.append("文件 \(run.file) 的建议项目之后缺少 collect.import 汇总 / the import of \(run.file) has no summary")
            importRun = nil
        }
        if fields.kind != Ballot.paperKind, fields.kind != PaperBallotsImported.kind, let open = openPaperRuns.first(where: { $0.paperRun > 0 }) {
            problems.append("会期 \(open.state.session) 的纸质选票之后缺少 session.import 汇总 / paper ballots without their import summary")
            open.paperRun = 0
            openPaperRuns.removeAll { $0.paperRun == 0 }
        }
        note(&kinds, at, problems)
        guard known else { return }

        switch fields.kind {
        case "ledger.init": ledgerInit(fields, at)
        case LedgerFormat.upgradeKind: upgrade(fields, at)
        case RosterImported.kind: roster(fields, at)
        case ProposalSubmitted.kind, ProposalsImported.kind, ProposalScreened.kind, ListStepApproved.kind, ListFrozen.kind:
            stageOne(fields, at)
        case BallotSessionOpened.kind: ballotOpen(fields, at)
        case CheckedIn.kind: checkin(fields, at)
        case CredentialsIssued.kind: issue(fields, at)
        case CredentialsHandedOut.kind: handout(fields, at)
        case Ballot.kind, Ballot.paperKind: ballot(fields, at)
        case PaperBallotsImported.kind: paperImport(fields, at)
        case SessionClosed.kind: close(fields, at)
        case TallyResult.kind: ballotTally(fields, at)
        case RaterRoster.kind: raters(fields, at)
        case RatingSessionOpened.kind: ratingOpen(fields, at)
        case RatingResult.kind: ratingTally(fields, at)
        case Rectification.kind: rectify(fields, at)
        default: implement(fields, at)
        }
    }

    // MARK: Ledger

    func ledgerInit(_ fields: EntryFields, _ at: EntryPlace) {
        var problems: [String] = []
        let payload = fields.payload
        let body = payload["body"]?.stringValue ?? ""
        if (try? Body.name(body)) != body { problems.append("body 不是 1–100 字的机关名称 / body is not a 1–100 character name") }
        level = payload["level"]?.stringValue.flatMap(BodyLevel.init(rawValue:))
        if level == nil { problems.append("level 应为 township、county 或 city / unknown level") }
        if payload["keyName"]?.stringValue != Body.keyName(for: body) {
            problems.append("keyName 应为 \(Body.keyName(for: body)) / keyName is not derived from the body")
        }
        if payload["software"]?.stringValue != "piaojue" { problems.append("software 应为 piaojue") }
        if payload["schema"]?.integerValue.map({ $0 >= 1 }) != true { problems.append("schema 应为正整数 / schema") }
        if fields.index != 0 { problems.append("ledger.init 只能是第 0 条 / ledger.init may only be entry 0") }
        // Format 1 wrote no `format`; a present one is the current format.
        let recordedFormat = payload["format"].map { $0.integerValue.map(Int.init) ?? -1 } ?? 1
        if payload["format"] != nil, recordedFormat != LedgerFormat.current {
            problems.append("format \(recordedFormat) 不是 \(LedgerFormat.current) / format must be \(LedgerFormat.current) when present")
        }
        if fields.index == 0 { format = payload["format"] == nil ? 1 : LedgerFormat.current }
        var allowed: Set<String> = ["body", "level", "software", "schema", "keyName", "publicKey"]
        if payload["format"] != nil { allowed.insert("format") }
        // A gm ledger names its suite, and may carry its Ed25519 checkpoint key (checked as a pair).
        for member in [LedgerIdentity.suiteMember, LedgerIdentity.ed25519Member] where payload[member] != nil { allowed.insert(member) }
        if payload[LedgerIdentity.suiteMember] != nil || payload[LedgerIdentity.ed25519Member] != nil,
            LedgerIdentity(initPayload: payload) == nil
        {
            problems.append("crypto 应为 gm，ed25519PublicKey 只属于 gm 账本 / crypto must be gm, ed25519PublicKey only with it")
        }
        if let names = payload.objectValue?.keys, Set(names) != allowed {
            problems.append("成员应为 \(allowed.sorted().joined(separator: ", ")) / members")
        }
        note(&genesis, at, problems)
    }

    func upgrade(_ fields: EntryFields, _ at: EntryPlace) {
        var problems: [String] = []
        let expected = JSONValue.object(JSONObject(["format": .integer(Int64(LedgerFormat.current)), "from": .integer(1)]))
        if format != 1 { problems.append("账本已是格式 \(format)，不应再升级 / already format \(format)") }
        problems += mismatch(Self.differences(value: expected, fields))
        format = LedgerFormat.current
        note(&kinds, at, problems)
    }

    // MARK: Rosters

    /// The checks every list of people passes: ids plain and unique, names present, counts and hash.
    /// A roster's or raters' list's checks: those of its people, then the whole entry re-derived
    /// from its decoded `event`.
    func checkList(_ event: some Encodable, deputies: [Deputy], seated: Int, hash: String, _ fields: EntryFields) -> [String] {
        let differing = Self.differences(event, fields)
        // An entry that is exactly its event re-encoded holds the deputies' JSON: not encoded again.
        return checkPeople(deputies, seated: seated, hash: hash, encoded: differing.isEmpty ? fields.payload["deputies"] : nil)
            + mismatch(differing)
    }

    /// `encoded`: the JSON of `deputies`, when already at hand.
    func checkPeople(_ deputies: [Deputy], seated: Int, hash: String, encoded: JSONValue?) -> [String] {
        var problems: [String] = []
        do { try RosterRules.validate(deputies, lines: deputies.indices.map { $0 + 2 }, file: "") } catch {
            problems.append(Self.describe(error))
        }
        if seated != deputies.count { problems.append("seated 应为 \(deputies.count) / seated is not the count") }
        if (encoded?.canonicalBytes ?? (try? PayloadCoding.encode(deputies).canonicalBytes)).map({ Encoding.hex(SHA256.hash($0)) }) != hash {
            problems.append("rosterHash 与名单不符 / rosterHash differs")
        }
        return problems
    }

    func roster(_ fields: EntryFields, _ at: EntryPlace) {
        guard let event = decode(RosterImported.self, fields) else { return rosters.fail("\(at) 无法读取 / unreadable") }
        var problems = checkList(event, deputies: event.deputies, seated: event.seated, hash: event.rosterHash, fields)
        if let file = event.file, file.trimmingSpaces().isEmpty { problems.append("file 为空 / no file name") }
        rosterEntries[fields.index] = event
        latestRoster = (fields.index, event)
        releaseRosters()
        note(&rosters, at, problems)
    }

    func raters(_ fields: EntryFields, _ at: EntryPlace) {
        guard let event = decode(RaterRoster.self, fields) else { return rosters.fail("\(at) 无法读取 / unreadable") }
        var problems = checkList(event, deputies: event.deputies, seated: event.seated, hash: event.rosterHash, fields)
        let next = "R\(ratingOpenings.count + 1)"
        if event.session != next { problems.append("会期编号应为 \(next) / the session id should be \(next)") }
        if let file = event.file, file.trimmingSpaces().isEmpty { problems.append("file 为空 / no file name") }
        rosterEntries[fields.index] = RosterImported(deputies: event.deputies, seated: event.seated, rosterHash: event.rosterHash, file: event.file)
        raterEntries.insert(fields.index)
        let index = fields.index
        expectedNext = (RatingSessionOpened.kind, "该名单的测评会期 evaluate.open", { next in
            next.payload["header"]?["rosterEntry"]?.integerValue == Int64(index)
                ? [] : ["测评会期未使用紧前的测评人名单 / the rating session does not use the raters' list before it"]
        })
        note(&rosters, at, problems)
    }

    // MARK: Stage 1

    func stageOne(_ fields: EntryFields, _ at: EntryPlace) {
        var problems: [String] = []
        switch fields.kind {
        case ProposalSubmitted.kind:
            guard let event = decode(ProposalSubmitted.self, fields) else { return collection.tally.fail("\(at) 无法读取 / unreadable") }
            // The rules' category and channel lists are configuration, not in the ledger: the
            // proposal is checked against the rules' definition with its own values allowed.
            var rules = CollectionRules.standard
            rules.categories = [event.proposal.category]
            rules.channels = []
            rules.requiredFields = [.title, .category, .content]
            do {
                let duplicate = try collectionState.check(submit: event.proposal, rules: rules)
                let expected = ProposalSubmitted(
                    id: collectionState.nextProposalID, proposal: event.proposal, possibleDuplicateOf: duplicate, source: event.source)
                problems += mismatch(Self.differences(expected, fields))
            } catch {
                problems.append(Self.describe(error))
            }
            if let source = event.source {
                if source.line < 2 || !Self.isSHA256(source.sha256) || source.file.trimmingSpaces().isEmpty {
                    problems.append("source 的文件、SHA-256 或行号无效 / bad source")
                }
                if let run = importRun, run.file != source.file || run.sha256 != source.sha256 {
                    problems.append("上一个文件 \(run.file) 的导入没有汇总 / the previous import has no summary")
                    importRun = nil
                }
                importRun = (source.file, source.sha256, (importRun?.ids ?? []) + [event.id])
            } else if let run = importRun {
                problems.append("文件 \(run.file) 的导入中间夹有窗口登记的建议项目 / a proposal without source inside the import of \(run.file)")
                importRun = nil
            }
            if let budget = event.proposal.budget, !(0...Money.maximum).contains(budget) {
                problems.append("budget \(budget) 超出 0 至 \(Money.maximum) 元 / budget out of range")
            }
            collectionState.apply(event)
        case ProposalsImported.kind:
            guard let event = decode(ProposalsImported.self, fields) else { return collection.tally.fail("\(at) 无法读取 / unreadable") }
            if let run = importRun {
                let expected = ProposalsImported(file: run.file, sha256: run.sha256, encoding: event.encoding, ids: run.ids)
                problems += mismatch(Self.differences(expected, fields))
                if !["utf-8", "gb18030", "xlsx"].contains(event.encoding) { problems.append("encoding 应为 utf-8、gb18030 或 xlsx") }
            } else {
                problems.append("汇总之前没有来自该文件的建议项目 / a summary with no proposals before it")
            }
            importRun = nil
        case ProposalScreened.kind:
            guard let event = decode(ProposalScreened.self, fields) else { return collection.tally.fail("\(at) 无法读取 / unreadable") }
            var rules = CollectionRules.standard
            rules.negativeList = [event.reason ?? ""].filter { !$0.trimmingSpaces().isEmpty }
            do {
                let expected = try collectionState.decide(
                    screen: event.id, decision: event.decision, reason: event.reason, into: event.into, note: event.note, rules: rules)
                problems += mismatch(Self.differences(expected, fields))
                collectionState.apply(event)
            } catch {
                problems.append(Self.describe(error))
            }
        case ListStepApproved.kind:
            guard let event = decode(ListStepApproved.self, fields) else { return collection.tally.fail("\(at) 无法读取 / unreadable") }
            var rules = CollectionRules.standard
            rules.approvalSteps = collectionState.pendingApprovals.map(\.step) + [event.step]
            if event.step.trimmingSpaces().isEmpty || event.ref.trimmingSpaces().isEmpty {
                problems.append("审批环节或文号为空 / a blank approval step or reference")
            }
            do {
                let expected = try collectionState.decide(approve: event.step, ref: event.ref, rules: rules)
                problems += mismatch(Self.differences(expected, fields))
                collectionState.apply(event)
            } catch {
                problems.append(Self.describe(error))
            }
        default:
            guard let event = decode(ListFrozen.self, fields) else { return collection.tally.fail("\(at) 无法读取 / unreadable") }
            var rules = CollectionRules.standard
            rules.approvalSteps = collectionState.pendingApprovals.map(\.step)
            rules.margin = event.margin
            rules.minimumRatio = nil
            do {
                if rules.approvalSteps.isEmpty { problems.append("候选名单之前没有审批环节 / no approval step before the list") }
                let decided = try collectionState.decide(shortlist: event.seats, ids: event.candidates.map(\.id), rules: rules)
                let expected = ListFrozen(
                    list: collectionState.nextListID, seats: decided.seats, candidates: decided.candidates,
                    candidatesHash: (try? PayloadCoding.encode(decided.candidates).canonicalBytes).map { Encoding.hex(SHA256.hash($0)) } ?? "",
                    approvals: decided.approvals, margin: event.margin, rules: event.rules)
                problems += mismatch(Self.differences(expected, fields))
                if event.rules.trimmingSpaces().isEmpty { problems.append("rules 应为预设名 / rules names no preset") }
                collectionState.apply(event)
                lists[event.list] = event
            } catch {
                problems.append(Self.describe(error))
            }
        }
        note(&collection.tally, at, problems)
    }

    // MARK: Sessions

    func register(_ track: Track, session: String) {
        sessionNames.append(session)
        tracks[session] = track
        unsettled.insert(session)
    }

    /// `session` needs its roster no more: it is closed and tallied, and no runoff can carry its
    /// attendance on (a rating, a decided or void round, or a runoff already opened).
    func settle(_ session: String) {
        unsettled.remove(session)
        releaseRosters()
    }

    /// Lets go of every roster no entry can refer to any more. A check-in refers to its session's
    /// roster, and only an open session takes check-ins; a runoff copies its parent's roster
    /// reference; a new round and a rating session refer to the latest roster, or to the raters'
    /// list directly before. So the rosters kept are the latest, the latest raters' list, and those
    /// of unsettled sessions — a ledger of many congresses holds a few rosters, not all of them.
    func releaseRosters() {
        var kept = Set(unsettled.compactMap { tracks[$0]?.state.header.rosterEntry })
        if let latest = latestRoster?.index { kept.insert(latest) }
        if let raters = raterEntries.max() { kept.insert(raters) }
        for entry in rosterEntries.keys where !kept.contains(entry) { rosterEntries[entry] = nil }
    }

    func track(_ fields: EntryFields, _ at: EntryPlace, _ tally: inout CheckTally) -> Track? {
        guard let session = fields.session, let track = tracks[session] else {
            tally.fail("\(at) 所属会期此前未开启、未冻结规则 / its session was not opened with frozen rules before")
            return nil
        }
        return track
    }

    func ballotOpen(_ fields: EntryFields, _ at: EntryPlace) {
        guard let opened = decode(BallotSessionOpened.self, fields) else { return frozen.fail("\(at) 无法读取 / unreadable") }
        var problems: [String] = []
        let session = "S\(ballotOpenings.count + 1)"
        var carried: CheckedIn?
        do { try opened.rules.validate(source: "ballot.open") } catch { problems.append(Self.describe(error)) }
        if opened.rulesName.trimmingSpaces().isEmpty { problems.append("rulesName 为空 / no rules name") }
        if opened.scrutineers.contains(where: { $0.trimmingSpaces().isEmpty }) { problems.append("监票人姓名为空 / a blank scrutineer") }
        let hash = (try? PayloadCoding.encode(opened.rules).canonicalBytes).map { Encoding.hex(SHA256.hash($0)) } ?? ""
        if let parent = opened.parent {
            // A runoff: re-derived from its parent's tally.
            if let parentOpening = ballotOpenings.first(where: { $0.session == parent }), let parentTrack = tracks[parent] {
                do {
                    let decided = try BallotRounds.decideRunoff(
                        parent: parentOpening, tally: tallies[parent]?.result,
                        existingRunoff: ballotOpenings.first(where: { $0.parent == parent })?.session,
                        present: parentTrack.state.present, session: session)
                    problems += mismatch(Self.differences(decided.opened, fields))
                    carried = decided.carriedOver
                } catch {
                    // A runoff held again after it was void is a re-opening, below.
                    if !(reopensVoidRound(opened, session: session, hash: hash, problems: &problems)) { problems.append(Self.describe(error)) }
                }
            } else {
                problems.append("上一轮 \(parent) 未开启 / parent not opened")
            }
        } else {
            _ = reopensVoidRound(opened, session: session, hash: hash, problems: &problems)
        }
        note(&frozen, at, problems)
        ballotOpenings.append(opened)
        register(Track(ballot: opened, rating: nil, header: opened.header, number: Int32(sessionNames.count + 1)), session: opened.session)
        // The runoff holds its parent's roster from here on (registered first, so it is kept).
        if let parent = opened.parent, tallies[parent] != nil { settle(parent) }
        if let carried {
            expectedNext = (CheckedIn.kind, "沿用上一轮签到的 session.checkin", { [weak self] next in
                _ = self
                return Self.differences(carried, next.payload).isEmpty ? [] : ["沿用的签到与上一轮不同 / the carried attendance differs"]
            })
        }
    }

    /// A first round, or a round held again after it was void: re-derived by ``BallotRounds``.
    /// Returns false when the round is not of that kind.
    func reopensVoidRound(_ opened: BallotSessionOpened, session: String, hash: String, problems: inout [String]) -> Bool {
        let rounds = ballotOpenings.filter { $0.list == opened.list }.map { BallotRounds.Round(opened: $0, tally: tallies[$0.session]?.result) }
        if opened.parent != nil, rounds.last?.tally?.status != .void { return false }
        do {
            let expected = try BallotRounds.decideOpen(
                list: opened.list, frozen: lists[opened.list], rounds: rounds,
                roster: latestRoster.map { BallotRounds.RosterRef(entry: $0.index, roster: $0.roster) },
                adopted: BallotRounds.Adopted(name: opened.rulesName, rules: opened.rules, hash: hash), scrutineers: opened.scrutineers,
                session: session)
            problems += mismatch(Self.differences(expected, opened.encodedPayload))
        } catch {
            problems.append(Self.describe(error))
        }
        return true
    }

    func checkin(_ fields: EntryFields, _ at: EntryPlace) {
        guard let track = track(fields, at, &attendance), let event = decode(CheckedIn.self, fields) else { return }
        var problems: [String] = []
        let roster = rosterEntries[track.state.header.rosterEntry]?.deputies ?? []
        do {
            if let expected = try track.state.decide(checkin: event.deputies, roster: roster) {
                problems += mismatch(Self.differences(expected, fields))
            } else {
                problems.append("签到没有新到的代表 / nobody new checked in")
            }
        } catch {
            problems.append(Self.describe(error))
        }
        track.state.apply(event)
        note(&attendance, at, problems)
    }

    func issue(_ fields: EntryFields, _ at: EntryPlace) {
        guard let track = track(fields, at, &issues), let event = decode(CredentialsIssued.self, fields) else { return }
        var problems: [String] = []
        do {
            let decided = try track.state.decideIssue()
            if format >= 2 {
                guard case let .issue(count, handOut) = decided else { throw SessionRefusal(.allIssued(present: track.state.present.count), shape: track.shape) }
                if event.count != count || event.handedOut != handOut { problems.append("应印制 \(count) 张、发出 \(handOut) 张 / should print \(count), hand out \(handOut)") }
            } else if event.count != track.state.awaitingCredentials || event.handedOut != nil {
                problems.append("凭证数应等于尚未领取凭证的出席代表数 / not one per present deputy")
            }
        } catch {
            problems.append(Self.describe(error))
        }
        let fingerprints = event.credentials.compactMap(Self.fingerprint(base64:))
        if event.count != event.credentials.count || fingerprints.count != event.count { problems.append("凭证数与公钥列表不符 / count ≠ keys") }
        // Strictly increasing is sorted with no repeats, in one pass.
        if !zip(event.credentials, event.credentials.dropFirst()).allSatisfy({ $0 < $1 }) {
            problems.append("公钥列表未排序或有重复 / keys not sorted or repeated")
        }
        if event.batch != track.state.batches.count + 1 { problems.append("batch 应为 \(track.state.batches.count + 1)") }
        if event.present != track.state.present.count || event.seated != track.state.header.seated {
            problems.append("出席或实有人数记录不符 / present or seated misstated")
        }
        if let names = fields.payload.objectValue?.keys {
            let allowed: Set<String> = format >= 2
                ? ["session", "batch", "count", "credentials", "present", "seated", "handedOut"]
                : ["session", "batch", "count", "credentials", "present", "seated"]
            if Set(names) != allowed { problems.append("成员不符 / members") }
        }
        for key in fingerprints {
            if keys[key] != nil { problems.append("凭证重复发放 / a key issued twice") }
            keys[key] = track.number
        }
        track.state.apply(event)
        note(&issues, at, problems)
    }

    func handout(_ fields: EntryFields, _ at: EntryPlace) {
        guard let track = track(fields, at, &issues), let event = decode(CredentialsHandedOut.self, fields) else { return }
        var problems: [String] = []
        do {
            guard case let .handOut(count) = try track.state.decideIssue() else {
                throw SessionRefusal(.allIssued(present: track.state.present.count), shape: track.shape)
            }
            problems += mismatch(Self.differences(track.state.handout(count), fields))
        } catch {
            problems.append(Self.describe(error))
        }
        track.state.apply(event)
        note(&issues, at, problems)
    }

    func ballot(_ fields: EntryFields, _ at: EntryPlace) {
        guard let track = track(fields, at, &eligibility) else { return }
        let key = Self.fingerprint(fields.signer)
        let owner = keys[key]
        if let owner, abs(owner) == track.number {
            eligibility.pass()
        } else if let owner {
            let index = Int(abs(owner)) - 1
            let name = index >= 0 && index < sessionNames.count ? sessionNames[index] : "?"
            eligibility.fail("\(at) 的凭证属于会期 \(name) / the credential belongs to session \(name)")
        } else {
            eligibility.fail("\(at) 的凭证从未发放 / the credential was never issued")
        }
        if let owner, owner < 0 {
            singleUse.fail("\(at) 的凭证已经投过票 / the credential had already voted")
        } else if track.state.recorded >= track.state.issued {
            singleUse.fail("\(at) 选票多于已发出的凭证（\(track.state.issued) 张）/ more ballots than slips handed out")
        } else {
            singleUse.pass()
            if let owner { keys[key] = -owner }
        }
        if track.state.isClosed { window.fail("\(at) 在会期结束后投出 / cast after closing") } else { window.pass() }
        track.state.recordBallot(electronic: fields.kind == Ballot.kind)

        // The form: the session named, the medium signed (format 2) and matching the kind, marks
        // of the shape, ids on the ballot; electronic ballots in ballot order, every mark listed.
        var problems: [String] = []
        let payload = fields.payload
        guard let choices = BallotJSON.choices(payload), payload["session"]?.stringValue == track.state.session else {
            ballotForm.fail("\(at) 的选票内容无法读取 / unreadable ballot")
            retally.fail("\(at) 的选票内容无法读取 / unreadable ballot")
            return
        }
        let medium = BallotJSON.via(payload)
        // A JSON object's keys are unique, so same count and each one allowed is the same set.
        let allowed: Set<String> = format >= 2 ? ["session", "via", "choices"] : ["session", "choices"]
        if let names = payload.objectValue?.keys, names.count != allowed.count || !names.allSatisfy(allowed.contains) {
            problems.append("成员不符 / members")
        }
        if format >= 2, medium?.kind != fields.kind { problems.append("via 与条目种类不符 / the signed medium is not \(fields.kind)") }
        let marks = track.shape.marks
        if let object = payload["choices"]?.objectValue, !object.keys.allSatisfy({ key in marks.contains { $0.rawValue == key } }) {
            problems.append("标记不属于本会期的选票 / a mark not of this ballot")
        }
        // Format 2 writes every mark list of the shape, empty or not, on either medium.
        if format >= 2, let object = payload["choices"]?.objectValue, object.members.count != marks.count || !marks.allSatisfy({ object[$0.rawValue] != nil }) {
            problems.append("选票未列出本会期的全部标记 / not every mark of the ballot is listed")
        }
        if fields.kind == Ballot.kind {
            do {
                let normalized = try track.state.normalize(choices, form: track.opened.ballot?.rules.form)
                if normalized != choices { problems.append("电子选票未按选票顺序完整列出 / not in ballot order with every mark") }
            } catch {
                problems.append(Self.describe(error))
            }
        } else {
            if choices.allMarkedIDs.contains(where: { !track.items.contains($0) }) {
                problems.append("纸质选票含有不在选票上的编号 / an id not on the ballot")
            }
            if track.paperRun == 0 { openPaperRuns.append(track) }
            track.paperRun += 1
            if let counter = track.counter {
                if VoteTally.voidReason(choices, seats: counter.seats, rules: counter.rules) != nil { track.paperVoid += 1 }
            } else if RatingTally.voidReason(choices, projects: Set(track.state.header.items)) != nil {
                track.paperVoid += 1
            }
        }
        note(&ballotForm, at, problems)
        track.counter?.add(choices)
        track.ratingCounter?.add(choices)
    }

    func paperImport(_ fields: EntryFields, _ at: EntryPlace) {
        guard let track = track(fields, at, &imports), let event = decode(PaperBallotsImported.self, fields) else { return }
        var problems: [String] = []
        let expected = PaperBallotsImported(
            session: track.state.session, file: event.file, sha256: event.sha256, count: track.paperRun, void: track.paperVoid)
        problems += mismatch(Self.differences(expected, fields))
        if track.paperRun == 0 { problems.append("汇总之前没有纸质选票 / no paper ballots before it") }
        if event.file.trimmingSpaces().isEmpty || !Self.isSHA256(event.sha256) { problems.append("file 或 sha256 无效 / bad file or sha256") }
        track.paperRun = 0
        track.paperVoid = 0
        openPaperRuns.removeAll { $0.paperRun == 0 }
        note(&imports, at, problems)
    }

    func close(_ fields: EntryFields, _ at: EntryPlace) {
        guard let track = track(fields, at, &closing), let event = decode(SessionClosed.self, fields) else { return }
        var problems: [String] = []
        do {
            // `acknowledged` comes from the live ledger's checkpoint rows when they are at hand
            // (audit of a ledger); a bundle has none, so there it is held to its definition.
            var acknowledged = event.acknowledged ?? 0
            if format >= 2, let session = fields.session, let known = acknowledgedBallots?(session, fields.index) {
                acknowledged = known
            } else if event.acknowledged.map({ $0 < 0 }) == true {
                problems.append("acknowledged 不能为负 / acknowledged is negative")
            }
            let expected = try track.state.decideClose(returned: event.returned, acknowledged: acknowledged, format: format)
            problems += mismatch(Self.differences(expected, fields))
        } catch {
            problems.append(Self.describe(error))
        }
        if track.state.issued > track.state.present.count {
            problems.append("发出 \(track.state.issued) 张多于出席 \(track.state.present.count) 人 / more slips handed out than deputies present")
        }
        track.state.apply(event)
        note(&closing, at, problems)
    }

    func ballotTally(_ fields: EntryFields, _ at: EntryPlace) {
        guard let track = track(fields, at, &retally), let opened = track.opened.ballot, let counter = track.counter else {
            return decision.fail("\(at) 不是票决会期的计票 / not a ballot session's tally")
        }
        guard let recorded = decode(TallyResult.self, fields) else { return retally.fail("\(at) 计票结果无法读取 / unreadable tally") }
        recordedTallies[track.state.session] = (fields.kind, fields.payload)
        guard let closed = track.state.closed else { return retally.fail("\(at) 会期未结束就计票 / tallied before closing") }
        if tallies[track.state.session] != nil { retally.fail("\(at) 重复计票 / tallied twice") }
        let input = TallyInput(
            session: track.state.session, list: opened.list, round: opened.round, seats: opened.seats, candidates: opened.candidates,
            rules: opened.rules, seated: opened.header.seated, present: track.state.present.count, issued: closed.issued,
            returned: closed.returned, budgetCommitted: opened.budgetCommitted, ballots: [])
        let computed = VoteTally.decide(input, counter: counter)
        let counts = { (r: TallyResult) in
            [r.valid, r.invalid, r.recorded, r.issued, r.returned, r.present, r.seated]
                + r.candidates.flatMap { [$0.approve, $0.oppose, $0.abstain, $0.notPressed ?? -1] }
        }
        let countsMatch = counts(computed) == counts(recorded) && computed.candidates.map(\.id) == recorded.candidates.map(\.id)
        if countsMatch { retally.pass() } else {
            retally.fail("\(at) 会期 \(track.state.session) 重新计票结果与记录不符 / re-tally of \(track.state.session) differs from the record")
        }
        // Format 2 records the decision as data: compared whole. Format 1 carried sentences:
        // compared without them.
        let differing = format >= 2
            ? Self.differences(computed, fields)
            : (computed.withoutProse == recorded.withoutProse ? [] : ["decision"])
        if differing.isEmpty { decision.pass() } else {
            decision.fail("\(at) 会期 \(track.state.session) 的结果不符合冻结的规则 / the decision does not follow the frozen rules (\(differing.joined(separator: ", ")))")
        }
        tallies[track.state.session] = (fields.index, recorded)
        if recorded.status != .runoffRequired { settle(track.state.session) }
        // What the tally decided takes effect: Stage 1 statuses, chosen projects for Stages 3 and 4.
        if recorded.status != .void {
            collectionState.apply(ListOutcome(list: recorded.list, chosen: recorded.chosen, notChosen: recorded.notChosen))
            guard let decidedOn = day(fields) else { return }
            for id in recorded.chosen {
                guard let candidate = opened.candidates.first(where: { $0.id == id }) else { continue }
                let project = ChosenProject(
                    candidate: candidate, session: recorded.session, list: recorded.list, decidedAt: fields.time, decidedOn: decidedOn,
                    tallyEntry: fields.index)
                chosen.append(project)
                implementationState.add(chosen: VotedProject(
                    id: id, title: candidate.title, session: recorded.session, list: recorded.list, tallyEntry: fields.index,
                    votedOn: decidedOn, estimate: candidate.budget, proposedUnit: candidate.unit))
            }
        }
    }

    // MARK: Stage 4

    func ratingOpen(_ fields: EntryFields, _ at: EntryPlace) {
        guard let event = decode(RatingSessionOpened.self, fields) else { return ratingOpened.fail("\(at) 无法读取 / unreadable") }
        var problems: [String] = []
        let session = "R\(ratingOpenings.count + 1)"
        do { try event.rules.validate(source: "evaluate.open") } catch { problems.append(Self.describe(error)) }
        let hash = (try? PayloadCoding.encode(event.rules).canonicalBytes).map { Encoding.hex(SHA256.hash($0)) } ?? ""
        let quorum = event.header.quorum
        if quorum.numerator <= 0 || quorum.numerator > quorum.denominator { problems.append("法定人数比例无效 / impossible quorum") }
        do {
            let selected = try RatingHistory.select(
                year: event.year, ids: event.year == nil ? event.projects.map(\.id) : [], chosen: chosen,
                candidates: Set(ballotOpenings.flatMap(\.candidates).map(\.id)))
            let projects = try selected.map { try ratingHistory.decide(rate: $0) }
            let rosterEntry = event.header.rosterEntry
            // Raters are the seated roster in force, or a raters' list (`evaluate.raters`) of their own.
            let raters: RaterBody = raterEntries.contains(rosterEntry) ? .committee : .roster
            // A committee's list is the entry directly before; the seated roster is the latest one.
            guard let roster = rosterEntries[rosterEntry],
                raters == .committee ? rosterEntry == fields.index - 1 : latestRoster?.index == rosterEntry
            else {
                throw EvaluationRefusal.noRaters
            }
            let header = SessionHeader(
                session: session, shape: .rating, items: projects.map(\.id), seated: roster.seated, rosterEntry: rosterEntry,
                rosterHash: roster.rosterHash, quorum: quorum)
            let expected = RatingSessionOpened(
                session: session, header: header, projects: projects, year: event.year, raters: raters,
                rerated: projects.filter(\.rerate).map(\.id), rulesName: event.rulesName, rules: event.rules, rulesHash: hash)
            problems += mismatch(Self.differences(expected, fields))
        } catch {
            problems.append(Self.describe(error))
        }
        if event.rulesName.trimmingSpaces().isEmpty { problems.append("rulesName 为空 / no rules name") }
        note(&ratingOpened, at, problems)
        ratingOpenings[event.session] = event
        ratingHistory.apply(opened: event)
        register(Track(ballot: nil, rating: event, header: event.header, number: Int32(sessionNames.count + 1)), session: event.session)
    }

    func ratingTally(_ fields: EntryFields, _ at: EntryPlace) {
        guard let track = track(fields, at, &ratingClasses), let opened = track.opened.rating, let counter = track.ratingCounter else {
            return ratingClasses.fail("\(at) 不是测评会期的计票 / not a rating session's tally")
        }
        guard let recorded = decode(RatingResult.self, fields) else { return ratingClasses.fail("\(at) 测评结果无法读取 / unreadable") }
        recordedTallies[track.state.session] = (fields.kind, fields.payload)
        guard let closed = track.state.closed else { return ratingClasses.fail("\(at) 测评会期未结束就计票 / tallied before closing") }
        if !ratingTallied.insert(track.state.session).inserted { ratingClasses.fail("\(at) 重复计票 / tallied twice") }
        let computed = RatingTally.decide(RatingTallyInput(
            session: track.state.session, projects: opened.header.items, rules: opened.rules, seated: opened.header.seated,
            present: track.state.present.count, issued: closed.issued, returned: closed.returned, ballots: []), counter: counter)
        let differing = format >= 2
            ? Self.differences(computed, fields)
            : (computed.withoutProse == recorded.withoutProse ? [] : ["rating"])
        if differing.isEmpty { ratingClasses.pass() } else {
            ratingClasses.fail("\(at) 会期 \(track.state.session) 由选票重新得出的测评结果与记录不符 / the re-derived rating differs (\(differing.joined(separator: ", ")))")
        }
        ratingHistory.apply(tally: recorded, index: fields.index)
        settle(track.state.session)
    }

    func rectify(_ fields: EntryFields, _ at: EntryPlace) {
        guard let event = decode(Rectification.self, fields) else { return rectifications.fail("\(at) 无法读取 / unreadable") }
        var problems: [String] = []
        let title = ratingOpenings[event.session]?.projects.first { $0.id == event.project }?.title ?? ""
        do {
            let expected = try ratingHistory.decide(rectify: event.project, title: title, what: event.what, unit: event.unit, due: event.due)
            problems += mismatch(Self.differences(expected, fields))
        } catch {
            problems.append(Self.describe(error))
        }
        ratingHistory.apply(rectification: event, index: fields.index)
        note(&rectifications, at, problems)
    }

    // MARK: Stage 3

    func implement(_ fields: EntryFields, _ at: EntryPlace) {
        var problems: [String] = []
        guard let today = day(fields) else { return implementation.fail("\(at) 时间无效 / bad time") }
        do {
            switch fields.kind {
            case PlanPublished.kind:
                guard let event = decode(PlanPublished.self, fields) else { throw EntryFormatError("unreadable") }
                var rules = ImplementationRules.standard
                if let days = event.planDeadlineDays {
                    rules.planDeadlineDays = days
                } else if format >= 2 {
                    problems.append("缺少 planDeadlineDays / planDeadlineDays missing")
                } else {
                    rules.planDeadlineDays = event.votedOn.days(until: event.dueBy)
                }
                if !(1...366).contains(rules.planDeadlineDays) { problems.append("planDeadlineDays 应在 1 到 366 之间") }
                let request = PlanRequest(
                    project: event.project, unit: event.unit, leader: event.leader, budget: event.budget, deadline: event.deadline,
                    milestones: event.milestones.map { (date: $0.date, text: $0.text) })
                var expected = try implementationState.decide(plan: request, today: today, rules: rules).event
                if event.planDeadlineDays == nil { expected.planDeadlineDays = nil }
                problems += mismatch(Self.differences(expected, fields))
                if event.budget < 0 || event.budget > Money.maximum { problems.append("budget 超出范围 / budget out of range") }
                for milestone in event.milestones where milestone.text.trimmingSpaces().isEmpty || milestone.text.count > 500 {
                    problems.append("里程碑 \(milestone.id) 的内容为空或超过 500 字 / milestone \(milestone.id) text empty or over 500 characters")
                }
                implementationState.apply(event)
            case ProgressReported.kind:
                guard let event = decode(ProgressReported.self, fields) else { throw EntryFormatError("unreadable") }
                let request = ProgressRequest(
                    project: event.project, percent: event.percent, spent: event.spent, note: event.note, reached: event.reached,
                    final: event.final, evidence: event.evidence)
                let expected = try implementationState.decide(progress: request, today: today).event
                problems += mismatch(Self.differences(expected, fields))
                for file in event.evidence where file.name.trimmingSpaces().isEmpty || !Self.isSHA256(file.sha256) || file.bytes < 0 {
                    problems.append("证明材料 \(file.name) 的名称、SHA-256 或大小无效 / bad evidence")
                }
                implementationState.apply(event)
            case ProblemRecorded.kind:
                guard let event = decode(ProblemRecorded.self, fields) else { throw EntryFormatError("unreadable") }
                let expected: ProblemRecorded
                switch event.action {
                case .open:
                    expected = try implementationState.decide(openProblem: event.project, text: event.text ?? "", unit: event.unit, today: today)
                case .assign: expected = try implementationState.decide(assignProblem: event.id, unit: event.unit ?? "", today: today)
                case .close: expected = try implementationState.decide(closeProblem: event.id, note: event.note ?? "", today: today)
                }
                problems += mismatch(Self.differences(expected, fields))
                implementationState.apply(event)
            default:
                guard let event = decode(AdjustmentDecided.self, fields) else { throw EntryFormatError("unreadable") }
                let expected = try implementationState.decide(
                    adjust: event.project, kind: event.adjustment, reason: event.reason, decision: event.decision,
                    decidedBy: event.decidedBy, changes: event.changes, today: today)
                problems += mismatch(Self.differences(expected, fields))
                if let budget = event.changes?.budget, !(0...Money.maximum).contains(budget) {
                    problems.append("调整后的 budget 超出范围 / the changed budget is out of range")
                }
                implementationState.apply(event)
            }
        } catch let error as any ClerkFacingError {
            problems.append(Self.describe(error))
        } catch {
            problems.append("无法读取 / unreadable")
        }
        note(&implementation, at, problems)
    }

    // MARK: Results

    public func finish() -> [(name: String, ok: Bool, detail: String)] {
        var tail = kinds
        if let expected = expectedNext { tail.fail("账本在 \(expected.description) 之前结束 / the ledger ends before \(expected.description)") }
        if let run = importRun { tail.fail("文件 \(run.file) 的导入没有汇总 / the import of \(run.file) has no summary") }
        if let open = tracks.values.first(where: { $0.paperRun > 0 }) {
            tail.fail("会期 \(open.state.session) 的纸质选票没有汇总 / paper ballots without their summary")
        }
        func row(_ tally: CheckTally, _ pass: String) -> (name: String, ok: Bool, detail: String) {
            let check = tally.check(id: 0, passDetail: pass)
            return (check.name, check.ok, check.detail)
        }
        let sessions = tracks.count
        return [
            row(tail, "\(tail.checked) 条均为已知种类，时间不倒退，格式 \(format) / all known, in time order"),
            row(genesis, "第 0 条的机关、级别、检查点名称与格式均一致 / entry 0 consistent"),
            row(rosters, "\(rosters.checked) 份名单均有效 / all valid"),
            row(collection.tally, "\(collection.tally.checked) 条征集初定记录均可重新推导 / all re-derived"),
            row(frozen, "\(frozen.checked) 个票决会期的开启均可重新推导 / all re-derived"),
            row(attendance, "\(attendance.checked) 次签到均有效 / all valid"),
            row(issues, "\(issues.checked) 次发放均符合规则 / all follow the rules"),
            row(eligibility, "\(eligibility.checked) 张选票的凭证均为本会期发放 / all issued in their session"),
            row(singleUse, "\(singleUse.checked) 张选票，无一证多投，不多于发出的凭证 / no credential used twice"),
            row(window, "全部选票在会期开放期间投出 / all cast while open"),
            row(ballotForm, "\(ballotForm.checked) 张选票格式正确 / all well-formed"),
            row(imports, "\(imports.checked) 次纸质选票录入均可重新推导 / all re-derived"),
            row(closing, "\(closing.checked) 个会期的结束均可重新推导 / all re-derived"),
            row(retally, "\(retally.checked) 次计票均可由选票重新得出 / all re-derived"),
            row(decision, "\(decision.checked) 次当选结果均符合冻结规则（共 \(sessions) 个会期）/ all follow the rules"),
            row(ratingOpened, "\(ratingOpened.checked) 个测评会期均可重新推导 / all re-derived"),
            row(ratingClasses, "\(ratingClasses.checked) 次测评的等次与满意率均可由选票重新得出 / all re-derived"),
            row(rectifications, "\(rectifications.checked) 条整改记录均对应被标记的项目 / all follow a flagged rating"),
            row(implementation, "\(implementation.checked) 条组织实施记录均可重新推导 / all re-derived"),
        ]
    }
}

extension BallotSessionOpened {
    /// The payload this opening encodes to.
    var encodedPayload: JSONValue { (try? PayloadCoding.encode(self)) ?? .null }
}

/// The opening kinds the auditor treats as sessions.
enum SessionService {
    static let openingKinds = ["ballot.open", "evaluate.open"]
}
