import Foundation
import PiaojueAudit
import PiaojueCrypto
public import PiaojueDomain
import PiaojueLedger
import Synchronization
import ZIPFoundation

/// The clerk's console (`/console`): the steps of a vote session in pipeline order — open, check
/// in, issue, print, count paper ballots twice, close, tally, runoff, publish — and of a rating
/// session (open, check in, issue, print, close, tally, publish) through the same
/// service functions the command line calls, on the server's one ledger connection (so each
/// action writes the entry the command would). Files it writes sit beside the ledger:
/// `<db>.slips-S1.txt` (mode 0600, as `ballot issue --out`), `<db>.counting-S1.json` (the two
/// counters' entries, mode 0600, removed after import) and `<db>.bundle-S1/` with its `.zip`.
public final class ConsoleService: Sendable {
    /// The server the console shares the ledger with.
    public let plenary: PlenaryService
    /// Who may use the console.
    public let access: ConsoleAccess
    /// Serialises the read-modify-write of the counting files.
    private let countingLock = Mutex<Int>(0)

    /// The console over `plenary`, opened by `token`.
    public init(plenary: PlenaryService, token: String) {
        self.plenary = plenary
        access = ConsoleAccess(token: token, random: plenary.workspace.settings.random)
    }

    var workspace: Workspace { plenary.workspace }

    // MARK: Sessions

    /// Every session, the frozen lists a session may be opened on, and the rules presets.
    public func overview() throws -> ConsoleOverviewOutput {
        let (openings, lists, projects) = try plenary.read { reader in
            (
                try reader.entries(kinds: SessionService.openingKinds).compactMap(\.session), try reader.events(ListFrozen.self),
                try EvaluationService.eligible(reader)
            )
        }
        let sessions = try openings.map { session in
            let status = try plenary.status(session: session)
            return ConsoleSessionRow(
                session: session, shape: status.shape, status: status.status, seated: status.seated, present: status.present,
                issued: status.issued, cast: status.cast)
        }
        return ConsoleOverviewOutput(
            sessions: sessions, lists: lists.map { ConsoleListRow(list: $0.list, seats: $0.seats, candidates: $0.candidates.count) },
            presets: presets(), projects: projects)
    }

