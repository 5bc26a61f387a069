import Foundation
import PiaojueCrypto
public import PiaojueDomain
import PiaojueWorkbook
public import PiaojueLedger

/// Stage 1 · 征集初定: proposals, screening, approval steps and the frozen candidate list.
public enum CollectionService {
    /// The entry kinds that Stage 1 state is rebuilt from (tallies settle chosen and not-chosen).
    static let stateKinds = [
        ProposalSubmitted.kind, ProposalScreened.kind, ListStepApproved.kind, ListFrozen.kind, "ballot.tally",
    ]

    /// Stage 1 state rebuilt from the ledger.
    public static func state(_ reader: LedgerReader) throws -> CollectionState {
        try state(of: try reader.entries(kinds: stateKinds), scope: nil)
    }

    /// Stage 1 state for a command about a few proposals: the records of the proposals in `scope`
    /// (their submission and screenings), with every approval step, candidate list and tally —
    /// all that a decision about them reads. The other proposals' entries come off the kind index
    /// and are skipped after a byte search of their canonical lines for `"id":"P7"`, never
    /// decoded, so that one screening costs the same with 20 or 2,000 proposals recorded
    /// (docs/performance.md). `order` and `nextProposalID` of the result cover the scope only.
    static func state(_ reader: LedgerReader, scope: Set<String>) throws -> CollectionState {
        try state(of: try reader.entries(kinds: stateKinds), scope: scope)
    }

    /// Replays `entries` (of ``stateKinds``, in ledger order); with a scope, a submission or a
    /// screening is decoded only when its line names one of the scope's ids.
    static func state(of entries: [LedgerEntry], scope: Set<String>?) throws -> CollectionState {
        let needles = scope.map { ids in ids.map { LineSearch.needle("id", $0) } }
        var state = CollectionState()
        for entry in entries {
            if let needles, entry.kind == ProposalSubmitted.kind || entry.kind == ProposalScreened.kind,
                !needles.contains(where: { LineSearch.contains(entry.line, $0) })
            {
                continue
            }
            switch entry.kind {
            case ProposalSubmitted.kind: state.apply(try entry.payload(ProposalSubmitted.self))
            case ProposalScreened.kind: state.apply(try entry.payload(ProposalScreened.self))
            case ListStepApproved.kind: state.apply(try entry.payload(ListStepApproved.self))
            case ListFrozen.kind: state.apply(try entry.payload(ListFrozen.self))
            default:
                if let outcome = try entry.payload(TallyOutcomeView.self).outcome { state.apply(outcome) }
            }
        }
        return state
    }

    /// Records one proposal; returns its id and a possible duplicate to point out. Only the
    /// submissions whose line holds the (trimmed) title anywhere are decoded, with their
    /// screenings: the duplicate check (same trimmed title and location) needs no other, and a
    /// line that holds the title elsewhere only costs its decoding.
    public static func submit(_ proposal: Proposal, rules: Rules, workspace: Workspace) throws -> ProposalSubmitted {
        let proposal = try proposal.checkedText()
        let ledger = try workspace.openForWriting()
        return try ledger.write { writer in
            let entries = try writer.entries(kinds: stateKinds)
            let title = LineSearch.textNeedles(proposal.title.trimmingSpaces())
            var sameTitle: Set<String> = []
            for entry in entries where entry.kind == ProposalSubmitted.kind && title.contains(where: { LineSearch.contains(entry.line, $0) }) {
                sameTitle.insert(try entry.payload(ProposalSubmitted.self).id)
            }
            let state = try state(of: entries, scope: sameTitle)
            let duplicate = try state.check(submit: proposal, rules: rules.collection)
            let number = entries.lazy.filter { $0.kind == ProposalSubmitted.kind }.count + 1
            let event = ProposalSubmitted(id: CollectionState.proposalID(number), proposal: proposal, possibleDuplicateOf: duplicate)
            try writer.append(event)
            return event
        }
    }

