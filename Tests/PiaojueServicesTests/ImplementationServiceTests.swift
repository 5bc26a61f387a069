import Foundation
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// `ImplementationService` (Stage 3 · 组织实施): plans, progress with evidence, problems, decided
/// adjustments and the status on a day, on a clock the tests move.
@Suite struct ImplementationServiceTests {
    static func day(_ text: String) throws -> Day { try Day(parsing: text) }

    /// A county ledger whose vote of 2025-01-15 chose P1 and P2 (P3 lost); the clock then stands at
    /// 2025-02-01.
    static func chosen(level: BodyLevel = .county) throws -> ServiceWorld {
        let world = try ServiceWorld(now: "2025-01-15T01:00:00Z", level: level)
        let vote = try world.decidedVote()
        #expect(vote.tally?.chosen == ["P1", "P2"])
        try world.clock.set("2025-02-01T02:00:00Z")
        return world
    }

    static func request(
        _ project: String = "P1", unit: String = "县住建局", leader: String = "张副县长", budget: Int64 = 1_000_000,
        deadline: String = "2025-12-31", milestones: [(String, String)] = [("2025-06-30", "主体完工"), ("2025-03-31", "开工")]
    ) throws -> PlanRequest {
        PlanRequest(
            project: project, unit: unit, leader: leader, budget: budget, deadline: try day(deadline),
            milestones: try milestones.map { (date: try day($0.0), text: $0.1) })
    }

    @discardableResult
    static func plan(_ world: ServiceWorld, _ request: PlanRequest? = nil) throws -> Warned<PlanPublished> {
        try ImplementationService.plan(try request ?? Self.request(), rules: world.rules, workspace: world.workspace)
    }

    @discardableResult
    static func progress(
        _ world: ServiceWorld, _ project: String = "P1", percent: Int, spent: Int64? = nil, note: String? = nil,
        reached: [String] = [], final: Bool = false, evidence: [String] = []
    ) throws -> (report: Warned<ProgressReported>, status: ProjectProgress?) {
        try ImplementationService.progress(
            project: project, percent: percent, spent: spent, note: note, reached: reached, final: final, evidence: evidence,
            workspace: world.workspace)
    }

    @discardableResult
    static func adjust(
        _ world: ServiceWorld, _ kind: AdjustmentKind, project: String = "P1", reason: String = "政策调整",
        decision: String? = "县人大常委会〔2025〕5号", decidedBy: String? = nil, changes: PlanChanges? = nil
    ) throws -> (event: AdjustmentDecided, status: ImplementationStatus) {
        try ImplementationService.adjust(
            project: project, kind: kind, reason: reason, decision: decision, decidedBy: decidedBy, changes: changes,
            workspace: world.workspace)
    }

    // MARK: Plans

