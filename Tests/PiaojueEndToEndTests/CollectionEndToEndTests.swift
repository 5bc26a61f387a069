import Foundation
import PiaojueTestSupport
import Testing

/// Stage 1 · 征集初定 through the built binary: T3, T4, T5 and T19 of RULES.md, refusals that write
/// nothing, and the whole path proposal → screening → approval steps → candidate list in the log.
@Suite struct CollectionEndToEndTests {
    @Test func t3AContestedListWithAsManyCandidatesAsSeatsIsRefused() throws {
        let workspace = try CLIWorkspace()
        try workspace.acceptedProposals(10)
        try workspace.approveBothSteps()
        let stderr = try workspace.expectRefusal(["collect", "shortlist", "--seats", "10"] + proposalIDs(10), status: 1)
        #expect(stderr.contains("差额"))
        try workspace.expectRefusal(["collect", "shortlist", "--seats", "10", "--rules", "default"] + proposalIDs(10), status: 1)
        // With one more candidate than seats the same list freezes.
        try workspace.piaojue.ok(["collect", "submit", "--title", "项目11", "--category", "市政建设", "--content", "建设内容11"])
        try workspace.piaojue.ok(["collect", "screen", "P11", "--accept"])
        let frozen = try workspace.piaojue.ok(["collect", "shortlist", "--seats", "10", "--json"] + proposalIDs(11)).json()
        #expect(frozen["candidates"] as? [String] == proposalIDs(11))
    }

    @Test func t4AnEqualSlateIsAcceptedWhereTheRulesAllowIt() throws {
        let workspace = try CLIWorkspace()
        try workspace.acceptedProposals(15)
        try workspace.approveBothSteps()
        try workspace.expectRefusal(["collect", "shortlist", "--seats", "15"] + proposalIDs(15), status: 1)
        let frozen = try workspace.piaojue.ok(["collect", "shortlist", "--seats", "15", "--rules", "equal-slate", "--json"] + proposalIDs(15)).json()
        #expect(frozen["list"] as? String == "L1")
        #expect(frozen["candidates"] as? [String] == proposalIDs(15))
        let last = try #require(try workspace.log().last)
        #expect(last.kind == "collect.shortlist")
        #expect(last.payload["seats"] as? Int == 15)
        #expect(last.payload["margin"] as? String == "equal-allowed")
        #expect(last.payload["rules"] as? String == "equal-slate")
    }

    @Test func t5AMissingApprovalStepRefusesTheListNamingIt() throws {
        let workspace = try CLIWorkspace()
        try workspace.acceptedProposals(12)
        let none = try workspace.expectRefusal(["collect", "shortlist", "--seats", "10"] + proposalIDs(12), status: 1)
        #expect(none.contains("政府常务会议"))
        let early = try workspace.expectRefusal(["collect", "approve", "--step", "党委审定", "--ref", "县委常委会〔2025〕3号"], status: 1)
        #expect(early.contains("政府常务会议"))
        try workspace.piaojue.ok(["collect", "approve", "--step", "政府常务会议", "--ref", "县政府第12次常务会议纪要"])
        let missing = try workspace.expectRefusal(["collect", "shortlist", "--seats", "10"] + proposalIDs(12), status: 1)
        #expect(missing.contains("党委审定"))
        try workspace.piaojue.ok(["collect", "approve", "--step", "党委审定", "--ref", "县委常委会〔2025〕3号"])
        try workspace.piaojue.ok(["collect", "shortlist", "--seats", "10"] + proposalIDs(12))
    }

    @Test(arguments: ["个别单位或个人诉求", "7"])
    func t19AProposalServingOneHouseholdIsRejected(_ reason: String) throws {
        let workspace = try CLIWorkspace()
        let submitted = try workspace.piaojue.ok([
            "collect", "submit", "--title", "硬化张家门前道路", "--category", "市政建设", "--content", "为张某一户门前铺设水泥路 30 米",
            "--location", "李村", "--proposer", "张某", "--channel", "12345热线", "--json",
        ]).json()
        let id = try need(submitted["id"] as? String, "id")
        let screened = try workspace.piaojue.ok(["collect", "screen", id, "--reject", reason, "--note", "仅惠及一户", "--json"]).json()
        #expect(screened["id"] as? String == id)
        #expect(screened["status"] as? String == "rejected")
        #expect(screened["reason"] as? String == "个别单位或个人诉求")
        let listed = try workspace.piaojue.ok(["collect", "list", "--status", "未采纳", "--json"]).json()
        let proposals = try need(listed["proposals"] as? [[String: Any]], "proposals")
        #expect(proposals.map { $0["id"] as? String } == [id])
        let entry = try #require(try workspace.log().last)
        #expect(entry.kind == "collect.screen")
        #expect(entry.payload["reason"] as? String == "个别单位或个人诉求")
        #expect(entry.payload["note"] as? String == "仅惠及一户")
    }

