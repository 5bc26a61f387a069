import Foundation
import PiaojueTestSupport
import Testing

/// The live ledger's defences against bad input, through the binary as a clerk meets them (issue
/// 15): look-alike and invisible ids, control characters in text, a file in the wrong encoding, a
/// clock set back, markup in a report, output paths that are links, negative numbers, check-in
/// lists in odd encodings or far too large, a code typed where it does not belong, a code read from
/// standard input. Every refusal exits 2 with a stable code and writes nothing.
@Suite struct InputDefenceEndToEndTests {
    /// The refusal checks of the bad-input corpus: status, one bilingual line, the code with
    /// `--json`, the ledger and the directory unchanged.
    let corpus = BadInputCorpusTests()

    /// A roster of deputies D001…D030 and one more line holding `id`.
    static func roster(adding id: String) -> String {
        var csv = "id,name\n"
        for n in 1...30 { csv += "\(E2EScenario.deputy(n)),代表\(n)\n" }
        return csv + "\(id),另一位代表\n"
    }

    // MARK: Ids

    @Test(arguments: [
        ("Ｄ００２", "roster.look-alike-id", "D002"), ("d002", "roster.look-alike-id", "D002"), ("ｄ００２", "roster.look-alike-id", "D002"),
        ("D002\u{200B}", "roster.invisible-in-id", "U+200B"), ("\u{FEFF}D031", "roster.invisible-in-id", "U+FEFF"),
        ("D0\u{00AD}31", "roster.invisible-in-id", "U+00AD"), ("D031\u{202E}", "roster.invisible-in-id", "U+202E"),
    ])
    func aRosterWithALookAlikeOrAnInvisibleIDIsRefused(_ id: String, _ code: String, _ named: String) throws {
        let workspace = try CLIWorkspace()
        try workspace.write("deputies.csv", Self.roster(adding: id))
        // Line 32: the header is line 1, D001…D030 lines 2–31.
        let message = try corpus.expectRefused(workspace, ["roster", "import", "deputies.csv"], mentions: ["deputies.csv", "第 32 行", named], code: code)
        #expect(!message.unicodeScalars.contains { $0.value == 0x200B || $0.value == 0xFEFF || $0.value == 0xAD || $0.value == 0x202E })
        // Without the extra line the roster is the 30 it should be.
        try workspace.write("clean.csv", Self.roster(adding: "D031").split(separator: "\n").dropLast().joined(separator: "\n") + "\n")
        let imported = try workspace.piaojue.ok(["roster", "import", "clean.csv", "--json"]).json()
        #expect(imported["seated"] as? Int == 30)
    }

    @Test func checkInIdsAreNormalisedAndAHiddenOrLookAlikeIdIsRefused() throws {
        let congress = try E2EScenario(seated: 6)
        let session = try congress.open(list: try congress.shortlist(seats: 1, try congress.proposals(2)))
        let workspace = Place(congress)
        try corpus.expectRefused(workspace, ["ballot", "checkin", session, "--deputy", "D001", "D002\u{200B}"], mentions: ["U+200B"], code: "input.invisible-in-id")
        try congress.write("present.txt", "D001\nD0\u{2060}02\n")
        try corpus.expectRefused(workspace, ["ballot", "checkin", session, "--present", "present.txt"], mentions: ["present.txt", "第 2 行", "U+2060"], code: "input.invisible-in-id")
        try corpus.expectRefused(workspace, ["ballot", "checkin", session, "--deputy", "d001"], mentions: ["d001", "D001"], code: "ballot.look-alike-on-roster")
        // Full-width ids typed on a Chinese keyboard are the ids themselves, and are stored so.
        let checked = try congress.json(["ballot", "checkin", "Ｓ１", "--deputy", "Ｄ００１，Ｄ００２", "D003"])
        #expect(checked["present"] as? Int == 3)
        let log = try congress.json(["log", "--kind", "session.checkin"])
        let entries = try need(log["entries"] as? [[String: Any]], "entries")
        let payload = try need(entries.last?["payload"] as? [String: Any], "payload")
        #expect(payload["deputies"] as? [String] == ["D001", "D002", "D003"])
    }

    // MARK: Free text

