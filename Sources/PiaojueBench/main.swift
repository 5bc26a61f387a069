// piaojue-bench: the in-process half of Scripts/bench. Generates realistic ledgers through the
// paper-ballot path, and measures durable single-ballot casts, tallies and the raw SQLite limit.
// Every figure is printed as one JSON object on stdout for Scripts/bench to collect.
import CSQLite
import Foundation
import PiaojueAudit
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueServices

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func emit(_ object: [String: Any]) {
    if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("piaojue-bench: \(message)\n".utf8))
    exit(2)
}

/// A small deterministic generator (SplitMix64) for the synthetic votes.
struct Dice {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

struct Arguments {
    var values: [String: String] = [:]
    init(_ list: ArraySlice<String>) {
        var iterator = list.makeIterator()
        while let key = iterator.next() {
            guard key.hasPrefix("--") else { continue }
            values[String(key.dropFirst(2))] = iterator.next() ?? ""
        }
    }
    func string(_ key: String, _ fallback: String? = nil) -> String {
        guard let value = values[key] ?? fallback else { fail("missing --\(key)") }
        return value
    }
    func int(_ key: String, _ fallback: Int) -> Int { values[key].flatMap(Int.init) ?? fallback }
}

/// Stage 1 of one list, written through the domain decisions in one transaction (a service call
/// per proposal would replay the whole collection each time): `proposals` proposals submitted and
/// accepted, the approval steps, and a candidate list of all of them for `seats` seats. Returns
/// the list id.
func writeStageOne(
    workspace: Workspace, collection: inout CollectionState, proposals: Int, seats: Int, round: Int, rules: Rules, dice: inout Dice
) throws -> String {
    var state = collection
    var random = dice
    let list = try workspace.openForWriting().write { writer -> String in
        var ids: [String] = []
        for n in 1...proposals {
            let proposal = Proposal(
                title: "民生项目 \(round)-\(n)", category: "市政建设", content: "建设内容 \(n)", location: "第\(n)街道",
                budget: Int64(100 + random.below(900)) * 10_000, unit: "县住建局", channel: "代表建议")
            let event = ProposalSubmitted(
                id: state.nextProposalID, proposal: proposal, possibleDuplicateOf: try state.check(submit: proposal, rules: rules.collection))
            try writer.append(event)
            state.apply(event)
            let screened = try state.decide(screen: event.id, decision: .accept, reason: nil, into: nil, note: nil, rules: rules.collection)
            try writer.append(screened)
            state.apply(screened)
            ids.append(event.id)
        }
        for step in rules.collection.approvalSteps {
            let approved = try state.decide(approve: step, ref: "纪要 \(round)", rules: rules.collection)
            try writer.append(approved)
            state.apply(approved)
        }
        let decided = try state.decide(shortlist: seats, ids: ids, rules: rules.collection)
        let frozen = ListFrozen(
            list: state.nextListID, seats: decided.seats, candidates: decided.candidates,
            candidatesHash: try canonicalHash(decided.candidates), approvals: decided.approvals, margin: rules.collection.margin,
            rules: rules.name)
        try writer.append(frozen)
        state.apply(frozen)
        return frozen.list
    }
    collection = state
    dice = random
    return list
}

/// The codes of a slips file in its order (one credential per seated deputy); the first
/// `handedOut` are those handed to the deputies present, the rest stay sealed.
func slipCodes(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
}

/// Builds a ledger of about `ballots` ballots: sessions of 300–3,000 seated deputies, 12 candidates
/// for 10 seats, 95% present, every present deputy voting on paper (imported by counters); in the
/// suite `--crypto` names (standard or gm).
func generate(_ args: Arguments) throws {
    let database = args.string("db")
    let target = args.int("ballots", 10_000)
    var dice = Dice(state: UInt64(args.int("seed", 2025)))
    let scratch = database + ".work"
    try? FileManager.default.removeItem(atPath: scratch)
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let settings = Settings(databasePath: database, configDirectory: args.string("config", "Config"))
    let workspace = Workspace(settings: settings)
    // `--crypto gm` builds the same ledger in the 国密 suite (SM2 + SM3).
    _ = try SetupService.initialize(
        body: "基准测试县人民代表大会", level: .county, crypto: args.string("crypto", "standard"), settings: settings)
    let rules = RulesLoader.builtinDefault
    var collection = CollectionState()
    var generated = 0
    var importSeconds = 0.0
    var sessions = 0
    let started = now()
    while generated < target {
        let seated = min(300 + dice.below(2_701), max(300, (target - generated) * 100 / 95 + 1))
        // The roster of this congress.
        var roster = "id,name\n"
        for n in 1...seated { roster += "D\(n),代表\(n)\n" }
        let rosterPath = scratch + "/roster.csv"
        try Data(roster.utf8).write(to: URL(fileURLWithPath: rosterPath))
        _ = try RosterService.importRoster(path: rosterPath, encoding: .utf8, workspace: workspace)
        let list = try writeStageOne(
            workspace: workspace, collection: &collection, proposals: 12, seats: 10, round: sessions, rules: rules, dice: &dice)
        // Stage 2 through the services, as the CLI does it.
        let opened = try BallotService.open(list: list, rules: rules, scrutineers: ["监票人"], workspace: workspace)
        let present = seated * 95 / 100
        _ = try SessionService.checkin(session: opened.session, deputies: (1...present).map { "D\($0)" }, workspace: workspace)
        let slips = scratch + "/slips-\(opened.session).txt"
        _ = try SessionService.issue(session: opened.session, slipsPath: slips, workspace: workspace)
        // One slip was printed per seated deputy; the first `present` were handed out (format 2),
        // and only those may vote.
        let codes = try slipCodes(slips).prefix(present)
        try? FileManager.default.removeItem(atPath: slips)
        var csv = "credential,approve,oppose,abstain\n"
        let candidates = opened.header.items
        for code in codes {
            var order = candidates
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, dice.below(i + 1)) }
            let approvals = 5 + dice.below(6)
            let oppose = order.count > approvals && dice.below(3) == 0 ? [order[approvals]] : []
            csv += "\(code),\(order.prefix(approvals).joined(separator: ";")),\(oppose.joined(separator: ";")),\n"
        }
        let paper = scratch + "/paper.csv"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: paper))
        let importStart = now()
        let imported = try SessionService.importPaper(session: opened.session, path: paper, shape: .vote, workspace: workspace)
        importSeconds += now() - importStart
        _ = try SessionService.close(session: opened.session, returned: nil, workspace: workspace)
        _ = try BallotService.tally(session: opened.session, workspace: workspace)
        generated += imported.imported
        sessions += 1
    }
    emit([
        "ballots": generated, "sessions": sessions, "importSeconds": importSeconds, "importRate": Double(generated) / importSeconds,
        "totalSeconds": now() - started,
    ])
}

