import Foundation
import PiaojueAudit
import PiaojueCrypto
public import PiaojueDomain
import PiaojueLedger
import PiaojueQR
import Synchronization

/// The server's one connection to the ledger, shared by the casting writer (its commits) and by
/// the requests (their reads), one at a time: a read waits at most for the commit in progress, a
/// commit at most for one short read.
///
/// One connection, not a writer and a pool of readers: `Ledger.open` reads the file's header
/// through a file descriptor of its own and closes it, and closing any descriptor of a file drops
/// every POSIX lock the process holds on it — SQLite's locks included. A second `Ledger.open` in
/// a process whose first connection is open therefore leaves that process holding no lock on the
/// ledger, and another process (a `piaojue` command run beside the server) may then, as it closes,
/// take the file for its last user, checkpoint and delete the WAL the server is still appending
/// to: acknowledged ballots lost. Measured: four casts through `serve`, one `audit prove`
/// between them, one cast left in the file at shutdown. Until `Ledger.open` stops closing a
/// descriptor of a file the process has open, a server opens the ledger exactly once.
final class SharedLedger: @unchecked Sendable {
    // Safe: `ledger` and `terminal` (built on it) are used only while `lock` is held.
    private let ledger: Ledger
    private let terminal: CastingTerminal
    private let lock = NSLock()

    /// Opens the ledger for casting: the body key attached, since every group signs a checkpoint.
    init(workspace: Workspace) throws {
        ledger = try workspace.openForCasting()
        terminal = CastingTerminal(ledger: ledger, random: workspace.settings.random)
    }

    /// Runs `body` in one read snapshot.
    func read<T>(_ body: (LedgerReader) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try ledger.read(body)
    }

    /// Runs `body` with the ledger itself, between two commits of the writer: a console action
    /// (check-in, issue, close …) through the same service function the command line calls.
    func exclusive<T>(_ body: (Ledger) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(ledger)
    }

    /// Appends prepared ballots in one transaction (see ``CastingTerminal/record(_:)``).
    func record(_ ballots: [(slot: Int, ballot: CastingTerminal.Prepared)]) throws -> [(slot: Int, result: Result<CastOutput, any Error>)] {
        lock.lock()
        defer { lock.unlock() }
        return try terminal.record(ballots)
    }
}

/// The plenary hall's server side: the ballot a booth shows, casting through one group-committing
/// writer, each session's turnout for the big screen and the API, and the 公告 after the tally.
/// Everything the web layer shows comes from here; the rules stay in the domain.
public final class PlenaryService: Sendable {
    public let workspace: Workspace
    private let readers: SharedLedger
    private let queue: CastingQueue
    /// Bumped after every commit of the writer: the big screen reads again when it moves.
    private final class Commits: Sendable {
        let count = Atomic<Int>(0)
    }
    private let commits = Commits()

    /// Opens the ledger for casting (refused when it or the body key is missing or wrong) and
    /// starts the writer. `maximumGroup` bounds the ballots of one transaction.
    public init(workspace: Workspace, maximumGroup: Int = 1024) throws {
        self.workspace = workspace
        let readers = try SharedLedger(workspace: workspace)
        self.readers = readers
        let commits = self.commits
        queue = CastingQueue(ledger: readers, maximumGroup: maximumGroup) {
            commits.count.add(1, ordering: .releasing)
        }
        // The ledger must be readable now: `/healthz` answers 200 only for an open ledger.
        _ = try readers.read { try $0.count() }
    }

    /// Whether the ledger answers a read (for `/healthz`).
    public func isHealthy() -> Bool { (try? readers.read { try $0.count() }) != nil }

    /// A number that changes after every commit of this server's writer.
    public var changeCount: Int { commits.count.load(ordering: .acquiring) }

    /// Groups committed and ballots recorded by this server since it started.
    public var totals: (groups: Int, ballots: Int) { queue.totals }

    // MARK: Casting

    /// A vote ballot: `approve`, `oppose`, `abstain` candidate ids; the rest stay unmarked.
    public func castVote(session: String, code: String, approve: [String], oppose: [String], abstain: [String]) async throws -> CastOutput {
        try await queue.cast(
            session: session, code: code, choices: Choices([.approve: approve, .oppose: oppose, .abstain: abstain]), shape: .vote)
    }

    /// A rating ballot: a grade per project; projects not rated stay 弃权.
    public func castRating(session: String, code: String, grades: [String: Mark]) async throws -> CastOutput {
        var marks: [Mark: [String]] = [:]
        for (project, grade) in grades.sorted(by: { $0.key < $1.key }) { marks[grade, default: []].append(project) }
        return try await queue.cast(session: session, code: code, choices: Choices(marks), shape: .rating)
    }

    /// Runs a clerk's action (`body`, a service function given the server's one connection) between
    /// two commits of the writer; the big screen reads again after it.
    func clerkAction<T>(_ body: (Ledger) throws -> T) throws -> T {
        defer { commits.count.add(1, ordering: .releasing) }
        return try readers.exclusive(body)
    }

    /// Runs `body` in one read snapshot of the server's connection.
    func read<T>(_ body: (LedgerReader) throws -> T) throws -> T { try readers.read(body) }

    /// Stops taking ballots and commits those in flight.
    public func finish() async { await queue.finish() }

    // MARK: The booth

