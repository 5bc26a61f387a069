/// An error meant for the person at the terminal: one sentence, Chinese first, naming the value.
///
/// Every such error has a stable dotted `code` (`ballot.no-quorum`, `input.amount`), which scripts,
/// the `--json` error object and the HTTP API carry unchanged from version to version; the sentence
/// (`description`) may be reworded. `exitStatus` is 1 when a rule refused the action and 2 when the
/// input itself was bad, as the command line documents. `details` names the values the sentence
/// names (`present`, `needed` …), for scripts.
public protocol ClerkFacingError: Error, Sendable, CustomStringConvertible {
    /// The stable dotted code: `<stage>.<reason>`, lowercase, words joined by `-`.
    var code: String { get }
    /// 1: refused by a rule or failed verification; 2: bad usage or bad input.
    var exitStatus: Int32 { get }
    /// The values the message names, by name (may be empty).
    var details: ErrorDetails { get }
}

extension ClerkFacingError {
    public var details: ErrorDetails { ErrorDetails() }
}

/// An enum of refusals of one stage: each case's code is `<codePrefix>.<case name in kebab-case>`
/// (`SessionRefusal.noQuorum` → `ballot.no-quorum`) and its details are the case's labelled
/// associated values. Renaming a case changes its code, which `docs/cli.md` lists and a test pins.
public protocol StageRefusal: ClerkFacingError {
    /// The stage part of every code: `collect`, `ballot`, `implement` …
    var codePrefix: String { get }
    /// The name of a case without associated values (reflection cannot read it past
    /// `description`); nil for cases with values.
    var plainCaseName: String? { get }
}

extension StageRefusal {
    public var code: String { codePrefix + "." + ErrorReflection.kebabCase(plainCaseName ?? ErrorReflection.caseName(of: self)) }
    public var details: ErrorDetails { ErrorReflection.details(of: self) }
    public var plainCaseName: String? { nil }
}

/// Reads an error enum's case name and associated values, so that codes and details need not be
/// written out by hand for every case.
public enum ErrorReflection {
    /// The case name of an enum value (`noQuorum`), or the type's name for anything else.
    public static func caseName(of value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .enum, let label = mirror.children.first?.label { return label }
        return String(describing: type(of: value))
    }

    /// The case name of `value` in kebab-case (see ``kebabCase(_:)``).
    public static func kebabCaseName(of value: Any) -> String { kebabCase(caseName(of: value)) }

    /// `noQuorum` → `no-quorum`, `notUTF8` → `not-utf8`, `badID` → `bad-id`,
    /// `declaredGB18030ButUTF8` → `declared-gb18030-but-utf8`: a word starts at an upper-case
    /// letter after a lower-case letter or a digit, or at the last capital of a run followed by a
    /// lower-case letter.
    public static func kebabCase(_ name: String) -> String {
        let characters = Array(name)
        var out = ""
        for (n, character) in characters.enumerated() {
            if character.isUppercase, n > 0 {
                let previous = characters[n - 1]
                let next = n + 1 < characters.count ? characters[n + 1] : nil
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) {
                    out.append("-")
                }
            }
            out.append(contentsOf: character.lowercased())
        }
        return out
    }

    /// The labelled associated values of an enum case, as error details (unlabelled, nested and
    /// non-textual values are left out).
    public static func details(of value: Any) -> ErrorDetails {
        var details = ErrorDetails()
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .enum, let payload = mirror.children.first else { return details }
        let inner = Mirror(reflecting: payload.value)
        if inner.displayStyle == .tuple {
            for child in inner.children {
                guard let label = child.label, !label.hasPrefix("."), let converted = convert(child.value) else { continue }
                details.append(label, converted)
            }
        } else if let converted = convert(payload.value), let label = payload.label {
            details.append(label, converted)
        }
        return details
    }

    static func convert(_ value: Any) -> ErrorValue? {
        switch value {
        case let text as String: return .text(text)
        case let number as Int: return .number(number)
        case let number as Int64: return .number(Int(number))
        case let number as Int32: return .number(Int(number))
        case let flag as Bool: return .flag(flag)
        case let texts as [String]: return .texts(texts)
        case let nested as any ClerkFacingError: return .text(nested.code)
        default:
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                guard let wrapped = mirror.children.first?.value else { return nil }
                return convert(wrapped)
            }
            if mirror.displayStyle == .enum || mirror.displayStyle == .struct, let described = value as? any CustomStringConvertible {
                return .text(described.description)
            }
            return nil
        }
    }
}

