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

/// Builds a ledger of about `ballots` ballots: sessions of 300–3,000 seated deputies, 12 candidates
/// for 10 seats, 95% present, every present deputy voting on paper (imported by counters).
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
    _ = try SetupService.initialize(body: "基准测试县人民代表大会", level: .county, settings: settings)
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
        // Stage 1, written through the domain decisions in one transaction (a service call per
        // proposal would replay the whole collection each time).
        let list = try workspace.openForWriting().write { writer -> String in
            var ids: [String] = []
            for n in 1...12 {
                let proposal = Proposal(
                    title: "民生项目 \(sessions)-\(n)", category: "市政建设", content: "建设内容 \(n)", location: "第\(n)街道",
                    budget: Int64(100 + dice.below(900)) * 10_000, unit: "县住建局", channel: "代表建议")
                let event = ProposalSubmitted(
                    id: collection.nextProposalID, proposal: proposal,
                    possibleDuplicateOf: try collection.check(submit: proposal, rules: rules.collection))
                try writer.append(event)
                collection.apply(event)
                let screened = try collection.decide(screen: event.id, decision: .accept, reason: nil, into: nil, note: nil, rules: rules.collection)
                try writer.append(screened)
                collection.apply(screened)
                ids.append(event.id)
            }
            for step in rules.collection.approvalSteps {
                let approved = try collection.decide(approve: step, ref: "纪要 \(sessions)", rules: rules.collection)
                try writer.append(approved)
                collection.apply(approved)
            }
            let decided = try collection.decide(shortlist: 10, ids: ids, rules: rules.collection)
            let frozen = ListFrozen(
                list: collection.nextListID, seats: decided.seats, candidates: decided.candidates,
                candidatesHash: try canonicalHash(decided.candidates), approvals: decided.approvals, margin: rules.collection.margin,
                rules: rules.name)
            try writer.append(frozen)
            collection.apply(frozen)
            return frozen.list
        }
        // Stage 2 through the services, as the CLI does it.
        let opened = try BallotService.open(list: list, rules: rules, scrutineers: ["监票人"], workspace: workspace)
        let present = seated * 95 / 100
        _ = try SessionService.checkin(session: opened.session, deputies: (1...present).map { "D\($0)" }, workspace: workspace)
        let slips = scratch + "/slips-\(opened.session).txt"
        _ = try SessionService.issue(session: opened.session, slipsPath: slips, workspace: workspace)
        let codes = try String(contentsOfFile: slips, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
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
/// `count` credentials, then `count` casts.
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
    var roster = "id,name\n"
    for n in 1...count { roster += "C\(n),代表\(n)\n" }
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
    _ = try SessionService.checkin(session: opened.session, deputies: (1...count).map { "C\($0)" }, workspace: workspace)
    _ = try SessionService.issue(session: opened.session, slipsPath: scratch + "/slips.txt", workspace: workspace)
    let codes = try String(contentsOfFile: scratch + "/slips.txt", encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
    let terminal = CastingTerminal(ledger: try workspace.openForCasting())
    let choices = Choices([.approve: [ids[0], ids[1]], .oppose: [ids[2]], .abstain: []])
    // The disk's fsync latency drifts over seconds on a shared machine, so casts and raw inserts
    // alternate in rounds of 250 and each rate is taken over the same stretch of time.
    let raw = RawInserter(path: scratch + "/raw.sqlite")
    // The same rounds also time a cast's cryptography alone (code → key, sign, self-check), so that
    // the transaction's share of a cast is measured in the same stretch of time.
    var seconds = 0.0
    var rawSeconds = 0.0
    var cryptoSeconds = 0.0
    for round in stride(from: 0, to: codes.count, by: 250) {
        let batch = codes[round..<min(round + 250, codes.count)]
        rawSeconds += try raw.insert(batch.count)
        var start = now()
        for code in batch {
            _ = try terminal.cast(session: opened.session, code: code, choices: choices, shape: .vote)
        }
        seconds += now() - start
        start = now()
        for code in batch {
            let key = try Ed25519PrivateKey(seed: try SecretCode.decode(code))
            let message = BallotJSON.payload(session: opened.session, via: .electronic, choices: choices).canonicalBytes
            guard key.publicKey.isValidSignature(try key.sign(message), for: message) else { fail("self-check failed") }
        }
        cryptoSeconds += now() - start
    }
    emit([
        "casts": codes.count, "seconds": seconds, "castRate": Double(codes.count) / seconds, "session": opened.session,
        "insertRate": Double(codes.count) / rawSeconds, "cryptoMicros": cryptoSeconds / Double(codes.count) * 1e6,
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
            guard try reader.latest(kind: SessionClosed.kind, session: opened.session) != nil else { continue }
            let input = try BallotService.tallyInput(reader, session: opened.session, withBallots: false)
            var counter = VoteCounter(candidates: input.candidates.map(\.id), seats: input.seats, rules: input.rules)
            try SessionService.countVotes(reader, session: opened.session, from: 0, into: &counter)
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
    let payload = BallotJSON.payload(session: "S17", via: .electronic, choices: choices)
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
    results.append(time("ballotPayloadCanonical") { _ = BallotJSON.payload(session: "S17", via: .electronic, choices: choices).canonicalBytes })
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

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: piaojue-bench generate|cast|tally|sqlite-limit --db PATH [--ballots N] [--count N]") }
let options = Arguments(arguments.dropFirst(2))
do {
    switch arguments[1] {
    case "generate": try generate(options)
    case "cast": try cast(options)
    case "tally": try tally(options)
    case "sqlite-limit": try sqliteLimit(options)
    case "micro": try micro(options)
    case "verify-scaling": try verifyScaling(options)
    default: fail("unknown command \(arguments[1])")
    }
} catch {
    fail("\(error)")
}
