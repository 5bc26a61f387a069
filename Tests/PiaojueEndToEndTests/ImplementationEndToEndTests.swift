import Foundation
import PiaojueCrypto
import PiaojueTestSupport
import Testing

/// Stage 3 · 组织实施 through the built binary: T15 and every bad input refused with nothing
/// written, status figures on an injected day, evidence hashed, the audit still passing, and the
/// supervision report.
@Suite("Implementation end to end")
struct ImplementationEndToEndTests {
    /// A county ledger where the vote of 2025-01-15 chose P1–P4 (P5 lost) and P1 is planned on
    /// time with two milestones and reported at 40 % / 50万: built once through the binary, then
    /// copied for each test.
    final class Ledger: Sendable {
        let directory: TemporaryDirectory

        static let titles = ["社区食堂", "老旧小区改造", "乡村道路硬化", "公厕提升", "农贸市场"]

        /// The ledger files (`piaojue.sqlite`, its key …) every test starts from, built on first
        /// use in a directory that is removed at once.
        static let built: Result<(vote: [String: Data], full: [String: Data]), any Error> = Result { try build() }
        static var template: Result<[String: Data], any Error> { built.map(\.full) }
        /// The same files as they were after the vote, before P1 was planned.
        static var voteOnly: Result<[String: Data], any Error> { built.map(\.vote) }

        private static func build() throws -> (vote: [String: Data], full: [String: Data]) {
            let directory = TemporaryDirectory("piaojue-impl-template")
            let vote = PiaojueBinary(directory: directory.url, now: "2025-01-15")
            func write(_ name: String, _ text: String) throws {
                try text.write(toFile: directory.path(name), atomically: true, encoding: .utf8)
            }
            try vote.ok(["init", "--body", "某某县人民代表大会", "--level", "county"])
            let deputies = (1...5).map { "D\($0)" }
            try write("deputies.csv", "id,name\n" + deputies.map { "\($0),代表\($0)" }.joined(separator: "\n") + "\n")
            try vote.ok(["roster", "import", "deputies.csv"])
            let rows = titles.map { "\($0),市政建设,\($0)建设内容,100万,县住建局" }
            try write("proposals.csv", "title,category,content,budget,unit\n" + rows.joined(separator: "\n") + "\n")
            try vote.ok(["collect", "import", "proposals.csv"])
            for id in ["P1", "P2", "P3", "P4", "P5"] { try vote.ok(["collect", "screen", id, "--accept"]) }
            try vote.ok(["collect", "approve", "--step", "政府常务会议", "--ref", "县政府第1次常务会议"])
            try vote.ok(["collect", "approve", "--step", "党委审定", "--ref", "县委常委会〔2025〕1号"])
            try vote.ok(["collect", "shortlist", "--seats", "4", "P1", "P2", "P3", "P4", "P5"])
            try vote.ok(["ballot", "open", "--list", "L1"])
            try write("present.txt", deputies.joined(separator: "\n") + "\n")
            try vote.ok(["ballot", "checkin", "S1", "--present", "present.txt"])
            try vote.ok(["ballot", "issue", "S1", "--out", "slips.txt"])
            let codes = try CredentialCodes.read(slips: directory.path("slips.txt"))
            try write("paper.csv", "credential,approve,oppose,abstain\n" + codes.map { "\($0),P1;P2;P3;P4,," }.joined(separator: "\n") + "\n")
            try vote.ok(["ballot", "import", "S1", "paper.csv"])
            try vote.ok(["ballot", "close", "S1"])
            let chosen = try need(try vote.ok(["ballot", "tally", "S1", "--json"]).json()["chosen"] as? [String], "chosen")
            _ = try need(chosen == ["P1", "P2", "P3", "P4"] ? chosen : nil, "P1–P4 chosen (the vote chose \(chosen))")
            func files() throws -> [String: Data] {
                var files: [String: Data] = [:]
                for name in try FileManager.default.contentsOfDirectory(atPath: directory.url.path) where name.hasPrefix("piaojue.sqlite") {
                    files[name] = try Data(contentsOf: directory.url.appendingPathComponent(name))
                }
                return files
            }
            let afterVote = try files()
            try planP1(directory.url)
            return (afterVote, try files())
        }

