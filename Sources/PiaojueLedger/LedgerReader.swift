import CSQLite
import PiaojueDomain
public import PiaojueCrypto

/// Read access to the ledger inside one transaction (a snapshot).
public class LedgerReader {
    let ledger: Ledger
    var connection: SQLiteConnection { ledger.connection }

    init(ledger: Ledger) { self.ledger = ledger }

    /// The body and key of this ledger.
    public var identity: LedgerIdentity { ledger.identity }

    private static let entryColumns = "idx, kind, session, line, leaf"

    private func entry(from statement: SQLiteStatement) -> LedgerEntry {
        LedgerEntry(
            index: Int(statement.int(0)), kind: statement.text(1) ?? "", session: statement.text(2),
            line: statement.bytes(3), leafHash: statement.bytes(4))
    }

    /// Number of entries.
    public func count() throws -> Int {
        Int(try connection.scalarInt("SELECT COALESCE(MAX(idx) + 1, 0) FROM entries"))
    }

    /// The entry at `index`, or nil.
    public func entry(at index: Int) throws -> LedgerEntry? {
        let statement = try connection.statement("SELECT \(Self.entryColumns) FROM entries WHERE idx = ?")
        defer { statement.reset() }
        try statement.bind(1, Int64(index))
        return try statement.step() ? entry(from: statement) : nil
    }

