-- The schema of a piaojue ledger (schema version 4): every object of sqlite_master, as the
-- migrations 001-entries, 002-checkpoints, 003-issued-credentials, 004-cosignatures create it (type,
-- name, table, then its SQL text exactly as the `sql` column holds it, followed here by `;`;
-- automatic indexes have none). Live-ledger check 8 of docs/audit-format.md compares sqlite_master
-- with this list. PRAGMA application_id = 1346980437 ("PIJU"), PRAGMA user_version = 4.

-- index credentials_by_entry ON credentials
CREATE INDEX credentials_by_entry ON credentials(entry);

-- index entries_by_kind ON entries
CREATE INDEX entries_by_kind ON entries(kind, idx);

-- index entries_by_session ON entries
CREATE INDEX entries_by_session ON entries(session, kind, idx) WHERE session IS NOT NULL;

-- index sqlite_autoindex_entries_1 ON entries
-- (automatic index: no SQL text)

-- index sqlite_autoindex_entries_2 ON entries
-- (automatic index: no SQL text)

-- index sqlite_autoindex_migrations_1 ON migrations
-- (automatic index: no SQL text)

-- table checkpoints ON checkpoints
CREATE TABLE checkpoints(
    size INTEGER PRIMARY KEY CHECK (size >= 0),
    root BLOB NOT NULL CHECK (length(root) = 32),
    note TEXT NOT NULL,
    frontier BLOB NOT NULL,
    time TEXT NOT NULL,
    reason TEXT NOT NULL
) STRICT;

-- table cosignatures ON cosignatures
CREATE TABLE cosignatures(
    size INTEGER NOT NULL CHECK (size >= 0),
    line TEXT NOT NULL CHECK (length(line) > 0),
    witness TEXT NOT NULL CHECK (length(witness) > 0),
    received TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (size, line)
) STRICT, WITHOUT ROWID;

-- table credentials ON credentials
CREATE TABLE credentials(
    key TEXT PRIMARY KEY CHECK (length(key) = 44),
    session TEXT NOT NULL,
    entry INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- table entries ON entries
CREATE TABLE entries(
    idx INTEGER PRIMARY KEY CHECK (idx >= 0),
    kind TEXT NOT NULL CHECK (length(kind) > 0),
    session TEXT,
    credential BLOB UNIQUE CHECK (credential IS NULL OR length(credential) = 32),
    line BLOB NOT NULL CHECK (length(line) > 0),
    leaf BLOB NOT NULL UNIQUE CHECK (length(leaf) = 32)
) STRICT;

-- table migrations ON migrations
CREATE TABLE migrations(name TEXT PRIMARY KEY, applied TEXT NOT NULL) STRICT;

-- trigger checkpoints_no_delete ON checkpoints
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
    BEGIN SELECT RAISE(ABORT, 'piaojue: checkpoints are append-only (DELETE refused)'); END;

-- trigger checkpoints_no_update ON checkpoints
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
    BEGIN SELECT RAISE(ABORT, 'piaojue: checkpoints are append-only (UPDATE refused)'); END;

-- trigger cosignatures_no_delete ON cosignatures
CREATE TRIGGER cosignatures_no_delete BEFORE DELETE ON cosignatures
    BEGIN SELECT RAISE(ABORT, 'piaojue: cosignatures are append-only (DELETE refused)'); END;

-- trigger cosignatures_no_update ON cosignatures
CREATE TRIGGER cosignatures_no_update BEFORE UPDATE ON cosignatures
    BEGIN SELECT RAISE(ABORT, 'piaojue: cosignatures are append-only (UPDATE refused)'); END;

-- trigger cosignatures_of_a_checkpoint ON cosignatures
CREATE TRIGGER cosignatures_of_a_checkpoint BEFORE INSERT ON cosignatures
    WHEN NOT EXISTS (SELECT 1 FROM checkpoints WHERE size = NEW.size)
    BEGIN SELECT RAISE(ABORT, 'piaojue: a cosignature names a stored checkpoint'); END;

-- trigger credentials_no_delete ON credentials
CREATE TRIGGER credentials_no_delete BEFORE DELETE ON credentials
    BEGIN SELECT RAISE(ABORT, 'piaojue: issued credentials are append-only (DELETE refused)'); END;

-- trigger credentials_no_update ON credentials
CREATE TRIGGER credentials_no_update BEFORE UPDATE ON credentials
    BEGIN SELECT RAISE(ABORT, 'piaojue: issued credentials are append-only (UPDATE refused)'); END;

-- trigger entries_append_in_order ON entries
CREATE TRIGGER entries_append_in_order BEFORE INSERT ON entries
    WHEN NEW.idx IS NOT (SELECT COALESCE(MAX(idx) + 1, 0) FROM entries)
    BEGIN SELECT RAISE(ABORT, 'piaojue: entries are appended in order'); END;

-- trigger entries_no_delete ON entries
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
    BEGIN SELECT RAISE(ABORT, 'piaojue: the ledger is append-only (DELETE refused)'); END;

-- trigger entries_no_update ON entries
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
    BEGIN SELECT RAISE(ABORT, 'piaojue: the ledger is append-only (UPDATE refused)'); END;
