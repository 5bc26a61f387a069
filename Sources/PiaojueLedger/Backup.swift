import CSQLite
import Foundation

/// What ``Ledger/backup(to:)`` copied.
public struct BackupResult: Sendable {
    /// The new file.
    public let path: String
    /// Entries in the copy (the ledger as it stood when the copy's read snapshot began).
    public let entries: Int
    /// Size of the latest signed checkpoint in the copy.
    public let checkpointSize: Int
    /// Bytes of the copy.
    public let bytes: Int
}

extension Ledger {
    /// Copies the whole ledger into a new file at `path` through SQLite's online backup API
    /// (`sqlite3_backup_init/step/finish`), while other processes go on reading and appending.
    ///
    /// The copy is one consistent snapshot: all pages are copied in one step inside one read
    /// transaction, which in WAL mode never blocks writers. It is built under a temporary name in the
    /// same directory, checked with `PRAGMA quick_check`, fsynced, and linked into place only when
    /// complete, so `path` is either absent or a whole ledger. An existing `path` is never replaced.
    public func backup(to path: String) throws(LedgerError) -> BackupResult {
        guard !FileManager.default.fileExists(atPath: path) else { throw .alreadyExists(path: path) }
        let temporary = path + ".partial-\(getpid())"
        func removeTemporary() {
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temporary + suffix) }
        }
        removeTemporary()
        do {
            try copyPages(into: temporary)
            let fd = Foundation.open(temporary, O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                var info = stat()
                if stat(self.path, &info) == 0 { fchmod(fd, info.st_mode & 0o666) }
                let synced = fsync(fd)
                close(fd)
                guard synced == 0 else { throw LedgerError.cannotCreate(path: path, detail: String(cString: strerror(errno))) }
            }
        } catch {
            removeTemporary()
            throw Self.creationError(error, path: path)
        }
        try Self.linkIntoPlace(temporary, as: path, removing: removeTemporary)
        Self.syncDirectory(of: path)
        let copy = try Ledger.open(at: path, readOnly: true)
        do {
            return try copy.read { reader in
                var info = stat()
                stat(path, &info)
                return BackupResult(
                    path: path, entries: try reader.count(), checkpointSize: try reader.latestCheckpoint()?.size ?? 0,
                    bytes: Int(info.st_size))
            }
        } catch let error as LedgerError {
            throw error
        } catch let error as SQLiteError {
            throw Self.classify(error, path: path)
        } catch {
            throw .storage(detail: "\(error)")
        }
    }

    /// Copies every page of this ledger into a new database file at `temporary` and closes it with
    /// its WAL folded in, so the file stands alone.
    private func copyPages(into temporary: String) throws {
        let destination = try SQLiteConnection(path: temporary, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        guard let backup = sqlite3_backup_init(destination.handle, "main", connection.handle, "main") else {
            throw destination.error("backup_init", sqlite3_errcode(destination.handle))
        }
        // -1: every page in one step, under one read snapshot of the source. BUSY or LOCKED (another
        // process holds a lock that a WAL reader must wait for, as during recovery) is retried for
        // up to the ledger's busy timeout.
        var rc = sqlite3_backup_step(backup, -1)
        var waited: Int32 = 0
        while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED || rc == SQLITE_OK), waited < 60_000 {
            sqlite3_sleep(20)
            waited += 20
            rc = sqlite3_backup_step(backup, -1)
        }
        let finished = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE, finished == SQLITE_OK else {
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { throw LedgerError.busy(path: path) }
            throw destination.error("backup_step", rc == SQLITE_DONE ? finished : rc)
        }
        try destination.execute("PRAGMA journal_mode=WAL")
        let check = try destination.statement("PRAGMA quick_check")
        defer { check.reset() }
        guard try check.step(), check.text(0) == "ok" else {
            throw LedgerError.corrupt(path: path, detail: "quick_check of the copy: \(check.text(0) ?? "no answer")")
        }
    }

    /// Makes a new name in the directory of `path` durable.
    private static func syncDirectory(of path: String) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let fd = Foundation.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
