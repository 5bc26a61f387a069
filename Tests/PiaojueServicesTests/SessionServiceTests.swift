import Foundation
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// `SessionService`: check-in, anonymous credentials, casting, paper ballots and closing — every
/// output exact, every refusal by its code and details, and nothing written by a refused call.
@Suite struct SessionServiceTests {
    /// The public key (base64) a credential code stands for.
    static func publicKey(_ code: String) throws -> String {
        try Ed25519PrivateKey(seed: try SecretCode.decode(code)).publicKey.base64
    }

    /// A world with `seated` deputies and S1 open over P1–P3 for 2 seats (nobody checked in).
    static func openSession(seated: Int = 5, suspended: Int = 0, rules: Rules? = nil) throws -> ServiceWorld {
        let world = try ServiceWorld()
        try world.roster(seated, suspended: suspended)
        let list = try world.shortlist(seats: 2, try world.acceptedProposals(3), rules: rules)
        #expect(try world.open(list: list.list, rules: rules).session == "S1")
        return world
    }

    /// Two open sessions, S1 (L1: P1–P3) and S2 (L2: P4–P6), every one of 5 deputies present in
    /// both and given a credential in each.
    static func twoSessions() throws -> (world: ServiceWorld, s1: [String], s2: [String]) {
        let world = try ServiceWorld()
        try world.roster(5)
        let ids = try world.acceptedProposals(6)
        let first = try world.shortlist(seats: 2, Array(ids[0..<3]))
        let second = try world.shortlist(seats: 2, Array(ids[3..<6]))
        #expect(try world.open(list: first.list).session == "S1")
        #expect(try world.open(list: second.list).session == "S2")
        try world.checkin("S1", 1...5)
        try world.checkin("S2", 1...5)
        return (world, try world.issue("S1"), try world.issue("S2"))
    }

    // MARK: Check-in