/// Durable single-ballot casts on an open ledger, each its own transaction: a fresh session with
/// `2 × count` credentials, then `count` casts through ``CastingTerminal`` (each acknowledged by a
/// checkpoint signed after its entry) and `count` through ``UnsignedCasts``, the same transaction
/// without that checkpoint, alternating with raw SQLite inserts.
func cast(_ args: Arguments) throws {
    let database = args.string("db")
    let count = args.int("count", 2_000)
    let settings = Settings(databasePath: database, configDirectory: args.string("config", "Config"))
    let workspace = Workspace(settings: settings)
    let rules = RulesLoader.builtinDefault
    let scratch = database + ".cast"
    try? FileManager.default.removeItem(atPath: scratch)
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let deputies = 2 * count
    var roster = "id,name\n"
    for n in 1...deputies { roster += "C\(n),代表\(n)\n" }
    try Data(roster.utf8).write(to: URL(fileURLWithPath: scratch + "/roster.csv"))
    _ = try RosterService.importRoster(path: scratch + "/roster.csv", encoding: .utf8, workspace: workspace)
    var proposals = "title,category,content\n"
    for n in 1...4 { proposals += "投票终端测试 \(n),市政建设,内容 \(n)\n" }
    try Data(proposals.utf8).write(to: URL(fileURLWithPath: scratch + "/p.csv"))
    let ids = try CollectionService.importFile(path: scratch + "/p.csv", encoding: .utf8, rules: rules, workspace: workspace).imported.map(\.id)
    for id in ids { _ = try CollectionService.screen(id: id, decision: .accept, reason: nil, into: nil, note: nil, rules: rules, workspace: workspace) }
    for step in rules.collection.approvalSteps { _ = try CollectionService.approve(step: step, ref: "基准", rules: rules, workspace: workspace) }
    let list = try CollectionService.shortlist(seats: 2, ids: ids, rules: rules, workspace: workspace)
    let opened = try BallotService.open(list: list.list, rules: rules, scrutineers: [], workspace: workspace)
    _ = try SessionService.checkin(session: opened.session, deputies: (1...deputies).map { "C\($0)" }, workspace: workspace)
    _ = try SessionService.issue(session: opened.session, slipsPath: scratch + "/slips.txt", workspace: workspace)
    // Every deputy is present, so every printed slip is handed out.
    let codes = try slipCodes(scratch + "/slips.txt")
    let signedCodes = codes[0..<count]
    let unsignedCodes = codes[count..<deputies]
    let ledger = try workspace.openForCasting()
    let terminal = CastingTerminal(ledger: ledger)
    let unsigned = try UnsignedCasts(ledger: ledger, session: opened.session)
    let choices = Choices([.approve: [ids[0], ids[1]], .oppose: [ids[2]], .abstain: []])
    // The disk's fsync latency drifts over seconds on a shared machine, so casts and raw inserts
    // alternate in rounds of 250 and each rate is taken over the same stretch of time.
    let raw = RawInserter(path: scratch + "/raw.sqlite")
    // The same rounds also time a cast's cryptography alone (code → key, sign, self-check), so that
    // the transaction's share of a cast is measured in the same stretch of time.
    var seconds = 0.0
    var unsignedSeconds = 0.0
    var rawSeconds = 0.0
    var cryptoSeconds = 0.0
    var proofs = 0
    for round in stride(from: 0, to: count, by: 250) {
        let batch = round..<min(round + 250, count)
        rawSeconds += try raw.insert(batch.count)
        var start = now()
        for n in batch {
            let output = try terminal.cast(session: opened.session, code: signedCodes[signedCodes.startIndex + n], choices: choices, shape: .vote)
            if output.proof != nil { proofs += 1 }
        }
        seconds += now() - start
        start = now()
        for n in batch {
            try unsigned.cast(code: unsignedCodes[unsignedCodes.startIndex + n], choices: choices)
        }
        unsignedSeconds += now() - start
        start = now()
        for n in batch {
            let key = try SigningKey(
                suite: ledger.identity.suite, credentialSecret: try SecretCode.decode(signedCodes[signedCodes.startIndex + n]))
            let message = BallotJSON.payload(session: opened.session, via: .electronic, choices: choices).canonicalBytes
            guard key.verifyingKey.isValidSignature(try key.sign(message), for: message) else { fail("self-check failed") }
        }
        cryptoSeconds += now() - start
    }
    guard proofs == count else { fail("\(count - proofs) casts without a proof") }
    emit([
        "casts": count, "seconds": seconds, "castRate": Double(count) / seconds, "session": opened.session,
        "unsignedRate": Double(count) / unsignedSeconds, "insertRate": Double(count) / rawSeconds,
        "cryptoMicros": cryptoSeconds / Double(count) * 1e6,
    ])
}

