import Foundation
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// `AuditService`: the published bundle, inclusion proofs of receipts, checkpoints and their
/// consistency; each refusal by its code and details.
@Suite struct AuditServiceTests {
    static let bundleFiles = [
        "ballots.csv", "body.pub.pem", "checkpoint", "ledger.jsonl", "merkle_root.py", "report.html", "report.md", "tally.json",
    ]

    @Test func publishWritesTheWholeBundleAtAFreshCheckpoint() throws {
        let world = try ServiceWorld()
        let vote = try world.decidedVote()
        let size = try #require(try world.entryCount())
        let directory = world.path("bundle")
        let published = try AuditService.publish(session: vote.session, directory: directory, workspace: world.workspace)
        let checkpoint = try AuditService.checkpoint(fresh: false, workspace: world.workspace)
        #expect(published == PublishOutput(dir: directory, size: size, root: checkpoint.root, session: "S1"))
        #expect(checkpoint.size == size)
        #expect(try world.entryCount() == size)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == Self.bundleFiles)

        let lines = try String(contentsOfFile: directory + "/ledger.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == size)
        #expect(lines.map { Encoding.hex(Merkle.leafHash(Array($0.utf8))) } == (try world.entries().map(\.receipt)))
        #expect(try String(contentsOfFile: directory + "/checkpoint", encoding: .utf8) == checkpoint.note)
        let tally = try String(contentsOfFile: directory + "/tally.json", encoding: .utf8)
        #expect(tally == String(decoding: try JSONRendering.encode(try #require(vote.tally)), as: UTF8.self) + "\n")
        // ballots.csv as Excel opens it: a byte order mark, then one CRLF line per ballot.
        let ballots = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/ballots.csv")))
        #expect(ballots.starts(with: [0xEF, 0xBB, 0xBF] + Array("receipt,P1,P2,P3\r\n".utf8)))
        #expect(ballots.filter { $0 == 0x0A }.count == 6)

        let verification = try LedgerQueries.verifyBundle(directory: directory)
        #expect(verification.ok, "\(String(describing: verification.firstFailure))")
    }

    @Test func aRatingSessionIsPublishedWithItsRatingTally() throws {
        let world = try ServiceWorld(now: "2025-01-15T01:00:00Z")
        try world.decidedVote()
        try world.clock.set("2026-01-10")
        _ = try EvaluationService.open(selection: .year(2025), rules: world.rules, workspace: world.workspace)
        try world.checkin("R1", 1...5, shape: .rating)
        let codes = try world.issue("R1", shape: .rating)
        for code in codes { try world.rate("R1", code, [.satisfied: ["P1"], .basic: ["P2"]]) }
        try world.close("R1", shape: .rating)
        let result = try EvaluationService.tally(session: "R1", workspace: world.workspace)
        let directory = world.path("rating-bundle")
        let published = try AuditService.publish(session: "R1", directory: directory, workspace: world.workspace)
        #expect(published.session == "R1")
        let tally = try String(contentsOfFile: directory + "/tally.json", encoding: .utf8)
        #expect(tally == String(decoding: try JSONRendering.encode(RatingTallyOutput(result)), as: UTF8.self) + "\n")
        #expect(try LedgerQueries.verifyBundle(directory: directory).ok)
    }

    @Test func publishRefusalsCreateNoDirectory() throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote()
        func publish(_ session: String, _ directory: String) throws -> Refusal {
            try world.refusal { try AuditService.publish(session: session, directory: directory, workspace: world.workspace) }
        }
        let notTallied = try publish(vote.session, world.path("a"))
        #expect(notTallied.code == "audit.not-tallied")
        #expect(notTallied.details == ["session": .text("S1")])
        #expect(notTallied.exitStatus == 1)
        #expect(notTallied.wroteNothing)
        #expect(!FileManager.default.fileExists(atPath: world.path("a")))
        let unknown = try publish("S9", world.path("b"))
        #expect(unknown.code == "audit.no-session")
        #expect(unknown.details == ["session": .text("S9")])
        #expect(unknown.exitStatus == 2)
        #expect(!FileManager.default.fileExists(atPath: world.path("b")))

        try world.importPaper(vote.session, vote.codes.map { ServiceWorld.PaperRow($0, approve: ["P1"]) })
        try world.close(vote.session)
        try world.tally(vote.session)
        try FileManager.default.createDirectory(atPath: world.path("full"), withIntermediateDirectories: false)
        try world.write("full/notes.txt", "")
        let full = try publish(vote.session, world.path("full"))
        #expect(full.code == "file.directory-not-empty")
        #expect(full.details == ["path": .text(world.path("full"))])
        #expect(try FileManager.default.contentsOfDirectory(atPath: world.path("full")) == ["notes.txt"])
        let climbing = try publish(vote.session, world.path("x/../y"))
        #expect(climbing.code == "file.output-climbs")
        let nowhere = try publish(vote.session, world.path("no/such/dir"))
        #expect(nowhere.code == "file.output-directory-missing")
        #expect(nowhere.details == ["path": .text(world.path("no/such/dir")), "directory": .text(world.path("no/such"))])
    }

