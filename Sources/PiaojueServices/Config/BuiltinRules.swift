/// The default rules preset, built into the binary so that `piaojue` works from any directory.
/// Identical to `Config/rules/default.toml` (a test compares them byte for byte).
enum BuiltinRules {
    static let defaultTOML = #"""
# 票决办法 — default rules (statute-analog defaults of RULES.md)
# Default voting rules of Piaojue. Copy this file to make your own; every key is documented here.
# Amounts are written like 1200000, "1,200,000元", "120万" or "6513.3万元"; fractions like "2/3".
# Unknown keys and impossible values are refused with a message naming the key.

# The preset's name, recorded with every session that uses it.
name = "default"

[collection]
# 项目类别: the categories a proposal may take.
categories = ["乡村振兴", "社会保障", "劳动就业", "科技教育", "文化体育", "医疗卫生", "市政建设", "城市管理", "生态环境", "住房保障", "社会管理", "公共安全", "公共交通", "其他"]
# 必填项: title, category and content are always required; add any of
# location, budget, funding, deadline, unit, proposer, channel.
required_fields = ["title", "category", "content"]
# 征集渠道: accepted channels (an empty list accepts any).
channels = ["代表联络站", "12345热线", "网上征集", "信函", "代表建议", "部门申报", "其他"]
# 负面清单: the hard reject reasons of screening (`collect screen --reject` takes the text or its number).
negative_list = ["不具备实施条件", "增加群众或企业负担", "增加政府债务风险", "存在稳定风险", "上级已安排实施", "形象工程/简单重复", "个别单位或个人诉求", "属诉讼、仲裁、信访等法定途径"]
# 审批环节: the ordered approval steps of the candidate list (`collect approve --step`).
approval_steps = ["政府常务会议", "党委审定"]
# 差额: "contested" requires more candidates than seats; "equal-allowed" also permits 等额.
margin = "contested"
# Optional least ratio of candidates to seats, e.g. "6/5". Unset: no minimum.
# minimum_ratio = "6/5"

[ballot]
# 选票样式: "approve-oppose-abstain" (赞成/反对/弃权, an empty mark is 弃权),
# "approve-only" (勾选), or "e-voter" (表决器: a button not pressed is 未按, reported apart).
form = "approve-oppose-abstain"
# 法定人数: least fraction of seated deputies (实有代表) present, inclusive ("2/3": 120 seated → 80).
quorum = "2/3"
# 过半数的基数: "seated" (全体代表), "present" (出席), "valid" (有效票) or "none" (rank only).
threshold_base = "seated"
# true: 赞成 must be more than half (327 seated → 164 passes, 163 does not); false: at least half.
threshold_strict = true
# A ballot with more 赞成 than seats is void (废票) and counts for nobody.
overmark_voids_ballot = true
# More ballots returned than issued voids the whole round (it must be held again).
excess_returned_voids_round = true
# Candidates tied across the last seat: "runoff" (再次投票 among the tied, for the seats left).
tie_policy = "runoff"
# Most rounds, the first included; a tie still open after the last round leaves its seats vacant.
max_rounds = 3
# Fewer eligible than seats: "leave-vacant" (recorded) or "revote-remaining" (a new round among the rest).
shortfall = "leave-vacant"
# Optional funds available; projects that no longer fit are skipped in rank order, e.g. "5000万".
# budget_cap = "5000万"

[evaluation]
# 测评基数: "seated" (all raters entitled), "present" or "valid".
base = "seated"
# true: exactly half does not pass (镇海 rule).
strict = true
# A project classed this (or worse) is flagged for rectification (整改): 满意, 基本满意 or 不满意.
rectify_class = "不满意"
# Optional: also flag when (满意 + 基本满意) / valid is below this fraction, e.g. "80/100".
# rectify_below_rate = "80/100"

[implementation]
# Days after the vote by which each project's implementation plan should be published.
plan_deadline_days = 30

"""#
}
