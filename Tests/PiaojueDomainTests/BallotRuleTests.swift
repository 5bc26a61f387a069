import PiaojueDomain
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
            #expect(try state.decideIssue() == present)
        } else {
            #expect(throws: RuleRefusal.self) { try state.decideIssue() }
            do { _ = try state.decideIssue() } catch {
                #expect(error.description.contains("\(state.quorumNeeded)"))
                #expect(error.exitStatus == 1)
            }
        }
    }

    @Test func t1NamesTheNumberNeeded() {
        let state = Self.state(seated: 120, present: 79)
        #expect(state.quorumNeeded == 80)
        #expect(throws: RuleRefusal.self) { try state.decideIssue() }
    }

    @Test("T6: no adopted rules, no ballots")
    func t6() throws {
        #expect(throws: RuleRefusal.self) { try SessionState.adopted(nil, session: "S1") }
        let existing = SessionState(header: Self.header(seated: 10))
        #expect(try SessionState.adopted(existing, session: "S1").session == "S1")
    }

    @Test func secondBatchOnlyForLateArrivals() throws {
        var state = Self.state(seated: 30, present: 20)
        #expect(try state.decideIssue() == 20)
        state.apply(CredentialsIssued(session: "S1", batch: 1, count: 20, credentials: (0..<20).map { "K\($0)" }, present: 20, seated: 30))
        #expect(throws: RuleRefusal.self) { try state.decideIssue() }
        state.apply(CheckedIn(session: "S1", deputies: ["D21", "D22"], present: 22))
        #expect(try state.decideIssue() == 2)
    }

    @Test func checkinRefusesUnknownAndSuspendedDeputiesAndSkipsRepeats() throws {
        var state = SessionState(header: Self.header(seated: 5))
        let roster = Self.roster(5, suspended: [5])
        #expect(throws: DomainFailure.self) { try state.decide(checkin: ["D9"], roster: roster) }
        do { _ = try state.decide(checkin: ["D5"], roster: roster) } catch { #expect(error.exitStatus == 1) }
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
        #expect(throws: RuleRefusal.self) { try state.check(castBy: "KEY", usedAt: 7, issuedIn: "S1") }
        do { try state.check(castBy: "KEY", usedAt: 7, issuedIn: "S1") } catch {
            #expect(error.description.contains("第一次投出的选票有效"))
        }
    }

    @Test("T22: a credential of another session is refused and the other session named")
    func t22() {
        var state = SessionState(header: Self.header(seated: 3))
        state.apply(CredentialsIssued(session: "S1", batch: 1, count: 1, credentials: ["MINE"], present: 3, seated: 3))
        do {
            try state.check(castBy: "THEIRS", usedAt: nil, issuedIn: "S2")
            Issue.record("a credential of S2 was accepted in S1")
        } catch {
            #expect(error.description.contains("S2"))
        }
        #expect(throws: RuleRefusal.self) { try state.check(castBy: "NEVER", usedAt: nil, issuedIn: nil) }
    }

    @Test func closedSessionRefusesEverything() throws {
        var state = Self.state(seated: 3, present: 3)
        state.apply(CredentialsIssued(session: "S1", batch: 1, count: 3, credentials: ["A", "B", "C"], present: 3, seated: 3))
        let close = try state.decideClose(returned: nil)
        state.apply(close)
        #expect(throws: RuleRefusal.self) { try state.check(castBy: "A", usedAt: nil, issuedIn: "S1") }
        #expect(throws: RuleRefusal.self) { try state.decideIssue() }
        #expect(throws: DomainFailure.self) { try state.decide(checkin: ["D1"], roster: Self.roster(3)) }
        #expect(throws: DomainFailure.self) { try state.decideClose(returned: 3) }
    }

    @Test func closeRecordsMoreReturnedThanIssuedButNotFewerThanRecorded() throws {
        var state = Self.state(seated: 3, present: 3)
        state.apply(CredentialsIssued(session: "S1", batch: 1, count: 3, credentials: ["A", "B", "C"], present: 3, seated: 3))
        state.recordBallot()
        state.recordBallot()
        #expect(try state.decideClose(returned: 4).returned == 4)
        #expect(throws: DomainFailure.self) { try state.decideClose(returned: 1) }
        #expect(try state.decideClose(returned: nil).returned == 2)
    }

    @Test func electronicBallotsAreNormalisedAndMalformedOnesRefused() throws {
        let state = SessionState(header: Self.header(seated: 3, items: ["P1", "P2", "P3", "P4"]))
        let normalized = try state.normalize(Choices([.approve: ["P3", "P1"], .oppose: ["P2"]]), form: .approveOpposeAbstain, seats: 2)
        #expect(normalized[.approve] == ["P1", "P3"])
        #expect(normalized[.oppose] == ["P2"])
        #expect(normalized[.abstain].isEmpty)
        #expect(throws: InputError.self) { try state.normalize(Choices([.approve: ["P9"]]), form: .approveOpposeAbstain, seats: 2) }
        #expect(throws: InputError.self) { try state.normalize(Choices([.approve: ["P1"], .oppose: ["P1"]]), form: .approveOpposeAbstain, seats: 2) }
        #expect(throws: InputError.self) { try state.normalize(Choices([.approve: ["P1", "P2", "P3"]]), form: .approveOpposeAbstain, seats: 2) }
        #expect(throws: InputError.self) { try state.normalize(Choices([.oppose: ["P1"]]), form: .approveOnly, seats: 2) }
        #expect(throws: InputError.self) { try state.normalize(Choices([.satisfied: ["P1"]]), form: .approveOpposeAbstain, seats: 2) }
    }
}