    @Test func refusalsAndBadInputWriteNothing() throws {
        let workspace = try CLIWorkspace()
        try workspace.acceptedProposals(12)
        try workspace.piaojue.ok(["collect", "submit", "--title", "未筛选项目", "--category", "其他", "--content", "x"])
        try workspace.approveBothSteps()
        let cases: [(arguments: [String], status: Int32, named: String)] = [
            (["collect", "screen", "P13", "--reject", "不喜欢"], 2, "个别单位或个人诉求"),
            (["collect", "screen", "P1", "--accept"], 1, "P1"),
            (["collect", "screen", "P99", "--accept"], 2, "P99"),
            (["collect", "screen", "P13", "--accept", "--reject", "7"], 2, "--accept"),
            (["collect", "screen", "P13", "--merge-into", "P13"], 2, "P13"),
            (["collect", "approve", "--step", "党委审定", "--ref", "again"], 1, "党委审定"),
            (["collect", "approve", "--step", "县长签字", "--ref", "x"], 2, "县长签字"),
            (["collect", "shortlist", "--seats", "0"] + proposalIDs(12), 2, "--seats"),
            (["collect", "shortlist", "--seats", "10"] + proposalIDs(11) + ["P99"], 2, "P99"),
            (["collect", "shortlist", "--seats", "10"] + proposalIDs(12) + ["P13"], 1, "P13"),
            (["collect", "shortlist", "--seats", "10"] + proposalIDs(12) + ["P1"], 2, "P1"),
            (["collect", "shortlist", "--seats", "12"] + proposalIDs(12), 1, "差额"),
            (["collect", "shortlist", "--seats", "10", "--rules", "no-such-preset"] + proposalIDs(12), 2, "no-such-preset"),
            (["collect", "submit", "--title", "t", "--category", "太空探索", "--content", "c"], 2, "太空探索"),
            (["collect", "submit", "--title", "t", "--category", "其他", "--content", "c", "--budget=-5万"], 2, "-5万"),
            (["collect", "submit", "--title", "t", "--category", "其他", "--content", "c", "--budget", "1e9"], 2, "1e9"),
            (["collect", "submit", "--title", "t", "--category", "其他", "--content", "c", "--deadline", "2025-02-30"], 2, "2025-02-30"),
            (["collect", "submit", "--title", "t", "--category", "其他", "--content", "c", "--channel", "托梦"], 2, "托梦"),
            (["collect", "list", "--status", "bogus"], 2, "bogus"),
        ]
        let count = try workspace.entryCount()
        for refusal in cases {
            let stderr = try workspace.expectRefusal(refusal.arguments, status: refusal.status, before: count)
            #expect(stderr.contains(refusal.named), "\(refusal.arguments): \(stderr)")
        }
    }

