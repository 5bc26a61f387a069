/// The witness state file's SQLite schema, as named forward-only migrations (each in its own
/// transaction, recorded in `migrations`; `PRAGMA user_version` holds how many are applied).
///
/// The invariants live here as well as in code: a log is never removed and its witnessed size
/// never shrinks, nor does the time of its latest cosignature; a key is only ever retired; cosigned checkpoints and evidence are append-only.
enum WitnessSchema {
    /// `PRAGMA application_id` of a witness state file: "PJWT".
    static let applicationID: Int64 = 0x504A_5754

    /// The migrations in order. Never edit one that has shipped; add a new one.
    static let migrations: [(name: String, sql: String)] = [
        (
            "001-witness",
            """
            CREATE TABLE witness(
                id INTEGER PRIMARY KEY CHECK (id = 1),
                name TEXT NOT NULL CHECK (length(name) > 0),
                vkey TEXT NOT NULL,
                protocol TEXT NOT NULL,
                created INTEGER NOT NULL
            ) STRICT;
            CREATE TRIGGER witness_no_update BEFORE UPDATE ON witness
                BEGIN SELECT RAISE(ABORT, 'piaojue: a witness keeps its name and key'); END;
            CREATE TRIGGER witness_no_delete BEFORE DELETE ON witness
                BEGIN SELECT RAISE(ABORT, 'piaojue: a witness keeps its name and key'); END;

            CREATE TABLE logs(
                origin TEXT PRIMARY KEY CHECK (length(origin) > 0),
                added INTEGER NOT NULL,
                size INTEGER CHECK (size IS NULL OR size >= 0),
                root BLOB CHECK ((size IS NULL AND root IS NULL) OR (size IS NOT NULL AND length(root) = 32)),
                last_time INTEGER CHECK ((size IS NULL) = (last_time IS NULL))
            ) STRICT;
            CREATE TRIGGER logs_no_delete BEFORE DELETE ON logs
                BEGIN SELECT RAISE(ABORT, 'piaojue: a witnessed log is never removed'); END;
            CREATE TRIGGER logs_only_grow BEFORE UPDATE ON logs
                WHEN NEW.origin IS NOT OLD.origin OR NEW.added IS NOT OLD.added OR NEW.size IS NULL
                    OR (OLD.size IS NOT NULL AND NEW.size < OLD.size)
                    OR (NEW.size IS OLD.size AND NEW.root IS NOT OLD.root)
                    OR (OLD.last_time IS NOT NULL AND NEW.last_time < OLD.last_time)
                BEGIN SELECT RAISE(ABORT, 'piaojue: a log''s witnessed size only grows'); END;

            CREATE TABLE log_keys(
                id INTEGER PRIMARY KEY,
                origin TEXT NOT NULL REFERENCES logs(origin),
                vkey TEXT NOT NULL,
                added INTEGER NOT NULL,
                retired INTEGER,
                UNIQUE (origin, vkey)
            ) STRICT;
            CREATE TRIGGER log_keys_no_delete BEFORE DELETE ON log_keys
                BEGIN SELECT RAISE(ABORT, 'piaojue: a log key is retired, never removed'); END;
            CREATE TRIGGER log_keys_retire_only BEFORE UPDATE ON log_keys
                WHEN OLD.retired IS NOT NULL OR NEW.retired IS NULL OR NEW.origin IS NOT OLD.origin
                    OR NEW.vkey IS NOT OLD.vkey OR NEW.added IS NOT OLD.added
                BEGIN SELECT RAISE(ABORT, 'piaojue: a log key can only be retired, once'); END;

            CREATE TABLE cosigned(
                id INTEGER PRIMARY KEY,
                origin TEXT NOT NULL REFERENCES logs(origin),
                size INTEGER NOT NULL CHECK (size >= 0),
                root BLOB NOT NULL CHECK (length(root) = 32),
                text TEXT NOT NULL,
                log_signatures TEXT NOT NULL,
                cosignature TEXT NOT NULL,
                time INTEGER NOT NULL,
                UNIQUE (origin, text)
            ) STRICT;
            CREATE INDEX cosigned_by_size ON cosigned(origin, size);
            CREATE TRIGGER cosigned_no_update BEFORE UPDATE ON cosigned
                BEGIN SELECT RAISE(ABORT, 'piaojue: cosigned checkpoints are append-only'); END;
            CREATE TRIGGER cosigned_no_delete BEFORE DELETE ON cosigned
                BEGIN SELECT RAISE(ABORT, 'piaojue: cosigned checkpoints are append-only'); END;

            CREATE TABLE evidence(
                id INTEGER PRIMARY KEY,
                origin TEXT NOT NULL REFERENCES logs(origin),
                kind TEXT NOT NULL CHECK (kind IN ('same-size-other-root', 'inconsistent-proof')),
                text TEXT NOT NULL,
                log_signatures TEXT NOT NULL,
                old_size INTEGER NOT NULL CHECK (old_size >= 0),
                proof TEXT NOT NULL,
                conflicts_with INTEGER NOT NULL REFERENCES cosigned(id),
                received INTEGER NOT NULL,
                UNIQUE (origin, kind, text, conflicts_with)
            ) STRICT;
            CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
                BEGIN SELECT RAISE(ABORT, 'piaojue: evidence is append-only'); END;
            CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
                BEGIN SELECT RAISE(ABORT, 'piaojue: evidence is append-only'); END;
            """
        )
    ]

    /// The schema version this program writes and reads.
    static var version: Int { migrations.count }
}
