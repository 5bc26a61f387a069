import Foundation
import PiaojueAudit
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// Bundles of the counting rules' edge cases, published through the services: each verifies, and
/// with `PIAOJUE_EXPORT_BUNDLES=DIR` each is written to `DIR/edge-NAME` for Scripts/test to hand the
/// independent verifier, which must pass them all (and fail every `forged-*` one).
@Suite struct EdgeBundleTests {
    struct Edge: Sendable, CustomTestStringConvertible {
        let name: String
        /// Builds the ledger in `world` and returns the sessions to publish.
        let build: @Sendable (ServiceWorld) throws -> [String]
        var testDescription: String { name }
    }

    /// 10 deputies, 8 present, a list of `candidates` for `seats` under `rules`, every present deputy
    /// voting by `ballots` (the 赞成 ids of each; paper), closed and tallied.
    static func vote(
        _ world: ServiceWorld, rules: Rules, seated: Int = 10, present: Int = 8, candidates: Int = 4, seats: Int = 2,
        budgetsWan: [Int]? = nil, ballots: [[String]], returned: Int? = nil
    ) throws -> (session: String, tally: TallyResult) {
        try world.roster(seated)
        let ids = try world.acceptedProposals(candidates, budgetsWan: budgetsWan)
        let list = try world.shortlist(seats: seats, ids, rules: rules)
        let session = try world.open(list: list.list, rules: rules).session
        try world.checkin(session, 1...present)
        let codes = try world.issue(session)
        try world.importPaper(session, zip(codes, ballots).map { ServiceWorld.PaperRow($0, approve: $1) })
        try world.close(session, returned: returned)
        return (session, try world.tally(session))
    }