    /// The entries of the given kinds (optionally of one session), oldest first.
    public func entries(kinds: [String], session: String? = nil) throws -> [LedgerEntry] {
        guard !kinds.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: kinds.count).joined(separator: ",")
        let sessionClause = session == nil ? "" : " AND session = ?"
        let statement = try connection.statement(
            "SELECT \(Self.entryColumns) FROM entries WHERE kind IN (\(placeholders))\(sessionClause) ORDER BY idx")
        defer { statement.reset() }
        for (n, kind) in kinds.enumerated() { try statement.bind(Int32(n + 1), kind) }
        if let session { try statement.bind(Int32(kinds.count + 1), session) }
        var result: [LedgerEntry] = []
        while try statement.step() { result.append(entry(from: statement)) }
        return result
    }

    /// Calls `body` for each entry of the given kinds of one session, oldest first, one at a time.
    public func forEachEntry(kinds: [String], session: String, _ body: (LedgerEntry) throws -> Void) throws {
        guard !kinds.isEmpty else { return }
        let statement = try sessionStatement(Self.entryColumns, kinds: kinds, session: session, ordered: true)
        defer { statement.reset() }
        while try statement.step() { try body(entry(from: statement)) }
    }

    /// Calls `body` with the line of each entry of the given kinds of one session, without copying
    /// it (the bytes are valid only during the call). For counting: the lines come kind by kind,
    /// oldest first within a kind, straight off the session index (no sort of the whole session).
    public func forEachLine(kinds: [String], session: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !kinds.isEmpty else { return }
        let statement = try sessionStatement("line", kinds: kinds, session: session, ordered: false)
        defer { statement.reset() }
        while try statement.step() { try statement.withBytes(0, body) }
    }

    /// `columns` of the entries of the given kinds (at least one) of one session, bound and ready
    /// to step; `ordered` puts them in ledger order, which for several kinds means a sort.
    private func sessionStatement(_ columns: String, kinds: [String], session: String, ordered: Bool) throws -> SQLiteStatement {
        let placeholders = Array(repeating: "?", count: kinds.count).joined(separator: ",")
        let statement = try connection.statement(
            "SELECT \(columns) FROM entries WHERE session = ? AND kind IN (\(placeholders))\(ordered ? " ORDER BY idx" : "")")
        try statement.bind(1, session)
        for (n, kind) in kinds.enumerated() { try statement.bind(Int32(n + 2), kind) }
        return statement
    }

    /// Number of entries of `kind` (optionally of one session).
    public func count(kind: String, session: String? = nil) throws -> Int {
        let sessionClause = session == nil ? "" : " AND session = ?"
        let statement = try connection.statement("SELECT count(*) FROM entries WHERE kind = ?\(sessionClause)")
        defer { statement.reset() }
        try statement.bind(1, kind)
        if let session { try statement.bind(2, session) }
        return try statement.step() ? Int(statement.int(0)) : 0
    }

    /// The most recent entry of `kind` (optionally of one session), or nil.
    public func latest(kind: String, session: String? = nil) throws -> LedgerEntry? {
        let sessionClause = session == nil ? "" : " AND session = ?"
        let statement = try connection.statement(
            "SELECT \(Self.entryColumns) FROM entries WHERE kind = ?\(sessionClause) ORDER BY idx DESC LIMIT 1")
        defer { statement.reset() }
        try statement.bind(1, kind)
        if let session { try statement.bind(2, session) }
        return try statement.step() ? entry(from: statement) : nil
    }

    /// The last `limit` entries (all when nil) whose kind is `kind` or starts with `kind.`, and of
    /// `session` when given, oldest first: one indexed query, newest first, reversed — the entries
    /// before them are never read.
    public func tail(kindPrefix kind: String?, session: String?, limit: Int?) throws -> [LedgerEntry] {
        var clauses: [String] = []
        if kind != nil { clauses.append("(kind = ? OR substr(kind, 1, ?) = ?)") }
        if session != nil { clauses.append("session = ?") }
        let whereClause = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        let statement = try connection.statement(
            "SELECT \(Self.entryColumns) FROM entries\(whereClause) ORDER BY idx DESC LIMIT ?")
        defer { statement.reset() }
        var position: Int32 = 1
        if let kind {
            try statement.bind(position, kind)
            try statement.bind(position + 1, Int64(kind.utf8.count + 1))
            try statement.bind(position + 2, kind + ".")
            position += 3
        }
        if let session {
            try statement.bind(position, session)
            position += 1
        }
        try statement.bind(position, Int64(limit ?? -1))
        var result: [LedgerEntry] = []
        while try statement.step() { result.append(entry(from: statement)) }
        return result.reversed()
    }

    /// Calls `body` for every entry in `range` (all by default), oldest first, one at a time.
    public func forEachEntry(in range: Range<Int>? = nil, _ body: (LedgerEntry) throws -> Void) throws {
        let statement = try connection.statement(
            "SELECT \(Self.entryColumns) FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx")
        defer { statement.reset() }
        try statement.bind(1, Int64(range?.lowerBound ?? 0))
        try statement.bind(2, Int64(range?.upperBound ?? Int(Int64.max)))
        while try statement.step() { try body(entry(from: statement)) }
    }

    /// Calls `body` with the line of every entry in `range`, oldest first, without copying it (the
    /// bytes are valid only during the call): how a bundle streams a million entries to a file.
    public func forEachLine(in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let statement = try connection.statement("SELECT line FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx")
        defer { statement.reset() }
        try statement.bind(1, Int64(range.lowerBound))
        try statement.bind(2, Int64(range.upperBound))
        while try statement.step() { try statement.withBytes(0, body) }
    }

    /// Calls `body` with the line of every ballot (`session.cast`, `session.paper`) of `session`,
    /// in ledger order, found by reading every entry from `start` on and its own line — never the
    /// session index or the `kind`/`session` columns — and then cross-checks the count with the
    /// index: a damaged index is refused (``LedgerError/indexDisagrees(session:scanned:indexed:)``)
    /// before anything is counted or signed from it. Returns the electronic and paper counts.
    @discardableResult
    public func forEachBallotLine(
        session: String, from start: Int, before end: Int = Int(Int64.max),
        _ body: (_ line: UnsafeRawBufferPointer, _ electronic: Bool) throws -> Void
    ) throws -> (electronic: Int, paper: Int) {
        var electronic = 0
        var paper = 0
        let wanted = Array(session.utf8)
        try forEachLine(in: start..<max(start, end)) { line in
            guard let found = EntryLine.ballot(line) else { return }
            guard found.session.elementsEqual(wanted) else { return }
            if found.electronic { electronic += 1 } else { paper += 1 }
            try body(line, found.electronic)
        }
        let indexed = try count(kind: "session.cast", session: session) + count(kind: "session.paper", session: session)
        guard indexed == electronic + paper else {
            throw LedgerError.indexDisagrees(session: session, scanned: electronic + paper, indexed: indexed)
        }
        return (electronic, paper)
    }

    /// The electronic ballots of `session` the latest cast checkpoint naming it acknowledged
    /// (0 when none did).
    public func acknowledgedBallots(session: String) throws -> Int {
        let statement = try connection.statement(
            "SELECT reason FROM checkpoints WHERE reason LIKE 'session.cast %' ORDER BY size DESC")
        defer { statement.reset() }
        while try statement.step() {
            if let count = statement.text(0).flatMap(CheckpointReason.castCounts)?[session] { return count }
        }
        return 0
    }

    /// The ledger's schema as stored (`sqlite_master`), and as the migrations up to its version
    /// create it (a ledger read at an older readable version is compared with that version's).
    public func schema() throws -> (found: [SchemaObject], expected: [SchemaObject], version: Int, supported: Int) {
        let version = Int(try connection.scalarInt("PRAGMA user_version"))
        let compared = (Schema.oldestReadable...Schema.version).contains(version) ? version : Schema.version
        return (try Schema.objects(connection), try Schema.expectedObjects(version: compared), version, Schema.version)
    }

    /// Every entry row as stored, including the index columns, for verification.
    public func forEachRow(_ body: (StoredRow) throws -> Void) throws {
        let statement = try connection.statement(
            "SELECT idx, kind, session, credential, line, leaf FROM entries ORDER BY idx")
        defer { statement.reset() }
        while try statement.step() {
            let credential = statement.isNull(3) ? nil : statement.bytes(3)
            try body(StoredRow(
                index: Int(statement.int(0)), kind: statement.text(1) ?? "", session: statement.text(2),
                credential: credential, line: statement.bytes(4), leafHash: statement.bytes(5)))
        }
    }

    /// The leaf hashes of entries `0..<size`.
    public func leafHashes(count size: Int) throws -> [[UInt8]] {
        var result: [[UInt8]] = []
        result.reserveCapacity(size)
        let statement = try connection.statement("SELECT leaf FROM entries WHERE idx < ? ORDER BY idx")
        defer { statement.reset() }
        try statement.bind(1, Int64(size))
        while try statement.step() { result.append(statement.bytes(0)) }
        return result
    }

    /// The index of the entry with this leaf hash (a receipt), or nil.
    public func index(ofLeaf leafHash: [UInt8]) throws -> Int? {
        let statement = try connection.statement("SELECT idx FROM entries WHERE leaf = ?")
        defer { statement.reset() }
        try statement.bind(1, bytes: leafHash)
        return try statement.step() ? Int(statement.int(0)) : nil
    }

    /// The index of the ballot signed by this credential key, or nil when it was never used.
    public func ballotIndex(credential publicKey: VerifyingKey) throws -> Int? {
        let statement = try connection.statement("SELECT idx FROM entries WHERE credential = ?")
        defer { statement.reset() }
        try statement.bind(1, bytes: publicKey.suite.credentialIndex(publicKey.rawBytes))
        return try statement.step() ? Int(statement.int(0)) : nil
    }

    /// The session and entry that issued this credential key, or nil when it was never issued.
    public func issuance(of publicKey: VerifyingKey) throws -> (session: String, entry: Int)? {
        let statement = try connection.statement("SELECT session, entry FROM credentials WHERE key = ?")
        defer { statement.reset() }
        try statement.bind(1, Encoding.base64(publicKey.suite.credentialIndex(publicKey.rawBytes)))
        guard try statement.step() else { return nil }
        return (statement.text(0) ?? "", Int(statement.int(1)))
    }

    /// The credential keys (base64, sorted) the index table records for the entry at `index`.
    public func issuedKeys(entry index: Int) throws -> [String] {
        let statement = try connection.statement("SELECT key FROM credentials WHERE entry = ? ORDER BY key")
        defer { statement.reset() }
        try statement.bind(1, Int64(index))
        var keys: [String] = []
        while try statement.step() { keys.append(statement.text(0) ?? "") }
        return keys
    }

    /// The sessions the credentials table records for the keys of issue entry `index`.
    public func issuedKeySessions(entry index: Int) throws -> Set<String> {
        let statement = try connection.statement("SELECT DISTINCT session FROM credentials WHERE entry = ?")
        defer { statement.reset() }
        try statement.bind(1, Int64(index))
        var sessions: Set<String> = []
        while try statement.step() { sessions.insert(statement.text(0) ?? "") }
        return sessions
    }

    /// Number of rows in the credentials index table.
    public func issuedKeyCount() throws -> Int {
        Int(try connection.scalarInt("SELECT count(*) FROM credentials"))
    }

    /// Every stored checkpoint, smallest first.
    public func checkpoints() throws -> [StoredCheckpoint] {
        let statement = try connection.statement(
            "SELECT size, root, note, frontier, time, reason FROM checkpoints ORDER BY size")
        defer { statement.reset() }
        var result: [StoredCheckpoint] = []
        while try statement.step() { result.append(try checkpoint(from: statement)) }
        return result
    }

    /// The checkpoint with the largest size, or nil.
    public func latestCheckpoint() throws -> StoredCheckpoint? {
        let statement = try connection.statement(
            "SELECT size, root, note, frontier, time, reason FROM checkpoints ORDER BY size DESC LIMIT 1")
        defer { statement.reset() }
        return try statement.step() ? try checkpoint(from: statement) : nil
    }

    private func checkpoint(from statement: SQLiteStatement) throws -> StoredCheckpoint {
        let size = Int(statement.int(0))
        let blob = statement.bytes(3)
        let hashes = stride(from: 0, to: blob.count, by: 32).map { Array(blob[$0..<min($0 + 32, blob.count)]) }
        let frontier: MerkleFrontier
        do { frontier = try MerkleFrontier(size: size, hashes: hashes, suite: ledger.identity.suite) } catch {
            throw LedgerError.corrupt(path: ledger.path, detail: "checkpoint \(size): \(error.description)")
        }
        return StoredCheckpoint(
            size: size, root: statement.bytes(1), note: statement.text(2) ?? "", frontier: frontier,
            time: statement.text(4) ?? "", reason: statement.text(5) ?? "")
    }

    /// The Merkle frontier over entries `0..<count()`, extended from the latest checkpoint.
    public func currentFrontier() throws -> MerkleFrontier {
        var frontier = MerkleFrontier(suite: ledger.identity.suite)
        if let stored = try latestCheckpoint() { frontier = stored.frontier }
        let statement = try connection.statement("SELECT leaf FROM entries WHERE idx >= ? ORDER BY idx")
        defer { statement.reset() }
        try statement.bind(1, Int64(frontier.size))
        while try statement.step() { frontier.append(leafHash: statement.bytes(0)) }
        return frontier
    }
}