    /// The rules presets of the configuration directory (`default` always, first).
    func presets() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: workspace.settings.configDirectory + "/rules")) ?? []
        let found = names.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.filter { $0 != "default" }.sorted()
        return ["default"] + found
    }

    /// `ballot open --list LIST --rules PRESET --scrutineer …`.
    public func open(list: String, rules: String?, scrutineers: [String]) throws -> BallotSessionOpened {
        let adopted = try workspace.rules(rules)
        return try plenary.clerkAction { ledger in
            try BallotService.open(list: list, rules: adopted, scrutineers: scrutineers, workspace: workspace, ledger: ledger)
        }
    }

    /// A session's shape (vote or rating); an unknown session is refused as the API refuses it.
    public func shape(_ session: String) throws -> SessionShape { try plenary.status(session: session).shape }

    /// A vote session's page: where it stands, its ballot, the roster (those matching `query` —
    /// an id, a name or a delegation — when given) with who is present, and the console's files.
    public func session(_ session: String, query: String? = nil) throws -> ConsoleSessionOutput {
        let status = try plenary.status(session: session)
        guard status.shape == .vote else { throw ConsoleRefusal.ratingSession(session: session) }
        let ballot = try plenary.ballot(session: session)
        let (opened, tally) = try plenary.read { reader in
            (try BallotService.opening(reader, session: session), try reader.latestEvent(TallyResult.self, session: session))
        }
        let roster = try rosterRows(session: session, query: query)
        let counting = try countingStanding(session: session)
        return ConsoleSessionOutput(
            status: status, ballot: ballot, list: opened.list, round: opened.round, parent: opened.parent, rules: opened.rulesName,
            deputies: roster.rows, query: query ?? "", delegations: roster.delegations,
            slips: FileManager.default.fileExists(atPath: try slipsPath(session)), counting: counting, tally: tally,
            published: FileManager.default.fileExists(atPath: try zipPath(session)))
    }

    /// A rating session's page: where it stands, its projects and frozen rules, the raters (those
    /// matching `query`) with who is present, its tally and the console's files. A vote session
    /// or an unknown id is refused with the sentence `evaluate status` gives.
    public func rating(_ session: String, query: String? = nil) throws -> ConsoleRatingOutput {
        let (opened, tally) = try plenary.read { reader in
            (try EvaluationService.opening(reader, session: session), try reader.latestEvent(RatingResult.self, session: session))
        }
        let status = try plenary.status(session: session)
        let roster = try rosterRows(session: session, query: query)
        return ConsoleRatingOutput(
            status: status, ballot: try plenary.ballot(session: session), opened: opened, deputies: roster.rows, query: query ?? "",
            delegations: roster.delegations, slips: FileManager.default.fileExists(atPath: try slipsPath(session)), tally: tally,
            published: FileManager.default.fileExists(atPath: try zipPath(session)))
    }

    /// The session's roster as check-in rows (those matching `query` when given), and its delegations.
    func rosterRows(session: String, query: String?) throws -> (rows: [ConsoleDeputy], delegations: [String]) {
        let (deputies, present) = try plenary.read { reader in
            let loaded = try SessionService.load(reader, session: session, issues: false)
            return (try SessionService.roster(reader, header: loaded.header).deputies, Set(loaded.state.present))
        }
        let wanted = query?.trimmingSpaces().lowercased() ?? ""
        let rows = deputies.filter { deputy in
            wanted.isEmpty || deputy.id.lowercased() == wanted || deputy.name.lowercased().contains(wanted)
                || (deputy.delegation ?? "").lowercased().contains(wanted) || deputy.id.lowercased().hasPrefix(wanted)
        }.map { ConsoleDeputy(id: $0.id, name: $0.name, delegation: $0.delegation, suspended: $0.status == .suspended, present: present.contains($0.id)) }
        var delegations: [String] = []
        for deputy in deputies { if let d = deputy.delegation, !d.isEmpty, !delegations.contains(d) { delegations.append(d) } }
        return (rows, delegations)
    }

    /// `evaluate open --year YEAR` or `--projects IDS --rules PRESET`: raters are the seated roster.
    public func openRating(year: Int?, projects: [String], rules: String?) throws -> RatingSessionOpened {
        if year != nil, !projects.isEmpty { throw ConsoleRefusal.yearAndProjects }
        if year == nil, projects.isEmpty { throw EvaluationRefusal.noProjects }
        let adopted = try workspace.rules(rules)
        let selection: EvaluationService.Selection = year.map { .year($0) } ?? .projects(projects)
        return try plenary.clerkAction { ledger in
            try EvaluationService.open(selection: selection, rules: adopted, workspace: workspace, ledger: ledger)
        }
    }

    /// `evaluate tally SESSION`.
    public func ratingTally(session: String) throws -> RatingResult {
        try plenary.clerkAction { ledger in try EvaluationService.tally(session: session, workspace: workspace, ledger: ledger) }
    }

    /// `ballot checkin` (or `evaluate checkin`) `SESSION --deputies …`, or every seated member of `delegation` (suspended
    /// members are not ticked: they do not vote).
    public func checkin(session: String, deputies: [String], delegation: String? = nil) throws -> CheckinOutput {
        let shape = try shape(session)
        var ids = deputies
        if let delegation, !delegation.isEmpty {
            let members = try plenary.read { reader in
                let loaded = try SessionService.load(reader, session: session, issues: false)
                return try SessionService.roster(reader, header: loaded.header).deputies
            }
            ids += members.filter { $0.delegation == delegation && $0.status == .seated }.map(\.id)
        }
        return try plenary.clerkAction { ledger in
            try SessionService.checkin(session: session, deputies: ids, shape: shape, workspace: workspace, ledger: ledger)
        }
    }

    /// `ballot issue` (or `evaluate issue`) `SESSION --out <db>.slips-SESSION.txt`: the first issue writes the slips file
    /// (mode 0600) beside the ledger; a later one hands out sealed slips and writes nothing.
    public func issue(session: String) throws -> IssueOutput {
        let path = try slipsPath(session)
        let shape = try shape(session)
        let planned = try plenary.read { reader in try SessionService.load(reader, session: session).state.batches.isEmpty }
        return try plenary.clerkAction { ledger in
            try SessionService.issue(session: session, slipsPath: planned ? path : nil, shape: shape, workspace: workspace, ledger: ledger)
        }
    }

    /// The codes of the session's slips file, for the print pages; refused once it is destroyed.
    public func slips(session: String) throws -> ConsoleSlipsOutput {
        let path = try slipsPath(session)
        guard FileManager.default.fileExists(atPath: path) else { throw ConsoleRefusal.noSlips(session: session) }
        let text = try TextDecoding.decode(try FileInput.read(path), encoding: .utf8, name: URL(fileURLWithPath: path).lastPathComponent)
        let codes = text.split(separator: "\n").map { $0.trimmingSpaces() }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        return ConsoleSlipsOutput(session: session, codes: codes, ballot: try plenary.ballot(session: session))
    }

    /// Deletes the slips file after printing: no page shows a code of it again.
    public func destroySlips(session: String) throws {
        let path = try slipsPath(session)
        guard unlink(path) == 0 else { throw ConsoleRefusal.noSlips(session: session) }
        unlink(path + ".pdf")
    }

    /// `ballot close` (or `evaluate close`) `SESSION [--returned N]`.
    public func close(session: String, returned: Int?) throws -> CloseOutput {
        let shape = try shape(session)
        return try plenary.clerkAction { ledger in
            try SessionService.close(session: session, returned: returned, shape: shape, workspace: workspace, ledger: ledger)
        }
    }

    /// `ballot tally SESSION`.
    public func tally(session: String) throws -> TallyResult {
        try plenary.clerkAction { ledger in try BallotService.tally(session: session, workspace: workspace, ledger: ledger) }
    }

    /// `ballot runoff SESSION`.
    public func runoff(session: String) throws -> BallotSessionOpened {
        try plenary.clerkAction { ledger in try BallotService.runoff(session: session, workspace: workspace, ledger: ledger) }
    }

    /// `audit publish SESSION --out <db>.bundle-SESSION`, and the bundle as one `.zip` beside it.
    public func publish(session: String) throws -> PublishOutput {
        let directory = try bundlePath(session)
        let published = try plenary.clerkAction { ledger in
            try AuditService.publish(session: session, directory: directory, workspace: workspace, ledger: ledger)
        }
        try BundleZip.write(directory: directory, to: try zipPath(session))
        return published
    }

    /// The published bundle's `.zip`.
    public func bundleZip(session: String) throws -> (name: String, bytes: [UInt8]) {
        let path = try zipPath(session)
        guard FileManager.default.fileExists(atPath: path) else { throw ConsoleRefusal.notPublished(session: session) }
        return ("piaojue-\(session).zip", try FileInput.read(path, limit: 1 << 31))
    }

    // MARK: Paper ballots, entered twice

    /// Where the two counters stand in `session`.
    public func counting(session: String) throws -> ConsoleCountingOutput {
        let pile = try loadPile(session)
        return ConsoleCountingOutput(
            session: session, a: pile.a.count, b: pile.b.count, agreed: pile.agreed,
            differences: pile.differences.map { difference in
                ConsoleDifference(
                    key: difference.key, position: pile.position(of: difference.key), a: difference.a.map(\.choices),
                    b: difference.b.map(\.choices))
            },
            ballot: try plenary.ballot(session: session))
    }

    func countingStanding(session: String) throws -> ConsoleCountingStanding {
        let pile = try loadPile(session)
        return ConsoleCountingStanding(a: pile.a.count, b: pile.b.count, differences: pile.differences.count)
    }

    /// One paper ballot as `counter` read it: the code on it (typed or scanned) and its marks.
    /// The code is checked at once (a mistyped code is refused with the sentence `ballot cast`
    /// gives); marks on items not on the ballot are refused.
    public func enter(session: String, counter: DoubleEntry.Counter, code: String, marks: [Mark: [String]], replacing: Bool = false) throws -> ConsoleCountingOutput {
        let ballot = try plenary.ballot(session: session)
        guard ballot.shape == .vote else { throw ConsoleRefusal.ratingSession(session: session) }
        let items = ballot.items.map(\.id)
        for (mark, ids) in marks {
            guard ballot.marks.contains(mark) else { throw SessionRefusal(.markNotOnForm(mark: mark.chinese), shape: .vote) }
            for id in ids where !items.contains(id) { throw SessionRefusal(.notOnBallot(id: id, items: items), shape: .vote) }
        }
        let trimmed = code.trimmingSpaces()
        let key = try Self.ballotKey(trimmed)
        try updatePile(session) { pile in
            try pile.enter(PaperReading(code: trimmed, marks: marks), key: key, by: counter, replacing: replacing)
        }
        return try counting(session: session)
    }

    /// The scrutineer settles the difference on ballot `key`.
    public func settle(session: String, key: String, with settlement: DoubleEntry.Settlement) throws -> ConsoleCountingOutput {
        try updatePile(session) { pile in try pile.settle(key, with: settlement) }
        return try counting(session: session)
    }

    /// Imports a reconciled pile exactly as `ballot import` imports a file: the agreed readings as
    /// the paper-ballot CSV (`credential,approve,oppose,abstain`, named `counting-SESSION.csv`),
    /// all in one transaction or none; then the counting file is removed.
    public func importCounted(session: String) throws -> PaperImportOutput {
        let path = try countingPath(session)
        return try countingLock.withLock { _ in
            let pile = try readPile(session, path: path)
            let csv = Self.csv(try pile.reconciled(), marks: SessionShape.vote.marks)
            let output = try plenary.clerkAction { ledger in
                try SessionService.importPaper(
                    session: session, bytes: Array(csv.utf8), name: "counting-\(session).csv", shape: .vote, workspace: workspace, ledger: ledger)
            }
            unlink(path)
            return output
        }
    }

    /// The paper-ballot CSV of `readings`, as counters would type it for `ballot import`.
    static func csv(_ readings: [PaperReading], marks: [Mark]) -> String {
        var text = (["credential"] + marks.map(\.rawValue)).joined(separator: ",") + "\n"
        for reading in readings {
            text += ([reading.code] + marks.map { reading.choices[$0].joined(separator: ";") }).joined(separator: ",") + "\n"
        }
        return text
    }

    /// The key of a paper ballot: its credential's public key (base64), so that two spellings of
    /// one code are one ballot. A code that does not decode is refused.
    static func ballotKey(_ code: String) throws -> String {
        var secret: [UInt8]
        do { secret = try SecretCode.decode(code) } catch {
            throw SessionRefusal(.mistypedCode(why: error.description), shape: .vote)
        }
        defer { Ed25519PrivateKey.cleanse(&secret) }
        return try Ed25519PrivateKey(seed: secret).publicKey.base64
    }

    func loadPile(_ session: String) throws -> DoubleEntry {
        let path = try countingPath(session)
        return try countingLock.withLock { _ in try readPile(session, path: path) }
    }

    func updatePile(_ session: String, _ change: (inout DoubleEntry) throws -> Void) throws {
        let path = try countingPath(session)
        try countingLock.withLock { _ in
            var pile = try readPile(session, path: path)
            try change(&pile)
            try CountingFile.write(pile, to: path)
        }
    }

    func readPile(_ session: String, path: String) throws -> DoubleEntry {
        try CountingFile.read(path) ?? DoubleEntry(session: session)
    }

    // MARK: Files beside the ledger

    func checkedSession(_ session: String) throws -> String {
        guard !session.isEmpty, session.count <= 32, session.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw ConsoleRefusal.badSession(session: session)
        }
        return session
    }

    func slipsPath(_ session: String) throws -> String { workspace.settings.databasePath + ".slips-\(try checkedSession(session)).txt" }
    func countingPath(_ session: String) throws -> String { workspace.settings.databasePath + ".counting-\(try checkedSession(session)).json" }
    func bundlePath(_ session: String) throws -> String { workspace.settings.databasePath + ".bundle-\(try checkedSession(session))" }
    func zipPath(_ session: String) throws -> String { try bundlePath(session) + ".zip" }
}

