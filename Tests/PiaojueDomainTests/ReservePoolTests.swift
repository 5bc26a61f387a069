import PiaojueDomain
import Testing

/// T20: a losing candidate is in the reserve pool after the vote, and can go on a later list.
@Suite struct ReservePoolTests {
    @Test("T20: losers of a decided vote go to the reserve pool and may be listed again")
    func t20() throws {
        var state = CollectionState()
        let rules = CollectionRules.standard
        for n in 1...5 {
            let event = ProposalSubmitted(
                id: state.nextProposalID, proposal: Proposal(title: "项目\(n)", category: "市政建设", content: "内容\(n)"))
            state.apply(event)
            state.apply(try state.decide(screen: event.id, decision: .accept, reason: nil, into: nil, note: nil, rules: rules))
        }
        for step in rules.approvalSteps { state.apply(try state.decide(approve: step, ref: "纪要", rules: rules)) }
        let decided = try state.decide(shortlist: 2, ids: ["P1", "P2", "P3", "P4"], rules: rules)
        state.apply(ListFrozen(
            list: "L1", seats: 2, candidates: decided.candidates, candidatesHash: "", approvals: decided.approvals, margin: .contested,
            rules: "default"))
        #expect(state.records["P5"]?.status == .reserve)
        // The vote: P1 and P2 chosen, P3 and P4 lose.
        state.apply(ListOutcome(list: "L1", chosen: ["P1", "P2"], notChosen: ["P3", "P4"]))
        #expect(state.records["P3"]?.status == .notChosen)
        #expect(Set(state.reservePool.map(\.id)) == ["P3", "P4", "P5"])
        #expect(state.records["P1"]?.status == .chosen)
        // A later list may take them (after its own approval steps); chosen ones may not.
        for step in rules.approvalSteps { state.apply(try state.decide(approve: step, ref: "纪要2", rules: rules)) }
        #expect(try state.decide(shortlist: 1, ids: ["P3", "P5"], rules: rules).candidates.map(\.id) == ["P3", "P5"])
        let chosen = try #require(throws: CollectionRefusal.self) { try state.decide(shortlist: 1, ids: ["P1", "P3"], rules: rules) }
        #expect(chosen.code == "collect.not-accepted")
        #expect(chosen.details["id"] == .text("P1"))
        #expect(chosen.details["status"] == .text("chosen"))
    }
}
