import Foundation
import PiaojueTestSupport
import Testing

/// Rule cases T1, T2, T6–T14, T21, T22 through the binary: exit status 1 for a rule refusal, 2 for
/// bad input, and nothing written when refused.
@Suite struct BallotRuleEndToEndTests {
    /// A session ready to check in: `seated` deputies, `candidates` accepted and listed for `seats`.
    static func session(seated: Int, candidates: Int, seats: Int, rules: String? = nil) throws -> (E2EScenario, String) {
        let congress = try E2EScenario(seated: seated)
        let list = try congress.shortlist(seats: seats, try congress.proposals(candidates))
        return (congress, try congress.open(list: list, rules: rules))
    }

    @Test("T1/T2: 120 seated — 79 present refused, 80 allowed")
    func t1t2() throws {
        let (congress, session) = try Self.session(seated: 120, candidates: 3, seats: 2)
        let attendance = try congress.checkin(session, 1...79)
        #expect(attendance["quorum"] as? Bool == false)
        let before = try congress.entryCount()
        let refused = try congress.run(["ballot", "issue", session, "--out", "slips.txt"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("80"))
        #expect(try congress.entryCount() == before)
        #expect(!FileManager.default.fileExists(atPath: congress.path("slips.txt")))
        #expect(try congress.checkin(session, 80...80)["quorum"] as? Bool == true)
        #expect(try congress.issue(session).count == 80)
    }

    @Test("T6: no voting rules adopted, no ballots")
    func t6() throws {
        let congress = try E2EScenario(seated: 10)
        let before = try congress.entryCount()
        let refused = try congress.run(["ballot", "issue", "S1", "--out", "slips.txt"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("票决办法"))
        #expect(try congress.entryCount() == before)
        #expect(!FileManager.default.fileExists(atPath: congress.path("slips.txt")))
    }

    @Test("T7: issued 314, returned 315 — the round is void and a new round may be opened")
    func t7() throws {
        let (congress, session) = try Self.session(seated: 400, candidates: 3, seats: 2)
        try congress.checkin(session, 1...314)
        #expect(try congress.issue(session).count == 314)
        let closed = try congress.close(session, returned: 315)
        #expect(closed["returned"] as? Int == 315)
        let tally = try congress.tally(session)
        #expect(tally["status"] as? String == "void")
        #expect(tally["issued"] as? Int == 314)
        #expect(tally["returned"] as? Int == 315)
        #expect((tally["chosen"] as? [String])?.isEmpty == true)
        #expect(try congress.open(list: "L1") == "S2")
        #expect(try congress.run(["audit", "verify"]).status == 0)
    }

    @Test("T8: issued 45, returned 44 — valid, 1 not returned")
    func t8() throws {
        let (congress, session) = try Self.session(seated: 50, candidates: 3, seats: 2)
        try congress.checkin(session, 1...45)
        let codes = try congress.issue(session)
        #expect(codes.count == 45)
        _ = try congress.importPaper(session, codes.prefix(44).map { ($0, ["P1", "P2"], [], []) })
        #expect(try congress.close(session)["returned"] as? Int == 44)
        let tally = try congress.tally(session)
        #expect(tally["status"] as? String == "decided")
        #expect(tally["valid"] as? Int == 44)
        #expect(tally["notReturned"] as? Int == 1)
        #expect(tally["chosen"] as? [String] == ["P1", "P2"])
    }

    @Test("T9/T10: an over-marked ballot is void, on paper and electronically; a blank ballot is valid, all 弃权")
    func t9t10() throws {
        let (congress, session) = try Self.session(seated: 12, candidates: 12, seats: 10)
        try congress.checkin(session, 1...12)
        let codes = try congress.issue(session)
        let eleven = (1...11).map { "P\($0)" }
        // On paper it is recorded, and void.
        let imported = try congress.importPaper(session, [(codes[0], eleven, [], [])])
        #expect(imported["void"] as? Int == 1)
        // Electronically the same: recorded, answered as void, said so first.
        let over = try congress.run(["--json", "ballot", "cast", session, "--credential", codes[2], "--approve", eleven.joined(separator: ",")])
        #expect(over.status == 0)
        #expect(try over.json()["void"] as? Bool == true)
        let plain = try congress.run(["ballot", "cast", session, "--credential", codes[3], "--approve", eleven.joined(separator: ",")])
        #expect(plain.status == 0)
        #expect(plain.stdout.hasPrefix("注意：赞成多于应选数"), "\(plain.stdout)")
        try congress.cast(session, codes[1])
        _ = try congress.close(session)
        let tally = try congress.tally(session)
        #expect(tally["valid"] as? Int == 1)
        #expect(tally["invalid"] as? Int == 3)
        let counts = try E2EScenario.counts(tally)
        #expect(counts.values.allSatisfy { $0["approve"] as? Int == 0 && $0["abstain"] as? Int == 1 })
        // The audit replays the over-marked electronic ballots and agrees.
        #expect(try congress.run(["audit", "verify"]).status == 0)
    }

    @Test("T11: 327 seated — 164 赞成 passes, 163 does not")
    func t11() throws {
        let (congress, session) = try Self.session(seated: 327, candidates: 3, seats: 2)
        try congress.checkin(session, 1...218)
        let codes = try congress.issue(session)
        #expect(codes.count == 218)
        let rows = codes.enumerated().map { n, code in
            (code, (n < 164 ? ["P1"] : []) + (n >= 55 ? ["P2"] : []), [String](), [String]())
        }
        _ = try congress.importPaper(session, rows)
        _ = try congress.close(session)
        let tally = try congress.tally(session)
        let counts = try E2EScenario.counts(tally)
        #expect(counts["P1"]?["approve"] as? Int == 164)
        #expect(counts["P2"]?["approve"] as? Int == 163)
        #expect(counts["P1"]?["eligible"] as? Bool == true)
        #expect(counts["P2"]?["eligible"] as? Bool == false)
        #expect(tally["chosen"] as? [String] == ["P1"])
        #expect(tally["shortfall"] as? Int == 1)
    }

    @Test("T12/T13: a tie at the last seat goes to a runoff; 8 eligible for 10 seats leaves 2 vacant")
    func t12t13() throws {
        let (congress, session) = try Self.session(seated: 20, candidates: 12, seats: 10)
        try congress.checkin(session, 1...20)
        let codes = try congress.issue(session)
        // Eight clear winners (15 赞成), P9 and P10 below the majority of 20 seated (10 赞成 is exactly half).
        let ballots = E2EScenario.approvalBallots([15, 15, 15, 15, 15, 15, 15, 15, 10, 10, 3, 2], voters: 20, seats: 10)
        _ = try congress.importPaper(session, zip(codes, ballots).map { ($0, $1, [], []) })
        _ = try congress.close(session)
        let tally = try congress.tally(session)
        #expect(tally["status"] as? String == "decided")
        #expect((tally["chosen"] as? [String])?.count == 8)
        #expect(tally["shortfall"] as? Int == 2)

        let (tied, tiedSession) = try Self.session(seated: 20, candidates: 12, seats: 10)
        try tied.checkin(tiedSession, 1...20)
        let tiedCodes = try tied.issue(tiedSession)
        let tiedBallots = E2EScenario.approvalBallots([19, 19, 18, 18, 17, 17, 16, 16, 15, 12, 12, 1], voters: 20, seats: 10)
        _ = try tied.importPaper(tiedSession, zip(tiedCodes, tiedBallots).map { ($0, $1, [], []) })
        _ = try tied.close(tiedSession)
        let tiedTally = try tied.tally(tiedSession)
        #expect(tiedTally["status"] as? String == "runoff-required")
        #expect(tiedTally["runoff"] as? [String] == ["P10", "P11"])
        #expect(tiedTally["runoffSeats"] as? Int == 1)
    }

    @Test("T14: e-voter — buttons not pressed are 未按, not votes")
    func t14() throws {
        let (congress, session) = try Self.session(seated: 6, candidates: 3, seats: 2, rules: "e-voter")
        try congress.checkin(session, 1...6)
        let codes = try congress.issue(session)
        try congress.cast(session, codes[0], approve: ["P1"])
        try congress.cast(session, codes[1], oppose: ["P1"])
        try congress.cast(session, codes[2], abstain: ["P1"])
        for code in codes[3...5] { try congress.cast(session, code, approve: ["P2"]) }
        _ = try congress.close(session)
        let tally = try congress.tally(session)
        let p1 = try need(try E2EScenario.counts(tally)["P1"], "P1")
        #expect(p1["approve"] as? Int == 1)
        #expect(p1["oppose"] as? Int == 1)
        #expect(p1["abstain"] as? Int == 1)
        #expect(p1["notPressed"] as? Int == 3)
        #expect(tally["form"] as? String == "e-voter")
    }

    @Test("T21/T22: a used credential, and one of another session, are refused; the first ballot stands")
    func t21t22() throws {
        let (congress, session) = try Self.session(seated: 10, candidates: 3, seats: 1)
        try congress.checkin(session, 1...10)
        let codes = try congress.issue(session)
        let receipt = try congress.cast(session, codes[0], approve: ["P1"])
        let before = try congress.entryCount()
        let again = try congress.run(["ballot", "cast", session, "--credential", codes[0], "--approve", "P2"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("第一次投出的选票有效"))
        #expect(!again.stderr.contains(codes[0]))
        #expect(try congress.entryCount() == before)

        // A second list and session; a credential of S1 cannot vote there.
        let more = try congress.proposals(3)
        let list2 = try congress.shortlist(seats: 1, Array(more.suffix(2)))
        let session2 = try congress.open(list: list2)
        try congress.checkin(session2, 1...10)
        _ = try congress.issue(session2)
        let beforeForeign = try congress.entryCount()
        let foreign = try congress.run(["ballot", "cast", session2, "--credential", codes[1], "--approve", more[2]])
        #expect(foreign.status == 1)
        #expect(foreign.stderr.contains(session))
        #expect(try congress.entryCount() == beforeForeign)

        // A mistyped code is bad input (exit 2) and is never echoed.
        var typo = Array(codes[2])
        typo[0] = typo[0] == "A" ? "B" : "A"
        let mistyped = try congress.run(["ballot", "cast", session, "--credential", String(typo), "--approve", "P1"])
        #expect(mistyped.status == 2)
        #expect(!mistyped.stderr.contains(String(typo)))

        _ = try congress.close(session)
        let tally = try congress.tally(session)
        #expect(try E2EScenario.counts(tally)["P1"]?["approve"] as? Int == 1)
        #expect(try congress.json(["audit", "prove", receipt])["kind"] as? String == "session.cast")
    }

    @Test func badInputIsRefusedWithExitTwoAndNothingWritten() throws {
        let (congress, session) = try Self.session(seated: 10, candidates: 3, seats: 2)
        try congress.checkin(session, 1...10)
        let codes = try congress.issue(session)
        let before = try congress.entryCount()
        let cases: [[String]] = [
            ["ballot", "cast", session, "--credential", codes[0], "--approve", "P9"],
            ["ballot", "cast", session, "--credential", codes[0], "--approve", "P1", "--oppose", "P1"],
            ["ballot", "checkin", session, "--deputy", "D999"],
            ["ballot", "open", "--list", "L9"],
            ["ballot", "open", "--list", "L1", "--rules", "no-such-preset"],
        ]
        for arguments in cases {
            let result = try congress.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(!result.stderr.isEmpty)
        }
        #expect(try congress.entryCount() == before)
        _ = try congress.close(session)
        let closed = try congress.run(["ballot", "cast", session, "--credential", codes[1], "--approve", "P1"])
        #expect(closed.status == 1)
    }
}
