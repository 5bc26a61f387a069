import Foundation
import PiaojueTestSupport
import Testing

/// A 300-deputy county plenary through the binary: 12 candidates for 10 seats, electronic and paper
/// ballots, one over-marked paper ballot, a tie at the 10th seat that goes to a runoff — and every
/// number of the tally checked.
@Suite(.serialized) struct PlenaryEndToEndTests {
    static let approvals = [280, 270, 260, 250, 240, 230, 220, 210, 200, 180, 180, 100]

    @Test func countyPlenaryWithOvermarkedBallotAndRunoff() throws {
        let congress = try E2EScenario(seated: 300)
        let ids = try congress.proposals(12)
        let list = try congress.shortlist(seats: 10, ids)
        let session = try congress.open(list: list)
        #expect(session == "S1")
        let attendance = try congress.checkin(session, 1...290)
        #expect(attendance["present"] as? Int == 290)
        #expect(attendance["seated"] as? Int == 300)
        #expect(attendance["quorum"] as? Bool == true)
        let codes = try congress.issue(session)
        #expect(codes.count == 290)

        // 289 valid ballots with the designed approvals; P12 opposed on every even ballot that does
        // not approve it; everything else unmarked (弃权).
        let ballots = E2EScenario.approvalBallots(Self.approvals, voters: 289, seats: 10)
        #expect(ballots.allSatisfy { $0.count <= 10 })
        var expectedOppose = 0
        var rows: [(approve: [String], oppose: [String])] = []
        for (n, approve) in ballots.enumerated() {
            let oppose = n % 2 == 0 && !approve.contains("P12") ? ["P12"] : []
            expectedOppose += oppose.count
            rows.append((approve, oppose))
        }
        // 150 cast electronically, 139 on paper, plus one over-marked paper ballot (11 赞成).
        var receipts: [String] = []
        for n in 0..<150 {
            receipts.append(try congress.cast(session, codes[n], approve: rows[n].approve, oppose: rows[n].oppose))
        }
        var paper = (150..<289).map { n in (codes[n], rows[n].approve, rows[n].oppose, [String]()) }
        paper.append((codes[289], (1...11).map { "P\($0)" }, [], []))
        let imported = try congress.importPaper(session, paper)
        #expect(imported["imported"] as? Int == 140)
        #expect(imported["void"] as? Int == 1)

        let closed = try congress.close(session, returned: 290)
        #expect(closed["issued"] as? Int == 290)
        #expect(closed["returned"] as? Int == 290)

        let tally = try congress.tally(session)
        #expect(tally["status"] as? String == "runoff-required")
        #expect(tally["seated"] as? Int == 300)
        #expect(tally["present"] as? Int == 290)
        #expect(tally["issued"] as? Int == 290)
        #expect(tally["returned"] as? Int == 290)
        #expect(tally["valid"] as? Int == 289)
        #expect(tally["invalid"] as? Int == 1)
        #expect(tally["threshold"] as? Int == 151)
        #expect(tally["chosen"] as? [String] == (1...9).map { "P\($0)" })
        #expect(tally["runoff"] as? [String] == ["P10", "P11"])
        #expect(tally["runoffSeats"] as? Int == 1)
        #expect(tally["shortfall"] as? Int == 0)
        let counts = try E2EScenario.counts(tally)
        for (n, approve) in Self.approvals.enumerated() {
            let id = "P\(n + 1)"
            let count = try need(counts[id], id)
            #expect(count["approve"] as? Int == approve, "\(id) 赞成")
            let oppose = id == "P12" ? expectedOppose : 0
            #expect(count["oppose"] as? Int == oppose, "\(id) 反对")
            #expect(count["abstain"] as? Int == 289 - approve - oppose, "\(id) 弃权")
            #expect(count["eligible"] as? Bool == (approve > 150), "\(id) eligible")
            #expect(count["chosen"] as? Bool == (n < 9), "\(id) chosen")
        }

        // Runoff between P10 and P11 for the last seat: new credentials, attendance carried over.
        let runoff = try need(try congress.json(["ballot", "runoff", session])["session"] as? String, "runoff session")
        #expect(runoff == "S2")
        let runoffCodes = try congress.issue(runoff)
        #expect(runoffCodes.count == 290)
        let runoffRows = runoffCodes.enumerated().map { n, code in
            (code, n < 200 ? ["P10"] : n < 290 ? ["P11"] : [], [String](), [String]())
        }
        _ = try congress.importPaper(runoff, runoffRows)
        _ = try congress.close(runoff)
        let second = try congress.tally(runoff)
        #expect(second["status"] as? String == "decided")
        #expect(second["chosen"] as? [String] == ["P10"])
        let secondCounts = try E2EScenario.counts(second)
        #expect(secondCounts["P10"]?["approve"] as? Int == 200)
        #expect(secondCounts["P11"]?["approve"] as? Int == 90)

        // T20: the losers are in the reserve pool; the chosen are chosen.
        let reserve = try need(try congress.json(["collect", "list", "--status", "reserve"])["proposals"] as? [[String: Any]], "reserve")
        #expect(Set(reserve.compactMap { $0["id"] as? String }) == ["P11", "P12"])
        let chosen = try need(try congress.json(["collect", "list", "--status", "chosen"])["proposals"] as? [[String: Any]], "chosen")
        #expect(chosen.count == 10)

        // Every receipt is provable, and the whole ledger verifies.
        let proof = try congress.json(["audit", "prove", receipts[0]])
        #expect(proof["index"] as? Int != nil)
        let verify = try congress.run(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    @Test("A sheet of 400 paper ballots, signed on every core, is refused whole at its first bad line")
    func largeSheetRefusedAtItsFirstBadLine() throws {
        let (congress, session, codes) = try E2EScenario.issuedSession(seated: 400)
        func sheet(_ codes: [String]) throws -> String {
            try congress.writePaper(session, codes.map { ($0, ["P1"], [String](), [String]()) })
        }
        var rows = codes
        rows[299] = E2EScenario.mistyped(codes[299])    // line 301
        rows[199] = codes[9]        // line 201 repeats line 11
        let before = try congress.entryCount()
        let both = try congress.run(["ballot", "import", session, try sheet(rows)])
        #expect(both.status == 2)
        #expect(both.stderr.contains("第 201 行与第 11 行是同一张凭证"), "\(both.stderr)")
        rows[199] = codes[199]
        let mistyped = try congress.run(["ballot", "import", session, try sheet(rows)])
        #expect(mistyped.status == 2)
        #expect(mistyped.stderr.contains("第 301 行的凭证码有误"), "\(mistyped.stderr)")
        #expect(try congress.entryCount() == before, "a refused sheet wrote to the ledger")

        let imported = try congress.json(["ballot", "import", session, try sheet(codes)])
        #expect(imported["imported"] as? Int == 400)
        _ = try congress.close(session)
        let counts = try E2EScenario.counts(try congress.tally(session))
        #expect(counts["P1"]?["approve"] as? Int == 400)
        #expect(try congress.run(["audit", "verify"]).status == 0)
    }
}
