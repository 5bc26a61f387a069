import Foundation
import PiaojueAudit
import PiaojueCrypto
public import PiaojueDomain
public import PiaojueLedger

/// Stage 3 · 组织实施: plans of chosen projects, progress with evidence, problems, decided
/// adjustments, and the status on a day. Every write reads the state, decides and appends in one
/// transaction, so a refused command writes nothing.
public enum ImplementationService {
    /// The entry kinds Stage 3 state is rebuilt from (after the chosen projects).
    static let stateKinds = [PlanPublished.kind, ProgressReported.kind, ProblemRecorded.kind, AdjustmentDecided.kind]

    /// Stage 3 state rebuilt from the ledger: chosen projects from the tallies, then every
    /// implementation entry in ledger order.
    public static func state(_ reader: LedgerReader) throws -> ImplementationState {
        try state(reader, scope: .all)
    }

    /// What a command needs of Stage 3.
    enum Scope {
        /// Everything: status, reports.
        case all
        /// One project: its plan, reports and adjustments, and every problem item (the next item's
        /// id counts them); the other projects' entries are skipped after a byte search of their
        /// lines for `"project":"P3"`, never decoded (see ``LineSearch``).
        case project(String)
        /// The problem items only.
        case problems
    }

    /// Stage 3 state for `scope`: the chosen projects always, the entries of the scope replayed.
    static func state(_ reader: LedgerReader, scope: Scope) throws -> ImplementationState {
        let chosen = try BallotService.chosenProjects(reader)
        let collection: CollectionState
        let needle: [UInt8]?
        switch scope {
        case .all:
            collection = try CollectionService.state(reader)
            needle = nil
        case let .project(id):
            collection = try CollectionService.state(reader, scope: [id])
            needle = LineSearch.needle("project", id)
        case .problems:
            collection = try CollectionService.state(reader, scope: [])
            needle = []
        }
        let projects = chosen.map { chosen in
            VotedProject(
                id: chosen.id, title: chosen.candidate.title, session: chosen.session, list: chosen.list,
                tallyEntry: chosen.tallyEntry, votedOn: chosen.decidedOn, estimate: chosen.candidate.budget,
                proposedUnit: chosen.candidate.unit)
        }
        var others: [String: String] = [:]
        for record in collection.proposals { others[record.id] = record.status.chinese }
        var state = ImplementationState(projects: projects, otherProposals: others)
        for entry in try reader.entries(kinds: stateKinds) {
            if let needle, entry.kind != ProblemRecorded.kind, needle.isEmpty || !LineSearch.contains(entry.line, needle) { continue }
            switch entry.kind {
            case PlanPublished.kind: state.apply(try entry.payload(PlanPublished.self))
            case ProgressReported.kind: state.apply(try entry.payload(ProgressReported.self))
            case ProblemRecorded.kind: state.apply(try entry.payload(ProblemRecorded.self))
            default: state.apply(try entry.payload(AdjustmentDecided.self))
            }
        }
        return state
    }

    /// Records the implementation plan of a chosen project.
    public static func plan(_ request: PlanRequest, rules: Rules, workspace: Workspace) throws -> Warned<PlanPublished> {
        var request = request
        request.unit = try CleanText.text(request.unit, field: "责任单位 unit")
        request.leader = try CleanText.text(request.leader, field: "分管领导 leader")
        let today = workspace.settings.today
        let ledger = try workspace.openForWriting()
        return try ledger.write { writer in
            let decided = try state(writer, scope: .project(request.project)).decide(plan: request, today: today, rules: rules.implementation)
            try writer.append(decided.event)
            return decided
        }
    }

    /// Records a progress report; each evidence file is read and hashed first (a missing file
    /// refuses the report before the ledger is touched).
    public static func progress(
        project: String, percent: Int, spent: Int64?, note: String?, reached: [String], final: Bool, evidence paths: [String],
        workspace: Workspace
    ) throws -> (report: Warned<ProgressReported>, status: ProjectProgress?) {
        let note = try CleanText.text(note, field: "说明 note", multiline: true)
        let evidence = try paths.map { path throws(ImplementationRefusal) in try Evidence.file(path) }
        let request = ProgressRequest(
            project: project, percent: percent, spent: spent, note: note, reached: reached, final: final, evidence: evidence)
        let today = workspace.settings.today
        let rules = try workspace.rules(nil)
        let ledger = try workspace.openForWriting()
        return try ledger.write { writer in
            var state = try state(writer, scope: .project(project))
            let decided = try state.decide(progress: request, today: today)
            try writer.append(decided.event)
            state.apply(decided.event)
            let status = state.records[project].map { state.progress(of: $0, today: today, rules: rules.implementation) }
            return (decided, status)
        }
    }

    /// Opens a problem or rectification item.
    public static func openProblem(project: String, text: String, unit: String?, workspace: Workspace) throws -> ProblemRecorded {
        let text = try CleanText.text(text, field: "问题 text", multiline: true)
        let unit = try CleanText.text(unit, field: "整改责任单位 unit")
        return try writeProblem(workspace, scope: .project(project)) { state, today throws(ImplementationRefusal) in
            try state.decide(openProblem: project, text: text, unit: unit, today: today)
        }
    }

    /// Names the unit responsible for an item.
    public static func assignProblem(id: String, unit: String, workspace: Workspace) throws -> ProblemRecorded {
        let unit = try CleanText.text(unit, field: "整改责任单位 unit")
        return try writeProblem(workspace, scope: .problems) { state, today throws(ImplementationRefusal) in
            try state.decide(assignProblem: id, unit: unit, today: today)
        }
    }