        /// A fresh copy of the template.
        init() throws {
            directory = TemporaryDirectory("piaojue-impl")
            for (name, bytes) in try Self.template.get() {
                guard FileManager.default.createFile(atPath: directory.path(name), contents: bytes, attributes: [.posixPermissions: 0o600]) else {
                    throw CocoaError(.fileWriteUnknown)
                }
            }
        }

        /// The binary with "today" fixed.
        func on(_ day: String) -> PiaojueBinary { PiaojueBinary(directory: directory.url, now: day) }

        /// Number of ledger entries, by `piaojue log --json`.
        func entryCount() throws -> Int {
            let log = try on("2025-12-31").ok(["log", "--json"]).json()
            return try need(log["entries"] as? [Any], "entries").count
        }

        func write(_ name: String, _ text: String) throws {
            try text.write(toFile: directory.path(name), atomically: true, encoding: .utf8)
        }

        /// P1 planned on 2025-02-10 (M1 2025-06-30 主体完工, M2 2025-09-30 设备安装) and reported
        /// at 20 % / 30万 on 2025-05-20 and 40 % / 50万 on 2025-07-10: the steps dated after `after`
        /// and up to `until`.
        private static func planP1(_ directory: URL, after: String = "", until: String = "9999") throws {
            func on(_ day: String, _ arguments: [String]) throws {
                if day > after, day <= until { try PiaojueBinary(directory: directory, now: day).ok(arguments) }
            }
            try on("2025-02-10", [
                "implement", "plan", "P1", "--unit", "县民政局", "--leader", "李副县长", "--budget", "120万", "--deadline", "2025-12-31",
                "--milestone", "2025-09-30:设备安装", "--milestone", "2025-06-30:主体完工",
            ])
            try on("2025-05-20", ["implement", "progress", "P1", "--percent", "20", "--spent", "30万"])
            try on("2025-07-10", ["implement", "progress", "P1", "--percent", "40", "--spent", "50万", "--note", "主体施工中"])
        }

        /// The worked example of the domain tests, entered through the command line. Its entries
        /// come before P1's reports of the template (the ledger's time never goes back), so they are
        /// entered on a copy of the vote alone, in date order with P1's.
        func workedExample() throws {
            for (name, bytes) in try Self.voteOnly.get() {
                try bytes.write(to: directory.url.appendingPathComponent(name))
            }
            try on("2025-02-01").ok([
                "implement", "plan", "P3", "--unit", "县交通运输局", "--leader", "赵副县长", "--budget", "50万", "--deadline", "2025-11-30",
                "--milestone", "2025-05-31:招标完成",
            ])
            try Self.planP1(directory.url, until: "2025-02-10")
            try on("2025-03-01").ok([
                "implement", "plan", "P2", "--unit", "县住建局", "--leader", "王副县长", "--budget", "80万", "--deadline", "2025-06-30",
            ])
            try Self.planP1(directory.url, after: "2025-02-10", until: "2025-05-20")
            try on("2025-05-30").ok(["implement", "progress", "P3", "--percent", "10", "--reached", "M1"])
            try on("2025-06-01").ok([
                "implement", "adjust", "P3", "--kind", "暂缓", "--reason", "资金未到位", "--decision", "县人大常委会〔2025〕8号",
            ])
            try on("2025-06-20").ok(["implement", "progress", "P2", "--percent", "100", "--spent", "90万"])
            try Self.planP1(directory.url, after: "2025-05-20")
        }
    }

    // MARK: T15

