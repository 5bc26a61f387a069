/// Why a rules file (票决办法 and the other stage rules) cannot be used (exit 2).
public enum RulesFailure: StageRefusal, Equatable {
    case syntax(source: String, line: Int, column: Int, detail: String)
    case unparsable(source: String, detail: String)
    case notFound(path: String)
    case notText(path: String)
    case tooLarge(path: String, bytes: Int, limit: Int)
    case unknownPreset(name: String, directory: String)
    case unknownKey(source: String, key: String, allowed: [String])
    case wrongType(source: String, key: String, expected: String)
    case invalidValue(source: String, key: String, why: String)

    public var codePrefix: String { "rules" }
    public var exitStatus: Int32 { 2 }

    public var description: String {
        switch self {
        case let .syntax(source, line, column, detail):
            "规则文件 \(source) 的 TOML 语法有误（第 \(line) 行第 \(column) 列：\(detail)）。The rules file has a TOML syntax error."
        case let .unparsable(source, detail): "规则文件 \(source) 无法解析：\(detail)。The rules file cannot be parsed."
        case let .notFound(path):
            "找不到规则文件 \(path)。请检查路径，或用预设名（default、equal-slate、rank-only、e-voter）。Rules file \(path) not found."
        case let .notText(path): "规则文件 \(path) 不是 UTF-8 文本。The rules file is not UTF-8 text."
        case let .tooLarge(path, bytes, limit):
            "规则文件 \(path) 过大（\(bytes) 字节，上限 \(limit)），不是规则文件。The rules file \(path) is too large."
        case let .unknownPreset(name, directory):
            "找不到规则文件或预设“\(name)”（在 \(directory)/rules/ 中也没有）。Rules \"\(name)\" not found."
        case let .unknownKey(source, key, allowed):
            "规则文件 \(source) 中有未知的键 \(key)，可用的键：\(allowed.joined(separator: ", "))。Unknown key \(key)."
        case let .wrongType(source, key, expected): "规则文件 \(source) 中 \(key) \(expected)"
        case let .invalidValue(source, key, why): "规则文件 \(source) 中 \(key) \(why)"
        }
    }
}

extension Rules {
    /// Checks every value against its definition: what a rules file may say, and what a frozen
    /// `ballot.open` / `evaluate.open` may carry. `source` names the file in messages.
    public func validate(source: String) throws(RulesFailure) {
        func invalid(_ key: String, _ why: String) -> RulesFailure { .invalidValue(source: source, key: key, why: why) }
        guard !name.trimmingSpaces().isEmpty else { throw invalid("name", "不能为空。name must not be empty.") }
        guard !collection.categories.isEmpty else { throw invalid("collection.categories", "不能为空。must list at least one category.") }
        guard !collection.negativeList.isEmpty else { throw invalid("collection.negative_list", "不能为空。must list at least one reason.") }
        if let ratio = collection.minimumRatio, ratio.numerator < ratio.denominator {
            throw invalid("collection.minimum_ratio", "的值 \(ratio) 小于 1，候选数不会少于应选数。must be at least 1.")
        }
        try ballot.validate(source: source)
        try evaluation.validate(source: source)
        guard (1...366).contains(implementation.planDeadlineDays) else {
            throw invalid(
                "implementation.plan_deadline_days",
                "的值 \(implementation.planDeadlineDays) 无效，应在 1 到 366 之间。plan_deadline_days = \(implementation.planDeadlineDays) is impossible.")
        }
    }
}

extension BallotRules {
    /// Checks the voting rules: a quorum no count can reach, an impossible round limit or a budget
    /// cap of nothing are refused.
    public func validate(source: String) throws(RulesFailure) {
        func invalid(_ key: String, _ why: String) -> RulesFailure { .invalidValue(source: source, key: key, why: why) }
        guard quorum.numerator > 0, quorum.numerator <= quorum.denominator else {
            throw invalid("ballot.quorum", "的值 \(quorum) 无效，应在 0 与 1 之间。quorum = \(quorum) is impossible.")
        }
        guard (1...10).contains(maxRounds) else {
            throw invalid("ballot.max_rounds", "的值 \(maxRounds) 无效，应在 1 到 10 之间。max_rounds = \(maxRounds) is impossible (1…10).")
        }
        if let budgetCap, budgetCap <= 0 || budgetCap > Money.maximum {
            throw invalid("ballot.budget_cap", "必须大于 0。budget_cap must be more than 0.")
        }
    }
}

extension EvaluationRules {
    /// Checks the rating rules.
    public func validate(source: String) throws(RulesFailure) {
        if let rate = rectifyBelowRate, rate.numerator <= 0 || rate.numerator > rate.denominator {
            throw .invalidValue(
                source: source, key: "evaluation.rectify_below_rate",
                why: "的值 \(rate) 大于 1 或不大于 0，不可能达到。rectify_below_rate = \(rate) is impossible.")
        }
    }
}