    @Test(arguments: [
        ("路灯\u{1B}[31m改造\u{1B}[0m", "input.control-character", "U+001B"), ("路灯\r改造", "input.bare-carriage-return", "U+000D"),
        ("路灯\n改造", "input.line-break", "换行"), ("路灯\u{9B}2J改造", "input.control-character", "U+009B"), ("路灯\u{7F}", "input.control-character", "U+007F"),
    ])
    func aTitleWithAControlCharacterIsRefused(_ title: String, _ code: String, _ named: String) throws {
        let workspace = try CLIWorkspace()
        let message = try corpus.expectRefused(
            workspace, ["collect", "submit", "--title", title, "--category", "市政建设", "--content", "安装"], mentions: ["项目名称", named], code: code)
        #expect(!message.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x0D || $0.value == 0x9B || $0.value == 0x7F })
        // The same title in a spreadsheet is refused naming its line.
        try workspace.write("p.csv", "项目名称,类别,建设内容\n路灯,市政建设,安装\n\"\(title)\",市政建设,安装\n")
        // (A CR inside a cell reads as a line end, as Excel's exports mean it: a line break then.)
        let lineEnd = title.contains("\r") || title.contains("\n")
        try corpus.expectRefused(workspace, ["collect", "import", "p.csv"], mentions: ["p.csv", "第 3 行"], code: lineEnd ? "input.line-break" : code)
    }

    @Test func collectListNeverPrintsAControlSequence() throws {
        let workspace = try CLIWorkspace()
        for title in ["路灯\u{1B}]0;owned\u{7}", "路灯\r改写", "路灯\u{1B}[2J"] {
            _ = try workspace.piaojue.run(["collect", "submit", "--title", title, "--category", "市政建设", "--content", "安装"])
        }
        try workspace.piaojue.ok(["collect", "submit", "--title", "路灯改造", "--category", "市政建设", "--content", "第一行\r\n第二行"])
        let list = try workspace.piaojue.ok(["collect", "list"])
        #expect(!list.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x0D || $0.value == 0x07 })
        #expect(list.stdout.contains("P1\t") && !list.stdout.contains("P2\t"))
        let entries = try workspace.log()
        #expect(entries.filter { $0.kind == "collect.submit" }.count == 1)
        #expect((entries.last?.payload["proposal"] as? [String: Any])?["content"] as? String == "第一行\n第二行")
    }