    @Test func aPlanRecordsItsTermsWithMilestonesInDateOrder() throws {
        let world = try Self.chosen()
        let tallyEntry = try #require(try world.entries(kinds: [TallyResult.kind]).first).index
        let planned = try Self.plan(world)
        #expect(planned.warnings.isEmpty)
        #expect(planned.event == PlanPublished(
            project: "P1", title: "民生项目1", voteSession: "S1", tallyEntry: tallyEntry, votedOn: try Self.day("2025-01-15"),
            unit: "县住建局", leader: "张副县长", budget: 1_000_000, deadline: try Self.day("2025-12-31"),
            milestones: [
                Milestone(id: "M1", date: try Self.day("2025-03-31"), text: "开工"),
                Milestone(id: "M2", date: try Self.day("2025-06-30"), text: "主体完工"),
            ], publishedOn: try Self.day("2025-02-01"), dueBy: try Self.day("2025-02-14"), planDeadlineDays: 30))
        #expect(!planned.event.late)
        #expect(try world.kinds().last == PlanPublished.kind)
        let status = try ImplementationService.overview(rules: world.rules, workspace: world.workspace)
        #expect(status.projects.map(\.status) == [.planned, .unplanned])
    }

    @Test func aLatePlanAboveTheEstimateIsRecordedWithTwoWarnings() throws {
        let world = try Self.chosen()
        try world.clock.set("2025-03-01")
        let planned = try Self.plan(world, try Self.request(budget: 2_000_000))
        #expect(planned.event.late)
        #expect(planned.event.dueBy == (try Self.day("2025-02-14")))
        #expect(planned.warnings.count == 2)
        #expect(planned.warnings[0].contains("逾期 15 日"))
        #expect(planned.warnings[1].contains("投资估算"))
    }

    @Test func aProjectRunningIntoTheNextYearNeedsAMilestoneThisYear() throws {
        let world = try Self.chosen()
        let refusal = try world.refusal { try Self.plan(world, try Self.request(deadline: "2026-06-30", milestones: [("2026-03-31", "完工")])) }
        #expect(refusal.code == "implement.yearly-milestone")
        #expect(refusal.details == ["project": .text("P1"), "deadline": .text("2026-06-30"), "year": .number(2025)])
        #expect(refusal.exitStatus == 1)
        #expect(refusal.wroteNothing)
        let planned = try Self.plan(world, try Self.request(deadline: "2026-06-30", milestones: [("2025-12-31", "年度目标"), ("2026-03-31", "完工")]))
        #expect(planned.event.milestones.map(\.id) == ["M1", "M2"])
    }

    /// A plan refused: its request and the day, the code, the details and the exit status.
    struct BadPlan: Sendable, CustomStringConvertible {
        let name: String
        let request: @Sendable () throws -> PlanRequest
        var today: String = "2025-02-01"
        let code: String
        let details: ErrorDetails
        let exit: Int32
        var description: String { name }
    }

    static let badPlans: [BadPlan] = [
        BadPlan(
            name: "not chosen", request: { try request("P3") }, code: "implement.not-chosen",
            details: ["project": .text("P3"), "status": .text("未当选")], exit: 1),
        BadPlan(
            name: "unknown", request: { try request("P9") }, code: "implement.unknown-project",
            details: ["project": .text("P9"), "chosen": .texts(["P1", "P2"])], exit: 2),
        BadPlan(name: "no unit", request: { try request(unit: "  ") }, code: "implement.missing-unit", details: [:], exit: 2),
        BadPlan(name: "no leader", request: { try request(leader: "") }, code: "implement.missing-leader", details: [:], exit: 2),
        BadPlan(
            name: "before the vote", request: { try request() }, today: "2025-01-10", code: "implement.before-vote",
            details: ["project": .text("P1"), "today": .text("2025-01-10"), "votedOn": .text("2025-01-15")], exit: 2),
        BadPlan(
            name: "deadline before the vote", request: { try request(deadline: "2025-01-01", milestones: []) },
            code: "implement.deadline-before-vote", details: ["deadline": .text("2025-01-01"), "votedOn": .text("2025-01-15")], exit: 2),
        BadPlan(
            name: "milestone before the vote", request: { try request(milestones: [("2025-01-14", "前期准备")]) },
            code: "implement.milestone-before-vote",
            details: ["date": .text("2025-01-14"), "text": .text("前期准备"), "votedOn": .text("2025-01-15")], exit: 2),
        BadPlan(
            name: "milestone after the deadline", request: { try request(deadline: "2025-06-30", milestones: [("2025-07-01", "验收")]) },
            code: "implement.milestone-after-deadline",
            details: ["date": .text("2025-07-01"), "text": .text("验收"), "deadline": .text("2025-06-30")], exit: 2),
    ]

    @Test(arguments: badPlans)
    func aPlanThatBreaksARuleIsNotRecorded(_ bad: BadPlan) throws {
        let world = try Self.chosen()
        try world.clock.set(bad.today)
        let refusal = try world.refusal { try Self.plan(world, try bad.request()) }
        #expect(refusal.code == bad.code, "\(refusal)")
        #expect(refusal.details == bad.details)
        #expect(refusal.exitStatus == bad.exit)
        #expect(refusal.wroteNothing)
    }

    @Test func onePlanPerProject() throws {
        let world = try Self.chosen()
        try Self.plan(world)
        let refusal = try world.refusal { try Self.plan(world) }
        #expect(refusal.code == "implement.plan-exists")
        #expect(refusal.details == ["project": .text("P1"), "publishedOn": .text("2025-02-01")])
        #expect(refusal.exitStatus == 1)
        #expect(refusal.wroteNothing)
    }

    // MARK: Progress

    @Test func progressReportsRecordPercentFundsMilestonesAndEvidence() throws {
        let world = try Self.chosen()
        try Self.plan(world)
        try world.clock.set("2025-04-02")
        let photo = try world.write("开工照片.jpg", bytes: [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])
        let first = try Self.progress(world, percent: 30, spent: 300_000, note: " 已开工 ", reached: ["M1"], evidence: [photo])
        #expect(first.report.warnings.isEmpty)
        #expect(first.report.event == ProgressReported(
            project: "P1", reportedOn: try Self.day("2025-04-02"), percent: 30, previousPercent: 0, spent: 300_000, note: "已开工",
            reached: ["M1"], final: false,
            evidence: [EvidenceFile(name: "开工照片.jpg", sha256: FileInput.sha256([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]), bytes: 7)]))
        let status = try #require(first.status)
        #expect(status.status == .inProgress)
        #expect((status.percent, status.spent, status.budget, status.spentPermille) == (30, 300_000, 1_000_000, 300))
        #expect(status.milestones.map(\.reachedOn) == [try Self.day("2025-04-02"), nil])
        #expect(status.nextMilestone?.milestone.id == "M2")
        #expect(status.evidenceCount == 1)
        #expect(!status.overdue)

        // Funds above the budget are recorded with a warning; 100 % reaches every milestone.
        let done = try Self.progress(world, percent: 100, spent: 1_200_000)
        #expect(done.report.event.previousPercent == 30)
        #expect(done.report.warnings.count == 1)
        #expect(done.status?.status == .completed)
        #expect(done.status?.overBudget == true)
        #expect(done.status?.milestones.allSatisfy { $0.reachedOn != nil } == true)
        #expect(try world.kinds().suffix(2) == [ProgressReported.kind, ProgressReported.kind])
    }

    @Test func aLowerFigureWithANoteIsRecorded() throws {
        let world = try Self.chosen()
        try Self.plan(world)
        try Self.progress(world, percent: 40, spent: 400_000)
        let corrected = try Self.progress(world, percent: 35, spent: 350_000, note: "上次多报")
        #expect(corrected.report.event.previousPercent == 40)
        #expect(corrected.status?.percent == 35)
        #expect(corrected.status?.spent == 350_000)
    }

    @Test func aFinalReportBelowAHundredClosesTheProject() throws {
        let world = try Self.chosen()
        try Self.plan(world)
        let final = try Self.progress(world, percent: 80, spent: 800_000, note: "部分完成", final: true)
        #expect(final.status?.status == .partiallyCompleted)
        let again = try world.refusal { try Self.progress(world, percent: 90) }
        #expect(again.code == "implement.closed")
        #expect(again.details == ["project": .text("P1"), "status": .text("partially-completed")])
        #expect(again.exitStatus == 1)
        #expect(again.wroteNothing)
    }

    @Test func progressRefusals() throws {
        let world = try Self.chosen()
        try Self.plan(world)
        try Self.progress(world, percent: 40, spent: 400_000, reached: ["M1"])
        func report(_ project: String = "P1", percent: Int, spent: Int64? = nil, reached: [String] = [], evidence: [String] = [])
            throws -> Refusal
        {
            try world.refusal { try Self.progress(world, project, percent: percent, spent: spent, reached: reached, evidence: evidence) }
        }
        let checks: [(Refusal, String, ErrorDetails, Int32)] = [
            (try report("P2", percent: 10), "implement.no-plan", ["project": .text("P2")], 1),
            (try report("P3", percent: 10), "implement.not-chosen", ["project": .text("P3"), "status": .text("未当选")], 1),
            (try report(percent: 101), "implement.percent-out-of-range", ["percent": .number(101)], 2),
            (try report(percent: 30), "implement.lower-percent", ["project": .text("P1"), "from": .number(40), "to": .number(30)], 1),
            (
                try report(percent: 50, spent: 100_000), "implement.lower-spent",
                ["project": .text("P1"), "from": .number(400_000), "to": .number(100_000)], 1
            ),
            (
                try report(percent: 50, reached: ["M7"]), "implement.unknown-milestone",
                ["project": .text("P1"), "milestone": .text("M7"), "listed": .texts(["M1 2025-03-31 开工", "M2 2025-06-30 主体完工"])], 2
            ),
            (
                try report(percent: 50, reached: ["M1"]), "implement.milestone-reached",
                ["milestone": .text("M1"), "text": .text("开工"), "on": .text("2025-02-01")], 2
            ),
        ]
        for (refusal, code, details, exit) in checks {
            #expect(refusal.code == code, "\(refusal)")
            #expect(refusal.details == details, "\(code)")
            #expect(refusal.exitStatus == exit, "\(code)")
            #expect(refusal.wroteNothing, "\(code)")
        }
        let missing = world.path("no-such-photo.jpg")
        let evidence = try report(percent: 50, evidence: [missing])
        #expect(evidence.code == "implement.evidence")
        #expect(evidence.details == ["why": .text(FileFailure.missing(path: missing).description)])
        #expect(evidence.wroteNothing)
    }

    // MARK: Problems

    @Test func aProblemIsOpenedAssignedAndClosed() throws {
        let world = try Self.chosen()
        let opened = try ImplementationService.openProblem(project: "P1", text: " 施工扰民 ", unit: nil, workspace: world.workspace)
        #expect(opened == ProblemRecorded(
            id: "Q1", action: .open, project: "P1", text: "施工扰民", unit: nil, recordedOn: try Self.day("2025-02-01")))
        let assigned = try ImplementationService.assignProblem(id: "Q1", unit: "县城管局", workspace: world.workspace)
        #expect(assigned == ProblemRecorded(id: "Q1", action: .assign, project: "P1", unit: "县城管局", recordedOn: try Self.day("2025-02-01")))
        _ = try ImplementationService.openProblem(project: "P2", text: "资金未到位", unit: "县财政局", workspace: world.workspace)
        #expect(try ImplementationService.problems(openOnly: true, project: nil, workspace: world.workspace).map(\.id) == ["Q1", "Q2"])
        world.clock.advance(days: 10)
        let closed = try ImplementationService.closeProblem(id: "Q1", note: "已调整施工时间", workspace: world.workspace)
        #expect(closed == ProblemRecorded(id: "Q1", action: .close, project: "P1", note: "已调整施工时间", recordedOn: try Self.day("2025-02-11")))
        let items = try ImplementationService.problems(openOnly: false, project: "P1", workspace: world.workspace)
        let item = try #require(items.first)
        #expect(items.count == 1)
        #expect((item.id, item.project, item.text, item.unit) == ("Q1", "P1", "施工扰民", "县城管局"))
        #expect(item.openedOn == (try Self.day("2025-02-01")))
        #expect(item.closedOn == (try Self.day("2025-02-11")))
        #expect(item.closeNote == "已调整施工时间")
        #expect(!item.isOpen)
        #expect(try ImplementationService.problems(openOnly: true, project: nil, workspace: world.workspace).map(\.id) == ["Q2"])
        #expect(try world.kinds().suffix(4) == Array(repeating: ProblemRecorded.kind, count: 4))
        let unknown = try world.refusal { try ImplementationService.problems(openOnly: false, project: "P9", workspace: world.workspace) }
        #expect(unknown.code == "implement.unknown-project")
    }

    @Test func problemRefusals() throws {
        let world = try Self.chosen()
        _ = try ImplementationService.openProblem(project: "P1", text: "施工扰民", unit: nil, workspace: world.workspace)
        _ = try ImplementationService.closeProblem(id: "Q1", note: "已整改", workspace: world.workspace)
        let checks: [(Refusal, String, ErrorDetails, Int32)] = [
            (try world.refusal { try ImplementationService.openProblem(project: "P1", text: "  ", unit: nil, workspace: world.workspace) },
             "implement.empty-problem", [:], 2),
            (try world.refusal {
                try ImplementationService.openProblem(project: "P1", text: String(repeating: "问", count: 4001), unit: nil, workspace: world.workspace)
            }, "implement.problem-too-long", ["length": .number(4001)], 2),
            (try world.refusal { try ImplementationService.openProblem(project: "P1", text: "问题", unit: " ", workspace: world.workspace) },
             "implement.empty-unit", [:], 2),
            (try world.refusal { try ImplementationService.openProblem(project: "P3", text: "问题", unit: nil, workspace: world.workspace) },
             "implement.not-chosen", ["project": .text("P3"), "status": .text("未当选")], 1),
            (try world.refusal { try ImplementationService.assignProblem(id: "Q9", unit: "县城管局", workspace: world.workspace) },
             "implement.unknown-problem", ["problem": .text("Q9")], 2),
            (try world.refusal { try ImplementationService.assignProblem(id: "Q1", unit: "县城管局", workspace: world.workspace) },
             "implement.problem-closed", ["problem": .text("Q1"), "on": .text("2025-02-01"), "note": .text("已整改")], 1),
            (try world.refusal { try ImplementationService.closeProblem(id: "Q1", note: "再次", workspace: world.workspace) },
             "implement.problem-closed", ["problem": .text("Q1"), "on": .text("2025-02-01"), "note": .text("已整改")], 1),
        ]
        for (refusal, code, details, exit) in checks {
            #expect(refusal.code == code, "\(refusal)")
            #expect(refusal.details == details, "\(code)")
            #expect(refusal.exitStatus == exit, "\(code)")
            #expect(refusal.wroteNothing, "\(code)")
        }
        _ = try ImplementationService.openProblem(project: "P2", text: "问题", unit: nil, workspace: world.workspace)
        let emptyUnit = try world.refusal { try ImplementationService.assignProblem(id: "Q2", unit: "", workspace: world.workspace) }
        #expect(emptyUnit.code == "implement.empty-unit")
        let emptyNote = try world.refusal { try ImplementationService.closeProblem(id: "Q2", note: " ", workspace: world.workspace) }
        #expect(emptyNote.code == "implement.empty-note")
        #expect(emptyNote.wroteNothing)
    }

    // MARK: Adjustments

    @Test func adjustmentsTakeEffectWithTheDecidingBodysDecision() throws {
        let world = try Self.chosen()
        try Self.plan(world)
        let suspended = try Self.adjust(world, .suspend, reason: "  汛期停工 ")
        #expect(suspended.event == AdjustmentDecided(
            project: "P1", adjustment: .suspend, reason: "汛期停工", decision: "县人大常委会〔2025〕5号", decidedBy: "人大常委会",
            decidedOn: try Self.day("2025-02-01"), changes: nil))
        #expect(suspended.status == .suspended)
        let blocked = try world.refusal { try Self.progress(world, percent: 10) }
        #expect(blocked.code == "implement.suspended")
        #expect(blocked.details == ["project": .text("P1"), "decision": .text("县人大常委会〔2025〕5号")])
        let resumed = try Self.adjust(world, .resume, reason: "汛期结束", decision: "县人大常委会〔2025〕6号")
        #expect(resumed.status == .planned)

        let changes = PlanChanges(
            budget: 900_000, deadline: try Self.day("2025-10-31"),
            milestones: [Milestone(id: "M1", date: try Self.day("2025-08-31"), text: "主体完工")])
        let changed = try Self.adjust(world, .majorChange, reason: "缩减规模", changes: changes)
        #expect(changed.event.changes == changes)
        let overview = try ImplementationService.overview(rules: world.rules, workspace: world.workspace)
        let p1 = try #require(overview.projects.first)
        #expect(p1.budget == 900_000)
        #expect(p1.deadline == (try Self.day("2025-10-31")))
        #expect(p1.milestones.map(\.milestone.text) == ["主体完工"])
        #expect(p1.adjustments.map(\.adjustment) == [.suspend, .resume, .majorChange])

        let terminated = try Self.adjust(world, .terminate, project: "P2", reason: "上级已安排实施", decidedBy: "县人大常委会第20次会议")
        #expect(terminated.status == .terminated)
        #expect(terminated.event.decidedBy == "县人大常委会第20次会议")
        let after = try world.refusal { try Self.plan(world, try Self.request("P2")) }
        #expect(after.code == "implement.terminated")
        #expect(after.details == ["project": .text("P2"), "decidedBy": .text("县人大常委会第20次会议"), "decision": .text("县人大常委会〔2025〕5号")])
        #expect(after.exitStatus == 1)
        #expect(after.wroteNothing)
    }

    @Test func aTownshipsAdjustmentsAreDecidedByItsCongress() throws {
        let world = try Self.chosen(level: .township)
        let suspended = try Self.adjust(world, .suspend)
        #expect(suspended.event.decidedBy == "乡镇人民代表大会")
    }

    @Test func adjustmentRefusals() throws {
        // T15: terminating without the deciding body's decision is refused, and nothing is recorded.
        let world = try Self.chosen()
        try Self.plan(world)
        try Self.plan(world, try Self.request("P2"))
        try Self.progress(world, "P2", percent: 100)
        func adjust(
            _ kind: AdjustmentKind, project: String = "P1", reason: String = "政策调整", decision: String? = "县人大常委会〔2025〕5号",
            decidedBy: String? = nil, changes: PlanChanges? = nil
        ) throws -> Refusal {
            try world.refusal {
                try Self.adjust(world, kind, project: project, reason: reason, decision: decision, decidedBy: decidedBy, changes: changes)
            }
        }
        let checks: [(Refusal, String, ErrorDetails, Int32)] = [
            (try adjust(.terminate, decision: nil), "implement.needs-decision", ["kind": .text("terminate"), "body": .text("人大常委会")], 1),
            (try adjust(.majorChange, decision: "  "), "implement.needs-decision", ["kind": .text("major-change"), "body": .text("人大常委会")], 1),
            (try adjust(.suspend, reason: " "), "implement.empty-reason", [:], 2),
            (try adjust(.suspend, decidedBy: "  "), "implement.empty-body", [:], 2),
            (try adjust(.resume), "implement.not-suspended", ["project": .text("P1")], 1),
            (try adjust(.suspend, changes: PlanChanges(budget: 1)), "implement.changes-need-major-change", [:], 2),
            (try adjust(.majorChange, changes: PlanChanges(leader: " ")), "implement.empty-leader", [:], 2),
            (try adjust(.majorChange, changes: PlanChanges(unit: "")), "implement.empty-unit", [:], 2),
            (
                try adjust(.majorChange, changes: PlanChanges(deadline: try Self.day("2025-05-31"))), "implement.milestone-after-deadline",
                ["date": .text("2025-06-30"), "text": .text("主体完工"), "deadline": .text("2025-05-31")], 2
            ),
            (
                try adjust(.suspend, project: "P2"), "implement.not-adjustable",
                ["project": .text("P2"), "status": .text("completed"), "kind": .text("suspend")], 1
            ),
            (try adjust(.suspend, project: "P9"), "implement.unknown-project", ["project": .text("P9"), "chosen": .texts(["P1", "P2"])], 2),
        ]
        for (refusal, code, details, exit) in checks {
            #expect(refusal.code == code, "\(refusal)")
            #expect(refusal.details == details, "\(code)")
            #expect(refusal.exitStatus == exit, "\(code)")
            #expect(refusal.wroteNothing, "\(code)")
        }
        try Self.adjust(world, .suspend)
        let twice = try adjust(.suspend)
        #expect(twice.code == "implement.already-suspended")
        #expect(twice.details == ["project": .text("P1")])
        #expect(twice.wroteNothing)

        let unplanned = try Self.chosen()
        let nothing = try unplanned.refusal { try Self.adjust(unplanned, .majorChange, changes: PlanChanges(budget: 5)) }
        #expect(nothing.code == "implement.nothing-to-change")
        #expect(nothing.details == ["project": .text("P1")])
        #expect(nothing.wroteNothing)
    }

    // MARK: Status and report

    @Test func theOverviewShowsEveryChosenProjectOnTheDay() throws {
        let world = try Self.chosen()
        try Self.plan(world)
        try world.clock.set("2025-04-15")
        let overview = try ImplementationService.overview(rules: world.rules, workspace: world.workspace)
        #expect(overview.body == ServiceWorld.body)
        #expect(overview.asOf == (try Self.day("2025-04-15")))
        #expect(overview.planDeadlineDays == 30)
        #expect(overview.projects.map(\.id) == ["P1", "P2"])
        let p1 = overview.projects[0]
        let p2 = overview.projects[1]
        #expect(p1.overdueReasons.map(\.code) == ["milestone:M1"])
        #expect(p1.daysLeft == 260)
        #expect(p2.status == .unplanned)
        #expect(p2.overdueReasons == [.planNotPublished(dueBy: try Self.day("2025-02-14"))])
        #expect(p2.planLate)
        #expect(p2.unit == "县住建局")
        #expect(overview.overdueFirst.map(\.id) == ["P1", "P2"])
        let row = ProjectStatusRow(p2)
        #expect(row.overdueReasons == ["plan"])
        #expect(row.statusText == "未制定计划")
    }

    @Test func theReportIsWrittenIntoANewDirectoryOnly() throws {
        let world = try ServiceWorld()
        let vote = try world.decidedVote()
        #expect(vote.tally?.chosen == ["P1", "P2"])
        let directory = world.path("report")
        let before = try world.entryCount()
        let (file, overview) = try ImplementationService.writeReport(directory: directory, rules: world.rules, workspace: world.workspace)
        #expect(file == directory + "/index.html")
        #expect(overview.projects.map(\.id) == ["P1", "P2"])
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.contains("民生项目1"))
        #expect(html.contains("民生项目2"))
        #expect(!html.contains("民生项目3"))
        #expect(try world.entryCount() == before)
        let again = try world.refusal { try ImplementationService.writeReport(directory: directory, rules: world.rules, workspace: world.workspace) }
        #expect(again.code == "file.directory-not-empty")
        #expect(again.details == ["path": .text(directory)])
        let climbing = try world.refusal {
            try ImplementationService.writeReport(directory: world.path("a/../b"), rules: world.rules, workspace: world.workspace)
        }
        #expect(climbing.code == "file.output-climbs")
        #expect(!FileManager.default.fileExists(atPath: world.path("b")))
    }
}
