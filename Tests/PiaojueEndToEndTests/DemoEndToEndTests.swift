import Foundation
import PiaojueTestSupport
import Testing

/// The demo's data set (Config/demo) through the built binary, by the same driver Scripts/demo runs
/// (Scripts/demo-run): every stage, then the numbers the data was designed to give and a passing
/// `audit verify` on the ledger and on every published bundle. Most ballots go in on paper here
/// (one process for many), to keep a debug build fast; the demo casts more of them one by one.
@Suite("Demo end to end", .serialized)
struct DemoEndToEndTests {
    /// The driver's output directory and a runner whose ledger is the demo's.
    struct Run {
        let directory: TemporaryDirectory
        let output: URL
        let stdout: String
        let stderr: String
        let status: Int32

        var piaojue: PiaojueBinary { PiaojueBinary(directory: output) }

        func json(_ arguments: [String], now: String? = nil) throws -> [String: Any] {
            var binary = piaojue
            if let now { binary.environment["PIAOJUE_NOW"] = now }
            return try binary.ok(arguments + ["--json"]).json()
        }
    }

    /// Runs Scripts/demo-run with the debug binary into a fresh directory.
    static func runDemo() throws -> Run {
        let directory = TemporaryDirectory("piaojue-demo")
        let output = directory.url.appendingPathComponent("demo-output")
        let stdoutFile = directory.url.appendingPathComponent("stdout.txt")
        let stderrFile = directory.url.appendingPathComponent("stderr.txt")
        try Data().write(to: stdoutFile)
        try Data().write(to: stderrFile)
        let process = Process()
        process.executableURL = TestPaths.packageRoot.appendingPathComponent("Scripts/demo-run")
        process.arguments = ["--electronic", "6", "--rating-electronic", "3", PiaojueBinary.path, output.path]
        var environment = ProcessInfo.processInfo.environment
        for key in ["PIAOJUE_DB", "PIAOJUE_KEY", "PIAOJUE_NOW", "PIAOJUE_CONFIG"] { environment[key] = nil }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
        process.waitUntilExit()
        return Run(
            directory: directory, output: output,
            stdout: try String(contentsOf: stdoutFile, encoding: .utf8), stderr: try String(contentsOf: stderrFile, encoding: .utf8),
            status: process.terminationStatus)
    }

