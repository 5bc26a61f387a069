import Foundation
import PiaojueCrypto
import PiaojueTestSupport
import Testing

/// Stage 4 · 监督评议 through the built binary: rating sessions on the shared anonymous-credential
/// machinery, T16–T18 with every rater casting, rectification and 再测评, and rating secrecy.
@Suite("Evaluation end to end")
struct EvaluationEndToEndTests {
    /// A county ledger taken through stages 1–2 in January 2024: deputies seated, projects chosen
    /// by a vote (entered as paper ballots, every deputy approving the first `seats` candidates).
    final class Hall: Sendable {
        let directory: TemporaryDirectory
        let deputies: [String]
        /// Every candidate of the vote, and those it chose.
        let candidates: [String]
        let chosen: [String]
        let voteSession: String
        /// The binary as run during the vote (2024) and during the year-end rating (2025).
        let vote: PiaojueBinary
        let rate: PiaojueBinary

        init(deputies count: Int, projects titles: [String], seats: Int) throws {
            let directory = TemporaryDirectory("piaojue-eval")
            let vote = PiaojueBinary(directory: directory.url, now: "2024-01-20T02:00:00Z")
            let deputies = (1...count).map { String(format: "DEP-%03d", $0) }
            func write(_ name: String, _ text: String) throws {
                try text.write(toFile: directory.path(name), atomically: true, encoding: .utf8)
            }
            try vote.ok(["init", "--body", "某某县人民代表大会", "--level", "county"])
            try write("deputies.csv", "id,name\n" + deputies.map { "\($0),代表\($0.suffix(3))" }.joined(separator: "\n") + "\n")
            try vote.ok(["roster", "import", "deputies.csv"])
            var ids: [String] = []
            for (n, title) in titles.enumerated() {
                let submitted = try vote.ok([
                    "collect", "submit", "--title", title, "--category", "市政建设", "--content", "第\(n + 1)项建设内容：\(title)", "--json",
                ]).json()
                ids.append(try need(submitted["id"] as? String, "proposal id"))
            }
            for id in ids { try vote.ok(["collect", "screen", id, "--accept"]) }
            try vote.ok(["collect", "approve", "--step", "政府常务会议", "--ref", "A"])
            try vote.ok(["collect", "approve", "--step", "党委审定", "--ref", "B"])
            let list = try need(try vote.ok(["collect", "shortlist", "--seats", "\(seats)"] + ids + ["--json"]).json()["list"] as? String, "list")
            let session = try need(try vote.ok(["ballot", "open", "--list", list, "--json"]).json()["session"] as? String, "session")
            try write("vote-present.txt", deputies.joined(separator: "\n") + "\n")
            try vote.ok(["ballot", "checkin", session, "--present", "vote-present.txt"])
            let handedOut = try need(try vote.ok(["ballot", "issue", session, "--out", "vote-slips.txt", "--json"]).json()["count"] as? Int, "count")
            let codes = Array(try Self.codes(directory.path("vote-slips.txt")).prefix(handedOut))
            let approve = ids.prefix(seats).joined(separator: ";")
            try write("vote-paper.csv", "credential,approve,oppose,abstain\n" + codes.map { "\($0),\(approve),," }.joined(separator: "\n") + "\n")
            try vote.ok(["ballot", "import", session, "vote-paper.csv"])
            try vote.ok(["ballot", "close", session])
            let tally = try vote.ok(["ballot", "tally", session, "--json"]).json()
            self.chosen = try need(tally["chosen"] as? [String], "chosen")
            self.directory = directory
            self.vote = vote
            self.rate = PiaojueBinary(directory: directory.url, now: "2025-01-15T02:00:00Z")
            self.deputies = deputies
            self.candidates = ids
            self.voteSession = session
        }

        func write(_ name: String, _ text: String) throws {
            try text.write(toFile: directory.path(name), atomically: true, encoding: .utf8)
        }

        /// The credential codes of a slips file: its lines that are not comments.
        static func codes(_ path: String) throws -> [String] { try CredentialCodes.read(slips: path) }

