import Foundation
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// `CollectionService` (Stage 1 · 征集初定): proposals, screening, approval steps and the frozen list,
/// each refusal by its code and details, and nothing written when refused.
@Suite struct CollectionServiceTests {
    static func proposal(_ title: String = "城南农贸市场改造", location: String? = "城南街道", budget: Int64? = 1_200_000) -> Proposal {
        Proposal(
            title: title, category: "市政建设", content: "改造农贸市场的排水与照明", location: location, budget: budget,
            proposer: Proposer(name: "王代表", unit: "城南代表联络站"), channel: "代表联络站")
    }

    // MARK: Submitting and importing

    @Test func submitRecordsAProposalAndPointsOutADuplicate() throws {
        let world = try ServiceWorld()
        let first = try CollectionService.submit(Self.proposal(), rules: world.rules, workspace: world.workspace)
        #expect(first == ProposalSubmitted(id: "P1", proposal: Self.proposal()))
        let second = try CollectionService.submit(Self.proposal(), rules: world.rules, workspace: world.workspace)
        #expect(second.id == "P2")
        #expect(second.possibleDuplicateOf == "P1")
        let elsewhere = try CollectionService.submit(Self.proposal(location: "城北街道"), rules: world.rules, workspace: world.workspace)
        #expect(elsewhere.possibleDuplicateOf == nil)
        #expect(try world.kinds(after: 1) == ["collect.submit", "collect.submit", "collect.submit"])
        let output = SubmitOutput(second)
        #expect(output.id == "P2")
        #expect(output.status == "submitted")
        #expect(output.possibleDuplicateOf == "P1")
        #expect(output.title == "城南农贸市场改造")

        let listed = try CollectionService.list(status: nil, workspace: world.workspace)
        #expect(listed.map(\.id) == ["P1", "P2", "P3"])
        #expect(listed.map(\.status) == [.submitted, .submitted, .submitted])
        #expect(listed[0].proposers == [Proposer(name: "王代表", unit: "城南代表联络站", channel: "代表联络站")])
    }

    /// A submission decodes only the proposals whose line holds its title (docs/performance.md):
    /// the duplicate is still found when the stored title has spaces around it, is written in
    /// decomposed form or holds quotes and backslashes, and a merged or rejected one is skipped
    /// as in a full replay.
    @Test func theDuplicateCheckReadsOnlyProposalsOfTheSameTitleAndMissesNone() throws {
        let world = try ServiceWorld()
        func submit(_ title: String, location: String? = "城南街道") throws -> ProposalSubmitted {
            try CollectionService.submit(Self.proposal(title, location: location), rules: world.rules, workspace: world.workspace)
        }
        func screen(_ id: String, _ decision: ProposalScreened.Decision, into: String? = nil, reason: String? = nil) throws {
            _ = try CollectionService.screen(id: id, decision: decision, reason: reason, into: into, note: nil, rules: world.rules, workspace: world.workspace)
        }
        for n in 1...20 { _ = try submit("其他项目\(n)") }
        #expect(try submit(" 城南\"菜场\"\\改造　").possibleDuplicateOf == nil)  // P21
        #expect(try submit("城南\"菜场\"\\改造").possibleDuplicateOf == "P21")
        #expect(try submit("Cafe\u{301}改造").possibleDuplicateOf == nil)  // P23, decomposed é
        #expect(try submit("Caf\u{E9}改造").possibleDuplicateOf == "P23")
        #expect(try submit("Caf\u{E9}改造", location: "城北街道").possibleDuplicateOf == nil)
        try screen("P21", .reject, reason: "1")
        try screen("P22", .merge, into: "P23")
        #expect(try submit("城南\"菜场\"\\改造").possibleDuplicateOf == nil)
        #expect(try submit("其他项目7").possibleDuplicateOf == "P7")
        #expect(try submit("其他项目").possibleDuplicateOf == nil)
        #expect(try CollectionService.list(status: nil, workspace: world.workspace).count == 28)
    }

