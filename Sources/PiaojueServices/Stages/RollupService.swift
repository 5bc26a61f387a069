import Dispatch
import Foundation
import PiaojueAudit
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueWitness
import Synchronization

/// The county roll-up (`rollup DIR… --out OUTDIR [--policy FILE]`): every township bundle
/// verified in full (with its witnesses' cosignatures when a policy is given), its figures read
/// from the same pass over `ledger.jsonl`, two bundles of one township checked to be one history,
/// and the county report written: `report.html`, `report.md`, `rollup.csv`, `rollup.json`, and
/// `rollup.xlsx` (the CSV's rows as a workbook).
///
/// A bundle that fails verification, or that disagrees with another of its township, is listed
/// with its reason and left out of every total (`ok` false, exit 1).
public enum RollupService {
    /// The files written into the output directory.
    public static let files = ["report.html", "report.md", "rollup.csv", "rollup.json", "rollup.xlsx"]

    /// Rolls the bundles in `directories` up into `out` (new or empty). `workers` bundles are
    /// verified at a time (default: one per core).
    public static func rollup(directories: [String], out: String, policyPath: String?, workers: Int? = nil) throws -> RollupOutput {
        guard !directories.isEmpty else { throw RollupRefusal.noBundles }
        var seen: Set<String> = []
        for directory in directories {
            let normal = (directory as NSString).standardizingPath
            guard seen.insert(normal).inserted else { throw RollupRefusal.duplicateBundle(path: directory) }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw AuditFailure.noBundle(path: directory)
            }
        }
        guard !seen.contains((out as NSString).standardizingPath) else { throw RollupRefusal.outIsBundle(path: out) }
        let policy = try policyPath.map(TrustAnchors.policy)
        try OutputPaths.checkDirectory(out)

        // Each bundle's own checkpoint (read before verifying) says which sizes of its township's
        // other bundles the verifying pass must record the root at.
        let heads = directories.map(BundleHead.read)
        let wanted: [Set<Int>] = heads.enumerated().map { index, head in
            guard let head else { return [] }
            return Set(heads.enumerated().compactMap { other, item in
                guard other != index, let item, item.origin == head.origin, item.size <= head.size else { return nil }
                return item.size
            })
        }
        let trust = TrustAnchors(policy: policy)
        let results = verifyAll(directories.indices.map { (directories[$0], wanted[$0]) }, trust: trust, workers: workers)
        let output = assemble(directories: directories, heads: heads, results: results, policyPath: policyPath, policy: policy, out: out)
        let rendered = try [
            RollupReport.html(output), RollupReport.markdown(output), RollupReport.csv(output),
            String(decoding: AuditBundle.json(output), as: UTF8.self) + "\n",
        ]
        let workbook = try RollupReport.xlsx(output)
        try OutputPaths.prepareDirectory(out)
        for (name, text) in zip(files, rendered) { try AuditBundle.writeFile(out, name, Data(text.utf8)) }
        try AuditBundle.writeFile(out, "rollup.xlsx", Data(workbook))
        return output
    }

    // MARK: Verifying

    /// What one bundle's verification gave.
    struct BundleResult: Sendable {
        let report: VerificationReport
        let figures: Figures?
        /// The root of the bundle's first `size` entries, for each size asked.
        let roots: [Int: [UInt8]]
        /// The checkpoint note as verified (for the policy's verdict).
        let cosignedBy: [String]
    }

    /// Verifies every bundle, `workers` at a time; results in the order given.
    static func verifyAll(_ bundles: [(directory: String, sizes: Set<Int>)], trust: TrustAnchors, workers: Int?) -> [BundleResult] {
        let count = min(max(1, workers ?? ProcessInfo.processInfo.activeProcessorCount), max(1, bundles.count))
        let next = Atomic<Int>(0)
        let slots = ResultSlots(count: bundles.count)
        DispatchQueue.concurrentPerform(iterations: count) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < bundles.count else { return }
                slots.set(index, verify(bundles[index].directory, sizes: bundles[index].sizes, trust: trust))
            }
        }
        return slots.collect()
    }

    /// One bundle, verified in full with the figures collected in the same pass.
    static func verify(_ directory: String, sizes: Set<Int>, trust: TrustAnchors) -> BundleResult {
        let collector = FiguresCollector(sizes: sizes)
        let report = BundleAudit.verify(directory: directory, trust: trust, observers: [collector])
        var cosignedBy: [String] = []
        if let policy = trust.policy, let head = BundleHead.read(directory), let note = head.note {
            cosignedBy = policy.evaluate(note).cosignedBy
        }
        return BundleResult(report: report, figures: report.ok ? collector.figures() : nil, roots: collector.roots, cosignedBy: cosignedBy)
    }

    // MARK: Assembling

    static func assemble(
        directories: [String], heads: [BundleHead?], results: [BundleResult], policyPath: String?, policy: TlogPolicy?, out: String
    ) -> RollupOutput {
        var failed: [RollupFailureOutput] = []
        var inconsistent: [Int: [String]] = [:]
        // Two verified bundles of one township must be one history: the larger's first entries
        // give the smaller's root.
        for a in directories.indices {
            for b in directories.indices where a != b {
                guard let small = heads[a], let large = heads[b], results[a].report.ok, results[b].report.ok,
                    small.origin == large.origin, small.size < large.size || (small.size == large.size && a < b)
                else { continue }
                if results[b].roots[small.size] != small.root {
                    inconsistent[a, default: []].append(directories[b])
                    inconsistent[b, default: []].append(directories[a])
                }
            }
        }
        var counted: [Int] = []
        for index in directories.indices {
            let result = results[index]
            if !result.report.ok {
                let first = result.report.firstFailure.map { CheckOutput(id: $0.id, name: $0.name, ok: $0.ok, detail: $0.detail) }
                failed.append(RollupFailureOutput(
                    dir: directories[index], checkpoint: heads[index]?.reference, reason: "verification", check: first, inconsistentWith: []))
            } else if result.figures == nil {
                // Verified, yet an entry the roll-up reads would not decode: never counted silently.
                failed.append(RollupFailureOutput(
                    dir: directories[index], checkpoint: heads[index]?.reference, reason: "figures", check: nil, inconsistentWith: []))
            } else if let others = inconsistent[index] {
                failed.append(RollupFailureOutput(
                    dir: directories[index], checkpoint: heads[index]?.reference, reason: "inconsistent", check: nil, inconsistentWith: others))
            } else {
                counted.append(index)
            }
        }
        // One bundle per township: the largest (it extends every other one of its township).
        var latest: [String: Int] = [:]
        for index in counted {
            guard let head = heads[index] else { continue }
            if let current = latest[head.origin], let best = heads[current], best.size >= head.size { continue }
            latest[head.origin] = index
        }
        var townships: [RollupTownshipOutput] = []
        var superseded: [RollupSupersededOutput] = []
        for index in counted {
            guard let head = heads[index], let figures = results[index].figures, let chosen = latest[head.origin] else { continue }
            if chosen == index {
                townships.append(RollupTownshipOutput(
                    dir: directories[index], cosignedBy: results[index].cosignedBy,
                    figures: figures.township(checkpoint: head.reference)))
            } else {
                superseded.append(RollupSupersededOutput(dir: directories[index], checkpoint: head.reference, supersededBy: directories[chosen]))
            }
        }
        let county = CountyTotals(townships.map(\.figures))
        return RollupOutput(
            ok: failed.isEmpty, out: out, bundles: directories.count, policy: policyPath, quorum: policy?.quorum.name,
            sentence: county.sentence, county: county, townships: townships, superseded: superseded, failed: failed,
            files: files.map { out + "/" + $0 })
    }
}

