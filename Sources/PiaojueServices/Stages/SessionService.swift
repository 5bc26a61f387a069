import Foundation
import PiaojueAudit
public import PiaojueCrypto
public import PiaojueDomain
import PiaojueWorkbook
public import PiaojueLedger

/// The machinery every session shares — check-in, anonymous credentials, casting, paper ballots,
/// closing — for ballot sessions (`ballot.open`) and rating sessions (`evaluate.open`) alike.
public enum SessionService {
    /// Entry kinds that open a session; each payload has `session` and `header`.
    public static let openingKinds = ["ballot.open", "evaluate.open"]
    static let ballotKinds = [Ballot.kind, Ballot.paperKind]

    /// A session's opening and state, read from the ledger.
    public struct Loaded: Sendable {
        public let opening: LedgerEntry
        public let header: SessionHeader
        public let state: SessionState
    }

    private struct Opening: Decodable {
        let header: SessionHeader
    }

    /// Loads `session`; refused when no session of that id was opened (T6: no rules adopted).
    public static func load(
        _ reader: LedgerReader, session: String, countBallots: Bool = false, issues: Bool = true, shape: SessionShape = .vote
    ) throws -> Loaded {
        let entries = try reader.entries(
            kinds: openingKinds + [CheckedIn.kind, SessionClosed.kind] + (issues ? [CredentialsIssued.kind, CredentialsHandedOut.kind] : []),
            session: session)
        let found = entries.first { openingKinds.contains($0.kind) }
        guard let opening = found else { throw SessionRefusal(.notOpened(session: session), shape: shape) }
        var state = SessionState(header: try opening.payload(Opening.self).header)
        for entry in entries {
            switch entry.kind {
            case CheckedIn.kind: state.apply(try entry.payload(CheckedIn.self))
            case CredentialsIssued.kind: state.apply(try entry.payload(CredentialsIssued.self))
            case CredentialsHandedOut.kind: state.apply(try entry.payload(CredentialsHandedOut.self))
            case SessionClosed.kind: state.apply(try entry.payload(SessionClosed.self))
            default: break
            }
        }
        if countBallots {
            // Counted by reading every entry after the opening, cross-checked with the index.
            let counted = try reader.forEachBallotLine(session: session, from: opening.index) { _, _ in }
            for _ in 0..<counted.electronic { state.recordBallot(electronic: true) }
            for _ in 0..<counted.paper { state.recordBallot(electronic: false) }
        }
        return Loaded(opening: opening, header: state.header, state: state)
    }

    /// The choices of every ballot of `session`, in ledger order.
    public static func ballots(_ reader: LedgerReader, session: String) throws -> [Choices] {
        var result: [Choices] = []
        try forEachBallot(reader, session: session) { result.append($0) }
        return result
    }

    /// Counts every ballot of a vote session into `counter`, reading the marks straight from each
    /// line (the full parser only for a line the scanner does not recognise).
    /// The ballots are found by reading every entry after the opening (`from`), cross-checked with
    /// the session index before the count is used. `end`: an entry no ballot of the session can
    /// follow (one past its closing), to stop reading there.
    public static func countVotes(
        _ reader: LedgerReader, session: String, from start: Int, before end: Int = Int(Int64.max), into counter: inout VoteCounter
    ) throws {
        let scanner = BallotScanner(items: counter.candidates)
        var marks = [UInt8](repeating: 0, count: counter.candidates.count)
        try reader.forEachBallotLine(session: session, from: start, before: end) { line, _ in
            switch scanner.scan(line, into: &marks) {
            case let .scanned(conflict): counter.add(marks: marks, conflict: conflict)
            case .unreadable:
                guard let choices = BallotJSON.choices(try EntryFields(line: Array(line)).payload) else {
                    throw LedgerError.corrupt(path: "", detail: "a ballot of \(session) is not a ballot")
                }
                counter.add(choices)
            }
        }
    }

    /// Calls `body` with the choices of each ballot of `session`, in ledger order, one at a time.
    /// The ballots are found by reading every entry from the session's opening on, cross-checked
    /// with the session index.
    public static func forEachBallot(_ reader: LedgerReader, session: String, _ body: (Choices) throws -> Void) throws {
        guard let opening = try openingEntry(reader, session: session) else { return }
        try reader.forEachBallotLine(session: session, from: opening) { line, _ in
            guard let choices = BallotJSON.choices(try EntryFields(line: Array(line)).payload) else {
                throw LedgerError.corrupt(path: "", detail: "a ballot of \(session) is not a ballot")
            }
            try body(choices)
        }
    }

