import Foundation
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport

/// A whole year of one county in a dozen deputies, built once through the services: a budget cap
/// that skips an over-budget candidate, a tie at the last seat and its runoff with the check-in
/// carried over, electronic and paper ballots (one over-marked, one blank), a late deputy handed a
/// sealed slip, plans, progress and a decided suspension, a year-end rating that flags a project,
/// its rectification — published as the runoff's and the rating's bundles. What the forgery
/// tests rewrite, and what Scripts/test hands the independent verifier.
final class HallScenario: @unchecked Sendable {
    // Safe: built once, then only read (the world's files are not touched after `init`).
    let world: ServiceWorld
    /// Codes handed out, per session, in the order handed out.
    private(set) var codes: [String: [String]] = [:]
    let voteBundle: String
    let ratingBundle: String

    static let shared: Result<HallScenario, any Error> = Result { try HallScenario() }
    /// The same year on a 国密 ledger (SM2 + SM3) whose checkpoints carry an Ed25519 line too.
    static let sharedGM: Result<HallScenario, any Error> = Result { try HallScenario(crypto: "gm", alsoEd25519: true) }

    private init(crypto: String = "standard", alsoEd25519: Bool = false) throws {
        world = try ServiceWorld(seed: "hall-scenario", now: "2024-11-01T01:00:00Z", crypto: crypto, alsoEd25519: alsoEd25519)
        try world.roster(12)
        // Ranked by 赞成 alone, with a 900万 cap: P2 (700万) no longer fits after P1 (300万) and is
        // skipped; P3 and P4 tie for the last of two seats.
        var rules = try world.preset("rank-only")
        rules.ballot.budgetCap = 9_000_000
        let ids = try world.acceptedProposals(5, budgetsWan: [300, 700, 200, 200, 100])
        try world.clock.set("2024-12-20T01:00:00Z")
        let list = try world.shortlist(seats: 2, ids, rules: rules)
        try world.clock.set("2025-01-15T01:00:00Z")
        let first = try world.open(list: list.list, rules: rules).session
        try world.checkin(first, 1...11)
        codes[first] = try world.issue(first)
        // A late deputy draws a sealed slip.
        try world.checkin(first, 12...12)
        codes[first, default: []] += try world.issue(first)
        let votes = codes[first] ?? []
        // 12 ballots: 赞成 P1 5, P2 4, P3 3, P4 3, P5 1 on the valid ones; one over-marked, one blank.
        let plan: [[String]] = [
            ["P1", "P2"], ["P1", "P2"], ["P1", "P3"], ["P1", "P4"], ["P1", "P5"], ["P2", "P3"], ["P2", "P4"], ["P3"], ["P4"], [],
        ]
        for (n, approve) in plan.enumerated().prefix(6) {
            try world.cast(first, votes[n], approve: approve, oppose: n == 0 ? ["P5"] : [], abstain: n == 1 ? ["P3"] : [])
        }
        var paper = plan.enumerated().dropFirst(6).map { n, approve in ServiceWorld.PaperRow(votes[n], approve: approve) }
        paper.append(ServiceWorld.PaperRow(votes[10], approve: ["P1", "P2", "P3"]))  // over-marked: void
        paper.append(ServiceWorld.PaperRow(votes[11]))  // blank: valid, all 弃权
        try world.importPaper(first, paper)
        try world.close(first)
        let tally = try world.tally(first)
        guard tally.status == .runoffRequired, !tally.skipped.isEmpty else {
            throw FixtureError("the first round should skip an over-budget candidate and tie at the last seat: \(tally.status), skipped \(tally.skipped.map(\.id)), runoff \(tally.runoff)")
        }
        let runoff = try BallotService.runoff(session: first, workspace: world.workspace).session
        codes[runoff] = try world.issue(runoff)
        for (n, code) in (codes[runoff] ?? []).enumerated() {
            try world.cast(runoff, code, approve: n < 8 ? [tally.runoff[0]] : [tally.runoff[1]])
        }
        try world.close(runoff)
        _ = try world.tally(runoff)
        voteBundle = world.path("bundle-\(runoff)")
        try world.clock.set("2025-01-20T01:00:00Z")
        _ = try AuditService.publish(session: runoff, directory: voteBundle, workspace: world.workspace)

        // Stage 3.
        try world.clock.set("2025-02-10T01:00:00Z")
        _ = try ImplementationService.plan(
            PlanRequest(
                project: "P1", unit: "县住建局", leader: "李副县长", budget: 3_000_000, deadline: try Day(parsing: "2025-11-30"),
                milestones: [(date: try Day(parsing: "2025-06-30"), text: "主体完工")]),
            rules: world.rules, workspace: world.workspace)
        try world.clock.set("2025-06-20T01:00:00Z")
        _ = try ImplementationService.progress(
            project: "P1", percent: 60, spent: 1_800_000, note: "主体施工中", reached: ["M1"], final: false, evidence: [],
            workspace: world.workspace)
        // A 重大调整 by decision: a later deadline and two new milestones in date order.
        _ = try ImplementationService.adjust(
            project: "P1", kind: .majorChange, reason: "增加排水管网改造", decision: "县人大常委会〔2025〕7号", decidedBy: nil,
            changes: PlanChanges(deadline: try Day(parsing: "2025-12-31"), milestones: ImplementationInput.numbered([
                (date: try Day(parsing: "2025-12-20"), text: "竣工验收"), (date: try Day(parsing: "2025-09-30"), text: "管网完工"),
            ])),
            workspace: world.workspace)
        _ = try ImplementationService.adjust(
            project: tally.chosen.last ?? "P1", kind: .suspend, reason: "资金未到位", decision: "县人大常委会〔2025〕8号", decidedBy: nil,
            changes: nil, workspace: world.workspace)

        // Stage 4.
        try world.clock.set("2026-01-10T01:00:00Z")
        let rating = try EvaluationService.open(selection: .projects(["P1"]), rules: world.rules, workspace: world.workspace).session
        try world.checkin(rating, 1...10, shape: .rating)
        codes[rating] = try world.issue(rating, shape: .rating)
        for (n, code) in (codes[rating] ?? []).enumerated() {
            try world.rate(rating, code, n < 3 ? [.satisfied: ["P1"]] : [.dissatisfied: ["P1"]])
        }
        try world.close(rating, shape: .rating)
        let rated = try EvaluationService.tally(session: rating, workspace: world.workspace)
        guard rated.rectify == ["P1"] else { throw FixtureError("P1 should be flagged: \(rated.rectify)") }
        try world.clock.set("2026-02-01T01:00:00Z")
        _ = try EvaluationService.rectify(project: "P1", what: "返修破损路面", unit: "县住建局", due: try Day(parsing: "2026-06-30"), workspace: world.workspace)
        ratingBundle = world.path("bundle-\(rating)")
        _ = try AuditService.publish(session: rating, directory: ratingBundle, workspace: world.workspace)
    }

    /// The body key (the forger holds it).
    func bodyKey() throws -> Ed25519PrivateKey { try KeyFile.load(from: world.settings.keyPath) }
}
