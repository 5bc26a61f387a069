import CSQLite
public import Foundation
public import PiaojueCrypto
import PiaojueLedger

/// A C2SP tlog-witness (v1.0.0): its own Ed25519 key and its own SQLite state, separate from any
/// ledger. It cosigns (cosignature/v1) the checkpoints of the logs it trusts once each is proven
/// consistent with the last one it cosigned, and keeps every checkpoint it cosigned and every
/// log-signed checkpoint it refused as a conflict, so a split view can be shown to others.
///
/// One instance owns one SQLite connection and is used from one thread at a time; several
/// processes may share the state file (each request is one `BEGIN IMMEDIATE` transaction).
public final class Witness {
    /// The key file inside the witness directory (PEM PKCS#8, mode 0600).
    public static let keyFileName = "witness.key"
    /// The state file inside the witness directory.
    public static let stateFileName = "witness.sqlite"
    /// The protocol spoken, pinned.
    public static let protocolVersion = "c2sp.org/tlog-witness@v1.0.0"

    /// The directory holding the key and the state.
    public let directory: String
    /// The witness's name: the key name of its cosignatures.
    public let name: String
    /// Its cosigner verifier key, `name+id+base64(0x04 ‖ key)`.
    public let verifierKey: VerifierKey
    private let key: Ed25519PrivateKey
    private let connection: SQLiteConnection
    private let clock: @Sendable () -> Date
    private let registry: NoteVerifierRegistry

    private init(
        directory: String, name: String, verifierKey: VerifierKey, key: Ed25519PrivateKey,
        connection: SQLiteConnection, clock: @escaping @Sendable () -> Date, registry: NoteVerifierRegistry
    ) {
        self.directory = directory
        self.name = name
        self.verifierKey = verifierKey
        self.key = key
        self.connection = connection
        self.clock = clock
        self.registry = registry
    }

    /// The key file path of the witness in `directory`.
    public static func keyPath(in directory: String) -> String { (directory as NSString).appendingPathComponent(keyFileName) }
    /// The state file path of the witness in `directory`.
    public static func statePath(in directory: String) -> String { (directory as NSString).appendingPathComponent(stateFileName) }

    // MARK: Creating and opening

