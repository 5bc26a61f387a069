import Foundation
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// `LedgerQueries`: the read-only questions the command line asks — the log tail, verification of
/// the ledger and of bundles, receipts, announcement context — and the shared JSON rendering.
@Suite struct LedgerQueriesTests {
    @Test func theLogShowsTheTailOldestFirst() throws {
        let world = try ServiceWorld(now: "2025-01-15T08:00:00Z")
        try world.roster(5)
        try world.acceptedProposals(2)
        let all = try LedgerQueries.log(kind: nil, session: nil, limit: nil, workspace: world.workspace)
        let entries = try world.entries()
        #expect(all.entries.map(\.index) == Array(0..<entries.count))
        #expect(all.entries.map(\.kind) == entries.map(\.kind))
        #expect(all.entries.map(\.leaf) == entries.map(\.receipt))
        #expect(all.entries.allSatisfy { $0.time == "2025-01-15T08:00:00Z" })
        #expect(all.entries.allSatisfy { $0.signer == world.created?.publicKey })
        #expect(all.entries[0].summary == "\(ServiceWorld.body) 建立账本 ledger created (county)")
        #expect(all.entries[1].summary == "代表名册 roster: 5 名实有代表 seated")
        #expect(all.entries[2].summary == "P1 提交建议 民生项目1")

        let tail = try LedgerQueries.log(kind: "collect", session: nil, limit: 2, workspace: world.workspace)
        #expect(tail.entries.map(\.kind) == ["collect.screen", "collect.screen"])
        #expect(tail.entries.map(\.index) == [entries.count - 2, entries.count - 1])
        let screens = try LedgerQueries.log(kind: "collect.screen", session: nil, limit: nil, workspace: world.workspace)
        #expect(screens.entries.map(\.summary) == ["P1 筛选 accept ", "P2 筛选 accept "])
        let json = String(decoding: try JSONRendering.encode(tail), as: UTF8.self)
        #expect(json.hasPrefix(#"{"entries":[{"index":"#))
        #expect(json.contains(#""payload":{"decision":"accept","id":"P1"}"#))
    }