        /// Checks in `raters`, issues their credentials and returns the codes.
        func issue(_ session: String, raters: [String], using binary: PiaojueBinary? = nil) throws -> [String] {
            let rate = binary ?? self.rate
            let present = "\(session)-present.txt"
            try write(present, raters.joined(separator: "\n") + "\n")
            let checkin = try rate.ok(["evaluate", "checkin", session, "--present", present, "--json"]).json()
            #expect(checkin["present"] as? Int == raters.count)
            #expect(checkin["quorum"] as? Bool == true)
            let issued = try rate.ok(["evaluate", "issue", session, "--out", "\(session)-slips.txt", "--json"]).json()
            #expect(issued["issued"] as? Int == raters.count)
            // One code is printed for every rater entitled; those present are handed the first ones.
            return Array(try Self.codes(directory.path("\(session)-slips.txt")).prefix(raters.count))
        }

        /// One electronic rating ballot: `--rate PROJECT=GRADE` for each pair.
        @discardableResult
        func cast(_ session: String, code: String, _ rates: [(String, String)], using binary: PiaojueBinary? = nil) throws -> [String: Any] {
            try (binary ?? rate).ok(["evaluate", "cast", session, "--credential", code] + rates.flatMap { ["--rate", "\($0)=\($1)"] } + ["--json"]).json()
        }

        /// Closes and tallies; returns the `--json` object.
        func closeAndTally(_ session: String) throws -> [String: Any] {
            try rate.ok(["evaluate", "close", session])
            return try rate.ok(["evaluate", "tally", session, "--json"]).json()
        }

        /// The ledger's entries as `piaojue log --json` prints them.
        func entries(kind: String? = nil) throws -> [[String: Any]] {
            let arguments = ["log", "--json"] + (kind.map { ["--kind", $0] } ?? [])
            return try need(try rate.ok(arguments).json()["entries"] as? [[String: Any]], "entries")
        }
    }

    /// The project row of a tally's `projects` with this id.
    static func project(_ tally: [String: Any], _ id: String) throws -> [String: Any] {
        let projects = try need(tally["projects"] as? [[String: Any]], "projects")
        return try need(projects.first { $0["id"] as? String == id }, "project \(id)")
    }

