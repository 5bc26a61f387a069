import Foundation
public import PiaojueDomain
import TOMLKit

/// Reads `Config/rules/*.toml` into ``Rules``: every key known, every value checked, each error one
/// sentence naming the file, the key and the value.
public enum RulesLoader {
    /// Parses rules from TOML text; `source` names the file in messages.
    public static func parse(_ text: String, source: String) throws(RulesFailure) -> Rules {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw .syntax(source: source, line: error.source.begin.line, column: error.source.begin.column, detail: error.description)
        } catch {
            throw .unparsable(source: source, detail: "\(error)")
        }
        var reader = Reader(source: source)
        let rules = try reader.rules(table)
        try rules.validate(source: source)
        return rules
    }

    /// The largest rules file read: the presets are a few kilobytes.
    public static let maximumBytes = 1024 * 1024

    /// Loads the rules file at `path` (its size checked before it is read).
    public static func load(path: String) throws(RulesFailure) -> Rules {
        let bytes: [UInt8]
        do { bytes = try FileInput.read(path, limit: maximumBytes) } catch {
            if case let .tooLarge(_, size, limit) = error { throw .tooLarge(path: path, bytes: size, limit: limit) }
            throw .notFound(path: path)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .notText(path: path)
        }
        return try parse(text, source: path)
    }

    /// The built-in default preset.
    public static var builtinDefault: Rules {
        // The built-in text is tested to parse; a failure here would be a build defect.
        (try? parse(BuiltinRules.defaultTOML, source: "built-in default.toml")) ?? .standard
    }

    /// The text of the built-in default preset.
    public static var builtinDefaultText: String { BuiltinRules.defaultTOML }

    /// Resolves `--rules`: an existing file path, or a preset name looked up in `<config>/rules/`.
    /// Without `--rules`: `<config>/rules/default.toml` if present, else the built-in default.
    public static func resolve(_ argument: String?, configDirectory: String) throws(RulesFailure) -> Rules {
        guard let argument else {
            let path = configDirectory + "/rules/default.toml"
            return FileManager.default.fileExists(atPath: path) ? try load(path: path) : builtinDefault
        }
        if FileManager.default.fileExists(atPath: argument) { return try load(path: argument) }
        let name = argument.hasSuffix(".toml") ? String(argument.dropLast(5)) : argument
        if !name.contains("/") {
            let preset = configDirectory + "/rules/\(name).toml"
            if FileManager.default.fileExists(atPath: preset) { return try load(path: preset) }
            if name == "default" { return builtinDefault }
        }
        throw .unknownPreset(name: argument, directory: configDirectory)
    }
}

/// Walks the TOML tables, tracking the key path for messages.
private struct Reader {
    let source: String

    func fail(_ key: String, _ why: String) -> RulesFailure { .wrongType(source: source, key: key, expected: why) }

    func checkKeys(_ table: TOMLTable, allowed: [String], prefix: String) throws(RulesFailure) {
        for key in table.keys where !allowed.contains(key) {
            throw .unknownKey(source: source, key: prefix + key, allowed: allowed)
        }
    }

    func table(_ parent: TOMLTable, _ key: String) throws(RulesFailure) -> TOMLTable? {
        guard let value = parent[key] else { return nil }
        guard let table = value.table else { throw fail(key, "应为表 [\(key)]。\(key) must be a table.") }
        return table
    }

    func string(_ t: TOMLTable?, _ key: String, _ path: String, multiline: Bool = false) throws(RulesFailure) -> String? {
        guard let value = t?[key] else { return nil }
        guard let text = value.string else { throw fail(path, "应为字符串（写在引号中）。\(path) must be a string.") }
        return try clean(text, path, multiline: multiline)
    }

    /// A text of the rules file checked like any free text (no control character).
    func clean(_ text: String, _ path: String, multiline: Bool = false) throws(RulesFailure) -> String {
        do { return try CleanText.text(text, field: path, multiline: multiline) } catch {
            throw .invalidValue(source: source, key: path, why: "：" + error.description)
        }
    }

