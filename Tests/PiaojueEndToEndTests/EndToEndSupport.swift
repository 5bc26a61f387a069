import Foundation
import PiaojueTestSupport
import Testing

/// The `--json` output of `piaojue log`: every entry's kind and payload, oldest first.
struct LoggedEntry {
    let index: Int
    let kind: String
    let payload: [String: Any]
}

/// A test precondition that did not hold, named.
struct FixtureFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A fresh directory with a ledger made by `piaojue init`, and a runner in it.
struct CLIWorkspace {
    let directory: TemporaryDirectory
    let piaojue: PiaojueBinary

    init(level: String = "county") throws {
        directory = TemporaryDirectory("piaojue-e2e")
        piaojue = PiaojueBinary(directory: directory.url, now: "2025-03-01")
        try piaojue.ok(["init", "--body", "测试县第十八届人民代表大会", "--level", level])
    }

    /// The ledger file.
    var ledgerPath: String { directory.path("piaojue.sqlite") }

    /// Writes `text` to a file in the directory and returns its name.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: directory.url.appendingPathComponent(name))
        return name
    }

    /// Every entry, through `piaojue log --json`.
    func log() throws -> [LoggedEntry] {
        let json = try piaojue.ok(["log", "--json"]).json()
        let entries = try need(json["entries"] as? [[String: Any]], "entries in log --json")
        return try entries.map { entry in
            LoggedEntry(
                index: try need(entry["index"] as? Int, "index"), kind: try need(entry["kind"] as? String, "kind"),
                payload: try need(entry["payload"] as? [String: Any], "payload"))
        }
    }

    /// The number of entries, through `piaojue log --json`.
    func entryCount() throws -> Int { try log().count }

    /// Runs `arguments`, expecting a refusal with `status` that writes nothing (the entry count stays
    /// `before`, counted first when not given); returns stderr.
    @discardableResult
    func expectRefusal(
        _ arguments: [String], status: Int32, before known: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let before = try known ?? entryCount()
        let result = try piaojue.run(arguments)
        #expect(result.status == status, "piaojue \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.isEmpty, sourceLocation: sourceLocation)
        #expect(try entryCount() == before, "piaojue \(arguments.joined(separator: " ")) wrote to the ledger", sourceLocation: sourceLocation)
        return result.stderr
    }

    /// Imports `count` proposals (P1…Pn) in one command and accepts them in screening.
    func acceptedProposals(_ count: Int, category: String = "市政建设") throws {
        var csv = "title,category,content,location,budget\n"
        for n in 1...count { csv += "项目\(n),\(category),建设内容\(n),地点\(n),\(n * 10)万\n" }
        try write("proposals.csv", csv)
        let imported = try piaojue.ok(["collect", "import", "proposals.csv", "--json"]).json()
        #expect(imported["imported"] as? Int == count)
        for n in 1...count { try piaojue.ok(["collect", "screen", "P\(n)", "--accept"]) }
    }

    /// Records the default approval steps in order.
    func approveBothSteps() throws {
        try piaojue.ok(["collect", "approve", "--step", "政府常务会议", "--ref", "县政府第12次常务会议纪要"])
        try piaojue.ok(["collect", "approve", "--step", "党委审定", "--ref", "县委常委会〔2025〕3号"])
    }
}

/// P1…Pn.
func proposalIDs(_ count: Int) -> [String] { (1...count).map { "P\($0)" } }
