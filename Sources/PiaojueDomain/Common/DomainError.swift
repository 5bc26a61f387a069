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

    /// The value named `name`, if any.
    public subscript(name: String) -> ErrorValue? {
        pairs.first { $0.name == name }?.value
    }

    public static func == (lhs: ErrorDetails, rhs: ErrorDetails) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// A rule of the rules refused the action (exit status 1).
public struct RuleRefusal: ClerkFacingError, Equatable {
    public let code: String
    public let description: String
    public var exitStatus: Int32 { 1 }

    public init(_ description: String, code: String = "rule.refused") {
        self.description = description
        self.code = code
    }
}

/// The input is malformed or names something that does not exist (exit status 2).
public struct InputError: ClerkFacingError, Equatable {
    public let code: String
    public let description: String
    public var exitStatus: Int32 { 2 }

    public init(_ description: String, code: String = "input.invalid") {
        self.description = description
        self.code = code
    }
}