    /// Imports a proposals spreadsheet, CSV or .xlsx (`sheet` names a workbook's sheet, nil the
    /// first): all rows or none. Any bad row names its line and field (for a workbook: the sheet,
    /// the row and the column letter).
    public static func importFile(
        path: String, encoding: TextEncodingChoice, sheet: String? = nil, rules: Rules, workspace: Workspace
    ) throws -> (imported: [ProposalSubmitted], summary: ProposalsImported) {
        let input = try TableInput.read(path: path, encoding: encoding, sheet: sheet, header: ProposalSheet.headerRule)
        let name = input.file
        let rows = try input.locating(resolve: ProposalSheet.field(in: input.table.header)) {
            try ProposalSheet.proposals(from: input.table, file: name)
        }
        let sha = FileInput.sha256(input.bytes)
        let ledger = try workspace.openForWriting()
        return try ledger.write { writer in
            var state = try state(writer)
            var events: [ProposalSubmitted] = []
            for (line, proposal) in rows {
                let duplicate: String?
                do { duplicate = try state.check(submit: proposal, rules: rules.collection) } catch let error as CollectionRefusal {
                    throw LocatedFailure(file: name, line: line, underlying: error, sheet: input.sheetTable?.sheet)
                }
                let event = ProposalSubmitted(
                    id: state.nextProposalID, proposal: proposal, possibleDuplicateOf: duplicate,
                    source: ImportSource(file: name, sha256: sha, line: line))
                state.apply(event)
                events.append(event)
            }
            for event in events { try writer.append(event) }
            let summary = ProposalsImported(file: name, sha256: sha, encoding: input.recordedEncoding, ids: events.map(\.id))
            try writer.append(summary)
            return (events, summary)
        }
    }

    /// Proposals, optionally of one status (`reserve` lists the whole reserve pool).
    public static func list(status: ProposalStatus?, workspace: Workspace) throws -> [ProposalRecord] {
        let ledger = try workspace.openForReading()
        let all = try ledger.read { try state($0) }.proposals
        guard let status else { return all }
        if status == .reserve { return all.filter { $0.status.isInReservePool } }
        return all.filter { $0.status == status }
    }

    /// A screening decision.
    public static func screen(
        id: String, decision: ProposalScreened.Decision, reason: String?, into: String?, note: String?, rules: Rules,
        workspace: Workspace
    ) throws -> (event: ProposalScreened, status: ProposalStatus) {
        let reason = try CleanText.text(reason, field: "不予采纳的理由 reason")
        let note = try CleanText.text(note, field: "说明 note", multiline: true)
        let ledger = try workspace.openForWriting()
        return try ledger.write { writer in
            var state = try state(writer, scope: Set([id] + (into.map { [$0] } ?? [])))
            let event = try state.decide(screen: id, decision: decision, reason: reason, into: into, note: note, rules: rules.collection)
            try writer.append(event)
            state.apply(event)
            return (event, state.records[id]?.status ?? .submitted)
        }
    }

    /// An approval step of the next candidate list.
    public static func approve(step: String, ref: String, rules: Rules, workspace: Workspace) throws -> ListStepApproved {
        let step = try CleanText.text(step, field: "审批环节 step")
        let ref = try CleanText.text(ref, field: "会议文号 ref")
        let ledger = try workspace.openForWriting()
        return try ledger.write { writer in
            let event = try state(writer, scope: []).decide(approve: step, ref: ref, rules: rules.collection)
            try writer.append(event)
            return event
        }
    }

    /// Freezes the candidate list and signs a checkpoint (a stage transition).
    public static func shortlist(seats: Int, ids: [String], rules: Rules, workspace: Workspace) throws -> ListFrozen {
        let ledger = try workspace.openForWriting()
        return try ledger.write { writer in
            let state = try state(writer, scope: Set(ids))
            let decided = try state.decide(shortlist: seats, ids: ids, rules: rules.collection)
            let event = ListFrozen(
                list: state.nextListID, seats: decided.seats, candidates: decided.candidates,
                candidatesHash: try canonicalHash(decided.candidates), approvals: decided.approvals,
                margin: rules.collection.margin, rules: rules.name)
            try writer.append(event)
            try writer.signCheckpoint(reason: ListFrozen.kind)
            return event
        }
    }
}

/// The part of a `ballot.tally` payload Stage 1 needs: which candidates of which list won or lost.
struct TallyOutcomeView: Decodable {
    let list: String
    let status: String
    let chosen: [String]
    let notChosen: [String]?

