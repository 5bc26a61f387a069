import CSQLite
public import Foundation
public import PiaojueCrypto
import Synchronization

/// Who keeps the ledger, as recorded in its first entry (`ledger.init`).
public struct LedgerIdentity: Sendable, Equatable {
    /// The checkpoint origin and signed-note key name.
    public let keyName: String
    /// The body's public key, of the ledger's suite: it signs every body entry and checkpoint.
    public let publicKey: VerifyingKey
    /// A gm ledger's Ed25519 key (`init --crypto gm --also-ed25519`, `ed25519PublicKey` in
    /// `ledger.init`), which signs each checkpoint too, first, in the standard form; nil otherwise.
    public let ed25519Key: Ed25519PublicKey?
    /// The whole payload of the first entry (body name, level …).
    public let genesis: JSONValue

    /// The ledger's crypto suite (`crypto` of `ledger.init`; standard when absent).
    public var suite: CryptoSuite { publicKey.suite }

    /// The keys whose signatures every checkpoint carries: the Ed25519 key first when there is one.
    public var checkpointKeys: [VerifyingKey] { (ed25519Key.map { [VerifyingKey($0)] } ?? []) + [publicKey] }

    /// The member of `ledger.init` that names the suite (absent for standard).
    public static let suiteMember = "crypto"
    /// The member of `ledger.init` that carries a gm ledger's Ed25519 checkpoint key.
    public static let ed25519Member = "ed25519PublicKey"

    /// The identity as a ledger's first entry records it.
    public init(keyName: String, publicKey: VerifyingKey, ed25519Key: Ed25519PublicKey? = nil, genesis: JSONValue) {
        self.keyName = keyName
        self.publicKey = publicKey
        self.ed25519Key = ed25519Key
        self.genesis = genesis
    }

    /// The identity a `ledger.init` payload records; nil when it names no valid key, an unknown
    /// suite, or a key not of its suite.
    public init?(initPayload payload: JSONValue) {
        guard let keyName = payload["keyName"]?.stringValue, let keyText = payload["publicKey"]?.stringValue,
            let keyBytes = Encoding.unbase64(keyText)
        else { return nil }
        let suite: CryptoSuite
        if let name = payload[Self.suiteMember] {
            guard let text = name.stringValue, let named = CryptoSuite(rawValue: text), named != .standard else { return nil }
            suite = named
        } else {
            suite = .standard
        }
        guard let publicKey = try? VerifyingKey(suite: suite, rawBytes: keyBytes) else { return nil }
        var ed25519Key: Ed25519PublicKey?
        if let member = payload[Self.ed25519Member] {
            guard suite != .standard, let text = member.stringValue, let bytes = Encoding.unbase64(text),
                let key = try? Ed25519PublicKey(rawBytes: bytes)
            else { return nil }
            ed25519Key = key
        }
        self.init(keyName: keyName, publicKey: publicKey, ed25519Key: ed25519Key, genesis: payload)
    }

    /// The payload format the ledger was created with (`format` of `ledger.init`; 1 when absent).
    public var createdFormat: Int { Int(genesis["format"]?.integerValue ?? 1) }
}

/// The payload formats: 1 (the first release) and 2 (decisions as typed fields, ballots that sign
/// their medium, one credential per seated deputy). A ledger created in format 1 is carried into
/// format 2 by one body-signed `ledger.upgrade` entry, written by the first command that writes.
public enum LedgerFormat {
    /// The format this program writes.
    public static let current = 2
    /// The kind of the entry that moves a ledger to ``current``.
    public static let upgradeKind = "ledger.upgrade"
}

/// A checkpoint as stored beside the entries.
public struct StoredCheckpoint: Sendable {
    public let size: Int
    public let root: [UInt8]
    /// The signed note, serialized.
    public let note: String
    /// The Merkle frontier at `size`, so that the next checkpoint extends it without rehashing.
    public let frontier: MerkleFrontier
    public let time: String
    /// Why it was signed (`collect.shortlist`, `audit.publish` …).
    public let reason: String
}

