import Foundation
import PiaojueCrypto
import PiaojueDomain
import PiaojueServices
import PiaojueTestSupport
import PiaojueWeb
import Testing

/// A county witness in a temporary directory, townships witnessed through request and response
/// files (the offline path, the same witness code `witness serve` answers with).
final class CountyWitness {
    let directory = TemporaryDirectory("county")
    let identity: WitnessService.Identity
    private var counter = 0

    init() throws {
        identity = try WitnessService.initialize(name: "county.example/witness", directory: directory.path("witness"))
    }

    var dir: String { directory.path("witness") }
    var keys: CosigningService.Witnesses { CosigningService.Witnesses(keys: [identity.vkey]) }

    func path(_ name: String) -> String {
        counter += 1
        return directory.path("\(counter)-\(name)")
    }

    /// The policy naming this witness alone: `quorum county`.
    func policy() throws -> String {
        let path = path("policy.txt")
        try "witness county \(identity.vkey)\nquorum county\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Trusts the township's ledger (its latest checkpoint names the origin and the vkey).
    @discardableResult
    func trust(_ world: ServiceWorld) throws -> String {
        let checkpoint = try AuditService.checkpoint(fresh: true, workspace: world.workspace)
        let origin = String(checkpoint.note.prefix { $0 != "\n" })
        _ = try WitnessService.addLog(origin: origin, vkey: try #require(checkpoint.vkey), directory: dir)
        return origin
    }

    /// One offline round: the township writes its request, the witness answers it, the township
    /// reads the answer back.
    func round(_ world: ServiceWorld, old: Int? = nil) throws -> (request: String, response: String, outcome: WitnessService.CosignOutcome) {
        let request = path("request.txt")
        let response = path("response.txt")
        _ = try CosigningService.writeRequest(to: request, oldSize: old, witnesses: keys, workspace: world.workspace)
        let outcome = try WitnessService.cosign(requestFile: request, responseFile: response, directory: dir)
        return (request, response, outcome)
    }

    /// Witnesses the township's latest checkpoint; the cosignature is stored in its ledger.
    @discardableResult
    func witness(_ world: ServiceWorld) throws -> WitnessingOutput {
        let (request, response, outcome) = try round(world)
        #expect(outcome.status == 200)
        return try CosigningService.readResponse(response, request: request, retryOut: nil, witnesses: keys, workspace: world.workspace)
    }
}

@Suite("Federation: the log side of witnessing, audit verify --policy (check 36) and the county roll-up")
struct FederationTests {
    /// The bundle `directory` with the witness's cosignature line altered (one bit of its signature).
    static func forgeCosignature(_ directory: String) throws {
        let path = directory + "/checkpoint"
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        let index = try #require(lines.indices.last { lines[$0].hasPrefix("— county.example/witness ") })
        let parts = lines[index].split(separator: " ")
        var bytes = try #require(Data(base64Encoded: String(parts[2])))
        bytes[bytes.count - 1] ^= 0x01
        lines[index] = "\(parts[0]) \(parts[1]) \(bytes.base64EncodedString())"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func copy(_ from: String, _ to: String) throws {
        try FileManager.default.copyItem(atPath: from, toPath: to)
    }

    @Test("a witnessed township passes --policy; without the cosignature or with a forged one check 36 fails alone")
    func policyCheck() throws {
        let county = try CountyWitness()
        let plan = County.Plan(number: 1)
        let before = county.directory.path("before")
        let world = try County.build(plan, bundle: before)
        let origin = try county.trust(world)
        #expect(origin == plan.origin)
        let witnessed = try county.witness(world)
        #expect(witnessed.ok)
        #expect(witnessed.witnesses.first?.verified == true)
        #expect(witnessed.witnesses.first?.stored == 1)

        let after = county.directory.path("after")
        _ = try AuditService.publish(session: "R1", directory: after, workspace: world.workspace)
        let lines = try String(contentsOfFile: after + "/checkpoint", encoding: .utf8).split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("— ") }.count == 2)
        #expect(lines.last { $0.hasPrefix("— ") }?.hasPrefix("— county.example/witness ") == true)
        // The body's signature stays first (check 3).
        #expect(lines.first { $0.hasPrefix("— ") }?.hasPrefix("— \(plan.origin) ") == true)

        let policy = try county.policy()
        let plain = try LedgerQueries.verifyBundle(directory: after)
        #expect(plain.ok)
        #expect(plain.checks.count == 35)
        let passing = try LedgerQueries.verifyBundle(directory: after, policy: policy)
        #expect(passing.ok)
        #expect(passing.checks.count == 36)
        #expect(passing.checks.last?.id == 36)
        #expect(passing.checks.last?.detail.contains("county") == true)

        let unwitnessed = try LedgerQueries.verifyBundle(directory: before, policy: policy)
        #expect(!unwitnessed.ok)
        #expect(unwitnessed.checks.filter { !$0.ok }.map(\.id) == [36])

        let forged = county.directory.path("forged")
        try Self.copy(after, forged)
        try Self.forgeCosignature(forged)
        let forgedReport = try LedgerQueries.verifyBundle(directory: forged, policy: policy)
        #expect(!forgedReport.ok)
        #expect(forgedReport.checks.filter { !$0.ok }.map(\.id) == [36])
        #expect(forgedReport.checks.last?.detail.contains("county") == true)
        // Without a policy the forged line is only an unknown signature: the bundle verifies.
        #expect(try LedgerQueries.verifyBundle(directory: forged).ok)

        // A cosignature of a witness the policy does not name is ignored.
        let other = try CountyWitness()
        let otherPolicy = try other.policy()
        let ignored = try LedgerQueries.verifyBundle(directory: after, policy: otherPolicy)
        #expect(ignored.checks.filter { !$0.ok }.map(\.id) == [36])

        // The live ledger: the latest checkpoint with its stored cosignature meets the policy.
        let live = try LedgerQueries.verifyLedger(workspace: world.workspace, policy: policy)
        #expect(live.ok, "\(live.checks.filter { !$0.ok })")
        #expect(live.checks.last?.ok == true)
    }

    @Test("witnessing again: the same checkpoint is answered 200 with nothing new stored; a wrong old size gets 409 and the retry request is written")
    func witnessingAgain() throws {
        let county = try CountyWitness()
        let plan = County.Plan(number: 2)
        let world = try County.build(plan, bundle: county.directory.path("b"))
        try county.trust(world)
        let first = try county.witness(world)
        // The same checkpoint again: the witness answers 200 again, nothing new is stored.
        let again = try county.witness(world)
        #expect(again.size == first.size)
        #expect(again.witnesses.first?.stored == 0)
        // A request from a wrong old size is answered 409 with the size to retry from.
        let (request, response, outcome) = try county.round(world, old: 1)
        #expect(outcome.status == 409)
        #expect(outcome.latest_size == first.size)
        let retry = county.path("retry.txt")
        #expect(throws: CosignRefusal.self) {
            try CosigningService.readResponse(response, request: request, retryOut: retry, witnesses: county.keys, workspace: world.workspace)
        }
        #expect(FileManager.default.fileExists(atPath: retry))
    }

