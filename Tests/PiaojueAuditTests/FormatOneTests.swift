import Foundation
import PiaojueAudit
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// Ledgers and bundles of payload format 1 (the first release) still verify, by the rules of
/// format 1, and a format-1 ledger's first write carries it into format 2 with a signed
/// `ledger.upgrade` after which the auditor holds it to format 2.
@Suite struct FormatOneTests {
    static let fixture = TestPaths.fixtures.appendingPathComponent("v1-demo")

    @Test func theDemoLedgerOfTheFirstReleaseVerifies() throws {
        let directory = TemporaryDirectory("v1-ledger")
        let copy = directory.path("piaojue.sqlite")
        try FileManager.default.copyItem(atPath: Self.fixture.appendingPathComponent("demo-2026-12-01.ledger").path, toPath: copy)
        let report = LedgerAudit.verify(try Ledger.open(at: copy, readOnly: true))
        #expect(report.ok, "\(String(describing: report.firstFailure))")
        #expect(report.checks.count == 31)
        #expect(report.checks[11].detail.contains("格式 1"))
        #expect(report.checks[23].detail.hasPrefix("4 个会期的结束"))
    }

    @Test func itsBundleVerifiesAndADoctoredAnnouncementDoesNot() throws {
        let bundle = Self.fixture.appendingPathComponent("bundle-S1").path
        let report = BundleAudit.verify(directory: bundle)
        #expect(report.ok, "\(String(describing: report.firstFailure))")
        #expect(report.checks.count == 35)

        // The 公告 of the first release, with another count: checks 33 and 34 name the line.
        let directory = TemporaryDirectory("v1-bundle")
        let copy = directory.path("bundle")
        try FileManager.default.copyItem(atPath: bundle, toPath: copy)
        for name in ["report.md", "report.html"] {
            let text = try String(contentsOfFile: copy + "/" + name, encoding: .utf8)
            #expect(text.contains("P1，赞成 172 票"))
            try Data(text.replacingOccurrences(of: "P1，赞成 172 票", with: "P1，赞成 182 票").utf8)
                .write(to: URL(fileURLWithPath: copy + "/" + name))
        }
        let doctored = BundleAudit.verify(directory: copy)
        #expect(doctored.checks.filter { !$0.ok }.map(\.id) == [33, 34])
        #expect(doctored.checks[32].detail.contains("report.md lacks line"))
    }

    @Test func theFirstWriteUpgradesAFormatOneLedgerAndTheAuditHoldsItToFormatTwo() throws {
        let world = try ServiceWorld(level: nil)
        let key = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "format-one"))
        try KeyFile.create(key, at: world.settings.keyPath)
        _ = try Ledger.create(
            at: world.settings.databasePath, keyName: Body.keyName(for: ServiceWorld.body), key: key,
            genesis: JSONObject([
                "body": .string(ServiceWorld.body), "level": .string("county"), "software": .string("piaojue"),
                "schema": .integer(Int64(Ledger.schemaVersion)),
            ]),
            clock: world.clock.reading, format: 1)
        let before = LedgerAudit.verify(try Ledger.open(at: world.settings.databasePath, readOnly: true))
        #expect(before.ok, "\(String(describing: before.firstFailure))")
        #expect(before.checks[11].detail.contains("格式 1"))

        try world.decidedVote()
        let kinds = try world.kinds()
        #expect(kinds.prefix(3) == ["ledger.init", LedgerFormat.upgradeKind, "roster.import"])
        #expect(kinds.filter { $0 == LedgerFormat.upgradeKind }.count == 1)
        let after = LedgerAudit.verify(try Ledger.open(at: world.settings.databasePath, readOnly: true))
        #expect(after.ok, "\(String(describing: after.firstFailure))")
        #expect(after.checks[11].detail.contains("格式 2"))
    }
}