    @Test func theLogOfOneSession() throws {
        let world = try ServiceWorld()
        let vote = try world.decidedVote()
        let log = try LedgerQueries.log(kind: nil, session: vote.session, limit: nil, workspace: world.workspace)
        #expect(log.entries.map(\.kind) == [
            "ballot.open", "session.checkin", "session.issue", "session.paper", "session.paper", "session.paper", "session.paper",
            "session.paper", "session.import", "session.close", "ballot.tally",
        ])
        #expect(log.entries[0].summary == "session=S1 list=L1")
        // Ballots are signed by their credentials, not by the body.
        #expect(log.entries.filter { $0.kind == "session.paper" }.allSatisfy { $0.signer != world.created?.publicKey })
    }

    @Test func verifyingTheLedgerPassesEveryCheck() throws {
        let world = try ServiceWorld()
        try world.decidedVote()
        let verification = try LedgerQueries.verifyLedger(workspace: world.workspace)
        #expect(verification.ok, "\(String(describing: verification.firstFailure))")
        #expect(verification.checks.map(\.id) == Array(1...verification.checks.count))
        #expect(verification.checks.count == 31)
    }

    /// The audit keeps only the rosters later entries can refer to: a runoff opened after a new
    /// roster still checks its late arrivals against its parent's roster, and sessions on the new
    /// roster against that one.
    @Test func aRunoffAfterANewRosterIsAuditedAgainstItsOwnRoster() throws {
        let world = try ServiceWorld()
        try world.roster(11)
        let list = try world.shortlist(seats: 2, try world.acceptedProposals(3))
        let first = try world.open(list: list.list).session
        try world.checkin(first, 1...10)
        let codes = try world.issue(first)
        let ballots = BallotSets.approvals([7, 6, 6], voters: 10, seats: 2)
        try world.importPaper(first, zip(codes, ballots).map { ServiceWorld.PaperRow($0, approve: $1) })
        try world.close(first)
        #expect(try world.tally(first).status == .runoffRequired)
        // A new congress's roster arrives before the runoff (13 deputies: D012 and D013 are new).
        try world.roster(13, file: "deputies-2.csv")
        let runoff = try BallotService.runoff(session: first, workspace: world.workspace).session
        try world.checkin(runoff, 11...11)
        let refused = try world.refusal { try world.checkin(runoff, 12...12) }
        #expect(refused.code == "ballot.not-on-roster")
        let second = try world.issue(runoff)
        try world.importPaper(runoff, second.prefix(11).enumerated().map { ServiceWorld.PaperRow($1, approve: [$0 < 7 ? "P3" : "P2"]) })
        try world.close(runoff)
        #expect(try world.tally(runoff).status == .decided)
        // A first round on the new roster, after the runoff let go of the old one.
        let next = try world.shortlist(seats: 1, try world.acceptedProposals(2))
        let third = try world.open(list: next.list).session
        try world.checkin(third, 12...13)
        try world.checkin(third, 1...8)
        let verification = try LedgerQueries.verifyLedger(workspace: world.workspace)
        #expect(verification.ok, "\(String(describing: verification.firstFailure))")
    }

    @Test func aFileThatIsNotALedgerIsAFailedCheckAndNoFileIsRefused() throws {
        let world = try ServiceWorld(level: nil)
        let missing = try world.refusal { try LedgerQueries.verifyLedger(workspace: world.workspace) }
        #expect(missing.code == "ledger.missing")
        #expect(missing.details == ["path": .text(world.settings.databasePath)])
        try world.write("piaojue.sqlite", String(repeating: "not sqlite ", count: 20))
        let verification = try LedgerQueries.verifyLedger(workspace: world.workspace)
        #expect(!verification.ok)
        #expect(verification.checks.count == 1)
        #expect(verification.checks[0].name == "账本可读 / ledger readable")
        #expect(verification.checks[0].detail.contains("piaojue.sqlite"))
    }

    @Test func bundlesAndReceiptsAreCheckedOffline() throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote()
        let receipt = try world.cast(vote.session, vote.codes[0], approve: ["P1", "P2"]).receipt
        try world.close(vote.session)
        try world.tally(vote.session)
        let directory = world.path("bundle")
        let published = try AuditService.publish(session: vote.session, directory: directory, workspace: world.workspace)
        let verification = try LedgerQueries.verifyBundle(directory: directory)
        #expect(verification.ok)
        #expect(!verification.trustPinned)

        let check = try LedgerQueries.checkReceipt(directory: directory, receipt: receipt)
        #expect(check.ok)
        #expect(check.receipt == receipt)
        #expect(check.kind == Ballot.kind)
        #expect(check.size == published.size)
        #expect(!check.proof.isEmpty)
        let stranger = try LedgerQueries.checkReceipt(directory: directory, receipt: String(repeating: "ab", count: 32))
        #expect(!stranger.ok)
        #expect(stranger.index == nil)

        let noBundle = try world.refusal { try LedgerQueries.verifyBundle(directory: world.path("nowhere")) }
        #expect(noBundle.code == "audit.no-bundle")
        #expect(noBundle.details == ["path": .text(world.path("nowhere"))])
        #expect(noBundle.exitStatus == 2)
        let noReceiptBundle = try world.refusal { try LedgerQueries.checkReceipt(directory: world.path("nowhere"), receipt: receipt) }
        #expect(noReceiptBundle.code == "audit.no-bundle")
        let file = try world.refusal { try LedgerQueries.verifyBundle(directory: world.path("bundle/tally.json")) }
        #expect(file.code == "audit.no-bundle")
    }

    @Test func theAnnouncementNamesTheBodyAndTheTitles() throws {
        let world = try ServiceWorld()
        let vote = try world.decidedVote()
        let context = try LedgerQueries.announcementContext(session: vote.session, workspace: world.workspace)
        #expect(context == AnnouncementContext(
            body: ServiceWorld.body, titles: ["P1": "民生项目1", "P2": "民生项目2", "P3": "民生项目3"], maxRounds: 3, budgetCap: nil))
        let unknown = try world.refusal { try LedgerQueries.announcementContext(session: "S9", workspace: world.workspace) }
        #expect(unknown.code == "ballot.not-opened")
        #expect(unknown.details == ["session": .text("S9")])

        try world.clock.set("2026-01-10")
        let opened = try EvaluationService.open(selection: .year(2025), rules: world.rules, workspace: world.workspace)
        let rating = try LedgerQueries.ratingContext(session: "R1", workspace: world.workspace)
        #expect(rating.body == ServiceWorld.body)
        #expect(rating.opened == opened)
        let wrong = try world.refusal { try LedgerQueries.announcementContext(session: "R1", workspace: world.workspace) }
        #expect(wrong.code == "ballot.wrong-shape")
        #expect(wrong.details == ["session": .text("R1"), "shape": .text("rating")])
        let wrongRating = try world.refusal { try LedgerQueries.ratingContext(session: "S1", workspace: world.workspace) }
        #expect(wrongRating.code == "evaluate.wrong-shape")
    }

    @Test func jsonIsRenderedWithSortedKeysAndPlainSlashes() throws {
        struct Sample: Encodable {
            let zeta = 1
            let alpha = "a/b"
            let middle = ["y", "x"]
        }
        #expect(String(decoding: try JSONRendering.encode(Sample()), as: UTF8.self) == #"{"alpha":"a/b","middle":["y","x"],"zeta":1}"#)
    }

    @Test func credentialCodesAreRedacted() throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote()
        let code = vote.codes[0]
        let text = "凭证 \(code) 已作废"
        let redacted = Secrets.redacted(text)
        #expect(!redacted.contains(code))
        #expect(redacted.hasPrefix("凭证 "))
        #expect(redacted.hasSuffix(" 已作废"))
        #expect(Secrets.redacted("no code here: P1,P2") == "no code here: P1,P2")
    }
}
