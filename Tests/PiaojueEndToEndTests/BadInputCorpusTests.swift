import Foundation
import PiaojueTestSupport
import Testing

/// The bad-input corpus of Tests/Fixtures/bad (plus inputs made at test time: a 10 MB field, a
/// ledger of a newer schema, a truncated ledger), each run through the binary as a clerk would.
/// Every one must give one clear bilingual sentence on stderr, exit 2 (or the status CLI.md names),
/// leave the ledger's entries and the directory's files as they were, and never crash.
@Suite struct BadInputCorpusTests {
    static let bad = TestPaths.fixtures.appendingPathComponent("bad")

    static func fixtures(_ folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: bad.appendingPathComponent(folder).path)) ?? []
        return names.sorted()
    }

    /// Entries and checkpoints of the ledger (read with Python's sqlite3, not through piaojue), and
    /// the names and sizes of the files beside it (SQLite's -wal and -shm aside).
    struct Snapshot: Equatable {
        let entries: String
        let files: [String]

        init(_ workspace: Place, ledger: String = "piaojue.sqlite") throws {
            entries = try Process.python("""
                import sqlite3, sys
                db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
                print(db.execute("select count(*), coalesce(max(idx), -1) from entries").fetchone(),
                      db.execute("select count(*) from checkpoints").fetchone())
                """, arguments: [workspace.directory.path(ledger)])
            let names = try FileManager.default.contentsOfDirectory(atPath: workspace.directory.url.path)
            files = try names.filter { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }.sorted().map { name in
                let attributes = try FileManager.default.attributesOfItem(atPath: workspace.directory.path(name))
                let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
                return name.hasSuffix(".sqlite") ? name : "\(name):\(size)"
            }
        }
    }

    /// Runs `arguments` and checks the refusal: `status`, one sentence on stderr naming `mentions`,
    /// in Chinese and English, no crash output, nothing written.
    @discardableResult
    func expectRefused(
        _ workspace: CLIWorkspace, _ arguments: [String], status: Int32 = 2, mentions: [String] = [], code: String? = nil,
        ledger: String = "piaojue.sqlite", sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        try expectRefused(
            Place(workspace), arguments, status: status, mentions: mentions, code: code, ledger: ledger, sourceLocation: sourceLocation)
    }

    @discardableResult
    func expectRefused(
        _ workspace: Place, _ arguments: [String], status: Int32 = 2, mentions: [String] = [], code: String? = nil,
        ledger: String = "piaojue.sqlite", sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let before = try Snapshot(workspace, ledger: ledger)
        let result = try workspace.piaojue.run(arguments)
        let command = "piaojue \(arguments.joined(separator: " "))"
        #expect(result.status == status, "\(command) exited \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "\(command) printed \(lines.count) lines on stderr: \(result.stderr)", sourceLocation: sourceLocation)
        for marker in ["Fatal error", "Stack dump", "stack trace", "Swift runtime failure", "SQLITE_", "Illegal instruction"] {
            #expect(!result.stderr.contains(marker) && !result.stdout.contains(marker), "\(command): \(result.stderr)", sourceLocation: sourceLocation)
        }
        let chinese = result.stderr.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
        let words = result.stderr.split(whereSeparator: { !$0.isASCII || !$0.isLetter }).filter { $0.count >= 2 }
        let english = words.count >= 3
        #expect(chinese && english, "\(command): not one bilingual sentence: \(result.stderr)", sourceLocation: sourceLocation)
        for word in mentions {
            #expect(result.stderr.contains(word), "\(command) does not name \(word): \(result.stderr)", sourceLocation: sourceLocation)
        }
        // The same refusal with --json: one error object on stderr with a stable code, same exit status.
        let json = try workspace.piaojue.run(arguments + ["--json"])
        #expect(json.status == status, "\(command) --json exited \(json.status)", sourceLocation: sourceLocation)
        let object = (try? JSONSerialization.jsonObject(with: Data(json.stderr.utf8))) as? [String: Any]
        let error = object?["error"] as? [String: Any]
        let found = error?["code"] as? String
        #expect(found?.range(of: #"^[a-z]+\.[a-z0-9-]+$"#, options: .regularExpression) != nil,
                "\(command) --json: no error code in \(json.stderr)", sourceLocation: sourceLocation)
        if let code { #expect(found == code, "\(command): code \(found ?? "none"), expected \(code)", sourceLocation: sourceLocation) }
        #expect((error?["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(try Snapshot(workspace, ledger: ledger) == before, "\(command) changed the ledger or the files", sourceLocation: sourceLocation)
        return result.stderr
    }

    func copyFixture(_ relative: String, into workspace: CLIWorkspace, as name: String? = nil) throws -> String {
        let target = name ?? URL(fileURLWithPath: relative).lastPathComponent
        try FileManager.default.copyItem(
            at: Self.bad.appendingPathComponent(relative), to: workspace.directory.url.appendingPathComponent(target))
        return target
    }

    // MARK: Spreadsheets

    @Test(arguments: fixtures("csv"))
    func aBadProposalSheetIsRefusedWhole(_ name: String) throws {
        let workspace = try CLIWorkspace()
        let file = try copyFixture("csv/\(name)", into: workspace)
        try expectRefused(workspace, ["collect", "import", file], mentions: [file])
    }

    @Test func aTenMegabyteFieldIsRefusedWithoutReadingItIntoTheLedger() throws {
        let workspace = try CLIWorkspace()
        var sheet = Data("title,category,content\n路灯改造,市政建设,".utf8)
        sheet.append(Data(repeating: UInt8(ascii: "x"), count: 10 * 1024 * 1024))
        sheet.append(Data("\n".utf8))
        try sheet.write(to: workspace.directory.url.appendingPathComponent("huge.csv"))
        try expectRefused(workspace, ["collect", "import", "huge.csv"], mentions: ["huge.csv", "too long"])
        // The same field as a paper-ballot credential, and as the roster.
        try sheet.write(to: workspace.directory.url.appendingPathComponent("huge-roster.csv"))
        try expectRefused(workspace, ["roster", "import", "huge-roster.csv"], mentions: ["huge-roster.csv"])
    }

    /// Formula cells (CSV injection) are stored as the text they are, and neutralised with a
    /// leading apostrophe wherever piaojue writes a spreadsheet: refusing them would refuse real
    /// titles such as "-2℃ 冷链", and storing them is harmless. The third row hides its formula
    /// behind a quote carrying a combining mark (found by fuzzing): read back by Python's csv
    /// module as a spreadsheet would, no cell may start a formula.
    @Test func formulaCellsAreStoredVerbatimAndNeutralisedOnOutput() throws {
        let workspace = try CLIWorkspace()
        let file = try copyFixture("formula-cells.csv", into: workspace)
        let imported = try workspace.piaojue.ok(["collect", "import", file, "--json"]).json()
        #expect(imported["imported"] as? Int == 3)
        let hidden = "\"\u{0306},=cmd|' /C calc'!A0"
        let titles = try workspace.log().filter { $0.kind == "collect.submit" }.map { ($0.payload["proposal"] as? [String: Any])?["title"] as? String }
        #expect(titles == ["=cmd|' /C calc'!A0", "-2+3", hidden])
        let sheet = try workspace.piaojue.ok(["collect", "list", "--csv"]).stdout
        try workspace.write("list.csv", sheet)
        let cells = try Process.python("""
            import csv, json, sys
            with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
                print(json.dumps([cell for row in csv.reader(f) for cell in row]))
            """, arguments: [workspace.directory.path("list.csv")])
        let parsed = try need(try JSONSerialization.jsonObject(with: Data(cells.utf8)) as? [String], "cells")
        #expect(parsed.contains("'=cmd|' /C calc'!A0") && parsed.contains("'-2+3"))
        #expect(parsed.contains(hidden), "the third title does not read back as one cell")
        for cell in parsed {
            #expect(!["=", "+", "-", "@", "\t"].contains(where: { cell.hasPrefix($0) }), "a cell starts a formula: \(cell)")
        }
    }

    // MARK: Typed values and ids

    @Test func badAmountsDatesAndIdsOnTheCommandLineAreRefused() throws {
        let workspace = try CLIWorkspace()
        try workspace.acceptedProposals(2)
        let submit = ["collect", "submit", "--title", "路灯", "--category", "市政建设", "--content", "安装"]
        try expectRefused(workspace, submit + ["--budget=-5万"], mentions: ["-5万"])
        try expectRefused(workspace, submit + ["--budget", "1e9"], mentions: ["1e9"])
        try expectRefused(workspace, submit + ["--budget", "120万万"], mentions: ["120万万"])
        try expectRefused(workspace, submit + ["--budget", "99999999999999999999"], mentions: ["99999999999999999999"])
        try expectRefused(workspace, submit + ["--deadline", "2025-02-30"], mentions: ["2025-02-30"])
        try expectRefused(workspace, submit + ["--deadline", "2025-13-01"], mentions: ["2025-13-01"])
        let injected = "P1'; DROP TABLE entries;--"
        // An id holding a space is bad input before any lookup; the message shows the stretch
        // around the space (docs/rules.md, "Input").
        try expectRefused(workspace, ["collect", "screen", injected, "--accept"], mentions: ["P1'; DROP"], code: "input.space-in-id")
        try expectRefused(workspace, ["collect", "screen", "P1", "--merge-into", injected], mentions: ["P1'; DROP"], code: "input.space-in-id")
        try expectRefused(workspace, ["collect", "shortlist", "--seats", "0", "P1", "P2"], mentions: ["0"])
        try workspace.approveBothSteps()
        // Ids split like every id list (commas, semicolons, spaces): the first piece that is no proposal is named.
        try expectRefused(workspace, ["collect", "shortlist", "--seats", "1", "P1", injected], mentions: ["P1'"], code: "collect.unknown-proposal")
        // A session id holding a space is bad input (exit 2) before it is looked up; an unknown
        // session is T6 (no rules adopted): a rule refusal, exit 1 as CLI.md says.
        try expectRefused(workspace, ["ballot", "checkin", "S1'; DROP TABLE entries;--", "--deputy", "D1"], code: "input.space-in-id")
        try expectRefused(workspace, ["ballot", "checkin", "S1';DROP_TABLE_entries;--", "--deputy", "D1"], status: 1)
        // The quotes reached SQLite only as bound values: the ledger is whole.
        #expect(try workspace.piaojue.run(["audit", "verify"]).status == 0)
    }

    // MARK: Rules files

    @Test func impossibleRulesFilesAreRefusedNamingTheKey() throws {
        let workspace = try CLIWorkspace()
        try workspace.acceptedProposals(3)
        try workspace.approveBothSteps()
        let list = try workspace.piaojue.ok(["collect", "shortlist", "--seats", "2", "P1", "P2", "P3", "--json"]).json()["list"] as? String
        let expected: [String: String] = [
            "unknown-key.toml": "vote_secretly", "seats-0.toml": "seats", "quorum-1.5.toml": "quorum",
            "quorum-3-over-2.toml": "quorum", "quorum-0.toml": "quorum", "max-rounds-0.toml": "max_rounds",
            "unknown-form.toml": "form", "syntax-error.toml": "TOML", "budget-cap-negative.toml": "budget_cap",
        ]
        #expect(Set(Self.fixtures("rules")) == Set(expected.keys), "every rules fixture has an expectation")
        for name in Self.fixtures("rules") {
            let file = try copyFixture("rules/\(name)", into: workspace)
            try expectRefused(workspace, ["ballot", "open", "--list", try need(list, "list"), "--rules", file], mentions: [file, expected[name] ?? "?"])
        }
    }

    // MARK: Ledger files

    @Test(arguments: fixtures("ledger"))
    func aFileThatIsNotALedgerIsRefusedAndLeftAlone(_ name: String) throws {
        let workspace = try CLIWorkspace()
        let file = try copyFixture("ledger/\(name)", into: workspace)
        let bytes = try Data(contentsOf: workspace.directory.url.appendingPathComponent(file))
        try expectRefused(workspace, ["--db", file, "log"], mentions: [file])
        try expectRefused(workspace, ["--db", file, "--key", "piaojue.sqlite.key", "collect", "submit", "--title", "x", "--category", "市政建设", "--content", "y"], mentions: [file])
        // `audit verify` reports an unreadable ledger as a failed check (exit 1, CLI.md).
        let verify = try workspace.piaojue.run(["--db", file, "audit", "verify"])
        #expect(verify.status == 1 && verify.stdout.contains("FAIL"), "\(verify.stdout)\(verify.stderr)")
        #expect(try Data(contentsOf: workspace.directory.url.appendingPathComponent(file)) == bytes)
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.directory.url.path)
        #expect(!names.contains(file + "-wal") && !names.contains(file + "-shm"), "SQLite files were created beside \(file)")
    }

    @Test func aLedgerFromANewerSchemaIsRefusedUntouched() throws {
        let workspace = try CLIWorkspace()
        try FileManager.default.copyItem(atPath: workspace.ledgerPath, toPath: workspace.directory.path("newer.sqlite"))
        _ = try Process.python("""
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1]); db.execute("PRAGMA user_version = 99"); db.commit(); db.close()
            """, arguments: [workspace.directory.path("newer.sqlite")])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: workspace.directory.path("newer.sqlite")))
        try expectRefused(workspace, ["--db", "newer.sqlite", "log"], mentions: ["newer.sqlite", "99"], ledger: "newer.sqlite")
        try expectRefused(
            workspace, ["--db", "newer.sqlite", "--key", "piaojue.sqlite.key", "collect", "submit", "--title", "x", "--category", "市政建设", "--content", "y"],
            mentions: ["newer.sqlite"], ledger: "newer.sqlite")
        try expectRefused(workspace, ["--db", "newer.sqlite", "backup", "--out", "copy.sqlite"], mentions: ["newer.sqlite"], ledger: "newer.sqlite")
        #expect(try Data(contentsOf: URL(fileURLWithPath: workspace.directory.path("newer.sqlite"))) == bytes)
    }

    @Test func aTruncatedLedgerIsRefusedAndFailsVerification() throws {
        let workspace = try CLIWorkspace()
        var roster = "id,name\n"
        for n in 1...400 { roster += "D\(n),代表\(n)\n" }
        try workspace.write("roster.csv", roster)
        try workspace.piaojue.ok(["roster", "import", "roster.csv"])
        let whole = try Data(contentsOf: URL(fileURLWithPath: workspace.ledgerPath))
        #expect(whole.count > 16_384)
        for (name, length) in [("half.sqlite", whole.count / 2), ("page.sqlite", 4096), ("header.sqlite", 60)] {
            try whole.prefix(length).write(to: workspace.directory.url.appendingPathComponent(name))
            try expectRefused(workspace, ["--db", name, "log"], mentions: [name])
            try expectRefused(workspace, ["--db", name, "--key", "piaojue.sqlite.key", "roster", "list"], mentions: [name])
            let verify = try workspace.piaojue.run(["--db", name, "audit", "verify"])
            #expect(verify.status == 1, "audit verify of \(name): \(verify.stdout)\(verify.stderr)")
            #expect(try Data(contentsOf: workspace.directory.url.appendingPathComponent(name)) == whole.prefix(length))
        }
    }

    // MARK: Output paths

    @Test func aBundleIsNeverWrittenOutsideTheGivenPlace() throws {
        let congress = try E2EScenario(seated: 6)
        let list = try congress.shortlist(seats: 1, try congress.proposals(2))
        let session = try congress.open(list: list)
        try congress.checkin(session, 1...6)
        for code in try congress.issue(session).prefix(4) { try congress.cast(session, code, approve: ["P1"]) }
        _ = try congress.close(session)
        _ = try congress.tally(session)
        let workspace = Place(congress)
        let etc = Set((try? FileManager.default.contentsOfDirectory(atPath: "/etc")) ?? [])
        try expectRefused(workspace, ["audit", "publish", session, "--out", "../../etc"], mentions: ["../../etc"])
        try expectRefused(workspace, ["audit", "publish", session, "--out", "/etc"], mentions: ["/etc"])
        try expectRefused(workspace, ["audit", "publish", session, "--out", "bundle/../../x"], mentions: ["bundle/../../x"])
        try expectRefused(workspace, ["audit", "publish", session, "--out", "deputies.csv"], mentions: ["deputies.csv"])
        #expect(Set((try? FileManager.default.contentsOfDirectory(atPath: "/etc")) ?? []) == etc)
        try expectRefused(workspace, ["backup", "--out", "deputies.csv"], mentions: ["deputies.csv"])
        try expectRefused(workspace, ["backup", "--out", "no-such-dir/copy.sqlite"], mentions: ["no-such-dir"])
        try expectRefused(workspace, ["ballot", "issue", session, "--out", "deputies.csv"], status: 2, mentions: ["deputies.csv"])
    }
}

/// A directory with a ledger and a runner in it: a ``CLIWorkspace`` or an ``E2EScenario``'s.
struct Place {
    let directory: TemporaryDirectory
    let piaojue: PiaojueBinary

    init(_ workspace: CLIWorkspace) {
        directory = workspace.directory
        piaojue = workspace.piaojue
    }

    init(_ scenario: E2EScenario) {
        directory = scenario.directory
        piaojue = scenario.binary
    }
}