/// A bundle's `checkpoint` file, read on its own (before and beside the verification).
struct BundleHead: Sendable {
    let origin: String
    let size: Int
    let root: [UInt8]
    let note: SignedNote?

    var reference: CheckpointReference { CheckpointReference(origin: origin, size: size, root: Encoding.base64(root)) }

    static func read(_ directory: String) -> BundleHead? {
        guard let data = FileManager.default.contents(atPath: directory + "/" + AuditBundle.checkpointFile),
            let note = try? SignedNote(parsing: String(decoding: data, as: UTF8.self)), let checkpoint = try? Checkpoint(text: note.text)
        else { return nil }
        return BundleHead(origin: checkpoint.origin, size: checkpoint.size, root: checkpoint.root, note: note)
    }
}

/// One result slot per bundle, each written by one worker and read after all have finished.
private final class ResultSlots: @unchecked Sendable {
    // Safe: each index is written by exactly one worker of `concurrentPerform`, under the lock, and
    // the slots are read only after `concurrentPerform` has returned.
    private let slots: Mutex<[RollupService.BundleResult?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ index: Int, _ value: RollupService.BundleResult) { slots.withLock { $0[index] = value } }

    func collect() -> [RollupService.BundleResult] { slots.withLock { $0.compactMap { $0 } } }
}

/// A township's figures as read from its entries: the body, every session, the chosen projects
/// and their implementation and ratings, rebuilt with the domain's own state types.
struct Figures: Sendable {
    var body = ""
    var level = ""
    var openings: [BallotSessionOpened] = []
    var tallies: [(result: TallyResult, index: Int, time: String)] = []
    var ratingOpenings: [RatingSessionOpened] = []
    var ratings: [RatingResult] = []
    var implementation: [ImplementationEvent] = []

    enum ImplementationEvent: Sendable {
        case plan(PlanPublished)
        case progress(ProgressReported)
        case problem(ProblemRecorded)
        case adjust(AdjustmentDecided)
    }

