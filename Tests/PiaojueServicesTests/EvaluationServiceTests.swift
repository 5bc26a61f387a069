import Foundation
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// `EvaluationService` (Stage 4 · 监督评议): rating sessions over chosen projects, their tally by
/// the frozen rules (T17, T18), rectification and re-rating; each refusal by its code and details.
@Suite struct EvaluationServiceTests {
    static func day(_ text: String) throws -> Day { try Day(parsing: text) }

    /// A vote of 2025-01-15 by `seated` deputies chose P1 and P2 (P3 lost); the clock then stands
    /// at 2026-01-10.
    static func chosen(seated: Int = 5) throws -> ServiceWorld {
        let world = try ServiceWorld(now: "2025-01-15T01:00:00Z")
        let vote = try world.decidedVote(seated: seated)
        #expect(vote.tally?.chosen == ["P1", "P2"])
        try world.clock.set("2026-01-10T02:00:00Z")
        return world
    }

    static func open(_ world: ServiceWorld, _ selection: EvaluationService.Selection, rosterPath: String? = nil) throws -> RatingSessionOpened {
        try EvaluationService.open(selection: selection, rules: world.rules, rosterPath: rosterPath, workspace: world.workspace)
    }

    /// Everyone of `seated` present and given a credential in `session`; paper ballots whose marks
    /// `mark(n, project)` gives for ballot `n`; closed and tallied.
    static func rate(
        _ world: ServiceWorld, _ session: String, seated: Int, returned: Int? = nil, _ mark: (Int, String) -> Mark?
    ) throws -> RatingResult {
        let opened = try world.workspace.openForReading().read { try EvaluationService.opening($0, session: session) }
        try world.checkin(session, 1...seated, shape: .rating)
        let codes = try world.issue(session, shape: .rating)
        let rows = codes.enumerated().map { n, code in
            var marks: [Mark: [String]] = [:]
            for project in opened.header.items { if let m = mark(n, project) { marks[m, default: []].append(project) } }
            return ServiceWorld.PaperRow(code, marks)
        }
        try world.importPaper(session, rows, shape: .rating)
        try world.close(session, returned: returned, shape: .rating)
        return try EvaluationService.tally(session: session, workspace: world.workspace)
    }

    /// T17 for P1 (10 / 5 / 5 of 20: 基本满意) and T18 for P2 (4 / 6 / 10: 不满意, flagged).
    static func t17t18(_ n: Int, _ project: String) -> Mark {
        if project == "P1" { return n < 10 ? .satisfied : n < 15 ? .basic : .dissatisfied }
        return n < 4 ? .satisfied : n < 10 ? .basic : .dissatisfied
    }