    /// Creates a witness named `name` in `directory` (made, mode 0700, when missing): a new key and
    /// an empty state file. Refuses when either file exists; a failure leaves neither behind.
    @discardableResult
    public static func create(
        name: String, directory: String, clock: @escaping @Sendable () -> Date = { Date() },
        random: any RandomSource = SystemRandom()
    ) throws(WitnessFailure) -> VerifierKey {
        guard SignedNote.isValidKeyName(name) else { throw .badName(name) }
        let keyPath = keyPath(in: directory)
        let statePath = statePath(in: directory)
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .storage(detail: "cannot create \(directory): \(error.localizedDescription)")
        }
        for path in [keyPath, statePath] where FileManager.default.fileExists(atPath: path) {
            throw .alreadyExists(path: path)
        }
        let key: Ed25519PrivateKey
        let vkey: VerifierKey
        do {
            key = try Ed25519PrivateKey.generate(using: random)
            vkey = try CosignatureV1.verifierKey(keyName: name, publicKey: key.publicKey)
        } catch {
            throw .storage(detail: "cannot make a key: \(error)")
        }
        let temporary = statePath + ".creating-\(getpid())"
        func removeTemporary() {
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temporary + suffix) }
        }
        removeTemporary()
        defer { removeTemporary() }
        do {
            let connection = try SQLiteConnection(path: temporary, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            try connection.execute("PRAGMA journal_mode=WAL")
            try configure(connection)
            try migrate(connection, from: 0)
            let insert = try connection.statement(
                "INSERT INTO witness(id, name, vkey, protocol, created) VALUES (1, ?, ?, ?, ?)")
            try insert.bind(1, name)
            try insert.bind(2, vkey.description)
            try insert.bind(3, protocolVersion)
            try insert.bind(4, posixSeconds(clock()))
            _ = try insert.step()
        } catch {
            throw .storage(detail: error.description)
        }
        do {
            try KeyFile.create(key, at: keyPath)
        } catch {
            if case .keyExists = error { throw .alreadyExists(path: keyPath) }
            throw .keyFile(path: keyPath, detail: error.description)
        }
        guard link(temporary, statePath) == 0 else {
            let reason = errno
            unlink(keyPath)
            if reason == EEXIST { throw .alreadyExists(path: statePath) }
            throw .storage(detail: "cannot create \(statePath): \(String(cString: strerror(reason)))")
        }
        return vkey
    }

    /// Opens the witness in `directory`. `registry` says which log key types are accepted
    /// (Ed25519 by default; ``NoteVerifierRegistry/logKeysWithSM2`` also accepts a gm ledger's SM2
    /// checkpoints).
    public static func open(
        directory: String, clock: @escaping @Sendable () -> Date = { Date() },
        registry: NoteVerifierRegistry = .logKeys
    ) throws(WitnessFailure) -> Witness {
        let statePath = statePath(in: directory)
        let keyPath = keyPath(in: directory)
        guard FileManager.default.fileExists(atPath: statePath) else { throw .missing(directory: directory) }
        try checkHeader(statePath)
        let key: Ed25519PrivateKey
        do { key = try KeyFile.load(from: keyPath) } catch { throw .keyFile(path: keyPath, detail: error.description) }
        do {
            let connection = try SQLiteConnection(path: statePath, flags: SQLITE_OPEN_READWRITE)
            try configure(connection)
            guard try connection.scalarInt("PRAGMA application_id") == WitnessSchema.applicationID else {
                throw WitnessFailure.notAWitness(path: statePath)
            }
            let version = Int(try connection.scalarInt("PRAGMA user_version"))
            if version > WitnessSchema.version {
                throw WitnessFailure.newerState(path: statePath, found: version, supported: WitnessSchema.version)
            }
            if version < WitnessSchema.version { try migrate(connection, from: version) }
            let row = try connection.statement("SELECT name, vkey FROM witness WHERE id = 1")
            defer { row.reset() }
            guard try row.step(), let name = row.text(0), let stored = row.text(1) else {
                throw WitnessFailure.notAWitness(path: statePath)
            }
            let vkey = try CosignatureV1.verifierKey(keyName: name, publicKey: key.publicKey)
            guard vkey.description == stored else { throw WitnessFailure.keyMismatch(path: keyPath) }
            return Witness(
                directory: directory, name: name, verifierKey: vkey, key: key, connection: connection, clock: clock,
                registry: registry)
        } catch let error as WitnessFailure {
            throw error
        } catch let error as SQLiteError {
            if error.primaryCode == SQLITE_NOTADB || error.primaryCode == SQLITE_CORRUPT { throw .notAWitness(path: statePath) }
            throw .storage(detail: error.description)
        } catch {
            throw .storage(detail: "\(error)")
        }
    }

    private static func checkHeader(_ path: String) throws(WitnessFailure) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .storage(detail: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 16)) ?? Data())
        guard header == Array("SQLite format 3\0".utf8) else { throw .notAWitness(path: path) }
    }

    private static func configure(_ connection: SQLiteConnection) throws(SQLiteError) {
        sqlite3_busy_timeout(connection.handle, 10_000)
        try connection.execute("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF")
    }

    private static func migrate(_ connection: SQLiteConnection, from version: Int) throws(SQLiteError) {
        try connection.migrate(
            WitnessSchema.migrations, from: version, to: WitnessSchema.migrations.count, applicationID: WitnessSchema.applicationID,
            appliedType: "INTEGER", applied: { (record: SQLiteStatement) throws(SQLiteError) in try record.bind(2, posixSeconds(Date())) })
    }

    static func posixSeconds(_ date: Date) -> Int64 {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        return seconds > 0 && seconds < 9.2e18 ? Int64(seconds) : 0
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction, committed (durably: WAL, synchronous=FULL)
    /// before returning; any error rolls everything back.
    private func transaction<T>(_ body: () throws -> T) throws(WitnessFailure) -> T {
        do {
            try connection.execute("BEGIN IMMEDIATE")
        } catch {
            throw .storage(detail: error.description)
        }
        do {
            let result = try body()
            try connection.execute("COMMIT")
            return result
        } catch {
            try? connection.execute("ROLLBACK")
            switch error {
            case let failure as WitnessFailure: throw failure
            case let failure as SQLiteError: throw .storage(detail: failure.description)
            default: throw .storage(detail: "\(error)")
            }
        }
    }

    // MARK: Trusted logs

    /// Trusts a new log `origin` with its first key `vkey`. A log is never removed.
    @discardableResult
    public func addLog(origin: String, vkey: String) throws(WitnessFailure) -> WitnessLog {
        try Self.checkOrigin(origin)
        let key = try logKey(vkey)
        let now = Self.posixSeconds(clock())
        return try transaction {
            guard try self.log(origin) == nil else { throw WitnessFailure.logExists(origin: origin) }
            let insert = try self.connection.statement("INSERT INTO logs(origin, added) VALUES (?, ?)")
            try insert.bind(1, origin)
            try insert.bind(2, now)
            _ = try insert.step()
            try self.insertKey(origin: origin, vkey: key.description, at: now)
            return try self.describe(origin)
        }
    }

    /// Adds `vkey` to the keys of `origin` (key rotation: the old key keeps working until retired).
    @discardableResult
    public func addKey(origin: String, vkey: String) throws(WitnessFailure) -> WitnessLog {
        let key = try logKey(vkey)
        let now = Self.posixSeconds(clock())
        return try transaction {
            guard try self.log(origin) != nil else { throw WitnessFailure.unknownLog(origin: origin) }
            let existing = try self.connection.statement("SELECT 1 FROM log_keys WHERE origin = ? AND vkey = ?")
            defer { existing.reset() }
            try existing.bind(1, origin)
            try existing.bind(2, key.description)
            guard try !existing.step() else { throw WitnessFailure.keyExists(origin: origin, vkey: key.description) }
            try self.insertKey(origin: origin, vkey: key.description, at: now)
            return try self.describe(origin)
        }
    }

    /// Retires `vkey` of `origin`: its signatures are ignored from now on. It cannot be re-added.
    @discardableResult
    public func retireKey(origin: String, vkey: String) throws(WitnessFailure) -> WitnessLog {
        let now = Self.posixSeconds(clock())
        let text = (try? VerifierKey(parsing: vkey))?.description ?? vkey
        return try transaction {
            guard try self.log(origin) != nil else { throw WitnessFailure.unknownLog(origin: origin) }
            let update = try self.connection.statement(
                "UPDATE log_keys SET retired = ? WHERE origin = ? AND vkey = ? AND retired IS NULL")
            try update.bind(1, now)
            try update.bind(2, origin)
            try update.bind(3, text)
            _ = try update.step()
            guard sqlite3_changes(self.connection.handle) == 1 else {
                throw WitnessFailure.keyNotActive(origin: origin, vkey: text)
            }
            return try self.describe(origin)
        }
    }

    /// Every trusted log, by origin.
    public func logs() throws(WitnessFailure) -> [WitnessLog] {
        try transaction {
            let select = try self.connection.statement("SELECT origin FROM logs ORDER BY origin")
            defer { select.reset() }
            var origins: [String] = []
            while try select.step() { origins.append(select.text(0) ?? "") }
            return try origins.map { try self.describe($0) }
        }
    }

    /// The log `origin`: its latest cosigned size and root, and its keys.
    public func log(origin: String) throws(WitnessFailure) -> WitnessLog {
        try transaction {
            guard try self.log(origin) != nil else { throw WitnessFailure.unknownLog(origin: origin) }
            return try self.describe(origin)
        }
    }

    private static func checkOrigin(_ origin: String) throws(WitnessFailure) {
        guard !origin.isEmpty, !origin.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            throw .badOrigin(origin)
        }
    }

    private func logKey(_ vkey: String) throws(WitnessFailure) -> VerifierKey {
        do {
            let verifier = try registry.verifier(parsing: vkey)
            return verifier.verifierKey
        } catch {
            throw .badVerifierKey(vkey: vkey, reason: error.description)
        }
    }

    private func insertKey(origin: String, vkey: String, at time: Int64) throws(SQLiteError) {
        let insert = try connection.statement("INSERT INTO log_keys(origin, vkey, added) VALUES (?, ?, ?)")
        try insert.bind(1, origin)
        try insert.bind(2, vkey)
        try insert.bind(3, time)
        _ = try insert.step()
    }

    private struct LogState {
        var size: Int?
        var root: [UInt8]?
        /// The timestamp of the latest cosignature given for the log.
        var lastTime: Int64?
    }

    private func log(_ origin: String) throws(SQLiteError) -> LogState? {
        let select = try connection.statement("SELECT size, root, last_time FROM logs WHERE origin = ?")
        defer { select.reset() }
        try select.bind(1, origin)
        guard try select.step() else { return nil }
        return select.isNull(0) ? LogState() : LogState(size: Int(select.int(0)), root: select.bytes(1), lastTime: select.int(2))
    }

    private func describe(_ origin: String) throws -> WitnessLog {
        guard let state = try log(origin) else { throw WitnessFailure.unknownLog(origin: origin) }
        let select = try connection.statement("SELECT vkey, added, retired FROM log_keys WHERE origin = ? ORDER BY id")
        defer { select.reset() }
        try select.bind(1, origin)
        var keys: [WitnessLog.Key] = []
        while try select.step() {
            keys.append(
                WitnessLog.Key(
                    vkey: select.text(0) ?? "", added: Date(timeIntervalSince1970: Double(select.int(1))),
                    retired: select.isNull(2) ? nil : Date(timeIntervalSince1970: Double(select.int(2)))))
        }
        let count = try connection.statement("SELECT count(*) FROM cosigned WHERE origin = ?")
        defer { count.reset() }
        try count.bind(1, origin)
        let cosigned = try count.step() ? Int(count.int(0)) : 0
        let evidence = try connection.statement("SELECT count(*) FROM evidence WHERE origin = ?")
        defer { evidence.reset() }
        try evidence.bind(1, origin)
        let conflicts = try evidence.step() ? Int(evidence.int(0)) : 0
        return WitnessLog(origin: origin, size: state.size, root: state.root, keys: keys, cosigned: cosigned, evidence: conflicts)
    }

    private func activeVerifiers(_ origin: String) throws -> [any NoteVerifier] {
        let select = try connection.statement("SELECT vkey FROM log_keys WHERE origin = ? AND retired IS NULL")
        defer { select.reset() }
        try select.bind(1, origin)
        var verifiers: [any NoteVerifier] = []
        while try select.step() {
            let text = select.text(0) ?? ""
            let key = try VerifierKey(parsing: text)
            // A key of a type this program was not given a verifier for is unknown: its lines are ignored.
            guard registry.types.contains(key.type) else { continue }
            verifiers.append(try registry.verifier(for: key))
        }
        return verifiers
    }

    // MARK: add-checkpoint

    /// Answers one `add-checkpoint` request body: the check and the state update in one
    /// transaction, durable before this returns. Throws only when the state cannot be read or
    /// written (an HTTP 500); every refusal is an answer.
    public func addCheckpoint(_ body: [UInt8]) throws(WitnessFailure) -> WitnessAnswer {
        try addCheckpoints([body])[0]
    }

    /// Answers several requests in order in one transaction (group commit): each sees the state
    /// the ones before it left, and all are durable before any answer is returned.
    public func addCheckpoints(_ bodies: [[UInt8]]) throws(WitnessFailure) -> [WitnessAnswer] {
        try transaction { try bodies.map { try self.process($0) } }
    }

    private func process(_ body: [UInt8]) throws -> WitnessAnswer {
        let request: AddCheckpointRequest
        do { request = try AddCheckpointRequest(parsing: body) } catch { return .refused(error) }
        let checkpoint = request.checkpoint
        let origin = checkpoint.origin
        guard let state = try log(origin) else { return .refused(.unknownLog(origin: origin)) }
        let logSignatures: [SignedNote.Signature]
        switch request.note.verify(with: try activeVerifiers(origin)) {
        case .noKnownSignature: return .refused(.noTrustedSignature(origin: origin))
        case let .invalidSignature(keyName): return .refused(.invalidSignature(origin: origin, keyName: keyName))
        case let .verified(lines): logSignatures = lines
        }
        guard request.oldSize <= checkpoint.size else {
            return .refused(.oldSizeTooLarge(origin: origin, oldSize: request.oldSize, size: checkpoint.size))
        }
        let latestSize = state.size ?? 0
        let evidence = Evidence(request: request, logSignatures: logSignatures, received: Self.posixSeconds(clock()))
        guard request.oldSize == latestSize else {
            if let conflicting = try cosignedID(origin: origin, size: checkpoint.size, otherThan: checkpoint.root) {
                try record(evidence, kind: .sameSizeOtherRoot, conflictsWith: conflicting)
            }
            return .refused(.conflict(origin: origin, oldSize: request.oldSize, latestSize: latestSize))
        }
        if request.oldSize == checkpoint.size {
            if let root = state.root, root != checkpoint.root {
                if let conflicting = try cosignedID(origin: origin, size: checkpoint.size, otherThan: checkpoint.root) {
                    try record(evidence, kind: .sameSizeOtherRoot, conflictsWith: conflicting)
                }
                return .refused(.splitView(origin: origin, size: checkpoint.size, latestSize: latestSize))
            }
            guard request.proof.isEmpty else {
                return .refused(.proofNotEmpty(origin: origin, oldSize: request.oldSize, size: checkpoint.size))
            }
        } else if request.oldSize == 0 {
            guard request.proof.isEmpty else {
                return .refused(.proofNotEmpty(origin: origin, oldSize: 0, size: checkpoint.size))
            }
        } else {
            let consistent = state.root.map { oldRoot in
                Merkle.verifyConsistency(
                    oldSize: request.oldSize, newSize: checkpoint.size, oldRoot: oldRoot, newRoot: checkpoint.root,
                    proof: request.proof)
            }
            guard consistent == true else {
                if let latest = try cosignedID(origin: origin, size: latestSize, otherThan: nil) {
                    try record(evidence, kind: .inconsistentProof, conflictsWith: latest)
                }
                return .refused(.inconsistent(origin: origin, oldSize: request.oldSize, size: checkpoint.size))
            }
        }
        // A cosignature says "as of this time, the largest tree I saw has this root": never say it
        // of an earlier time than one already said for this log, even if the clock stepped back.
        let timestamp = UInt64(max(Self.posixSeconds(clock()), state.lastTime ?? 0))
        let cosignature = try CosignatureV1.sign(text: checkpoint.text, timestamp: timestamp, keyName: name, key: key)
        let insert = try connection.statement(
            """
            INSERT INTO cosigned(origin, size, root, text, log_signatures, cosignature, time)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (origin, text) DO NOTHING
            """)
        try insert.bind(1, origin)
        try insert.bind(2, Int64(checkpoint.size))
        try insert.bind(3, bytes: checkpoint.root)
        try insert.bind(4, checkpoint.text)
        try insert.bind(5, logSignatures.map { $0.line + "\n" }.joined())
        try insert.bind(6, cosignature.line)
        try insert.bind(7, Int64(timestamp))
        _ = try insert.step()
        // Compare-and-set on the size read above: inside this transaction it cannot have moved,
        // and the check makes a rollback impossible even if it somehow had.
        let update = try connection.statement(
            "UPDATE logs SET size = ?, root = ?, last_time = ? WHERE origin = ? AND size IS ?")
        try update.bind(1, Int64(checkpoint.size))
        try update.bind(2, bytes: checkpoint.root)
        try update.bind(3, Int64(timestamp))
        try update.bind(4, origin)
        if let size = state.size { try update.bind(5, Int64(size)) } else { try update.bind(5, nil as String?) }
        _ = try update.step()
        guard sqlite3_changes(connection.handle) == 1 else {
            throw WitnessFailure.storage(detail: "the state of \(origin) moved during its own transaction")
        }
        return .cosigned([cosignature])
    }

    private struct Evidence {
        let request: AddCheckpointRequest
        let logSignatures: [SignedNote.Signature]
        let received: Int64
    }

    /// The id of a cosigned checkpoint of `origin` at `size` whose root is not `root` (any root when nil).
    private func cosignedID(origin: String, size: Int, otherThan root: [UInt8]?) throws(SQLiteError) -> Int64? {
        let select = try connection.statement("SELECT id, root FROM cosigned WHERE origin = ? AND size = ? ORDER BY id")
        defer { select.reset() }
        try select.bind(1, origin)
        try select.bind(2, Int64(size))
        while try select.step() {
            if root == nil || select.bytes(1) != root { return select.int(0) }
        }
        return nil
    }

    private func record(_ evidence: Evidence, kind: SplitViewEvidence.Kind, conflictsWith id: Int64) throws(SQLiteError) {
        let insert = try connection.statement(
            """
            INSERT INTO evidence(origin, kind, text, log_signatures, old_size, proof, conflicts_with, received)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (origin, kind, text, conflicts_with) DO NOTHING
            """)
        try insert.bind(1, evidence.request.checkpoint.origin)
        try insert.bind(2, kind.rawValue)
        try insert.bind(3, evidence.request.checkpoint.text)
        try insert.bind(4, evidence.logSignatures.map { $0.line + "\n" }.joined())
        try insert.bind(5, Int64(evidence.request.oldSize))
        try insert.bind(6, evidence.request.proof.map { Encoding.base64($0) + "\n" }.joined())
        try insert.bind(7, id)
        try insert.bind(8, evidence.received)
        _ = try insert.step()
    }

    // MARK: Reading back

    /// Every checkpoint of `origin` this witness cosigned, oldest first, each with the log
    /// signatures that verified and this witness's cosignature.
    public func cosigned(origin: String) throws(WitnessFailure) -> [CosignedCheckpoint] {
        try transaction {
            guard try self.log(origin) != nil else { throw WitnessFailure.unknownLog(origin: origin) }
            let select = try self.connection.statement(
                "SELECT id, text, log_signatures, cosignature, time FROM cosigned WHERE origin = ? ORDER BY id")
            defer { select.reset() }
            try select.bind(1, origin)
            var result: [CosignedCheckpoint] = []
            while try select.step() {
                result.append(try Self.cosignedRow(select, offset: 0))
            }
            return result
        }
    }

    private static func cosignedRow(_ row: SQLiteStatement, offset: Int32) throws -> CosignedCheckpoint {
        let note = try SignedNote(parsing: (row.text(offset + 1) ?? "") + "\n" + (row.text(offset + 2) ?? ""))
        let cosignature = try SignedNote.Signature(parsingLine: row.text(offset + 3) ?? "")
        return CosignedCheckpoint(
            id: row.int(offset), note: note, cosignature: cosignature,
            time: Date(timeIntervalSince1970: Double(row.int(offset + 4))))
    }

    /// The split-view evidence kept for `origin`: each refused log-signed checkpoint beside the
    /// cosigned checkpoint it conflicts with.
    public func evidence(origin: String) throws(WitnessFailure) -> [SplitViewEvidence] {
        try transaction {
            guard try self.log(origin) != nil else { throw WitnessFailure.unknownLog(origin: origin) }
            let select = try self.connection.statement(
                """
                SELECT e.kind, e.text, e.log_signatures, e.old_size, e.proof, e.received,
                       c.id, c.text, c.log_signatures, c.cosignature, c.time
                FROM evidence AS e JOIN cosigned AS c ON c.id = e.conflicts_with
                WHERE e.origin = ? ORDER BY e.id
                """)
            defer { select.reset() }
            try select.bind(1, origin)
            var result: [SplitViewEvidence] = []
            while try select.step() {
                guard let kind = SplitViewEvidence.Kind(rawValue: select.text(0) ?? "") else { continue }
                let refused = try SignedNote(parsing: (select.text(1) ?? "") + "\n" + (select.text(2) ?? ""))
                let proof = (select.text(4) ?? "").split(separator: "\n").compactMap { Encoding.unbase64($0) }
                result.append(
                    SplitViewEvidence(
                        kind: kind, refused: refused, oldSize: Int(select.int(3)), proof: proof,
                        received: Date(timeIntervalSince1970: Double(select.int(5))),
                        cosigned: try Self.cosignedRow(select, offset: 6)))
            }
            return result
        }
    }
}