/// An entry row exactly as stored, index columns included.
public struct StoredRow: Sendable {
    public let index: Int
    public let kind: String
    public let session: String?
    public let credential: [UInt8]?
    public let line: [UInt8]
    public let leafHash: [UInt8]
}

/// Write access inside one IMMEDIATE transaction: read the state, then append.
public final class LedgerWriter: LedgerReader {
    private var nextIndex: Int
    private var lastLeaf: [UInt8]
    /// The time of the last entry or checkpoint: nothing is dated before it.
    private var lastTime: String?
    /// The time of this transaction: every entry it appends shares it (a group of casts keeps no
    /// arrival order or timing).
    public let time: String

    /// A writer positioned after the last entry.
    init(tailOf ledger: Ledger) throws {
        let statement = try ledger.connection.statement("SELECT idx, leaf, line FROM entries ORDER BY idx DESC LIMIT 1")
        defer { statement.reset() }
        if try statement.step() {
            nextIndex = Int(statement.int(0)) + 1
            lastLeaf = statement.bytes(1)
            lastTime = try? EntryFields(line: statement.bytes(2)).time
        } else {
            nextIndex = 0
            lastLeaf = Array(repeating: 0, count: 32)
        }
        time = ledger.nowText()
        super.init(ledger: ledger)
        // A checkpoint signed later than the last entry (on request) bounds the time too, so that
        // every checkpoint's time lies between the entries around it.
        let checkpoint = try ledger.connection.statement("SELECT time FROM checkpoints ORDER BY size DESC LIMIT 1")
        defer { checkpoint.reset() }
        if try checkpoint.step(), let signed = checkpoint.text(0), signed > (lastTime ?? "") { lastTime = signed }
    }