/// One named value carried by an error: text, a whole number, a flag or a list of texts.
public enum ErrorValue: Sendable, Equatable, Encodable {
    case text(String)
    case number(Int)
    case flag(Bool)
    case texts([String])

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .text(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .flag(value): try container.encode(value)
        case let .texts(value): try container.encode(value)
        }
    }
}

/// The named values of an error, in the order given.
public struct ErrorDetails: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    public private(set) var pairs: [(name: String, value: ErrorValue)]

    public init() { pairs = [] }

    public init(dictionaryLiteral elements: (String, ErrorValue)...) {
        pairs = elements.map { (name: $0.0, value: $0.1) }
    }

    /// Adds `value` under `name` (a later value of the same name replaces an earlier one).
    public mutating func append(_ name: String, _ value: ErrorValue) {
        if let existing = pairs.firstIndex(where: { $0.name == name }) {
            pairs[existing].value = value
        } else {
            pairs.append((name, value))
        }
    }

    /// The value named `name`, if any.
    public subscript(name: String) -> ErrorValue? {
        pairs.first { $0.name == name }?.value
    }

    public static func == (lhs: ErrorDetails, rhs: ErrorDetails) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// Bad values typed by a clerk that every stage parses the same way: amounts, dates, percentages,
/// milestones, ids and free text (see ``CleanText``) (exit status 2).
public enum InputFailure: StageRefusal, Equatable {
    case amount(text: String, why: String)
    case date(text: String)
    case impossibleDate(text: String, year: Int, month: Int, day: Int)
    case deadline(text: String)
    case impossibleDeadline(text: String, year: Int, month: Int, day: Int)
    case percent(text: String)
    case percentRange(percent: Int)
    case milestoneForm(text: String)
    case milestoneDate(text: String, why: String)
    case milestoneText(text: String)
    case milestoneTooLong(text: String, length: Int)
    case adjustmentKind(word: String)
    case level(word: String)
    case encoding(word: String)
    case invisibleInID(field: String, id: String, character: String)
    case spaceInID(field: String, id: String, character: String)
    case idTooLong(field: String, start: String, length: Int, limit: Int)
    case controlCharacter(field: String, text: String, character: String)
    case lineBreak(field: String, text: String)
    case bareCarriageReturn(field: String, text: String)

    public var codePrefix: String { "input" }
    public var exitStatus: Int32 { 2 }

