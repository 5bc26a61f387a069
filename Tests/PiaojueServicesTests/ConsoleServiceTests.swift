import Foundation
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// The clerk's console services: the token file, and paper ballots entered twice, reconciled and
/// imported in one transaction as `ballot import` would.
@Suite struct ConsoleServiceTests {
    static func mode(_ path: String) throws -> UInt16 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? NSNumber).uint16Value
    }

    @Test func theTokenFileIsMadeOnceMode0600AndRotatedOnRequest() throws {
        let world = try ServiceWorld(seed: "console-token")
        let first = try ConsoleToken.prepare(workspace: world.workspace, rotate: false)
        #expect(first.created)
        #expect(first.path.hasSuffix(".console-token"))
        #expect(first.token.count == 64)
        #expect(try Self.mode(first.path) == 0o600)
        let again = try ConsoleToken.prepare(workspace: world.workspace, rotate: false)
        #expect(!again.created)
        #expect(again.token == first.token)
        let rotated = try ConsoleToken.prepare(workspace: world.workspace, rotate: true)
        #expect(rotated.created)
        #expect(rotated.token != first.token)
        #expect(try Self.mode(rotated.path) == 0o600)
        // A token file others may read is refused, not used.
        chmod(rotated.path, 0o644)
        #expect(throws: ConsoleRefusal.self) { try ConsoleToken.prepare(workspace: world.workspace, rotate: false) }
    }

    @Test func theConsoleAcceptsOnlyItsTokenAndKeepsACSRFTokenPerLogin() throws {
        let world = try ServiceWorld(seed: "console-access")
        let console = ConsoleService(plenary: try PlenaryService(workspace: world.workspace), token: "secret-token")
        #expect(console.access.accepts(token: "secret-token"))
        #expect(!console.access.accepts(token: "secret-tokeN"))
        #expect(throws: ConsoleRefusal.wrongToken) { try console.access.login(token: "wrong") }
        let login = try console.access.login(token: "secret-token")
        #expect(console.access.csrf(session: login.session) == login.csrf)
        #expect(console.access.csrf(session: login.csrf) == nil)
        console.access.logout(session: login.session)
        #expect(console.access.csrf(session: login.session) == nil)
    }

    /// Marks of ballot `n` of the pile: a mix of approvals, oppositions, blanks and one over-marked.
    static func marks(_ n: Int) -> [Mark: [String]] {
        switch n % 5 {
        case 0: [.approve: ["P1", "P2"], .oppose: ["P3"]]
        case 1: [.approve: ["P1"], .abstain: ["P2", "P3"]]
        case 2: [:]
        case 3: [.approve: ["P2", "P3"], .oppose: ["P1"]]
        default: n == 4 ? [.approve: ["P1", "P2", "P3"]] : [.oppose: ["P1", "P2"]]
        }
    }

    @Test func twoHundredPaperBallotsEnteredTwiceAreImportedInOneTransactionOnceSettled() throws {
        let world = try ServiceWorld(seed: "console-counting")
        let vote = try world.issuedVote(seated: 200, candidates: 3, seats: 2)
        let console = ConsoleService(plenary: try PlenaryService(workspace: world.workspace), token: "t")
        let counting = world.workspace.settings.databasePath + ".counting-\(vote.session).json"
        for (n, code) in vote.codes.enumerated() {
            _ = try console.enter(session: vote.session, counter: .a, code: code, marks: Self.marks(n))
        }
        #expect(try Self.mode(counting) == 0o600)
        // Counter B reads the pile in another order, and misreads ballot 57.
        for (n, code) in vote.codes.enumerated().reversed() {
            let marks = n == 57 ? [.approve: ["P3"]] : Self.marks(n)
            _ = try console.enter(session: vote.session, counter: .b, code: code, marks: marks)
        }
        let standing = try console.counting(session: vote.session)
        #expect(standing.a == 200 && standing.b == 200)
        #expect(standing.agreed == 199)
        let difference = try #require(standing.differences.first)
        #expect(standing.differences.count == 1)
        #expect(difference.a == PaperReading(code: "", marks: Self.marks(57)).choices)
        #expect(difference.b == PaperReading(code: "", marks: [.approve: ["P3"]]).choices)

        // Nothing is imported while the difference is open.
        let before = try world.entryCount()
        #expect(throws: CountingRefusal.notReconciled(session: vote.session, differences: 1)) {
            try console.importCounted(session: vote.session)
        }
        #expect(try world.entryCount() == before)

        _ = try console.settle(session: vote.session, key: difference.key, with: .takeA)
        let imported = try console.importCounted(session: vote.session)
        #expect(imported.imported == 200)
        #expect(imported.void == 1)
        #expect(!FileManager.default.fileExists(atPath: counting))
        let added = try world.entries().dropFirst(try #require(before))
        #expect(added.count == 201)
        #expect(added.filter { $0.kind == Ballot.paperKind }.count == 200)
        let summaries = added.filter { $0.kind == PaperBallotsImported.kind }
        #expect(summaries.count == 1)
        // One transaction: every entry carries the transaction's one time, and one checkpoint was
        // signed for the batch.
        #expect(Set(try added.map { try $0.fields().time }).count == 1)
        let summary = try #require(summaries.first).payload(PaperBallotsImported.self)
        #expect(summary.file == "counting-\(vote.session).csv")
        #expect(summary.count == 200)

        // The entries equal those of `ballot import` of the same CSV: the recorded choices are the
        // ones counter A (and the scrutineer) read.
        let recorded = try world.workspace.openForReading().read { try SessionService.ballots($0, session: vote.session) }
        #expect(recorded.count == 200)
        func text(_ marks: [Mark: [String]]) -> String {
            Mark.allCases.map { "\($0.rawValue):\((marks[$0] ?? []).sorted().joined(separator: ","))" }.joined(separator: "|")
        }
        #expect(recorded.map { text($0.marks) }.sorted() == vote.codes.indices.map { text(Self.marks($0)) }.sorted())
    }

    @Test func aMistypedCodeOrAnUnknownCandidateIsRefusedAtOnce() throws {
        let world = try ServiceWorld(seed: "console-mistyped")
        let vote = try world.issuedVote(seated: 5, candidates: 3, seats: 2)
        let console = ConsoleService(plenary: try PlenaryService(workspace: world.workspace), token: "t")
        var code = Array(try #require(vote.codes.first))
        code[3] = code[3] == "7" ? "8" : "7"
        #expect(throws: SessionRefusal.self) {
            try console.enter(session: vote.session, counter: .a, code: String(code), marks: [:])
        }
        #expect(throws: SessionRefusal.self) {
            try console.enter(session: vote.session, counter: .a, code: vote.codes[0], marks: [.approve: ["P9"]])
        }
        #expect(try console.counting(session: vote.session).a == 0)
    }

    /// A decided vote of 2025-01-15 (P1 and P2 chosen), the clock then at 2026-01-10.
    static func chosen(_ seed: String) throws -> ServiceWorld {
        let world = try ServiceWorld(seed: seed, now: "2025-01-15T01:00:00Z")
        #expect(try world.decidedVote(seated: 5).tally?.chosen == ["P1", "P2"])
        try world.clock.set("2026-01-10T02:00:00Z")
        return world
    }

    /// The grades of rater `n`: a mix of all three and a blank.
    static func grades(_ n: Int) -> [String: Mark] {
        [[:], ["P1": .satisfied], ["P1": .basic, "P2": .dissatisfied], ["P1": .satisfied, "P2": .satisfied], ["P2": .basic]][n % 5]
    }

    @Test func aRatingSessionRunThroughTheConsoleWritesTheEntriesOfTheCommandLine() async throws {
        // The command line's way: evaluate open / checkin / issue / cast / close / tally, audit publish.
        let cli = try Self.chosen("console-rating")
        let cliBefore = try #require(try cli.entryCount())
        let opened = try EvaluationService.open(selection: .projects(["P1", "P2"]), rules: cli.rules, workspace: cli.workspace)
        try cli.checkin(opened.session, 1...5, shape: .rating)
        for (n, code) in try cli.issue(opened.session, shape: .rating).enumerated() {
            var marks: [Mark: [String]] = [:]
            for (project, grade) in Self.grades(n).sorted(by: { $0.key < $1.key }) { marks[grade, default: []].append(project) }
            try cli.rate(opened.session, code, marks)
        }
        try cli.close(opened.session, shape: .rating)
        let cliTally = try EvaluationService.tally(session: opened.session, workspace: cli.workspace)
        _ = try AuditService.publish(session: opened.session, directory: cli.path("bundle-R1"), workspace: cli.workspace)

        // The console's way, on the server's one connection; the booth casts.
        let world = try Self.chosen("console-rating")
        let before = try #require(try world.entryCount())
        let console = ConsoleService(plenary: try PlenaryService(workspace: world.workspace), token: "t")
        #expect(try console.overview().projects.map(\.id) == ["P1", "P2"])
        let session = try console.openRating(year: nil, projects: ["P1", "P2"], rules: nil).session
        #expect(session == "R1")
        #expect(try console.overview().projects.isEmpty)
        #expect(try console.shape(session) == .rating)
        _ = try console.checkin(session: session, deputies: ServiceWorld.deputies(1...5))
        let issued = try console.issue(session: session)
        #expect(issued.count == 5)
        let slips = try console.slips(session: session)
        #expect(slips.codes.count == 5)
        for (n, code) in slips.codes.enumerated() {
            _ = try await console.plenary.castRating(session: session, code: code, grades: Self.grades(n))
        }
        _ = try console.close(session: session, returned: nil)
        let tally = try console.ratingTally(session: session)
        _ = try console.publish(session: session)
        #expect(try console.rating(session).published)

        #expect(try world.kinds(after: before) == (try cli.kinds(after: cliBefore)))
        #expect(tally.projects == cliTally.projects)
        #expect(tally.valid == 5)
        // A vote session's page and paper double entry refuse a rating session, named.
        #expect(throws: ConsoleRefusal.ratingSession(session: session)) { try console.session(session) }
        #expect(throws: SessionRefusal.self) { try console.rating("S1") }
    }

    @Test func openingARatingSessionIsRefusedAsTheCommandLineRefusesIt() throws {
        let world = try Self.chosen("console-rating-refusals")
        let console = ConsoleService(plenary: try PlenaryService(workspace: world.workspace), token: "t")
        let refused = try world.refusal { try console.openRating(year: nil, projects: ["P3"], rules: nil) }
        #expect(refused.code == "evaluate.not-chosen")
        #expect(refused.wroteNothing)
        #expect(try world.refusal { try console.openRating(year: 2024, projects: [], rules: nil) }.code == "evaluate.nothing-chosen-in")
        #expect(try world.refusal { try console.openRating(year: nil, projects: [], rules: nil) }.code == "evaluate.no-projects")
        #expect(try world.refusal { try console.openRating(year: 2025, projects: ["P1"], rules: nil) }.code == "console.year-and-projects")
    }
}
