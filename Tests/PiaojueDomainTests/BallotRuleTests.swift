import PiaojueDomain
import PiaojueTestSupport
import Testing

/// Rule cases T1, T2, T6, T21, T22 and the session machinery (RULES.md, Stage 2).
@Suite struct BallotRuleTests {
    static func header(seated: Int, items: [String] = ["P1", "P2", "P3"], quorum: Ratio = Ratio(2, 3) ?? Rules.standard.ballot.quorum) -> SessionHeader {
        SessionHeader(session: "S1", shape: .vote, items: items, seated: seated, rosterEntry: 1, rosterHash: "h", quorum: quorum)
    }

    static func roster(_ count: Int, suspended: Set<Int> = []) -> [Deputy] {
        (1...count).map { Deputy(id: "D\($0)", name: "代表\($0)", status: suspended.contains($0) ? .suspended : .seated) }
    }

    static func state(seated: Int, present: Int) -> SessionState {
        var state = SessionState(header: header(seated: seated))
        state.apply(CheckedIn(session: "S1", deputies: (1...max(present, 1)).prefix(present).map { "D\($0)" }, present: present))
        return state
    }

    @Test("T1/T2 quorum: 2/3 of seated, inclusive", arguments: [
        (120, 79, false), (120, 80, true), (120, 120, true), (3, 1, false), (3, 2, true), (327, 217, false), (327, 218, true),
        (193, 128, false), (193, 129, true),
    ])
    func quorum(seated: Int, present: Int, allowed: Bool) throws {
        let state = Self.state(seated: seated, present: present)
        #expect(state.quorumReached == allowed)
        if allowed {
            #expect(try state.decideIssue() == .issue(keys: seated, handOut: present))
        } else {
            let refusal = failure { try state.decideIssue() }
            #expect(refusal?.code == "ballot.no-quorum")
            #expect(refusal?.details["needed"] == .number(state.quorumNeeded))
            #expect(refusal?.details["present"] == .number(present))
            #expect(refusal?.description.contains("\(state.quorumNeeded)") == true)
            #expect(refusal?.exitStatus == 1)
        }
    }

    @Test func t1NamesTheNumberNeeded() {
        let state = Self.state(seated: 120, present: 79)
        #expect(state.quorumNeeded == 80)
        #expect(failure { try state.decideIssue() }?.details["needed"] == .number(80))
    }

    @Test("T6: no adopted rules, no ballots")
    func t6() throws {
        #expect(code { try SessionState.adopted(nil, session: "S1", shape: .vote) } == "ballot.not-opened")
        #expect(code { try SessionState.adopted(nil, session: "R1", shape: .rating) } == "evaluate.not-opened")
        let existing = SessionState(header: Self.header(seated: 10))
        #expect(try SessionState.adopted(existing, session: "S1", shape: .vote).session == "S1")
    }

