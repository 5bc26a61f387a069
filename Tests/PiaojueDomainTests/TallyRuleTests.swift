import PiaojueDomain
import PiaojueTestSupport
import Testing

/// Rule cases T7–T14 of RULES.md, and the counting rules around them.
@Suite struct TallyRuleTests {
    static func candidates(_ count: Int, budgets: [Int64]? = nil) -> [Candidate] {
        (1...count).map { n in
            Candidate(id: "P\(n)", title: "项目\(n)", category: "市政建设", budget: budgets.map { $0[n - 1] }, unit: nil, location: nil)
        }
    }

    static func rules(_ change: (inout BallotRules) -> Void = { _ in }) -> BallotRules {
        var rules = Rules.standard.ballot
        change(&rules)
        return rules
    }

    /// Ballots giving candidate n exactly `approvals[n]` 赞成 out of `voters` valid ballots, without
    /// over-marking (each ballot approves at most `seats` candidates).
    static func ballots(approvals: [Int], voters: Int, seats: Int) -> [Choices] {
        var ballots = Array(repeating: [String](), count: voters)
        for (n, count) in approvals.enumerated() {
            // Give this candidate's approvals to the ballots with the fewest marks so far.
            let emptiest = ballots.indices.sorted { (ballots[$0].count, $0) < (ballots[$1].count, $1) }.prefix(count)
            for index in emptiest where ballots[index].count < seats { ballots[index].append("P\(n + 1)") }
        }
        return ballots.map { Choices([.approve: $0, .oppose: [], .abstain: []]) }
    }

    static func input(
        candidates: [Candidate], seats: Int, rules: BallotRules = rules(), seated: Int, present: Int, issued: Int, returned: Int,
        ballots: [Choices], round: Int = 1
    ) -> TallyInput {
        TallyInput(
            session: "S1", list: "L1", round: round, seats: seats, candidates: candidates, rules: rules, seated: seated, present: present,
            issued: issued, returned: returned, budgetCommitted: 0, ballots: ballots)
    }

    @Test("T7: more returned than issued voids the round")
    func t7() {
        let result = VoteTally.decide(Self.input(
            candidates: Self.candidates(3), seats: 2, seated: 400, present: 314, issued: 314, returned: 315,
            ballots: Self.ballots(approvals: [300, 300, 10], voters: 314, seats: 2)))
        #expect(result.status == .void)
        #expect(result.chosen.isEmpty)
        #expect(result.notChosen.isEmpty)
        #expect(result.reason == .excessReturned)
        #expect(result.note == nil)
        #expect(result.explanation(maxRounds: 3)?.contains("重新投票") == true)
    }

    @Test("T8: fewer returned than issued is valid; the difference is recorded")
    func t8() {
        let result = VoteTally.decide(Self.input(
            candidates: Self.candidates(3), seats: 2, seated: 50, present: 45, issued: 45, returned: 44,
            ballots: Self.ballots(approvals: [40, 30, 5], voters: 44, seats: 2)))
        #expect(result.status == .decided)
        #expect(result.notReturned == 1)
        #expect(result.chosen == ["P1", "P2"])
    }

    @Test("T9: a ballot with more 赞成 than seats is void and counts for nobody")
    func t9() {
        let over = Choices([.approve: (1...11).map { "P\($0)" }, .oppose: [], .abstain: []])
        let normal = Choices([.approve: ["P1"], .oppose: ["P2"], .abstain: []])
        let counted = VoteTally.count(ballots: [over, normal], candidates: Self.candidates(12).map(\.id), seats: 10, rules: Self.rules())
        #expect(counted.valid == 1)
        #expect(counted.invalid == 1)
        #expect(counted.counts[0].approve == 1)
        #expect(counted.counts.dropFirst().allSatisfy { $0.approve == 0 })
        #expect(VoteTally.voidReason(over, seats: 10, rules: Self.rules()) != nil)
        // With the rule switched off the ballot counts.
        let lenient = VoteTally.count(ballots: [over], candidates: Self.candidates(12).map(\.id), seats: 10, rules: Self.rules { $0.overmarkVoidsBallot = false })
        #expect(lenient.valid == 1)
    }

    @Test("A rating mark on a vote ballot voids it, read whole or as mark codes")
    func aMarkOfAnotherFormVoidsTheBallot() {
        let stray = Choices([.approve: ["P1"], .satisfied: ["P2"]])
        #expect(VoteTally.voidReason(stray, seats: 1, rules: Self.rules()) != nil)
        var whole = VoteCounter(candidates: ["P1", "P2"], seats: 1, rules: Self.rules())
        whole.add(stray)
        var coded = VoteCounter(candidates: ["P1", "P2"], seats: 1, rules: Self.rules())
        coded.add(marks: [Mark.approve.code, Mark.satisfied.code], conflict: false)
        for counter in [whole, coded] {
            #expect(counter.valid == 0)
            #expect(counter.invalid == 1)
            #expect(counter.counts.allSatisfy { $0.approve == 0 })
        }
    }

