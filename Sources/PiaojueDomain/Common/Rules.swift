/// The rules file (票决办法 and the other stage rules), decoded and validated.
///
/// Every value here comes from `Config/rules/*.toml`; ``Rules/standard`` is the statute-analog
/// default of RULES.md. The ballot part is frozen into the ledger when a session opens.
public struct Rules: Codable, Sendable, Equatable {
    /// The preset's name, e.g. `default`, `equal-slate`.
    public var name: String
    public var collection: CollectionRules
    public var ballot: BallotRules
    public var evaluation: EvaluationRules
    public var implementation: ImplementationRules

    public init(
        name: String, collection: CollectionRules, ballot: BallotRules, evaluation: EvaluationRules,
        implementation: ImplementationRules
    ) {
        self.name = name
        self.collection = collection
        self.ballot = ballot
        self.evaluation = evaluation
        self.implementation = implementation
    }

    /// The defaults of RULES.md, identical to `Config/rules/default.toml`.
    public static let standard = Rules(
        name: "default", collection: .standard, ballot: .standard, evaluation: .standard, implementation: .standard)
}

/// Stage 1 rules: what a proposal must say and how the candidate list is approved.
public struct CollectionRules: Codable, Sendable, Equatable {
    public var categories: [String]
    /// Proposal fields that must be filled: always `title`, `category`, `content`, plus these.
    public var requiredFields: [ProposalField]
    public var channels: [String]
    /// 负面清单: the hard reject reasons.
    public var negativeList: [String]
    /// The approval steps of the candidate list, in order.
    public var approvalSteps: [String]
    public var margin: Margin
    /// Optional least candidates-to-seats ratio, e.g. 6/5.
    public var minimumRatio: Ratio?

    public static let standard = CollectionRules(
        categories: [
            "乡村振兴", "社会保障", "劳动就业", "科技教育", "文化体育", "医疗卫生", "市政建设", "城市管理", "生态环境",
            "住房保障", "社会管理", "公共安全", "公共交通", "其他",
        ],
        requiredFields: [.title, .category, .content],
        channels: ["代表联络站", "12345热线", "网上征集", "信函", "代表建议", "部门申报", "其他"],
        negativeList: [
            "不具备实施条件", "增加群众或企业负担", "增加政府债务风险", "存在稳定风险", "上级已安排实施", "形象工程/简单重复",
            "个别单位或个人诉求", "属诉讼、仲裁、信访等法定途径",
        ],
        approvalSteps: ["政府常务会议", "党委审定"],
        margin: .contested,
        minimumRatio: nil)
}

/// The proposal fields a rules file can require.
public enum ProposalField: String, Codable, Sendable, CaseIterable {
    case title, category, content, location, budget, funding, deadline, unit, proposer, channel

    /// The Chinese column name used in spreadsheets.
    public var chineseName: String {
        switch self {
        case .title: "项目名称"
        case .category: "类别"
        case .content: "建设内容"
        case .location: "实施地点"
        case .budget: "投资估算"
        case .funding: "资金来源"
        case .deadline: "完成时限"
        case .unit: "责任单位"
        case .proposer: "建议人"
        case .channel: "征集渠道"
        }
    }
}

/// 差额 or 等额.
public enum Margin: String, Codable, Sendable {
    /// 差额: more candidates than seats (the default).
    case contested
    /// 等额 allowed: as many candidates as seats is accepted too.
    case equalAllowed = "equal-allowed"
}

/// Stage 2 rules: the voting method (票决办法) frozen at `ballot open`.
public struct BallotRules: Codable, Sendable, Equatable {
    public var form: BallotForm
    /// Least fraction of seated deputies present (inclusive).
    public var quorum: Ratio
    public var thresholdBase: ThresholdBase
    /// 过半数 is strict: more than half. False: at least half.
    public var thresholdStrict: Bool
    /// A ballot with more 赞成 than seats is void.
    public var overmarkVoidsBallot: Bool
    /// More ballots returned than issued voids the round.
    public var excessReturnedVoidsRound: Bool
    public var tiePolicy: TiePolicy
    /// Most rounds (the first included) before a tie leaves seats vacant.
    public var maxRounds: Int
    public var shortfall: ShortfallPolicy
    /// Funds available (元); projects that no longer fit are skipped in rank order.
    public var budgetCap: Int64?

    public static let standard = BallotRules(
        form: .approveOpposeAbstain, quorum: .unchecked(2, 3), thresholdBase: .seated, thresholdStrict: true,
        overmarkVoidsBallot: true, excessReturnedVoidsRound: true, tiePolicy: .runoff, maxRounds: 3,
        shortfall: .leaveVacant, budgetCap: nil)
}

/// How a ballot is marked.
public enum BallotForm: String, Codable, Sendable {
    /// 赞成 / 反对 / 弃权 per candidate; an empty mark is 弃权.
    case approveOpposeAbstain = "approve-oppose-abstain"
    /// Ticks (勾选) only: a ticked candidate is approved, the rest count as not approved (弃权).
    case approveOnly = "approve-only"
    /// Voting machines: a button not pressed is 未按, reported apart and not counted as a vote.
    case eVoter = "e-voter"
}

/// The number a candidate's 赞成 must exceed half of.
public enum ThresholdBase: String, Codable, Sendable {
    case seated, present, valid, none
}

public enum TiePolicy: String, Codable, Sendable {
    /// Candidates tied across the last seat go to another round among themselves.
    case runoff
}

public enum ShortfallPolicy: String, Codable, Sendable {
    case leaveVacant = "leave-vacant"
    case revoteRemaining = "revote-remaining"
}

/// Stage 4 rules: the year-end rating.
public struct EvaluationRules: Codable, Sendable, Equatable {
    public var base: RatingBase
    /// Exactly half does not pass.
    public var strict: Bool
    /// A project of this class (or worse) is flagged for rectification.
    public var rectifyClass: RatingClass
    /// Optional: also rectify when (满意 + 基本满意) / valid falls below this.
    public var rectifyBelowRate: Ratio?

    public static let standard = EvaluationRules(base: .seated, strict: true, rectifyClass: .unsatisfied, rectifyBelowRate: nil)
}

public enum RatingBase: String, Codable, Sendable {
    case seated, present, valid
}

/// The class a rating session gives a project.
public enum RatingClass: String, Codable, Sendable, CaseIterable {
    case satisfied = "满意"
    case basicallySatisfied = "基本满意"
    case unsatisfied = "不满意"

    /// 0 best … 2 worst.
    public var rank: Int {
        switch self {
        case .satisfied: 0
        case .basicallySatisfied: 1
        case .unsatisfied: 2
        }
    }
}

/// Stage 3 rules.
public struct ImplementationRules: Codable, Sendable, Equatable {
    /// Days after the vote by which each implementation plan should be published.
    public var planDeadlineDays: Int

    public static let standard = ImplementationRules(planDeadlineDays: 30)
}