/// The append-only ledger: one SQLite file per body. The only writer of entries and checkpoints.
///
/// Writes happen in ``write(_:)``: an IMMEDIATE transaction, so that reading the state, deciding and
/// appending are one atomic step even with several processes writing. An append is acknowledged only
/// after COMMIT returns with `synchronous=FULL` in WAL mode.
public final class Ledger {
    /// The ledger file.
    public let path: String
    /// True when opened read-only; writes are refused.
    public let isReadOnly: Bool
    /// The key that signs body entries and checkpoints; nil for read-only use and ballot casting.
    public private(set) var bodyKey: SigningKey?
    /// A gm ledger's Ed25519 key, which signs each checkpoint too (see ``LedgerIdentity/ed25519Key``).
    public private(set) var ed25519Key: SigningKey?
    /// The body and its key, from the first entry.
    public let identity: LedgerIdentity
    let connection: SQLiteConnection
    let clock: @Sendable () -> Date
    /// The payload format new entries are written in from now on (see ``LedgerFormat``).
    public private(set) var format: Int
    /// The latest checkpoint, once its signature and frontier were checked in this process.
    var verifiedCheckpoint: StoredCheckpoint?

    /// The schema version this build reads and writes.
    public static var schemaVersion: Int { Schema.version }

    /// The oldest schema version a read-only open reads without migrating (a ledger opened for
    /// writing is migrated to ``schemaVersion`` first).
    public static var oldestReadableSchema: Int { Schema.oldestReadable }

    /// The files this process holds open as ledgers (device and inode → how many `Ledger`s).
    /// Closing ANY descriptor of a file drops every POSIX lock the process holds on it, SQLite's
    /// included: a second `open` that read the header through a descriptor of its own, then closed
    /// it, left the first connection unlocked, and another process deleted the WAL it was writing.
    /// So a file already open here is not read again outside SQLite: its header was checked when
    /// it was first opened, and SQLite itself keeps descriptors of open files for this reason.
    private static let openFiles = Mutex<[FileIdentity: Int]>([:])
    /// The file this ledger was opened on, while it is registered in ``openFiles``.
    private var registered: FileIdentity?

    /// A file's device and inode.
    struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    /// Whether this process already holds `path` open as a ledger.
    static func isOpenHere(_ path: String) -> Bool {
        guard let file = FileIdentity(path: path) else { return false }
        return openFiles.withLock { ($0[file] ?? 0) > 0 }
    }

    /// Notes that `ledger` holds its file open (until it is released).
    private static func register(_ ledger: Ledger) {
        guard let file = FileIdentity(path: ledger.path) else { return }
        ledger.registered = file
        openFiles.withLock { $0[file, default: 0] += 1 }
    }

    deinit {
        if let file = registered {
            // The count drops just before `connection` is destroyed; an open in between reads the
            // header through its own descriptor and drops only the locks of a closing connection.
            Self.openFiles.withLock { files in
                files[file, default: 1] -= 1
                if files[file] == 0 { files[file] = nil }
            }
        }
    }

    private init(
        path: String, connection: SQLiteConnection, readOnly: Bool, identity: LedgerIdentity, format: Int,
        clock: @escaping @Sendable () -> Date
    ) {
        self.path = path
        self.connection = connection
        self.isReadOnly = readOnly
        self.identity = identity
        self.format = format
        self.clock = clock
    }

    // MARK: Opening