    /// The rows of a Config/demo CSV, header dropped, split at commas.
    static func demoRows(_ name: String) throws -> [[String]] {
        let url = TestPaths.config.appendingPathComponent("demo/\(name)")
        return try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
            .filter { !$0.hasPrefix("#") }.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    static func rows(_ object: [String: Any], _ key: String) throws -> [String: [String: Any]] {
        let list = try need(object[key] as? [[String: Any]], key)
        return Dictionary(uniqueKeysWithValues: list.map { ($0["id"] as? String ?? "", $0) })
    }

    @Test func theDemoRunsEveryStageAndVerifies() throws {
        let run = try Self.runDemo()
        #expect(run.status == 0, "Scripts/demo-run exited \(run.status):\n\(run.stdout)\n\(run.stderr)")
        guard run.status == 0 else { return }
        #expect(run.stdout.contains("核验通过"), "\(run.stdout)")
        #expect(FileManager.default.fileExists(atPath: run.output.appendingPathComponent(".piaojue-demo").path))

        // Stage 1: 30 proposals; screening as Config/demo/screening.csv says; 12 candidates for 10 seats.
        let proposals = try need(try run.json(["collect", "list"])["proposals"] as? [[String: Any]], "proposals")
        #expect(proposals.count == 30)
        let byStatus = Dictionary(grouping: proposals) { $0["status"] as? String ?? "" }
        #expect(byStatus["rejected"]?.count == 8)
        #expect(byStatus["merged"]?.count == 1)
        let household = try need(proposals.first { $0["id"] as? String == "P14" }, "P14")
        #expect(household["reason"] as? String == "个别单位或个人诉求")

        // Stage 2: 190 seated, 180 present, one over-marked paper ballot void, the planned counts,
        // a tie at the 10th seat and a runoff that fills it.
        let first = try run.json(["ballot", "tally", "S1"])
        #expect(first["status"] as? String == "runoff-required")
        #expect(first["seated"] as? Int == 190)
        #expect(first["present"] as? Int == 180)
        #expect(first["issued"] as? Int == 180)
        #expect(first["returned"] as? Int == 180)
        #expect(first["valid"] as? Int == 179)
        #expect(first["invalid"] as? Int == 1)
        #expect((first["chosen"] as? [String])?.count == 9)
        #expect(first["runoff"] as? [String] == ["P10", "P11"])
        let counts = try Self.rows(first, "candidates")
        for plan in try Self.demoRows("candidates.csv") {
            let count = try need(counts[plan[0]], plan[0])
            #expect(count["approve"] as? Int == Int(plan[2]), "\(plan[0]) 赞成")
            #expect(count["oppose"] as? Int == Int(plan[3]), "\(plan[0]) 反对")
        }
        let runoff = try run.json(["ballot", "tally", "S2"])
        #expect(runoff["status"] as? String == "decided")
        #expect(runoff["chosen"] as? [String] == ["P11"])
        let chosen = try need(try run.json(["collect", "list", "--status", "chosen"])["proposals"] as? [[String: Any]], "chosen")
        #expect(chosen.count == 10)

        // Stage 3: at the year end one project suspended by a recorded decision, one overdue.
        let status = try run.json(["implement", "status"], now: "2025-12-31")
        let projects = try need(status["projects"] as? [[String: Any]], "projects")
        #expect(projects.count == 10)
        let suspended = projects.filter { $0["status"] as? String == "suspended" }
        #expect(suspended.count == 1)
        #expect((suspended.first?["adjustments"] as? [[String: Any]])?.first?["decision"] as? String != nil)
        #expect(projects.filter { $0["overdue"] as? Bool == true }.map { $0["id"] as? String } == ["P2"])

        // Stage 4: one project classed 不满意, flagged, rectified, and re-rated.
        let rating = try run.json(["evaluate", "tally", "R1"])
        let classes = try need(rating["projects"] as? [[String: Any]], "projects").map { ($0["id"] as? String ?? "", $0["class"] as? String ?? "") }
        #expect(classes.filter { $0.1 == "不满意" }.map(\.0) == ["P6"])
        #expect(rating["rectify"] as? [String] == ["P6"])
        let rectifications = try need(try run.json(["log", "--kind", "evaluate"])["entries"] as? [[String: Any]], "entries")
            .filter { ($0["kind"] as? String ?? "").contains("rectif") }
        #expect(rectifications.count == 1)
        let rerating = try run.json(["evaluate", "tally", "R2"])
        #expect(try Self.rows(rerating, "projects")["P6"]?["class"] as? String == "满意")

        // The ledger and every published bundle verify.
        let verify = try run.piaojue.run(["audit", "verify", "--json"])
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(try verify.json()["ok"] as? Bool == true)
        for bundle in ["bundle-S1", "bundle-S2", "bundle-R1"] {
            let result = try run.piaojue.run(["audit", "verify", bundle])
            #expect(result.status == 0, "audit verify \(bundle): \(result.stdout)")
            #expect(FileManager.default.fileExists(atPath: run.output.appendingPathComponent("\(bundle)/report.html").path))
        }
        #expect(FileManager.default.fileExists(atPath: run.output.appendingPathComponent("implementation-2025/index.html").path))
        // The roster and the proposals came from the .xlsx workbooks; the status went out as one.
        let imports = try need(try run.json(["log", "--kind", "collect.import"])["entries"] as? [[String: Any]], "collect.import")
        #expect((imports.first?["payload"] as? [String: Any])?["encoding"] as? String == "xlsx")
        #expect(FileManager.default.fileExists(atPath: run.output.appendingPathComponent("implementation-2025.xlsx").path))
    }

    @Test func theDriverRefusesANonEmptyDirectory() throws {
        let directory = TemporaryDirectory("piaojue-demo")
        try Data("keep me\n".utf8).write(to: directory.url.appendingPathComponent("notes.txt"))
        let process = Process()
        process.executableURL = TestPaths.packageRoot.appendingPathComponent("Scripts/demo-run")
        process.arguments = [PiaojueBinary.path, directory.url.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(try String(contentsOf: directory.url.appendingPathComponent("notes.txt"), encoding: .utf8) == "keep me\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["notes.txt"])
    }
}