/// ``CastingTerminal``'s transaction for one ballot, step for step — the code turned into its key,
/// the choices put in ballot order, signed and self-checked; then, in one IMMEDIATE transaction,
/// the session's ballot, handout and close lookups, the credential's issue and use, the entry —
/// but without the checkpoint the terminal signs after the entry for the cast's proof. The
/// difference between the two rates is the cost of that extra signature (and its row).
final class UnsignedCasts {
    let ledger: Ledger
    let session: String
    private let state: SessionState
    private let rules: (form: BallotForm, seats: Int)

    init(ledger: Ledger, session: String) throws {
        self.ledger = ledger
        self.session = session
        let opened = try ledger.read { try BallotService.opening($0, session: session) }
        state = SessionState(header: opened.header)
        rules = (opened.rules.form, opened.seats)
    }

    func cast(code: String, choices: Choices) throws {
        var secret = try SecretCode.decode(code)
        defer { Ed25519PrivateKey.cleanse(&secret) }
        let key = try SigningKey(suite: ledger.identity.suite, credentialSecret: secret)
        let normalized = try state.normalize(choices, form: rules.form)
        let payload = BallotJSON.payload(session: session, via: .electronic, choices: normalized)
        let message = payload.canonicalBytes
        let signature = try key.sign(message)
        guard key.verifyingKey.isValidSignature(signature, for: message) else { fail("self-check failed") }
        try ledger.write { writer in
            let recorded = try writer.count(kind: Ballot.kind, session: session) + writer.count(kind: Ballot.paperKind, session: session)
            let handedOut = try Self.handedOut(writer, session: session)
            let closed = try writer.latest(kind: SessionClosed.kind, session: session) != nil
            _ = try writer.count(kind: Ballot.kind, session: session)
            let used = try writer.ballotIndex(credential: key.verifyingKey)
            let issuedIn = try writer.issuance(of: key.verifyingKey)?.session
            try SessionState.checkCast(session: session, shape: .vote, isClosed: closed, usedAt: used, issuedIn: issuedIn)
            try SessionState.checkHandedOut(session: session, shape: .vote, recorded: recorded, adding: 1, handedOut: handedOut)
            try writer.append(NewEntry(kind: Ballot.kind, payload: payload, signing: .credential(publicKey: key.verifyingKey, signature: signature)))
        }
    }