    @Test("Counting a ballot whole gives the statute's result: void exactly when voidReason or an unknown id says so")
    func wholeBallotCountMatchesTheDefinition() {
        var random = SplitMix(seed: 0x5eed_ba11)
        let ids = (1...6).map { "P\($0)" }
        for round in 0..<3_000 {
            // Ids from the list, an unknown one, repeats; marks of either form; over-marks.
            var marks: [Mark: [String]] = [:]
            for mark in Mark.allCases where random.next() % 3 != 0 {
                marks[mark] = (0..<Int(random.next() % 4)).map { _ in
                    random.next() % 9 == 0 ? "X" : ids[Int(random.next() % UInt64(ids.count))]
                }
            }
            let ballot = Choices(marks)
            let rules = Self.rules { $0.overmarkVoidsBallot = round % 2 == 0 }
            var counter = VoteCounter(candidates: ids, seats: 2, rules: rules)
            counter.add(ballot)
            let void = VoteTally.voidReason(ballot, seats: 2, rules: rules) != nil || ballot.allMarkedIDs.contains { !ids.contains($0) }
            #expect(counter.invalid == (void ? 1 : 0), "ballot \(round): \(marks)")
            #expect(counter.valid == (void ? 0 : 1), "ballot \(round): \(marks)")
            for (n, count) in counter.counts.enumerated() {
                let approve = void ? 0 : ballot[.approve].filter { $0 == ids[n] }.count
                let oppose = void ? 0 : ballot[.oppose].filter { $0 == ids[n] }.count
                #expect(count.approve == approve && count.oppose == oppose, "ballot \(round), \(ids[n])")
            }
        }
    }

    @Test("T10: a blank ballot is valid, all 弃权")
    func t10() {
        let blank = Choices([.approve: [], .oppose: [], .abstain: []])
        let counted = VoteTally.count(ballots: [blank], candidates: ["P1", "P2"], seats: 1, rules: Self.rules())
        #expect(counted.valid == 1)
        #expect(counted.invalid == 0)
        #expect(counted.counts.allSatisfy { $0.abstain == 1 && $0.approve == 0 && $0.oppose == 0 })
    }

    @Test("T11: 过半数 is strict — 327 seated, 164 passes, 163 does not", arguments: [
        (164, true), (163, false), (165, true), (0, false),
    ])
    func t11(approvals: Int, eligible: Bool) {
        #expect(VoteTally.passes(approvals, base: 327, strict: true) == eligible)
        let result = VoteTally.decide(Self.input(
            candidates: Self.candidates(2), seats: 1, seated: 327, present: 300, issued: 300, returned: 300,
            ballots: Self.ballots(approvals: [approvals, 0], voters: 300, seats: 1)))
        #expect(result.candidates[0].eligible == eligible)
        #expect(result.threshold == 164)
    }

    @Test func t11BothCandidates() {
        let result = VoteTally.decide(Self.input(
            candidates: Self.candidates(2), seats: 2, seated: 327, present: 300, issued: 300, returned: 300,
            ballots: Self.ballots(approvals: [164, 163], voters: 300, seats: 2)))
        #expect(result.candidates.map(\.eligible) == [true, false])
        #expect(result.chosen == ["P1"])
        #expect(result.shortfall == 1)
    }

    @Test("Threshold bases and strictness", arguments: [
        (ThresholdBase.seated, true, 50, false), (.seated, false, 50, true), (.present, true, 50, true), (.valid, true, 50, true),
        (.none, true, 1, true),
    ])
    func thresholdBases(base: ThresholdBase, strict: Bool, approvals: Int, eligible: Bool) {
        // 100 seated, 80 present, 70 valid ballots.
        let result = VoteTally.decide(Self.input(
            candidates: Self.candidates(2), seats: 1, rules: Self.rules { $0.thresholdBase = base; $0.thresholdStrict = strict },
            seated: 100, present: 80, issued: 80, returned: 70, ballots: Self.ballots(approvals: [approvals, 0], voters: 70, seats: 1)))
        #expect(result.candidates[0].eligible == eligible)
    }

    @Test("T12: a tie across the last seat goes to a runoff among the tied for the seats left")
    func t12() {
        let approvals = [200, 195, 190, 185, 180, 175, 170, 165, 160, 150, 150, 100]
        let result = VoteTally.decide(Self.input(
            candidates: Self.candidates(12), seats: 10, seated: 250, present: 240, issued: 240, returned: 240,
            ballots: Self.ballots(approvals: approvals, voters: 240, seats: 10)))
        #expect(result.status == .runoffRequired)
        #expect(result.chosen == (1...9).map { "P\($0)" })
        #expect(result.runoff == ["P10", "P11"])
        #expect(result.runoffSeats == 1)
        #expect(result.notChosen == ["P12"])
        #expect(result.shortfall == 0)
    }

