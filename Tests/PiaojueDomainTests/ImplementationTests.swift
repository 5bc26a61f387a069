import PiaojueDomain
import PiaojueTestSupport
import Testing

/// Stage 3 · 组织实施: plans, progress, problems, decided adjustments (T15), and the status
/// figures on an injected day.
@Suite("Implementation: plans, progress, adjustments, status")
struct ImplementationTests {
    // MARK: Fixture

    static let voteDay = day("2025-01-15")
    static let rules = ImplementationRules.standard

    static func rules(planDeadlineDays days: Int) -> ImplementationRules {
        var rules = ImplementationRules.standard
        rules.planDeadlineDays = days
        return rules
    }

    /// The clerk-facing error `body` throws, or nil when it succeeds.
    static func failure<T>(_ body: () throws -> T) -> (any ClerkFacingError)? {
        do {
            _ = try body()
            return nil
        } catch let error as any ClerkFacingError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    static func day(_ text: String) -> Day {
        (try? Day(parsing: text)) ?? Day(ordinal: 0)
    }

    /// Five projects chosen on 2025-01-15 in session S1; P6 exists but lost the vote.
    static func chosen() -> ImplementationState {
        let titles = ["P1": "社区食堂", "P2": "老旧小区改造", "P3": "乡村道路", "P4": "公厕提升", "P5": "农贸市场"]
        let projects = ["P1", "P2", "P3", "P4", "P5"].map { id in
            VotedProject(
                id: id, title: titles[id] ?? id, session: "S1", list: "L1", tallyEntry: 40, votedOn: voteDay,
                estimate: 1_000_000, proposedUnit: "县住建局")
        }
        return ImplementationState(projects: projects, otherProposals: ["P6": "未当选"])
    }

    static func plan(
        _ id: String, budget: Int64 = 1_200_000, deadline: String = "2025-12-31", milestones: [String] = []
    ) throws -> PlanRequest {
        PlanRequest(
            project: id, unit: "县民政局", leader: "李副县长", budget: budget, deadline: try Day(deadline: deadline),
            milestones: try milestones.map { try ImplementationInput.milestone($0) })
    }

    /// Decides and applies, as the service does.
    static func record(_ state: inout ImplementationState, plan request: PlanRequest, on text: String) throws {
        state.apply(try state.decide(plan: request, today: day(text), rules: rules).event)
    }

    static func record(_ state: inout ImplementationState, progress request: ProgressRequest, on text: String) throws {
        state.apply(try state.decide(progress: request, today: day(text)).event)
    }

    static func adjust(
        _ state: ImplementationState, _ id: String, _ kind: AdjustmentKind, decision: String?, changes: PlanChanges? = nil,
        on text: String = "2025-06-01"
    ) throws(ImplementationRefusal) -> AdjustmentDecided {
        try state.decide(
            adjust: id, kind: kind, reason: "上级政策调整", decision: decision, decidedBy: "人大常委会", changes: changes, today: day(text))
    }

    /// The worked example of the tests and of docs: five projects followed to 2025-07-15.
    static func workedExample() throws -> ImplementationState {
        var state = chosen()
        // P1: on time; M1 (06-30) missed by 07-15.
        try record(&state, plan: plan("P1", milestones: ["2025-09-30:设备安装", "2025-06-30:主体完工"]), on: "2025-02-10")
        try record(&state, progress: ProgressRequest(project: "P1", percent: 20, spent: 300_000), on: "2025-05-20")
        try record(&state, progress: ProgressRequest(project: "P1", percent: 40, spent: 500_000, note: "主体施工中"), on: "2025-07-10")
        // P2: plan 15 days late, completed over budget.
        try record(&state, plan: plan("P2", budget: 800_000, deadline: "2025-06-30"), on: "2025-03-01")
        try record(&state, progress: ProgressRequest(project: "P2", percent: 100, spent: 900_000), on: "2025-06-20")
        // P3: suspended by decision after reaching M1.
        try record(&state, plan: plan("P3", budget: 500_000, deadline: "2025-11-30", milestones: ["2025-05-31:招标完成"]), on: "2025-02-01")
        try record(&state, progress: ProgressRequest(project: "P3", percent: 10, reached: ["M1"]), on: "2025-05-30")
        state.apply(try adjust(state, "P3", .suspend, decision: "县人大常委会〔2025〕8号", on: "2025-06-01"))
        // P4: no plan at all. P5: terminated before any plan.
        state.apply(try adjust(state, "P5", .terminate, decision: "县人大常委会〔2025〕9号", on: "2025-03-10"))
        return state
    }

    // MARK: T15 — adjustments need the deciding body's decision

    @Test("T15: terminate, suspend or major-change without a decision is refused", arguments: AdjustmentKind.allCases)
    func t15NeedsDecision(kind: AdjustmentKind) throws {
        var state = Self.chosen()
        try Self.record(&state, plan: Self.plan("P1"), on: "2025-02-01")
        if kind == .resume { state.apply(try Self.adjust(state, "P1", .suspend, decision: "〔2025〕1号")) }
        for missing in [nil, "", "   "] as [String?] {
            #expect(throws: ImplementationRefusal.needsDecision(kind: kind.rawValue, body: "人大常委会")) {
                try Self.adjust(state, "P1", kind, decision: missing)
            }
            let failure = Self.failure { try Self.adjust(state, "P1", kind, decision: missing) }
            #expect(failure?.code == "implement.needs-decision")
            #expect(failure?.exitStatus == 1)
            #expect(failure?.description.contains("--decision") == true)
        }
        let decided = try Self.adjust(state, "P1", kind, decision: "县人大常委会〔2025〕12号")
        #expect(decided.decision == "县人大常委会〔2025〕12号")
        #expect(decided.decidedBy == "人大常委会")
    }

