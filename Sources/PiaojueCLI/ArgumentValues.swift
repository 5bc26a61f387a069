import ArgumentParser
import PiaojueDomain
import PiaojueServices

/// How one kind of option value is read: the domain's own parser, so every value is parsed once,
/// in one place, and a bad value fails with the domain's sentence and code.
protocol ValueParsing {
    associatedtype Value
    static func parse(_ text: String) throws -> Value
}

/// An option value checked by `P` when the arguments are parsed. A bad value does not stop the
/// parser with a generic message: it is kept and thrown, with its code, when the command reads it.
struct Checked<P: ValueParsing>: ExpressibleByArgument {
    let text: String
    let result: Result<P.Value, any Error>

    init?(argument: String) {
        text = argument
        result = Result { try P.parse(argument) }
    }

    init(text: String, result: Result<P.Value, any Error>) {
        self.text = text
        self.result = result
    }

    /// The parsed value, or the parser's error.
    func get() throws -> P.Value { try result.get() }

    /// Shown as the default in help: the text as given.
    var defaultValueDescription: String { text }
}

/// Amounts: `1200000`, `1,200,000元`, `120万`, `6513.3万元` → whole 元.
enum AmountParsing: ValueParsing {
    static func parse(_ text: String) throws -> Int64 { try Money.parse(text) }
}

/// Deadlines and dates: `2025-12-31`, `2025-12`, `2025年12月底`.
enum DeadlineParsing: ValueParsing {
    static func parse(_ text: String) throws -> Day { try Day(deadline: text) }
}

/// `--level township|county|city` (乡镇 / 县 / 市).
enum LevelParsing: ValueParsing {
    static func parse(_ text: String) throws -> BodyLevel {
        guard let level = BodyLevel(word: text) else { throw InputFailure.level(word: text) }
        return level
    }
}

/// `--encoding utf-8|gb18030`.
enum EncodingParsing: ValueParsing {
    static func parse(_ text: String) throws -> TextEncodingChoice {
        guard let choice = TextEncodingChoice(word: text) else { throw InputFailure.encoding(word: text) }
        return choice
    }
}

/// `--percent 45` or `45%`.
enum PercentParsing: ValueParsing {
    static func parse(_ text: String) throws -> Int { try ImplementationInput.percent(text) }
}

/// `--milestone DATE:TEXT`.
enum MilestoneParsing: ValueParsing {
    static func parse(_ text: String) throws -> ImplementationInput.Draft { try ImplementationInput.milestone(text) }
}

/// `--kind suspend|terminate|major-change|resume`.
enum AdjustmentParsing: ValueParsing {
    static func parse(_ text: String) throws -> AdjustmentKind { try AdjustmentKind(word: text) }
}

/// `--status submitted|…|reserve|…` in English or Chinese.
enum StatusParsing: ValueParsing {
    static func parse(_ text: String) throws -> ProposalStatus {
        guard let status = ProposalStatus(word: text) else { throw CollectionRefusal.unknownStatus(word: text) }
        return status
    }
}

/// What kind of id an option or argument holds: named in the message when it is refused.
protocol IDKind {
    static var field: String { get }
}

enum SessionKind: IDKind { static let field = "会期编号 session" }
enum ProposalKind: IDKind { static let field = "项目编号 proposal id" }
enum ProjectKind: IDKind { static let field = "项目编号 project id" }
enum ListKind: IDKind { static let field = "候选名单编号 list id" }
enum ProblemKind: IDKind { static let field = "问题编号 problem id" }
enum MilestoneKind: IDKind { static let field = "时间节点编号 milestone id" }

/// One id (`S1`, `P3`, `Q2` …): NFKC-normalised, so `Ｓ１` is `S1`; refused when it holds an
/// invisible or control character or a space (``CleanText/id(_:field:)``).
enum IDParsing<Kind: IDKind>: ValueParsing {
    static func parse(_ text: String) throws -> String { try CleanText.id(text, field: Kind.field) }
}

/// A list of ids (`P1,P2`, `P1 P2`, `P1；P2`), each checked like ``IDParsing``.
enum IDListParsing<Kind: IDKind>: ValueParsing {
    static func parse(_ text: String) throws -> [String] { try IDList.parse(text, field: Kind.field) }
}

typealias SessionID = Checked<IDParsing<SessionKind>>
typealias ProposalID = Checked<IDParsing<ProposalKind>>
typealias ProjectID = Checked<IDParsing<ProjectKind>>
typealias ListID = Checked<IDParsing<ListKind>>
typealias ProblemID = Checked<IDParsing<ProblemKind>>
typealias ProposalIDs = Checked<IDListParsing<ProposalKind>>
typealias ProjectIDs = Checked<IDListParsing<ProjectKind>>
typealias MilestoneIDs = Checked<IDListParsing<MilestoneKind>>

typealias Amount = Checked<AmountParsing>
typealias Deadline = Checked<DeadlineParsing>
typealias Level = Checked<LevelParsing>
typealias Encoding = Checked<EncodingParsing>
typealias Percent = Checked<PercentParsing>
typealias MilestoneValue = Checked<MilestoneParsing>
typealias AdjustmentValue = Checked<AdjustmentParsing>
typealias StatusValue = Checked<StatusParsing>

extension Optional {
    /// The checked value inside, if any (`try budget.value()` for an optional `Checked`).
    func value<P>() throws -> P.Value? where Wrapped == Checked<P> {
        try self?.get()
    }
}

extension Array {
    /// Every checked value, the first bad one thrown.
    func values<P>() throws -> [P.Value] where Element == Checked<P> {
        try map { try $0.get() }
    }
}

extension Array {
    /// The ids of every checked list, in order, the first bad one thrown.
    func ids<Kind>() throws -> [String] where Element == Checked<IDListParsing<Kind>> {
        try values().flatMap { $0 }
    }
}

extension Optional where Wrapped == Encoding {
    /// The default `--encoding`: UTF-8 (the parser always accepts it).
    var orUTF8: Encoding {
        self ?? Encoding(text: "utf-8", result: .success(.utf8))
    }
}