    @Test func tieAtTheLastRoundLeavesTheSeatVacant() {
        // P2 and P3 tie for the second seat in the last allowed round (max_rounds = 3).
        let result = VoteTally.decide(Self.input(
            candidates: Self.candidates(3), seats: 2, seated: 10, present: 10, issued: 10, returned: 10,
            ballots: Self.ballots(approvals: [8, 6, 6], voters: 10, seats: 2), round: 3))
        #expect(result.status == .decided)
        #expect(result.chosen == ["P1"])
        #expect(result.runoff.isEmpty)
        #expect(result.shortfall == 1)
    }

    @Test("T13: 8 eligible for 10 seats — 8 chosen, shortfall 2 per policy")
    func t13() {
        let approvals = [150, 150, 150, 150, 150, 150, 150, 140, 100, 90, 80, 70]
        let leave = VoteTally.decide(Self.input(
            candidates: Self.candidates(12), seats: 10, seated: 250, present: 240, issued: 240, returned: 240,
            ballots: Self.ballots(approvals: approvals, voters: 240, seats: 10)))
        #expect(leave.status == .decided)
        #expect(leave.chosen.count == 8)
        #expect(leave.shortfall == 2)
        #expect(leave.notChosen == ["P9", "P10", "P11", "P12"])
        let revote = VoteTally.decide(Self.input(
            candidates: Self.candidates(12), seats: 10, rules: Self.rules { $0.shortfall = .revoteRemaining }, seated: 250, present: 240,
            issued: 240, returned: 240, ballots: Self.ballots(approvals: approvals, voters: 240, seats: 10)))
        #expect(revote.status == .runoffRequired)
        #expect(revote.runoff == ["P9", "P10", "P11", "P12"])
        #expect(revote.runoffSeats == 2)
    }

    @Test("T14: e-voter buttons not pressed are 未按, not votes")
    func t14() {
        let ballots = [
            Choices([.approve: ["P1"], .oppose: [], .abstain: []]), Choices([.approve: [], .oppose: ["P1"], .abstain: []]),
            Choices([.approve: [], .oppose: [], .abstain: ["P1"]]), Choices([.approve: [], .oppose: [], .abstain: []]),
            Choices([.approve: [], .oppose: [], .abstain: []]), Choices([.approve: [], .oppose: [], .abstain: []]),
        ]
        let counted = VoteTally.count(ballots: ballots, candidates: ["P1"], seats: 1, rules: Self.rules { $0.form = .eVoter })
        #expect(counted.counts[0].approve == 1)
        #expect(counted.counts[0].oppose == 1)
        #expect(counted.counts[0].abstain == 1)
        #expect(counted.counts[0].notPressed == 3)
        let paper = VoteTally.count(ballots: ballots, candidates: ["P1"], seats: 1, rules: Self.rules())
        #expect(paper.counts[0].abstain == 4)
        #expect(paper.counts[0].notPressed == nil)
    }

    @Test func doubleMarkedBallotIsVoid() {
        let ballot = Choices([.approve: ["P1"], .oppose: ["P1"], .abstain: []])
        let counted = VoteTally.count(ballots: [ballot], candidates: ["P1", "P2"], seats: 1, rules: Self.rules())
        #expect(counted.invalid == 1)
    }

    @Test func budgetCapSkipsWhatNoLongerFits() {
        // Caps at 1000万: P1 (600万) fits, P2 (500万) would exceed and is skipped, P3 (300万) fits.
        let result = VoteTally.decide(Self.input(
            candidates: Self.candidates(4, budgets: [6_000_000, 5_000_000, 3_000_000, 1_000_000]), seats: 2,
            rules: Self.rules { $0.budgetCap = 10_000_000; $0.thresholdBase = .none }, seated: 20, present: 20, issued: 20,
            returned: 20, ballots: Self.ballots(approvals: [9, 8, 7, 6], voters: 20, seats: 2)))
        #expect(result.chosen == ["P1", "P3"])
        #expect(result.skipped.map(\.id) == ["P2"])
        #expect(result.notChosen == ["P2", "P4"])
    }

    @Test func rankingIsByApprovalsThenListOrder() {
        let result = VoteTally.decide(Self.input(
            candidates: Self.candidates(4), seats: 2, rules: Self.rules { $0.thresholdBase = .none }, seated: 20, present: 20,
            issued: 20, returned: 20, ballots: Self.ballots(approvals: [6, 9, 8, 1], voters: 20, seats: 2)))
        #expect(result.chosen == ["P2", "P3"])
        #expect(Set(result.candidates.filter(\.chosen).map(\.id)) == ["P2", "P3"])
    }
}
