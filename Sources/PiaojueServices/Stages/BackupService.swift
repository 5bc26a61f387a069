import Foundation
import PiaojueAudit
import PiaojueDomain
import PiaojueLedger

/// Online backup of the ledger, and the check that the copy is a whole, verifiable ledger.
public enum BackupService {
    public typealias Report = BackupOutput

    /// Copies the ledger to `path` (never replacing a file) through SQLite's online backup API while
    /// other processes keep writing, then verifies the copy as `audit verify --db COPY` would.
    public static func backup(to path: String, workspace: Workspace) throws -> Report {
        try OutputPaths.checkNewFile(path)
        let ledger = try workspace.openForReading()
        let copy = try ledger.backup(to: path)
        let verification = LedgerAudit.verify(try Ledger.open(at: path, readOnly: true))
        return BackupOutput(
            out: copy.path, entries: copy.entries, checkpoint: copy.checkpointSize, bytes: copy.bytes,
            verification: VerificationOutput(verification))
    }
}