    @Test func controlCharactersInOtherFieldsAreRefused() throws {
        let congress = try E2EScenario(seated: 6)
        let workspace = Place(congress)
        try corpus.expectRefused(workspace, ["collect", "approve", "--step", "政府常务会议", "--ref", "纪要\u{1B}[8m"], mentions: ["会议文号"], code: "input.control-character")
        let ids = try congress.proposals(2)
        try corpus.expectRefused(workspace, ["collect", "screen", ids[0], "--reject", "1", "--note", "仅\u{85}一户"], mentions: ["说明"], code: "input.control-character")
        let list = try congress.shortlist(seats: 1, ids)
        try corpus.expectRefused(workspace, ["ballot", "open", "--list", list, "--scrutineer", "张\u{1B}[1m"], mentions: ["监票人"], code: "input.control-character")
        try congress.write("raters.csv", "id,name\nD001,王\u{1B}[5m芳\n")
        try corpus.expectRefused(workspace, ["roster", "import", "raters.csv"], mentions: ["raters.csv", "第 2 行", "姓名"], code: "input.control-character")
        try congress.write("bad.toml", #"name = "办法\u001B[31m""# + "\n")
        try corpus.expectRefused(workspace, ["collect", "submit", "--rules", "bad.toml", "--title", "路灯", "--category", "市政建设", "--content", "安装"], mentions: ["bad.toml", "name"], code: "rules.invalid-value")
    }

    // MARK: Encodings

    @Test func aUTF8FileDeclaredGB18030IsRefusedWithAHint() throws {
        let workspace = try CLIWorkspace()
        try workspace.write("p.csv", "项目名称,类别,建设内容\n城东路灯改造,市政建设,安装路灯\n")
        try corpus.expectRefused(workspace, ["collect", "import", "p.csv", "--encoding", "gb18030"], mentions: ["p.csv", "--encoding gb18030"], code: "file.declared-gb18030-but-utf8")
        try workspace.write("r.csv", "编号,姓名\nD001,王芳\n")
        try corpus.expectRefused(workspace, ["roster", "import", "r.csv", "--encoding", "gbk"], mentions: ["r.csv", "--encoding gb18030"], code: "file.declared-gb18030-but-utf8")
        // Without the option both import.
        try workspace.piaojue.ok(["collect", "import", "p.csv"])
        try workspace.piaojue.ok(["roster", "import", "r.csv"])
    }

    @Test func presentFilesWithCROnlyLineEndsOrAByteOrderMarkCheckInAndUTF16IsRefused() throws {
        let congress = try E2EScenario(seated: 8)
        let session = try congress.open(list: try congress.shortlist(seats: 1, try congress.proposals(2)))
        let workspace = Place(congress)
        try Data("D001\rD002\r".utf8).write(to: congress.directory.url.appendingPathComponent("mac.txt"))
        #expect(try congress.json(["ballot", "checkin", session, "--present", "mac.txt"])["present"] as? Int == 2)
        try Data([0xEF, 0xBB, 0xBF] + Array("D003\r\nD004\r\n".utf8)).write(to: congress.directory.url.appendingPathComponent("bom.txt"))
        #expect(try congress.json(["ballot", "checkin", session, "--present", "bom.txt"])["present"] as? Int == 4)
        for (name, bytes) in [
            ("utf16.txt", [UInt8]([0xFF, 0xFE]) + Array("D005\r\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
            ("utf16be.txt", Array("D005\nD006\n".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }),
        ] {
            try Data(bytes).write(to: congress.directory.url.appendingPathComponent(name))
            try corpus.expectRefused(workspace, ["ballot", "checkin", session, "--present", name], mentions: [name, "UTF-16", "UTF-8"], code: "file.utf16")
        }
        // A list saved by Chinese Windows Notepad as ANSI (GB18030): how to save it, not a spreadsheet option.
        try Data([0x23, 0xC7, 0xA9, 0xB5, 0xBD, 0x0A] + Array("D005\n".utf8)).write(to: congress.directory.url.appendingPathComponent("ansi.txt"))
        let message = try corpus.expectRefused(workspace, ["ballot", "checkin", session, "--present", "ansi.txt"], mentions: ["ansi.txt", "UTF-8"], code: "file.list-not-utf8")
        #expect(!message.contains("--encoding"))
    }

    // MARK: Sizes

    @Test func filesOverTheirLimitAreRefusedBeforeTheyAreRead() throws {
        let congress = try E2EScenario(seated: 6)
        let session = try congress.open(list: try congress.shortlist(seats: 1, try congress.proposals(2)))
        let workspace = Place(congress)
        func sparse(_ name: String, _ size: Int, head: String) throws {
            let url = congress.directory.url.appendingPathComponent(name)
            try Data(head.utf8).write(to: url)
            let handle = try FileHandle(forWritingTo: url)
            try handle.truncate(atOffset: UInt64(size))
            try handle.close()
        }
        let listLimit = 16 * 1024 * 1024
        try sparse("present.txt", listLimit + 1, head: "D001\n")
        try corpus.expectRefused(workspace, ["ballot", "checkin", session, "--present", "present.txt"], mentions: ["present.txt", String(listLimit + 1), String(listLimit)], code: "file.too-large")
        try sparse("roster.csv", listLimit + 1, head: "id,name\nD001,王芳\n")
        try corpus.expectRefused(workspace, ["roster", "import", "roster.csv"], mentions: ["roster.csv", String(listLimit)], code: "file.too-large")
        try sparse("rules.toml", 1024 * 1024 + 1, head: "name = \"x\"\n")
        try corpus.expectRefused(workspace, ["collect", "submit", "--rules", "rules.toml", "--title", "路灯", "--category", "市政建设", "--content", "安装"], mentions: ["rules.toml"], code: "rules.too-large")
        // Just at the limit the list is read (and refused for what it holds, not for its size).
        try sparse("at-limit.txt", listLimit, head: "D001\n")
        let atLimit = try congress.run(["ballot", "checkin", session, "--present", "at-limit.txt", "--json"])
        #expect(atLimit.status == 2 && !atLimit.stderr.contains("file.too-large"), "\(atLimit.stderr)")
    }

    // MARK: The clock

    @Test func aClockEarlierThanTheLastEntryIsRefusedNamingBothDates() throws {
        let workspace = try CLIWorkspace()
        try workspace.piaojue.ok(["collect", "submit", "--title", "路灯", "--category", "市政建设", "--content", "安装"])
        let before = try workspace.entryCount()
        var earlier = workspace.piaojue
        earlier.environment["PIAOJUE_NOW"] = "2025-02-01"
        let refused = try earlier.run(["collect", "submit", "--title", "水管", "--category", "市政建设", "--content", "更换", "--json"])
        #expect(refused.status == 2)
        let error = try need((try JSONSerialization.jsonObject(with: Data(refused.stderr.utf8)) as? [String: Any])?["error"] as? [String: Any], "error")
        #expect(error["code"] as? String == "setup.now-before-last-entry")
        let message = try need(error["message"] as? String, "message")
        #expect(message.contains("2025-02-01") && message.contains("2025-03-01"))
        #expect(try workspace.entryCount() == before)
    }

    // MARK: Reports and output paths

    @Test func reportMarkdownKeepsATitleHoldingMarkupAsText() throws {
        let congress = try E2EScenario(seated: 6)
        try congress.write("p.csv", "项目名称,类别,建设内容\n\"<script>alert(1)</script>路灯\",市政建设,安装\n\"水管|更换\\旧管\",市政建设,更换\n")
        let ids = try need(try congress.json(["collect", "import", "p.csv"])["ids"] as? [String], "ids")
        for id in ids { try congress.ok(["collect", "screen", id, "--accept"]) }
        let session = try congress.open(list: try congress.shortlist(seats: 1, ids))
        try congress.checkin(session, 1...6)
        for code in try congress.issue(session).prefix(5) { try congress.cast(session, code, approve: ["P1"]) }
        _ = try congress.close(session)
        _ = try congress.tally(session)
        try congress.ok(["audit", "publish", session, "--out", "bundle"])
        let markdown = try String(contentsOf: congress.directory.url.appendingPathComponent("bundle/report.md"), encoding: .utf8)
        #expect(markdown.contains("\\<script\\>alert(1)\\</script\\>路灯"))
        #expect(markdown.contains("水管\\|更换\\\\旧管"))
        let prose = markdown.components(separatedBy: "```")[0]
        #expect(!prose.contains("<script>") && !prose.contains("</script>"))
        let html = try String(contentsOf: congress.directory.url.appendingPathComponent("bundle/report.html"), encoding: .utf8)
        #expect(!html.contains("<script>alert") && html.contains("&lt;script&gt;"))
        #expect(try congress.run(["audit", "verify", "bundle"]).status == 0)
    }

    @Test func implementReportRefusesALinkForItsDirectory() throws {
        let workspace = try CLIWorkspace()
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: workspace.directory.path("elsewhere"), withIntermediateDirectories: false)
        try fileManager.createSymbolicLink(atPath: workspace.directory.path("linked"), withDestinationPath: "elsewhere")
        try fileManager.createSymbolicLink(atPath: workspace.directory.path("dangling"), withDestinationPath: "nowhere")
        try corpus.expectRefused(Place(workspace), ["implement", "report", "--out", "linked"], mentions: ["linked"], code: "file.not-a-directory")
        try corpus.expectRefused(Place(workspace), ["implement", "report", "--out", "dangling"], mentions: ["dangling"], code: "file.not-a-directory")
        #expect(try fileManager.contentsOfDirectory(atPath: workspace.directory.path("elsewhere")).isEmpty)
        #expect(!fileManager.fileExists(atPath: workspace.directory.path("nowhere")))
    }

    @Test func issuingToADanglingLinkExits2AndWritesNothing() throws {
        let congress = try E2EScenario(seated: 6)
        let session = try congress.open(list: try congress.shortlist(seats: 1, try congress.proposals(2)))
        try congress.checkin(session, 1...6)
        try FileManager.default.createSymbolicLink(atPath: congress.path("slips.txt"), withDestinationPath: "printed/slips.txt")
        try corpus.expectRefused(Place(congress), ["ballot", "issue", session, "--out", "slips.txt"], mentions: ["slips.txt"], code: "file.output-is-symlink")
        #expect(!FileManager.default.fileExists(atPath: congress.path("printed")))
        // The session can still vote: the codes are printed at the next, correct, issue.
        let codes = try congress.issue(session)
        #expect(codes.count == 6)
        try congress.cast(session, codes[0], approve: ["P1"])
    }

    // MARK: Numbers

    @Test(arguments: [
        (["collect", "submit", "--title", "路灯", "--category", "市政建设", "--content", "安装", "--budget", "-5万"], "input.amount"),
        (["implement", "plan", "P1", "--unit", "县住建局", "--leader", "李副县长", "--budget", "-5万", "--deadline", "2025-12-31"], "input.amount"),
        (["implement", "progress", "P1", "--percent", "10", "--spent", "-5万"], "input.amount"),
        (["implement", "adjust", "P1", "--kind", "terminate", "--reason", "政策调整", "--budget", "-120万元"], "input.amount"),
        (["collect", "shortlist", "--seats", "-1", "P1", "P2"], "collect.seats"),
        (["log", "--limit", "-1"], "usage.limit"),
        (["evaluate", "open", "--year", "-2024"], "usage.year"),
    ])
    func aNegativeNumberIsRefusedForWhatItIs(_ arguments: [String], _ code: String) throws {
        let workspace = try CLIWorkspace()
        let message = try corpus.expectRefused(workspace, arguments, code: code)
        #expect(!message.contains("Missing value"))
        if code == "input.amount" { #expect(message.contains("金额不能为负") && message.contains("negative")) }
    }

    @Test func aNegativeReturnedCountIsNotAMissingValue() throws {
        let (congress, session, codes) = try E2EScenario.issuedSession(seated: 6)
        try congress.cast(session, codes[0], approve: ["P1"])
        let message = try corpus.expectRefused(Place(congress), ["ballot", "close", session, "--returned", "-1"], code: "ballot.negative-returned")
        #expect(!message.contains("Missing value"))
    }

    // MARK: Codes

    /// Every stretch of 8 characters of `code`, in the spellings a code is typed in.
    static func pieces(of code: String) -> Set<String> {
        var pieces: Set<String> = []
        for spelling in [code, code.replacingOccurrences(of: "-", with: ""), code.lowercased()] {
            let characters = Array(spelling)
            guard characters.count >= 8 else { continue }
            for start in 0...(characters.count - 8) { pieces.insert(String(characters[start..<(start + 8)])) }
        }
        return pieces
    }

    @Test func aCodeTypedIntoTheWrongPlaceIsNeverShown() throws {
        let (congress, session, codes) = try E2EScenario.issuedSession(seated: 8)
        let secret = codes[1]
        let half = String(secret.prefix(29))
        let pieces = Self.pieces(of: secret)
        var attempts: [[String]] = []
        for typed in [secret, half, secret.replacingOccurrences(of: "-", with: "")] {
            attempts += [
                ["ballot", "cast", session, "--credential", codes[0], "--approve", typed],
                ["ballot", "cast", session, "--credential", codes[0], "--oppose", "P1," + typed],
                ["ballot", "cast", session, "--credential", codes[0], "--abstain", typed + "\u{200B}"],
                ["ballot", "cast", typed, "--credential", codes[0], "--approve", "P1"],
                ["ballot", "cast", session, "--credential", codes[0], "--approve", "P1", "--proof-out", "missing/" + typed],
                ["evaluate", "cast", "R1", "--credential", codes[0], "--rate", typed + "=满意"],
            ]
        }
        attempts.append(["ballot", "cast", session, "--credential", half, "--approve", "P1"])
        let before = try congress.entryCount()
        for arguments in attempts {
            for json in [false, true] {
                let result = try congress.run(arguments + (json ? ["--json"] : []))
                #expect(result.status != 0, "\(arguments): accepted")
                let shown = result.stdout + result.stderr
                let leaked = pieces.filter { shown.contains($0) }
                #expect(leaked.isEmpty, "\(arguments.prefix(3)) showed \(leaked.count) pieces of the code: \(shown)")
            }
        }
        #expect(try congress.entryCount() == before)
        // The code itself still works: nothing above used it.
        try congress.cast(session, secret, approve: ["P1"])
    }

    @Test func aCastWithoutCredentialReadsTheCodeFromStandardInput() throws {
        let (congress, session, codes) = try E2EScenario.issuedSession(seated: 6)
        let before = try congress.entryCount()
        let cast = try congress.binary.run(["ballot", "cast", session, "--approve", "P1", "--json"], input: codes[2] + "\n")
        #expect(cast.status == 0, "\(cast.stderr)")
        let receipt = try need(try cast.json()["receipt"] as? String, "receipt")
        #expect(receipt.count == 64)
        #expect(try congress.entryCount() > before)
        for piece in Self.pieces(of: codes[2]) { #expect(!cast.stdout.contains(piece) && !cast.stderr.contains(piece)) }
        // The same code again is refused as used; no code at all is bad input.
        let again = try congress.binary.run(["ballot", "cast", session, "--approve", "P2"], input: codes[2] + "\n")
        #expect(again.status == 1, "\(again.stderr)")
        let none = try congress.binary.run(["ballot", "cast", session, "--approve", "P2", "--json"], input: "")
        #expect(none.status == 2)
        #expect(none.stderr.contains("usage.no-credential"))
    }
}