    @Test("T15: a decided termination ends the project; nothing more is reported on it")
    func t15TerminationTakesEffect() throws {
        var state = Self.chosen()
        try Self.record(&state, plan: Self.plan("P1"), on: "2025-02-01")
        try Self.record(&state, progress: ProgressRequest(project: "P1", percent: 30, spent: 200_000), on: "2025-04-01")
        state.apply(try Self.adjust(state, "P1", .terminate, decision: "县人大常委会〔2025〕12号"))
        #expect(state.records["P1"]?.status == .terminated)
        let progress = state.progress(today: Self.day("2026-03-01"), rules: Self.rules).first { $0.id == "P1" }
        #expect(progress?.status == .terminated)
        #expect(progress?.overdue == false)
        let terminated = ImplementationRefusal.terminated(project: "P1", decidedBy: "人大常委会", decision: "县人大常委会〔2025〕12号")
        #expect(terminated.description == "项目 P1 已经人大常委会决定终止（县人大常委会〔2025〕12号），不能再记录实施情况。P1 is terminated.")
        #expect(throws: terminated) {
            try state.decide(progress: ProgressRequest(project: "P1", percent: 40), today: Self.day("2025-07-01"))
        }
        #expect(throws: terminated) { try Self.adjust(state, "P1", .resume, decision: "〔2025〕13号") }
        #expect(throws: terminated) { try state.decide(plan: Self.plan("P1"), today: Self.day("2025-07-01"), rules: Self.rules) }
    }

    @Test("Suspended projects take no progress until a decided resumption")
    func suspendAndResume() throws {
        var state = Self.chosen()
        try Self.record(&state, plan: Self.plan("P1"), on: "2025-02-01")
        state.apply(try Self.adjust(state, "P1", .suspend, decision: "〔2025〕5号"))
        #expect(state.records["P1"]?.status == .suspended)
        #expect(throws: ImplementationRefusal.suspended(project: "P1", decision: "〔2025〕5号")) {
            try state.decide(progress: ProgressRequest(project: "P1", percent: 10), today: Self.day("2025-06-02"))
        }
        #expect(throws: ImplementationRefusal.alreadySuspended(project: "P1")) { try Self.adjust(state, "P1", .suspend, decision: "〔2025〕6号") }
        state.apply(try Self.adjust(state, "P1", .resume, decision: "〔2025〕7号", on: "2025-07-01"))
        try Self.record(&state, progress: ProgressRequest(project: "P1", percent: 10), on: "2025-07-02")
        #expect(state.records["P1"]?.status == .inProgress)
    }

    @Test("Adjustment kinds accept the Chinese words")
    func adjustmentWords() throws {
        #expect(try AdjustmentKind(word: "暂缓") == .suspend)
        #expect(try AdjustmentKind(word: "终止") == .terminate)
        #expect(try AdjustmentKind(word: "重大调整") == .majorChange)
        #expect(try AdjustmentKind(word: "major-change") == .majorChange)
        #expect(try AdjustmentKind(word: "恢复") == .resume)
        #expect(throws: InputFailure.adjustmentKind(word: "cancel")) { try AdjustmentKind(word: "cancel") }
    }

    @Test("A decided major change replaces the plan's terms")
    func majorChange() throws {
        var state = Self.chosen()
        try Self.record(&state, plan: Self.plan("P1", milestones: ["2025-06-30:主体完工"]), on: "2025-02-01")
        try Self.record(&state, progress: ProgressRequest(project: "P1", percent: 30, reached: ["M1"]), on: "2025-06-20")
        let changes = PlanChanges(
            budget: 1_500_000, deadline: Self.day("2026-06-30"),
            milestones: ImplementationInput.numbered([(Self.day("2025-12-31"), "主体完工")]))
        state.apply(try Self.adjust(state, "P1", .majorChange, decision: "县人大常委会第21次会议", changes: changes, on: "2025-07-01"))
        let plan = try #require(state.records["P1"]?.plan)
        #expect(plan.budget == 1_500_000)
        #expect(plan.deadline == Self.day("2026-06-30"))
        #expect(plan.unit == "县民政局")
        #expect(state.records["P1"]?.originalPlan?.budget == 1_200_000)
        #expect(state.records["P1"]?.reached.isEmpty == true)
        // Changes need a major change, and the new terms are checked like a plan.
        #expect(throws: ImplementationRefusal.changesNeedMajorChange) { try Self.adjust(state, "P1", .suspend, decision: "x", changes: changes) }
        let early = PlanChanges(deadline: Self.day("2024-12-31"))
        #expect(code { try Self.adjust(state, "P1", .majorChange, decision: "x", changes: early) } == "implement.deadline-before-vote")
        // New milestones as a plan numbers them: in date order, M1, M2 … in turn, text not blank.
        let numbered = ImplementationInput.numbered([(Self.day("2025-09-30"), "管网完工"), (Self.day("2025-12-31"), "竣工验收")])
        for bad in [
            [numbered[1], numbered[0]].enumerated().map { Milestone(id: "M\($0.offset + 1)", date: $0.element.date, text: $0.element.text) },
            [Milestone(id: "M2", date: numbered[0].date, text: "管网完工")],
            [Milestone(id: "M1", date: numbered[0].date, text: "  ")],
            [Milestone(id: "M1", date: numbered[0].date, text: String(repeating: "字", count: 501))],
        ] {
            #expect(code { try Self.adjust(state, "P1", .majorChange, decision: "x", changes: PlanChanges(milestones: bad)) } == "implement.changed-milestone")
        }
        // A major change needs a plan to change.
        #expect(throws: ImplementationRefusal.nothingToChange(project: "P4")) { try Self.adjust(state, "P4", .majorChange, decision: "x") }
    }

    // MARK: Plans

    @Test("Plans only for chosen projects: not chosen exit 1, unknown exit 2")
    func plansOnlyForChosen() throws {
        let state = Self.chosen()
        let notChosen = try Self.plan("P6")
        let unknown = try Self.plan("P99")
        let lost = Self.failure { try state.decide(plan: notChosen, today: Self.day("2025-02-01"), rules: Self.rules) }
        #expect(lost?.code == "implement.not-chosen")
        #expect(lost?.exitStatus == 1)
        #expect(lost?.description.contains("未当选") == true)
        let missing = Self.failure { try state.decide(plan: unknown, today: Self.day("2025-02-01"), rules: Self.rules) }
        #expect(missing?.code == "implement.unknown-project")
        #expect(missing?.details["project"] == .text("P99"))
        #expect(missing?.exitStatus == 2)
    }

    @Test("A plan is recorded once; changes go through a decided major change")
    func planOnce() throws {
        var state = Self.chosen()
        let request = try Self.plan("P1")
        try Self.record(&state, plan: request, on: "2025-02-01")
        let again = Self.failure { try state.decide(plan: request, today: Self.day("2025-02-02"), rules: Self.rules) }
        #expect(again?.code == "implement.plan-exists")
        #expect(again?.exitStatus == 1)
        #expect(again?.description.contains("major-change") == true)
    }

    @Test(
        "Dates before the vote, milestones after the deadline and malformed milestones are bad input",
        arguments: [
            ("2025-01-14", [String](), "implement.deadline-before-vote"),
            ("2025-12-31", ["2025-01-10:开工"], "implement.milestone-before-vote"),
            ("2025-06-30", ["2025-07-01:验收"], "implement.milestone-after-deadline"),
        ])
    func badPlanDates(deadline: String, milestones: [String], code: String) throws {
        let state = Self.chosen()
        let request = try Self.plan("P1", deadline: deadline, milestones: milestones)
        let failure = Self.failure { try state.decide(plan: request, today: Self.day("2025-02-01"), rules: Self.rules) }
        #expect(failure?.code == code)
        #expect(failure?.exitStatus == 2)
    }

    @Test("Milestone text: DATE:TEXT with either colon; anything else is refused")
    func milestoneParsing() throws {
        let parsed = try ImplementationInput.milestone("2025年6月底：主体完工")
        #expect(parsed.date == Self.day("2025-06-30"))
        #expect(parsed.text == "主体完工")
        for (bad, expected) in [
            ("2025-06-30", "input.milestone-form"), ("2025-06-31:x", "input.milestone-date"), ("2025-06-30:", "input.milestone-text"),
            ("明年:开工", "input.milestone-date"),
        ] {
            #expect(code { try ImplementationInput.milestone(bad) } == expected)
        }
        let numbered = ImplementationInput.numbered([(Self.day("2025-09-30"), "B"), (Self.day("2025-06-30"), "A")])
        #expect(numbered.map(\.id) == ["M1", "M2"])
        #expect(numbered.map(\.text) == ["A", "B"])
    }

    @Test("Today before the vote is refused (the injected clock is input)")
    func todayBeforeVote() throws {
        let state = Self.chosen()
        let request = try Self.plan("P1")
        let failure = Self.failure { try state.decide(plan: request, today: Self.day("2025-01-14"), rules: Self.rules) }
        #expect(failure?.code == "implement.before-vote")
        #expect(failure?.exitStatus == 2)
    }

    @Test("A multi-year project states a milestone in each year before its last")
    func multiYear() throws {
        let state = Self.chosen()
        let request = try Self.plan("P1", deadline: "2026-06-30")
        let failure = Self.failure { try state.decide(plan: request, today: Self.day("2025-02-01"), rules: Self.rules) }
        #expect(failure?.code == "implement.yearly-milestone")
        #expect(failure?.details["year"] == .number(2025))
        #expect(failure?.exitStatus == 1)
        let ok = try state.decide(
            plan: Self.plan("P1", deadline: "2026-06-30", milestones: ["2025-12-31:主体完工"]), today: Self.day("2025-02-01"),
            rules: Self.rules)
        #expect(ok.event.milestones.count == 1)
    }

    @Test("A plan later than planDeadlineDays after the vote is recorded, late, with a warning")
    func latePlan() throws {
        let state = Self.chosen()
        let onTime = try state.decide(plan: Self.plan("P1"), today: Self.day("2025-02-14"), rules: Self.rules)
        #expect(onTime.event.dueBy == Self.day("2025-02-14"))
        #expect(onTime.event.late == false)
        let late = try state.decide(plan: Self.plan("P1"), today: Self.day("2025-02-15"), rules: Self.rules)
        #expect(late.event.late)
        #expect(late.warnings.contains { $0.contains("逾期 1 日") })
        let tighter = try state.decide(plan: Self.plan("P1"), today: Self.day("2025-02-15"), rules: Self.rules(planDeadlineDays: 45))
        #expect(tighter.event.late == false)
    }

    // MARK: Progress

    @Test("Percent is a whole number from 0 to 100", arguments: ["101", "-1", "abc", "45.5", "", "1e2"])
    func percentOutOfRange(text: String) {
        #expect(["input.percent", "input.percent-range"].contains(code { try ImplementationInput.percent(text) } ?? ""))
    }

    @Test("Percent accepts 0, 100 and a percent sign")
    func percentAccepted() throws {
        #expect(try ImplementationInput.percent("0") == 0)
        #expect(try ImplementationInput.percent("100") == 100)
        #expect(try ImplementationInput.percent("45%") == 45)
        #expect(try ImplementationInput.percent(" 45％ ") == 45)
        let state = Self.chosen()
        #expect(throws: ImplementationRefusal.percentOutOfRange(percent: 101)) {
            try state.decide(progress: ProgressRequest(project: "P1", percent: 101), today: Self.day("2025-03-01"))
        }
    }

    @Test("Progress needs a plan first")
    func progressNeedsPlan() {
        let state = Self.chosen()
        let failure = Self.failure { try state.decide(progress: ProgressRequest(project: "P1", percent: 10), today: Self.day("2025-03-01")) }
        #expect(failure?.code == "implement.no-plan")
        #expect(failure?.exitStatus == 1)
    }

    @Test("A lower percent or lower funds spent needs a note")
    func decreaseNeedsNote() throws {
        var state = Self.chosen()
        try Self.record(&state, plan: Self.plan("P1"), on: "2025-02-01")
        try Self.record(&state, progress: ProgressRequest(project: "P1", percent: 40, spent: 500_000), on: "2025-05-01")
        for request in [ProgressRequest(project: "P1", percent: 35), ProgressRequest(project: "P1", percent: 40, spent: 400_000),
            ProgressRequest(project: "P1", percent: 35, note: "  ")]
        {
            let failure = Self.failure { try state.decide(progress: request, today: Self.day("2025-06-01")) }
            #expect(["implement.lower-percent", "implement.lower-spent"].contains(failure?.code ?? ""))
            #expect(failure?.exitStatus == 1)
            #expect(failure?.description.contains("--note") == true)
        }
        let corrected = try state.decide(
            progress: ProgressRequest(project: "P1", percent: 35, note: "复核后下调"), today: Self.day("2025-06-01"))
        #expect(corrected.event.previousPercent == 40)
        #expect(corrected.event.percent == 35)
    }

    @Test("Funds spent above the budget are recorded with a warning")
    func overBudget() throws {
        var state = Self.chosen()
        try Self.record(&state, plan: Self.plan("P1", budget: 800_000), on: "2025-02-01")
        let decided = try state.decide(progress: ProgressRequest(project: "P1", percent: 90, spent: 900_000), today: Self.day("2025-06-01"))
        #expect(decided.warnings.count == 1)
        #expect(decided.warnings.first?.contains("超出") == true)
        state.apply(decided.event)
        let progress = try #require(state.progress(today: Self.day("2025-06-01"), rules: Self.rules).first)
        #expect(progress.overBudget)
        #expect(progress.spentPermille == 1125)
    }

    @Test("Evidence is carried by name and hash; unknown or repeated milestones are refused")
    func evidenceAndMilestones() throws {
        var state = Self.chosen()
        try Self.record(&state, plan: Self.plan("P1", milestones: ["2025-06-30:主体完工"]), on: "2025-02-01")
        let file = EvidenceFile(name: "现场照片.jpg", sha256: String(repeating: "ab", count: 32), bytes: 1234)
        let decided = try state.decide(
            progress: ProgressRequest(project: "P1", percent: 50, reached: ["M1"], evidence: [file]), today: Self.day("2025-06-01"))
        #expect(decided.event.evidence == [file])
        #expect(decided.event.reached == ["M1"])
        state.apply(decided.event)
        #expect(code { try state.decide(progress: ProgressRequest(project: "P1", percent: 60, reached: ["M1"]), today: Self.day("2025-06-02")) }
            == "implement.milestone-reached")
        #expect(code { try state.decide(progress: ProgressRequest(project: "P1", percent: 60, reached: ["M7"]), today: Self.day("2025-06-02")) }
            == "implement.unknown-milestone")
    }

    @Test("A final report below 100 % closes the project as partially completed")
    func finalReport() throws {
        var state = Self.chosen()
        try Self.record(&state, plan: Self.plan("P1"), on: "2025-02-01")
        try Self.record(&state, progress: ProgressRequest(project: "P1", percent: 85, final: true), on: "2025-12-31")
        #expect(state.records["P1"]?.status == .partiallyCompleted)
        #expect(throws: ImplementationRefusal.closed(project: "P1", status: "partially-completed")) {
            try state.decide(progress: ProgressRequest(project: "P1", percent: 90), today: Self.day("2026-01-02"))
        }
        let progress = try #require(state.progress(today: Self.day("2026-02-01"), rules: Self.rules).first)
        #expect(progress.overdue == false)
    }

    // MARK: Problems

    @Test("Problem items: open, assign, close; closed items stay closed")
    func problems() throws {
        var state = Self.chosen()
        let opened = try state.decide(openProblem: "P1", text: "施工围挡占用人行道", unit: nil, today: Self.day("2025-03-01"))
        #expect(opened.id == "Q1")
        state.apply(opened)
        state.apply(try state.decide(assignProblem: "Q1", unit: "县住建局", today: Self.day("2025-03-02")))
        #expect(state.problems["Q1"]?.unit == "县住建局")
        #expect(throws: ImplementationRefusal.emptyNote) { try state.decide(closeProblem: "Q1", note: " ", today: Self.day("2025-03-05")) }
        state.apply(try state.decide(closeProblem: "Q1", note: "已调整围挡", today: Self.day("2025-03-05")))
        #expect(state.problems["Q1"]?.isOpen == false)
        let closedAgain = Self.failure { try state.decide(closeProblem: "Q1", note: "again", today: Self.day("2025-03-06")) }
        #expect(closedAgain?.code == "implement.problem-closed")
        #expect(closedAgain?.exitStatus == 1)
        let unknown = Self.failure { try state.decide(assignProblem: "Q9", unit: "x", today: Self.day("2025-03-06")) }
        #expect(unknown?.code == "implement.unknown-problem")
        #expect(unknown?.exitStatus == 2)
        #expect(throws: ImplementationRefusal.notChosen(project: "P6", status: "未当选")) {
            try state.decide(openProblem: "P6", text: "x", unit: nil, today: Self.day("2025-03-06"))
        }
        #expect(state.nextProblemID == "Q2")
    }

    // MARK: Status figures (hand-computed)

    @Test("Status on 2025-07-15 matches the hand-computed figures")
    func statusFigures() throws {
        let state = try Self.workedExample()
        let today = Self.day("2025-07-15")
        let rows = Dictionary(uniqueKeysWithValues: state.progress(today: today, rules: Self.rules).map { ($0.id, $0) })

        // P1: 40 %, 50万 of 120万 = 41.6 % (416.66‰ rounded down); deadline 2025-12-31 is 169 days
        // away (16 + 31 + 30 + 31 + 30 + 31); M1 2025-06-30 missed 15 days ago → overdue.
        let p1 = try #require(rows["P1"])
        #expect(p1.status == .inProgress)
        #expect(p1.percent == 40)
        #expect(p1.spent == 500_000)
        #expect(p1.budget == 1_200_000)
        #expect(p1.spentPermille == 416)
        #expect(p1.spentPercentText == "41.6")
        #expect(p1.overBudget == false)
        #expect(p1.daysLeft == 169)
        #expect(p1.nextMilestone?.milestone.id == "M1")
        #expect(p1.nextMilestone?.milestone.text == "主体完工")
        #expect(p1.nextMilestone?.daysLeft == -15)
        #expect(p1.overdue)
        #expect(p1.overdueReasons.map(\.code) == ["milestone:M1"])
        #expect(p1.planLate == false)
        #expect(p1.planDueBy == Self.day("2025-02-14"))
        #expect(p1.lastReportOn == Self.day("2025-07-10"))

        // P2: completed at 90万 of 80万 = 112.5 %, over budget; plan published 15 days late.
        let p2 = try #require(rows["P2"])
        #expect(p2.status == .completed)
        #expect(p2.percent == 100)
        #expect(p2.spentPermille == 1125)
        #expect(p2.overBudget)
        #expect(p2.overdue == false)
        #expect(p2.daysLeft == nil)
        #expect(p2.planLate)
        #expect(p2.planPublishedOn == Self.day("2025-03-01"))

        // P3: suspended by decision: not overdue although M1 was reached and the plan runs on.
        let p3 = try #require(rows["P3"])
        #expect(p3.status == .suspended)
        #expect(p3.percent == 10)
        #expect(p3.overdue == false)
        #expect(p3.nextMilestone == nil)
        #expect(p3.milestones.first?.reachedOn == Self.day("2025-05-30"))
        #expect(p3.adjustments.map(\.decision) == ["县人大常委会〔2025〕8号"])

        // P4: no plan 151 days after it was due → overdue, plan late.
        let p4 = try #require(rows["P4"])
        #expect(p4.status == .unplanned)
        #expect(p4.budget == nil)
        #expect(p4.overdue)
        #expect(p4.overdueReasons == [.planNotPublished(dueBy: Self.day("2025-02-14"))])
        #expect(p4.planLate)

        // P5: terminated by decision, shown so, never overdue.
        let p5 = try #require(rows["P5"])
        #expect(p5.status == .terminated)
        #expect(p5.overdue == false)
    }

    @Test("A milestone is due through its own day; after the deadline every miss is listed")
    func overdueBoundaries() throws {
        let state = try Self.workedExample()
        let onTheDay = try #require(state.progress(today: Self.day("2025-06-30"), rules: Self.rules).first { $0.id == "P1" })
        #expect(onTheDay.overdue == false)
        #expect(onTheDay.nextMilestone?.daysLeft == 0)
        let nextYear = try #require(state.progress(today: Self.day("2026-01-05"), rules: Self.rules).first { $0.id == "P1" })
        #expect(nextYear.overdueReasons.map(\.code) == ["milestone:M1", "milestone:M2", "deadline"])
        #expect(nextYear.daysLeft == -5)
        let beforeDue = try #require(state.progress(today: Self.day("2025-02-14"), rules: Self.rules).first { $0.id == "P4" })
        #expect(beforeDue.overdue == false)
    }
}