    /// The index the next appended entry gets.
    public var nextEntryIndex: Int { nextIndex }

    /// Appends one entry: assigns its index, time and `prev`, signs it when it is a body entry, and
    /// inserts it. Visible to reads in this transaction at once; durable only after commit.
    @discardableResult
    public func append(_ new: NewEntry) throws -> LedgerEntry {
        // Entry times never go backwards (times are fixed-width UTC, so text order is time order).
        if let lastTime, time < lastTime { throw SetupFailure.nowBeforeLastEntry(now: time, last: lastTime) }
        let line: [UInt8]
        let signerKey: [UInt8]
        var credential: [UInt8]?
        switch new.signing {
        case .body:
            guard let key = ledger.bodyKey else { throw LedgerError.needsBodyKey }
            guard !EntryFields.credentialSignedKinds.contains(new.kind) else {
                throw LedgerError.storage(detail: "\(new.kind) entries are signed by a ballot credential")
            }
            signerKey = key.verifyingKey.rawBytes
            let unsigned = EntryFields.unsignedObject(
                index: nextIndex, kind: new.kind, time: time, prev: lastLeaf, payload: new.payload, signer: signerKey)
            let signature = try key.sign(unsigned.canonicalBytes)
            guard case var .object(object) = unsigned else { throw LedgerError.storage(detail: "entry is not an object") }
            object["sig"] = .string(Encoding.base64(signature))
            line = JSONValue.object(object).canonicalBytes
        case let .credential(publicKey, signature):
            guard EntryFields.credentialSignedKinds.contains(new.kind) else {
                throw LedgerError.storage(detail: "\(new.kind) entries are signed by the body")
            }
            guard publicKey.suite == ledger.identity.suite else {
                throw LedgerError.storage(detail: "a \(publicKey.suite.rawValue) credential cannot sign in a \(ledger.identity.suite.rawValue) ledger")
            }
            signerKey = publicKey.rawBytes
            credential = publicKey.suite.credentialIndex(publicKey.rawBytes)
            guard case var .object(object) = EntryFields.unsignedObject(
                index: nextIndex, kind: new.kind, time: time, prev: lastLeaf, payload: new.payload, signer: signerKey)
            else { throw LedgerError.storage(detail: "entry is not an object") }
            object["sig"] = .string(Encoding.base64(signature))
            line = JSONValue.object(object).canonicalBytes
        }
        let leaf = ledger.identity.suite.leafHash(line)
        let session = new.payload["session"]?.stringValue
        let statement = try connection.statement(
            "INSERT INTO entries(idx, kind, session, credential, line, leaf) VALUES (?, ?, ?, ?, ?, ?)")
        defer { statement.reset() }
        try statement.bind(1, Int64(nextIndex))
        try statement.bind(2, new.kind)
        try statement.bind(3, session)
        try statement.bind(4, bytes: credential)
        try statement.bind(5, bytes: line)
        try statement.bind(6, bytes: leaf)
        do { _ = try statement.step() } catch { throw Ledger.classify(error, path: ledger.path) }
        // Confirm the row is stored: a foreign trigger that ignores the insert must not let an
        // append report success.
        guard sqlite3_changes(connection.handle) == 1 else { throw LedgerError.notStored(index: nextIndex) }
        if !new.issues.isEmpty {
            guard let session else { throw LedgerError.storage(detail: "credentials are issued for a session") }
            let insert = try connection.statement("INSERT INTO credentials(key, session, entry) VALUES (?, ?, ?)")
            for key in new.issues {
                insert.reset()
                try insert.bind(1, Encoding.base64(key.suite.credentialIndex(key.rawBytes)))
                try insert.bind(2, session)
                try insert.bind(3, Int64(nextIndex))
                do { _ = try insert.step() } catch { throw Ledger.classify(error, path: ledger.path) }
                guard sqlite3_changes(connection.handle) == 1 else { throw LedgerError.notStored(index: nextIndex) }
            }
            insert.reset()
        }
        let entry = LedgerEntry(index: nextIndex, kind: new.kind, session: session, line: line, leafHash: leaf)
        nextIndex += 1
        lastLeaf = leaf
        lastTime = time
        return entry
    }

