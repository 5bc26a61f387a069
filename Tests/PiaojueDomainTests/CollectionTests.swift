import PiaojueDomain
import PiaojueTestSupport
import Testing

/// Stage 1 · 征集初定 decisions, without a disk: the rule cases T3, T4, T5 and T19 of RULES.md and the
/// screening, approval and duplicate rules around them.
@Suite struct CollectionTests {
    /// The default steps, in order.
    static let steps = CollectionRules.standard.approvalSteps

    /// A state with `count` proposals P1…Pn, accepted when `accepted`, and the given approval steps
    /// recorded through the decisions (so that their order is checked too).
    static func state(proposals count: Int, accepted: Bool = true, approved: [String] = steps, rules: CollectionRules = .standard)
        throws -> CollectionState
    {
        var state = CollectionState()
        for n in 0..<count {
            let proposal = Proposal(title: "项目\(n + 1)", category: "市政建设", content: "建设内容\(n + 1)", location: "地点\(n + 1)")
            #expect(try state.check(submit: proposal, rules: rules) == nil)
            state.apply(ProposalSubmitted(id: state.nextProposalID, proposal: proposal))
            if accepted {
                state.apply(try state.decide(screen: "P\(n + 1)", decision: .accept, reason: nil, into: nil, note: nil, rules: rules))
            }
        }
        for step in approved { state.apply(try state.decide(approve: step, ref: "\(step)纪要", rules: rules)) }
        return state
    }

    static func ids(_ count: Int) -> [String] { (1...count).map { "P\($0)" } }

    static func rules(margin: Margin, minimumRatio: Ratio? = nil) -> CollectionRules {
        var rules = CollectionRules.standard
        rules.margin = margin
        rules.minimumRatio = minimumRatio
        return rules
    }

    // MARK: T3, T4 — 差额 and 等额

    struct MarginCase: Sendable, CustomTestStringConvertible {
        let rule: String
        let seats: Int
        let candidates: Int
        let margin: Margin
        var minimumRatio: Ratio? = nil
        let accepted: Bool
        var testDescription: String { "\(rule): \(candidates) candidates for \(seats) seats, \(margin.rawValue)" }
    }

