import Foundation
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// `BackupService`: an online copy of the ledger, verified as `audit verify --db COPY` would, and
/// never written over anything.
@Suite struct BackupServiceTests {
    @Test func theCopyIsTheWholeLedgerAndVerifies() throws {
        let world = try ServiceWorld()
        try world.decidedVote()
        let entries = try world.entries()
        let checkpoint = try AuditService.checkpoint(fresh: false, workspace: world.workspace)
        let copy = world.path("backup.sqlite")
        let report = try BackupService.backup(to: copy, workspace: world.workspace)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: copy)[.size] as? Int)
        #expect(report.out == copy)
        #expect(report.entries == entries.count)
        #expect(report.checkpoint == checkpoint.size)
        #expect(report.bytes == size)
        #expect(report.verified)
        #expect(report.checks.allSatisfy { $0.ok })
        #expect(report.checks.count == (try LedgerQueries.verifyLedger(workspace: world.workspace)).checks.count)

        // The copy holds the same entries and is a ledger the services can read.
        let copied = try Ledger.open(at: copy, readOnly: true).read { reader in
            var receipts: [String] = []
            try reader.forEachEntry { receipts.append($0.receipt) }
            return receipts
        }
        #expect(copied == entries.map(\.receipt))
        let restored = Workspace(settings: Settings(databasePath: copy, clock: world.settings.clock))
        #expect(try BallotService.recordedTally(session: "S1", workspace: restored)?.chosen == ["P1", "P2"])
        // The original is untouched.
        #expect(try world.entries().map(\.receipt) == entries.map(\.receipt))
    }

    @Test func aBackupNeverReplacesAFile() throws {
        let world = try ServiceWorld()
        let existing = try world.write("taken.sqlite", "somebody's file")
        let taken = try world.refusal { try BackupService.backup(to: existing, workspace: world.workspace) }
        #expect(taken.code == "file.output-exists")
        #expect(taken.details == ["path": .text(existing)])
        #expect(taken.exitStatus == 2)
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "somebody's file")

        let link = world.path("link.sqlite")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: world.path("target.sqlite"))
        let linked = try world.refusal { try BackupService.backup(to: link, workspace: world.workspace) }
        #expect(linked.code == "file.output-is-symlink")
        #expect(linked.details == ["path": .text(link)])
        #expect(!FileManager.default.fileExists(atPath: world.path("target.sqlite")))

        let nowhere = world.path("no-such-directory/backup.sqlite")
        let missing = try world.refusal { try BackupService.backup(to: nowhere, workspace: world.workspace) }
        #expect(missing.code == "file.output-directory-missing")
        #expect(missing.details == ["path": .text(nowhere), "directory": .text(world.path("no-such-directory"))])

        let empty = try world.refusal { try BackupService.backup(to: "", workspace: world.workspace) }
        #expect(empty.code == "file.output-missing")
        #expect(empty.details == ErrorDetails())
    }

    @Test func withoutALedgerThereIsNothingToCopy() throws {
        let world = try ServiceWorld(level: nil)
        let refusal = try world.refusal { try BackupService.backup(to: world.path("backup.sqlite"), workspace: world.workspace) }
        #expect(refusal.code == "ledger.missing")
        #expect(refusal.details == ["path": .text(world.settings.databasePath)])
        #expect(!FileManager.default.fileExists(atPath: world.path("backup.sqlite")))
    }
}
