import ArgumentParser
import PiaojueServices

extension Piaojue {
    /// `piaojue backup`: an online copy of the ledger, verified.
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup",
            abstract: "在线备份账本 Back up the ledger while in use.",
            discussion: """
                Copies the ledger through SQLite's online backup API: casting, importing and every other command may go on meanwhile. The copy is one consistent snapshot, written under a temporary name and put in place only when complete; an existing file is never overwritten. The copy is then verified as `audit verify --db FILE` would (exit 1 if it fails). Restore: stop every writer, copy the file back over the ledger, run `piaojue audit verify` (see docs/reliability.md).

                Example:
                  piaojue backup --out /mnt/备份/piaojue-2025-03-05.sqlite
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("备份文件（必须是新文件）The copy to write; must not exist.", valueName: "file"))
        var out: String

        func run() throws {
            let report = try BackupService.backup(to: out, workspace: global.workspace())
            global.emit(report) {
                let failed = report.checks.first { !$0.ok }
                let verdict = report.verified
                    ? "核验通过 Verified: all \(report.checks.count) checks passed."
                    : "核验失败 Verification FAILED at check \(failed?.id ?? 0): \(failed?.detail ?? "")"
                return """
                    已备份账本 Ledger backed up: \(report.out)
                    条目 Entries: \(report.entries)，最新检查点 latest checkpoint: \(report.checkpoint)，\(report.bytes) 字节 bytes
                    \(verdict)
                    """
            }
            if !report.verified { throw ExitCode(1) }
        }
    }
}
