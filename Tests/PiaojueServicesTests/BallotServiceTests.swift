import Foundation
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// `BallotService` (Stage 2 · 审议票决): opening with frozen rules, tallying by them, runoffs and
/// rounds held again; each refusal by its code and details, nothing written when refused.
@Suite struct BallotServiceTests {
    /// P1 … P`n` as frozen candidates (the builders' titles, budgets and units).
    static func candidates(_ numbers: [Int]) -> [Candidate] {
        numbers.map { n in
            Candidate(id: "P\(n)", title: "民生项目\(n)", category: "市政建设", budget: Int64(100 + n) * 10_000, unit: "县住建局", location: "第\(n)街道")
        }
    }

    /// A candidate's counts as a tally records them.
    static func count(_ id: String, approve: Int, oppose: Int = 0, abstain: Int, eligible: Bool, chosen: Bool) -> CandidateCount {
        var count = CandidateCount(id: id, approve: approve, oppose: oppose, abstain: abstain, notPressed: nil)
        count.eligible = eligible
        count.chosen = chosen
        return count
    }

    @Test func openFreezesTheRulesTheListAndTheRoster() throws {
        let world = try ServiceWorld()
        let roster = try world.roster(5)
        let list = try world.shortlist(seats: 2, try world.acceptedProposals(3))
        let rosterEntry = try #require(try world.entries(kinds: [RosterImported.kind]).last).index
        let opened = try BallotService.open(list: "L1", rules: world.rules, scrutineers: ["总监票人甲", "监票人乙"], workspace: world.workspace)
        let header = SessionHeader(
            session: "S1", shape: .vote, items: ["P1", "P2", "P3"], seated: 5, rosterEntry: rosterEntry, rosterHash: roster.rosterHash,
            quorum: world.rules.ballot.quorum)
        #expect(opened == BallotSessionOpened(
            session: "S1", header: header, list: "L1", listHash: list.candidatesHash, candidates: Self.candidates([1, 2, 3]), seats: 2,
            round: 1, parent: nil, budgetCommitted: 0, rulesName: "default", rules: world.rules.ballot,
            rulesHash: try canonicalHash(world.rules.ballot), scrutineers: ["总监票人甲", "监票人乙"]))
        let output = SessionOpenOutput(opened)
        #expect(output.session == "S1")
        #expect(output.candidates == ["P1", "P2", "P3"])
        #expect(output.seated == 5)
        #expect(output.round == 1)
        let entries = try #require(try world.entryCount())
        #expect(try world.kinds().last == BallotSessionOpened.kind)
        #expect(try AuditService.checkpoint(fresh: false, workspace: world.workspace).size == entries)
        let read = try world.workspace.openForReading().read { try BallotService.opening($0, session: "S1") }
        #expect(read == opened)
    }

    @Test func tallyDecidesByTheFrozenRulesOnceAndForAll() throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 5)
        try world.importPaper("S1", vote.codes.map { ServiceWorld.PaperRow($0, approve: ["P1", "P2"]) })
        try world.close("S1")
        let before = try #require(try world.entryCount())
        let tally = try BallotService.tally(session: "S1", workspace: world.workspace)
        #expect(tally.session == "S1")
        #expect(tally.list == "L1")
        #expect(tally.round == 1)
        #expect(tally.status == .decided)
        #expect((tally.seated, tally.present, tally.issued, tally.returned, tally.recorded) == (5, 5, 5, 5, 5))
        #expect((tally.valid, tally.invalid, tally.notReturned) == (5, 0, 0))
        #expect(tally.threshold == 3)
        #expect(tally.thresholdBase == .seated)
        #expect(tally.candidates == [
            Self.count("P1", approve: 5, abstain: 0, eligible: true, chosen: true),
            Self.count("P2", approve: 5, abstain: 0, eligible: true, chosen: true),
            Self.count("P3", approve: 0, abstain: 5, eligible: false, chosen: false),
        ])
        #expect(tally.chosen == ["P1", "P2"])
        #expect(tally.notChosen == ["P3"])
        #expect(tally.runoff.isEmpty)
        #expect(tally.shortfall == 0)
        #expect(try world.entryCount() == before + 1)
        #expect(try AuditService.checkpoint(fresh: false, workspace: world.workspace).size == before + 1)
        // Tallying again returns the recorded result and writes nothing.
        #expect(try BallotService.tally(session: "S1", workspace: world.workspace) == tally)
        #expect(try world.entryCount() == before + 1)
        #expect(try BallotService.recordedTally(session: "S1", workspace: world.workspace) == tally)

        let input = try world.workspace.openForReading().read { try BallotService.tallyInput($0, session: "S1") }
        #expect((input.seated, input.present, input.issued, input.returned, input.ballots.count) == (5, 5, 5, 5, 5))
        #expect(VoteTally.decide(input) == tally)

        let progress = try BallotService.status(session: "S1", workspace: world.workspace)
        #expect(progress.tally == tally)
        let status = BallotStatusOutput(opened: progress.opened, state: progress.state, tally: progress.tally)
        #expect((status.session, status.list, status.round, status.seats, status.seated) == ("S1", "L1", 1, 2, 5))
        #expect((status.quorum, status.quorumNeeded, status.closed) == (true, 4, true))
        #expect(status.tallied)
        #expect(status.status == "decided")
        #expect((status.present, status.issued, status.recorded, status.batches) == (5, 5, 5, 1))
    }

    @Test func theChosenProjectsCarryTheirTally() throws {
        let world = try ServiceWorld(now: "2025-01-15T03:04:05Z")
        let vote = try world.decidedVote()
        let tallyEntry = try #require(try world.entries(kinds: [TallyResult.kind]).first)
        let chosen = try world.workspace.openForReading().read { try BallotService.chosenProjects($0) }
        #expect(chosen == Self.candidates([1, 2]).map { candidate in
            ChosenProject(
                candidate: candidate, session: vote.session, list: vote.list, decidedAt: "2025-01-15T03:04:05Z",
                decidedOn: Day(year: 2025, month: 1, day: 15) ?? Day(ordinal: 0), tallyEntry: tallyEntry.index)
        })
    }

    @Test func aMajorityOfTheSeatedIsStrict() throws {
        // T11: 327 seated, A 164 赞成 (eligible), B 163 (not); 218 present for the quorum.
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 327, candidates: 3, seats: 2)
        #expect(vote.codes.count == 327)
        let ballots = BallotSets.approvals([164, 163, 0], voters: 218, seats: 2)
        try world.importPaper("S1", zip(vote.codes, ballots).map { ServiceWorld.PaperRow($0, approve: $1) })
        try world.close("S1")
        let tally = try world.tally("S1")
        #expect(tally.threshold == 164)
        #expect(tally.candidates.map(\.approve) == [164, 163, 0])
        #expect(tally.candidates.map(\.eligible) == [true, false, false])
        #expect(tally.chosen == ["P1"])
        // T13-like shortfall: one seat left vacant by the default policy.
        #expect(tally.shortfall == 1)
        #expect(tally.status == .decided)
        #expect(tally.notReturned == 109)
    }

    @Test func aTieAcrossTheLastSeatGoesToARunoff() throws {
        // T12 for 2 seats: P1 7, P2 and P3 6 each (10 seated, majority 6).
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 10, candidates: 3, seats: 2)
        let ballots = BallotSets.approvals([7, 6, 6], voters: 10, seats: 2)
        try world.importPaper("S1", zip(vote.codes, ballots).map { ServiceWorld.PaperRow($0, approve: $1) })
        try world.close("S1")
        let tally = try world.tally("S1")
        #expect(tally.status == .runoffRequired)
        #expect(tally.chosen == ["P1"])
        #expect(tally.runoff == ["P2", "P3"])
        #expect(tally.runoffSeats == 1)
        #expect(tally.notChosen.isEmpty)

        let before = try #require(try world.entryCount())
        let runoff = try BallotService.runoff(session: "S1", workspace: world.workspace)
        #expect(runoff.session == "S2")
        #expect(runoff.parent == "S1")
        #expect(runoff.round == 2)
        #expect(runoff.seats == 1)
        #expect(runoff.candidates == Self.candidates([2, 3]))
        #expect(runoff.header.items == ["P2", "P3"])
        #expect(runoff.budgetCommitted == 1_010_000)
        #expect(runoff.rulesHash == (try BallotService.status(session: "S1", workspace: world.workspace)).opened.rulesHash)
        #expect(RunoffOutput(runoff).candidates == ["P2", "P3"])
        #expect(try world.kinds(after: before) == [BallotSessionOpened.kind, CheckedIn.kind])
        let carried = try #require(try world.entries(kinds: [CheckedIn.kind]).last).payload(CheckedIn.self)
        #expect(carried == CheckedIn(session: "S2", deputies: ServiceWorld.deputies(1...10), present: 10))

        // New credentials, without a new check-in; the runoff decides the last seat.
        let codes = try world.issue("S2")
        #expect(codes.count == 10)
        #expect(Set(codes).isDisjoint(with: vote.codes))
        try world.importPaper("S2", codes.enumerated().map { ServiceWorld.PaperRow($1, approve: [$0 < 7 ? "P3" : "P2"]) })
        try world.close("S2")
        let second = try world.tally("S2")
        #expect(second.status == .decided)
        #expect(second.chosen == ["P3"])
        #expect(second.notChosen == ["P2"])
        let chosen = try world.workspace.openForReading().read { try BallotService.chosenProjects($0) }
        #expect(chosen.map(\.id) == ["P1", "P3"])
        #expect(chosen.map(\.session) == ["S1", "S2"])
    }

    @Test func eVoterButtonsNotPressedAreShownApartAndNotCounted() throws {
        // T14: with the e-voter form, 3 deputies press no button for P3.
        let world = try ServiceWorld()
        let rules = try world.preset("e-voter")
        let vote = try world.issuedVote(seated: 5, rules: rules)
        for (n, code) in vote.codes.enumerated() {
            try world.cast(vote.session, code, approve: ["P1", "P2"], oppose: n < 2 ? ["P3"] : [])
        }
        try world.close(vote.session)
        let tally = try world.tally(vote.session)
        #expect(tally.form == .eVoter)
        #expect(tally.candidates.map(\.approve) == [5, 5, 0])
        #expect(tally.candidates.map(\.oppose) == [0, 0, 2])
        #expect(tally.candidates.map(\.abstain) == [0, 0, 0])
        #expect(tally.candidates.map(\.notPressed) == [0, 0, 3])
        #expect(tally.valid == 5)
        #expect(tally.chosen == ["P1", "P2"])
    }

    @Test func aVoidRoundIsHeldAgainWithTheSameList() throws {
        // T7: more returned than issued voids the round; a new round of the same list is opened.
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 5)
        try world.importPaper("S1", vote.codes.map { ServiceWorld.PaperRow($0, approve: ["P1"]) })
        try world.close("S1", returned: 6)
        let tally = try world.tally("S1")
        #expect(tally.status == .void)
        #expect(tally.chosen.isEmpty)
        #expect(try CollectionService.list(status: .shortlisted, workspace: world.workspace).map(\.id) == ["P1", "P2", "P3"])
        let again = try world.open(list: "L1")
        #expect(again.session == "S2")
        #expect(again.round == 1)
        #expect(again.parent == nil)
        #expect(again.candidates == Self.candidates([1, 2, 3]))
        #expect(try world.workspace.openForReading().read { try BallotService.chosenProjects($0) }.isEmpty)
    }

    @Test func aBudgetCapSkipsWhatNoLongerFits() throws {
        let world = try ServiceWorld()
        var rules = world.rules
        rules.ballot.budgetCap = 1_500_000
        let ballots = Array(repeating: ["P1", "P2"], count: 3) + Array(repeating: ["P1"], count: 2)
        let vote = try world.decidedVote(seated: 5, candidates: 3, seats: 2, ballots: ballots, rules: rules)
        let tally = try #require(vote.tally)
        #expect(tally.chosen == ["P1"])
        #expect(tally.skipped.map(\.id) == ["P2"])
        #expect(tally.shortfall == 1)
        #expect(tally.status == .decided)
    }

    @Test func openRefusals() throws {
        let world = try ServiceWorld()
        try world.acceptedProposals(3)
        try world.shortlist(seats: 2, ["P1", "P2", "P3"])
        func open(_ list: String) throws -> Refusal {
            try world.refusal { try BallotService.open(list: list, rules: world.rules, scrutineers: [], workspace: world.workspace) }
        }
        let noRoster = try open("L1")
        #expect(noRoster.code == "roster.no-roster")
        #expect(noRoster.exitStatus == 1)
        #expect(noRoster.wroteNothing)
        try world.roster(5)
        let unknown = try open("L9")
        #expect(unknown.code == "ballot.unknown-list")
        #expect(unknown.details == ["list": .text("L9")])
        #expect(unknown.exitStatus == 2)
        #expect(unknown.wroteNothing)
        try world.open(list: "L1")
        let pending = try open("L1")
        #expect(pending.code == "ballot.not-tallied")
        #expect(pending.details == ["session": .text("S1"), "list": .text("L1")])
        #expect(pending.exitStatus == 1)
        #expect(pending.wroteNothing)
        try world.checkin("S1", 1...5)
        let codes = try world.issue("S1")
        try world.importPaper("S1", codes.map { ServiceWorld.PaperRow($0, approve: ["P1", "P2"]) })
        try world.close("S1")
        try world.tally("S1")
        let decided = try open("L1")
        #expect(decided.code == "ballot.list-decided")
        #expect(decided.details == ["list": .text("L1"), "session": .text("S1")])
        #expect(decided.wroteNothing)
    }

    @Test func runoffAndTallyRefusals() throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 10, candidates: 3, seats: 2)
        func runoff(_ session: String) throws -> Refusal { try world.refusal { try BallotService.runoff(session: session, workspace: world.workspace) } }
        func tally(_ session: String) throws -> Refusal { try world.refusal { try BallotService.tally(session: session, workspace: world.workspace) } }
        let unopened = try tally("S9")
        #expect(unopened.code == "ballot.not-opened")
        #expect(unopened.details == ["session": .text("S9")])
        let open = try tally("S1")
        #expect(open.code == "ballot.not-closed")
        #expect(open.details == ["session": .text("S1")])
        #expect(open.exitStatus == 1)
        #expect(open.wroteNothing)
        let early = try runoff("S1")
        #expect(early.code == "ballot.tally-first")
        #expect(early.details == ["session": .text("S1")])
        #expect(early.wroteNothing)
        let noSuch = try runoff("S9")
        #expect(noSuch.code == "ballot.not-opened")

        let ballots = BallotSets.approvals([7, 6, 6], voters: 10, seats: 2)
        try world.importPaper("S1", zip(vote.codes, ballots).map { ServiceWorld.PaperRow($0, approve: $1) })
        try world.close("S1")
        #expect(try world.tally("S1").status == .runoffRequired)
        let reopen = try world.refusal { try world.open(list: "L1") }
        #expect(reopen.code == "ballot.use-runoff")
        #expect(reopen.details == ["session": .text("S1")])
        #expect(reopen.wroteNothing)
        _ = try BallotService.runoff(session: "S1", workspace: world.workspace)
        let twice = try runoff("S1")
        #expect(twice.code == "ballot.runoff-opened")
        #expect(twice.details == ["session": .text("S1"), "runoff": .text("S2")])
        #expect(twice.exitStatus == 1)
        #expect(twice.wroteNothing)

        let other = try ServiceWorld()
        _ = try other.decidedVote()
        let needless = try other.refusal { try BallotService.runoff(session: "S1", workspace: other.workspace) }
        #expect(needless.code == "ballot.no-runoff-needed")
        #expect(needless.details == ["session": .text("S1"), "status": .text("decided")])
        #expect(needless.wroteNothing)
    }
}