    @Test func aReceiptsProofLeadsToTheSignedRoot() throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote()
        let cast = try world.cast(vote.session, vote.codes[0], approve: ["P1"])
        // Every cast is acknowledged with a checkpoint signed after it committed.
        let latest = try AuditService.checkpoint(fresh: false, workspace: world.workspace)
        #expect(latest.size == cast.index + 1)
        let proof = try AuditService.prove(receipt: cast.receipt.uppercased(), workspace: world.workspace)
        #expect(proof.receipt == cast.receipt)
        #expect(proof.index == cast.index)
    }

    @Test func receiptRefusals() throws {
        let world = try ServiceWorld()
        let bad = try world.refusal { try AuditService.prove(receipt: "abc", workspace: world.workspace) }
        #expect(bad.code == "audit.bad-receipt")
        #expect(bad.details == ["text": .text("abc")])
        #expect(bad.exitStatus == 2)
        let zeros = String(repeating: "0", count: 64)
        let missing = try world.refusal { try AuditService.prove(receipt: zeros, workspace: world.workspace) }
        #expect(missing.code == "audit.receipt-not-found")
        #expect(missing.details == ["receipt": .text(zeros)])
        #expect(missing.exitStatus == 1)
        #expect(missing.wroteNothing)
    }

    @Test func aFreshCheckpointCoversEveryEntry() throws {
        let world = try ServiceWorld()
        try world.roster(3)
        let stored = try AuditService.checkpoint(fresh: false, workspace: world.workspace)
        #expect(stored.size == 1)
        let fresh = try AuditService.checkpoint(fresh: true, workspace: world.workspace)
        #expect(fresh.size == 2)
        #expect(fresh.root != stored.root)
        let note = try SignedNote(parsing: fresh.note)
        #expect(try Checkpoint(text: note.text) == Checkpoint(origin: "piaojue/\(ServiceWorld.body)", size: 2, root: try #require(Encoding.unhex(fresh.root))))
        #expect(try AuditService.checkpoint(fresh: true, workspace: world.workspace) == fresh)
    }

    @Test func consistencyProvesThatHistoryWasExtendedNotRewritten() throws {
        let world = try ServiceWorld()
        try world.roster(3)
        let old = try AuditService.checkpoint(fresh: true, workspace: world.workspace)
        let oldPath = try world.write("old.checkpoint", old.note)
        try world.acceptedProposals(2)
        let new = try AuditService.checkpoint(fresh: true, workspace: world.workspace)
        let newPath = try world.write("new.checkpoint", new.note)
        let result = try AuditService.consistency(oldPath: oldPath, newPath: newPath, workspace: world.workspace)
        #expect(result.ok)
        #expect((result.oldSize, result.newSize) == (old.size, new.size))
        #expect((result.oldRoot, result.newRoot) == (old.root, new.root))
        #expect(!result.proof.isEmpty)
        let backwards = try AuditService.consistency(oldPath: newPath, newPath: oldPath, workspace: world.workspace)
        #expect(!backwards.ok)
        #expect(backwards.detail.contains("OLD is larger than NEW"))

        let stranger = try ServiceWorld(seed: "another body")
        let foreign = try world.write("foreign.checkpoint", try AuditService.checkpoint(fresh: false, workspace: stranger.workspace).note)
        let unsigned = try AuditService.consistency(oldPath: foreign, newPath: newPath, workspace: world.workspace)
        #expect(!unsigned.ok)
        #expect(unsigned.detail.contains("is not signed by this body"))

        let garbage = try world.write("garbage.checkpoint", "not a checkpoint\n")
        let refusal = try world.refusal { try AuditService.consistency(oldPath: garbage, newPath: newPath, workspace: world.workspace) }
        #expect(refusal.code == "audit.not-a-checkpoint")
        #expect(refusal.details["path"] == .text(garbage))
        #expect(refusal.details["why"] != nil)
        let absent = try world.refusal { try AuditService.consistency(oldPath: world.path("none"), newPath: newPath, workspace: world.workspace) }
        #expect(absent.code == "file.missing")
    }
}