    /// The slips handed out, read as the terminal reads them.
    static func handedOut(_ reader: LedgerReader, session: String) throws -> Int {
        if let latest = try reader.latest(kind: CredentialsHandedOut.kind, session: session), let total = try latest.payloadInteger("handedOut") {
            return Int(total)
        }
        var total = 0
        for entry in try reader.entries(kinds: [CredentialsIssued.kind], session: session) {
            total += Int(try entry.payloadInteger("handedOut") ?? entry.payloadInteger("count") ?? 0)
        }
        return total
    }
}

/// One session as large as a city congress gets: `seated` deputies (100,000), `candidates`
/// candidates (2,000) for `seats` seats, 95% present, every present deputy voting — `electronic`
/// of them through ``CastingTerminal`` in groups, the rest on paper imported in files of `chunk`
/// ballots — then closed and tallied. Each ballot marks about 70% of the candidates, so its line
/// is about 12 KB.
func bigSession(_ args: Arguments) throws {
    let database = args.string("db")
    let seated = args.int("seated", 100_000)
    let candidateCount = args.int("candidates", 2_000)
    let seats = args.int("seats", candidateCount / 2)
    let electronic = args.int("electronic", 2_000)
    let chunk = args.int("chunk", 2_500)
    var dice = Dice(state: UInt64(args.int("seed", 2026)))
    let scratch = database + ".work"
    try? FileManager.default.removeItem(atPath: scratch)
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let settings = Settings(databasePath: database, configDirectory: args.string("config", "Config"))
    let workspace = Workspace(settings: settings)
    let started = now()
    _ = try SetupService.initialize(body: "基准测试市人民代表大会", level: .city, settings: settings)
    let rules = RulesLoader.builtinDefault
    var roster = "id,name\n"
    for n in 1...seated { roster += "D\(n),代表\(n)\n" }
    try Data(roster.utf8).write(to: URL(fileURLWithPath: scratch + "/roster.csv"))
    _ = try RosterService.importRoster(path: scratch + "/roster.csv", encoding: .utf8, workspace: workspace)
    var collection = CollectionState()
    let list = try writeStageOne(
        workspace: workspace, collection: &collection, proposals: candidateCount, seats: seats, round: 0, rules: rules, dice: &dice)
    let opened = try BallotService.open(list: list, rules: rules, scrutineers: ["监票人甲", "监票人乙"], workspace: workspace)
    let present = seated * 95 / 100
    _ = try SessionService.checkin(session: opened.session, deputies: (1...present).map { "D\($0)" }, workspace: workspace)
    _ = try SessionService.issue(session: opened.session, slipsPath: scratch + "/slips.txt", workspace: workspace)
    let codes = Array(try slipCodes(scratch + "/slips.txt").prefix(present))
    try? FileManager.default.removeItem(atPath: scratch + "/slips.txt")
    let items = opened.header.items
    // Candidate n is approved by 10%…70% of the ballots, opposed by 20%, abstained on by 10%.
    func ballot() -> Choices {
        var marks: [Mark: [String]] = [.approve: [], .oppose: [], .abstain: []]
        for (n, id) in items.enumerated() {
            let approve = 10 + 60 * n / max(1, items.count - 1)
            let roll = dice.below(100)
            if roll < approve {
                marks[.approve, default: []].append(id)
            } else if roll < approve + 20 {
                marks[.oppose, default: []].append(id)
            } else if roll < approve + 30 {
                marks[.abstain, default: []].append(id)
            }
        }
        return Choices(marks)
    }
    let electronicCodes = codes.prefix(min(electronic, codes.count))
    let terminal = CastingTerminal(ledger: try workspace.openForCasting())
    var castSeconds = 0.0
    for group in stride(from: electronicCodes.startIndex, to: electronicCodes.endIndex, by: 250) {
        let requests = electronicCodes[group..<min(group + 250, electronicCodes.endIndex)].map {
            CastingTerminal.Request(session: opened.session, code: $0, choices: ballot(), shape: .vote)
        }
        let start = now()
        for result in try terminal.cast(requests) { _ = try result.get() }
        castSeconds += now() - start
    }
    var importSeconds = 0.0
    let paperCodes = codes[electronicCodes.endIndex...]
    for first in stride(from: paperCodes.startIndex, to: paperCodes.endIndex, by: chunk) {
        var csv = "credential,approve,oppose,abstain\n"
        for code in paperCodes[first..<min(first + chunk, paperCodes.endIndex)] {
            let choices = ballot()
            csv += "\(code),\(choices[.approve].joined(separator: ";")),\(choices[.oppose].joined(separator: ";")),\(choices[.abstain].joined(separator: ";"))\n"
        }
        let paper = scratch + "/paper-\(first).csv"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: paper))
        let start = now()
        _ = try SessionService.importPaper(session: opened.session, path: paper, shape: .vote, workspace: workspace)
        importSeconds += now() - start
        try? FileManager.default.removeItem(atPath: paper)
    }
    _ = try SessionService.close(session: opened.session, returned: nil, workspace: workspace)
    let tallyStart = now()
    let result = try BallotService.tally(session: opened.session, workspace: workspace)
    let tallySeconds = now() - tallyStart
    let ledger = try Ledger.open(at: database, readOnly: true)
    let lineBytes = try ledger.read { reader -> Int in
        guard let entry = try reader.latest(kind: Ballot.paperKind, session: opened.session) else { return 0 }
        return entry.line.count
    }
    emit([
        "session": opened.session, "seated": seated, "candidates": items.count, "seats": seats, "ballots": result.recorded,
        "electronic": electronicCodes.count, "paper": result.recorded - electronicCodes.count, "valid": result.valid,
        "chosen": result.chosen.count, "ballotLineBytes": lineBytes, "castRate": Double(electronicCodes.count) / max(castSeconds, 1e-9),
        "importRate": Double(paperCodes.count) / max(importSeconds, 1e-9), "tallySeconds": tallySeconds, "totalSeconds": now() - started,
    ])
}

