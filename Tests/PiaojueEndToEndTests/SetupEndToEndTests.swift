import Foundation
import PiaojueTestSupport
import Testing

/// `init`, `audit verify` and `log` through the built binary, and the bad inputs of issue 2: each
/// refused with one sentence on stderr and exit status 2, nothing written.
@Suite struct SetupEndToEndTests {
    func contents(_ directory: TemporaryDirectory) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.url.path) {
            result[name] = try Data(contentsOf: directory.url.appendingPathComponent(name))
        }
        return result
    }

    @Test func initTwiceRefusesAndLeavesBothFilesByteIdentical() throws {
        let workspace = try CLIWorkspace()
        let before = try contents(workspace.directory)
        #expect(before.keys.sorted() == ["piaojue.sqlite", "piaojue.sqlite.key"])
        for arguments in [
            ["init", "--body", "测试县第十八届人民代表大会", "--level", "county"],
            ["init", "--body", "另一个人大", "--level", "township", "--json"],
        ] {
            let again = try workspace.piaojue.run(arguments)
            #expect(again.status == 2)
            #expect(again.stderr.contains("piaojue.sqlite"))
            #expect(again.stdout.isEmpty)
            #expect(try contents(workspace.directory) == before)
        }
        // A new ledger beside an existing key is refused too, and creates nothing.
        let keyTaken = try workspace.piaojue.run(["init", "--body", "x", "--level", "city", "--db", "new.sqlite", "--key", "piaojue.sqlite.key"])
        #expect(keyTaken.status == 2)
        #expect(keyTaken.stderr.contains("piaojue.sqlite.key"))
        #expect(try contents(workspace.directory) == before)
    }

    @Test(arguments: ["county", "township", "city", "乡镇", "县", "市"])
    func initCreatesAPrivateKey(_ level: String) throws {
        let directory = TemporaryDirectory("piaojue-e2e")
        let piaojue = PiaojueBinary(directory: directory.url)
        let json = try piaojue.ok(["init", "--body", "某某镇人民代表大会", "--level", level, "--json"]).json()
        #expect(json["body"] as? String == "某某镇人民代表大会")
        let publicKey = try need(json["publicKey"] as? String, "publicKey")
        #expect(Data(base64Encoded: publicKey)?.count == 32)
        var info = stat()
        #expect(stat(directory.path("piaojue.sqlite.key"), &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        let log = try piaojue.ok(["log", "--json"]).json()
        let entries = try need(log["entries"] as? [[String: Any]], "entries")
        let payload = try need(entries.first?["payload"] as? [String: Any], "payload")
        #expect(payload["publicKey"] as? String == publicKey)
    }

    @Test(arguments: [["--level", "bogus"], ["--level", ""], ["--level", "province"]])
    func anUnknownLevelIsAUsageErrorAndCreatesNothing(_ level: [String]) throws {
        let directory = TemporaryDirectory("piaojue-e2e")
        let result = try PiaojueBinary(directory: directory.url).run(["init", "--body", "某某县人大"] + level)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--level"))
        #expect(try contents(directory).isEmpty)
    }

    @Test func auditVerifyPassesOnAFreshLedger() throws {
        let workspace = try CLIWorkspace()
        let text = try workspace.piaojue.run(["audit", "verify"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("1."))
        let json = try workspace.piaojue.ok(["audit", "verify", "--json"]).json()
        #expect(json["ok"] as? Bool == true)
        let checks = try need(json["checks"] as? [[String: Any]], "checks")
        #expect(!checks.isEmpty)
        #expect(checks.allSatisfy { $0["ok"] as? Bool == true })
        #expect(checks.map { $0["id"] as? Int } == Array(1...checks.count))
    }

    @Test func auditVerifyFailsAfterTheFileIsEditedAndNamesTheEntry() throws {
        let workspace = try CLIWorkspace()
        try workspace.piaojue.ok(["collect", "submit", "--title", "TAMPERMARK 城东路灯", "--category", "市政建设", "--content", "更换路灯"])
        try workspace.piaojue.ok(["collect", "submit", "--title", "城西公园", "--category", "生态环境", "--content", "新建口袋公园"])
        try workspace.piaojue.ok(["audit", "verify"])
        // Every process has closed the ledger, so its WAL is folded into the file (a read-only
        // reader may leave an empty WAL behind).
        let wal = try? FileManager.default.attributesOfItem(atPath: workspace.ledgerPath + "-wal")
        #expect((wal?[.size] as? NSNumber)?.intValue ?? 0 == 0)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: workspace.ledgerPath)))
        let marker = Array("TAMPERMARK".utf8)
        var edited = 0
        for start in bytes.indices where bytes[start...].starts(with: marker) {
            bytes[start] = UInt8(ascii: "X")
            edited += 1
        }
        #expect(edited >= 1)
        try Data(bytes).write(to: URL(fileURLWithPath: workspace.ledgerPath))

        let result = try workspace.piaojue.run(["audit", "verify", "--json"])
        #expect(result.status == 1)
        let json = try result.json()
        #expect(json["ok"] as? Bool == false)
        let checks = try need(json["checks"] as? [[String: Any]], "checks")
        let failed = checks.filter { $0["ok"] as? Bool == false }.compactMap { $0["detail"] as? String }
        #expect(!failed.isEmpty)
        // The edited proposal is entry 1 (entry 0 is ledger.init).
        #expect(failed.contains { $0.contains("第 1 条") || $0.contains("第 1 行") }, "\(failed)")
        let text = try workspace.piaojue.run(["audit", "verify"])
        #expect(text.status == 1)
        #expect(text.stdout.contains("FAIL"))
    }

    @Test func logJsonReturnsTheEntriesNewestLast() throws {
        let workspace = try CLIWorkspace()
        try workspace.piaojue.ok(["collect", "submit", "--title", "城东路灯", "--category", "市政建设", "--content", "更换路灯", "--budget", "120万"])
        let entries = try workspace.log()
        #expect(entries.map(\.kind) == ["ledger.init", "collect.submit"])
        #expect(entries.map(\.index) == [0, 1])
        #expect(entries[0].payload["body"] as? String == "测试县第十八届人民代表大会")
        #expect(entries[0].payload["level"] as? String == "county")
        let proposal = try need(entries[1].payload["proposal"] as? [String: Any], "proposal")
        #expect(proposal["budget"] as? Int == 1_200_000)
        let raw = try workspace.piaojue.ok(["log", "--json"]).json()
        let first = try need((raw["entries"] as? [[String: Any]])?.first, "entry")
        for key in ["index", "kind", "time", "leaf", "signer", "payload"] { #expect(first[key] != nil, "log --json lacks \(key)") }
        #expect(first["time"] as? String == "2025-03-01T00:00:00Z")
        let limited = try workspace.piaojue.ok(["log", "--json", "--limit", "1"]).json()
        #expect((limited["entries"] as? [[String: Any]])?.first?["kind"] as? String == "collect.submit")
    }

    @Test func aMissingLedgerIsAUsageError() throws {
        let directory = TemporaryDirectory("piaojue-e2e")
        let piaojue = PiaojueBinary(directory: directory.url)
        for arguments in [["log"], ["audit", "verify"], ["collect", "list"], ["collect", "submit", "--title", "t", "--category", "其他", "--content", "c"]] {
            let result = try piaojue.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("piaojue.sqlite"), "\(arguments): \(result.stderr)")
        }
        #expect(try contents(directory).isEmpty)
    }

    @Test(arguments: ["not a ledger\n", "SQLite format 3\u{0}" + String(repeating: "\u{1}", count: 200)])
    func aFileThatIsNotALedgerIsRefusedUntouched(_ content: String) throws {
        let directory = TemporaryDirectory("piaojue-e2e")
        try Data(content.utf8).write(to: URL(fileURLWithPath: directory.path("piaojue.sqlite")))
        let before = try contents(directory)
        let piaojue = PiaojueBinary(directory: directory.url)
        for arguments in [["log"], ["collect", "list"], ["collect", "submit", "--title", "t", "--category", "其他", "--content", "c"]] {
            let result = try piaojue.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(!result.stderr.isEmpty)
        }
        #expect(try contents(directory) == before)
    }

    @Test func aWrongOrExposedKeyIsRefusedAndNothingIsWritten() throws {
        let workspace = try CLIWorkspace()
        let other = try CLIWorkspace()
        let otherKey = other.directory.path("piaojue.sqlite.key")
        let submit = ["collect", "submit", "--title", "t", "--category", "其他", "--content", "c"]
        let wrong = try workspace.expectRefusal(submit + ["--key", otherKey], status: 2)
        #expect(wrong.contains(otherKey))

        #expect(chmod(workspace.directory.path("piaojue.sqlite.key"), 0o644) == 0)
        let exposed = try workspace.expectRefusal(submit, status: 2)
        #expect(exposed.contains("chmod 600"))
        #expect(chmod(workspace.directory.path("piaojue.sqlite.key"), 0o600) == 0)
        try workspace.piaojue.ok(submit)
        #expect(try workspace.entryCount() == 2)
    }
}
