import Foundation
import PiaojueAudit
import PiaojueCrypto
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// The hall scenario's year on a 国密 ledger (`--crypto gm --also-ed25519`): its ledger and bundles
/// verify, they say their suite, and a tampered gm bundle fails.
@Suite struct GMBundleTests {
    @Test func theGMYearVerifiesLiveAndAsBundles() throws {
        let hall = try HallScenario.sharedGM.get()
        let ledger = try Ledger.open(at: hall.world.settings.databasePath, readOnly: true)
        #expect(ledger.identity.suite == .gm)
        let live = LedgerAudit.verify(ledger)
        #expect(live.ok, "\(String(describing: live.firstFailure))")
        for (name, bundle) in [("gm-hall-vote", hall.voteBundle), ("gm-hall-rating", hall.ratingBundle)] {
            let report = BundleAudit.verify(directory: bundle)
            #expect(report.ok, "\(name): \(String(describing: report.firstFailure))")
            try Self.export(bundle, as: name)
        }
    }

    @Test func aGMBundleSaysItsSuite() throws {
        let hall = try HallScenario.sharedGM.get()
        func read(_ name: String) throws -> String {
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: hall.voteBundle + "/" + name)), as: UTF8.self)
        }
        let bodyKey = try VerifyingKey(pem: try read(AuditBundle.publicKeyFile))
        #expect(bodyKey.suite == .gm)
        let edKey = try Ed25519PublicKey(pem: try read(AuditBundle.ed25519KeyFile))
        let first = try #require(try read(AuditBundle.ledgerFile).split(separator: "\n").first)
        let genesis = try EntryFields(line: Array(first.utf8))
        #expect(genesis.payload["crypto"]?.stringValue == "gm")
        #expect(genesis.payload["ed25519PublicKey"]?.stringValue == edKey.base64)
        let note = try SignedNote(parsing: try read(AuditBundle.checkpointFile))
        let checkpoint = try Checkpoint(text: note.text)
        #expect(note.isFirstSigned(by: edKey, keyName: checkpoint.origin))
        #expect(note.isSigned(by: bodyKey, keyName: checkpoint.origin))
        #expect(try read(AuditBundle.merkleScriptFile) == ReportRenderer.gmMerkleScript)
        #expect(try read(AuditBundle.reportMarkdown).contains("distid:1234567812345678"))
    }

    @Test func aReceiptOfAGMBundleIsProvedWithSM3() throws {
        let hall = try HallScenario.sharedGM.get()
        let lines = String(decoding: try Data(contentsOf: URL(fileURLWithPath: hall.voteBundle + "/ledger.jsonl")), as: UTF8.self)
            .split(separator: "\n")
        let ballot = try #require(lines.first { $0.contains(#""kind":"session.cast""#) })
        let receipt = Encoding.hex(CryptoSuite.gm.leafHash(Array(ballot.utf8)))
        let check = BundleAudit.checkReceipt(directory: hall.voteBundle, receipt: receipt)
        #expect(check.ok, "\(check.detail)")
        #expect(!BundleAudit.checkReceipt(directory: hall.voteBundle, receipt: Encoding.hex(Merkle.leafHash(Array(ballot.utf8)))).ok)
    }

    @Test func theRollupReadsAGMTownshipsBundles() throws {
        // Two bundles of one gm township: the later extends the earlier (its root at the earlier
        // size, recomputed in SM3, is the earlier's), so one township is counted and none fails.
        let gm = try HallScenario.sharedGM.get()
        let out = TemporaryDirectory("gm-rollup")
        let result = try RollupService.rollup(
            directories: [gm.voteBundle, gm.ratingBundle], out: out.path("county"), policyPath: nil, workers: 2)
        #expect(result.failed.isEmpty, "\(result.failed.map(\.dir))")
        #expect(result.townships.count == 1)
        #expect(result.superseded.count == 1)
    }

    @Test(arguments: ["entry", "checkpoint-sm2", "checkpoint-ed25519", "key"])
    func aTamperedGMBundleFails(_ what: String) throws {
        let hall = try HallScenario.sharedGM.get()
        let directory = TemporaryDirectory("gm-tampered")
        let copy = directory.path("bundle")
        try FileManager.default.copyItem(atPath: hall.voteBundle, toPath: copy)
        switch what {
        case "entry":
            let path = copy + "/ledger.jsonl"
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
            let tampered = text.replacingOccurrences(of: #""body":""#, with: #""body":"伪"#)
            #expect(tampered != text)
            try Data(tampered.utf8).write(to: URL(fileURLWithPath: path))
        case "checkpoint-sm2", "checkpoint-ed25519":
            let path = copy + "/checkpoint"
            var lines = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // Lines 5 and 6: the Ed25519 line, then the SM2 line; flip one base64 character near the end.
            let n = what == "checkpoint-ed25519" ? 4 : 5
            var characters = Array(lines[n])
            let at = characters.count - 6
            characters[at] = characters[at] == "A" ? "B" : "A"
            lines[n] = String(characters)
            try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        default:
            let other = try SigningKey.generate(suite: .gm, using: SeededRandom(seed: "other-body"))
            try FileManager.default.removeItem(atPath: copy + "/body.pub.pem")
            try Data(try other.verifyingKey.pem().utf8).write(to: URL(fileURLWithPath: copy + "/body.pub.pem"))
        }
        let report = BundleAudit.verify(directory: copy)
        #expect(!report.ok, "\(what)")
        try Self.export(copy, as: "gm-tampered-\(what)")
    }

    /// Copies a gm bundle to `$PIAOJUE_EXPORT_GM_BUNDLES/NAME` when that is set (Scripts/test
    /// hands them to gmssl and to the openssl by-hand steps).
    static func export(_ bundle: String, as name: String) throws {
        guard let root = ProcessInfo.processInfo.environment["PIAOJUE_EXPORT_GM_BUNDLES"], !root.isEmpty else { return }
        let target = root + "/" + name
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: bundle, toPath: target)
    }
}