/// Recounts every ballot session of the ledger from its ballots (read-only), as `ballot tally` does.
func tally(_ args: Arguments) throws {
    let ledger = try Ledger.open(at: args.string("db"), readOnly: true)
    let start = now()
    var ballots = 0
    var sessions = 0
    try ledger.read { reader in
        for opened in try reader.events(BallotSessionOpened.self) {
            guard let closed = try reader.latest(kind: SessionClosed.kind, session: opened.session) else { continue }
            let input = try BallotService.tallyInput(reader, session: opened.session, withBallots: false)
            var counter = VoteCounter(candidates: input.candidates.map(\.id), seats: input.seats, rules: input.rules)
            // As `ballot tally` reads one session: from its opening on (here up to its closing, since
            // every session of the ledger is recounted; the index cross-check still covers the rest).
            let opening = try SessionService.openingEntry(reader, session: opened.session) ?? 0
            try SessionService.countVotes(reader, session: opened.session, from: opening, before: closed.index + 1, into: &counter)
            let result = VoteTally.decide(input, counter: counter)
            ballots += result.recorded
            sessions += 1
        }
    }
    let seconds = now() - start
    emit(["ballots": ballots, "sessions": sessions, "seconds": seconds, "tallyRate": Double(ballots) / seconds])
}