    /// The index of the session's opening entry, or nil.
    public static func openingEntry(_ reader: LedgerReader, session: String) throws -> Int? {
        for kind in openingKinds { if let entry = try reader.latest(kind: kind, session: session) { return entry.index } }
        return nil
    }

    /// The roster a session was opened with: a `roster.import` entry, or the `evaluate.raters`
    /// entry of a rating session whose raters are not the seated roster (same members).
    public static func roster(_ reader: LedgerReader, header: SessionHeader) throws -> RosterImported {
        guard let entry = try reader.entry(at: header.rosterEntry), [RosterImported.kind, RaterRoster.kind].contains(entry.kind) else {
            throw LedgerError.corrupt(path: "", detail: "session \(header.session) names roster entry \(header.rosterEntry)")
        }
        return try entry.payload(RosterImported.self)
    }

    // MARK: Check-in

    public typealias CheckinResult = CheckinOutput

    /// Records attendance (public); always reports whether quorum is reached. `presentFile` holds
    /// one deputy id a line (`#` lines and blank lines skipped; ids on a line split like any list).
    /// `ledger`: an open ledger to use instead of opening one (the server's one connection).
    public static func checkin(
        session: String, deputies: [String], presentFile: String? = nil, shape: SessionShape = .vote, workspace: Workspace,
        ledger given: Ledger? = nil
    ) throws -> CheckinOutput {
        var ids = try IDList.parse(deputies, field: "代表编号 deputy id")
        if let presentFile {
            let name = URL(fileURLWithPath: presentFile).lastPathComponent
            let bytes = try FileInput.read(presentFile, limit: FileInput.maximumListBytes)
            let text: String
            do { text = try TextDecoding.decode(bytes, encoding: .utf8, name: name) } catch {
                // The hint of a spreadsheet (--encoding gb18030) does not fit a list: say how to save it.
                if case let .notUTF8(file, line) = error { throw FileFailure.listNotUTF8(file: file, line: line) }
                throw error
            }
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingSpaces()
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                do { ids.append(contentsOf: try IDList.parse(trimmed, field: "代表编号 deputy id")) } catch {
                    throw LocatedFailure(file: name, line: n + 1, underlying: error)
                }
            }
        }
        let ledger = try given ?? workspace.openForWriting()
        return try ledger.write { writer in
            let loaded = try load(writer, session: session, shape: shape)
            try checkShape(loaded.header, shape)
            let roster = try roster(writer, header: loaded.header)
            var state = loaded.state
            let event = try state.decide(checkin: ids, roster: roster.deputies)
            if let event {
                try writer.append(event)
                state.apply(event)
            }
            return CheckinOutput(
                session: session, present: state.present.count, seated: state.header.seated, quorum: state.quorumReached,
                quorumNeeded: state.quorumNeeded, added: event?.deputies.count ?? 0)
        }
    }

    // MARK: Issuing credentials

    public typealias IssueResult = IssueOutput

    /// The first issue of a session prints one credential for every seated deputy — 32 random
    /// bytes each, shown as a checksummed code in the slips file (mode 0600), recorded only as
    /// sorted public keys — and records how many slips are handed out to the deputies present;
    /// the others stay sealed with the scrutineers. A later issue hands sealed slips to deputies who
    /// checked in since, and records only their number: every ballot's anonymity set is the whole
    /// session. The slips file is needed (and checked before anything is written) only when
    /// credentials are printed.
    /// `ledger`: an open ledger to use instead of opening one (the server's one connection).
    public static func issue(
        session: String, slipsPath: String?, shape: SessionShape = .vote, workspace: Workspace, ledger given: Ledger? = nil
    ) throws -> IssueResult {
        // The output path is input: checked before any rule, so a bad one is exit 2 whatever the
        // session's state.
        let checkedSlips = try slipsPath.map { path throws(FileFailure) in try SlipsFile(path: path) }
        let ledger = try given ?? workspace.openForWriting()
        let planned = try ledger.read { reader -> SessionState.IssueDecision in
            let loaded = try load(reader, session: session, shape: shape)
            try checkShape(loaded.header, shape)
            return try loaded.state.decideIssue()
        }
        guard case .issue = planned else {
            return try ledger.write { writer -> IssueResult in
                let loaded = try load(writer, session: session, shape: shape)
                guard case let .handOut(count) = try loaded.state.decideIssue() else {
                    throw LedgerError.busy(path: workspace.settings.databasePath)
                }
                let event = loaded.state.handout(count)
                try writer.append(event)
                return IssueOutput(
                    session: session, issued: event.handedOut, batch: loaded.state.batches.count, count: count, slips: "",
                    printed: loaded.state.printed, sealed: loaded.state.printed - event.handedOut)
            }
        }
        guard let slipsPath, let slips = checkedSlips else { throw SessionRefusal(.noSlipsFile, shape: shape) }
        do {
            let result = try ledger.write(bulk: true) { writer -> IssueResult in
                let loaded = try load(writer, session: session, shape: shape)
                guard case let .issue(count, handOut) = try loaded.state.decideIssue() else {
                    throw LedgerError.busy(path: workspace.settings.databasePath)
                }
                // The secrets are drawn in order (a seeded source gives the same codes every run);
                // their public keys are derived on every core.
                var secrets: [[UInt8]] = []
                defer { for n in secrets.indices { Ed25519PrivateKey.cleanse(&secrets[n]) } }
                let suite = writer.identity.suite
                var codes: [String] = []
                for _ in 0..<count {
                    var entropy = try workspace.settings.random.bytes(SecretCode.shortEntropyBytes)
                    defer { Ed25519PrivateKey.cleanse(&entropy) }
                    let credential = try SecretCode.credential(entropy: entropy)
                    secrets.append(credential.seed)
                    codes.append(credential.code)
                }
                let keys = try Parallel.map(secrets) { secret in
                    Result { try SigningKey(suite: suite, credentialSecret: secret).verifyingKey }
                }
                    .map { try $0.get() }
                try shuffle(&codes, random: workspace.settings.random)
                let batch = loaded.state.batches.count + 1
                let event = CredentialsIssued(
                    session: session, batch: batch, count: count, credentials: keys.map(\.base64).sorted(),
                    present: loaded.state.present.count, seated: loaded.header.seated, handedOut: handOut)
                let header = [
                    "# 票决 Piaojue 投票凭证 — 会期 \(session)，共 \(count) 张（实有代表每人一张）：发给出席代表 \(handOut) 张，其余密封交监票人保存，迟到代表签到后随机抽取。",
                    "# Session \(session): \(count) credentials, one per seated deputy. Print one per slip, shuffle, hand \(handOut) out at random;",
                    "# seal the rest for late arrivals. Destroy this file after printing. 每张凭证只能投票一次；打印后请销毁本文件。",
                ]
                try slips.prepare(header + codes)
                try writer.append(NewEntry(kind: CredentialsIssued.kind, payload: try PayloadCoding.encode(event), issues: keys))
                return IssueOutput(
                    session: session, issued: loaded.state.issued + handOut, batch: batch, count: handOut, slips: slipsPath,
                    printed: loaded.state.printed + count, sealed: loaded.state.printed + count - loaded.state.issued - handOut)
            }
            // The entry is committed: from here the codes must never be deleted. If the file cannot
            // be placed, the error names the temporary file that keeps them.
            try slips.commit()
            return result
        } catch let failure as FileFailure {
            if case .cannotPlace = failure { throw failure }
            slips.discard()
            throw failure
        } catch {
            slips.discard()
            throw error
        }
    }

    /// Fisher–Yates with rejection sampling over `random`.
    static func shuffle<T>(_ items: inout [T], random: any RandomSource) throws {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            let bound = UInt64(i + 1)
            let limit = UInt64.max - UInt64.max % bound
            var value: UInt64
            repeat {
                value = try random.bytes(8).reduce(0) { $0 << 8 | UInt64($1) }
            } while value >= limit
            items.swapAt(i, Int(value % bound))
        }
    }

    // MARK: Casting

    public typealias CastResult = CastOutput

    /// A ballot signed by the credential behind `code`. Refused when the session is closed, the
    /// credential is of another session (T22) or already used (T21: the first ballot stands).
    public static func cast(session: String, code: String, choices: Choices, shape: SessionShape, workspace: Workspace) throws -> CastResult {
        try cast(session: session, code: code, choices: choices, shape: shape, ledger: try workspace.openForCasting())
    }

    /// Ballots recorded in `session` so far (electronic and paper), by the session index.
    static func ballotCount(_ reader: LedgerReader, session: String) throws -> Int {
        try reader.count(kind: Ballot.kind, session: session) + reader.count(kind: Ballot.paperKind, session: session)
    }

    /// Slips handed out in `session` so far: the latest handout's total, else what the issues
    /// handed out (format 1: every key of every batch).
    static func handedOut(_ reader: LedgerReader, session: String) throws -> Int {
        if let latest = try reader.latest(kind: CredentialsHandedOut.kind, session: session),
            let total = try latest.payloadInteger("handedOut")
        {
            return Int(total)
        }
        var total = 0
        for entry in try reader.entries(kinds: [CredentialsIssued.kind], session: session) {
            total += Int(try entry.payloadInteger("handedOut") ?? entry.payloadInteger("count") ?? 0)
        }
        return total
    }

    /// ``cast(session:code:choices:shape:workspace:)`` on an open ledger: one durable transaction.
    public static func cast(session: String, code: String, choices: Choices, shape: SessionShape, ledger: Ledger) throws -> CastResult {
        try CastingTerminal(ledger: ledger).cast(session: session, code: code, choices: choices, shape: shape)
    }

    /// What casting needs to know of a session: its header (items, shape) and frozen voting rules,
    /// without replaying check-ins and issues. It comes from the opening entry alone, which never
    /// changes, so a terminal may keep it.
    struct CastingView: Sendable {
        let state: SessionState
        let rules: (form: BallotForm, seats: Int, rules: BallotRules)?
        /// The ledger's suite: the credentials' keys are derived in it.
        let suite: CryptoSuite

        /// Whether a ballot of these (normalised) choices counts void, as a paper one would (§4.3).
        func isVoid(_ choices: Choices) -> Bool {
            guard let rules, state.header.shape == .vote else { return false }
            return VoteTally.voidReason(choices, seats: rules.seats, rules: rules.rules) != nil
        }
    }

    static func castingView(_ reader: LedgerReader, session: String, shape: SessionShape) throws -> CastingView {
        var opening: LedgerEntry?
        for kind in openingKinds where opening == nil { opening = try reader.latest(kind: kind, session: session) }
        let header = try opening.map { try $0.payload(Opening.self).header }
        let state = try SessionState.adopted(header.map { SessionState(header: $0) }, session: session, shape: shape)
        try checkShape(state.header, shape)
        var rules: (BallotForm, Int, BallotRules)?
        if let opening, opening.kind == BallotSessionOpened.kind {
            let opened = try opening.payload(BallotSessionOpened.self)
            rules = (opened.rules.form, opened.seats, opened.rules)
        }
        return CastingView(state: state, rules: rules, suite: reader.identity.suite)
    }

    static func checkShape(_ header: SessionHeader, _ shape: SessionShape) throws(SessionRefusal) {
        guard header.shape == shape else {
            throw SessionRefusal(.wrongShape(session: header.session, shape: header.shape.rawValue), shape: shape)
        }
    }

    /// The frozen rules and seats of a ballot session (nil for rating sessions).
    static func votingRules(_ loaded: Loaded) throws -> (rules: BallotRules, seats: Int)? {
        guard loaded.opening.kind == BallotSessionOpened.kind else { return nil }
        let opened = try loaded.opening.payload(BallotSessionOpened.self)
        return (opened.rules, opened.seats)
    }

    /// Refuses a credential not issued in this session (naming another session if it is from one)
    /// or already used, by two indexed lookups.
    static func checkCredential(
        _ reader: LedgerReader, key: VerifyingKey, session: String, shape: SessionShape, isClosed: Bool
    ) throws {
        let used = try reader.ballotIndex(credential: key)
        let issuedIn = try reader.issuance(of: key)?.session
        try SessionState.checkCast(session: session, shape: shape, isClosed: isClosed, usedAt: used, issuedIn: issuedIn)
    }

    // MARK: Paper ballots

    public typealias ImportResult = PaperImportOutput

    /// Paper ballots entered by counters, all rows or none. Over-marked and double-marked ballots are
    /// recorded (and counted void), so that the count of returned ballots stays true (T9); an unknown
    /// id or credential refuses the whole file, naming the line.
    ///
    /// The sheet is CSV (UTF-8) or an .xlsx workbook (`sheet` names its sheet, nil the first).
    public static func importPaper(
        session: String, path: String, sheet: String? = nil, shape: SessionShape, workspace: Workspace
    ) throws -> ImportResult {
        let bytes = try FileInput.read(path)
        return try importPaper(
            session: session, bytes: bytes, name: URL(fileURLWithPath: path).lastPathComponent, sheet: sheet, shape: shape,
            workspace: workspace)
    }

    /// ``importPaper(session:path:sheet:shape:workspace:)`` of a file's bytes named `name`: the
    /// entries are those the command line writes for a file of that name and content. `ledger`: an
    /// open ledger to use instead of opening one (the server's one connection).
    public static func importPaper(
        session: String, bytes: [UInt8], name: String, sheet: String? = nil, shape: SessionShape, workspace: Workspace,
        ledger given: Ledger? = nil
    ) throws -> ImportResult {
        let input = try TableInput.parse(bytes: bytes, file: name, encoding: .utf8, sheet: sheet, header: PaperSheet.headerRule(shape))
        let rows = try input.locating { try PaperSheet.rows(input.table, shape: shape, file: name) }
        let nothing = "（整份文件未录入 / nothing was imported）"
        // Sign every ballot before taking the write lock, on every core: each row's key derivation
        // and signature are independent. Errors are then reported in line order, as one pass would.
        let ledger = try given ?? workspace.openForWriting()
        let suite = ledger.identity.suite
        let signed = Parallel.map(rows) { row in
            Result { try PaperBallot(row, session: session, file: name, shape: shape, suite: suite) }
        }
        var prepared: [PaperBallot] = []
        prepared.reserveCapacity(rows.count)
        var seenKeys: [VerifyingKey: Int] = [:]
        for outcome in signed {
            let ballot = try input.locating { try outcome.get() }
            if let first = seenKeys.updateValue(ballot.line, forKey: ballot.key) {
                throw SessionRefusal(.duplicateCredential(file: name, line: ballot.line, firstLine: first), shape: shape)
            }
            prepared.append(ballot)
        }
        return try ledger.write(bulk: true) { writer in
            let loaded = try load(writer, session: session, shape: shape)
            try checkShape(loaded.header, shape)
            try SessionState.checkHandedOut(
                session: session, shape: shape, recorded: try ballotCount(writer, session: session), adding: prepared.count,
                handedOut: loaded.state.issued)
            let rules = try votingRules(loaded)
            let items = Set(loaded.header.items)
            var void = 0
            for ballot in prepared {
                for id in ballot.choices.allMarkedIDs where !items.contains(id) {
                    throw loaded.state.refusal(.paperNotOnBallot(file: name, line: ballot.line, id: id))
                }
                do {
                    try checkCredential(writer, key: ballot.key, session: session, shape: shape, isClosed: loaded.state.isClosed)
                } catch let error as any ClerkFacingError {
                    throw LocatedFailure(file: name, line: ballot.line, underlying: error, consequence: nothing, sheet: input.sheetTable?.sheet)
                }
                if let rules {
                    if VoteTally.voidReason(ballot.choices, seats: rules.seats, rules: rules.rules) != nil { void += 1 }
                } else if ballot.choices.hasRepeatedID {
                    void += 1
                }
            }
            for ballot in prepared {
                try writer.append(NewEntry(
                    kind: Ballot.paperKind, payload: ballot.payload, signing: .credential(publicKey: ballot.key, signature: ballot.signature)))
            }
            let summary = try writer.append(PaperBallotsImported(
                session: session, file: name, sha256: FileInput.sha256(bytes), count: prepared.count, void: void))
            // One proof for the batch: the summary entry, which chains to every paper ballot before it.
            let signed = try writer.signCheckpoint(reason: PaperBallotsImported.kind, proving: summary.index..<summary.index + 1)
            let proof = TlogProof(index: summary.index, proof: signed.proofs[0], checkpoint: signed.checkpoint.note)
            return PaperImportOutput(imported: prepared.count, void: void, receipt: summary.receipt, index: summary.index, proof: proof.text)
        }
    }

    // MARK: Closing

    /// Ends casting; records issued, recorded and returned, and signs a checkpoint.
    /// `ledger`: an open ledger to use instead of opening one (the server's one connection).
    public static func close(
        session: String, returned: Int?, shape: SessionShape = .vote, workspace: Workspace, ledger given: Ledger? = nil
    ) throws -> CloseOutput {
        let ledger = try given ?? workspace.openForWriting()
        return try ledger.write { writer in
            let loaded = try load(writer, session: session, countBallots: true, shape: shape)
            try checkShape(loaded.header, shape)
            let event = try loaded.state.decideClose(returned: returned, acknowledged: try writer.acknowledgedBallots(session: session))
            try writer.append(event)
            try writer.signCheckpoint(reason: SessionClosed.kind)
            let excessVoids = try votingRules(loaded)?.rules.excessReturnedVoidsRound ?? ReturnedRule.ratingsVoidOnExcess
            return CloseOutput(
                event, voidRound: ReturnedRule.voidsRound(returned: event.returned, issued: event.issued, excessReturnedVoidsRound: excessVoids))
        }
    }
}