    var outcome: ListOutcome? {
        guard status != "void" else { return nil }
        return ListOutcome(list: list, chosen: chosen, notChosen: notChosen ?? [])
    }
}

/// The proposals spreadsheet: column names in English or Chinese.
enum ProposalSheet {
    static let aliases: [String: String] = [
        "title": "title", "项目名称": "title", "名称": "title", "category": "category", "类别": "category", "项目类别": "category",
        "content": "content", "建设内容": "content", "主要内容": "content", "内容": "content", "location": "location",
        "实施地点": "location", "地点": "location", "budget": "budget", "投资估算": "budget", "估算投资": "budget",
        "funding": "funding", "资金来源": "funding", "unit": "unit", "责任单位": "unit", "牵头单位": "unit",
        "proposer": "proposer", "建议人": "proposer", "提出人": "proposer", "proposer_unit": "proposerUnit",
        "建议人单位": "proposerUnit", "contact": "contact", "联系方式": "contact", "channel": "channel", "征集渠道": "channel",
        "渠道": "channel", "deadline": "deadline", "完成时限": "deadline",
        // As real 征集汇总表 name them.
        "项目内容": "content", "建设地点": "location", "项目概算": "budget", "实施主体": "unit",
    ]

    /// How a proposals workbook's header row is told below any title rows; 投资估算 is an amount
    /// (a unit above the header, `单位：万元`, applies to it).
    static let headerRule = HeaderRule(
        known: Set(aliases.keys), amounts: ["budget", "投资估算", "估算投资", "项目概算"], expected: "项目名称、类别、建设内容")

    /// The field of `header` that a failure's column label (`投资估算 budget`) names.
    static func field(in header: [String]) -> (String) -> Int? {
        { label in
            let labels = ["投资估算 budget": "budget", "完成时限 deadline": "deadline"]
            guard let key = labels[label] ?? aliases[label] else { return nil }
            return header.firstIndex { name in
                let cleaned = name.trimmingSpaces()
                return (aliases[cleaned] ?? aliases[cleaned.lowercased()]) == key
            }
        }
    }

    static func proposals(from table: CSVTable, file: String) throws -> [(Int, Proposal)] {
        var columns: [String: Int] = [:]
        for (n, header) in table.header.enumerated() {
            let cleaned = header.trimmingSpaces()
            guard let key = aliases[cleaned] ?? aliases[cleaned.lowercased()] else {
                throw CollectionRefusal.unknownColumn(file: file, column: header)
            }
            guard columns[key] == nil else { throw CollectionRefusal.duplicateColumn(file: file, column: header) }
            columns[key] = n
        }
        for required in ["title", "category", "content"] where columns[required] == nil {
            let chinese = ["title": "项目名称", "category": "类别", "content": "建设内容"][required] ?? required
            throw CollectionRefusal.missingColumn(file: file, column: required, name: chinese)
        }
        var result: [(Int, Proposal)] = []
        for row in table.rows {
            func value(_ key: String) -> String? {
                guard let column = columns[key] else { return nil }
                let text = row.fields[column].trimmingSpaces()
                return text.isEmpty ? nil : text
            }
            func fail(_ field: String, _ error: InputFailure) -> LocatedFailure {
                LocatedFailure(file: file, line: row.line, column: field, underlying: error)
            }
            var budget: Int64?
            if let text = value("budget") {
                do { budget = try Money.parse(text) } catch { throw fail("投资估算 budget", error) }
            }
            var deadline: Day?
            if let text = value("deadline") {
                do { deadline = try Day(deadline: text) } catch { throw fail("完成时限 deadline", error) }
            }
            var proposer: Proposer?
            if let name = value("proposer") {
                proposer = Proposer(name: name, unit: value("proposerUnit"), contact: value("contact"), channel: value("channel"))
            }
            let proposal = Proposal(
                title: value("title") ?? "", category: value("category") ?? "", content: value("content") ?? "",
                location: value("location"), budget: budget, funding: value("funding"), deadline: deadline, unit: value("unit"),
                proposer: proposer, channel: value("channel"))
            do { result.append((row.line, try proposal.checkedText())) } catch {
                throw LocatedFailure(file: file, line: row.line, underlying: error)
            }
        }
        guard !result.isEmpty else { throw CollectionRefusal.noProposals(file: file) }
        return result
    }
}