    @Test func checkinAddsUpAndReportsQuorum() throws {
        let world = try Self.openSession(seated: 5)
        let first = try world.checkin("S1", 1...3)
        #expect(first == CheckinOutput(session: "S1", present: 3, seated: 5, quorum: false, quorumNeeded: 4, added: 3))
        let second = try world.checkin("S1", 3...4)
        #expect(second == CheckinOutput(session: "S1", present: 4, seated: 5, quorum: true, quorumNeeded: 4, added: 1))
        let events = try world.entries(kinds: [CheckedIn.kind]).map { try $0.payload(CheckedIn.self) }
        #expect(events == [
            CheckedIn(session: "S1", deputies: ["D001", "D002", "D003"], present: 3), CheckedIn(session: "S1", deputies: ["D004"], present: 4),
        ])
        let loaded = try world.workspace.openForReading().read { try SessionService.load($0, session: "S1") }
        #expect(loaded.state.present == ["D001", "D002", "D003", "D004"])
        #expect(loaded.header.items == ["P1", "P2", "P3"])
        #expect(loaded.opening.kind == BallotSessionOpened.kind)
    }

    @Test func checkinOfNobodyNewWritesNothing() throws {
        let world = try Self.openSession(seated: 5)
        try world.checkin("S1", 1...2)
        let before = try world.entryCount()
        let again = try world.checkin("S1", 1...2)
        #expect(again == CheckinOutput(session: "S1", present: 2, seated: 5, quorum: false, quorumNeeded: 4, added: 0))
        #expect(try world.entryCount() == before)
    }

    @Test func checkinReadsAPresentFile() throws {
        let world = try Self.openSession(seated: 5)
        let file = try world.write("present.txt", "# 出席名单 attendance\nD001\n\n  D002，D003 \n# late\nD004;D005\n")
        let result = try SessionService.checkin(session: "S1", deputies: ["D005"], presentFile: file, workspace: world.workspace)
        #expect(result == CheckinOutput(session: "S1", present: 5, seated: 5, quorum: true, quorumNeeded: 4, added: 5))
        let event = try #require(try world.entries(kinds: [CheckedIn.kind]).last).payload(CheckedIn.self)
        #expect(event.deputies == ["D005", "D001", "D002", "D003", "D004"])
    }

    @Test func oneBadIdRefusesTheWholeCheckin() throws {
        let world = try Self.openSession(seated: 5, suspended: 1)
        func checkin(_ ids: [String], shape: SessionShape = .vote, session: String = "S1") throws -> Refusal {
            try world.refusal { try SessionService.checkin(session: session, deputies: ids, shape: shape, workspace: world.workspace) }
        }
        let unknown = try checkin(["D001", "D999"])
        #expect(unknown.code == "ballot.not-on-roster")
        #expect(unknown.details == ["deputy": .text("D999")])
        #expect(unknown.exitStatus == 2)
        #expect(unknown.wroteNothing)
        let suspended = try checkin(["D001", "D005"])
        #expect(suspended.code == "ballot.suspended")
        #expect(suspended.details == ["deputy": .text("D005"), "name": .text("代表5")])
        #expect(suspended.exitStatus == 1)
        #expect(suspended.wroteNothing)
        let nobody = try checkin([" , "])
        #expect(nobody.code == "ballot.no-deputies")
        #expect(nobody.details == ErrorDetails())
        #expect(nobody.wroteNothing)
        let unopened = try checkin(["D001"], session: "S9")
        #expect(unopened.code == "ballot.not-opened")
        #expect(unopened.details == ["session": .text("S9")])
        #expect(unopened.exitStatus == 1)
        let wrongShape = try checkin(["D001"], shape: .rating)
        #expect(wrongShape.code == "evaluate.wrong-shape")
        #expect(wrongShape.details == ["session": .text("S1"), "shape": .text("vote")])
        #expect(wrongShape.wroteNothing)
        let file = try world.refusal {
            try SessionService.checkin(session: "S1", deputies: [], presentFile: world.path("absent.txt"), workspace: world.workspace)
        }
        #expect(file.code == "file.missing")
        #expect(file.details == ["path": .text(world.path("absent.txt"))])
        #expect(try world.entries(kinds: [CheckedIn.kind]).isEmpty)
    }

    // MARK: Issuing credentials

    @Test func issuePrintsACodeForEverySeatedDeputyAndOnlySortedKeysReachTheLedger() throws {
        let world = try Self.openSession(seated: 5)
        try world.checkin("S1", 1...4)
        let slips = world.path("slips.txt")
        let issued = try SessionService.issue(session: "S1", slipsPath: slips, workspace: world.workspace)
        // One code per seated deputy (5) is printed; 4 are handed out, 1 stays sealed.
        #expect(issued == IssueOutput(session: "S1", issued: 4, batch: 1, count: 4, slips: slips, printed: 5, sealed: 1))
        let attributes = try FileManager.default.attributesOfItem(atPath: slips)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let lines = try String(contentsOfFile: slips, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 8)
        #expect(lines[0].hasPrefix("# 票决 Piaojue 投票凭证 — 会期 S1，共 5 张（实有代表每人一张）：发给出席代表 4 张"))
        #expect(lines.prefix(3).allSatisfy { $0.hasPrefix("# ") })
        let codes = try CredentialCodes.read(slips: slips)
        #expect(codes.count == 5)
        #expect(Set(codes).count == 5)

        let entry = try #require(try world.entries(kinds: [CredentialsIssued.kind]).first)
        let event = try entry.payload(CredentialsIssued.self)
        #expect(event.session == "S1")
        #expect(event.batch == 1)
        #expect(event.count == 5)
        #expect(event.handedOut == 4)
        #expect(event.present == 4)
        #expect(event.seated == 5)
        #expect(event.credentials == event.credentials.sorted())
        #expect(Set(event.credentials) == Set(try codes.map(Self.publicKey)))
        // The codes themselves are nowhere in the ledger.
        for code in codes { #expect(!String(decoding: entry.line, as: UTF8.self).contains(code)) }
    }

    @Test func aLaterArrivalDrawsASealedSlipAndNothingIsPrinted() throws {
        let world = try Self.openSession(seated: 6)
        try world.checkin("S1", 1...4)
        #expect(try world.issue("S1").count == 4)
        try world.checkin("S1", 5...6)
        let slips = world.path("slips-late.txt")
        let second = try SessionService.issue(session: "S1", slipsPath: slips, workspace: world.workspace)
        #expect(second == IssueOutput(session: "S1", issued: 6, batch: 1, count: 2, slips: "", printed: 6, sealed: 0))
        #expect(!FileManager.default.fileExists(atPath: slips))
        let handout = try #require(try world.entries(kinds: [CredentialsHandedOut.kind]).first).payload(CredentialsHandedOut.self)
        #expect(handout == CredentialsHandedOut(session: "S1", count: 2, handedOut: 6, present: 6))
        let status = try BallotService.status(session: "S1", workspace: world.workspace)
        #expect(status.state.batches.map(\.count) == [6])
        #expect(status.state.issued == 6)
        #expect(status.state.sealed == 0)
        #expect(status.state.awaitingCredentials == 0)
        // Every credential was in the one key list, so a late deputy hides among all six.
        #expect(try world.entries(kinds: [CredentialsIssued.kind]).count == 1)
    }

    // T1 (79 of 120 present: refused, 80 needed, nothing written, no slips) and T2 (80: allowed).
    @Test(arguments: [79, 80])
    func quorumIsEnforcedWhenCredentialsAreIssued(_ present: Int) throws {
        let world = try Self.openSession(seated: 120)
        let checkin = try world.checkin("S1", 1...present)
        #expect(checkin.quorumNeeded == 80)
        #expect(checkin.quorum == (present >= 80))
        let slips = world.path("slips.txt")
        let refusal = try world.refusal { try SessionService.issue(session: "S1", slipsPath: slips, workspace: world.workspace) }
        if present < 80 {
            #expect(refusal.code == "ballot.no-quorum")
            #expect(refusal.details == ["seated": .number(120), "present": .number(79), "needed": .number(80), "quorum": .text("2/3")])
            #expect(refusal.exitStatus == 1)
            #expect(refusal.wroteNothing)
            #expect(!FileManager.default.fileExists(atPath: slips))
            #expect(try FileManager.default.contentsOfDirectory(atPath: world.directory.url.path).allSatisfy { !$0.hasPrefix("slips") })
        } else {
            #expect(refusal.error == nil, "\(refusal)")
            // Printed for all 120 seated deputies, handed out to the 80 present.
            #expect(try CredentialCodes.read(slips: slips).count == 120)
        }
    }

    @Test func issueRefusals() throws {
        let world = try Self.openSession(seated: 5)
        func issue(_ session: String = "S1", slips: String? = nil, shape: SessionShape = .vote) throws -> Refusal {
            let path = slips ?? world.freshPath("slips", "txt")
            return try world.refusal { try SessionService.issue(session: session, slipsPath: path, shape: shape, workspace: world.workspace) }
        }
        // T6: no voting rules adopted.
        let unopened = try issue("S9")
        #expect(unopened.code == "ballot.not-opened")
        #expect(unopened.details == ["session": .text("S9")])
        #expect(unopened.exitStatus == 1)
        #expect(unopened.wroteNothing)
        let nobody = try issue()
        #expect(nobody.code == "ballot.no-quorum")
        #expect(nobody.details == ["seated": .number(5), "present": .number(0), "needed": .number(4), "quorum": .text("2/3")])
        try world.checkin("S1", 1...4)
        let existing = try world.write("taken.txt", "somebody's notes\n")
        let taken = try issue(slips: existing)
        #expect(taken.code == "file.output-exists")
        #expect(taken.details == ["path": .text(existing)])
        #expect(taken.wroteNothing)
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "somebody's notes\n")
        let nowhere = world.path("no-such-directory/slips.txt")
        let missing = try issue(slips: nowhere)
        #expect(missing.code == "file.output-directory-missing")
        #expect(missing.details == ["path": .text(nowhere), "directory": .text(world.path("no-such-directory"))])
        let shape = try issue(shape: .rating)
        #expect(shape.code == "evaluate.wrong-shape")
        #expect(shape.details == ["session": .text("S1"), "shape": .text("vote")])
        #expect(try world.issue("S1").count == 4)
        let again = try issue()
        #expect(again.code == "ballot.all-issued")
        #expect(again.details == ["present": .number(4)])
        #expect(again.wroteNothing)
        try world.close("S1", returned: 0)
        let closed = try issue()
        #expect(closed.code == "ballot.closed")
        #expect(closed.details == ["session": .text("S1")])
        #expect(closed.wroteNothing)
    }

    @Test func theSameSeedGivesTheSameCodesAndReceipts() throws {
        func run(_ seed: String) throws -> (codes: [String], receipt: String, ledger: [String]) {
            let world = try ServiceWorld(seed: seed)
            let vote = try world.issuedVote(seated: 5)
            let cast = try world.cast(vote.session, vote.codes[0], approve: ["P1"], oppose: ["P3"])
            return (vote.codes, cast.receipt, try world.entries().map(\.receipt))
        }
        let first = try run("determinism")
        let second = try run("determinism")
        #expect(first.codes == second.codes)
        #expect(first.receipt == second.receipt)
        #expect(first.ledger == second.ledger)
        let other = try run("another seed")
        #expect(Set(other.codes).isDisjoint(with: first.codes))
        #expect(other.receipt != first.receipt)
    }

    // MARK: Casting

    @Test func castRecordsANormalizedBallotAndReturnsItsReceipt() throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 5)
        let cast = try world.cast(vote.session, vote.codes[0], approve: ["P2", "P1"], abstain: ["P3"])
        let entry = try #require(try world.entries().last)
        #expect(cast.receipt == entry.receipt)
        #expect(cast.index == entry.index)
        #expect(cast.proof?.hasPrefix("c2sp.org/tlog-proof@v1\n") == true)
        #expect(cast.receipt.count == 64)
        #expect(entry.kind == Ballot.kind)
        #expect(try entry.payload(Ballot.self) == Ballot(session: "S1", via: .electronic, choices: Choices([.approve: ["P1", "P2"], .oppose: [], .abstain: ["P3"]])))
        // Signed by the credential, not the body.
        #expect(Encoding.base64(try entry.fields().signer) == (try Self.publicKey(vote.codes[0])))
        let ballots = try world.workspace.openForReading().read { try SessionService.ballots($0, session: "S1") }
        #expect(ballots == [Choices([.approve: ["P1", "P2"], .oppose: [], .abstain: ["P3"]])])
    }

    @Test func aTerminalCastsManyBallotsOnOneLedger() throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 5)
        let terminal = CastingTerminal(ledger: try world.workspace.openForCasting())
        var indexes: [Int] = []
        for code in vote.codes {
            indexes.append(try terminal.cast(session: "S1", code: code, choices: Choices([.approve: ["P1"]]), shape: .vote).index)
        }
        let first = try #require(indexes.first)
        #expect(indexes == Array(first..<(first + 5)))
        var counter = VoteCounter(candidates: ["P1", "P2", "P3"], seats: 2, rules: world.rules.ballot)
        try world.workspace.openForReading().read { try SessionService.countVotes($0, session: "S1", from: 0, into: &counter) }
        #expect(counter.valid == 5)
        #expect(counter.counts.map(\.approve) == [5, 0, 0])
        try world.close("S1")
        let late = try world.refusal { try terminal.cast(session: "S1", code: vote.codes[0], choices: Choices(), shape: .vote) }
        #expect(late.code == "ballot.already-voted")
    }

    @Test func aCredentialVotesOnceAndTheFirstBallotStands() throws {
        // T21.
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 5)
        let first = try world.cast(vote.session, vote.codes[0], approve: ["P1"])
        let again = try world.refusal { try world.cast(vote.session, vote.codes[0], approve: ["P2"]) }
        #expect(again.code == "ballot.already-voted")
        #expect(again.details == ["entry": .number(first.index)])
        #expect(again.exitStatus == 1)
        #expect(again.wroteNothing)
        let ballots = try world.workspace.openForReading().read { try SessionService.ballots($0, session: "S1") }
        #expect(ballots.map { $0[.approve] } == [["P1"]])
    }

    @Test func aCredentialOfAnotherSessionIsRefusedNamingIt() throws {
        // T22.
        let (world, _, s2) = try Self.twoSessions()
        let refusal = try world.refusal { try world.cast("S1", s2[0], approve: ["P1"]) }
        #expect(refusal.code == "ballot.other-session")
        #expect(refusal.details == ["session": .text("S1"), "other": .text("S2")])
        #expect(refusal.exitStatus == 1)
        #expect(refusal.wroteNothing)
        // The credential still votes in its own session.
        #expect(try world.cast("S2", s2[0], approve: ["P4"]).index > 0)
    }

    @Test func aCodeNeverIssuedIsRefused() throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 5)
        let stranger = try SecretCode.encode(Array(repeating: 7, count: 32))
        let refusal = try world.refusal { try world.cast(vote.session, stranger, approve: ["P1"]) }
        #expect(refusal.code == "ballot.not-issued")
        #expect(refusal.details == ["session": .text("S1")])
        #expect(refusal.wroteNothing)
    }

    /// An electronic ballot refused as bad input (exit 2): the credential may vote again.
    struct BadBallot: Sendable, CustomStringConvertible {
        let choices: [Mark: [String]]
        let code: String
        let details: ErrorDetails
        var description: String { code }
    }

    static let badBallots: [BadBallot] = [
        BadBallot(choices: [.satisfied: ["P1"]], code: "ballot.mark-not-on-form", details: ["mark": .text("satisfied")]),
        BadBallot(
            choices: [.approve: ["P9"]], code: "ballot.not-on-ballot", details: ["id": .text("P9"), "items": .texts(["P1", "P2", "P3"])]),
        BadBallot(
            choices: [.approve: ["P1"], .oppose: ["P1"]], code: "ballot.marked-twice",
            details: ["id": .text("P1"), "first": .text("approve"), "second": .text("oppose")]),
        BadBallot(
            choices: [.approve: ["P1", "P1"]], code: "ballot.marked-twice",
            details: ["id": .text("P1"), "first": .text("approve"), "second": .text("approve")]),
    ]

    @Test(arguments: badBallots)
    func aMalformedBallotIsRefusedAndTheCredentialStaysUnused(_ bad: BadBallot) throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 5)
        let refusal = try world.refusal {
            try SessionService.cast(session: "S1", code: vote.codes[0], choices: Choices(bad.choices), shape: .vote, workspace: world.workspace)
        }
        #expect(refusal.code == bad.code, "\(refusal)")
        #expect(refusal.details == bad.details)
        #expect(refusal.exitStatus == 2)
        #expect(refusal.wroteNothing)
        #expect(try world.cast("S1", vote.codes[0], approve: ["P1"]).index > 0)
    }

    @Test("T9 electronically: an over-marked ballot is recorded, answered as void and counted void, as on paper")
    func anOvermarkedElectronicBallotCountsVoid() throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 5)
        let over = try world.cast("S1", vote.codes[0], approve: ["P1", "P2", "P3"])
        #expect(over.void)
        #expect(over.proof != nil)
        let fine = try world.cast("S1", vote.codes[1], approve: ["P1", "P2"])
        #expect(!fine.void)
        // Its code is used: another ballot with it is refused.
        #expect(try world.refusal { try world.cast("S1", vote.codes[0], approve: ["P1"]) }.code == "ballot.already-voted")
        try world.close("S1")
        let tally = try world.tally("S1")
        #expect((tally.valid, tally.invalid, tally.recorded) == (1, 1, 2))
        #expect(tally.candidates.map(\.approve) == [1, 1, 0])
    }

    @Test func anApproveOnlyBallotTakesTicksOnly() throws {
        let world = try ServiceWorld()
        var rules = world.rules
        rules.ballot.form = .approveOnly
        let vote = try world.issuedVote(seated: 5, rules: rules)
        let refusal = try world.refusal { try world.cast(vote.session, vote.codes[0], approve: ["P1"], oppose: ["P2"]) }
        #expect(refusal.code == "ballot.approve-only")
        #expect(refusal.details == ErrorDetails())
        #expect(refusal.wroteNothing)
        #expect(try world.cast(vote.session, vote.codes[0], approve: ["P1"]).index > 0)
    }

    @Test func castRefusalsAboutTheSessionAndTheCode() throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 5)
        let mistyped = try world.refusal { try world.cast("S1", CredentialCodes.mistyped(vote.codes[0]), approve: ["P1"]) }
        #expect(mistyped.code == "ballot.mistyped-code")
        #expect(mistyped.details["why"] != nil)
        #expect(mistyped.exitStatus == 2)
        #expect(mistyped.wroteNothing)
        let unopened = try world.refusal { try world.cast("S9", vote.codes[0], approve: ["P1"]) }
        #expect(unopened.code == "ballot.not-opened")
        #expect(unopened.details == ["session": .text("S9")])
        let shape = try world.refusal { try world.rate("S1", vote.codes[0], [.satisfied: ["P1"]]) }
        #expect(shape.code == "evaluate.wrong-shape")
        #expect(shape.details == ["session": .text("S1"), "shape": .text("vote")])
        try world.cast("S1", vote.codes[1], approve: ["P1"])
        try world.close("S1")
        let closed = try world.refusal { try world.cast("S1", vote.codes[0], approve: ["P1"]) }
        #expect(closed.code == "ballot.closed")
        #expect(closed.details == ["session": .text("S1")])
        #expect(closed.wroteNothing)
    }

    // MARK: Paper ballots

    @Test func paperBallotsAreRecordedAsMarkedVoidOnesIncluded() throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 5)
        let codes = vote.codes
        let rows = [
            ServiceWorld.PaperRow(codes[0], approve: ["P1", "P2"], oppose: ["P3"]),
            ServiceWorld.PaperRow(codes[1], approve: ["P1", "P2", "P3"]),  // T9: over-marked, void
            ServiceWorld.PaperRow(codes[2], approve: ["P1"], oppose: ["P1"]),  // marked twice, void
            ServiceWorld.PaperRow(codes[3]),  // T10: blank, valid
        ]
        let path = try world.writePaper(rows)
        let before = try #require(try world.entryCount())
        let result = try SessionService.importPaper(session: "S1", path: path, shape: .vote, workspace: world.workspace)
        #expect(result.imported == 4)
        #expect(result.void == 2)
        #expect(result.proof.hasPrefix("c2sp.org/tlog-proof@v1\n"))
        #expect(try world.kinds(after: before) == Array(repeating: Ballot.paperKind, count: 4) + [PaperBallotsImported.kind])
        let summary = try #require(try world.entries(kinds: [PaperBallotsImported.kind]).first).payload(PaperBallotsImported.self)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(summary == PaperBallotsImported(
            session: "S1", file: URL(fileURLWithPath: path).lastPathComponent, sha256: FileInput.sha256(bytes), count: 4, void: 2))
        try world.close("S1")
        let tally = try world.tally("S1")
        #expect((tally.valid, tally.invalid, tally.recorded) == (2, 2, 4))
        #expect(tally.candidates.map(\.approve) == [1, 1, 0])
        #expect(tally.candidates.map(\.abstain) == [1, 1, 1])
    }

    /// A paper sheet refused whole, naming the line.
    struct BadPaper: Sendable, CustomStringConvertible {
        let name: String
        /// The sheet, with `{0}`, `{1}` … standing for the session's codes and `{mistyped}` for a
        /// code with a wrong checksum.
        let text: String
        let code: String
        /// Details without `why` (its wording is the code checker's).
        let details: ErrorDetails
        var description: String { name }
    }

    static let badPapers: [BadPaper] = [
        BadPaper(
            name: "twice", text: "credential,approve\n{0},P1\n{1},P2\n{0},P3\n", code: "ballot.duplicate-credential",
            details: ["file": .text("sheet.csv"), "line": .number(4), "firstLine": .number(2)]),
        BadPaper(
            name: "mistyped", text: "credential,approve\n{0},P1\n{mistyped},P2\n", code: "ballot.mistyped-paper-code",
            details: ["file": .text("sheet.csv"), "line": .number(3)]),
        BadPaper(
            name: "not on ballot", text: "credential,approve,oppose\n{0},P1,\n{1},P2,P7\n", code: "ballot.paper-not-on-ballot",
            details: ["file": .text("sheet.csv"), "line": .number(3), "id": .text("P7")]),
        BadPaper(
            name: "no header", text: "{0},P1,,\n{1},P2,,\n", code: "ballot.code-as-header",
            details: ["file": .text("sheet.csv"), "column": .number(1), "expected": .text("credential,approve,oppose,abstain")]),
        BadPaper(
            name: "unknown column", text: "credential,yes\n{0},P1\n", code: "ballot.unknown-column",
            details: ["file": .text("sheet.csv"), "column": .text("yes"), "expected": .text("credential,approve,oppose,abstain")]),
        BadPaper(
            name: "rating column", text: "credential,满意\n{0},P1\n", code: "ballot.unknown-column",
            details: ["file": .text("sheet.csv"), "column": .text("满意"), "expected": .text("credential,approve,oppose,abstain")]),
        BadPaper(
            name: "no credential", text: "approve,oppose\nP1,P2\n", code: "ballot.missing-credential-column",
            details: ["file": .text("sheet.csv")]),
        BadPaper(name: "no rows", text: "credential,approve\n", code: "ballot.no-ballots", details: ["file": .text("sheet.csv")]),
        BadPaper(
            name: "used", text: "credential,approve\n{1},P1\n{4},P2\n", code: "ballot.already-voted",
            details: ["entry": .number(-1), "file": .text("sheet.csv"), "line": .number(3)]),
    ]

    /// Five deputies with credentials; `{4}` has voted electronically before the import.
    @Test(arguments: badPapers)
    func aBadPaperSheetImportsNothing(_ bad: BadPaper) throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 5)
        let cast = try world.cast("S1", vote.codes[4], approve: ["P1"])
        var text = bad.text.replacingOccurrences(of: "{mistyped}", with: CredentialCodes.mistyped(vote.codes[3]))
        for (n, code) in vote.codes.enumerated() { text = text.replacingOccurrences(of: "{\(n)}", with: code) }
        let path = try world.write("sheet.csv", text)
        let refusal = try world.refusal { try SessionService.importPaper(session: "S1", path: path, shape: .vote, workspace: world.workspace) }
        var expected = ErrorDetails()
        for pair in bad.details.pairs {
            expected.append(pair.name, pair.name == "entry" ? .number(cast.index) : pair.value)
        }
        var details = ErrorDetails()
        for pair in refusal.details.pairs where pair.name != "why" { details.append(pair.name, pair.value) }
        #expect(refusal.code == bad.code, "\(refusal)")
        #expect(details == expected)
        #expect(refusal.exitStatus == (bad.code == "ballot.already-voted" ? 1 : 2))
        #expect(refusal.wroteNothing)
        // Nothing of the file counts: the session still holds the one electronic ballot.
        #expect(try world.workspace.openForReading().read { try SessionService.ballots($0, session: "S1") }.count == 1)
        // No refusal repeats a credential code.
        for code in vote.codes { #expect(!refusal.description.contains(code)) }
    }

    @Test func paperBallotsAfterClosingAreRefusedNamingTheLine() throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 5)
        try world.cast("S1", vote.codes[0], approve: ["P1"])
        try world.close("S1", returned: 3)
        let path = try world.writePaper([ServiceWorld.PaperRow(vote.codes[1], approve: ["P2"])])
        let refusal = try world.refusal { try SessionService.importPaper(session: "S1", path: path, shape: .vote, workspace: world.workspace) }
        #expect(refusal.code == "ballot.closed")
        #expect(refusal.details == ["session": .text("S1"), "file": .text(URL(fileURLWithPath: path).lastPathComponent), "line": .number(2)])
        #expect(refusal.exitStatus == 1)
        #expect(refusal.wroteNothing)
    }

    // MARK: Closing

    @Test func closeRecordsIssuedRecordedAndReturnedAndSignsACheckpoint() throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 5)
        try world.cast("S1", vote.codes[0], approve: ["P1"])
        try world.cast("S1", vote.codes[1], approve: ["P2"])
        let closed = try world.close("S1")
        let reconciled = SessionClosed(
            session: "S1", issued: 5, recorded: 2, returned: 2, electronic: 2, paper: 0, acknowledged: 2, discrepancies: [])
        #expect(closed == CloseOutput(reconciled, voidRound: false))
        let entries = try #require(try world.entryCount())
        #expect(try AuditService.checkpoint(fresh: false, workspace: world.workspace).size == entries)
        let event = try #require(try world.entries(kinds: [SessionClosed.kind]).first).payload(SessionClosed.self)
        #expect(event == reconciled)
        #expect(try BallotService.status(session: "S1", workspace: world.workspace).state.isClosed)
    }

    // T7 (more returned than issued: the round will be void) and T8 (fewer: valid), and the switch.
    @Test(arguments: [(4, true, false), (5, true, false), (6, true, true), (6, false, false)])
    func excessReturnedVoidsTheRoundWhenTheRulesSaySo(_ returned: Int, _ excessVoids: Bool, _ voidRound: Bool) throws {
        let world = try ServiceWorld()
        var rules = world.rules
        rules.ballot.excessReturnedVoidsRound = excessVoids
        let vote = try world.issuedVote(seated: 5, rules: rules)
        try world.importPaper("S1", vote.codes.prefix(4).map { ServiceWorld.PaperRow($0, approve: ["P1"]) })
        let closed = try world.close("S1", returned: returned)
        let expected = SessionClosed(
            session: "S1", issued: 5, recorded: 4, returned: returned, electronic: 0, paper: 4, acknowledged: 0,
            discrepancies: returned > 4 ? [.returnedExceedsRecorded] : [])
        #expect(closed == CloseOutput(expected, voidRound: voidRound))
        #expect(closed.findings.count == (returned > 4 ? 1 : 0))
        let tally = try world.tally("S1")
        #expect(tally.status == (voidRound ? .void : .decided))
        #expect(tally.notReturned == max(0, 5 - returned))
    }

    @Test func closeRefusals() throws {
        let world = try Self.openSession(seated: 5)
        func close(_ returned: Int?, session: String = "S1") throws -> Refusal {
            try world.refusal { try SessionService.close(session: session, returned: returned, workspace: world.workspace) }
        }
        let unopened = try close(nil, session: "S9")
        #expect(unopened.code == "ballot.not-opened")
        #expect(unopened.details == ["session": .text("S9")])
        let nothing = try close(nil)
        #expect(nothing.code == "ballot.nothing-issued")
        #expect(nothing.details == ["session": .text("S1")])
        #expect(nothing.exitStatus == 1)
        #expect(nothing.wroteNothing)
        try world.checkin("S1", 1...5)
        let codes = try world.issue("S1")
        try world.cast("S1", codes[0], approve: ["P1"])
        try world.cast("S1", codes[1], approve: ["P1"])
        let negative = try close(-1)
        #expect(negative.code == "ballot.negative-returned")
        #expect(negative.details == ErrorDetails())
        #expect(negative.exitStatus == 2)
        #expect(negative.wroteNothing)
        let below = try close(1)
        #expect(below.code == "ballot.returned-below-recorded")
        #expect(below.details == ["returned": .number(1), "recorded": .number(2)])
        #expect(below.exitStatus == 1)
        #expect(below.wroteNothing)
        try world.close("S1")
        let twice = try close(nil)
        #expect(twice.code == "ballot.closed")
        #expect(twice.details == ["session": .text("S1")])
        #expect(twice.wroteNothing)
        let late = try world.refusal { try world.checkin("S1", 1...1) }
        #expect(late.code == "ballot.closed")
        #expect(late.wroteNothing)
    }
}
