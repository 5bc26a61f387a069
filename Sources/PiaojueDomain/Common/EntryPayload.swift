/// A ledger entry's payload: a `Codable` struct with the entry kind it is written under.
public protocol EntryPayload: Codable, Sendable {
    /// The entry kind, e.g. `collect.submit`.
    static var kind: String { get }
}