    @Test("A credential for every seated deputy at the first issue; late arrivals draw sealed slips")
    func lateArrivalsDrawSealedSlips() throws {
        var state = Self.state(seated: 30, present: 20)
        #expect(try state.decideIssue() == .issue(keys: 30, handOut: 20))
        state.apply(CredentialsIssued(
            session: "S1", batch: 1, count: 30, credentials: (0..<30).map { "K\($0)" }, present: 20, seated: 30, handedOut: 20))
        #expect(state.issued == 20)
        #expect(state.sealed == 10)
        #expect(code { try state.decideIssue() } == "ballot.all-issued")
        state.apply(CheckedIn(session: "S1", deputies: ["D21", "D22"], present: 22))
        #expect(try state.decideIssue() == .handOut(count: 2))
        state.apply(state.handout(2))
        #expect(state.issued == 22)
        #expect(state.sealed == 8)
        #expect(state.batches.count == 1)
        // No more ballots than slips handed out.
        #expect(code { try SessionState.checkHandedOut(session: "S1", shape: .vote, recorded: 22, adding: 1, handedOut: 22) }
            == "ballot.more-ballots-than-slips")
    }

    @Test("A format-1 session keeps issuing batch by batch")
    func formatOneBatches() throws {
        var state = Self.state(seated: 30, present: 20)
        state.apply(CredentialsIssued(session: "S1", batch: 1, count: 20, credentials: (0..<20).map { "K\($0)" }, present: 20, seated: 30))
        #expect(state.issued == 20)
        state.apply(CheckedIn(session: "S1", deputies: ["D21", "D22"], present: 22))
        #expect(try state.decideIssue() == .issue(keys: 2, handOut: 2))
    }

    @Test func checkinRefusesUnknownAndSuspendedDeputiesAndSkipsRepeats() throws {
        var state = SessionState(header: Self.header(seated: 5))
        let roster = Self.roster(5, suspended: [5])
        let unknown = failure { try state.decide(checkin: ["D9"], roster: roster) }
        #expect(unknown?.code == "ballot.not-on-roster")
        #expect(unknown?.details["deputy"] == .text("D9"))
        #expect(unknown?.exitStatus == 2)
        let suspended = failure { try state.decide(checkin: ["D5"], roster: roster) }
        #expect(suspended?.code == "ballot.suspended")
        #expect(suspended?.exitStatus == 1)
        #expect(code { try state.decide(checkin: [], roster: roster) } == "ballot.no-deputies")
        let first = try #require(try state.decide(checkin: ["D1", "D2", "D1"], roster: roster))
        #expect(first.deputies == ["D1", "D2"])
        state.apply(first)
        #expect(try state.decide(checkin: ["D2"], roster: roster) == nil)
    }

    @Test("T21: a used credential is refused; the first ballot stands")
    func t21() {
        var state = SessionState(header: Self.header(seated: 3))
        state.apply(CredentialsIssued(session: "S1", batch: 1, count: 1, credentials: ["KEY"], present: 3, seated: 3))
        #expect(throws: Never.self) { try state.check(castBy: "KEY", usedAt: nil, issuedIn: "S1") }
        let used = failure { try state.check(castBy: "KEY", usedAt: 7, issuedIn: "S1") }
        #expect(used?.code == "ballot.already-voted")
        #expect(used?.details["entry"] == .number(7))
        #expect(used?.description.contains("第一次投出的选票有效") == true)
    }

    @Test("T22: a credential of another session is refused and the other session named")
    func t22() {
        var state = SessionState(header: Self.header(seated: 3))
        state.apply(CredentialsIssued(session: "S1", batch: 1, count: 1, credentials: ["MINE"], present: 3, seated: 3))
        let other = failure { try state.check(castBy: "THEIRS", usedAt: nil, issuedIn: "S2") }
        #expect(other?.code == "ballot.other-session")
        #expect(other?.details["other"] == .text("S2"))
        #expect(other?.description.contains("S2") == true)
        #expect(code { try state.check(castBy: "NEVER", usedAt: nil, issuedIn: nil) } == "ballot.not-issued")
    }

    @Test func closedSessionRefusesEverything() throws {
        var state = Self.state(seated: 3, present: 3)
        state.apply(CredentialsIssued(session: "S1", batch: 1, count: 3, credentials: ["A", "B", "C"], present: 3, seated: 3))
        let close = try state.decideClose(returned: nil, acknowledged: 0)
        state.apply(close)
        #expect(code { try state.check(castBy: "A", usedAt: nil, issuedIn: "S1") } == "ballot.closed")
        #expect(code { try state.decideIssue() } == "ballot.closed")
        #expect(code { try state.decide(checkin: ["D1"], roster: Self.roster(3)) } == "ballot.closed")
        #expect(code { try state.decideClose(returned: 3, acknowledged: 0) } == "ballot.closed")
    }

    @Test func closeRecordsMoreReturnedThanIssuedButNotFewerThanRecorded() throws {
        var state = Self.state(seated: 3, present: 3)
        state.apply(CredentialsIssued(session: "S1", batch: 1, count: 3, credentials: ["A", "B", "C"], present: 3, seated: 3))
        state.recordBallot(electronic: true)
        state.recordBallot(electronic: true)
        let more = try state.decideClose(returned: 4, acknowledged: 2)
        #expect(more.returned == 4)
        #expect(more.discrepancies == [.returnedExceedsRecorded])
        #expect(more.electronic == 2)
        #expect(more.paper == 0)
        let below = failure { try state.decideClose(returned: 1, acknowledged: 0) }
        #expect(below?.code == "ballot.returned-below-recorded")
        #expect(below?.details["recorded"] == .number(2))
        #expect(code { try state.decideClose(returned: -1, acknowledged: 0) } == "ballot.negative-returned")
        #expect(try state.decideClose(returned: nil, acknowledged: 0).returned == 2)
        #expect(try state.decideClose(returned: nil, acknowledged: 2).discrepancies == [])
        // Checkpoints acknowledged three electronic ballots; two are in the ledger.
        let missing = try state.decideClose(returned: nil, acknowledged: 3)
        #expect(missing.discrepancies == [.acknowledgedExceedsElectronic])
        #expect(missing.acknowledged == 3)
        #expect(CloseDiscrepancy.acknowledgedExceedsElectronic.sentence(missing).contains("3"))
        // Format 1 recorded the counts alone.
        #expect(try state.decideClose(returned: 4, acknowledged: 3, format: 1) == SessionClosed(session: "S1", issued: 3, recorded: 2, returned: 4))
    }

    @Test func electronicBallotsAreNormalisedAndMalformedOnesRefused() throws {
        let state = SessionState(header: Self.header(seated: 3, items: ["P1", "P2", "P3", "P4"]))
        let normalized = try state.normalize(Choices([.approve: ["P3", "P1"], .oppose: ["P2"]]), form: .approveOpposeAbstain)
        #expect(normalized[.approve] == ["P1", "P3"])
        #expect(normalized[.oppose] == ["P2"])
        #expect(normalized[.abstain].isEmpty)
        #expect(code { try state.normalize(Choices([.approve: ["P9"]]), form: .approveOpposeAbstain) } == "ballot.not-on-ballot")
        #expect(code { try state.normalize(Choices([.approve: ["P1"], .oppose: ["P1"]]), form: .approveOpposeAbstain) } == "ballot.marked-twice")
        // Over-marked is accepted as it is, and counts void as on paper (T9).
        let over = try state.normalize(Choices([.approve: ["P3", "P2", "P1"]]), form: .approveOpposeAbstain)
        #expect(over[.approve] == ["P1", "P2", "P3"])
        #expect(VoteTally.voidReason(over, seats: 2, rules: .standard) != nil)
        #expect(code { try state.normalize(Choices([.oppose: ["P1"]]), form: .approveOnly) } == "ballot.approve-only")
        #expect(code { try state.normalize(Choices([.satisfied: ["P1"]]), form: .approveOpposeAbstain) } == "ballot.mark-not-on-form")
    }
}