    public var description: String {
        switch self {
        case let .amount(text, why):
            "金额“\(text)”无法识别：\(why)。请写成 1200000、1,200,000元、120万 或 6513.3万元。Amount \"\(text)\" is not understood."
        case let .date(text):
            "日期“\(text)”格式不对，应写成 YYYY-MM-DD（例如 2025-06-30）。Date \"\(text)\" is not YYYY-MM-DD."
        case let .impossibleDate(text, y, m, d):
            "日期“\(text)”不存在（\(y) 年 \(m) 月没有 \(d) 日）。Date \"\(text)\" does not exist."
        case let .deadline(text):
            "完成时限“\(text)”无法识别，请写成 2025-12-31、2025-12 或 2025年12月底。Deadline \"\(text)\" is not a date."
        case let .impossibleDeadline(text, y, m, d):
            "完成时限“\(text)”不存在（\(y) 年 \(m) 月没有 \(d) 日）。Deadline \"\(text)\" does not exist."
        case let .percent(text):
            "完成进度“\(text)”应为 0 到 100 的整数（可带 %）。Percent \"\(text)\" must be a whole number from 0 to 100."
        case let .percentRange(percent):
            "完成进度 \(percent)% 超出范围，应在 0 到 100 之间。Percent \(percent) is outside 0–100."
        case let .milestoneForm(text):
            "时间节点“\(text)”应写成 日期:内容，例如 2025-06-30:主体完工。Milestone \"\(text)\" must be DATE:TEXT."
        case let .milestoneDate(text, why):
            "时间节点“\(text)”的日期无法识别：\(why)"
        case let .milestoneText(text):
            "时间节点“\(text)”缺少内容，应写成 日期:内容。Milestone \"\(text)\" has no text."
        case let .milestoneTooLong(text, length):
            "时间节点“\(text)”的内容过长（\(length) 字，上限 500）。Milestone text is too long."
        case let .adjustmentKind(word):
            "调整类型“\(word)”无法识别，应为 suspend（暂缓）、terminate（终止）、major-change（重大调整）或 resume（恢复）。Unknown adjustment kind \"\(word)\"."
        case let .level(word):
            "级别 --level “\(word)” 无效，应为 township、county 或 city（乡镇、县、市）。Unknown --level \"\(word)\"."
        case let .encoding(word):
            "文件编码 --encoding “\(word)” 无效，应为 utf-8 或 gb18030。Unknown --encoding \"\(word)\"."
        case let .invisibleInID(field, id, character):
            "\(field)“\(id)”含有不可见字符或控制字符 \(character)（常见于从网页、Word 或聊天软件复制的文字），请删去后重新输入。The \(field) \"\(id)\" holds the invisible character \(character); retype it."
        case let .spaceInID(field, id, character):
            "\(field)“\(id)”中间含有空格 \(character)，编号不能含空格。The \(field) \"\(id)\" holds a space (\(character))."
        case let .idTooLong(field, start, length, limit):
            "\(field)“\(start)…”过长（\(length) 字，编号至多 \(limit) 字），请核对。The \(field) starting \"\(start)\" is \(length) characters long; an id has at most \(limit)."
        case let .controlCharacter(field, text, character):
            "\(field)“\(text)”含有控制字符 \(character)（例如终端转义序列），不予记录；请删去后重新输入。The \(field) holds the control character \(character)."
        case let .lineBreak(field, text):
            "\(field)“\(text)”含有换行，此项只能写成一行。The \(field) must be a single line."
        case let .bareCarriageReturn(field, text):
            "\(field)“\(text)”含有单独的回车符 U+000D（在终端上会覆盖已显示的文字），不予记录。The \(field) holds a carriage return that ends no line."
        }
    }
}

/// An error met at one place of an input file: the file, the line (as the file counts them, the
/// header being line 1) and, for spreadsheets, the column. Its code and exit status are those of
/// the underlying error; its sentence names the place first.
public struct LocatedFailure: ClerkFacingError {
    public let file: String
    public let line: Int
    /// The column as the spreadsheet shows it (`D`), or a field name, when known.
    public let column: String?
    public let underlying: any ClerkFacingError
    /// What happens to the file: by default nothing of it is recorded.
    public let consequence: String
    /// The worksheet, when the file is an .xlsx workbook: `line` is then the row number Excel shows
    /// and `column` the column's letters (`D`).
    public let sheet: String?

    public init(file: String, line: Int, column: String? = nil, underlying: any ClerkFacingError,
                consequence: String = "", sheet: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.underlying = underlying
        self.consequence = consequence
        self.sheet = sheet
    }

    public var code: String { underlying.code }
    public var exitStatus: Int32 { underlying.exitStatus }

    public var details: ErrorDetails {
        var details = underlying.details
        details.append("file", .text(file))
        if let sheet { details.append("sheet", .text(sheet)) }
        details.append("line", .number(line))
        if let column { details.append("column", .text(column)) }
        return details
    }

    public var description: String {
        let place: String
        if let sheet {
            place = "工作簿 \(file) 工作表“\(sheet)”第 \(line) 行" + (column.map { " \($0) 列：" } ?? "：")
        } else {
            place = column.map { "文件 \(file) 第 \(line) 行“\($0)”列：" } ?? "文件 \(file) 第 \(line) 行："
        }
        return place + underlying.description + consequence
    }
}