    @Test("T15: terminating without the deciding body's decision exits 1 and writes nothing")
    func t15() throws {
        let ledger = try Ledger()
        let before = try ledger.entryCount()
        for kind in ["terminate", "终止", "suspend", "major-change"] {
            let refused = try ledger.on("2025-07-20").run(["implement", "adjust", "P1", "--kind", kind, "--reason", "上级政策调整"])
            #expect(refused.status == 1, "adjust --kind \(kind): \(refused.stderr)")
            #expect(refused.stderr.contains("--decision"))
            let blank = try ledger.on("2025-07-20").run(["implement", "adjust", "P1", "--kind", kind, "--reason", "x", "--decision", "  "])
            #expect(blank.status == 1)
        }
        #expect(try ledger.entryCount() == before)

        let decided = try ledger.on("2025-07-20").ok([
            "implement", "adjust", "P1", "--kind", "终止", "--reason", "上级政策调整，并入省级工程", "--decision", "县人大常委会〔2025〕12号", "--json",
        ]).json()
        #expect(decided["status"] as? String == "terminated")
        #expect(decided["decidedBy"] as? String == "人大常委会")
        #expect(try ledger.entryCount() == before + 1)

        // Terminated shows so everywhere, and takes no more progress.
        let refused = try ledger.on("2025-07-21").run(["implement", "progress", "P1", "--percent", "50"])
        #expect(refused.status == 1)
        let status = try ledger.on("2025-07-21").ok(["implement", "status", "--json"]).json()
        let p1 = try #require((status["projects"] as? [[String: Any]])?.first { $0["id"] as? String == "P1" })
        #expect(p1["status"] as? String == "terminated")
        #expect(p1["overdue"] as? Bool == false)
        #expect(try ledger.on("2025-07-21").ok(["implement", "status"]).stdout.contains("终止 terminated"))
        let csv = try ledger.on("2025-07-21").ok(["implement", "status", "--csv"]).stdout
        #expect(csv.contains("终止 terminated"))
        try ledger.on("2025-07-21").ok(["implement", "report", "--out", "report"])
        let html = try String(contentsOfFile: ledger.directory.path("report/index.html"), encoding: .utf8)
        #expect(html.contains("终止 terminated"))
        #expect(html.contains("县人大常委会〔2025〕12号"))
    }

    // MARK: Bad input

    /// One refused command: its arguments, the day, the exit status it must give.
    struct BadInput: Sendable, CustomTestStringConvertible {
        let label: String
        let arguments: [String]
        let day: String
        let status: Int32
        var testDescription: String { label }

        init(_ label: String, _ arguments: [String], on day: String = "2025-07-20", exit status: Int32) {
            self.label = label
            self.arguments = ["implement"] + arguments
            self.day = day
            self.status = status
        }

        static func plan(_ project: String, budget: String = "80万", deadline: String = "2025-12-31", _ extra: [String] = []) -> [String] {
            ["plan", project, "--unit", "县住建局", "--leader", "王副县长", "--budget", budget, "--deadline", deadline] + extra
        }

        static let all: [BadInput] = [
            BadInput("plan of a project that lost the vote", plan("P5"), exit: 1),
            BadInput("plan of an unknown project", plan("P9"), exit: 2),
            BadInput("second plan of a project", plan("P1"), exit: 1),
            BadInput("deadline before the vote", plan("P2", deadline: "2025-01-10"), exit: 2),
            BadInput("milestone before the vote", plan("P2", ["--milestone", "2025-01-01:开工"]), exit: 2),
            BadInput("milestone after the deadline", plan("P2", deadline: "2025-06-30", ["--milestone", "2025-07-31:验收"]), exit: 2),
            BadInput("malformed milestone", plan("P2", ["--milestone", "主体完工"]), exit: 2),
            BadInput("unreadable budget", plan("P2", budget: "很多"), exit: 2),
            BadInput("negative budget", plan("P2", budget: "-5万"), exit: 2),
            BadInput("multi-year plan without a yearly milestone", plan("P2", deadline: "2026-06-30"), exit: 1),
            BadInput("today before the vote", plan("P2"), on: "2025-01-10", exit: 2),
            BadInput("percent above 100", ["progress", "P1", "--percent", "101"], exit: 2),
            BadInput("percent below 0", ["progress", "P1", "--percent", "-5"], exit: 2),
            BadInput("percent not a number", ["progress", "P1", "--percent", "四十"], exit: 2),
            BadInput("lower percent without a note", ["progress", "P1", "--percent", "30"], exit: 1),
            BadInput("lower funds spent without a note", ["progress", "P1", "--percent", "45", "--spent", "40万"], exit: 1),
            BadInput("missing evidence file", ["progress", "P1", "--percent", "50", "--evidence", "不存在的照片.jpg"], exit: 2),
            BadInput("unknown milestone reached", ["progress", "P1", "--percent", "50", "--reached", "M9"], exit: 2),
            BadInput("progress of an unknown project", ["progress", "P9", "--percent", "10"], exit: 2),
            BadInput("progress before the plan", ["progress", "P2", "--percent", "10"], exit: 1),
            BadInput("adjust without a decision", ["adjust", "P1", "--kind", "暂缓", "--reason", "资金未到位"], exit: 1),
            BadInput("adjust of an unknown kind", ["adjust", "P1", "--kind", "cancel", "--reason", "x", "--decision", "y"], exit: 2),
            BadInput("adjust of an unknown project", ["adjust", "P9", "--kind", "terminate", "--reason", "x", "--decision", "y"], exit: 2),
            BadInput("resume of a project not suspended", ["adjust", "P1", "--kind", "resume", "--reason", "x", "--decision", "y"], exit: 1),
            BadInput("problem on a project not chosen", ["problem", "open", "P5", "--text", "x"], exit: 1),
            BadInput("close of an unknown problem", ["problem", "close", "Q9", "--note", "x"], exit: 2),
        ]
    }

