import Foundation
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// `SetupService`: a new ledger and body key, refused when either exists, leaving nothing behind.
@Suite struct SetupServiceTests {
    @Test func initializeCreatesTheLedgerAndTheKey() throws {
        let world = try ServiceWorld(seed: "setup", level: nil)
        let created = try SetupService.initialize(body: "  测试县第十八届人民代表大会 ", level: .township, settings: world.settings)
        let expectedKey = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "setup")).publicKey
        #expect(created == InitOutput(
            body: "测试县第十八届人民代表大会", level: "township", publicKey: expectedKey.base64, keyName: "piaojue/测试县第十八届人民代表大会",
            db: world.settings.databasePath, key: world.settings.databasePath + ".key"))

        let entries = try world.entries()
        #expect(entries.map(\.kind) == ["ledger.init"])
        let genesis = try entries[0].fields()
        #expect(genesis.time == "2025-01-15T01:00:00Z")
        #expect(genesis.payload["body"]?.stringValue == "测试县第十八届人民代表大会")
        #expect(genesis.payload["level"]?.stringValue == "township")
        #expect(genesis.payload["software"]?.stringValue == "piaojue")
        #expect(genesis.payload["schema"]?.integerValue == Int64(Ledger.schemaVersion))
        #expect(genesis.payload["keyName"]?.stringValue == "piaojue/测试县第十八届人民代表大会")
        #expect(genesis.payload["publicKey"]?.stringValue == expectedKey.base64)
        #expect(genesis.signer == expectedKey.rawBytes)

        // The first checkpoint covers the genesis entry.
        let checkpoint = try AuditService.checkpoint(fresh: false, workspace: world.workspace)
        #expect(checkpoint.size == 1)

        // The key file is the body's key, readable by its owner only.
        let attributes = try FileManager.default.attributesOfItem(atPath: created.key)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try KeyFile.load(from: created.key).publicKey == expectedKey)
    }

    @Test func theSameSeedGivesTheSameBodyKey() throws {
        let first = try ServiceWorld(seed: "same")
        let second = try ServiceWorld(seed: "same")
        let other = try ServiceWorld(seed: "other")
        #expect(first.created?.publicKey == second.created?.publicKey)
        #expect(first.created?.publicKey != other.created?.publicKey)
        #expect(try first.entries().map(\.receipt) == (try second.entries().map(\.receipt)))
    }

    @Test(arguments: [
        ("测试县人大", "piaojue/测试县人大"), ("Test County", "piaojue/Test-County"), ("A+B\tC", "piaojue/A-B-C"),
        ("县\u{3000}人大", "piaojue/县-人大"),
    ])
    func keyNamesReplaceSpacesAndPlus(_ body: String, _ name: String) {
        #expect(SetupService.keyName(for: body) == name)
    }

    @Test(arguments: [
        ("township", BodyLevel.township), ("乡镇", .township), ("镇", .township), ("county", .county), ("县", .county),
        ("区", .county), ("city", .city), ("市", .city), ("地市", .city),
    ])
    func levelsFromEnglishOrChineseWords(_ word: String, _ level: BodyLevel) {
        #expect(BodyLevel(word: word) == level)
    }

    @Test func anUnknownLevelWordIsNone() {
        #expect(BodyLevel(word: "province") == nil)
        #expect(BodyLevel(word: "") == nil)
    }

    @Test(arguments: ["", "   ", String(repeating: "县", count: 101)])
    func aBodyNameMustBeOneToAHundredCharacters(_ body: String) throws {
        let world = try ServiceWorld(level: nil)
        let refusal = try world.refusal { try SetupService.initialize(body: body, level: .county, settings: world.settings) }
        #expect(refusal.code == "setup.body-name")
        #expect(refusal.exitStatus == 2)
        #expect(refusal.details == ErrorDetails())
        #expect(!FileManager.default.fileExists(atPath: world.settings.databasePath))
        #expect(!FileManager.default.fileExists(atPath: world.settings.keyPath))
    }

    @Test func aHundredCharactersAreEnough() throws {
        let world = try ServiceWorld(level: nil)
        let body = String(repeating: "县", count: 100)
        #expect(try SetupService.initialize(body: body, level: .city, settings: world.settings).body == body)
    }

    @Test func anExistingLedgerIsNeverReplaced() throws {
        let world = try ServiceWorld()
        let before = try world.entries().map(\.receipt)
        let keyBefore = try Data(contentsOf: URL(fileURLWithPath: world.settings.keyPath))
        let refusal = try world.refusal { try SetupService.initialize(body: "另一个县", level: .county, settings: world.settings) }
        #expect(refusal.code == "ledger.already-exists")
        #expect(refusal.details == ["path": .text(world.settings.databasePath)])
        #expect(refusal.exitStatus == 2)
        #expect(try world.entries().map(\.receipt) == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: world.settings.keyPath)) == keyBefore)
    }

    @Test func anExistingKeyFileIsNeverReplaced() throws {
        let world = try ServiceWorld(level: nil)
        try world.write("piaojue.sqlite.key", "not a key, but somebody's file\n")
        let refusal = try world.refusal { try SetupService.initialize(body: "测试县", level: .county, settings: world.settings) }
        #expect(refusal.code == "ledger.key-exists")
        #expect(refusal.details == ["path": .text(world.settings.keyPath)])
        #expect(!FileManager.default.fileExists(atPath: world.settings.databasePath))
        #expect(try String(contentsOfFile: world.settings.keyPath, encoding: .utf8) == "not a key, but somebody's file\n")
    }

    @Test func aLedgerThatCannotBeCreatedLeavesNoKeyBehind() throws {
        let world = try ServiceWorld(level: nil)
        let database = world.path("missing-directory/piaojue.sqlite")
        let settings = Settings(
            databasePath: database, keyPath: world.path("body.key"), clock: world.settings.clock, random: world.random)
        let refusal = try world.refusal { try SetupService.initialize(body: "测试县", level: .county, settings: settings) }
        #expect(refusal.code == "ledger.cannot-create")
        #expect(refusal.details["path"] == .text(database))
        #expect(!FileManager.default.fileExists(atPath: world.path("body.key")))
        #expect(!FileManager.default.fileExists(atPath: database))
    }

    @Test func todayIsTheInjectedClocksDate() throws {
        let world = try ServiceWorld(now: "2025-12-31T23:59:59Z", level: nil)
        #expect(world.settings.today == Day(year: 2025, month: 12, day: 31))
        world.clock.advance(seconds: 1)
        #expect(world.settings.today == Day(year: 2026, month: 1, day: 1))
    }

    @Test func writingNeedsTheBodysOwnKeyKeptPrivate() throws {
        let world = try ServiceWorld()
        let roster = try world.write("deputies.csv", "id,name\nD001,张三\n")
        func importRoster(_ workspace: Workspace) throws -> Refusal {
            try world.refusal { try RosterService.importRoster(path: roster, encoding: .utf8, workspace: workspace) }
        }
        let keyPath = world.settings.keyPath
        chmod(keyPath, 0o644)
        let open = try importRoster(world.workspace)
        #expect(open.code == "ledger.key-too-open")
        #expect(open.details == ["path": .text(keyPath), "mode": .text("644")])
        #expect(open.wroteNothing)
        chmod(keyPath, 0o600)

        let stranger = try ServiceWorld(seed: "another body")
        var settings = world.settings
        settings.keyPath = stranger.settings.keyPath
        let wrong = try importRoster(Workspace(settings: settings))
        #expect(wrong.code == "ledger.wrong-key")
        #expect(wrong.details == ["path": .text(stranger.settings.keyPath)])
        #expect(wrong.wroteNothing)

        settings.keyPath = world.path("no-such.key")
        let missing = try importRoster(Workspace(settings: settings))
        #expect(missing.code == "ledger.key-missing")
        #expect(missing.details == ["path": .text(world.path("no-such.key"))])
        #expect(missing.wroteNothing)

        let garbage = try world.write("garbage.key", "not a key\n")
        chmod(garbage, 0o600)
        settings.keyPath = garbage
        let unreadable = try importRoster(Workspace(settings: settings))
        #expect(unreadable.code == "ledger.key-unreadable")
        #expect(unreadable.details["path"] == .text(garbage))
        #expect(unreadable.wroteNothing)

        #expect(try RosterService.importRoster(path: roster, encoding: .utf8, workspace: world.workspace).seated == 1)
    }

    @Test func withoutALedgerEveryServiceSaysSo() throws {
        let world = try ServiceWorld(level: nil)
        let refusal = try world.refusal { try CollectionService.list(status: nil, workspace: world.workspace) }
        #expect(refusal.code == "ledger.missing")
        #expect(refusal.details == ["path": .text(world.settings.databasePath)])
        #expect(!FileManager.default.fileExists(atPath: world.settings.databasePath))
        try world.write("piaojue.sqlite", String(repeating: "x", count: 200))
        let foreign = try world.refusal { try CollectionService.list(status: nil, workspace: world.workspace) }
        #expect(foreign.code == "ledger.not-a-ledger")
        #expect(foreign.details == ["path": .text(world.settings.databasePath)])
    }
}