    @Test func importRecordsEveryRowWithItsSourceLine() throws {
        let world = try ServiceWorld()
        let text = "项目名称,类别,建设内容,实施地点,投资估算,完成时限,责任单位,建议人,征集渠道\n"
            + "老旧小区加装电梯,住房保障,加装电梯 20 部,城关镇,1200万,2025年12月底,县住建局,张代表,代表建议\n"
            + "乡村道路硬化,乡村振兴,硬化道路 30 公里,河口乡,\"6,513.3万\",2026-06,县交通局,,12345热线\n"
        let path = try world.write("proposals.csv", text)
        let (imported, summary) = try CollectionService.importFile(path: path, encoding: .utf8, rules: world.rules, workspace: world.workspace)
        let sha = FileInput.sha256(Array(text.utf8))
        #expect(summary == ProposalsImported(file: "proposals.csv", sha256: sha, encoding: "utf-8", ids: ["P1", "P2"]))
        #expect(imported.map(\.id) == ["P1", "P2"])
        #expect(imported.map(\.source) == [
            ImportSource(file: "proposals.csv", sha256: sha, line: 2), ImportSource(file: "proposals.csv", sha256: sha, line: 3),
        ])
        #expect(imported[0].proposal.budget == 12_000_000)
        #expect(imported[1].proposal.budget == 65_133_000)
        #expect(imported[0].proposal.deadline == Day(year: 2025, month: 12, day: 31))
        #expect(imported[1].proposal.deadline == Day(year: 2026, month: 6, day: 30))
        #expect(imported[0].proposal.proposer == Proposer(name: "张代表", channel: "代表建议"))
        #expect(imported[1].proposal.proposer == nil)
        #expect(imported[1].proposal.channel == "12345热线")
        #expect(try world.kinds(after: 1) == ["collect.submit", "collect.submit", "collect.import"])
        let output = CollectImportOutput(imported: imported, summary: summary)
        #expect(output.imported == 2)
        #expect(output.ids == ["P1", "P2"])
        #expect(output.possibleDuplicates.isEmpty)
    }

    @Test func anImportNamesDuplicatesWithinTheFile() throws {
        let world = try ServiceWorld()
        let path = try world.write("p.csv", "title,category,content,location\n路灯,市政建设,装路灯,城关\n路灯,市政建设,再装路灯,城关\n")
        let (imported, summary) = try CollectionService.importFile(path: path, encoding: .utf8, rules: world.rules, workspace: world.workspace)
        #expect(CollectImportOutput(imported: imported, summary: summary).possibleDuplicates == ["P2": "P1"])
    }

    /// A proposal a rule refuses at submission, with its code and details.
    struct BadProposal: Sendable, CustomStringConvertible {
        let proposal: Proposal
        let code: String
        let details: ErrorDetails
        var description: String { code }
    }

    static let badProposals: [BadProposal] = [
        BadProposal(
            proposal: Proposal(title: "路灯", category: "市政建设", content: "  "), code: "collect.missing-field",
            details: ["field": .text("content"), "name": .text("建设内容")]),
        BadProposal(
            proposal: Proposal(title: "", category: "市政建设", content: "装路灯"), code: "collect.missing-field",
            details: ["field": .text("title"), "name": .text("项目名称")]),
        BadProposal(
            proposal: Proposal(title: "路灯", category: "航天", content: "装路灯"), code: "collect.unknown-category",
            details: ["category": .text("航天"), "categories": .texts(CollectionRules.standard.categories)]),
        BadProposal(
            proposal: Proposal(title: "路灯", category: "市政建设", content: "装路灯", channel: "微博"), code: "collect.unknown-channel",
            details: ["channel": .text("微博"), "channels": .texts(CollectionRules.standard.channels)]),
        BadProposal(
            proposal: Proposal(title: String(repeating: "长", count: 4001), category: "市政建设", content: "装路灯"), code: "collect.too-long",
            details: ["field": .text("项目名称 title"), "length": .number(4001)]),
        BadProposal(
            proposal: Proposal(title: "路灯", category: "市政建设", content: String(repeating: "长", count: 4002)), code: "collect.too-long",
            details: ["field": .text("建设内容 content"), "length": .number(4002)]),
    ]

    @Test(arguments: badProposals)
    func aProposalTheRulesRefuseIsNotRecorded(_ bad: BadProposal) throws {
        let world = try ServiceWorld()
        let refusal = try world.refusal { try CollectionService.submit(bad.proposal, rules: world.rules, workspace: world.workspace) }
        #expect(refusal.code == bad.code, "\(refusal)")
        #expect(refusal.details == bad.details)
        #expect(refusal.exitStatus == 2)
        #expect(refusal.wroteNothing)
    }

    @Test func requiredFieldsComeFromTheRules() throws {
        let world = try ServiceWorld()
        var rules = world.rules
        rules.collection.requiredFields = [.budget]
        let refusal = try world.refusal {
            try CollectionService.submit(Self.proposal(budget: nil), rules: rules, workspace: world.workspace)
        }
        #expect(refusal.code == "collect.missing-field")
        #expect(refusal.details == ["field": .text("budget"), "name": .text("投资估算")])
        #expect(refusal.wroteNothing)
        #expect(try CollectionService.submit(Self.proposal(), rules: rules, workspace: world.workspace).id == "P1")
    }

    /// A proposals sheet refused whole: its text, the code and the details.
    struct BadSheet: Sendable, CustomStringConvertible {
        let text: String
        let code: String
        let details: ErrorDetails
        var description: String { "\(code) \(details)" }
    }

    static let badSheets: [BadSheet] = [
        BadSheet(
            text: "title,category,content,colour\n路灯,市政建设,装路灯,红\n", code: "collect.unknown-column",
            details: ["file": .text("sheet.csv"), "column": .text("colour")]),
        BadSheet(
            text: "title,category,content,项目名称\n路灯,市政建设,装路灯,路灯\n", code: "collect.duplicate-column",
            details: ["file": .text("sheet.csv"), "column": .text("项目名称")]),
        BadSheet(
            text: "title,content\n路灯,装路灯\n", code: "collect.missing-column",
            details: ["file": .text("sheet.csv"), "column": .text("category"), "name": .text("类别")]),
        BadSheet(text: "title,category,content\n", code: "collect.no-proposals", details: ["file": .text("sheet.csv")]),
        BadSheet(
            text: "title,category,content,budget\n路灯,市政建设,装路灯,100万\n水管,市政建设,换水管,很多\n", code: "input.amount",
            details: [
                "text": .text("很多"), "why": .text("含有非数字字符 / not a plain number"), "file": .text("sheet.csv"), "line": .number(3),
                "column": .text("投资估算 budget"),
            ]),
        BadSheet(
            text: "title,category,content,deadline\n路灯,市政建设,装路灯,明年\n", code: "input.deadline",
            details: ["text": .text("明年"), "file": .text("sheet.csv"), "line": .number(2), "column": .text("完成时限 deadline")]),
        BadSheet(
            text: "title,category,content\n路灯,市政建设,装路灯\n水管,航天,换水管\n", code: "collect.unknown-category",
            details: [
                "category": .text("航天"), "categories": .texts(CollectionRules.standard.categories), "file": .text("sheet.csv"),
                "line": .number(3),
            ]),
        BadSheet(
            text: "title,category,content\n路灯,市政建设,\"装路灯\n", code: "file.unclosed-quote",
            details: ["file": .text("sheet.csv"), "line": .number(2)]),
    ]

    @Test(arguments: badSheets)
    func aBadSheetRecordsNoRow(_ bad: BadSheet) throws {
        let world = try ServiceWorld()
        let path = try world.write("sheet.csv", bad.text)
        let refusal = try world.refusal {
            try CollectionService.importFile(path: path, encoding: .utf8, rules: world.rules, workspace: world.workspace)
        }
        #expect(refusal.code == bad.code, "\(refusal)")
        #expect(refusal.details == bad.details, "\(refusal.details)")
        #expect(refusal.exitStatus == 2)
        #expect(refusal.wroteNothing)
    }

    // MARK: Screening

    @Test func screeningAcceptsRejectsAndMerges() throws {
        let world = try ServiceWorld()
        for n in 1...4 { _ = try CollectionService.submit(Self.proposal("项目\(n)"), rules: world.rules, workspace: world.workspace) }
        func screen(_ id: String, _ decision: ProposalScreened.Decision, reason: String? = nil, into: String? = nil, note: String? = nil)
            throws -> (event: ProposalScreened, status: ProposalStatus)
        {
            try CollectionService.screen(
                id: id, decision: decision, reason: reason, into: into, note: note, rules: world.rules, workspace: world.workspace)
        }
        let accepted = try screen("P1", .accept, note: "论证通过")
        #expect(accepted.event == ProposalScreened(id: "P1", decision: .accept, note: "论证通过"))
        #expect(accepted.status == .accepted)
        // T19: a proposal serving one household, rejected by the negative list's number 7.
        let rejected = try screen("P2", .reject, reason: "7", note: "仅涉及一户")
        #expect(rejected.event == ProposalScreened(id: "P2", decision: .reject, reason: "个别单位或个人诉求", note: "仅涉及一户"))
        #expect(rejected.status == .rejected)
        let byText = try screen("P3", .reject, reason: "不具备实施条件")
        #expect(byText.event.reason == "不具备实施条件")
        let merged = try screen("P4", .merge, into: "P1")
        #expect(merged.event == ProposalScreened(id: "P4", decision: .merge, into: "P1"))
        #expect(merged.status == .merged)
        #expect(ScreenOutput(event: merged.event, status: merged.status)
            == ScreenOutput(event: ProposalScreened(id: "P4", decision: .merge, into: "P1"), status: .merged))

        let all = try CollectionService.list(status: nil, workspace: world.workspace)
        #expect(all.map(\.status) == [.accepted, .rejected, .rejected, .merged])
        #expect(all[0].mergedFrom == ["P4"])
        #expect(all[0].proposers.count == 2)
        #expect(all[3].mergedInto == "P1")
        #expect(all[1].rejectReason == "个别单位或个人诉求")
        #expect(try CollectionService.list(status: .rejected, workspace: world.workspace).map(\.id) == ["P2", "P3"])
        #expect(try world.kinds(after: 5) == ["collect.screen", "collect.screen", "collect.screen", "collect.screen"])
    }

    /// A screening decision refused: the decision and its code, details and exit status.
    struct BadScreen: Sendable, CustomStringConvertible {
        let id: String
        let decision: ProposalScreened.Decision
        var reason: String?
        var into: String?
        let code: String
        let details: ErrorDetails
        let exit: Int32
        var description: String { code }
    }

    static let badScreens: [BadScreen] = [
        BadScreen(id: "P9", decision: .accept, code: "collect.unknown-proposal", details: ["id": .text("P9")], exit: 2),
        BadScreen(
            id: "P1", decision: .accept, code: "collect.already-screened", details: ["id": .text("P1"), "status": .text("accepted")],
            exit: 1),
        BadScreen(
            id: "P2", decision: .reject, reason: "太贵", code: "collect.reason-not-listed",
            details: ["reason": .text("太贵"), "negativeList": .texts(CollectionRules.standard.negativeList)], exit: 2),
        BadScreen(
            id: "P2", decision: .reject, reason: "9", code: "collect.reason-not-listed",
            details: ["reason": .text("9"), "negativeList": .texts(CollectionRules.standard.negativeList)], exit: 2),
        BadScreen(
            id: "P2", decision: .reject, code: "collect.reason-not-listed",
            details: ["reason": .text(""), "negativeList": .texts(CollectionRules.standard.negativeList)], exit: 2),
        BadScreen(id: "P2", decision: .merge, code: "collect.merge-needs-target", details: [:], exit: 2),
        BadScreen(id: "P2", decision: .merge, into: "P9", code: "collect.unknown-proposal", details: ["id": .text("P9")], exit: 2),
        BadScreen(id: "P2", decision: .merge, into: "P2", code: "collect.merge-into-self", details: ["id": .text("P2")], exit: 2),
        BadScreen(
            id: "P2", decision: .merge, into: "P3", code: "collect.merge-target-closed",
            details: ["target": .text("P3"), "status": .text("rejected")], exit: 1),
        BadScreen(
            id: "P3", decision: .merge, into: "P1", code: "collect.already-screened",
            details: ["id": .text("P3"), "status": .text("rejected")], exit: 1),
        BadScreen(
            id: "P3", decision: .accept, code: "collect.already-screened", details: ["id": .text("P3"), "status": .text("rejected")],
            exit: 1),
    ]

    /// P1 accepted, P2 submitted, P3 rejected.
    @Test(arguments: badScreens)
    func aScreeningDecisionTheStatusDoesNotAllowIsRefused(_ bad: BadScreen) throws {
        let world = try ServiceWorld()
        for n in 1...3 { _ = try CollectionService.submit(Self.proposal("项目\(n)"), rules: world.rules, workspace: world.workspace) }
        _ = try CollectionService.screen(id: "P1", decision: .accept, reason: nil, into: nil, note: nil, rules: world.rules, workspace: world.workspace)
        _ = try CollectionService.screen(id: "P3", decision: .reject, reason: "1", into: nil, note: nil, rules: world.rules, workspace: world.workspace)
        let refusal = try world.refusal {
            try CollectionService.screen(
                id: bad.id, decision: bad.decision, reason: bad.reason, into: bad.into, note: nil, rules: world.rules, workspace: world.workspace)
        }
        #expect(refusal.code == bad.code, "\(refusal)")
        #expect(refusal.details == bad.details)
        #expect(refusal.exitStatus == bad.exit)
        #expect(refusal.wroteNothing)
    }

    // MARK: Approval steps and the frozen list

    @Test func approvalStepsComeInOrderAndBelongToTheNextList() throws {
        let world = try ServiceWorld()
        let first = try CollectionService.approve(step: "政府常务会议", ref: "  县政府第12次常务会议纪要 ", rules: world.rules, workspace: world.workspace)
        #expect(first == ListStepApproved(step: "政府常务会议", ref: "县政府第12次常务会议纪要", list: "L1"))
        #expect(ApproveOutput(first).ref == "县政府第12次常务会议纪要")
        let second = try CollectionService.approve(step: "党委审定", ref: "县委常委会〔2025〕3号", rules: world.rules, workspace: world.workspace)
        #expect(second.list == "L1")
        #expect(try world.kinds(after: 1) == ["collect.approve", "collect.approve"])
    }

    @Test func shortlistFreezesTheListAndSignsACheckpoint() throws {
        let world = try ServiceWorld()
        let ids = try world.acceptedProposals(4)
        try world.approveBothSteps()
        let before = try #require(try world.entryCount())
        let frozen = try CollectionService.shortlist(seats: 2, ids: ["P3", "P1", "P2"], rules: world.rules, workspace: world.workspace)
        #expect(ids == ["P1", "P2", "P3", "P4"])
        let candidates = [3, 1, 2].map { n in
            Candidate(id: "P\(n)", title: "民生项目\(n)", category: "市政建设", budget: Int64(100 + n) * 10_000, unit: "县住建局", location: "第\(n)街道")
        }
        #expect(frozen == ListFrozen(
            list: "L1", seats: 2, candidates: candidates, candidatesHash: try canonicalHash(candidates),
            approvals: [
                ListStepApproved(step: "政府常务会议", ref: "县政府第12次常务会议纪要", list: "L1"),
                ListStepApproved(step: "党委审定", ref: "县委常委会〔2025〕3号", list: "L1"),
            ], margin: .contested, rules: "default"))
        let output = ShortlistOutput(frozen)
        #expect(output.list == "L1")
        #expect(output.seats == 2)
        #expect(output.candidates == ["P3", "P1", "P2"])
        #expect(output.candidatesHash == frozen.candidatesHash)
        #expect(try world.entryCount() == before + 1)
        #expect(try AuditService.checkpoint(fresh: false, workspace: world.workspace).size == before + 1)

        let records = try CollectionService.list(status: nil, workspace: world.workspace)
        #expect(records.map(\.status) == [.shortlisted, .shortlisted, .shortlisted, .reserve])
        #expect(records.map(\.list) == ["L1", "L1", "L1", nil])
        #expect(try CollectionService.list(status: .reserve, workspace: world.workspace).map(\.id) == ["P4"])
        // The steps recorded from now on prepare L2.
        #expect(try CollectionService.approve(step: "政府常务会议", ref: "第13次", rules: world.rules, workspace: world.workspace).list == "L2")
    }

    @Test func anEqualSlateIsAcceptedWhereTheRulesAllowIt() throws {
        // T4: 15 seats, 15 candidates, 等额 allowed.
        let world = try ServiceWorld()
        let rules = try world.preset("equal-slate")
        let ids = try world.acceptedProposals(15)
        let frozen = try world.shortlist(seats: 15, ids, rules: rules)
        #expect(frozen.candidates.count == 15)
        #expect(frozen.margin == .equalAllowed)
        #expect(frozen.rules == "equal-slate")
    }

    /// A list freeze refused: seats, ids, steps recorded first, rules; code, details and exit.
    struct BadShortlist: Sendable, CustomStringConvertible {
        var name: String
        var seats: Int
        var ids: [String]
        var steps: [String] = ["政府常务会议", "党委审定"]
        var preset: String?
        var minimumRatio: Bool = false
        let code: String
        let details: ErrorDetails
        let exit: Int32
        var description: String { name }
    }

    static let badShortlists: [BadShortlist] = [
        BadShortlist(name: "no seats", seats: 0, ids: ["P1", "P2"], code: "collect.seats", details: ["seats": .number(0)], exit: 2),
        BadShortlist(name: "no ids", seats: 1, ids: [], code: "collect.no-candidates", details: [:], exit: 2),
        BadShortlist(
            name: "repeated", seats: 1, ids: ["P1", "P2", "P1"], code: "collect.candidate-repeated", details: ["id": .text("P1")],
            exit: 2),
        BadShortlist(name: "unknown", seats: 1, ids: ["P1", "P99"], code: "collect.unknown-proposal", details: ["id": .text("P99")], exit: 2),
        BadShortlist(
            name: "not accepted", seats: 1, ids: ["P1", "P12"], code: "collect.not-accepted",
            details: ["id": .text("P12"), "title": .text("未筛选的项目"), "status": .text("submitted")], exit: 1),
        // T5: 党委审定 not recorded.
        BadShortlist(
            name: "T5", seats: 2, ids: ["P1", "P2", "P3"], steps: ["政府常务会议"], code: "collect.step-missing",
            details: ["missing": .text("党委审定")], exit: 1),
        BadShortlist(
            name: "no steps", seats: 2, ids: ["P1", "P2", "P3"], steps: [], code: "collect.step-missing",
            details: ["missing": .text("政府常务会议")], exit: 1),
        // T3: 10 seats, 10 candidates, 差额.
        BadShortlist(
            name: "T3", seats: 10, ids: (1...10).map { "P\($0)" }, code: "collect.not-contested",
            details: ["candidates": .number(10), "seats": .number(10)], exit: 1),
        BadShortlist(
            name: "equal slate short", seats: 11, ids: (1...10).map { "P\($0)" }, preset: "equal-slate", code: "collect.too-few-candidates",
            details: ["candidates": .number(10), "seats": .number(11)], exit: 1),
        BadShortlist(
            name: "ratio", seats: 9, ids: (1...10).map { "P\($0)" }, minimumRatio: true, code: "collect.ratio-too-low",
            details: ["ratio": .text("6/5"), "candidates": .number(10), "seats": .number(9)], exit: 1),
    ]

    /// P1–P11 accepted, P12 submitted only.
    @Test(arguments: badShortlists)
    func aListThatBreaksARuleIsNotFrozen(_ bad: BadShortlist) throws {
        let world = try ServiceWorld()
        try world.acceptedProposals(11)
        _ = try CollectionService.submit(
            Proposal(title: "未筛选的项目", category: "市政建设", content: "内容"), rules: world.rules, workspace: world.workspace)
        var rules = try bad.preset.map(world.preset) ?? world.rules
        if bad.minimumRatio {
            let ratio: Ratio = try #require(Ratio(parsing: "6/5"))
            rules.collection.minimumRatio = ratio
        }
        for step in bad.steps { _ = try CollectionService.approve(step: step, ref: "纪要", rules: rules, workspace: world.workspace) }
        let refusal = try world.refusal {
            try CollectionService.shortlist(seats: bad.seats, ids: bad.ids, rules: rules, workspace: world.workspace)
        }
        #expect(refusal.code == bad.code, "\(refusal)")
        #expect(refusal.details == bad.details)
        #expect(refusal.exitStatus == bad.exit)
        #expect(refusal.wroteNothing)
        #expect(try CollectionService.list(status: .shortlisted, workspace: world.workspace).isEmpty)
    }

    /// An approval step refused: steps recorded before, the step and ref; code and details.
    struct BadStep: Sendable, CustomStringConvertible {
        var before: [String]
        var step: String
        var ref: String = "纪要"
        let code: String
        let details: ErrorDetails
        let exit: Int32
        var description: String { code }
    }

    static let badSteps: [BadStep] = [
        BadStep(
            before: [], step: "人大常委会", code: "collect.unknown-step",
            details: ["step": .text("人大常委会"), "steps": .texts(["政府常务会议", "党委审定"])], exit: 2),
        BadStep(before: [], step: "政府常务会议", ref: "  ", code: "collect.missing-ref", details: [:], exit: 2),
        BadStep(
            before: [], step: "党委审定", code: "collect.step-out-of-order",
            details: ["missing": .text("政府常务会议"), "step": .text("党委审定")], exit: 1),
        BadStep(
            before: ["政府常务会议"], step: "政府常务会议", code: "collect.step-repeated",
            details: ["step": .text("政府常务会议"), "ref": .text("第1次")], exit: 1),
    ]

    @Test(arguments: badSteps)
    func anApprovalStepOutOfTurnIsRefused(_ bad: BadStep) throws {
        let world = try ServiceWorld()
        for (n, step) in bad.before.enumerated() {
            _ = try CollectionService.approve(step: step, ref: "第\(n + 1)次", rules: world.rules, workspace: world.workspace)
        }
        let refusal = try world.refusal { try CollectionService.approve(step: bad.step, ref: bad.ref, rules: world.rules, workspace: world.workspace) }
        #expect(refusal.code == bad.code, "\(refusal)")
        #expect(refusal.details == bad.details)
        #expect(refusal.exitStatus == bad.exit)
        #expect(refusal.wroteNothing)
    }

    // MARK: After the vote

    @Test func aTallySettlesChosenAndNotChosen() throws {
        // T20: a candidate that lost is in the reserve pool.
        let world = try ServiceWorld()
        let vote = try world.decidedVote(seated: 5, candidates: 3, seats: 2)
        #expect(vote.tally?.chosen == ["P1", "P2"])
        let records = try CollectionService.list(status: nil, workspace: world.workspace)
        #expect(records.map(\.status) == [.chosen, .chosen, .notChosen])
        #expect(try CollectionService.list(status: .reserve, workspace: world.workspace).map(\.id) == ["P3"])
        #expect(try CollectionService.list(status: .chosen, workspace: world.workspace).map(\.id) == ["P1", "P2"])
        // A lost candidate may go on a later list.
        let state = try world.workspace.openForReading().read { try CollectionService.state($0) }
        #expect(state.reservePool.map(\.id) == ["P3"])
        #expect(state.nextListID == "L2")
    }
}