    /// Opens an existing ledger. Nothing is created when the file is missing, foreign, damaged or
    /// newer than this program.
    public static func open(
        at path: String, readOnly: Bool = false, clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(LedgerError) -> Ledger {
        try checkHeader(path)
        let flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        let connection: SQLiteConnection
        do { connection = try SQLiteConnection(path: path, flags: flags) } catch {
            throw classify(error, path: path)
        }
        do {
            try configure(connection)
            let applicationID = try connection.scalarInt("PRAGMA application_id")
            guard applicationID == Schema.applicationID else { throw LedgerError.notALedger(path: path) }
            let version = Int(try connection.scalarInt("PRAGMA user_version"))
            if version > Schema.version {
                throw LedgerError.newerSchema(path: path, found: version, supported: Schema.version)
            }
            if version < Schema.version {
                // A read-only open never migrates: it reads an older schema the program still
                // reads as it is (a ledger at schema 3 has no cosignatures), else refuses.
                if readOnly {
                    guard version >= Schema.oldestReadable else {
                        throw LedgerError.olderSchema(path: path, found: version, supported: Schema.version)
                    }
                } else {
                    try migrate(connection, from: version)
                }
            }
            let identity = try readIdentity(connection, path: path)
            var format = identity.createdFormat
            if format < LedgerFormat.current {
                let upgrades = try connection.statement("SELECT count(*) FROM entries WHERE kind = ?")
                defer { upgrades.reset() }
                try upgrades.bind(1, LedgerFormat.upgradeKind)
                if try upgrades.step(), upgrades.int(0) > 0 { format = LedgerFormat.current }
            }
            let ledger = Ledger(path: path, connection: connection, readOnly: readOnly, identity: identity, format: format, clock: clock)
            register(ledger)
            return ledger
        } catch let error as LedgerError {
            throw error
        } catch let error as SQLiteError {
            throw classify(error, path: path)
        } catch {
            throw .storage(detail: "\(error)")
        }
    }

    /// Creates a new ledger whose first entry (`ledger.init`) records `genesis` plus the key name
    /// and public key, signed by `key`, and a first checkpoint. Refuses an existing file.
    ///
    /// The file is built under a temporary name and linked into place, so a failure leaves nothing.
    ///
    /// `format` 1 creates the ledger as the first release did (no `format` in `ledger.init`): what
    /// the compatibility tests use to see a format-1 ledger carried into format 2 by its first write.
    public static func create(
        at path: String, keyName: String, key: Ed25519PrivateKey, genesis: JSONObject,
        clock: @escaping @Sendable () -> Date = { Date() }, format: Int = LedgerFormat.current
    ) throws(LedgerError) -> Ledger {
        try create(at: path, keyName: keyName, key: SigningKey(key), genesis: genesis, clock: clock, format: format)
    }

    /// Creates a new ledger of `key`'s suite (see the Ed25519 form above): a gm ledger records
    /// `"crypto": "gm"` in `ledger.init`, and with `ed25519Key` (gm only) its checkpoints carry an
    /// Ed25519 signature too, first.
    public static func create(
        at path: String, keyName: String, key: SigningKey, ed25519Key: SigningKey? = nil, genesis: JSONObject,
        clock: @escaping @Sendable () -> Date = { Date() }, format: Int = LedgerFormat.current
    ) throws(LedgerError) -> Ledger {
        guard [1, LedgerFormat.current].contains(format) else { throw .storage(detail: "no payload format \(format)") }
        if let ed25519Key {
            guard key.suite != .standard, ed25519Key.suite == .standard else {
                throw .storage(detail: "a second Ed25519 checkpoint key is for a gm ledger only")
            }
        }
        guard !FileManager.default.fileExists(atPath: path) else { throw .alreadyExists(path: path) }
        guard SignedNote.isValidKeyName(keyName) else { throw .storage(detail: "invalid key name \(keyName)") }
        let temporary = path + ".creating-\(getpid())"
        func removeTemporary() {
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temporary + suffix) }
        }
        removeTemporary()
        do {
            let connection = try SQLiteConnection(path: temporary, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            try connection.execute("PRAGMA journal_mode=WAL")
            try configure(connection)
            try migrate(connection, from: 0)
            var payload = genesis
            payload["keyName"] = .string(keyName)
            payload["publicKey"] = .string(key.verifyingKey.base64)
            if key.suite != .standard { payload[LedgerIdentity.suiteMember] = .string(key.suite.rawValue) }
            var ed25519Public: Ed25519PublicKey?
            if let ed25519Key {
                payload[LedgerIdentity.ed25519Member] = .string(ed25519Key.verifyingKey.base64)
                ed25519Public = try? Ed25519PublicKey(rawBytes: ed25519Key.verifyingKey.rawBytes)
            }
            if format >= 2 { payload["format"] = .integer(Int64(format)) }
            let identity = LedgerIdentity(
                keyName: keyName, publicKey: key.verifyingKey, ed25519Key: ed25519Public, genesis: .object(payload))
            // Written as the current format (entry 0 needs no upgrade before it), then read as what it is.
            let ledger = Ledger(
                path: temporary, connection: connection, readOnly: false, identity: identity, format: LedgerFormat.current, clock: clock)
            ledger.bodyKey = key
            ledger.ed25519Key = ed25519Key
            try ledger.write { writer in
                _ = try writer.append(NewEntry(kind: "ledger.init", payload: .object(payload)))
                try writer.signCheckpoint(reason: "ledger.init")
            }
        } catch {
            removeTemporary()
            throw creationError(error, path: path)
        }
        // The connection above is closed (and its WAL folded in) before the file gets its real name.
        try linkIntoPlace(temporary, as: path, removing: removeTemporary)
        let ledger = try open(at: path, clock: clock)
        ledger.bodyKey = key
        ledger.ed25519Key = ed25519Key
        return ledger
    }

    /// The ledger error for a failure while building a file under a temporary name.
    static func creationError(_ error: any Error, path: String) -> LedgerError {
        switch error {
        case let error as LedgerError: error
        case let error as SQLiteError: .cannotCreate(path: path, detail: error.message)
        default: .cannotCreate(path: path, detail: "\(error)")
        }
    }