/// The raw SQLite limit: single-row transactions with the ledger's durability settings (WAL,
/// synchronous=FULL), rows shaped like ballot entries.
final class RawInserter {
    private let db: OpaquePointer
    private var statement: OpaquePointer?
    private var next: Int64 = 0
    private let line = [UInt8](repeating: 0x61, count: 420)
    private let random = SystemRandom()

    init(path: String) {
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        var handle: OpaquePointer?
        guard sqlite3_open(path, &handle) == SQLITE_OK, let handle else { fail("cannot open \(path)") }
        db = handle
        sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nil, nil, nil)
        sqlite3_exec(db, "CREATE TABLE t(idx INTEGER PRIMARY KEY, kind TEXT, session TEXT, credential BLOB UNIQUE, line BLOB, leaf BLOB UNIQUE) STRICT", nil, nil, nil)
        sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", -1, &statement, nil)
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close(db)
    }

    /// Inserts `count` rows, one transaction each; returns the seconds taken.
    func insert(_ count: Int) throws -> Double {
        let start = now()
        for _ in 0..<count {
            let credential = try random.bytes(32)
            let leaf = try random.bytes(32)
            sqlite3_exec(db, "BEGIN IMMEDIATE", nil, nil, nil)
            sqlite3_bind_int64(statement, 1, next)
            sqlite3_bind_text(statement, 2, "session.cast", -1, piaojue_sqlite_transient())
            sqlite3_bind_text(statement, 3, "S1", -1, piaojue_sqlite_transient())
            credential.withUnsafeBytes { _ = sqlite3_bind_blob(statement, 4, $0.baseAddress, 32, piaojue_sqlite_transient()) }
            line.withUnsafeBytes { _ = sqlite3_bind_blob(statement, 5, $0.baseAddress, Int32($0.count), piaojue_sqlite_transient()) }
            leaf.withUnsafeBytes { _ = sqlite3_bind_blob(statement, 6, $0.baseAddress, 32, piaojue_sqlite_transient()) }
            guard sqlite3_step(statement) == SQLITE_DONE else { fail("insert failed") }
            sqlite3_reset(statement)
            sqlite3_exec(db, "COMMIT", nil, nil, nil)
            next += 1
        }
        return now() - start
    }
}

func sqliteLimit(_ args: Arguments) throws {
    let count = args.int("count", 5_000)
    let seconds = try RawInserter(path: args.string("db")).insert(count)
    emit(["inserts": count, "seconds": seconds, "insertRate": Double(count) / seconds])
}