/// One paper ballot ready to append: its credential key derived from the code on the slip, and its
/// payload signed by that key.
struct PaperBallot: Sendable {
    let line: Int
    let key: VerifyingKey
    let choices: Choices
    let payload: JSONValue
    let signature: [UInt8]

    init(_ row: PaperSheet.Row, session: String, file: String, shape: SessionShape, suite: CryptoSuite) throws {
        var secret: [UInt8]
        do { secret = try SecretCode.decode(row.code) } catch {
            throw SessionRefusal(.mistypedPaperCode(file: file, line: row.line, why: error.description), shape: shape)
        }
        defer { Ed25519PrivateKey.cleanse(&secret) }
        let privateKey = try SigningKey(suite: suite, credentialSecret: secret)
        let payload = BallotJSON.payload(session: session, via: .paper, choices: row.choices)
        key = privateKey.verifyingKey
        signature = try privateKey.sign(payload.canonicalBytes)
        line = row.line
        choices = row.choices
        self.payload = payload
    }
}

/// The paper-ballot CSV: `credential,approve,oppose,abstain` for votes,
/// `credential,satisfied,basic,dissatisfied,abstain` for ratings; ids separated by `;`.
enum PaperSheet {
    struct Row {
        let line: Int
        let code: String
        let choices: Choices
    }