    /// Gives a file built under a temporary name its final name, never replacing an existing file;
    /// `removing` cleans up the temporary name (and its -wal/-shm) whatever happens.
    static func linkIntoPlace(_ temporary: String, as path: String, removing: () -> Void) throws(LedgerError) {
        defer { removing() }
        guard link(temporary, path) == 0 else {
            let reason = errno
            if reason == EEXIST { throw .alreadyExists(path: path) }
            throw .cannotCreate(path: path, detail: String(cString: strerror(reason)))
        }
    }

    /// Uses `key` to sign body entries and checkpoints; refuses a key that is not the body's.
    public func attach(bodyKey key: Ed25519PrivateKey, from keyPath: String) throws(LedgerError) {
        try attach(bodyKey: SigningKey(key), from: keyPath)
    }

    /// Uses `key` (of the ledger's suite) to sign body entries and checkpoints, and `ed25519Key`
    /// (read from `ed25519Path`) to sign checkpoints too when the ledger has one; refuses a key that
    /// is not the body's, and a missing second key when the ledger has one.
    public func attach(
        bodyKey key: SigningKey, from keyPath: String, ed25519Key: SigningKey? = nil, ed25519Path: String? = nil
    ) throws(LedgerError) {
        guard key.verifyingKey == identity.publicKey else { throw .wrongKey(path: keyPath) }
        let secondPath = ed25519Path ?? KeyFile.ed25519Path(beside: keyPath)
        if let expected = identity.ed25519Key {
            guard let ed25519Key else { throw .keyMissing(path: secondPath) }
            guard ed25519Key.verifyingKey == VerifyingKey(expected) else { throw .wrongKey(path: secondPath) }
        } else if ed25519Key != nil {
            throw .wrongKey(path: secondPath)
        }
        bodyKey = key
        self.ed25519Key = ed25519Key
    }

    /// The keys that sign a checkpoint: the body key and, for a gm ledger that has one, the Ed25519 key.
    var checkpointSigners: [any Signer] {
        guard let bodyKey else { return [] }
        return [bodyKey] + (ed25519Key.map { [$0] } ?? [])
    }

    private static func configure(_ connection: SQLiteConnection) throws(SQLiteError) {
        sqlite3_busy_timeout(connection.handle, 60_000)
        try connection.execute("PRAGMA synchronous=FULL; PRAGMA trusted_schema=OFF")
    }

    static func migrate(_ connection: SQLiteConnection, from version: Int, to last: Int = Schema.version) throws(SQLiteError) {
        try connection.migrate(
            Schema.migrations, from: version, to: last, applicationID: Schema.applicationID, appliedType: "TEXT",
            applied: { (record: SQLiteStatement) throws(SQLiteError) in try record.bind(2, LedgerTime.format(Date())) })
    }

