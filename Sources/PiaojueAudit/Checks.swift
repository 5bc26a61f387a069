import PiaojueLedger

/// One numbered check of `audit verify`: a name and a one-line result.
public struct Check: Codable, Sendable, Equatable {
    public let id: Int
    public let name: String
    public let ok: Bool
    public let detail: String

    public init(id: Int, name: String, ok: Bool, detail: String) {
        self.id = id
        self.name = name
        self.ok = ok
        self.detail = detail
    }
}

/// The result of a verification: every check in order.
public struct VerificationReport: Codable, Sendable {
    public let ok: Bool
    public let checks: [Check]
    /// The raw bytes of the body key the verification trusted (nil when there was none to trust).
    public let trustedKey: [UInt8]?
    /// Whether that key was pinned by `--trusted-key` rather than taken from the bundle or ledger.
    public let trustPinned: Bool

    public init(checks: [Check], trustedKey: [UInt8]? = nil, trustPinned: Bool = false) {
        self.checks = checks
        self.ok = !checks.isEmpty && checks.allSatisfy(\.ok)
        self.trustedKey = trustedKey
        self.trustPinned = trustPinned
    }

    /// The first failing check, if any.
    public var firstFailure: Check? { checks.first { !$0.ok } }
}

/// Accumulates the outcome of one check over a stream: how many items passed, the first failure.
struct CheckTally {
    let name: String
    var checked = 0
    var failures = 0
    var firstFailure: String?
    var skippedReason: String?

    init(_ name: String) { self.name = name }

    mutating func pass() { checked += 1 }

    mutating func fail(_ detail: @autoclosure () -> String) {
        checked += 1
        failures += 1
        if firstFailure == nil { firstFailure = detail() }
    }

    func check(id: Int, passDetail: String) -> Check {
        if let skippedReason { return Check(id: id, name: name, ok: false, detail: skippedReason) }
        if let firstFailure {
            let more = failures > 1 ? "（另有 \(failures - 1) 处 / and \(failures - 1) more）" : ""
            return Check(id: id, name: name, ok: false, detail: firstFailure + more)
        }
        return Check(id: id, name: name, ok: true, detail: passDetail)
    }
}

/// Where an entry is, as findings name it ("第 12 条（session.cast）/ entry 12"); spelled out only
/// when a finding is written, not for every entry that passes.
struct EntryPlace: CustomStringConvertible {
    let index: Int
    let kind: String

    init(_ fields: EntryFields) {
        index = fields.index
        kind = fields.kind
    }

    var description: String { "第 \(index) 条（\(kind)）/ entry \(index)" }
}