/// Per-operation costs of the hot paths, in microseconds.
func micro(_ args: Arguments) throws {
    let rounds = args.int("count", 5_000)
    func time(_ label: String, _ body: () throws -> Void) rethrows -> (String, Double) {
        let start = now()
        for _ in 0..<rounds { try body() }
        return (label, (now() - start) / Double(rounds) * 1e6)
    }
    let random = SeededRandom(seed: "micro")
    let seed = try random.bytes(32)
    let key = try Ed25519PrivateKey(seed: seed)
    let code = try SecretCode.encode(seed)
    let choices = Choices([.approve: ["P1", "P2", "P3", "P5", "P8"], .oppose: ["P12"], .abstain: []])
    let payload = BallotJSON.payload(session: "S17", via: .paper, choices: choices)
    let message = payload.canonicalBytes
    let signature = try key.sign(message)
    let entry = JSONValue.object(JSONObject([
        "index": .integer(123_456), "kind": .string("session.paper"), "time": .string("2025-01-15T09:30:00Z"),
        "prev": .string(Encoding.hex(SHA256.hash([1]))), "payload": payload, "signer": .string(key.publicKey.base64),
        "sig": .string(Encoding.base64(signature)),
    ]))
    let line = entry.canonicalBytes
    var results: [(String, Double)] = []
    results.append(try time("secretCodeDecode") { _ = try SecretCode.decode(code) })
    results.append(try time("ed25519Derive") { _ = try Ed25519PrivateKey(seed: seed) })
    results.append(try time("ed25519Sign") { _ = try key.sign(message) })
    results.append(time("ed25519Verify") { _ = key.publicKey.isValidSignature(signature, for: message) })
    results.append(time("ballotPayloadCanonical") { _ = BallotJSON.payload(session: "S17", via: .paper, choices: choices).canonicalBytes })
    results.append(time("entryCanonical") { _ = entry.canonicalBytes })
    results.append(try time("jsonParseLine") { _ = try JSONValue.parse(line) })
    results.append(try time("entryFields") { _ = try EntryFields(line: line) })
    results.append(time("leafHash") { _ = Merkle.leafHash(line) })
    emit(["lineBytes": line.count, "microseconds": Dictionary(uniqueKeysWithValues: results)])
}

/// Ed25519 verification of distinct keys on one thread and on every core, to see how it scales.
func verifyScaling(_ args: Arguments) throws {
    let count = args.int("count", 4_000)
    var items: [(Ed25519PublicKey, [UInt8], [UInt8])] = []
    let random = SeededRandom(seed: "scaling")
    for n in 0..<count {
        let key = try Ed25519PrivateKey.generate(using: random)
        let message = Array("ballot \(n)".utf8)
        items.append((key.publicKey, message, try key.sign(message)))
    }
    let work = items
    var start = now()
    for item in work where !item.0.isValidSignature(item.2, for: item.1) { fail("bad signature") }
    let one = Double(count) / (now() - start)
    start = now()
    DispatchQueue.concurrentPerform(iterations: 64) { chunk in
        for n in stride(from: chunk, to: count, by: 64) where !work[n].0.isValidSignature(work[n].2, for: work[n].1) {
            fail("bad signature")
        }
    }
    let all = Double(count) / (now() - start)
    emit(["oneThread": one, "allCores": all, "speedup": all / one, "cores": ProcessInfo.processInfo.activeProcessorCount])
}

/// `piaojue audit verify [DIR]` and `piaojue audit publish` in this process: the same service calls
/// the CLI makes (LedgerQueries.verifyBundle / verifyLedger, AuditService.publish), their output
/// printed as the CLI's `--json` would print it, for machines where the release `piaojue` (which
/// also links the web server and its TLS) is not built. Exit status 1 when a check fails.
func audit(_ command: String, _ args: Arguments) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    if command == "audit-publish" {
        let settings = Settings(databasePath: args.string("db"), configDirectory: args.string("config", "Config"))
        let published = try AuditService.publish(session: args.string("session"), directory: args.string("out"), workspace: Workspace(settings: settings))
        FileHandle.standardOutput.write(try encoder.encode(published) + Data("\n".utf8))
        return
    }
    let report: VerificationOutput
    if let directory = args.values["dir"] {
        report = try LedgerQueries.verifyBundle(directory: directory)
    } else {
        let settings = Settings(databasePath: args.string("db"), configDirectory: args.string("config", "Config"))
        report = try LedgerQueries.verifyLedger(workspace: Workspace(settings: settings))
    }
    FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
    if !report.ok { exit(1) }
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: piaojue-bench generate|big-session|cast|tally|sqlite-limit|micro|verify-scaling|audit-verify|audit-publish --db PATH [--ballots N] [--count N]") }
let options = Arguments(arguments.dropFirst(2))
do {
    switch arguments[1] {
    case "generate": try generate(options)
    case "cast": try cast(options)
    case "big-session": try bigSession(options)
    case "tally": try tally(options)
    case "sqlite-limit": try sqliteLimit(options)
    case "micro": try micro(options)
    case "verify-scaling": try verifyScaling(options)
    case "audit-verify", "audit-publish": try audit(arguments[1], options)
    default: fail("unknown command \(arguments[1])")
    }
} catch {
    fail("\(error)")
}