    @Test("17 townships rolled up: totals are the sums of the verified bundles; a tampered bundle and a split view are left out (exit 1)")
    func countyRollup() throws {
        let county = try CountyWitness()
        let plans = (1...17).map { County.Plan(number: $0) }
        var bundles: [String] = []
        for plan in plans {
            let world = try County.build(plan, bundle: county.directory.path("raw-\(plan.number)"))
            try county.trust(world)
            try county.witness(world)
            let bundle = county.directory.path("乡镇-\(plan.number)")
            _ = try AuditService.publish(session: "R1", directory: bundle, workspace: world.workspace)
            bundles.append(bundle)
        }
        // Township 9's operator rebuilds the ledger with the same key (two more deputies): the
        // witness, which cosigned the first history, refuses the second and keeps it as evidence.
        let forkPlan = County.Plan(number: 9, seated: plans[8].seated + 2)
        let fork = county.directory.path("乡镇-9-重建")
        let forkWorld = try County.build(forkPlan, bundle: fork)
        #expect(forkPlan.origin == plans[8].origin)
        let (request, response, first) = try county.round(forkWorld)
        #expect(first.status == 409)
        let retry = county.path("retry.txt")
        #expect(throws: CosignRefusal.self) {
            try CosigningService.readResponse(response, request: request, retryOut: retry, witnesses: county.keys, workspace: forkWorld.workspace)
        }
        let retryAnswer = county.path("retry-answer.txt")
        let refused = try WitnessService.cosign(requestFile: retry, responseFile: retryAnswer, directory: county.dir)
        #expect(refused.status == 422 || refused.status == 409)
        #expect(refused.cosignatures.isEmpty)
        let evidence = try WitnessService.evidence(origin: forkPlan.origin, directory: county.dir)
        #expect(evidence.evidence.count == 1)
        // Township 5's bundle is altered after publication: a budget in ledger.jsonl.
        let tampered = bundles[4] + "/ledger.jsonl"
        let text = try String(contentsOfFile: tampered, encoding: .utf8)
        let budget = String(plans[4].budget(1))
        #expect(text.contains(budget))
        let altered = text.replacingOccurrences(of: budget, with: String(plans[4].budget(1) + 1))
        try altered.write(toFile: tampered, atomically: true, encoding: .utf8)