    /// How a paper-ballot workbook's header row is told: the credential column, or a mark column of `shape`.
    static func headerRule(_ shape: SessionShape) -> HeaderRule {
        HeaderRule(expected: (["credential"] + shape.marks.map(\.rawValue)).joined(separator: "、")) { word in
            ["credential", "code", "凭证", "凭证码"].contains(word.lowercased()) || Mark(word: word).map(shape.marks.contains) == true
        }
    }

    static func rows(_ table: CSVTable, shape: SessionShape, file: String) throws -> [Row] {
        var columns: [Mark: Int] = [:]
        var codeColumn: Int?
        for (n, header) in table.header.enumerated() {
            let word = header.trimmingSpaces()
            if ["credential", "code", "凭证", "凭证码"].contains(word.lowercased()) {
                codeColumn = n
                continue
            }
            guard let mark = Mark(word: word), shape.marks.contains(mark) else {
                let expected = (["credential"] + shape.marks.map(\.rawValue)).joined(separator: ",")
                // A code where a column name should be: the header line is missing. Never repeat it.
                if SecretCode.redacted(in: header) != header {
                    throw SessionRefusal(.codeAsHeader(file: file, column: n + 1, expected: expected), shape: shape)
                }
                throw SessionRefusal(.unknownColumn(file: file, column: header, expected: expected), shape: shape)
            }
            columns[mark] = n
        }
        guard let codeColumn else {
            throw SessionRefusal(.missingCredentialColumn(file: file), shape: shape)
        }
        var rows: [Row] = []
        for row in table.rows {
            var marks: [Mark: [String]] = [:]
            for (mark, column) in columns {
                let ids: [String]
                do { ids = try IDList.parse(row.fields[column], field: "项目编号 item id") } catch {
                    throw LocatedFailure(file: file, line: row.line, column: table.header[column], underlying: error)
                }
                if !ids.isEmpty { marks[mark] = ids }
            }
            for mark in shape.marks where marks[mark] == nil { marks[mark] = [] }
            rows.append(Row(line: row.line, code: row.fields[codeColumn].trimmingSpaces(), choices: Choices(marks)))
        }
        guard !rows.isEmpty else { throw SessionRefusal(.noBallots(file: file), shape: shape) }
        return rows
    }
}