    /// Closes an item with a note on its rectification.
    public static func closeProblem(id: String, note: String, workspace: Workspace) throws -> ProblemRecorded {
        let note = try CleanText.text(note, field: "整改情况 note", multiline: true)
        return try writeProblem(workspace, scope: .problems) { state, today throws(ImplementationRefusal) in
            try state.decide(closeProblem: id, note: note, today: today)
        }
    }

    private static func writeProblem(
        _ workspace: Workspace, scope: Scope, _ decide: (ImplementationState, Day) throws(ImplementationRefusal) -> ProblemRecorded
    ) throws -> ProblemRecorded {
        let today = workspace.settings.today
        let ledger = try workspace.openForWriting()
        return try ledger.write { writer in
            let event = try decide(try state(writer, scope: scope), today)
            try writer.append(event)
            return event
        }
    }

    /// Problem items, optionally only open ones or only of one project.
    public static func problems(openOnly: Bool, project: String?, workspace: Workspace) throws -> [ProblemItem] {
        let ledger = try workspace.openForReading()
        let state = try ledger.read { try Self.state($0) }
        if let project { _ = try state.project(project) }
        return state.problemOrder.compactMap { state.problems[$0] }.filter { item in
            (!openOnly || item.isOpen) && (project == nil || item.project == project)
        }
    }

    /// Records a decided 暂缓 / 终止 / 重大调整 / 恢复. Without `decision` it is refused (T15).
    /// `decidedBy` defaults to the body that decides at the ledger's level: 乡镇人民代表大会 for a
    /// township, else 人大常委会.
    public static func adjust(
        project: String, kind: AdjustmentKind, reason: String, decision: String?, decidedBy: String?, changes: PlanChanges?,
        workspace: Workspace
    ) throws -> (event: AdjustmentDecided, status: ImplementationStatus) {
        let reason = try CleanText.text(reason, field: "调整原因 reason", multiline: true)
        let decision = try CleanText.text(decision, field: "决定文号 decision")
        let decidedBy = try CleanText.text(decidedBy, field: "作出决定的机关 decided by")
        var changes = changes
        if let given = changes {
            changes?.unit = try CleanText.text(given.unit, field: "责任单位 unit")
            changes?.leader = try CleanText.text(given.leader, field: "分管领导 leader")
        }
        let today = workspace.settings.today
        let ledger = try workspace.openForWriting()
        let body = decidedBy ?? decidingBody(ledger.identity)
        return try ledger.write { writer in
            var state = try state(writer, scope: .project(project))
            let event = try state.decide(
                adjust: project, kind: kind, reason: reason, decision: decision, decidedBy: body, changes: changes, today: today)
            try writer.append(event)
            state.apply(event)
            return (event, state.records[project]?.status ?? .unplanned)
        }
    }

    /// The body whose decision an adjustment needs, by the ledger's level.
    static func decidingBody(_ identity: LedgerIdentity) -> String {
        Body.decidingBody(level: identity.genesis["level"]?.stringValue.flatMap(BodyLevel.init(word:)))
    }

    /// Every chosen project as it stands today (the injected clock), with the ledger's body name.
    public static func overview(rules: Rules, workspace: Workspace) throws -> ImplementationOverview {
        let today = workspace.settings.today
        let ledger = try workspace.openForReading()
        let state = try ledger.read { try Self.state($0) }
        return ImplementationOverview(
            body: ledger.identity.genesis["body"]?.stringValue ?? "", asOf: today, planDeadlineDays: rules.implementation.planDeadlineDays,
            projects: state.progress(today: today, rules: rules.implementation),
            problems: state.problemOrder.compactMap { state.problems[$0] })
    }

    /// Writes the supervision report (one self-contained HTML file) into `directory`, which must
    /// be missing or empty. Returns the file's path and the overview it shows.
    public static func writeReport(directory: String, rules: Rules, workspace: Workspace) throws -> (file: String, overview: ImplementationOverview) {
        try OutputPaths.checkDirectory(directory)
        let overview = try overview(rules: rules, workspace: workspace)
        let html = ImplementationReportPage.html(overview)
        try OutputPaths.prepareDirectory(directory)
        let file = URL(fileURLWithPath: directory).appendingPathComponent(ImplementationReportPage.fileName).path
        try OutputPaths.writeNewFile(file, Array(html.utf8))
        return (file, overview)
    }
}

/// The implementation picture on one day: what `implement status` and `implement report` show.
public struct ImplementationOverview: Sendable {
    /// The body keeping the ledger.
    public let body: String
    /// The day the figures are computed for.
    public let asOf: Day
    public let planDeadlineDays: Int
    /// Chosen projects in the order chosen.
    public let projects: [ProjectProgress]
    /// Every problem item, in the order opened.
    public let problems: [ProblemItem]

    /// Overdue projects first, then the rest, each group in the order chosen.
    public var overdueFirst: [ProjectProgress] { projects.filter(\.overdue) + projects.filter { !$0.overdue } }
}

/// Evidence files: hashed, never copied into the ledger.
enum Evidence {
    static func file(_ path: String) throws(ImplementationRefusal) -> EvidenceFile {
        let digest: (sha256: String, bytes: Int)
        do { digest = try FileInput.digest(path) } catch { throw .evidence(why: error.description) }
        let name = URL(fileURLWithPath: path).lastPathComponent
        return EvidenceFile(name: name, sha256: digest.sha256, bytes: digest.bytes)
    }
}