    func bool(_ t: TOMLTable?, _ key: String, _ path: String) throws(RulesFailure) -> Bool? {
        guard let value = t?[key] else { return nil }
        guard value.type == .bool, let flag = value.bool else { throw fail(path, "应为 true 或 false。\(path) must be true or false.") }
        return flag
    }

    func int(_ t: TOMLTable?, _ key: String, _ path: String) throws(RulesFailure) -> Int? {
        guard let value = t?[key] else { return nil }
        guard value.type == .int, let number = value.int else { throw fail(path, "应为整数。\(path) must be a whole number.") }
        return number
    }

    func strings(_ t: TOMLTable?, _ key: String, _ path: String) throws(RulesFailure) -> [String]? {
        guard let value = t?[key] else { return nil }
        guard let array = value.array else { throw fail(path, "应为字符串列表。\(path) must be a list of strings.") }
        var result: [String] = []
        for item in array {
            guard let text = item.string, !text.trimmingSpaces().isEmpty else {
                throw fail(path, "的每一项都应为非空字符串。Every item of \(path) must be a non-empty string.")
            }
            let cleaned = try clean(text, path)
            guard !result.contains(cleaned) else { throw fail(path, "中“\(text)”重复。\"\(text)\" appears twice in \(path).") }
            result.append(cleaned)
        }
        return result
    }

    func ratio(_ t: TOMLTable?, _ key: String, _ path: String) throws(RulesFailure) -> Ratio? {
        guard let value = t?[key] else { return nil }
        let shown: String
        switch value.type {
        case .double: shown = value.double.map { String($0) } ?? "?"
        case .int: shown = value.int.map { String($0) } ?? "?"
        default: shown = value.string ?? "?"
        }
        guard value.type == .string, let text = value.string, let ratio = Ratio(parsing: text), ratio.numerator > 0 else {
            throw fail(path, "的值 \(shown) 无效，应写成分数字符串，如 \"2/3\"。\(path) = \(shown) is impossible; write a fraction such as \"2/3\".")
        }
        return ratio
    }

    func choice<T: RawRepresentable>(_ t: TOMLTable?, _ key: String, _ path: String, _ type: T.Type, _ allowed: [String]) throws(RulesFailure) -> T?
    where T.RawValue == String {
        guard let text = try string(t, key, path) else { return nil }
        guard let value = T(rawValue: text) else {
            throw fail(path, "的值“\(text)”无效，可选：\(allowed.joined(separator: ", "))。\(path) = \"\(text)\" is not one of \(allowed.joined(separator: ", ")).")
        }
        return value
    }