    @Test("Each bad input gives a clear message, exit 1 or 2, and writes nothing", arguments: BadInput.all)
    func badInput(_ bad: BadInput) throws {
        let ledger = try Ledger()
        let before = try ledger.entryCount()
        let result = try ledger.on(bad.day).run(bad.arguments)
        #expect(result.status == bad.status, "\(bad.arguments.joined(separator: " ")): \(result.stderr)")
        #expect(result.stderr.hasPrefix("piaojue: ") || result.stderr.contains("Error"), "no message: \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try ledger.entryCount() == before)
    }

    // MARK: Status

    @Test("implement status --json on 2025-07-15 gives the hand-computed figures")
    func statusFigures() throws {
        let ledger = try Ledger()
        try ledger.workedExample()
        let today = ledger.on("2025-07-15")
        let status = try today.ok(["implement", "status", "--json"]).json()
        #expect(status["asOf"] as? String == "2025-07-15")
        let rows = try need(status["projects"] as? [[String: Any]], "projects")
        #expect(rows.compactMap { $0["id"] as? String } == ["P1", "P2", "P3", "P4"])
        func row(_ id: String) throws -> [String: Any] { try need(rows.first { $0["id"] as? String == id }, id) }

        // P1: 40 %, 50万 of 120万 = 41.6 %; 169 days to 2025-12-31; M1 (06-30) missed 15 days ago.
        let p1 = try row("P1")
        #expect(p1["status"] as? String == "in-progress")
        #expect(p1["percent"] as? Int == 40)
        #expect(p1["spent"] as? Int == 500_000)
        #expect(p1["budget"] as? Int == 1_200_000)
        #expect(p1["spentPercent"] as? Double == 41.6)
        #expect(p1["overdue"] as? Bool == true)
        #expect(p1["overdueReasons"] as? [String] == ["milestone:M1"])
        #expect(p1["daysLeft"] as? Int == 169)
        #expect(p1["unit"] as? String == "县民政局")
        let next = try need(p1["nextMilestone"] as? [String: Any], "next milestone")
        #expect(next["id"] as? String == "M1")
        #expect(next["date"] as? String == "2025-06-30")
        #expect(next["daysLeft"] as? Int == -15)
        #expect(p1["planLate"] as? Bool == false)

        // P2: completed, 90万 of 80万 = 112.5 %, over budget, plan 15 days late.
        let p2 = try row("P2")
        #expect(p2["status"] as? String == "completed")
        #expect(p2["percent"] as? Int == 100)
        #expect(p2["spent"] as? Int == 900_000)
        #expect(p2["budget"] as? Int == 800_000)
        #expect(p2["spentPercent"] as? Double == 112.5)
        #expect(p2["overBudget"] as? Bool == true)
        #expect(p2["overdue"] as? Bool == false)
        #expect(p2["planLate"] as? Bool == true)

        // P3: suspended by decision; P4: no plan, overdue since 2025-02-14.
        let p3 = try row("P3")
        #expect(p3["status"] as? String == "suspended")
        #expect(p3["percent"] as? Int == 10)
        #expect(p3["overdue"] as? Bool == false)
        let p4 = try row("P4")
        #expect(p4["status"] as? String == "unplanned")
        #expect(p4["overdue"] as? Bool == true)
        #expect(p4["overdueReasons"] as? [String] == ["plan"])
        #expect(p4["budget"] is NSNull)

        // --overdue filters; --csv is a BOM-prefixed sheet with one row per project.
        let overdue = try today.ok(["implement", "status", "--overdue", "--json"]).json()
        #expect((overdue["projects"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["P1", "P4"])
        let csv = try today.ok(["implement", "status", "--csv"]).stdout
        #expect(csv.hasPrefix("\u{FEFF}"))
        let lines = csv.split(whereSeparator: \.isNewline)
        #expect(lines.count == 5)
        #expect(lines.dropFirst().first?.hasPrefix("P1,社区食堂,实施中 in-progress,县民政局,李副县长,40,500000,1200000,41.6,") == true)
        let text = try today.ok(["implement", "status"]).stdout
        #expect(text.contains("超出计划投资"))
        #expect(text.contains("暂缓 suspended"))
        #expect(try ledger.on("2025-07-15").run(["implement", "status", "--csv", "--json"]).status == 2)
    }

