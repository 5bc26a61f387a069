import CSQLite
import Foundation
import PiaojueCrypto
import PiaojueLedger
import PiaojueTestSupport

/// A fixed instant, so that entry times are reproducible.
let fixedClock: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_740_787_200) }  // 2025-03-01T00:00:00Z

/// The key name every test ledger uses.
let testKeyName = "piaojue/测试县人大"

/// A ledger in a fresh temporary directory: the `ledger.init` entry plus `entries` appended ones,
/// written and closed (so its WAL is folded into the file).
struct LedgerFixture {
    let directory: TemporaryDirectory
    let path: String
    let key: Ed25519PrivateKey

    init(entries: Int = 0, seed: String = "ledger-tests") throws {
        directory = TemporaryDirectory("piaojue-ledger")
        path = directory.path("piaojue.sqlite")
        key = try Ed25519PrivateKey.generate(using: SeededRandom(seed: seed))
        let ledger = try Ledger.create(
            at: path, keyName: testKeyName, key: key, genesis: JSONObject(["body": .string("测试县人民代表大会")]),
            clock: fixedClock)
        if entries > 0 {
            try ledger.write { writer in
                for n in 1...entries { try writer.append(testEntry(n)) }
            }
        }
    }

    /// The ledger opened again, with the body key attached.
    func open(readOnly: Bool = false) throws -> Ledger {
        let ledger = try Ledger.open(at: path, readOnly: readOnly, clock: fixedClock)
        if !readOnly { try ledger.attach(bodyKey: key, from: path + ".key") }
        return ledger
    }
}

/// The `n`-th test entry: a body-signed `test.note` whose payload holds the marker `abcdef`.
func testEntry(_ n: Int) -> NewEntry {
    NewEntry(kind: "test.note", payload: .object(JSONObject(["n": .integer(Int64(n)), "note": .string("entry \(n) abcdef")])))
}

/// Every row of the ledger, read back through a fresh read-only connection.
func allEntries(_ path: String) throws -> [LedgerEntry] {
    let ledger = try Ledger.open(at: path, readOnly: true)
    var result: [LedgerEntry] = []
    try ledger.read { reader in try reader.forEachEntry { result.append($0) } }
    return result
}

/// The names and bytes of every file in a directory, to show that an operation changed nothing.
func snapshot(_ directory: TemporaryDirectory) throws -> [String: Data] {
    var result: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.url.path) {
        result[name] = try Data(contentsOf: directory.url.appendingPathComponent(name))
    }
    return result
}

/// A connection through the raw SQLite C API, bypassing the ledger module: what an attacker with
/// write access to the file could do.
final class RawSQLite {
    let handle: OpaquePointer

    init(path: String, create: Bool = false) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            if let db { sqlite3_close_v2(db) }
            throw TestFailure("sqlite3_open_v2(\(path)) failed: \(rc)")
        }
        handle = db
    }

    deinit { sqlite3_close_v2(handle) }

    /// The result code of running `sql` (one or more statements).
    @discardableResult
    func execute(_ sql: String) -> Int32 { sqlite3_exec(handle, sql, nil, nil, nil) }

    /// Runs `sql` and requires success.
    func require(_ sql: String) throws {
        let rc = execute(sql)
        guard rc == SQLITE_OK else { throw TestFailure("\(sql) failed (\(rc)): \(message)") }
    }

    /// SQLite's latest error message.
    var message: String { String(cString: sqlite3_errmsg(handle)) }

    /// Runs one statement with blob parameters; returns the result code of the step.
    @discardableResult
    func run(_ sql: String, blobs: [[UInt8]]) throws -> Int32 {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw TestFailure("prepare \(sql): \(message)")
        }
        defer { sqlite3_finalize(statement) }
        for (n, blob) in blobs.enumerated() {
            let rc = blob.withUnsafeBytes { buffer in
                sqlite3_bind_blob(statement, Int32(n + 1), buffer.baseAddress, Int32(buffer.count), piaojue_sqlite_transient())
            }
            guard rc == SQLITE_OK else { throw TestFailure("bind: \(message)") }
        }
        let rc = sqlite3_step(statement)
        return rc == SQLITE_DONE ? SQLITE_OK : rc
    }

    /// The blob in the first column of the first row of `sql`.
    func blob(_ sql: String) throws -> [UInt8] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw TestFailure("prepare \(sql): \(message)")
        }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { throw TestFailure("no row for \(sql)") }
        let count = Int(sqlite3_column_bytes(statement, 0))
        guard count > 0, let pointer = sqlite3_column_blob(statement, 0) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// The integer in the first column of the first row of `sql`.
    func integer(_ sql: String) throws -> Int64 {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw TestFailure("prepare \(sql): \(message)")
        }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { throw TestFailure("no row for \(sql)") }
        return sqlite3_column_int64(statement, 0)
    }
}

/// The ledger error `body` throws, or nil when it returns (or throws something else).
func ledgerError(_ body: () throws -> Void) -> LedgerError? {
    do {
        try body()
        return nil
    } catch {
        return error as? LedgerError
    }
}

/// A test precondition that did not hold, named.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
