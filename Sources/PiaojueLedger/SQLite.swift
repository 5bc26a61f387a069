import CSQLite

/// A failure reported by SQLite: the operation, the result code and SQLite's message.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public let operation: String
    public let code: Int32
    public let message: String

    public var description: String { "SQLite \(operation) failed (\(code)): \(message)" }

    /// The primary result code (the low byte of an extended code).
    public var primaryCode: Int32 { code & 0xff }
}

/// One SQLite connection. Not shared between threads: each process or thread opens its own.
package final class SQLiteConnection {
    package let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]

    package init(path: String, flags: Int32) throws(SQLiteError) {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(operation: "open", code: rc, message: message)
        }
        sqlite3_extended_result_codes(db, 1)
        handle = db
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    package func error(_ operation: String, _ code: Int32) -> SQLiteError {
        SQLiteError(operation: operation, code: code, message: String(cString: sqlite3_errmsg(handle)))
    }

    /// Runs one or more statements without results.
    package func execute(_ sql: String) throws(SQLiteError) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(sql.prefix(40).description, rc) }
    }

    /// A prepared statement, cached by its SQL text and reset for reuse.
    package func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else { throw error("prepare \(sql.prefix(60))", rc) }
        let statement = SQLiteStatement(raw, connection: self)
        statements[sql] = statement
        return statement
    }

    /// Applies the forward-only `migrations` from number `version` up to (not including) `last`,
    /// each in its own `BEGIN IMMEDIATE` transaction: the first creates the `migrations` table
    /// (`applied` of type `appliedType`) and sets `PRAGMA application_id`; each is recorded there,
    /// with `applied` binding parameter 2 of the record, and moves `PRAGMA user_version` on.
    package func migrate(
        _ migrations: [(name: String, sql: String)], from version: Int, to last: Int, applicationID: Int64, appliedType: String,
        applied: (SQLiteStatement) throws(SQLiteError) -> Void
    ) throws(SQLiteError) {
        for (number, migration) in migrations.enumerated() where number >= version && number < last {
            try execute("BEGIN IMMEDIATE")
            do {
                if number == 0 {
                    try execute("CREATE TABLE IF NOT EXISTS migrations(name TEXT PRIMARY KEY, applied \(appliedType) NOT NULL) STRICT")
                    try execute("PRAGMA application_id = \(applicationID)")
                }
                try execute(migration.sql)
                let record = try statement("INSERT INTO migrations(name, applied) VALUES (?, ?)")
                try record.bind(1, migration.name)
                try applied(record)
                _ = try record.step()
                try execute("PRAGMA user_version = \(number + 1)")
                try execute("COMMIT")
            } catch {
                try? execute("ROLLBACK")
                throw error
            }
        }
    }

    /// The integer result of a one-row, one-column query (a PRAGMA, a count).
    package func scalarInt(_ sql: String) throws(SQLiteError) -> Int64 {
        let statement = try statement(sql)
        defer { statement.reset() }
        guard try statement.step() else { return 0 }
        return statement.int(0)
    }
}

/// A prepared statement; owned by its connection's cache.
package final class SQLiteStatement {
    package let raw: OpaquePointer
    package unowned let connection: SQLiteConnection

    init(_ raw: OpaquePointer, connection: SQLiteConnection) {
        self.raw = raw
        self.connection = connection
    }

    deinit { sqlite3_finalize(raw) }

    package func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    package func bind(_ index: Int32, _ value: Int64) throws(SQLiteError) {
        try check("bind", sqlite3_bind_int64(raw, index, value))
    }

    package func bind(_ index: Int32, _ value: String?) throws(SQLiteError) {
        guard let value else { return try check("bind", sqlite3_bind_null(raw, index)) }
        try check("bind", sqlite3_bind_text(raw, index, value, -1, piaojue_sqlite_transient()))
    }

    package func bind(_ index: Int32, bytes: [UInt8]?) throws(SQLiteError) {
        guard let bytes else { return try check("bind", sqlite3_bind_null(raw, index)) }
        let rc = bytes.withUnsafeBytes { buffer in
            // A zero-length blob still needs a non-NULL pointer, or SQLite stores NULL.
            sqlite3_bind_blob(raw, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count), piaojue_sqlite_transient())
        }
        try check("bind", rc)
    }

    private func check(_ operation: String, _ rc: Int32) throws(SQLiteError) {
        guard rc == SQLITE_OK else { throw connection.error(operation, rc) }
    }

    /// Advances; true when a row is available, false when done.
    package func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(raw)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error("step", rc)
        }
    }

    package func int(_ column: Int32) -> Int64 { sqlite3_column_int64(raw, column) }

    package func isNull(_ column: Int32) -> Bool { sqlite3_column_type(raw, column) == SQLITE_NULL }

    package func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(raw, column) else { return nil }
        let count = Int(sqlite3_column_bytes(raw, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The column's bytes; an empty array for an empty blob (SQLite returns NULL for those).
    package func bytes(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(raw, column))
        guard count > 0, let pointer = sqlite3_column_blob(raw, column) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Calls `body` with the column's bytes without copying them.
    package func withBytes<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let count = Int(sqlite3_column_bytes(raw, column))
        guard count > 0, let pointer = sqlite3_column_blob(raw, column) else {
            return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