    @Test("Spending above the budget is recorded, with a warning")
    func overBudgetWarning() throws {
        let ledger = try Ledger()
        let before = try ledger.entryCount()
        let json = try ledger.on("2025-08-01").ok(["implement", "progress", "P1", "--percent", "60", "--spent", "130万", "--json"]).json()
        #expect(json["overBudget"] as? Bool == true)
        #expect((json["warnings"] as? [String])?.first?.contains("超出") == true)
        let text = try ledger.on("2025-08-02").ok(["implement", "progress", "P1", "--percent", "70", "--spent", "135万"]).stdout
        #expect(text.contains("注意 Warning"))
        #expect(try ledger.entryCount() == before + 2)
    }

    // MARK: Evidence, problems, audit

    @Test("Evidence files go into the ledger by name and SHA-256, never their content")
    func evidenceHashed() throws {
        let ledger = try Ledger()
        let content = "竣工验收报告 secret-acceptance-content-4711"
        try ledger.write("验收报告.pdf", content)
        try ledger.write("photo.jpg", "jpeg bytes")
        let result = try ledger.on("2025-08-01").ok([
            "implement", "progress", "P1", "--percent", "60", "--evidence", "验收报告.pdf", "--evidence", "photo.jpg", "--json",
        ]).json()
        let expected = Encoding.hex(SHA256.hash(Array(content.utf8)))
        let evidence = try need(result["evidence"] as? [[String: Any]], "evidence")
        #expect(evidence.first?["name"] as? String == "验收报告.pdf")
        #expect(evidence.first?["sha256"] as? String == expected)
        let log = try ledger.on("2025-08-01").ok(["log", "--kind", "implement.progress", "--json"]).json()
        let last = try need((log["entries"] as? [[String: Any]])?.last, "last progress entry")
        let payload = try need(last["payload"] as? [String: Any], "payload")
        let files = try need(payload["evidence"] as? [[String: Any]], "payload evidence")
        #expect(files.map { $0["name"] as? String } == ["验收报告.pdf", "photo.jpg"])
        #expect(files.first?["sha256"] as? String == expected)
        #expect(files.first?["bytes"] as? Int == Array(content.utf8).count)
        let database = try Data(contentsOf: ledger.directory.url.appendingPathComponent("piaojue.sqlite"))
        #expect(database.range(of: Data("secret-acceptance-content-4711".utf8)) == nil)
    }

    @Test("Problem items: open, assign, close, list")
    func problems() throws {
        let ledger = try Ledger()
        let opened = try ledger.on("2025-07-11").ok(["implement", "problem", "open", "P1", "--text", "施工围挡占用人行道", "--json"]).json()
        #expect(opened["id"] as? String == "Q1")
        try ledger.on("2025-07-12").ok(["implement", "problem", "assign", "Q1", "--unit", "县住建局"])
        let listed = try ledger.on("2025-07-13").ok(["implement", "problem", "list", "--open", "--json"]).json()
        let items = try need(listed["problems"] as? [[String: Any]], "problems")
        #expect(items.count == 1)
        #expect(items.first?["unit"] as? String == "县住建局")
        let status = try ledger.on("2025-07-13").ok(["implement", "status", "--json"]).json()
        #expect((status["projects"] as? [[String: Any]])?.first?["openProblems"] as? Int == 1)
        let closed = try ledger.on("2025-07-15").ok(["implement", "problem", "close", "Q1", "--note", "已调整围挡", "--json"]).json()
        #expect(closed["status"] as? String == "closed")
        #expect(try ledger.on("2025-07-16").run(["implement", "problem", "close", "Q1", "--note", "again"]).status == 1)
        let open = try ledger.on("2025-07-16").ok(["implement", "problem", "list", "--open", "--json"]).json()
        #expect((open["problems"] as? [Any])?.isEmpty == true)
    }