    /// The session a booth shows: the latest opened session (vote or rating) not yet closed; nil
    /// when every session is closed or none was opened.
    public func openSession() throws -> String? {
        try readers.read { reader in
            for entry in try reader.entries(kinds: SessionService.openingKinds).reversed() {
                guard let session = entry.session else { continue }
                if try reader.latest(kind: SessionClosed.kind, session: session) == nil { return session }
            }
            return nil
        }
    }

    /// The latest opened session, closed or not (what the big screen shows by default).
    public func latestSession() throws -> String? {
        try readers.read { reader in try reader.entries(kinds: SessionService.openingKinds).last?.session }
    }

    /// The ballot of `session` as the booth shows it.
    public func ballot(session: String) throws -> BoothBallotOutput {
        try readers.read { reader in
            let body = reader.identity.genesis["body"]?.stringValue ?? ""
            if let entry = try reader.latest(kind: BallotSessionOpened.kind, session: session) {
                let opened = try entry.payload(BallotSessionOpened.self)
                let marks: [Mark] = opened.rules.form == .approveOnly ? [.approve] : [.approve, .oppose, .abstain]
                return BoothBallotOutput(
                    body: body, session: session, shape: .vote,
                    title: "民生实事项目票决 · 第 \(opened.round) 轮 · 应选 \(opened.seats) 项",
                    seats: opened.seats, form: opened.rules.form, marks: marks,
                    unmarked: opened.rules.form == .eVoter ? "未按" : "弃权",
                    items: opened.candidates.map {
                        BoothItem(id: $0.id, title: $0.title, category: $0.category, location: $0.location, budget: $0.budget, unit: $0.unit)
                    },
                    round: opened.round)
            }
            let opened = try EvaluationService.opening(reader, session: session)
            return BoothBallotOutput(
                body: body, session: session, shape: .rating, title: "民生实事项目满意度测评", seats: nil, form: nil,
                marks: SessionShape.rating.marks, unmarked: "弃权",
                items: opened.projects.map {
                    BoothItem(id: $0.id, title: $0.title, category: $0.category, location: $0.location, budget: $0.budget, unit: $0.unit)
                },
                round: nil)
        }
    }

    // MARK: Turnout and results

    /// Where `session` stands: attendance, slips handed out, ballots recorded (electronic and
    /// paper), and the tally once it is recorded — never a count per candidate before it.
    public func status(session: String) throws -> SessionStatusOutput {
        try readers.read { reader in
            var opening: LedgerEntry?
            for kind in SessionService.openingKinds where opening == nil { opening = try reader.latest(kind: kind, session: session) }
            guard let opening else { throw SessionRefusal(.notOpened(session: session), shape: .vote) }
            struct Opening: Decodable { let header: SessionHeader }
            let header = try opening.payload(Opening.self).header
            // Each check-in records the number present after it, each handout the number handed out
            // so far: the latest entries say it all, without reading every deputy or key.
            let present = try reader.latest(kind: CheckedIn.kind, session: session)
                .flatMap { try $0.payloadInteger("present") }.map { Int($0) } ?? 0
            let closed = try reader.latest(kind: SessionClosed.kind, session: session) != nil
            let tally: SessionTally?
            switch header.shape {
            case .vote: tally = try reader.latestEvent(TallyResult.self, session: session).map { .vote($0) }
            case .rating: tally = try reader.latestEvent(RatingResult.self, session: session).map { .rating(RatingTallyOutput($0)) }
            }
            return SessionStatusOutput(
                session: session, shape: header.shape, status: tally != nil ? "tallied" : closed ? "closed" : "open",
                seated: header.seated, present: present, quorum: header.quorum.isReached(count: present, of: header.seated),
                quorumNeeded: header.quorum.minimumCount(of: header.seated),
                issued: try SessionService.handedOut(reader, session: session),
                cast: try SessionService.ballotCount(reader, session: session), tally: tally)
        }
    }

    /// The 主席团公告 of a tallied session, with its chart as in `report.html`; nil before the tally.
    public func announcement(session: String) throws -> ScreenAnnouncementOutput? {
        try readers.read { reader in
            let tallied = try reader.latest(kind: TallyResult.kind, session: session) ?? reader.latest(kind: RatingResult.kind, session: session)
            guard tallied != nil else { return nil }
            // The chart's facts are those of the latest checkpoint (the tally signed one after it).
            let stored = try reader.latestCheckpoint()
            let checkpoint = Checkpoint(
                origin: reader.identity.keyName, size: stored?.size ?? 0, root: stored?.root ?? Array(repeating: 0, count: 32))
            let model = try AuditService.documents(reader, session: session, checkpoint: checkpoint).report
            return ScreenAnnouncementOutput(
                session: session, title: model.title, subtitle: model.subtitle, announcement: model.announcement, notes: model.notes,
                chartTitle: model.chartTitle,
                legend: (model.bars.first?.segments ?? []).map { ChartLegendItem(label: $0.label, color: $0.color) },
                chartSVG: ScreenChart.svg(model), facts: model.facts.map { ChartFact(label: $0.0, value: $0.1) })
        }
    }

    // MARK: Receipts

    /// A QR code of `text` (a receipt's proof) as one SVG image named `label`; nil when the text is
    /// empty or longer than a QR code holds.
    public static func qrCode(_ text: String, label: String) -> String? {
        QRCode(text: text)?.svg(label: label)
    }
}