        let policy = try county.policy()
        let out = county.directory.path("全县汇总")
        let result = try RollupService.rollup(directories: bundles + [fork], out: out, policyPath: policy, workers: 2)
        #expect(!result.ok)
        #expect(result.bundles == 18)
        #expect(Set(result.failed.map(\.dir)) == [bundles[4], fork])
        let forkFailure = try #require(result.failed.first { $0.dir == fork })
        #expect(forkFailure.check?.id == 36)
        let tamperFailure = try #require(result.failed.first { $0.dir == bundles[4] })
        #expect(tamperFailure.reason == "verification")
        #expect(tamperFailure.check.map { $0.id < 36 } == true)

        let counted = plans.filter { $0.number != 5 }
        #expect(result.townships.count == 16)
        #expect(Set(result.townships.map(\.figures.body)) == Set(counted.map(\.body)))
        let projects = counted.reduce(0) { $0 + $1.seats }
        let funds = counted.reduce(Int64(0)) { $0 + $1.funds }
        #expect(result.county.townships == 16)
        #expect(result.county.totals.projects == projects)
        #expect(result.county.totals.funds == funds)
        #expect(result.sentence.hasPrefix("全县16个乡镇票决出项目\(projects)个，资金达"))
        let completed = counted.count
        let third = counted.filter { $0.seats == 3 }.count
        #expect(result.county.totals.count("完成") == completed)
        #expect(result.county.totals.count("基本完成") == completed)
        #expect(result.county.totals.count("未完成") == third)
        #expect(result.county.totals.count("满意") == completed)
        #expect(result.county.totals.count("基本满意") == completed)
        #expect(result.county.totals.count("不满意") == third)
        var byCategory: [String: Int64] = [:]
        for plan in counted { for n in 1...plan.seats { byCategory[plan.category(n), default: 0] += plan.budget(n) } }
        #expect(Dictionary(uniqueKeysWithValues: result.county.totals.byCategory.map { ($0.category, $0.funds) }) == byCategory)
        for township in result.townships {
            let plan = try #require(counted.first { $0.body == township.figures.body })
            #expect(township.figures.checkpoint.origin == plan.origin)
            #expect(township.figures.totals.funds == plan.funds)
            #expect(township.cosignedBy == ["county"])
        }
        for name in RollupService.files { #expect(FileManager.default.fileExists(atPath: out + "/" + name)) }
        let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(markdown.contains(result.sentence))
        #expect(markdown.contains(fork))
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("<svg"))
        let csv = try String(contentsOfFile: out + "/rollup.csv", encoding: .utf8)
        // One row per counted project after the header (CRLF, as spreadsheets write it).
        #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == projects + 1)
        // rollup.xlsx is the same table: openpyxl reads it as the CSV (Scripts/xlsx-check).
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", TestPaths.packageRoot.appendingPathComponent("Scripts/xlsx-check").path, out + "/rollup.xlsx", "--csv", out + "/rollup.csv"]
        let pipe = Pipe()
        check.standardOutput = pipe
        check.standardError = pipe
        try check.run()
        let checked = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "\(checked)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/rollup.json"))) as? [String: Any]
        #expect(json?["ok"] as? Bool == false)

        // Without the policy both histories of township 9 verify and disagree: both are left out.
        let loose = try RollupService.rollup(directories: bundles + [fork], out: county.directory.path("不带策略"), policyPath: nil, workers: 2)
        #expect(!loose.ok)
        #expect(Set(loose.failed.map(\.dir)) == [bundles[4], bundles[8], fork])
        #expect(loose.failed.first { $0.dir == fork }?.reason == "inconsistent")
        #expect(loose.townships.count == 15)

        // The same township's earlier bundle (the vote, a prefix of the rating's ledger) is
        // consistent and superseded, not double-counted.
        let clean = [bundles[5], bundles[7]]
        let vote = county.directory.path("乡镇-7-表决")
        let sevenWorld = try County.build(County.Plan(number: 7), bundle: county.directory.path("乡镇-7-评议"), voteBundle: vote)
        _ = sevenWorld
        let supersede = try RollupService.rollup(
            directories: clean + [vote, county.directory.path("乡镇-7-评议")], out: county.directory.path("取代"), policyPath: nil, workers: 1)
        #expect(supersede.failed.map(\.dir).contains(vote) == false)
        #expect(supersede.superseded.map(\.dir).contains(vote))
    }
}

