/// An error meant for the person at the terminal: one sentence, Chinese first, naming the value.
///
/// `exitStatus` is 1 when a rule refused the action and 2 when the input itself was bad, as the
/// command line documents.
public protocol ClerkFacingError: Error, Sendable, CustomStringConvertible {
    /// 1: refused by a rule or failed verification; 2: bad usage or bad input.
    var exitStatus: Int32 { get }
}

/// A rule of RULES.md refused the action (exit status 1).
public struct RuleRefusal: ClerkFacingError, Equatable {
    public let description: String
    public var exitStatus: Int32 { 1 }

    public init(_ description: String) { self.description = description }
}

/// The input is malformed or names something that does not exist (exit status 2).
public struct InputError: ClerkFacingError, Equatable {
    public let description: String
    public var exitStatus: Int32 { 2 }

    public init(_ description: String) { self.description = description }
}
