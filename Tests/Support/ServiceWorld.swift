import Foundation
public import PiaojueCrypto
public import PiaojueDomain
public import PiaojueLedger
public import PiaojueServices

/// A congress driven through the services in-process, as the command line drives them, on its own
/// temporary directory with an injected clock and a seeded random source: the same seed and the
/// same steps give the same keys, credential codes and receipts.
///
/// Every builder goes through a public service function (never the binary, never the ledger
/// directly), so a builder that succeeds is itself a happy path of that service.
public final class ServiceWorld {
    /// The body every world's ledger is created for.
    public static let body = "测试县第十八届人民代表大会"

    /// The world's own directory (RAM-backed where the system has one), removed with the world.
    public let directory: TemporaryDirectory
    /// The clock every entry time and every "today" come from; tests move it.
    public let clock: TestClock
    /// The seed of ``random``.
    public let seed: String
    /// The random source of the body key, the credentials and the slips' order.
    public let random: SeededRandom
    /// The ledger `piaojue.sqlite` (key `piaojue.sqlite.key`) in ``directory``, with the package's `Config`.
    public let workspace: Workspace
    /// The rules `--rules` would give without an argument (the package's `Config/rules/default.toml`).
    public let rules: Rules
    /// What `init` printed, when the world created its ledger.
    public private(set) var created: InitOutput?
    private var fileCounter = 0
    /// Codes printed but not yet handed out, per session, in the order they will be drawn.
    private var sealed: [String: [String]] = [:]

    /// A new directory; with `level`, a ledger created by ``SetupService/initialize(body:level:crypto:alsoEd25519:settings:)``
    /// in the suite `crypto` names.
    public init(
        seed: String = "service-world", now: String = "2025-01-15T01:00:00Z", level: BodyLevel? = .county,
        body: String = ServiceWorld.body, crypto: String = "standard", alsoEd25519: Bool = false
    ) throws {
        directory = TemporaryDirectory("piaojue-services", inMemory: true)
        clock = try TestClock(now)
        self.seed = seed
        random = SeededRandom(seed: seed)
        workspace = Workspace(settings: Settings(
            databasePath: directory.path("piaojue.sqlite"), configDirectory: TestPaths.config.path, clock: clock.reading,
            random: random))
        rules = try workspace.rules(nil)
        if let level {
            created = try SetupService.initialize(
                body: body, level: level, crypto: crypto, alsoEd25519: alsoEd25519, settings: workspace.settings)
        }
    }

    /// The settings every service call gets.
    public var settings: Settings { workspace.settings }

    /// A preset of `Config/rules` by name (`equal-slate`, `rank-only`, `e-voter`).
    public func preset(_ name: String) throws -> Rules { try workspace.rules(name) }

    // MARK: Files

    /// A path inside the world's directory.
    public func path(_ name: String) -> String { directory.path(name) }

    /// A file name not used before in the directory: `prefix-N.ext`.
    public func freshName(_ prefix: String, _ ext: String) -> String {
        fileCounter += 1
        return "\(prefix)-\(fileCounter).\(ext)"
    }

    /// A path inside the directory not used before: `prefix-N.ext`.
    public func freshPath(_ prefix: String, _ ext: String) -> String { path(freshName(prefix, ext)) }

