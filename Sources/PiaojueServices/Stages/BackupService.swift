import Foundation
public import PiaojueAudit
import PiaojueDomain
public import PiaojueLedger

/// Online backup of the ledger, and the check that the copy is a whole, verifiable ledger.
public enum BackupService {
    public struct Report: Sendable {
        public let copy: BackupResult
        /// `audit verify` of the copy.
        public let verification: VerificationReport
    }

    /// Copies the ledger to `path` (never replacing a file) through SQLite's online backup API while
    /// other processes keep writing, then verifies the copy as `audit verify --db COPY` would.
    public static func backup(to path: String, workspace: Workspace) throws -> Report {
        guard !path.isEmpty else { throw InputError("--out 不能为空。--out must name a file.") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            let what = isDirectory.boolValue ? "是一个目录" : "已存在"
            throw InputError("备份文件 \(path) \(what)，不会覆盖；请指定一个新的文件名。\(path) exists; a backup never overwrites anything.")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError("备份文件 \(path) 所在的目录 \(directory) 不存在。The directory \(directory) does not exist.")
        }
        let ledger = try workspace.openForReading()
        let copy = try ledger.backup(to: path)
        let verification = LedgerAudit.verify(try Ledger.open(at: path, readOnly: true))
        return Report(copy: copy, verification: verification)
    }
}