    static let edges: [Edge] = [
        Edge(name: "present-base") { world in
            var rules = world.rules
            rules.ballot.thresholdBase = .present
            // 8 present: more than half is 5. P1 6, P2 5, P3 4.
            let ballots = [["P1", "P2"], ["P1", "P2"], ["P1", "P2"], ["P1", "P2"], ["P1", "P2"], ["P1", "P3"], ["P3"], ["P3"]]
            let (session, tally) = try vote(world, rules: rules, ballots: ballots)
            guard tally.chosen == ["P1", "P2"], tally.threshold == 5 else { throw FixtureError("present base: \(tally.chosen) \(tally.threshold)") }
            return [session]
        },
        Edge(name: "valid-base-with-void-ballots") { world in
            var rules = world.rules
            rules.ballot.thresholdBase = .valid
            rules.ballot.thresholdStrict = false
            // Two over-marked ballots are void: 6 valid, at least half is 3.
            let ballots = [["P1", "P2", "P3"], ["P1", "P2", "P4"], ["P1"], ["P1"], ["P1", "P2"], ["P2"], ["P3"], []]
            let (session, tally) = try vote(world, rules: rules, ballots: ballots)
            guard tally.invalid == 2, tally.valid == 6, tally.threshold == 3 else {
                throw FixtureError("valid base: \(tally.valid) valid, \(tally.invalid) void, threshold \(tally.threshold)")
            }
            return [session]
        },
        Edge(name: "overmarked-electronic-and-paper") { world in
            // 10 seated, 8 present, 2 seats: one over-marked ballot cast electronically and one on
            // paper, both void; 6 valid. P1 6 > 5 is chosen, P2 5 is not.
            try world.roster(10)
            let list = try world.shortlist(seats: 2, try world.acceptedProposals(4), rules: world.rules)
            let session = try world.open(list: list.list).session
            try world.checkin(session, 1...8)
            let codes = try world.issue(session)
            let over = try world.cast(session, codes[0], approve: ["P3", "P1", "P2"])
            guard over.void else { throw FixtureError("an over-marked electronic ballot was not answered void") }
            guard try !world.cast(session, codes[1], approve: ["P1", "P2"]).void else { throw FixtureError("a valid ballot answered void") }
            try world.importPaper(session, [ServiceWorld.PaperRow(codes[2], approve: ["P3", "P1", "P2"])]
                + codes[3...6].map { ServiceWorld.PaperRow($0, approve: ["P1", "P2"]) } + [ServiceWorld.PaperRow(codes[7], approve: ["P1"])])
            try world.close(session)
            let tally = try world.tally(session)
            guard tally.invalid == 2, tally.valid == 6, tally.chosen == ["P1"] else {
                throw FixtureError("over-marked: \(tally.valid) valid, \(tally.invalid) void, chosen \(tally.chosen)")
            }
            return [session]
        },
        Edge(name: "void-round-held-again") { world in
            // 8 slips handed out, 9 returned: the round is void and is held again.
            let ballots = Array(repeating: ["P1", "P2"], count: 8)
            let (first, tally) = try vote(world, rules: world.rules, ballots: ballots, returned: 9)
            guard tally.status == .void, tally.reason == .excessReturned else { throw FixtureError("not void: \(tally.status)") }
            let again = try world.open(list: "L1").session
            try world.checkin(again, 1...8)
            let codes = try world.issue(again)
            try world.importPaper(again, codes.map { ServiceWorld.PaperRow($0, approve: ["P1", "P3"]) })
            try world.close(again)
            guard try world.tally(again).chosen == ["P1", "P3"] else { throw FixtureError("the round held again chose otherwise") }
            return [first, again]
        },
        Edge(name: "e-voter-revote-remaining") { world in
            var rules = try world.preset("e-voter")
            rules.ballot.shortfall = .revoteRemaining
            // 3 seats; only P1 and P2 reach 6 of 10 seated: one seat is voted again among the rest.
            let ballots = [["P1", "P2"], ["P1", "P2"], ["P1", "P2"], ["P1", "P2"], ["P1", "P2", "P3"], ["P1", "P2", "P4"], ["P3"], ["P4"]]
            let (first, tally) = try vote(world, rules: rules, candidates: 5, seats: 3, ballots: ballots)
            guard tally.reason == .shortfallRevote, tally.chosen == ["P1", "P2"] else {
                throw FixtureError("e-voter shortfall: \(String(describing: tally.reason)) \(tally.chosen) runoff \(tally.runoff)")
            }
            let next = try BallotService.runoff(session: first, workspace: world.workspace).session
            let codes = try world.issue(next)
            try world.importPaper(next, codes.enumerated().map { n, code in ServiceWorld.PaperRow(code, approve: n < 6 ? ["P3"] : ["P4"]) })
            try world.close(next)
            _ = try world.tally(next)
            return [first, next]
        },
        Edge(name: "rating-rectify-below-rate") { world in
            var rules = world.rules
            rules.evaluation.rectifyBelowRate = Ratio(9, 10)
            rules.evaluation.base = .valid
            let (_, tally) = try vote(world, rules: world.rules, ballots: Array(repeating: ["P1", "P2"], count: 8))
            try world.clock.set("2026-01-10T01:00:00Z")
            let rating = try EvaluationService.open(selection: .projects(tally.chosen), rules: rules, workspace: world.workspace).session
            try world.checkin(rating, 1...8, shape: .rating)
            let codes = try world.issue(rating, shape: .rating)
            // P1: 满意 6, 不满意 2 → 满意 but a rate of 6/8 is below 9/10: flagged. P2: 满意 8.
            for (n, code) in codes.enumerated() {
                try world.rate(rating, code, n < 6 ? [.satisfied: ["P1", "P2"]] : [.dissatisfied: ["P1"], .satisfied: ["P2"]])
            }
            try world.close(rating, shape: .rating)
            let rated = try EvaluationService.tally(session: rating, workspace: world.workspace)
            guard rated.rectify == ["P1"], rated.projects.first?.classification == .satisfied else {
                throw FixtureError("rate floor: rectify \(rated.rectify)")
            }
            return [rating]
        },
    ]

    @Test(arguments: Self.edges)
    func anEdgeCaseBundleVerifies(_ edge: Edge) throws {
        let world = try ServiceWorld(seed: "edge-\(edge.name)")
        let sessions = try edge.build(world)
        for session in sessions {
            let directory = world.path("bundle-\(session)")
            world.clock.advance(seconds: 60)
            _ = try AuditService.publish(session: session, directory: directory, workspace: world.workspace)
            let report = BundleAudit.verify(directory: directory)
            #expect(report.ok, "\(edge.name) \(session): \(String(describing: report.firstFailure))")
            try ForgeryTests.export(directory, as: "edge-\(edge.name)-\(session)")
        }
        #expect(LedgerAudit.verify(try Ledger.open(at: world.settings.databasePath, readOnly: true)).ok)
    }

    @Test func theHallScenarioBundlesVerify() throws {
        let hall = try HallScenario.shared.get()
        for (name, bundle) in [("hall-vote", hall.voteBundle), ("hall-rating", hall.ratingBundle)] {
            let report = BundleAudit.verify(directory: bundle)
            #expect(report.ok, "\(name): \(String(describing: report.firstFailure))")
            try ForgeryTests.export(bundle, as: "edge-\(name)")
        }
    }
}