    /// Refuses files that are not SQLite databases, or are shorter than their header says.
    private static func checkHeader(_ path: String) throws(LedgerError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .missing(path: path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notALedger(path: path) }
        // Never a descriptor of our own on a file this process has open (see ``openFiles``).
        if isOpenHere(path) { return }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .storage(detail: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        guard header.count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
            throw .notALedger(path: path)
        }
        var pageSize = Int(header[16]) << 8 | Int(header[17])
        if pageSize == 1 { pageSize = 65536 }
        let pageCount = Int(header[28]) << 24 | Int(header[29]) << 16 | Int(header[30]) << 8 | Int(header[31])
        let changeCounter = header[24..<28]
        let validFor = header[92..<96]
        // A non-empty WAL beside the file means the file may be mid-checkpoint: SQLite copies page 1,
        // which carries the new size, before the pages that grow the file, so a process killed then
        // leaves a file shorter than its header says. SQLite takes the size from the WAL and finishes
        // the checkpoint; only a file without a WAL is judged by its header.
        // The order matters against a checkpoint in another process: header first, then the WAL,
        // then the size. A WAL found gone after the header was read means the checkpoint that wrote
        // that header had finished, so the size taken afterwards is the whole file (a size taken
        // before the header could predate the pages the checkpoint added).
        var walInfo = stat()
        let walPending = stat(path + "-wal", &walInfo) == 0 && walInfo.st_size > 0
        var now = stat()
        guard fstat(handle.fileDescriptor, &now) == 0 else {
            throw .storage(detail: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        if !walPending, changeCounter.elementsEqual(validFor), pageSize >= 512, Int(now.st_size) < pageSize * pageCount {
            throw .corrupt(path: path, detail: "文件只有 \(now.st_size) 字节，文件头记录 \(pageSize * pageCount) 字节 / truncated")
        }
        // Refuse a foreign or newer file from its header, before SQLite opens it: opening a WAL
        // database would create -wal and -shm files beside someone else's file. (A header older than
        // an uncheckpointed WAL is caught again by the PRAGMA checks after opening.)
        func bigEndian(_ offset: Int) -> Int64 {
            header[offset..<offset + 4].reduce(0) { $0 << 8 | Int64($1) }
        }
        guard bigEndian(68) == Schema.applicationID else { throw .notALedger(path: path) }
        let version = Int(bigEndian(60))
        if version > Schema.version { throw .newerSchema(path: path, found: version, supported: Schema.version) }
    }

    private static func readIdentity(_ connection: SQLiteConnection, path: String) throws -> LedgerIdentity {
        let statement = try connection.statement("SELECT line FROM entries WHERE idx = 0")
        defer { statement.reset() }
        guard try statement.step() else { throw LedgerError.corrupt(path: path, detail: "no first entry") }
        let fields: EntryFields
        do { fields = try EntryFields(line: statement.bytes(0)) } catch {
            throw LedgerError.corrupt(path: path, detail: "first entry: \(error.description)")
        }
        guard fields.kind == "ledger.init", let identity = LedgerIdentity(initPayload: fields.payload)
        else { throw LedgerError.corrupt(path: path, detail: "the first entry is not a ledger.init entry") }
        return identity
    }

    static func classify(_ error: SQLiteError, path: String) -> LedgerError {
        switch error.primaryCode {
        case SQLITE_NOTADB: return .notALedger(path: path)
        case SQLITE_CORRUPT, SQLITE_IOERR: return .corrupt(path: path, detail: error.message)
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy(path: path)
        case SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PERM: return .cannotCreate(path: path, detail: error.message)
        case SQLITE_CONSTRAINT:
            if error.message.contains("append-only") { return .appendOnly }
            if error.message.contains("entries.credential") { return .credentialAlreadyUsed }
            return .storage(detail: error.message)
        default: return .storage(detail: error.description)
        }
    }

    // MARK: Transactions

    /// Runs `body` in one read snapshot.
    public func read<T>(_ body: (LedgerReader) throws -> T) throws -> T {
        do { try connection.execute("BEGIN DEFERRED") } catch { throw Self.classify(error, path: path) }
        defer { try? connection.execute("COMMIT") }
        return try body(LedgerReader(ledger: self))
    }

    /// Runs `body` in one IMMEDIATE write transaction and commits; nothing is written if it throws.
    /// Waits (busy timeout) while another process writes.
    ///
    /// A `bulk` write (a paper import, an issue of credentials) first lets this connection's page
    /// cache grow to 64 MiB (SQLite's default is 2 MiB): it inserts thousands of rows into indexes
    /// keyed by random hashes (credential, leaf), and in a large ledger the small cache spills and
    /// re-reads their pages, doubling the cost of each insert. Pages are allocated only as used;
    /// other connections, readers above all, keep the default and their memory bound.
    @discardableResult
    public func write<T>(bulk: Bool = false, _ body: (LedgerWriter) throws -> T) throws -> T {
        guard !isReadOnly else { throw LedgerError.storage(detail: "the ledger was opened read-only") }
        do {
            if bulk { try connection.execute("PRAGMA cache_size=-65536") }
            try connection.execute("BEGIN IMMEDIATE")
        } catch { throw Self.classify(error, path: path) }
        let verified = verifiedCheckpoint
        do {
            let writer = try LedgerWriter(tailOf: self)
            let upgrading = format < LedgerFormat.current
            if upgrading {
                // A format-1 ledger: the first write says, signed, that what follows is format 2.
                guard bodyKey != nil else { throw LedgerError.needsBodyKey }
                try writer.append(NewEntry(kind: LedgerFormat.upgradeKind, payload: .object(JSONObject([
                    "format": .integer(Int64(LedgerFormat.current)), "from": .integer(Int64(format)),
                ]))))
            }
            let result = try body(writer)
            try connection.execute("COMMIT")
            if upgrading { format = LedgerFormat.current }
            return result
        } catch {
            try? connection.execute("ROLLBACK")
            verifiedCheckpoint = verified
            if let sqlite = error as? SQLiteError { throw Self.classify(sqlite, path: path) }
            throw error
        }
    }

    /// The clock's current time in entry form.
    func nowText() -> String { LedgerTime.format(clock()) }
}