    @Test func openRatesTheProjectsChosenInAYear() throws {
        let world = try Self.chosen()
        let roster = try #require(try world.entries(kinds: [RosterImported.kind]).last)
        let before = try #require(try world.entryCount())
        let opened = try Self.open(world, .year(2025))
        let header = SessionHeader(
            session: "R1", shape: .rating, items: ["P1", "P2"], seated: 5, rosterEntry: roster.index,
            rosterHash: try roster.payload(RosterImported.self).rosterHash, quorum: world.rules.ballot.quorum)
        let projects = [1, 2].map { n in
            RatedProject(
                id: "P\(n)", title: "民生项目\(n)", category: "市政建设", unit: "县住建局", location: "第\(n)街道", budget: Int64(100 + n) * 10_000,
                chosenIn: "S1", chosenOn: Day(year: 2025, month: 1, day: 15) ?? Day(ordinal: 0), rerate: false, previousRating: nil,
                rectification: nil)
        }
        #expect(opened == RatingSessionOpened(
            session: "R1", header: header, projects: projects, year: 2025, raters: .roster, rerated: [], rulesName: "default",
            rules: world.rules.evaluation, rulesHash: try canonicalHash(world.rules.evaluation)))
        let output = RatingOpenOutput(opened)
        #expect(output.projects == ["P1", "P2"])
        #expect(output.raters == "roster")
        #expect(try world.kinds(after: before) == [RatingSessionOpened.kind])
        #expect(try AuditService.checkpoint(fresh: false, workspace: world.workspace).size == before + 1)
        #expect(try world.workspace.openForReading().read { try EvaluationService.opening($0, session: "R1") } == opened)
        try EvaluationService.requireRatingSession("R1", workspace: world.workspace)
    }

    @Test func openNamedProjectsInTheOrderGiven() throws {
        let world = try Self.chosen()
        let opened = try Self.open(world, .projects(["P2", "P1"]))
        #expect(opened.header.items == ["P2", "P1"])
        #expect(opened.year == nil)
    }

    @Test func aCommitteeRatesWithItsOwnRoster() throws {
        let world = try Self.chosen()
        let file = try world.write("committee.csv", "id,name\nC001,主任\nC002,副主任\nC003,委员甲\n")
        let before = try #require(try world.entryCount())
        let opened = try Self.open(world, .year(2025), rosterPath: file)
        #expect(try world.kinds(after: before) == [RaterRoster.kind, RatingSessionOpened.kind])
        let raters = try #require(try world.entries(kinds: [RaterRoster.kind]).first)
        #expect(opened.header.rosterEntry == raters.index)
        #expect(opened.header.seated == 3)
        #expect(opened.raters == .committee)
        let roster = try raters.payload(RaterRoster.self)
        #expect(roster.session == "R1")
        #expect(roster.deputies.map(\.id) == ["C001", "C002", "C003"])
        #expect(roster.file == "committee.csv")
        // Committee members check in; deputies are not on this session's roster.
        let checkin = try SessionService.checkin(session: "R1", deputies: ["C001", "C002"], shape: .rating, workspace: world.workspace)
        #expect(checkin == CheckinOutput(session: "R1", present: 2, seated: 3, quorum: true, quorumNeeded: 2, added: 2))
        let deputy = try world.refusal { try world.checkin("R1", 1...1, shape: .rating) }
        #expect(deputy.code == "evaluate.not-on-roster")
        #expect(deputy.details == ["deputy": .text("D001")])
        // The seated roster stays the one for later ballot sessions.
        #expect(try RosterService.current(workspace: world.workspace).seated == 5)
    }

    @Test func aRatingIsClassifiedByTheFrozenRulesAndFlagsWhatIsRectified() throws {
        let world = try Self.chosen(seated: 20)
        _ = try Self.open(world, .year(2025))
        let before = try #require(try world.entryCount())
        let result = try Self.rate(world, "R1", seated: 20, Self.t17t18)
        #expect(result.session == "R1")
        #expect(result.status == .decided)
        #expect((result.seated, result.present, result.issued, result.returned, result.recorded) == (20, 20, 20, 20, 20))
        #expect((result.valid, result.invalid, result.notReturned) == (20, 0, 0))
        #expect(result.base == .seated)
        #expect((result.baseCount, result.strict, result.threshold) == (20, true, 11))
        #expect(result.projects == [
            ProjectRating(
                id: "P1", satisfied: 10, basic: 5, dissatisfied: 5, abstain: 0, classification: .basicallySatisfied, rate: Ratio(15, 20),
                satisfiedRate: Ratio(10, 20), rectify: false),
            ProjectRating(
                id: "P2", satisfied: 4, basic: 6, dissatisfied: 10, abstain: 0, classification: .unsatisfied, rate: Ratio(10, 20),
                satisfiedRate: Ratio(4, 20), rectify: true),
        ])
        #expect(result.rectify == ["P2"])
        #expect(try world.kinds(after: before).suffix(2) == [SessionClosed.kind, RatingResult.kind])
        // Tallying again returns the recorded result and writes nothing.
        let count = try world.entryCount()
        #expect(try EvaluationService.tally(session: "R1", workspace: world.workspace) == result)
        #expect(try world.entryCount() == count)
        #expect(try EvaluationService.recordedTally(session: "R1", workspace: world.workspace) == result)
        let status = try EvaluationService.status(session: "R1", workspace: world.workspace)
        let output = RatingStatusOutput(opened: status.opened, state: status.state, tally: status.tally)
        #expect((output.present, output.issued, output.recorded, output.closed, output.tallied) == (20, 20, 20, true, true))
        #expect(output.rectify == ["P2"])
        let output2 = RatingTallyOutput(result)
        #expect(output2.session == "R1")
    }

    @Test func aLargeMajorityOfTheSeatedIsSatisfied() throws {
        // T16: 182 满意, 10 基本满意, 1 不满意 of 193 raters (threshold 97): 满意, rate 192/193.
        let world = try Self.chosen(seated: 193)
        _ = try Self.open(world, .projects(["P1"]))
        let result = try Self.rate(world, "R1", seated: 193) { n, _ in n < 182 ? .satisfied : n < 192 ? .basic : .dissatisfied }
        #expect(result.threshold == 97)
        #expect(result.projects == [ProjectRating(
            id: "P1", satisfied: 182, basic: 10, dissatisfied: 1, abstain: 0, classification: .satisfied, rate: Ratio(192, 193),
            satisfiedRate: Ratio(182, 193), rectify: false)])
        #expect(result.rectify.isEmpty)
    }

    @Test func rectificationThenReRating() throws {
        let world = try Self.chosen(seated: 20)
        _ = try Self.open(world, .year(2025))
        _ = try Self.rate(world, "R1", seated: 20, Self.t17t18)
        let tallyIndex = try #require(try world.entries(kinds: [RatingResult.kind]).last).index
        let due = try Self.day("2026-06-30")
        let (record, index) = try EvaluationService.rectify(project: "P2", what: " 增设夜间照明 ", unit: "县城管局", due: due, workspace: world.workspace)
        #expect(record == Rectification(
            session: "R1", project: "P2", title: "民生项目2", ratedClass: .unsatisfied, tallyEntry: tallyIndex, what: "增设夜间照明",
            unit: "县城管局", due: due))
        #expect(try world.entries().last?.index == index)
        #expect(RectifyOutput(record, index: index).due == "2026-06-30")
        #expect(try EvaluationService.rectifications(session: "R1", workspace: world.workspace) == [record])

        let again = try world.refusal { try EvaluationService.rectify(project: "P2", what: "再整改", unit: "县城管局", due: due, workspace: world.workspace) }
        #expect(again.code == "evaluate.rectification-recorded")
        #expect(again.details == ["project": .text("P2"), "session": .text("R1"), "entry": .number(index)])
        #expect(again.exitStatus == 1)
        #expect(again.wroteNothing)
        let notFlagged = try world.refusal { try EvaluationService.rectify(project: "P1", what: "整改", unit: "县城管局", due: due, workspace: world.workspace) }
        #expect(notFlagged.code == "evaluate.not-flagged")
        #expect(notFlagged.details == ["project": .text("P1"), "session": .text("R1"), "ratedClass": .text("基本满意")])
        #expect(notFlagged.wroteNothing)

        // 再测评: P2 again, marked as a re-rating of R1 after that rectification; P1 is not taken again.
        let rerating = try Self.open(world, .projects(["P2"]))
        #expect(rerating.session == "R2")
        #expect(rerating.rerated == ["P2"])
        #expect(rerating.projects.map(\.rerate) == [true])
        #expect(rerating.projects.map(\.previousRating) == ["R1"])
        #expect(rerating.projects.map(\.rectification) == [index])
        let p1 = try world.refusal { try Self.open(world, .projects(["P1"])) }
        #expect(p1.code == "evaluate.not-flagged")
        #expect(p1.details == ["project": .text("P1"), "session": .text("R1"), "ratedClass": .text("基本满意")])
        #expect(p1.wroteNothing)
        let pending = try world.refusal { try Self.open(world, .projects(["P2"])) }
        #expect(pending.code == "evaluate.in-open-session")
        #expect(pending.details == ["project": .text("P2"), "session": .text("R2")])
        #expect(pending.wroteNothing)
        let pendingRectify = try world.refusal {
            try EvaluationService.rectify(project: "P2", what: "整改", unit: "县城管局", due: due, workspace: world.workspace)
        }
        #expect(pendingRectify.code == "evaluate.rectification-recorded")
    }

    @Test func aFlaggedProjectIsRectifiedBeforeItIsRatedAgain() throws {
        let world = try Self.chosen(seated: 20)
        _ = try Self.open(world, .year(2025))
        _ = try Self.rate(world, "R1", seated: 20, Self.t17t18)
        let refusal = try world.refusal { try Self.open(world, .projects(["P2"])) }
        #expect(refusal.code == "evaluate.rectify-first")
        #expect(refusal.details == ["project": .text("P2"), "session": .text("R1"), "ratedClass": .text("不满意")])
        #expect(refusal.exitStatus == 1)
        #expect(refusal.wroteNothing)
    }

    @Test func moreReturnedThanIssuedVoidsTheRating() throws {
        let world = try Self.chosen(seated: 5)
        _ = try Self.open(world, .year(2025))
        try world.checkin("R1", 1...5, shape: .rating)
        let codes = try world.issue("R1", shape: .rating)
        try world.rate("R1", codes[0], [.satisfied: ["P1", "P2"]])
        let closed = try world.close("R1", returned: 6, shape: .rating)
        let expected = SessionClosed(
            session: "R1", issued: 5, recorded: 1, returned: 6, electronic: 1, paper: 0, acknowledged: 1, discrepancies: [.returnedExceedsRecorded])
        #expect(closed == CloseOutput(expected, voidRound: true))
        let result = try EvaluationService.tally(session: "R1", workspace: world.workspace)
        #expect(result.status == .void)
        #expect(result.projects.allSatisfy { $0.classification == nil })
        #expect(result.rectify.isEmpty)
        // A void rating leaves the projects free for a new session.
        #expect(try Self.open(world, .year(2025)).session == "R2")
    }

    /// A rating session that cannot be opened: the selection, the code and the details.
    struct BadOpening: Sendable, CustomStringConvertible {
        let selection: EvaluationService.Selection
        let code: String
        let details: ErrorDetails
        let exit: Int32
        var description: String { code }
    }

    static let badOpenings: [BadOpening] = [
        // `years` ([2025]) is a list of numbers, which details leave out; the sentence names them.
        BadOpening(selection: .year(2024), code: "evaluate.nothing-chosen-in", details: ["year": .number(2024)], exit: 1),
        BadOpening(selection: .projects([]), code: "evaluate.no-projects", details: [:], exit: 2),
        BadOpening(selection: .projects(["P1", "P1"]), code: "evaluate.project-repeated", details: ["project": .text("P1")], exit: 2),
        BadOpening(selection: .projects(["P1", "P3"]), code: "evaluate.not-chosen", details: ["project": .text("P3")], exit: 1),
        BadOpening(selection: .projects(["P9"]), code: "evaluate.unknown-project", details: ["project": .text("P9")], exit: 2),
    ]

    @Test(arguments: badOpenings)
    func aRatingSessionOfTheWrongProjectsIsNotOpened(_ bad: BadOpening) throws {
        let world = try Self.chosen()
        let refusal = try world.refusal { try Self.open(world, bad.selection) }
        #expect(refusal.code == bad.code, "\(refusal)")
        #expect(refusal.details == bad.details)
        if bad.code == "evaluate.nothing-chosen-in" { #expect(refusal.error?.description.contains("2025") == true) }
        #expect(refusal.exitStatus == bad.exit)
        #expect(refusal.wroteNothing)
    }

    @Test func aProjectInAnOpenSessionIsNotTakenTwice() throws {
        let world = try Self.chosen()
        _ = try Self.open(world, .projects(["P1"]))
        let refusal = try world.refusal { try Self.open(world, .year(2025)) }
        #expect(refusal.code == "evaluate.in-open-session")
        #expect(refusal.details == ["project": .text("P1"), "session": .text("R1")])
        #expect(refusal.wroteNothing)
        #expect(try Self.open(world, .projects(["P2"])).session == "R2")
    }

    @Test func sessionAndTallyRefusals() throws {
        let world = try Self.chosen()
        _ = try Self.open(world, .year(2025))
        let unopened = try world.refusal { try EvaluationService.tally(session: "R9", workspace: world.workspace) }
        #expect(unopened.code == "evaluate.not-opened")
        #expect(unopened.details == ["session": .text("R9")])
        let ballot = try world.refusal { try EvaluationService.tally(session: "S1", workspace: world.workspace) }
        #expect(ballot.code == "evaluate.wrong-shape")
        #expect(ballot.details == ["session": .text("S1"), "shape": .text("vote")])
        let rating = try world.refusal { try BallotService.tally(session: "R1", workspace: world.workspace) }
        #expect(rating.code == "ballot.wrong-shape")
        #expect(rating.details == ["session": .text("R1"), "shape": .text("rating")])
        let required = try world.refusal { try EvaluationService.requireRatingSession("S1", workspace: world.workspace) }
        #expect(required.code == "evaluate.wrong-shape")
        let open = try world.refusal { try EvaluationService.tally(session: "R1", workspace: world.workspace) }
        #expect(open.code == "evaluate.not-closed")
        #expect(open.details == ["session": .text("R1")])
        #expect(open.exitStatus == 1)
        #expect(open.wroteNothing)

        let quorum = try world.refusal {
            try SessionService.issue(session: "R1", slipsPath: world.path("slips.txt"), shape: .rating, workspace: world.workspace)
        }
        #expect(quorum.code == "evaluate.no-quorum")
        #expect(quorum.details == ["seated": .number(5), "present": .number(0), "needed": .number(4), "quorum": .text("2/3")])
        try world.checkin("R1", 1...5, shape: .rating)
        let codes = try world.issue("R1", shape: .rating)
        let approve = try world.refusal { try world.rate("R1", codes[0], [.approve: ["P1"]]) }
        #expect(approve.code == "evaluate.mark-not-on-form")
        #expect(approve.details == ["mark": .text("approve")])
        let unknown = try world.refusal { try world.rate("R1", codes[0], [.satisfied: ["P3"]]) }
        #expect(unknown.code == "evaluate.not-on-ballot")
        #expect(unknown.details == ["id": .text("P3"), "items": .texts(["P1", "P2"])])
        let vote = try world.refusal { try world.cast("R1", codes[0], approve: ["P1"]) }
        #expect(vote.code == "ballot.wrong-shape")
        #expect(vote.details == ["session": .text("R1"), "shape": .text("rating")])
        try world.rate("R1", codes[0], [.satisfied: ["P1"], .dissatisfied: ["P2"]])
        let twice = try world.refusal { try world.rate("R1", codes[0], [.satisfied: ["P1"]]) }
        #expect(twice.code == "evaluate.already-voted")
        #expect(twice.wroteNothing)
    }

    @Test func rectifyRefusals() throws {
        let world = try Self.chosen()
        let due = try Self.day("2026-06-30")
        func rectify(_ project: String, what: String = "整改", unit: String = "县城管局") throws -> Refusal {
            try world.refusal { try EvaluationService.rectify(project: project, what: what, unit: unit, due: due, workspace: world.workspace) }
        }
        let never = try rectify("P1")
        #expect(never.code == "evaluate.not-rated")
        #expect(never.details == ["project": .text("P1")])
        #expect(never.exitStatus == 1)
        _ = try Self.open(world, .year(2025))
        let pending = try rectify("P1")
        #expect(pending.code == "evaluate.not-tallied")
        #expect(pending.details == ["project": .text("P1"), "session": .text("R1")])
        let what = try rectify("P1", what: "  ")
        #expect(what.code == "evaluate.empty-what")
        #expect(what.exitStatus == 2)
        let unit = try rectify("P1", unit: "")
        #expect(unit.code == "evaluate.empty-unit")
        for refusal in [never, pending, what, unit] { #expect(refusal.wroteNothing) }
    }
}