    @Test func theLogShowsTheWholePathToTheCandidateList() throws {
        let workspace = try CLIWorkspace()
        try workspace.write("proposals.csv", """
            项目名称,类别,建设内容,实施地点,投资估算,建议人,征集渠道
            城东社区养老服务中心,社会保障,新建日间照料中心,城东街道,120万,王芳,代表联络站
            老旧小区加装电梯,住房保障,加装电梯 12 部,城西街道,"1,200,000元",李明,12345热线
            乡村学校食堂改造,科技教育,改造 5 所食堂,各乡镇,6513.3万元,张华,网上征集
            城东养老中心,社会保障,老人吃饭难,城东街道,,赵强,信函
            河道清淤,生态环境,清淤 3 公里,北河,80万,钱亮,代表建议
            修我家门口的路,市政建设,只为一户修路,李村,5万,孙某,12345热线

            """)
        try workspace.piaojue.ok(["collect", "import", "proposals.csv"])
        for id in ["P1", "P2", "P3", "P5"] { try workspace.piaojue.ok(["collect", "screen", id, "--accept"]) }
        try workspace.piaojue.ok(["collect", "screen", "P4", "--merge-into", "P1", "--note", "同一事项"])
        try workspace.piaojue.ok(["collect", "screen", "P6", "--reject", "个别单位或个人诉求"])
        try workspace.approveBothSteps()
        let frozen = try workspace.piaojue.ok(["collect", "shortlist", "--seats", "2", "P1", "P2", "P3", "--json"]).json()
        #expect(frozen["list"] as? String == "L1")

        let entries = try workspace.log()
        #expect(entries.map(\.kind) == ["ledger.init"] + Array(repeating: "collect.submit", count: 6) + ["collect.import"]
            + Array(repeating: "collect.screen", count: 6) + ["collect.approve", "collect.approve", "collect.shortlist"])
        #expect(entries.map(\.index) == Array(0..<entries.count))
        let screens = entries.filter { $0.kind == "collect.screen" }
        #expect(screens.map { $0.payload["decision"] as? String } == ["accept", "accept", "accept", "accept", "merge", "reject"])
        let approvals = entries.filter { $0.kind == "collect.approve" }
        #expect(approvals.map { $0.payload["step"] as? String } == ["政府常务会议", "党委审定"])
        #expect(approvals.map { $0.payload["list"] as? String } == ["L1", "L1"])
        let shortlist = try #require(entries.last)
        let candidates = try need(shortlist.payload["candidates"] as? [[String: Any]], "candidates")
        #expect(candidates.map { $0["id"] as? String } == ["P1", "P2", "P3"])
        #expect(candidates.map { $0["budget"] as? Int } == [1_200_000, 1_200_000, 65_133_000])
        let embedded = try need(shortlist.payload["approvals"] as? [[String: Any]], "approvals")
        #expect(embedded.map { $0["ref"] as? String } == ["县政府第12次常务会议纪要", "县委常委会〔2025〕3号"])
        #expect((shortlist.payload["candidatesHash"] as? String)?.count == 64)

        let text = try workspace.piaojue.ok(["log"]).stdout
        for line in ["提交建议 城东社区养老服务中心", "P6 筛选 reject 个别单位或个人诉求", "P4 筛选 merge 并入 P1",
                     "候选名单审批 政府常务会议", "候选名单审批 党委审定", "候选名单 L1 冻结"] {
            #expect(text.contains(line), "log lacks \(line)")
        }
        let lines = text.split(separator: "\n")
        let order = ["collect.submit", "collect.screen", "collect.approve", "collect.shortlist"].map { kind in
            lines.firstIndex { $0.contains(kind) } ?? -1
        }
        #expect(order == order.sorted() && !order.contains(-1), "\(order)")

        // Merging kept both proposers; the accepted proposal left off is in the reserve pool.
        let listed = try need(try workspace.piaojue.ok(["collect", "list", "--json"]).json()["proposals"] as? [[String: Any]], "proposals")
        let byID = Dictionary(uniqueKeysWithValues: listed.compactMap { row in (row["id"] as? String).map { ($0, row) } })
        #expect(byID["P1"]?["proposers"] as? [String] == ["王芳（代表联络站）", "赵强（信函）"])
        #expect(byID.mapValues { $0["status"] as? String } == [
            "P1": "shortlisted", "P2": "shortlisted", "P3": "shortlisted", "P4": "merged", "P5": "reserve", "P6": "rejected",
        ])
        let reserve = try need(try workspace.piaojue.ok(["collect", "reserve", "--json"]).json()["proposals"] as? [[String: Any]], "reserve")
        #expect(reserve.map { $0["id"] as? String } == ["P5"])
        let csv = try workspace.piaojue.ok(["collect", "list", "--csv"]).stdout
        #expect(csv.hasPrefix("\u{FEFF}"))
        #expect(csv.contains("城东社区养老服务中心"))

        // Freezing the list signed a checkpoint; the whole ledger verifies.
        let audit = try workspace.piaojue.ok(["audit", "verify", "--json"]).json()
        #expect(audit["ok"] as? Bool == true)
    }

    @Test func aPossibleDuplicateIsPointedOutAtSubmitTime() throws {
        let workspace = try CLIWorkspace()
        let submit = ["collect", "submit", "--title", "城东路灯改造", "--category", "市政建设", "--content", "更换路灯", "--location", "城东街道", "--json"]
        let first = try workspace.piaojue.ok(submit).json()
        #expect(first["possibleDuplicateOf"] == nil)
        let second = try workspace.piaojue.ok(submit).json()
        #expect(second["id"] as? String == "P2")
        #expect(second["possibleDuplicateOf"] as? String == "P1")
        let text = try workspace.piaojue.ok(Array(submit.dropLast())).stdout
        #expect(text.contains("P1"))
        #expect(text.contains("--merge-into P1"))
    }
}
