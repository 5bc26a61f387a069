public import PiaojueDomain

/// `collect submit`.
public struct SubmitOutput: Codable, Sendable, Equatable {
    public let id: String
    public let status: String
    public let possibleDuplicateOf: String?
    public let title: String

    public init(_ event: ProposalSubmitted) {
        id = event.id
        status = ProposalStatus.submitted.rawValue
        possibleDuplicateOf = event.possibleDuplicateOf
        title = event.proposal.title
    }
}

/// `collect import`.
public struct CollectImportOutput: Codable, Sendable, Equatable {
    public let imported: Int
    public let ids: [String]
    /// Proposal id → the earlier proposal it may duplicate.
    public let possibleDuplicates: [String: String]

    public init(imported: [ProposalSubmitted], summary: ProposalsImported) {
        self.imported = imported.count
        ids = summary.ids
        var duplicates: [String: String] = [:]
        for event in imported { if let other = event.possibleDuplicateOf { duplicates[event.id] = other } }
        possibleDuplicates = duplicates
    }
}

/// One proposal in `collect list` and `collect reserve`; `budget` in whole 元.
public struct ProposalRow: Codable, Sendable, Equatable {
    public let id: String
    public let title: String
    public let category: String
    public let status: String
    public let budget: Int64?
    public let location: String?
    public let unit: String?
    public let proposers: [String]
    public let reason: String?
    public let mergedInto: String?
    public let list: String?

    public init(_ record: ProposalRecord) {
        id = record.id
        title = record.proposal.title
        category = record.proposal.category
        status = record.status.rawValue
        budget = record.proposal.budget
        location = record.proposal.location
        unit = record.proposal.unit
        proposers = record.proposers.map { proposer in
            [proposer.name, proposer.channel.map { "（\($0)）" } ?? ""].joined()
        }.filter { !$0.isEmpty }
        reason = record.rejectReason
        mergedInto = record.mergedInto
        list = record.list
    }

    /// The status in Chinese.
    public var statusText: String { ProposalStatus(rawValue: status)?.chinese ?? status }
}

/// `collect list`, `collect reserve`.
public struct ProposalListOutput: Codable, Sendable, Equatable {
    public let proposals: [ProposalRow]

    public init(_ records: [ProposalRecord]) { proposals = records.map(ProposalRow.init) }

    /// The CSV columns and rows for Excel.
    public var table: (header: [String], rows: [[String]]) {
        (["编号", "项目名称", "类别", "状态", "投资估算（元）", "实施地点", "责任单位", "建议人", "不予采纳理由", "并入", "候选名单"],
         proposals.map { row in
             [row.id, row.title, row.category, row.statusText, row.budget.map(String.init) ?? "", row.location ?? "", row.unit ?? "",
              row.proposers.joined(separator: "；"), row.reason ?? "", row.mergedInto ?? "", row.list ?? ""]
         })
    }
}

/// `collect screen`.
public struct ScreenOutput: Codable, Sendable, Equatable {
    public let id: String
    public let status: String
    public let decision: String
    public let reason: String?
    public let into: String?

    public init(event: ProposalScreened, status: ProposalStatus) {
        id = event.id
        self.status = status.rawValue
        decision = event.decision.rawValue
        reason = event.reason
        into = event.into
    }
}

/// `collect approve`.
public struct ApproveOutput: Codable, Sendable, Equatable {
    public let step: String
    public let ref: String
    public let list: String

    public init(_ event: ListStepApproved) {
        step = event.step
        ref = event.ref
        list = event.list
    }
}

/// `collect shortlist`.
public struct ShortlistOutput: Codable, Sendable, Equatable {
    public let list: String
    public let seats: Int
    public let candidates: [String]
    public let candidatesHash: String

    public init(_ event: ListFrozen) {
        list = event.list
        seats = event.seats
        candidates = event.candidates.map(\.id)
        candidatesHash = event.candidatesHash
    }
}