/// With `PIAOJUE_ROLLUP_BUNDLES=DIR` (and `PIAOJUE_ROLLUP_TOWNSHIPS=N`, default 10,
/// `PIAOJUE_ROLLUP_SEATED=S`, default 120), writes N distinct township bundles (`DIR/township-K`,
/// each ledger its own key and body) for Scripts/bench-rollup. Skipped otherwise.
@Suite struct RollupBenchBundles {
    static let target = ProcessInfo.processInfo.environment["PIAOJUE_ROLLUP_BUNDLES"]

    @Test(.enabled(if: target != nil))
    func export() throws {
        let directory = try #require(Self.target)
        let environment = ProcessInfo.processInfo.environment
        let count = environment["PIAOJUE_ROLLUP_TOWNSHIPS"].flatMap(Int.init) ?? 10
        let seated = environment["PIAOJUE_ROLLUP_SEATED"].flatMap(Int.init) ?? 120
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for number in 1...count {
            let bundle = directory + "/township-\(number)"
            guard !FileManager.default.fileExists(atPath: bundle) else { continue }
            try County.build(County.Plan(number: number, seated: seated), bundle: bundle)
        }
    }
}

/// `audit witness --url`: the log side over loopback HTTP against the county's witness routes.
@Suite struct AuditWitnessOverHTTPTests {
    /// Runs `body` on a thread of its own: the HTTP client blocks its thread until the answer.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    @Test func aTownshipIsCosignedOverLoopbackAndAnUnknownLogIsRefused() async throws {
        let county = try CountyWitness()
        let world = try County.build(County.Plan(number: 3), bundle: county.directory.path("b"))
        try county.trust(world)
        let stranger = try County.build(County.Plan(number: 4), bundle: county.directory.path("c"))
        let endpoint = try WitnessService.endpoint(directory: county.dir)
        let (addresses, started) = AsyncStream.makeStream(of: ListenAddress.self)
        let server = Task {
            try await WebServer.run(
                address: ListenAddress(host: "127.0.0.1", port: 0), serverName: "test-witness",
                routes: { WitnessRoutes.add(to: $0, endpoint: endpoint) }, onStarted: { started.yield($0) })
        }
        defer { server.cancel() }
        var bound: ListenAddress?
        for await address in addresses {
            bound = address
            break
        }
        let url = "http://127.0.0.1:\(try #require(bound).port)"
        let witnesses = CosigningService.Witnesses(urls: [url], keys: [county.identity.vkey])
        let workspace = world.workspace
        let result = try await Self.blocking { try CosigningService.submit(to: witnesses, workspace: workspace) }
        #expect(result.ok)
        let answer = try #require(result.witnesses.first)
        #expect(answer.verified && answer.stored == 1 && answer.oldSize == 0)
        #expect(result.checkpoint.contains("— county.example/witness "))

        let bundle = county.directory.path("witnessed")
        _ = try AuditService.publish(session: "R1", directory: bundle, workspace: world.workspace)
        #expect(try LedgerQueries.verifyBundle(directory: bundle, policy: try county.policy()).ok)

        let strangerWorkspace = stranger.workspace
        let refused = try await Self.blocking { try CosigningService.submit(to: witnesses, workspace: strangerWorkspace) }
        #expect(!refused.ok)
        #expect(refused.witnesses.first?.code == "cosign.unknown-log")
        withExtendedLifetime((world, stranger)) {}
    }
}
