/// Why a Stage 1 · 征集初定 action is refused: bad input (exit 2) or a rule (exit 1).
public enum CollectionRefusal: StageRefusal, Equatable {
    case missingField(field: String, name: String)
    case unknownCategory(category: String, categories: [String])
    case unknownChannel(channel: String, channels: [String])
    case tooLong(field: String, length: Int)
    case unknownProposal(id: String)
    case alreadyScreened(id: String, status: String)
    case reasonNotListed(reason: String, negativeList: [String])
    case mergeNeedsTarget
    case mergeIntoSelf(id: String)
    case mergeTargetClosed(target: String, status: String)
    case unknownStep(step: String, steps: [String])
    case missingRef
    case stepRepeated(step: String, ref: String)
    case stepOutOfOrder(missing: String, step: String)
    case seats(seats: Int)
    case noCandidates
    case candidateRepeated(id: String)
    case notAccepted(id: String, title: String, status: String)
    case stepMissing(missing: String)
    case notContested(candidates: Int, seats: Int)
    case tooFewCandidates(candidates: Int, seats: Int)
    case ratioTooLow(ratio: String, candidates: Int, seats: Int)
    case unknownColumn(file: String, column: String)
    case duplicateColumn(file: String, column: String)
    case missingColumn(file: String, column: String, name: String)
    case noProposals(file: String)
    case unknownStatus(word: String)

    public var plainCaseName: String? {
        switch self {
        case .mergeNeedsTarget: "mergeNeedsTarget"
        case .missingRef: "missingRef"
        case .noCandidates: "noCandidates"
        default: nil
        }
    }

    public var codePrefix: String { "collect" }

    public var exitStatus: Int32 {
        switch self {
        case .alreadyScreened, .mergeTargetClosed, .stepRepeated, .stepOutOfOrder, .notAccepted, .stepMissing, .notContested,
            .tooFewCandidates, .ratioTooLow:
            1
        default: 2
        }
    }

    public var description: String {
        switch self {
        case let .missingField(field, name):
            "缺少必填项“\(name)”(\(field))，请补充后再提交。The required field \(field) is missing."
        case let .unknownCategory(category, categories):
            "类别“\(category)”不在规则文件的类别清单中（\(categories.joined(separator: "、"))）。Unknown category \"\(category)\"."
        case let .unknownChannel(channel, channels):
            "征集渠道“\(channel)”不在规则文件的渠道清单中（\(channels.joined(separator: "、"))）。Unknown channel \"\(channel)\"."
        case let .tooLong(field, length): "\(field) 过长（\(length) 字，上限 4000）。The field is too long."
        case let .unknownProposal(id): "没有编号为 \(id) 的建议项目，请用 `piaojue collect list` 查看编号。No proposal \(id)."
        case let .alreadyScreened(id, status):
            "项目 \(id) 的状态已是“\(ProposalStatus(rawValue: status)?.chinese ?? status)”，不能再作此筛选决定。\(id) is already \(status)."
        case let .reasonNotListed(reason, list):
            "不予采纳的理由“\(reason)”不在负面清单中，请选用：\(list.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "；"))（可写序号；其他说明用 --note）。The reason must come from the negative list."
        case .mergeNeedsTarget: "合并需要指定目标项目 --merge-into。Merging needs --merge-into."
        case let .mergeIntoSelf(id): "项目 \(id) 不能合并到自身。A proposal cannot be merged into itself."
        case let .mergeTargetClosed(target, status):
            "目标项目 \(target) 的状态为“\(ProposalStatus(rawValue: status)?.chinese ?? status)”，不能再并入其他建议。\(target) is \(status) and cannot take a merge."
        case let .unknownStep(step, steps):
            "审批环节“\(step)”不在规则文件中，应为：\(steps.joined(separator: " → "))。Unknown approval step \"\(step)\"."
        case .missingRef: "请用 --ref 写明会议文号或纪要编号。Each approval step needs its meeting reference (--ref)."
        case let .stepRepeated(step, ref): "审批环节“\(step)”已记录过（\(ref)）。The step \"\(step)\" is already recorded for this list."
        case let .stepOutOfOrder(missing, step):
            "必须先完成“\(missing)”，再进行“\(step)”：请先 `piaojue collect approve --step \(missing) --ref 会议文号`。The step \"\(missing)\" must come before \"\(step)\"; record it first."
        case let .seats(seats): "应选数 --seats 必须至少为 1（现为 \(seats)）。Seats must be at least 1."
        case .noCandidates: "请列出候选项目编号。List the candidate ids."
        case let .candidateRepeated(id): "候选项目 \(id) 重复列出。The candidate \(id) is listed twice."
        case let .notAccepted(id, title, status):
            "项目 \(id)（\(title)）的状态为“\(ProposalStatus(rawValue: status)?.chinese ?? status)”，未经筛选采纳，不能列入候选名单。\(id) is \(status), not accepted in screening."
        case let .stepMissing(missing):
            "候选名单缺少审批环节“\(missing)”，不能提请票决；请先 `piaojue collect approve --step \(missing) --ref 会议文号`。The approval step \"\(missing)\" is missing; record it first."
        case let .notContested(candidates, seats):
            "差额票决要求候选项目多于应选数：候选 \(candidates) 个，应选 \(seats) 个。A contested list needs more candidates than seats (\(candidates) for \(seats))."
        case let .tooFewCandidates(candidates, seats):
            "候选项目 \(candidates) 个少于应选数 \(seats) 个。Fewer candidates (\(candidates)) than seats (\(seats))."
        case let .ratioTooLow(ratio, candidates, seats):
            "候选项目与应选数之比低于规则要求的 \(ratio)（\(candidates):\(seats)）。The candidates-to-seats ratio is below \(ratio)."
        case let .unknownColumn(file, column):
            "文件 \(file) 的表头“\(column)”无法识别。可用列名：项目名称、类别、建设内容、实施地点、投资估算、资金来源、责任单位、建议人、征集渠道、完成时限（或 title, category, content, location, budget, funding, unit, proposer, channel, deadline）。Unknown column \"\(column)\"."
        case let .duplicateColumn(file, column): "文件 \(file) 的表头中“\(column)”重复。The column \"\(column)\" appears twice."
        case let .missingColumn(file, column, name): "文件 \(file) 缺少必需的列“\(name)”(\(column))。The column \(column) is missing."
        case let .noProposals(file): "文件 \(file) 只有表头，没有任何建议项目。\(file) holds no proposals."
        case let .unknownStatus(word):
            "状态“\(word)”无法识别，应为 submitted、accepted、rejected、merged、shortlisted、reserve、chosen、not-chosen（或中文）。Unknown status \"\(word)\"."
        }
    }
}
