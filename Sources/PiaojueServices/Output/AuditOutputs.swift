import PiaojueCrypto

/// `audit publish`.
public struct PublishOutput: Codable, Sendable, Equatable {
    public let dir: String
    public let size: Int
    /// The Merkle root of the published checkpoint, lowercase hex.
    public let root: String
    public let session: String

    public init(dir: String, size: Int, root: String, session: String) {
        self.dir = dir
        self.size = size
        self.root = root
        self.session = session
    }
}

/// One numbered check of `audit verify`.
public struct CheckOutput: Codable, Sendable, Equatable {
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

/// `audit verify`: every check in order; `ok` only when all pass.
public struct VerificationOutput: Codable, Sendable, Equatable {
    public let ok: Bool
    public let checks: [CheckOutput]
    /// The body key the verification trusted: base64 of its raw bytes and its SHA-256 fingerprint,
    /// and whether it was pinned by `--trusted-key` or taken from the bundle or ledger itself.
    public let trustedKey: String?
    public let trustedKeyFingerprint: String?
    public let trustPinned: Bool

    public init(checks: [CheckOutput], trustedKey: String? = nil, trustedKeyFingerprint: String? = nil, trustPinned: Bool = false) {
        self.checks = checks
        self.ok = !checks.isEmpty && checks.allSatisfy(\.ok)
        self.trustedKey = trustedKey
        self.trustedKeyFingerprint = trustedKeyFingerprint
        self.trustPinned = trustPinned
    }

    /// The first failing check.
    public var firstFailure: CheckOutput? { checks.first { !$0.ok } }
}

/// `audit check-receipt`.
public struct ReceiptCheckOutput: Codable, Sendable, Equatable {
    public let ok: Bool
    public let receipt: String
    public let index: Int?
    public let size: Int?
    public let kind: String?
    public let proof: [String]
    public let detail: String

    public init(ok: Bool, receipt: String, index: Int?, size: Int?, kind: String?, proof: [String], detail: String) {
        self.ok = ok
        self.receipt = receipt
        self.index = index
        self.size = size
        self.kind = kind
        self.proof = proof
        self.detail = detail
    }
}

/// `audit checkpoint`.
public struct CheckpointOutput: Codable, Sendable, Equatable {
    public let size: Int
    /// Lowercase hex.
    public let root: String
    /// The signed note, as the checkpoint file holds it.
    public let note: String
    /// The ledger's verifier key, `name+hexID+base64(0x01 ‖ key)`: what a witness's `add-log` and
    /// a tlog-policy's `log` line take.
    public let vkey: String?

    public init(size: Int, root: String, note: String, vkey: String? = nil) {
        self.size = size
        self.root = root
        self.note = note
        self.vkey = vkey
    }
}

/// `backup`.
public struct BackupOutput: Codable, Sendable, Equatable {
    public let out: String
    public let entries: Int
    public let checkpoint: Int
    public let bytes: Int
    public let verified: Bool
    public let checks: [CheckOutput]

    public init(out: String, entries: Int, checkpoint: Int, bytes: Int, verification: VerificationOutput) {
        self.out = out
        self.entries = entries
        self.checkpoint = checkpoint
        self.bytes = bytes
        verified = verification.ok
        checks = verification.checks
    }
}

/// One entry of `log`: its place, kind, time, receipt, signer, a one-line summary, and the payload
/// (printed as JSON by `--json`).
public struct LogItem: Encodable, Sendable {
    public let index: Int
    public let kind: String
    public let time: String
    public let leaf: String
    public let signer: String
    public let summary: String
    let payload: JSONValue

    init(index: Int, kind: String, time: String, leaf: String, signer: String, summary: String, payload: JSONValue) {
        self.index = index
        self.kind = kind
        self.time = time
        self.leaf = leaf
        self.signer = signer
        self.summary = summary
        self.payload = payload
    }

    enum CodingKeys: String, CodingKey { case index, kind, time, leaf, signer, payload }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(kind, forKey: .kind)
        try container.encode(time, forKey: .time)
        try container.encode(leaf, forKey: .leaf)
        try container.encode(signer, forKey: .signer)
        try container.encode(AnyJSON(payload), forKey: .payload)
    }
}

/// `log`.
public struct LogOutput: Encodable, Sendable {
    public let entries: [LogItem]
}

/// A ``JSONValue`` as Encodable, for `--json` output.
struct AnyJSON: Encodable {
    let value: JSONValue

    init(_ value: JSONValue) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        switch value {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case let .bool(flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case let .integer(number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case let .string(text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case let .array(items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(AnyJSON(item)) }
        case let .object(object):
            var container = encoder.container(keyedBy: DynamicKey.self)
            for member in object.members { try container.encode(AnyJSON(member.value), forKey: DynamicKey(member.key)) }
        }
    }

    struct DynamicKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
