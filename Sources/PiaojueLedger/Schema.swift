import CSQLite

/// The ledger's SQLite schema, as named forward-only migrations.
///
/// Each migration runs in its own transaction and is recorded in `migrations`; `PRAGMA user_version`
/// holds the number applied, so that a newer program's file is recognised and refused.
enum Schema {
    /// `PRAGMA application_id` of a Piaojue ledger: "PIJU".
    static let applicationID: Int64 = 0x5049_4A55

    /// The migrations in order. Never edit one that has shipped; add a new one.
    static let migrations: [(name: String, sql: String)] = [
        (
            "001-entries",
            """
            CREATE TABLE entries(
                idx INTEGER PRIMARY KEY CHECK (idx >= 0),
                kind TEXT NOT NULL CHECK (length(kind) > 0),
                session TEXT,
                credential BLOB UNIQUE CHECK (credential IS NULL OR length(credential) = 32),
                line BLOB NOT NULL CHECK (length(line) > 0),
                leaf BLOB NOT NULL UNIQUE CHECK (length(leaf) = 32)
            ) STRICT;
            CREATE INDEX entries_by_kind ON entries(kind, idx);
            CREATE INDEX entries_by_session ON entries(session, kind, idx) WHERE session IS NOT NULL;
            CREATE TRIGGER entries_append_in_order BEFORE INSERT ON entries
                WHEN NEW.idx IS NOT (SELECT COALESCE(MAX(idx) + 1, 0) FROM entries)
                BEGIN SELECT RAISE(ABORT, 'piaojue: entries are appended in order'); END;
            CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
                BEGIN SELECT RAISE(ABORT, 'piaojue: the ledger is append-only (UPDATE refused)'); END;
            CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
                BEGIN SELECT RAISE(ABORT, 'piaojue: the ledger is append-only (DELETE refused)'); END;
            """
        ),
        (
            "002-checkpoints",
            """
            CREATE TABLE checkpoints(
                size INTEGER PRIMARY KEY CHECK (size >= 0),
                root BLOB NOT NULL CHECK (length(root) = 32),
                note TEXT NOT NULL,
                frontier BLOB NOT NULL,
                time TEXT NOT NULL,
                reason TEXT NOT NULL
            ) STRICT;
            CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
                BEGIN SELECT RAISE(ABORT, 'piaojue: checkpoints are append-only (UPDATE refused)'); END;
            CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
                BEGIN SELECT RAISE(ABORT, 'piaojue: checkpoints are append-only (DELETE refused)'); END;
            """
        ),
        (
            "003-issued-credentials",
            """
            CREATE TABLE credentials(
                key TEXT PRIMARY KEY CHECK (length(key) = 44),
                session TEXT NOT NULL,
                entry INTEGER NOT NULL
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX credentials_by_entry ON credentials(entry);
            CREATE TRIGGER credentials_no_update BEFORE UPDATE ON credentials
                BEGIN SELECT RAISE(ABORT, 'piaojue: issued credentials are append-only (UPDATE refused)'); END;
            CREATE TRIGGER credentials_no_delete BEFORE DELETE ON credentials
                BEGIN SELECT RAISE(ABORT, 'piaojue: issued credentials are append-only (DELETE refused)'); END;
            INSERT INTO credentials(key, session, entry)
                SELECT j.value, e.session, e.idx FROM entries AS e,
                    json_each(json_extract(CAST(e.line AS TEXT), '$.payload.credentials')) AS j
                WHERE e.kind = 'session.issue';
            """
        ),
        (
            // Witnesses' cosignatures (C2SP cosignature/v1 lines) of stored checkpoints, as `audit
            // witness` received them: appended after the body's signature in every later bundle's
            // `checkpoint` file. A cosignature names a stored checkpoint; rows are never changed.
            "004-cosignatures",
            """
            CREATE TABLE cosignatures(
                size INTEGER NOT NULL CHECK (size >= 0),
                line TEXT NOT NULL CHECK (length(line) > 0),
                witness TEXT NOT NULL CHECK (length(witness) > 0),
                received TEXT NOT NULL,
                source TEXT NOT NULL,
                PRIMARY KEY (size, line)
            ) STRICT, WITHOUT ROWID;
            CREATE TRIGGER cosignatures_of_a_checkpoint BEFORE INSERT ON cosignatures
                WHEN NOT EXISTS (SELECT 1 FROM checkpoints WHERE size = NEW.size)
                BEGIN SELECT RAISE(ABORT, 'piaojue: a cosignature names a stored checkpoint'); END;
            CREATE TRIGGER cosignatures_no_update BEFORE UPDATE ON cosignatures
                BEGIN SELECT RAISE(ABORT, 'piaojue: cosignatures are append-only (UPDATE refused)'); END;
            CREATE TRIGGER cosignatures_no_delete BEFORE DELETE ON cosignatures
                BEGIN SELECT RAISE(ABORT, 'piaojue: cosignatures are append-only (DELETE refused)'); END;
            """
        ),
    ]

    /// The schema version this program writes and reads.
    static var version: Int { migrations.count }

    /// The oldest version read-only opens read as it is: from 3 on, the later migrations only
    /// add tables that readers treat as empty when absent (004: no cosignatures).
    static let oldestReadable = 3

    /// Every object `sqlite_master` of a ledger holds — tables, indexes, triggers, views — with its
    /// SQL, as the migrations create them: what `audit verify` compares a live ledger with, so that
    /// a foreign trigger (one that swallows inserts, say), view, index or table is found.
    /// At `version` (default: the program's), the objects its first `version` migrations create.
    static func expectedObjects(version: Int = Schema.version) throws -> [SchemaObject] {
        let connection = try SQLiteConnection(path: ":memory:", flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        try Ledger.migrate(connection, from: 0, to: version)
        return try objects(connection)
    }

    /// The objects of `connection`'s schema, in a fixed order. ANALYZE's statistics tables
    /// (`sqlite_stat…`) are SQLite's own and left out.
    static func objects(_ connection: SQLiteConnection) throws -> [SchemaObject] {
        let statement = try connection.statement(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name")
        defer { statement.reset() }
        var result: [SchemaObject] = []
        while try statement.step() {
            result.append(SchemaObject(
                type: statement.text(0) ?? "", name: statement.text(1) ?? "", table: statement.text(2) ?? "", sql: statement.text(3)))
        }
        return result
    }
}

/// One row of `sqlite_master`.
public struct SchemaObject: Sendable, Equatable, CustomStringConvertible {
    public let type: String
    public let name: String
    public let table: String
    public let sql: String?

    public var description: String { "\(type) \(name)（\(table)）" }
}