/// A log the witness trusts: its latest cosigned size and root, and its keys.
public struct WitnessLog: Sendable, Equatable {
    /// One key of the log.
    public struct Key: Sendable, Equatable {
        /// The verifier key text.
        public let vkey: String
        /// When it was added.
        public let added: Date
        /// When it was retired, or nil while it is active.
        public let retired: Date?
    }

    /// The log's origin line.
    public let origin: String
    /// The latest size cosigned, nil before the first cosignature.
    public let size: Int?
    /// The root of that checkpoint.
    public let root: [UInt8]?
    /// Every key ever added, oldest first.
    public let keys: [Key]
    /// How many distinct checkpoints were cosigned.
    public let cosigned: Int
    /// How many refused conflicting checkpoints are kept as evidence.
    public let evidence: Int
}

/// A checkpoint the witness cosigned, as stored.
public struct CosignedCheckpoint: Sendable, Equatable {
    /// Its row number in the state file.
    public let id: Int64
    /// The checkpoint with the log signatures that verified.
    public let note: SignedNote
    /// The witness's cosignature line given with the first cosignature of this text.
    public let cosignature: SignedNote.Signature
    /// The cosignature's timestamp.
    public let time: Date

    /// The checkpoint with the log signatures and then the witness's cosignature.
    public var cosignedNote: SignedNote { note.appending([cosignature]) }
}

/// A log-signed checkpoint the witness refused because it conflicts with one it cosigned.
public struct SplitViewEvidence: Sendable, Equatable {
    /// How it conflicts.
    public enum Kind: String, Sendable, Equatable {
        /// The same size as a cosigned checkpoint, another root: two signed views of one tree, a proof by itself.
        case sameSizeOtherRoot = "same-size-other-root"
        /// The consistency proof from the cosigned checkpoint did not verify: the log (or the
        /// client) must show a valid proof, else the two cannot be one append-only tree.
        case inconsistentProof = "inconsistent-proof"
    }

    /// How it conflicts.
    public let kind: Kind
    /// The refused checkpoint with the log signatures that verified.
    public let refused: SignedNote
    /// The old size the request named.
    public let oldSize: Int
    /// The proof the request carried.
    public let proof: [[UInt8]]
    /// When it was received (the first time).
    public let received: Date
    /// The cosigned checkpoint it conflicts with.
    public let cosigned: CosignedCheckpoint
}
