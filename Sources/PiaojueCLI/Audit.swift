import ArgumentParser
import Foundation
import PiaojueAudit
import PiaojueLedger
import PiaojueServices

extension Piaojue {
    /// `piaojue audit`: publish and verify.
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "公开与核验 Publish the tally audit and verify it.",
            subcommands: [Verify.self])

        @OptionGroup var global: GlobalOptions
    }
}

extension Piaojue.Audit {
    /// `audit verify [DIR]`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "核验账本或公开包 Verify the live ledger (no DIR) or a published bundle.",
            discussion: """
                Every check is numbered and named, with a one-line result; the exit status is 0 only
                when all pass, 1 when any fails.

                Example:
                  piaojue audit verify
                  piaojue audit verify --db backup.sqlite
                  piaojue audit verify 公开包/
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "公开包目录 A published bundle directory (omit to check the ledger).") var directory: String?

        func run() throws {
            let report: VerificationReport
            if directory != nil {
                throw ValidationError("公开包核验将随 audit publish 一起提供。Bundle verification comes with audit publish.")
            } else {
                let workspace = try global.workspace()
                let ledger = try Ledger.open(at: workspace.settings.databasePath, readOnly: true)
                report = LedgerAudit.verify(ledger)
            }
            global.emit(report) { render(report) }
            if !report.ok { throw ExitCode(1) }
        }

        func render(_ report: VerificationReport) -> String {
            var lines = report.checks.map { check in
                "\(check.id). [\(check.ok ? "通过 ok" : "失败 FAIL")] \(check.name)：\(check.detail)"
            }
            lines.append(report.ok ? "核验通过：全部 \(report.checks.count) 项检查通过。Verification passed." : "核验失败：第 \(report.firstFailure?.id ?? 0) 项未通过。Verification FAILED.")
            return lines.joined(separator: "\n")
        }
    }
}