    /// Signs and stores a checkpoint of the whole ledger as it stands in this transaction, unless
    /// one of that size exists already. Returns the checkpoint of the current size.
    @discardableResult
    public func signCheckpoint(reason: String) throws -> StoredCheckpoint {
        try signCheckpoint(reason: reason, proving: nil).checkpoint
    }

    /// ``signCheckpoint(reason:)``, with the inclusion proofs of the entries `proving` (appended
    /// in this transaction) in that checkpoint.
    ///
    /// The new tree is computed from the entries, never from a stored frontier alone: the latest
    /// stored checkpoint is taken only after its signature and its frontier's root are checked
    /// (once per process), and every entry after it is hashed from its line.
    public func signCheckpoint(reason: String, proving: Range<Int>?) throws -> (checkpoint: StoredCheckpoint, proofs: [[[UInt8]]]) {
        let signers = ledger.checkpointSigners
        guard !signers.isEmpty else { throw LedgerError.needsBodyKey }
        if let lastTime, time < lastTime { throw SetupFailure.nowBeforeLastEntry(now: time, last: lastTime) }
        let suite = ledger.identity.suite
        var frontier = try verifiedBase()?.frontier ?? MerkleFrontier(suite: suite)
        var newLeaves: [[UInt8]] = []
        var before = frontier
        let statement = try connection.statement("SELECT idx, line, leaf FROM entries WHERE idx >= ? ORDER BY idx")
        defer { statement.reset() }
        try statement.bind(1, Int64(frontier.size))
        while try statement.step() {
            let index = Int(statement.int(0))
            let leaf = suite.leafHash(statement.bytes(1))
            guard index == frontier.size + newLeaves.count, leaf == statement.bytes(2) else {
                throw LedgerError.corrupt(path: ledger.path, detail: "entry \(index) does not hash to its stored leaf")
            }
            if let proving, index >= proving.lowerBound {
                newLeaves.append(leaf)
            } else {
                frontier.append(leafHash: leaf)
                before = frontier
            }
        }
        let (after, proofs) = MerkleAppend.append(newLeaves, to: before)
        guard after.size == nextIndex else {
            throw LedgerError.entriesMissing(covered: max(after.size, frontier.size), present: nextIndex)
        }
        if let latest = try latestCheckpoint(), latest.size == after.size {
            ledger.verifiedCheckpoint = latest
            return (latest, proofs)
        }
        let checkpoint = Checkpoint(origin: ledger.identity.keyName, size: after.size, root: after.root)
        let note = try checkpoint.signed(with: signers).serialized
        let insert = try connection.statement(
            "INSERT INTO checkpoints(size, root, note, frontier, time, reason) VALUES (?, ?, ?, ?, ?, ?)")
        defer { insert.reset() }
        try insert.bind(1, Int64(after.size))
        try insert.bind(2, bytes: checkpoint.root)
        try insert.bind(3, note)
        try insert.bind(4, bytes: after.hashes.flatMap { $0 })
        try insert.bind(5, time)
        try insert.bind(6, reason)
        _ = try insert.step()
        guard sqlite3_changes(connection.handle) == 1 else { throw LedgerError.notStored(index: after.size) }
        let stored = StoredCheckpoint(size: after.size, root: checkpoint.root, note: note, frontier: after, time: time, reason: reason)
        ledger.verifiedCheckpoint = stored
        return (stored, proofs)
    }

    /// The latest stored checkpoint with its signature by the body and its frontier checked against
    /// the signed root (cached in the ledger for the rest of the process).
    func verifiedBase() throws -> StoredCheckpoint? {
        guard let latest = try latestCheckpoint() else { return nil }
        if let known = ledger.verifiedCheckpoint, known.size == latest.size, known.note == latest.note, known.frontier == latest.frontier {
            return latest
        }
        let identity = ledger.identity
        guard let note = try? SignedNote(parsing: latest.note), let parsed = try? Checkpoint(text: note.text),
            parsed.size == latest.size, parsed.root == latest.root, parsed.origin == identity.keyName,
            identity.checkpointKeys.allSatisfy({ note.isSigned(by: $0, keyName: identity.keyName) }), latest.frontier.root == parsed.root,
            latest.frontier.size == parsed.size
        else {
            throw LedgerError.corrupt(path: ledger.path, detail: "the checkpoint at size \(latest.size) is not the body's signed checkpoint of its frontier")
        }
        ledger.verifiedCheckpoint = latest
        return latest
    }
}