    mutating func rules(_ root: TOMLTable) throws(RulesFailure) -> Rules {
        try checkKeys(root, allowed: ["name", "description", "collection", "ballot", "evaluation", "implementation"], prefix: "")
        var rules = Rules.standard
        if let name = try string(root, "name", "name") { rules.name = name }
        _ = try string(root, "description", "description", multiline: true)

        let c = try table(root, "collection")
        if let c {
            try checkKeys(c, allowed: ["categories", "required_fields", "channels", "negative_list", "approval_steps", "margin", "minimum_ratio"], prefix: "collection.")
        }
        if let categories = try strings(c, "categories", "collection.categories") { rules.collection.categories = categories }
        if let fields = try strings(c, "required_fields", "collection.required_fields") {
            var parsed: [ProposalField] = []
            for field in fields {
                guard let known = ProposalField(rawValue: field) else {
                    throw fail("collection.required_fields", "中的“\(field)”不是字段名，可选：\(ProposalField.allCases.map(\.rawValue).joined(separator: ", "))。Unknown field \"\(field)\".")
                }
                parsed.append(known)
            }
            rules.collection.requiredFields = parsed
        }
        if let channels = try strings(c, "channels", "collection.channels") { rules.collection.channels = channels }
        if let reasons = try strings(c, "negative_list", "collection.negative_list") { rules.collection.negativeList = reasons }
        if let steps = try strings(c, "approval_steps", "collection.approval_steps") { rules.collection.approvalSteps = steps }
        if let margin = try choice(c, "margin", "collection.margin", Margin.self, ["contested", "equal-allowed"]) {
            rules.collection.margin = margin
        }
        if let ratio = try ratio(c, "minimum_ratio", "collection.minimum_ratio") { rules.collection.minimumRatio = ratio }

        let b = try table(root, "ballot")
        if let b {
            try checkKeys(b, allowed: ["form", "quorum", "threshold_base", "threshold_strict", "overmark_voids_ballot", "excess_returned_voids_round", "tie_policy", "max_rounds", "shortfall", "budget_cap"], prefix: "ballot.")
        }
        if let form = try choice(b, "form", "ballot.form", BallotForm.self, ["approve-oppose-abstain", "approve-only", "e-voter"]) {
            rules.ballot.form = form
        }
        if let quorum = try ratio(b, "quorum", "ballot.quorum") { rules.ballot.quorum = quorum }
        if let base = try choice(b, "threshold_base", "ballot.threshold_base", ThresholdBase.self, ["seated", "present", "valid", "none"]) {
            rules.ballot.thresholdBase = base
        }
        if let strict = try bool(b, "threshold_strict", "ballot.threshold_strict") { rules.ballot.thresholdStrict = strict }
        if let flag = try bool(b, "overmark_voids_ballot", "ballot.overmark_voids_ballot") { rules.ballot.overmarkVoidsBallot = flag }
        if let flag = try bool(b, "excess_returned_voids_round", "ballot.excess_returned_voids_round") {
            rules.ballot.excessReturnedVoidsRound = flag
        }
        if let tie = try choice(b, "tie_policy", "ballot.tie_policy", TiePolicy.self, ["runoff"]) { rules.ballot.tiePolicy = tie }
        if let rounds = try int(b, "max_rounds", "ballot.max_rounds") { rules.ballot.maxRounds = rounds }
        if let shortfall = try choice(b, "shortfall", "ballot.shortfall", ShortfallPolicy.self, ["leave-vacant", "revote-remaining"]) {
            rules.ballot.shortfall = shortfall
        }
        if let value = b?["budget_cap"] {
            let text: String
            if value.type == .int, let number = value.int { text = String(number) }
            else if value.type == .string, let string = value.string { text = string }
            else { throw fail("ballot.budget_cap", "应为金额，如 \"5000万\"。budget_cap must be an amount such as \"5000万\".") }
            let amount: Int64
            do { amount = try Money.parse(text) } catch { throw fail("ballot.budget_cap", "的值无效：\(error.description)") }
            rules.ballot.budgetCap = amount
        }

        let e = try table(root, "evaluation")
        if let e { try checkKeys(e, allowed: ["base", "strict", "rectify_class", "rectify_below_rate"], prefix: "evaluation.") }
        if let base = try choice(e, "base", "evaluation.base", RatingBase.self, ["seated", "present", "valid"]) {
            rules.evaluation.base = base
        }
        if let strict = try bool(e, "strict", "evaluation.strict") { rules.evaluation.strict = strict }
        if let rectify = try choice(e, "rectify_class", "evaluation.rectify_class", RatingClass.self, ["满意", "基本满意", "不满意"]) {
            rules.evaluation.rectifyClass = rectify
        }
        if let rate = try ratio(e, "rectify_below_rate", "evaluation.rectify_below_rate") {
            rules.evaluation.rectifyBelowRate = rate
        }

        let i = try table(root, "implementation")
        if let i { try checkKeys(i, allowed: ["plan_deadline_days"], prefix: "implementation.") }
        if let days = try int(i, "plan_deadline_days", "implementation.plan_deadline_days") {
            rules.implementation.planDeadlineDays = days
        }
        return rules
    }
}
