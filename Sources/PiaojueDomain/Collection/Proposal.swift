/// A 民生实事 proposal (建议项目) as submitted. Money in whole 元.
public struct Proposal: Codable, Sendable, Equatable {
    public var title: String
    public var category: String
    public var content: String
    public var location: String?
    /// 投资估算 in whole 元.
    public var budget: Int64?
    /// 资金来源.
    public var funding: String?
    /// 完成时限.
    public var deadline: Day?
    /// 责任单位.
    public var unit: String?
    public var proposer: Proposer?
    /// 征集渠道.
    public var channel: String?

    public init(
        title: String, category: String, content: String, location: String? = nil, budget: Int64? = nil,
        funding: String? = nil, deadline: Day? = nil, unit: String? = nil, proposer: Proposer? = nil,
        channel: String? = nil
    ) {
        self.title = title
        self.category = category
        self.content = content
        self.location = location
        self.budget = budget
        self.funding = funding
        self.deadline = deadline
        self.unit = unit
        self.proposer = proposer
        self.channel = channel
    }

    /// Whether the field holds a value.
    public func has(_ field: ProposalField) -> Bool {
        switch field {
        case .title: !title.trimmingSpaces().isEmpty
        case .category: !category.trimmingSpaces().isEmpty
        case .content: !content.trimmingSpaces().isEmpty
        case .location: !(location ?? "").trimmingSpaces().isEmpty
        case .budget: budget != nil
        case .funding: !(funding ?? "").trimmingSpaces().isEmpty
        case .deadline: deadline != nil
        case .unit: !(unit ?? "").trimmingSpaces().isEmpty
        case .proposer: !(proposer?.name ?? "").trimmingSpaces().isEmpty
        case .channel: !(channel ?? "").trimmingSpaces().isEmpty
        }
    }
}

/// Who proposed: a deputy, a citizen, a unit.
public struct Proposer: Codable, Sendable, Equatable {
    public var name: String
    public var unit: String?
    public var contact: String?
    /// The channel the proposal came through, kept per proposer so merging keeps both sources.
    public var channel: String?

    public init(name: String, unit: String? = nil, contact: String? = nil, channel: String? = nil) {
        self.name = name
        self.unit = unit
        self.contact = contact
        self.channel = channel
    }
}

/// Where a proposal stands. Raw values are the CLI's status words.
public enum ProposalStatus: String, Codable, Sendable, CaseIterable {
    case submitted, accepted, rejected, merged, shortlisted, reserve, chosen
    case notChosen = "not-chosen"

    /// The Chinese word clerks use.
    public var chinese: String {
        switch self {
        case .submitted: "已提交"
        case .accepted: "已采纳"
        case .rejected: "未采纳"
        case .merged: "已合并"
        case .shortlisted: "候选项目"
        case .reserve: "储备库"
        case .chosen: "已票决"
        case .notChosen: "未当选"
        }
    }

    /// A status from its English or Chinese word.
    public init?(word: String) {
        let text = word.trimmingSpaces()
        if let match = ProposalStatus(rawValue: text.lowercased()) {
            self = match
            return
        }
        let aliases: [String: ProposalStatus] = [
            "已提交": .submitted, "提交": .submitted, "已采纳": .accepted, "采纳": .accepted, "未采纳": .rejected,
            "不予采纳": .rejected, "已合并": .merged, "合并": .merged, "候选": .shortlisted, "候选项目": .shortlisted,
            "储备库": .reserve, "储备": .reserve, "已票决": .chosen, "当选": .chosen, "票决通过": .chosen,
            "未当选": .notChosen, "落选": .notChosen,
        ]
        guard let match = aliases[text] else { return nil }
        self = match
    }

    /// Members of the reserve pool (储备库): sound but not on the current list, or lost a vote.
    public var isInReservePool: Bool { self == .reserve || self == .notChosen }
}

extension Proposal {
    /// The proposal with every text checked by ``CleanText/text(_:field:multiline:)``: 建设内容
    /// may span lines (CRLF becomes LF), every other field is one line. Refused naming the field.
    public func checkedText() throws(InputFailure) -> Proposal {
        var checked = self
        checked.title = try CleanText.text(title, field: "项目名称 title")
        checked.category = try CleanText.text(category, field: "类别 category")
        checked.content = try CleanText.text(content, field: "建设内容 content", multiline: true)
        checked.location = try CleanText.text(location, field: "实施地点 location")
        checked.funding = try CleanText.text(funding, field: "资金来源 funding")
        checked.unit = try CleanText.text(unit, field: "责任单位 unit")
        checked.channel = try CleanText.text(channel, field: "征集渠道 channel")
        if let proposer {
            checked.proposer = Proposer(
                name: try CleanText.text(proposer.name, field: "建议人 proposer"),
                unit: try CleanText.text(proposer.unit, field: "建议人单位 proposer unit"),
                contact: try CleanText.text(proposer.contact, field: "联系方式 contact"),
                channel: try CleanText.text(proposer.channel, field: "征集渠道 channel"))
        }
        return checked
    }
}