    /// Writes `text` to `name` in the directory; returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    /// Writes `bytes` to `name` in the directory; returns its path.
    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) throws -> String {
        let target = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    // MARK: The ledger

    /// The number of entries, or nil when there is no ledger.
    public func entryCount() throws -> Int? {
        guard FileManager.default.fileExists(atPath: settings.databasePath) else { return nil }
        return try Ledger.open(at: settings.databasePath, readOnly: true).read { try $0.count() }
    }

    /// Every entry (optionally of some kinds), oldest first.
    public func entries(kinds: [String]? = nil) throws -> [LedgerEntry] {
        try Ledger.open(at: settings.databasePath, readOnly: true).read { reader in
            if let kinds { return try reader.entries(kinds: kinds) }
            var all: [LedgerEntry] = []
            try reader.forEachEntry { all.append($0) }
            return all
        }
    }

    /// The kinds of every entry after the first `skip`, in order.
    public func kinds(after skip: Int = 0) throws -> [String] { try entries().dropFirst(skip).map(\.kind) }

    /// Runs `body`, which should be refused, and reports its error and the entry counts around it
    /// (nil when there is no ledger, or a file that is not one).
    public func refusal<T>(_ body: () throws -> T) throws -> Refusal {
        let before = try? entryCount()
        var error: (any ClerkFacingError)?
        var other: String?
        do {
            _ = try body()
        } catch let clerk as any ClerkFacingError {
            error = clerk
        } catch let unexpected {
            other = "\(type(of: unexpected)): \(unexpected)"
        }
        return Refusal(error: error, other: other, entriesBefore: before ?? nil, entriesAfter: (try? entryCount()) ?? nil)
    }

    // MARK: Setup

    /// `D001`, `D002` …
    public static func deputy(_ n: Int) -> String { String(format: "D%03d", n) }

    /// The ids of deputies `numbers`.
    public static func deputies(_ numbers: ClosedRange<Int>) -> [String] { numbers.map(deputy) }

    /// Imports a roster of `seated` deputies D001…; the last `suspended` are suspended.
    @discardableResult
    public func roster(_ seated: Int, suspended: Int = 0, file: String = "deputies.csv") throws -> RosterImported {
        var csv = "id,name,delegation,status\n"
        for n in 1...seated {
            csv += "\(Self.deputy(n)),代表\(n),第\(n % 5 + 1)代表团,\(n > seated - suspended ? "suspended" : "seated")\n"
        }
        return try RosterService.importRoster(path: try write(file, csv), encoding: .utf8, workspace: workspace)
    }

    // MARK: Stage 1

    /// `count` proposals P1… imported in one file and accepted in screening; budgets 101万, 102万 …
    /// unless `budgetsWan` gives them. Returns their ids.
    @discardableResult
    public func acceptedProposals(_ count: Int, budgetsWan: [Int]? = nil, category: String = "市政建设") throws -> [String] {
        var csv = "项目名称,类别,建设内容,实施地点,投资估算,责任单位,建议人,征集渠道\n"
        for n in 1...count {
            let budget = budgetsWan.map { "\($0[n - 1])万" } ?? "\(100 + n)万"
            csv += "民生项目\(n),\(category),建设内容\(n),第\(n)街道,\(budget),县住建局,代表\(n),代表建议\n"
        }
        let (imported, _) = try CollectionService.importFile(
            path: try write(freshName("proposals", "csv"), csv), encoding: .utf8,
            rules: rules, workspace: workspace)
        for event in imported {
            _ = try CollectionService.screen(
                id: event.id, decision: .accept, reason: nil, into: nil, note: nil, rules: rules, workspace: workspace)
        }
        return imported.map(\.id)
    }

    /// The default approval steps, in order.
    public func approveBothSteps(rules: Rules? = nil) throws {
        _ = try CollectionService.approve(step: "政府常务会议", ref: "县政府第12次常务会议纪要", rules: rules ?? self.rules, workspace: workspace)
        _ = try CollectionService.approve(step: "党委审定", ref: "县委常委会〔2025〕3号", rules: rules ?? self.rules, workspace: workspace)
    }

    /// Both approval steps, then the frozen list.
    @discardableResult
    public func shortlist(seats: Int, _ ids: [String], rules: Rules? = nil) throws -> ListFrozen {
        try approveBothSteps(rules: rules)
        return try CollectionService.shortlist(seats: seats, ids: ids, rules: rules ?? self.rules, workspace: workspace)
    }

    // MARK: Sessions

    /// `ballot open --list`.
    @discardableResult
    public func open(list: String, rules: Rules? = nil, scrutineers: [String] = ["总监票人甲"]) throws -> BallotSessionOpened {
        try BallotService.open(list: list, rules: rules ?? self.rules, scrutineers: scrutineers, workspace: workspace)
    }

    /// Checks in deputies `numbers` (D001 … style).
    @discardableResult
    public func checkin(_ session: String, _ numbers: ClosedRange<Int>, shape: SessionShape = .vote) throws -> CheckinOutput {
        try SessionService.checkin(session: session, deputies: Self.deputies(numbers), shape: shape, workspace: workspace)
    }

    /// Issues credentials and returns the codes handed out. The first issue prints a slips file
    /// with one code per seated deputy and hands out one per deputy present (the file's first
    /// ones; the rest stay sealed); a later one hands out sealed codes to those checked in since.
    public func issue(_ session: String, shape: SessionShape = .vote) throws -> [String] {
        let slips = freshPath("slips-\(session)", "txt")
        let result = try SessionService.issue(session: session, slipsPath: slips, shape: shape, workspace: workspace)
        if sealed[session] == nil { sealed[session] = try CredentialCodes.read(slips: slips) }
        let pool = sealed[session] ?? []
        sealed[session] = Array(pool.dropFirst(result.count))
        return Array(pool.prefix(result.count))
    }

    /// One electronic vote.
    @discardableResult
    public func cast(
        _ session: String, _ code: String, approve: [String] = [], oppose: [String] = [], abstain: [String] = []
    ) throws -> CastOutput {
        try SessionService.cast(
            session: session, code: code, choices: Choices([.approve: approve, .oppose: oppose, .abstain: abstain]), shape: .vote,
            workspace: workspace)
    }

    /// One electronic rating ballot.
    @discardableResult
    public func rate(_ session: String, _ code: String, _ marks: [Mark: [String]]) throws -> CastOutput {
        try SessionService.cast(session: session, code: code, choices: Choices(marks), shape: .rating, workspace: workspace)
    }

    /// One paper ballot: the code and the ids under each mark.
    public struct PaperRow: Sendable {
        /// The credential code on the slip.
        public var code: String
        /// The ids under each mark.
        public var marks: [Mark: [String]]

        /// A ballot of any shape.
        public init(_ code: String, _ marks: [Mark: [String]]) {
            self.code = code
            self.marks = marks
        }

        /// A vote ballot: 赞成, 反对, 弃权.
        public init(_ code: String, approve: [String] = [], oppose: [String] = [], abstain: [String] = []) {
            self.init(code, [.approve: approve, .oppose: oppose, .abstain: abstain])
        }
    }

    /// Writes paper ballots as the counters' sheet (`credential` then one column per mark of the
    /// shape, ids joined by `;`); returns its path.
    public func writePaper(_ rows: [PaperRow], shape: SessionShape = .vote) throws -> String {
        var csv = (["credential"] + shape.marks.map(\.rawValue)).joined(separator: ",") + "\n"
        for row in rows {
            csv += ([row.code] + shape.marks.map { (row.marks[$0] ?? []).joined(separator: ";") }).joined(separator: ",") + "\n"
        }
        let target = freshPath("paper", "csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    /// Imports paper ballots.
    @discardableResult
    public func importPaper(_ session: String, _ rows: [PaperRow], shape: SessionShape = .vote) throws -> PaperImportOutput {
        try SessionService.importPaper(session: session, path: try writePaper(rows, shape: shape), shape: shape, workspace: workspace)
    }

    /// Ends casting.
    @discardableResult
    public func close(_ session: String, returned: Int? = nil, shape: SessionShape = .vote) throws -> CloseOutput {
        try SessionService.close(session: session, returned: returned, shape: shape, workspace: workspace)
    }

    /// Counts a closed ballot session.
    @discardableResult
    public func tally(_ session: String) throws -> TallyResult { try BallotService.tally(session: session, workspace: workspace) }

    // MARK: Whole stages

    /// A ballot session with its codes, and (when counted) its tally.
    public struct Vote: Sendable {
        /// The frozen candidate list (`L1` …).
        public let list: String
        /// The ballot session (`S1` …).
        public let session: String
        /// The credential codes read back from the slips file, in its (shuffled) order.
        public let codes: [String]
        /// The recorded tally, when the session was counted.
        public let tally: TallyResult?

        /// A vote as a test assembled it.
        public init(list: String, session: String, codes: [String], tally: TallyResult?) {
            self.list = list
            self.session = session
            self.codes = codes
            self.tally = tally
        }
    }

    /// A list of `candidates` accepted proposals for `seats`, opened with every one of `seated`
    /// deputies present and given a credential.
    @discardableResult
    public func issuedVote(seated: Int = 5, candidates: Int = 3, seats: Int = 2, rules: Rules? = nil) throws -> Vote {
        try roster(seated)
        let list = try shortlist(seats: seats, try acceptedProposals(candidates), rules: rules)
        let session = try open(list: list.list, rules: rules).session
        try checkin(session, 1...seated)
        return Vote(list: list.list, session: session, codes: try issue(session), tally: nil)
    }

    /// ``issuedVote(seated:candidates:seats:rules:)``, then one paper ballot per entry of `ballots`
    /// (the 赞成 ids of each; by default every deputy approves P1 and P2), closed and tallied.
    @discardableResult
    public func decidedVote(
        seated: Int = 5, candidates: Int = 3, seats: Int = 2, ballots: [[String]]? = nil, rules: Rules? = nil
    ) throws -> Vote {
        let vote = try issuedVote(seated: seated, candidates: candidates, seats: seats, rules: rules)
        let approvals = ballots ?? Array(repeating: ["P1", "P2"], count: seated)
        try importPaper(vote.session, zip(vote.codes, approvals).map { PaperRow($0, approve: $1) })
        try close(vote.session)
        return Vote(list: vote.list, session: vote.session, codes: vote.codes, tally: try tally(vote.session))
    }
}

/// What a call that should be refused left behind: its error and the entry counts around it.
public struct Refusal: CustomStringConvertible {
    /// The clerk-facing error thrown, if any.
    public let error: (any ClerkFacingError)?
    /// Anything else thrown (a test failure when set), described.
    public let other: String?
    /// The ledger's entry count before the call and after it (nil: no readable ledger).
    public let entriesBefore: Int?
    public let entriesAfter: Int?

    /// The error's stable code.
    public var code: String? { error?.code }
    /// The error's named values.
    public var details: ErrorDetails { error?.details ?? ErrorDetails() }
    /// The error's exit status.
    public var exitStatus: Int32? { error?.exitStatus }
    /// Whether the ledger holds as many entries as before (or still does not exist).
    public var wroteNothing: Bool { entriesBefore == entriesAfter }

    public var description: String {
        if let error { return "\(error.code): \(error.description)" }
        return other ?? "not refused"
    }
}