    @Test("audit verify passes with implementation entries in the ledger")
    func auditVerifies() throws {
        let ledger = try Ledger()
        try ledger.workedExample()
        try ledger.on("2025-07-16").ok(["implement", "problem", "open", "P1", "--text", "资金拨付滞后", "--unit", "县财政局"])
        try ledger.write("photo.jpg", "jpeg")
        try ledger.on("2025-07-20").ok(["implement", "progress", "P1", "--percent", "55", "--evidence", "photo.jpg", "--reached", "M1"])
        let implementation = try ledger.on("2025-07-20").ok(["log", "--kind", "implement", "--json"]).json()
        let kinds = Set(try need(implementation["entries"] as? [[String: Any]], "entries").compactMap { $0["kind"] as? String })
        #expect(kinds == ["implement.plan", "implement.progress", "implement.adjust", "implement.problem"])
        let verify = try ledger.on("2025-07-20").run(["audit", "verify", "--json"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(try verify.json()["ok"] as? Bool == true)
    }

    // MARK: Report

    @Test("implement report writes one self-contained HTML page with every project, overdue first")
    func report() throws {
        let ledger = try Ledger()
        try ledger.workedExample()
        let today = ledger.on("2025-07-15")
        let result = try today.ok(["implement", "report", "--out", "年中问进度", "--json"]).json()
        #expect(result["projects"] as? Int == 4)
        #expect(result["overdue"] as? Int == 2)
        let files = try FileManager.default.contentsOfDirectory(atPath: ledger.directory.path("年中问进度"))
        #expect(files == ["index.html"])
        let html = try String(contentsOfFile: ledger.directory.path("年中问进度/index.html"), encoding: .utf8)
        for (id, title) in zip(["P1", "P2", "P3", "P4"], Ledger.titles) {
            #expect(html.contains(">\(id)</span> \(title)"), "\(id) \(title) missing")
        }
        #expect(!html.contains("农贸市场"))
        // Overdue (P1, P4) before the rest (P2, P3).
        func position(_ id: String) throws -> String.Index {
            try need(html.range(of: "<span class=\"id\">\(id)</span>")?.lowerBound, id)
        }
        #expect(try position("P1") < position("P4"))
        #expect(try position("P4") < position("P2"))
        #expect(try position("P2") < position("P3"))
        // Self-contained: inline CSS, no script, no link to anything outside.
        #expect(html.contains("<style>"))
        #expect(html.contains("@media print"))
        for outside in ["<script", "<link", "http://", "https://", "src="] { #expect(!html.contains(outside), "\(outside)") }
        #expect(html.contains("class=\"fill\" style=\"width: 40%\""))
        #expect(html.contains("超出计划投资 over budget"))
        #expect(html.contains("暂缓 suspended"))
        #expect(html.contains("数据截至 <strong>2025-07-15</strong>"))
        // A directory that is not empty is refused, and nothing is overwritten.
        let again = try today.run(["implement", "report", "--out", "年中问进度"])
        #expect(again.status == 2)
        #expect(try String(contentsOfFile: ledger.directory.path("年中问进度/index.html"), encoding: .utf8) == html)
    }

    // MARK: Help

    @Test(
        "Every implement subcommand shows an example",
        arguments: [
            ["plan"], ["progress"], ["problem"], ["problem", "open"], ["problem", "assign"], ["problem", "close"], ["problem", "list"],
            ["adjust"], ["status"], ["report"],
        ])
    func helpHasExample(_ path: [String]) throws {
        let directory = TemporaryDirectory("piaojue-impl-help")
        let help = try PiaojueBinary(directory: directory.url).ok(["implement"] + path + ["--help"]).stdout
        #expect(help.contains("Example:"))
        #expect(help.contains("piaojue implement \(path.joined(separator: " "))"))
    }
}