    @Test(arguments: [
        MarginCase(rule: "T3", seats: 10, candidates: 10, margin: .contested, accepted: false),
        MarginCase(rule: "T4", seats: 15, candidates: 15, margin: .equalAllowed, accepted: true),
        MarginCase(rule: "差额 12→10", seats: 10, candidates: 12, margin: .contested, accepted: true),
        MarginCase(rule: "差额 7→5", seats: 5, candidates: 7, margin: .contested, accepted: true),
        MarginCase(rule: "差额 11→10", seats: 10, candidates: 11, margin: .contested, accepted: true),
        MarginCase(rule: "fewer than seats", seats: 10, candidates: 9, margin: .contested, accepted: false),
        MarginCase(rule: "等额 short", seats: 15, candidates: 14, margin: .equalAllowed, accepted: false),
        MarginCase(rule: "等额 allowed, 差额 too", seats: 12, candidates: 15, margin: .equalAllowed, accepted: true),
        MarginCase(rule: "ratio 6/5 kept", seats: 10, candidates: 12, margin: .contested, minimumRatio: Ratio(6, 5), accepted: true),
        MarginCase(rule: "ratio 6/5 broken", seats: 10, candidates: 11, margin: .contested, minimumRatio: Ratio(6, 5), accepted: false),
    ])
    func theMarginRuleDecidesWhetherTheListFreezes(_ rule: MarginCase) throws {
        let rules = Self.rules(margin: rule.margin, minimumRatio: rule.minimumRatio)
        let state = try Self.state(proposals: rule.candidates, rules: rules)
        if rule.accepted {
            let decided = try state.decide(shortlist: rule.seats, ids: Self.ids(rule.candidates), rules: rules)
            #expect(decided.seats == rule.seats)
            #expect(decided.candidates.map(\.id) == Self.ids(rule.candidates))
            #expect(decided.approvals.map(\.step) == Self.steps)
        } else {
            let failure = try #require(throws: CollectionRefusal.self) {
                try state.decide(shortlist: rule.seats, ids: Self.ids(rule.candidates), rules: rules)
            }
            #expect(["collect.not-contested", "collect.too-few-candidates", "collect.ratio-too-low"].contains(failure.code))
            #expect(failure.exitStatus == 1)
            #expect(failure.details["candidates"] == .number(rule.candidates))
            #expect(failure.description.contains("\(rule.candidates)"))
        }
    }

    // MARK: T5 — every approval step before the vote

    @Test(arguments: [
        ([String](), "政府常务会议"),
        (["政府常务会议"], "党委审定"),
    ])
    func aMissingApprovalStepRefusesTheListNamingIt(_ done: [String], _ missing: String) throws {
        let state = try Self.state(proposals: 12, approved: done)
        let failure = try #require(throws: CollectionRefusal.self) {
            try state.decide(shortlist: 10, ids: Self.ids(12), rules: .standard)
        }
        #expect(failure.exitStatus == 1)
        #expect(failure == .stepMissing(missing: missing))
        #expect(failure.code == "collect.step-missing")
        #expect(failure.description.contains(missing))
    }

    @Test func configuredStepsAreAllRequired() throws {
        var rules = CollectionRules.standard
        rules.approvalSteps = ["部门论证", "政府常务会议", "人大常委会征求意见", "党委审定"]
        let partial = try Self.state(proposals: 3, approved: ["部门论证", "政府常务会议"], rules: rules)
        let failure = try #require(throws: CollectionRefusal.self) { try partial.decide(shortlist: 2, ids: Self.ids(3), rules: rules) }
        #expect(failure == .stepMissing(missing: "人大常委会征求意见"))
        let complete = try Self.state(proposals: 3, approved: rules.approvalSteps, rules: rules)
        #expect(try complete.decide(shortlist: 2, ids: Self.ids(3), rules: rules).approvals.map(\.step) == rules.approvalSteps)
    }

    @Test(arguments: [
        (["党委审定"], "部门论证"),
        (["人大常委会征求意见"], "部门论证"),
        (["部门论证", "党委审定"], "政府常务会议"),
    ])
    func approvalStepsOutOfOrderAreRefusedNamingTheMissingOne(_ attempted: [String], _ missing: String) throws {
        var rules = CollectionRules.standard
        rules.approvalSteps = ["部门论证", "政府常务会议", "人大常委会征求意见", "党委审定"]
        var state = try Self.state(proposals: 3, approved: [], rules: rules)
        for step in attempted.dropLast() { state.apply(try state.decide(approve: step, ref: "ref", rules: rules)) }
        let step = try #require(attempted.last)
        let failure = try #require(throws: CollectionRefusal.self) { try state.decide(approve: step, ref: "ref", rules: rules) }
        #expect(failure.exitStatus == 1)
        #expect(failure == .stepOutOfOrder(missing: missing, step: step))
        #expect(failure.code == "collect.step-out-of-order")
    }

    @Test func approvalStepMistakes() throws {
        var state = try Self.state(proposals: 3, approved: [])
        let early = try #require(throws: CollectionRefusal.self) { try state.decide(approve: "党委审定", ref: "x", rules: .standard) }
        #expect(early.exitStatus == 1)
        #expect(early.code == "collect.step-out-of-order")
        #expect(early.description.contains("政府常务会议"))
        let unknown = try #require(throws: CollectionRefusal.self) { try state.decide(approve: "县长签字", ref: "x", rules: .standard) }
        #expect(unknown.exitStatus == 2)
        #expect(unknown.code == "collect.unknown-step")
        #expect(unknown.details["step"] == .text("县长签字"))
        let noRef = try #require(throws: CollectionRefusal.self) { try state.decide(approve: "政府常务会议", ref: "  ", rules: .standard) }
        #expect(noRef.exitStatus == 2)
        #expect(noRef.code == "collect.missing-ref")
        state.apply(try state.decide(approve: "政府常务会议", ref: "第12次常务会议", rules: .standard))
        let twice = try #require(throws: CollectionRefusal.self) { try state.decide(approve: "政府常务会议", ref: "again", rules: .standard) }
        #expect(twice.exitStatus == 1)
        #expect(twice.code == "collect.step-repeated")
        #expect(state.pendingApprovals.map(\.ref) == ["第12次常务会议"])
        #expect(state.pendingApprovals.first?.list == "L1")
    }

    @Test func aFrozenListStartsTheNextListsApprovalsAfresh() throws {
        var state = try Self.state(proposals: 12)
        let decided = try state.decide(shortlist: 10, ids: Self.ids(11), rules: .standard)
        state.apply(ListFrozen(
            list: state.nextListID, seats: decided.seats, candidates: decided.candidates, candidatesHash: "", approvals: decided.approvals,
            margin: .contested, rules: "default"))
        #expect(state.pendingApprovals.isEmpty)
        #expect(state.nextListID == "L2")
        #expect(state.records["P1"]?.status == .shortlisted)
        #expect(state.records["P1"]?.list == "L1")
        // The accepted proposal left off goes to the reserve pool; a later list needs new approvals.
        #expect(state.records["P12"]?.status == .reserve)
        #expect(state.reservePool.map(\.id) == ["P12"])
        let failure = try #require(throws: CollectionRefusal.self) { try state.decide(shortlist: 1, ids: ["P12"], rules: .standard) }
        #expect(failure.exitStatus == 1)
        #expect(failure.code == "collect.step-missing")
        #expect(failure.description.contains("政府常务会议"))
        let relisted = try #require(throws: CollectionRefusal.self) { try state.decide(shortlist: 1, ids: ["P12", "P1"], rules: .standard) }
        #expect(relisted.code == "collect.not-accepted")
        #expect(relisted.details["id"] == .text("P1"))
    }

    @Test("A frozen list moves every proposal still accepted and not on it to the reserve pool, over 40 seeded histories")
    func freezingMatchesTheDefinitionOverManyLists() {
        var random = SplitMix(seed: 0xf0e2_11a7)
        for history in 0..<40 {
            var state = CollectionState()
            // The definition, kept by hand: every proposal's status, walked whole at each freeze.
            var expected: [String: ProposalStatus] = [:]
            for step in 0..<120 {
                let ids = state.order
                switch random.next() % 6 {
                case 0...1:
                    let id = state.nextProposalID
                    state.apply(ProposalSubmitted(id: id, proposal: Proposal(title: "项目\(id)", category: "市政建设", content: "内容")))
                    expected[id] = .submitted
                case 2...3 where !ids.isEmpty:
                    let id = ids[Int(random.next() % UInt64(ids.count))]
                    let accept = random.next() % 3 != 0
                    state.apply(ProposalScreened(id: id, decision: accept ? .accept : .reject, reason: accept ? nil : "理由"))
                    expected[id] = accept ? .accepted : .rejected
                case 4 where !ids.isEmpty:
                    let listed = ids.filter { _ in random.next() % 4 == 0 }
                    let list = state.nextListID
                    state.apply(ListFrozen(
                        list: list, seats: 1, candidates: listed.map { Candidate(id: $0, title: "", category: "", budget: nil, unit: nil, location: nil) },
                        candidatesHash: "", approvals: [], margin: .contested, rules: "default"))
                    for id in ids {
                        if listed.contains(id) { expected[id] = .shortlisted } else if expected[id] == .accepted { expected[id] = .reserve }
                    }
                    for id in listed { #expect(state.records[id]?.list == list, "history \(history), step \(step), \(id)") }
                case 5 where ids.count >= 2:
                    let id = ids[Int(random.next() % UInt64(ids.count))]
                    let into = ids.first { $0 != id } ?? id
                    state.apply(ProposalScreened(id: id, decision: .merge, into: into))
                    expected[id] = .merged
                default: break
                }
                for id in state.order { #expect(state.records[id]?.status == expected[id], "history \(history), step \(step), \(id)") }
            }
        }
    }

    @Test func candidatesMustHaveBeenAccepted() throws {
        var state = try Self.state(proposals: 12)
        state.apply(ProposalSubmitted(id: "P13", proposal: Proposal(title: "未筛选", category: "其他", content: "x")))
        let unscreened = try #require(throws: CollectionRefusal.self) {
            try state.decide(shortlist: 10, ids: Self.ids(11) + ["P13"], rules: .standard)
        }
        #expect(unscreened.exitStatus == 1)
        #expect(unscreened.code == "collect.not-accepted")
        #expect(unscreened.details["id"] == .text("P13"))
        let unknown = try #require(throws: CollectionRefusal.self) { try state.decide(shortlist: 10, ids: Self.ids(11) + ["P99"], rules: .standard) }
        #expect(unknown.exitStatus == 2)
        #expect(unknown == .unknownProposal(id: "P99"))
        let twice = try #require(throws: CollectionRefusal.self) { try state.decide(shortlist: 10, ids: Self.ids(11) + ["P1"], rules: .standard) }
        #expect(twice.exitStatus == 2)
        #expect(twice == .candidateRepeated(id: "P1"))
        let noSeats = try #require(throws: CollectionRefusal.self) { try state.decide(shortlist: 0, ids: Self.ids(11), rules: .standard) }
        #expect(noSeats.exitStatus == 2)
        #expect(noSeats == .seats(seats: 0))
    }

    // MARK: T19 — the negative list

    @Test(arguments: ["个别单位或个人诉求", "7", " 7 ", "个别单位或个人诉求 "])
    func aProposalServingOneHouseholdIsRejectedWithItsReason(_ reason: String) throws {
        var state = CollectionState()
        let proposal = Proposal(
            title: "硬化张家门前道路", category: "市政建设", content: "为张某一户门前铺设水泥路 30 米", location: "李村",
            proposer: Proposer(name: "张某", channel: "12345热线"))
        state.apply(ProposalSubmitted(id: state.nextProposalID, proposal: proposal))
        let event = try state.decide(screen: "P1", decision: .reject, reason: reason, into: nil, note: "仅惠及一户", rules: .standard)
        #expect(event.decision == .reject)
        #expect(event.reason == "个别单位或个人诉求")
        #expect(event.note == "仅惠及一户")
        state.apply(event)
        let record = try #require(state.records["P1"])
        #expect(record.status == .rejected)
        #expect(record.rejectReason == "个别单位或个人诉求")
        #expect(state.reservePool.isEmpty)
    }

    @Test(arguments: ["", "不喜欢", "0", "9", "个别单位"])
    func aReasonOffTheNegativeListIsRefused(_ reason: String) throws {
        var state = CollectionState()
        state.apply(ProposalSubmitted(id: "P1", proposal: Proposal(title: "t", category: "其他", content: "c")))
        let failure = try #require(throws: CollectionRefusal.self) {
            try state.decide(screen: "P1", decision: .reject, reason: reason, into: nil, note: nil, rules: .standard)
        }
        #expect(failure.exitStatus == 2)
        #expect(failure.code == "collect.reason-not-listed")
        #expect(failure.details["reason"] == .text(reason))
        #expect(failure.description.contains("个别单位或个人诉求"))
    }

    @Test func screeningTwiceIsRefused() throws {
        var state = try Self.state(proposals: 2)
        let again = try #require(throws: CollectionRefusal.self) {
            try state.decide(screen: "P1", decision: .accept, reason: nil, into: nil, note: nil, rules: .standard)
        }
        #expect(again.exitStatus == 1)
        #expect(again == .alreadyScreened(id: "P1", status: "accepted"))
        state.apply(try state.decide(screen: "P2", decision: .reject, reason: "1", into: nil, note: nil, rules: .standard))
        #expect(state.records["P2"]?.rejectReason == "不具备实施条件")
        #expect(throws: CollectionRefusal.alreadyScreened(id: "P2", status: "rejected")) {
            try state.decide(screen: "P2", decision: .reject, reason: "1", into: nil, note: nil, rules: .standard)
        }
        let unknown = try #require(throws: CollectionRefusal.self) {
            try state.decide(screen: "P9", decision: .accept, reason: nil, into: nil, note: nil, rules: .standard)
        }
        #expect(unknown.exitStatus == 2)
        #expect(unknown.code == "collect.unknown-proposal")
    }

    // MARK: Merging (一事一提)

    @Test func mergingKeepsBothProposers() throws {
        var state = CollectionState()
        let title = "城东社区养老服务中心"
        state.apply(ProposalSubmitted(id: "P1", proposal: Proposal(
            title: title, category: "社会保障", content: "日间照料", location: "城东街道",
            proposer: Proposer(name: "王芳", unit: "城东代表联络站"), channel: "代表联络站")))
        state.apply(ProposalSubmitted(id: "P2", proposal: Proposal(
            title: "城东建养老中心", category: "社会保障", content: "老人吃饭难", location: "城东街道",
            proposer: Proposer(name: "李明", contact: "138…"), channel: "12345热线")))
        let event = try state.decide(screen: "P2", decision: .merge, reason: nil, into: "P1", note: "同一事项", rules: .standard)
        #expect(event.into == "P1")
        state.apply(event)
        let target = try #require(state.records["P1"])
        #expect(target.proposers.map(\.name) == ["王芳", "李明"])
        #expect(target.proposers.map(\.channel) == ["代表联络站", "12345热线"])
        #expect(target.mergedFrom == ["P2"])
        #expect(target.status == .submitted)
        let merged = try #require(state.records["P2"])
        #expect(merged.status == .merged)
        #expect(merged.mergedInto == "P1")
        // The merged proposal can no longer be listed; the target can once accepted.
        state.apply(try state.decide(screen: "P1", decision: .accept, reason: nil, into: nil, note: nil, rules: .standard))
        #expect(state.records["P1"]?.proposers.count == 2)
    }

    @Test func impossibleMergesAreRefused() throws {
        var state = try Self.state(proposals: 3, accepted: false, approved: [])
        let intoItself = try #require(throws: CollectionRefusal.self) {
            try state.decide(screen: "P1", decision: .merge, reason: nil, into: "P1", note: nil, rules: .standard)
        }
        #expect(intoItself.exitStatus == 2)
        #expect(intoItself.code == "collect.merge-into-self")
        let intoNothing = try #require(throws: CollectionRefusal.self) {
            try state.decide(screen: "P1", decision: .merge, reason: nil, into: "P9", note: nil, rules: .standard)
        }
        #expect(intoNothing.exitStatus == 2)
        #expect(intoNothing == .unknownProposal(id: "P9"))
        let noTarget = try #require(throws: CollectionRefusal.self) {
            try state.decide(screen: "P1", decision: .merge, reason: nil, into: nil, note: nil, rules: .standard)
        }
        #expect(noTarget.exitStatus == 2)
        #expect(noTarget.code == "collect.merge-needs-target")
        state.apply(try state.decide(screen: "P3", decision: .reject, reason: "6", into: nil, note: nil, rules: .standard))
        let intoRejected = try #require(throws: CollectionRefusal.self) {
            try state.decide(screen: "P1", decision: .merge, reason: nil, into: "P3", note: nil, rules: .standard)
        }
        #expect(intoRejected.exitStatus == 1)
        #expect(intoRejected == .mergeTargetClosed(target: "P3", status: "rejected"))
    }

    // MARK: Submission checks and duplicates

    @Test func duplicatesArePointedOut() throws {
        var state = CollectionState()
        let first = Proposal(title: "城东路灯改造", category: "市政建设", content: "更换路灯 200 盏", location: "城东街道")
        #expect(try state.check(submit: first, rules: .standard) == nil)
        state.apply(ProposalSubmitted(id: "P1", proposal: first))
        let same = Proposal(title: " 城东路灯改造 ", category: "城市管理", content: "路灯太暗", location: "城东街道\u{3000}")
        #expect(try state.check(submit: same, rules: .standard) == "P1")
        let elsewhere = Proposal(title: "城东路灯改造", category: "市政建设", content: "x", location: "城西街道")
        #expect(try state.check(submit: elsewhere, rules: .standard) == nil)
        let noLocation = Proposal(title: "城东路灯改造", category: "市政建设", content: "x")
        #expect(try state.check(submit: noLocation, rules: .standard) == nil)
        // A second copy still points at the first; once the first is rejected, at the second.
        state.apply(ProposalSubmitted(id: "P2", proposal: same, possibleDuplicateOf: "P1"))
        #expect(state.records["P2"]?.possibleDuplicateOf == "P1")
        #expect(try state.check(submit: first, rules: .standard) == "P1")
        state.apply(try state.decide(screen: "P1", decision: .reject, reason: "5", into: nil, note: nil, rules: .standard))
        #expect(try state.check(submit: first, rules: .standard) == "P2")
    }

    @Test func duplicatesOfMergedProposalsAreNotPointedOut() throws {
        var state = CollectionState()
        let proposal = Proposal(title: "修桥", category: "市政建设", content: "x", location: "河东")
        state.apply(ProposalSubmitted(id: "P1", proposal: Proposal(title: "修河东桥", category: "市政建设", content: "y", location: "河东")))
        state.apply(ProposalSubmitted(id: "P2", proposal: proposal))
        state.apply(try state.decide(screen: "P2", decision: .merge, reason: nil, into: "P1", note: nil, rules: .standard))
        #expect(try state.check(submit: proposal, rules: .standard) == nil)
    }

    @Test(arguments: [
        (Proposal(title: " ", category: "市政建设", content: "x"), "title", "collect.missing-field"),
        (Proposal(title: "t", category: "", content: "x"), "category", "collect.missing-field"),
        (Proposal(title: "t", category: "市政建设", content: ""), "content", "collect.missing-field"),
        (Proposal(title: "t", category: "太空探索", content: "x"), "太空探索", "collect.unknown-category"),
        (Proposal(title: "t", category: "市政建设", content: "x", channel: "托梦"), "托梦", "collect.unknown-channel"),
        (Proposal(title: String(repeating: "长", count: 4001), category: "市政建设", content: "x"), "4000", "collect.too-long"),
    ])
    func badSubmissionsAreRefusedNamingTheField(_ proposal: Proposal, _ named: String, _ code: String) throws {
        let error = try #require(throws: CollectionRefusal.self) { try CollectionState().check(submit: proposal, rules: .standard) }
        #expect(error.code == code)
        #expect(error.exitStatus == 2)
        #expect(error.description.contains(named), "\(error.description)")
    }

    @Test func requiredFieldsComeFromTheRules() throws {
        var rules = CollectionRules.standard
        rules.requiredFields = [.title, .category, .content, .budget, .unit]
        let proposal = Proposal(title: "t", category: "市政建设", content: "x", budget: 1_200_000)
        let error = try #require(throws: CollectionRefusal.self) { try CollectionState().check(submit: proposal, rules: rules) }
        #expect(error == .missingField(field: "unit", name: "责任单位"))
        #expect(error.description.contains("责任单位"))
        var complete = proposal
        complete.unit = "县住建局"
        #expect(try CollectionState().check(submit: complete, rules: rules) == nil)
    }

    @Test(arguments: ProposalStatus.allCases)
    func statusWordsRoundTrip(_ status: ProposalStatus) {
        #expect(ProposalStatus(word: status.rawValue) == status)
        #expect(ProposalStatus(word: status.chinese) == status)
    }
}