/// A voting terminal: keeps the ledger open and what it learned of each session's (immutable)
/// opening, so that each cast costs one key derivation, one signature, one self-check and its
/// share of one durable transaction.
///
/// Casts arriving together are one group: appended in one transaction (one fsync) in random
/// order, sharing the transaction's time, each acknowledged only after the commit, with one
/// checkpoint signed for the group after its entries — every ballot's receipt is a
/// `c2sp.org/tlog-proof@v1` proof against that checkpoint. A cast that is refused (a used
/// credential, a closed session) is answered alone; the others of its group are recorded.
public final class CastingTerminal {
    public let ledger: Ledger
    private let random: any RandomSource
    private var views: [String: SessionService.CastingView] = [:]

    public init(ledger: Ledger, random: any RandomSource = SystemRandom()) {
        self.ledger = ledger
        self.random = random
    }

    /// One ballot to cast.
    public struct Request: Sendable {
        public let session: String
        public let code: String
        public let choices: Choices
        public let shape: SessionShape
        /// A repeat of the very ballot already recorded for this credential (a double tap, a network
        /// retry) is answered with the first one's receipt instead of being refused.
        public let repeatReturnsReceipt: Bool

        public init(session: String, code: String, choices: Choices, shape: SessionShape, repeatReturnsReceipt: Bool = false) {
            self.session = session
            self.code = code
            self.choices = choices
            self.shape = shape
            self.repeatReturnsReceipt = repeatReturnsReceipt
        }
    }