    /// The township's figures, named by `checkpoint`.
    func township(checkpoint: CheckpointReference) -> TownshipFigures {
        let opened = Dictionary(openings.map { ($0.session, $0) }, uniquingKeysWith: { first, _ in first })
        var voted: [(project: VotedProject, category: String)] = []
        for (tally, index, time) in tallies where tally.status != .void {
            guard let opening = opened[tally.session] else { continue }
            for id in tally.chosen {
                guard let candidate = opening.candidates.first(where: { $0.id == id }) else { continue }
                voted.append((
                    VotedProject(
                        id: candidate.id, title: candidate.title, session: tally.session, list: tally.list, tallyEntry: index,
                        votedOn: Day(ledgerTime: time) ?? Day(ordinal: 0), estimate: candidate.budget, proposedUnit: candidate.unit),
                    candidate.category))
            }
        }
        var state = ImplementationState(projects: voted.map(\.project))
        for event in implementation {
            switch event {
            case let .plan(plan): state.apply(plan)
            case let .progress(progress): state.apply(progress)
            case let .problem(problem): state.apply(problem)
            case let .adjust(adjust): state.apply(adjust)
            }
        }
        // The class of each project's latest decided rating.
        var rating: [String: (RatingClass, String)] = [:]
        for result in ratings where result.status == .decided {
            for project in result.projects {
                if let classification = project.classification { rating[project.id] = (classification, result.session) }
            }
        }
        let projects = voted.map { item -> RolledProject in
            let record = state.records[item.project.id]
            return RolledProject(
                id: item.project.id, title: item.project.title, category: item.category, budget: item.project.estimate,
                session: item.project.session, status: record?.status ?? .unplanned, percent: record?.percent ?? 0,
                spent: record?.spent ?? 0, rating: rating[item.project.id]?.0, ratedIn: rating[item.project.id]?.1)
        }
        var sessions: [RolledSession] = []
        for opening in openings {
            let tally = tallies.last(where: { $0.result.session == opening.session })?.result
            sessions.append(RolledSession(
                session: opening.session, shape: "vote", status: tally?.status.rawValue, seated: opening.header.seated,
                present: tally?.present ?? 0, valid: tally?.valid ?? 0, projects: tally?.chosen.count ?? 0))
        }
        for opening in ratingOpenings {
            let result = ratings.last(where: { $0.session == opening.session })
            sessions.append(RolledSession(
                session: opening.session, shape: "rating", status: result?.status.rawValue, seated: opening.header.seated,
                present: result?.present ?? 0, valid: result?.valid ?? 0, projects: opening.projects.count))
        }
        return TownshipFigures(body: body, level: level, checkpoint: checkpoint, sessions: sessions, projects: projects)
    }
}

/// Collects a township's figures as the verifier streams its entries (only the few kinds the
/// roll-up reads are decoded), and the roots of its first entries at the sizes asked.
final class FiguresCollector: EntryObserver {
    private var collected = Figures()
    private var undecodable = false
    private var frontier = MerkleFrontier()
    private let sizes: Set<Int>
    private(set) var roots: [Int: [UInt8]] = [:]

    init(sizes: Set<Int>) {
        self.sizes = sizes
        if sizes.contains(0) { roots[0] = Merkle.emptyRoot }
    }

    func observe(_ fields: EntryFields, leafHash: [UInt8]) {
        if frontier.size == 0, fields.kind == "ledger.init", let suite = LedgerIdentity(initPayload: fields.payload)?.suite {
            // The tree is in the suite entry 0 names (the verifier checked it against the key).
            frontier = MerkleFrontier(suite: suite)
            if sizes.contains(0) { roots[0] = suite.emptyRoot }
        }
        frontier.append(leafHash: leafHash)
        if sizes.contains(frontier.size) { roots[frontier.size] = frontier.root }
        func decode<P: Decodable>(_ type: P.Type) -> P? {
            do { return try PayloadCoding.decode(P.self, from: fields.payload) } catch {
                undecodable = true
                return nil
            }
        }
        switch fields.kind {
        case "ledger.init":
            collected.body = fields.payload["body"]?.stringValue ?? ""
            collected.level = fields.payload["level"]?.stringValue ?? ""
        case BallotSessionOpened.kind: if let value = decode(BallotSessionOpened.self) { collected.openings.append(value) }
        case TallyResult.kind:
            if let value = decode(TallyResult.self) { collected.tallies.append((value, fields.index, fields.time)) }
        case RatingSessionOpened.kind: if let value = decode(RatingSessionOpened.self) { collected.ratingOpenings.append(value) }
        case RatingResult.kind: if let value = decode(RatingResult.self) { collected.ratings.append(value) }
        case PlanPublished.kind: if let value = decode(PlanPublished.self) { collected.implementation.append(.plan(value)) }
        case ProgressReported.kind: if let value = decode(ProgressReported.self) { collected.implementation.append(.progress(value)) }
        case ProblemRecorded.kind: if let value = decode(ProblemRecorded.self) { collected.implementation.append(.problem(value)) }
        case AdjustmentDecided.kind: if let value = decode(AdjustmentDecided.self) { collected.implementation.append(.adjust(value)) }
        default: break
        }
    }

    func finish() -> [(name: String, ok: Bool, detail: String)] { [] }

    /// The figures, unless an entry the roll-up reads could not be decoded (the audit then fails too).
    func figures() -> Figures? { undecodable ? nil : collected }
}