    /// The keys CLI.md requires of `evaluate tally --json`, with their JSON types.
    static func checkTallyShape(_ tally: [String: Any]) throws {
        for key in ["session", "status"] { #expect(tally[key] is String, "key \(key)") }
        for key in ["seated", "present", "issued", "returned", "valid", "invalid"] { #expect(tally[key] is Int, "key \(key)") }
        let projects = try need(tally["projects"] as? [[String: Any]], "projects")
        #expect(!projects.isEmpty)
        for row in projects {
            #expect(row["id"] is String)
            for key in ["satisfied", "basic", "dissatisfied", "abstain"] { #expect(row[key] is Int, "key \(key)") }
            let grade = try need(row["class"] as? String, "class")
            #expect(["满意", "基本满意", "不满意"].contains(grade))
            let rate = try need(row["rate"] as? Double, "rate")
            #expect((0...1).contains(rate))
        }
    }

    /// `audit verify` on the live ledger passes. Until the auditor has its rating-session checks
    /// (the audit side of issue 7), rating entries fail only its "frozen before the first
    /// credential" check: that is expected as a known issue, and this switches to the plain
    /// expectation by itself once the verify output lists a rating check.
    static func expectAuditVerifies(_ binary: PiaojueBinary) throws {
        let verify = try binary.run(["audit", "verify", "--json"])
        let report = try verify.json()
        let checks = try need(report["checks"] as? [[String: Any]], "checks")
        let failing = checks.filter { $0["ok"] as? Bool != true }.map { "\($0["id"] ?? "?") \($0["name"] ?? "") — \($0["detail"] ?? "")" }
        #expect(checks.contains { ($0["name"] as? String ?? "").contains("测评等次") }, "the audit lists the rating checks")
        #expect(verify.status == 0, "audit verify: \(failing)")
        #expect(report["ok"] as? Bool == true)
    }

    @Test("T16: 193 raters cast electronically — 182 满意, 10 基本满意, 1 不满意 of 193 → 满意, rate 99.48%")
    func t16() throws {
        let hall = try Hall(deputies: 193, projects: ["四好农村路", "背街小巷改造", "城区停车位"], seats: 2)
        let rated = try #require(hall.chosen.first)
        let opened = try hall.rate.ok(["evaluate", "open", "--projects", rated, "--json"]).json()
        let session = try need(opened["session"] as? String, "session")
        let codes = try hall.issue(session, raters: hall.deputies)
        #expect(codes.count == 193)
        for (n, code) in codes.enumerated() {
            let grade = n < 182 ? "满意" : n < 192 ? "基本满意" : "不满意"
            try hall.cast(session, code: code, [(rated, grade)])
        }
        let tally = try hall.closeAndTally(session)
        try Self.checkTallyShape(tally)
        #expect(tally["session"] as? String == session)
        #expect(tally["status"] as? String == "decided")
        #expect(tally["seated"] as? Int == 193)
        #expect(tally["present"] as? Int == 193)
        #expect(tally["issued"] as? Int == 193)
        #expect(tally["returned"] as? Int == 193)
        #expect(tally["valid"] as? Int == 193)
        #expect(tally["invalid"] as? Int == 0)
        let row = try Self.project(tally, rated)
        #expect(row["satisfied"] as? Int == 182)
        #expect(row["basic"] as? Int == 10)
        #expect(row["dissatisfied"] as? Int == 1)
        #expect(row["abstain"] as? Int == 0)
        #expect(row["class"] as? String == "满意")
        let rate = try need(row["rate"] as? Double, "rate")
        #expect(abs(rate - 192.0 / 193.0) < 1e-9)
        #expect(row["ratePercent"] as? String == "99.48%")
        #expect(tally["rectify"] as? [String] == [])

        // The recorded result is what a second tally prints; the text is a bilingual table.
        let again = try hall.rate.ok(["evaluate", "tally", session])
        #expect(again.stdout.contains("满意度测评结果"))
        #expect(again.stdout.contains("99.48%"))
        #expect(again.stdout.contains("四好农村路"))
        #expect(try hall.entries(kind: "evaluate.tally").count == 1)
        try Self.expectAuditVerifies(hall.rate)
    }

    @Test("T17 and T18 with 20 raters, rectification of the 不满意 project, 再测评 by committee members, audit verify")
    func t17t18RectifyRerate() throws {
        let hall = try Hall(deputies: 20, projects: ["老旧小区加装电梯", "农贸市场提升", "公交候车亭"], seats: 2)
        let projects = hall.chosen
        try #require(projects.count == 2)
        let (basicProject, failingProject) = (projects[0], projects[1])

        let opened = try hall.rate.ok(["evaluate", "open", "--year", "2024", "--json"]).json()
        let session = try need(opened["session"] as? String, "session")
        #expect(opened["projects"] as? [String] == projects)
        #expect(opened["rerated"] as? [String] == [])
        #expect(try hall.rate.run(["evaluate", "open", "--year", "2024"]).status == 1)  // already in an open session

        let codes = try hall.issue(session, raters: hall.deputies)
        for (n, code) in codes.enumerated() {
            // T17 on the first project in Chinese words; T18 on the second in English words.
            let t17 = n < 10 ? "满意" : n < 15 ? "基本满意" : "不满意"
            let t18 = n < 4 ? "satisfied" : n < 10 ? "basic" : "dissatisfied"
            try hall.cast(session, code: code, [(basicProject, t17), (failingProject, t18)])
        }
        let tally = try hall.closeAndTally(session)
        try Self.checkTallyShape(tally)
        let t17 = try Self.project(tally, basicProject)
        #expect(t17["satisfied"] as? Int == 10 && t17["basic"] as? Int == 5 && t17["dissatisfied"] as? Int == 5)
        #expect(t17["class"] as? String == "基本满意")
        #expect(t17["rate"] as? Double == 0.75)
        let t18 = try Self.project(tally, failingProject)
        #expect(t18["satisfied"] as? Int == 4 && t18["basic"] as? Int == 6 && t18["dissatisfied"] as? Int == 10)
        #expect(t18["class"] as? String == "不满意")
        #expect(t18["rate"] as? Double == 0.5)
        #expect(tally["rectify"] as? [String] == [failingProject])
        let text = try hall.rate.ok(["evaluate", "tally", session]).stdout
        #expect(text.contains("基本满意") && text.contains("须整改"))

        // Refused, and nothing written: rectifying a project not flagged; re-rating before the
        // rectification is recorded; a project not chosen.
        let before = try hall.entries().count
        #expect(try hall.rate.run(["evaluate", "rectify", basicProject, "--what", "x", "--unit", "u", "--by", "2025-06-30"]).status == 1)
        #expect(try hall.rate.run(["evaluate", "open", "--projects", failingProject]).status == 1)
        let loser = try #require(hall.candidates.last)
        #expect(!projects.contains(loser))
        #expect(try hall.rate.run(["evaluate", "open", "--projects", loser]).status == 1)
        #expect(try hall.rate.run(["evaluate", "open", "--projects", "P99"]).status == 2)
        #expect(try hall.rate.run(["evaluate", "rectify", failingProject, "--what", "x", "--unit", "u", "--by", "2025-02-30"]).status == 2)
        #expect(try hall.entries().count == before)

        let rectified = try hall.rate.ok([
            "evaluate", "rectify", failingProject, "--what", "增设摊位遮雨棚并整治排水", "--unit", "县市场监管局", "--by", "2025-06-30", "--json",
        ]).json()
        #expect(rectified["project"] as? String == failingProject)
        #expect(rectified["session"] as? String == session)
        #expect(rectified["due"] as? String == "2025-06-30")
        let rectifyIndex = try need(rectified["index"] as? Int, "index")
        #expect(try hall.rate.run(["evaluate", "rectify", failingProject, "--what", "x", "--unit", "u", "--by", "2025-06-30"]).status == 1)

        // 再测评 by the 常委会 members (a roster of their own), after the deadline.
        let members = (1...7).map { "CM-\($0)" }
        try hall.write("committee.csv", "id,name\n" + members.map { "\($0),委员\($0.suffix(1))" }.joined(separator: "\n") + "\n")
        let rerate = PiaojueBinary(directory: hall.directory.url, now: "2025-07-10T02:00:00Z")
        let reopened = try rerate.ok(["evaluate", "open", "--projects", failingProject, "--roster", "committee.csv", "--json"]).json()
        let second = try need(reopened["session"] as? String, "session")
        #expect(second != session)
        #expect(reopened["rerated"] as? [String] == [failingProject])
        #expect(reopened["raters"] as? String == "committee")
        #expect(reopened["seated"] as? Int == 7)
        let status = try rerate.ok(["evaluate", "status", second, "--json"]).json()
        #expect(status["rerated"] as? [String] == [failingProject])
        // A deputy who is not a committee member cannot check in to this session.
        #expect(try rerate.run(["evaluate", "checkin", second, "--deputy", hall.deputies[0]]).status == 2)

        let opening = try need(try hall.entries(kind: "evaluate.open").last?["payload"] as? [String: Any], "opening")
        let rated = try need((opening["projects"] as? [[String: Any]])?.first, "rated project")
        #expect(rated["rerate"] as? Bool == true)
        #expect(rated["previousRating"] as? String == session)
        #expect(rated["rectification"] as? Int == rectifyIndex)
        let header = try need(opening["header"] as? [String: Any], "header")
        #expect(header["shape"] as? String == "rating")
        let raters = try need(try hall.entries(kind: "evaluate.raters").first, "raters entry")
        #expect(header["rosterEntry"] as? Int == raters["index"] as? Int)
        // The committee list does not replace the seated roster.
        #expect(try hall.rate.ok(["roster", "list", "--json"]).stdout.contains(hall.deputies[0]))

        let secondCodes = try hall.issue(second, raters: members, using: rerate)
        for (n, code) in secondCodes.enumerated() {
            try hall.cast(second, code: code, [(failingProject, n < 5 ? "满意" : "基本满意")], using: rerate)
        }
        try rerate.ok(["evaluate", "close", second])
        let retally = try rerate.ok(["evaluate", "tally", second, "--json"]).json()
        try Self.checkTallyShape(retally)
        #expect(try Self.project(retally, failingProject)["class"] as? String == "满意")
        #expect(retally["rectify"] as? [String] == [])
        let retext = try rerate.ok(["evaluate", "tally", second]).stdout
        #expect(retext.contains("再测评"))

        try Self.expectAuditVerifies(hall.rate)
    }

    @Test("Rating secrecy: no credential code or secret in the ledger; issue entries hold a count and sorted keys; nothing links a rater to a credential or a ballot")
    func secrecy() throws {
        let hall = try Hall(deputies: 12, projects: ["社区卫生服务站", "口袋公园"], seats: 1)
        let rated = try #require(hall.chosen.first)
        let session = try need(try hall.rate.ok(["evaluate", "open", "--year", "2024", "--json"]).json()["session"] as? String, "session")
        let codes = try hall.issue(session, raters: hall.deputies)
        #expect(codes.count == 12)
        var receipts: [String] = []
        for (n, code) in codes.enumerated() {
            let cast = try hall.cast(session, code: code, [(rated, ["满意", "基本满意", "不满意", "弃权"][n % 4])])
            receipts.append(try need(cast["receipt"] as? String, "receipt"))
        }
        #expect(Set(receipts).count == 12)

        // The ledger file (and its write-ahead log, if any) holds no code and no secret.
        var stored = try [UInt8](Data(contentsOf: URL(fileURLWithPath: hall.directory.path("piaojue.sqlite"))))
        for suffix in ["-wal", "-journal"] where FileManager.default.fileExists(atPath: hall.directory.path("piaojue.sqlite\(suffix)")) {
            stored += try [UInt8](Data(contentsOf: URL(fileURLWithPath: hall.directory.path("piaojue.sqlite\(suffix)"))))
        }
        #expect(stored.count > 1000)
        func contains(_ needle: [UInt8]) -> Bool {
            guard needle.count <= stored.count, let first = needle.first else { return false }
            var start = 0
            while let found = stored[start...].firstIndex(of: first) {
                if found + needle.count > stored.count { return false }
                if Array(stored[found..<found + needle.count]) == needle { return true }
                start = found + 1
            }
            return false
        }
        for code in codes {
            let secret = try SecretCode.decode(code)
            #expect(secret.count == 32)
            #expect(!contains(Array(code.utf8)), "a credential code is in the ledger")
            #expect(!contains(secret), "a credential secret is in the ledger")
            #expect(!contains(Array(Encoding.hex(secret).utf8)), "a credential secret (hex) is in the ledger")
            #expect(!contains(Array(Encoding.base64(secret).utf8)), "a credential secret (base64) is in the ledger")
        }

        let entries = try hall.entries()
        let issues = entries.filter { $0["kind"] as? String == "session.issue" && ($0["payload"] as? [String: Any])?["session"] as? String == session }
        try #require(issues.count == 1)
        let issue = try need(issues[0]["payload"] as? [String: Any], "issue payload")
        #expect(Set(issue.keys) == ["session", "batch", "count", "credentials", "present", "seated", "handedOut"])
        let keys = try need(issue["credentials"] as? [String], "credentials")
        #expect(issue["count"] as? Int == 12)
        #expect(keys.count == 12)
        #expect(keys == keys.sorted())

        let casts = entries.filter { $0["kind"] as? String == "session.cast" && ($0["payload"] as? [String: Any])?["session"] as? String == session }
        #expect(casts.count == 12)
        #expect(Set(casts.compactMap { $0["signer"] as? String }) == Set(keys))
        for entry in entries {
            let kind = entry["kind"] as? String ?? ""
            let payload = try JSONSerialization.data(withJSONObject: entry["payload"] ?? [:], options: [.sortedKeys])
            let text = String(decoding: payload, as: UTF8.self)
            let namesRater = hall.deputies.contains { text.contains($0) }
            let namesKey = keys.contains { text.contains($0) }
            #expect(!(namesRater && namesKey), "entry \(entry["index"] ?? "?") (\(kind)) links a rater to a credential")
            if kind == "session.cast" || kind == "session.paper" {
                #expect(!namesRater, "ballot entry \(entry["index"] ?? "?") names a rater")
                #expect(Set((entry["payload"] as? [String: Any])?.keys.map { $0 } ?? []) == ["session", "via", "choices"])
            }
            if kind == "session.checkin" { #expect(!namesKey, "a check-in entry names a credential") }
            if namesKey { #expect(kind == "session.issue", "\(kind) entry names a credential key") }
        }
        try Self.expectAuditVerifies(hall.rate)
    }

    @Test("Refusals and usage errors of evaluate, with the documented exit status; every subcommand's help has an example")
    func refusals() throws {
        let hall = try Hall(deputies: 6, projects: ["便民服务中心", "路灯亮化"], seats: 1)
        let rated = try #require(hall.chosen.first)
        #expect(try hall.rate.run(["evaluate", "open"]).status == 2)
        #expect(try hall.rate.run(["evaluate", "open", "--year", "2024", "--projects", rated]).status == 2)
        #expect(try hall.rate.run(["evaluate", "open", "--year", "2023"]).status == 1)
        #expect(try hall.rate.run(["evaluate", "tally", "R1"]).status == 1)
        let session = try need(try hall.rate.ok(["evaluate", "open", "--year", "2024", "--json"]).json()["session"] as? String, "session")
        #expect(try hall.rate.run(["evaluate", "tally", session]).status == 1)  // not closed
        #expect(try hall.rate.run(["evaluate", "issue", session, "--out", "early.txt"]).status == 1)  // no quorum
        #expect(try hall.rate.run(["evaluate", "checkin", hall.voteSession, "--deputy", hall.deputies[0]]).status == 2)
        let codes = try hall.issue(session, raters: hall.deputies)
        #expect(try hall.rate.run(["evaluate", "cast", session, "--credential", codes[0], "--rate", "\(rated)=很好"]).status == 2)
        #expect(try hall.rate.run(["evaluate", "cast", session, "--credential", codes[0], "--rate", "P99=满意"]).status == 2)
        #expect(try hall.rate.run(["evaluate", "cast", hall.voteSession, "--credential", codes[0], "--rate", "\(rated)=满意"]).status == 2)
        try hall.cast(session, code: codes[0], [(rated, "满意")])
        #expect(try hall.rate.run(["evaluate", "cast", session, "--credential", codes[0], "--rate", "\(rated)=不满意"]).status == 1)
        // Paper ballots on the rating form; a ballot marking the project twice is recorded void.
        try hall.write("paper.csv", "凭证码,满意,基本满意,不满意,弃权\n\(codes[1]),\(rated),,,\n\(codes[2]),\(rated),,\(rated),\n")
        let imported = try hall.rate.ok(["evaluate", "import", session, "paper.csv", "--json"]).json()
        #expect(imported["imported"] as? Int == 2)
        #expect(imported["void"] as? Int == 1)
        try hall.rate.ok(["evaluate", "close", session, "--returned", "7"])
        let tally = try hall.rate.ok(["evaluate", "tally", session, "--json"]).json()
        #expect(tally["status"] as? String == "void")
        #expect(tally["returned"] as? Int == 7)
        #expect(try hall.rate.ok(["evaluate", "tally", session]).stdout.contains("VOID"))
        // A void rating frees the project for a new session (not a re-rating).
        let again = try hall.rate.ok(["evaluate", "open", "--projects", rated, "--json"]).json()
        #expect(again["rerated"] as? [String] == [])

        for sub in ["open", "checkin", "issue", "cast", "import", "close", "tally", "rectify", "status"] {
            let help = try hall.rate.run(["evaluate", sub, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Example"), "evaluate \(sub) --help has no example")
        }
    }
}