    /// Casts one ballot; see ``SessionService/cast(session:code:choices:shape:workspace:)``.
    public func cast(session: String, code: String, choices: Choices, shape: SessionShape) throws -> CastOutput {
        try cast([Request(session: session, code: code, choices: choices, shape: shape)])[0].get()
    }

    /// A ballot signed and checked, ready to append.
    struct Prepared: Sendable {
        let request: Request
        let key: VerifyingKey
        let payload: JSONValue
        let signature: [UInt8]
        /// Counted void by the tally (over-marked, as on paper).
        let void: Bool
    }

    /// Casts a group of ballots in one transaction; the results are in the order of `requests`.
    /// Throws only when the transaction itself fails (then nothing of the group is recorded).
    public func cast(_ requests: [Request]) throws -> [Result<CastOutput, any Error>] {
        var results: [Result<CastOutput, any Error>?] = Array(repeating: nil, count: requests.count)
        var prepared: [(slot: Int, ballot: Prepared)] = []
        for (slot, request) in requests.enumerated() {
            do { prepared.append((slot, try prepare(request))) } catch { results[slot] = .failure(error) }
        }
        for outcome in try record(prepared) { results[outcome.slot] = outcome.result }
        return results.map { $0 ?? .failure(LedgerError.storage(detail: "a cast went unanswered")) }
    }