/// The two counters' entries of one session, outside the ledger: JSON, mode 0600, replaced
/// whole (written beside, then renamed) after every entry.
enum CountingFile {
    static func read(_ path: String) throws -> DoubleEntry? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let bytes = try FileInput.read(path, limit: 1 << 28)
        do { return try JSONDecoder().decode(DoubleEntry.self, from: Data(bytes)) } catch {
            throw FileFailure.writeFailed(path: path, why: "not a counting file: \(error)")
        }
    }

    static func write(_ pile: DoubleEntry, to path: String) throws {
        let data = try JSONEncoder().encode(pile)
        let temporary = path + ".writing-\(getpid())"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileFailure.cannotCreate(path: path, why: String(cString: strerror(errno))) }
        let written = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == data.count, synced == 0, rename(temporary, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw FileFailure.writeFailed(path: path, why: why)
        }
    }
}

/// A published bundle directory as one `.zip` (ZIPFoundation), made once.
enum BundleZip {
    static func write(directory: String, to path: String) throws {
        try OutputPaths.checkNewFile(path)
        do {
            try FileManager.default.zipItem(at: URL(fileURLWithPath: directory), to: URL(fileURLWithPath: path), shouldKeepParent: false)
        } catch {
            unlink(path)
            throw FileFailure.writeFailed(path: path, why: "\(error)")
        }
    }
}
