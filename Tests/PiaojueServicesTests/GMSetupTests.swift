import Foundation
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// `init --crypto gm [--also-ed25519]`, and a gm ledger through the stages.
@Suite struct GMSetupTests {
    @Test func initGMCreatesAnSM2KeyAndAnEd25519KeyBesideIt() throws {
        let world = try ServiceWorld(seed: "gm-setup", level: nil)
        let created = try SetupService.initialize(
            body: "测试县人民代表大会", level: .county, crypto: "gm", alsoEd25519: true, settings: world.settings)
        #expect(created.crypto == "gm")
        let edPath = try #require(created.ed25519Key)
        #expect(edPath == KeyFile.ed25519Path(beside: world.settings.keyPath))
        for path in [created.key, edPath] {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(path)")
        }
        let key = try KeyFile.loadSigningKey(from: created.key)
        #expect(key.suite == .gm)
        #expect(key.verifyingKey.base64 == created.publicKey)
        #expect(try KeyFile.load(from: edPath).publicKey.base64 == created.ed25519PublicKey)
        let genesis = try world.entries()[0].fields()
        #expect(genesis.payload["crypto"]?.stringValue == "gm")
        #expect(genesis.payload["ed25519PublicKey"]?.stringValue == created.ed25519PublicKey)
        #expect(genesis.signer.count == 65)
        let checkpoint = try AuditService.checkpoint(fresh: true, workspace: world.workspace)
        #expect(try SignedNote(parsing: checkpoint.note).signatures.count == 2)
        #expect(checkpoint.vkey?.contains("+/3NtMi1zbTMt") == true, "the vkey is the SM2 one (0xff ‖ sm2-sm3-…)")
    }

    @Test func aBadSuiteNameIsRefusedWithACodeAndLeavesNothing() throws {
        let world = try ServiceWorld(seed: "gm-bad", level: nil)
        let refused = failure { try SetupService.initialize(body: "测试县", level: .county, crypto: "sm9", settings: world.settings) }
        #expect(refused?.code == "setup.unknown-crypto-suite")
        #expect(refused?.exitStatus == 2)
        #expect(refused?.description.contains("sm9") == true)
        #expect(code { try SetupService.initialize(body: "测试县", level: .county, alsoEd25519: true, settings: world.settings) }
            == "setup.also-ed25519-needs-gm")
        #expect(!FileManager.default.fileExists(atPath: world.settings.databasePath))
        #expect(!FileManager.default.fileExists(atPath: world.settings.keyPath))
    }

    @Test func aGMLedgerRunsASessionAndItsAuditPasses() throws {
        let world = try ServiceWorld(seed: "gm-session", crypto: "gm")
        try world.roster(5)
        let ids = try world.acceptedProposals(3, budgetsWan: [100, 100, 100])
        let list = try world.shortlist(seats: 2, ids, rules: world.rules)
        let session = try world.open(list: list.list, rules: world.rules).session
        try world.checkin(session, 1...5)
        let codes = try world.issue(session)
        for code in codes.prefix(3) { try world.cast(session, code, approve: [ids[0]]) }
        try world.importPaper(session, [ServiceWorld.PaperRow(codes[3], approve: [ids[1]])])
        try world.close(session)
        let tally = try world.tally(session)
        #expect(tally.status == .decided)
        let ledger = try Ledger.open(at: world.settings.databasePath, readOnly: true)
        for entry in try world.entries(kinds: ["session.cast", "session.paper"]) {
            #expect(try entry.fields().signer.count == 65)
            #expect(entry.leafHash == CryptoSuite.gm.leafHash(entry.line))
        }
        #expect(ledger.identity.suite == .gm)
    }
}