    /// Appends ballots already prepared (signed and checked off the lock, see
    /// ``prepare(_:view:)``) in one transaction: the transaction half of ``cast(_:)``, for a
    /// writer whose callers prepare their own ballots in parallel (``CastingQueue``). Every slot
    /// given gets one outcome. Throws only when the transaction itself fails.
    func record(_ ballots: [(slot: Int, ballot: Prepared)]) throws -> [(slot: Int, result: Result<CastOutput, any Error>)] {
        var prepared = ballots
        var results: [(slot: Int, result: Result<CastOutput, any Error>)] = []
        if !prepared.isEmpty {
            // Arrival order does not survive into the ledger.
            try SessionService.shuffle(&prepared, random: random)
            let written = try ledger.write { writer -> [(slot: Int, result: Result<CastOutput, any Error>)] in
                var outcomes: [(slot: Int, result: Result<CastOutput, any Error>)] = []
                var appended: [(slot: Int, entry: LedgerEntry, void: Bool)] = []
                var counts: [String: (recorded: Int, handedOut: Int, closed: Bool, electronic: Int)] = [:]
                var keysInGroup: Set<VerifyingKey> = []
                for (slot, ballot) in prepared {
                    let session = ballot.request.session
                    do {
                        if ballot.request.repeatReturnsReceipt, let repeated = try Self.repeatOf(ballot, writer) {
                            outcomes.append((slot, .success(repeated)))
                            continue
                        }
                        guard keysInGroup.insert(ballot.key).inserted else {
                            throw SessionRefusal(.alreadyVoted(entry: writer.nextEntryIndex), shape: ballot.request.shape)
                        }
                        var known = try counts[session] ?? (
                            SessionService.ballotCount(writer, session: session), SessionService.handedOut(writer, session: session),
                            writer.latest(kind: SessionClosed.kind, session: session) != nil, writer.count(kind: Ballot.kind, session: session))
                        try SessionService.checkCredential(
                            writer, key: ballot.key, session: session, shape: ballot.request.shape, isClosed: known.closed)
                        try SessionState.checkHandedOut(
                            session: session, shape: ballot.request.shape, recorded: known.recorded, adding: 1, handedOut: known.handedOut)
                        let entry = try writer.append(NewEntry(
                            kind: Ballot.kind, payload: ballot.payload, signing: .credential(publicKey: ballot.key, signature: ballot.signature)))
                        known.recorded += 1
                        known.electronic += 1
                        counts[session] = known
                        appended.append((slot, entry, ballot.void))
                    } catch let refusal as SessionRefusal {
                        outcomes.append((slot, .failure(refusal)))
                    }
                }
                guard let first = appended.first?.entry.index else { return outcomes }
                // The checkpoint names each session's electronic ballots after this group: what a
                // close reconciles with (ballots acknowledged must all be in the ledger).
                let reason = CheckpointReason.cast(counts.mapValues(\.electronic))
                let signed = try writer.signCheckpoint(reason: reason, proving: first..<writer.nextEntryIndex)
                for (n, item) in appended.enumerated() {
                    let proof = TlogProof(index: item.entry.index, proof: signed.proofs[n], checkpoint: signed.checkpoint.note)
                    outcomes.append((item.slot, .success(CastOutput(
                        receipt: item.entry.receipt, index: item.entry.index, proof: proof.text, void: item.void))))
                }
                return outcomes
            }
            results = written
        }
        return results
    }

    /// Decodes the code, checks the ballot against the session and signs it, before the lock.
    private func prepare(_ request: Request) throws -> Prepared {
        let view: SessionService.CastingView
        if let known = views[request.session], known.state.header.shape == request.shape {
            view = known
        } else {
            view = try ledger.read { try SessionService.castingView($0, session: request.session, shape: request.shape) }
            views[request.session] = view
        }
        return try Self.prepare(request, view: view)
    }

    /// ``prepare(_:)`` against a session view the caller keeps: touches no ledger, so it may run
    /// on any thread while the writer appends.
    static func prepare(_ request: Request, view: SessionService.CastingView) throws -> Prepared {
        var secret: [UInt8]
        do { secret = try SecretCode.decode(request.code) } catch {
            throw SessionRefusal(.mistypedCode(why: error.description), shape: request.shape)
        }
        defer { Ed25519PrivateKey.cleanse(&secret) }
        let key = try SigningKey(suite: view.suite, credentialSecret: secret)
        let normalized = try view.state.normalize(request.choices, form: view.rules?.form)
        let payload = BallotJSON.payload(session: request.session, via: .electronic, choices: normalized)
        let message = payload.canonicalBytes
        let signature = try key.sign(message)
        guard key.verifyingKey.isValidSignature(signature, for: message) else {
            throw LedgerError.storage(detail: "the credential signature did not verify")
        }
        return Prepared(
            request: request, key: key.verifyingKey, payload: payload, signature: signature, void: view.isVoid(normalized))
    }

    /// The recorded ballot of this credential when it is exactly this ballot, with a fresh proof.
    private static func repeatOf(_ ballot: Prepared, _ reader: LedgerWriter) throws -> CastOutput? {
        guard let index = try reader.ballotIndex(credential: ballot.key), let entry = try reader.entry(at: index),
            try entry.fields().payload == ballot.payload
        else { return nil }
        return CastOutput(receipt: entry.receipt, index: entry.index, proof: nil, void: ballot.void)
    }
}
