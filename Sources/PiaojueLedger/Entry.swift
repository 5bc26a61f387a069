public import PiaojueCrypto

/// An entry as stored: its position, kind, canonical line and leaf hash.
///
/// The line is the RFC 8785 canonical JSON of the entry object
/// `{index, kind, time, prev, payload, signer, sig}`; its leaf hash is H(0x00 ‖ line), H the
/// ledger suite's hash (SHA-256 or SM3).
public struct LedgerEntry: Sendable {
    /// Position from 0; also the Merkle leaf index.
    public let index: Int
    /// What happened, e.g. `collect.submit`, `session.cast`.
    public let kind: String
    /// The session this entry belongs to, when it belongs to one (an index column, re-derived on audit).
    public let session: String?
    /// The canonical JSON bytes of the entry.
    public let line: [UInt8]
    /// H(0x00 ‖ line), with the suite's hash.
    public let leafHash: [UInt8]

    public init(index: Int, kind: String, session: String?, line: [UInt8], leafHash: [UInt8]) {
        self.index = index
        self.kind = kind
        self.session = session
        self.line = line
        self.leafHash = leafHash
    }

    /// The receipt of this entry: its leaf hash in lowercase hex.
    public var receipt: String { Encoding.hex(leafHash) }

    /// The parsed fields of the line.
    public func fields() throws -> EntryFields { try EntryFields(line: line) }
}

/// The fields of one entry line, checked for shape.
public struct EntryFields: Sendable {
    public let index: Int
    public let kind: String
    public let time: String
    /// Leaf hash of the previous entry (32 zero bytes for the first entry).
    public let prev: [UInt8]
    public let payload: JSONValue
    /// The public key whose signature `sig` is: the body's, or a ballot credential's.
    public let signer: [UInt8]
    public let signature: [UInt8]
    /// The payload's canonical bytes, when the reader already has them (a slice of a line found
    /// canonical), so that they are not written out again; nil otherwise.
    public var canonicalPayload: [UInt8]?

    /// The kinds whose `sig` is a ballot credential's signature over the canonical payload; every
    /// other entry is signed by the body over the canonical entry without `sig`.
    public static let credentialSignedKinds: Set<String> = ["session.cast", "session.paper"]

    /// The exact member names of an entry object.
    public static let memberNames: Set<String> = ["index", "kind", "time", "prev", "payload", "signer", "sig"]

    /// Parses and shape-checks an entry line. Does not check canonical form or signatures.
    public init(line: [UInt8]) throws(EntryFormatError) {
        let value: JSONValue
        do { value = try JSONValue.parse(line) } catch { throw EntryFormatError("not JSON: \(error.description)") }
        try self.init(value: value)
    }

    /// Shape-checks a parsed entry object.
    public init(value: JSONValue) throws(EntryFormatError) {
        guard let object = value.objectValue else { throw EntryFormatError("the entry is not a JSON object") }
        // Keys are unique in a JSONObject, so seven known names are exactly the seven members.
        guard object.members.count == Self.memberNames.count, object.members.allSatisfy({ Self.memberNames.contains($0.key) }) else {
            throw EntryFormatError("the entry's members are \(object.keys.sorted()), expected \(Self.memberNames.sorted())")
        }
        guard let index = object["index"]?.integerValue, index >= 0 else { throw EntryFormatError("`index` is not a whole number ≥ 0") }
        guard let kind = object["kind"]?.stringValue, !kind.isEmpty else { throw EntryFormatError("`kind` is not a non-empty string") }
        guard let time = object["time"]?.stringValue, LedgerTime.parse(time) != nil else {
            throw EntryFormatError("`time` is not a UTC time YYYY-MM-DDTHH:MM:SSZ")
        }
        guard let prevText = object["prev"]?.stringValue, let prev = Encoding.unhex(prevText), prev.count == 32,
            prevText == Encoding.hex(prev)
        else { throw EntryFormatError("`prev` is not 64 lowercase hex digits") }
        guard let payload = object["payload"], payload.objectValue != nil else { throw EntryFormatError("`payload` is not an object") }
        // The shape of either suite: a 32-byte Ed25519 key with a 64-byte signature, or a 65-byte
        // SM2 point with a DER signature. Which suite the ledger has is the verifier's to check.
        guard let signerText = object["signer"]?.stringValue, let signer = Encoding.unbase64(signerText),
            let suite = Self.suite(ofKeySize: signer.count)
        else {
            throw EntryFormatError("`signer` is not base64 of a 32-byte Ed25519 or 65-byte SM2 key")
        }
        guard let sigText = object["sig"]?.stringValue, let signature = Encoding.unbase64(sigText),
            suite.isWellFormedSignature(signature)
        else {
            throw EntryFormatError(
                suite == .standard ? "`sig` is not base64 of a 64-byte signature" : "`sig` is not base64 of a DER SM2 signature")
        }
        self.index = Int(index)
        self.kind = kind
        self.time = time
        self.prev = prev
        self.payload = payload
        self.signer = signer
        self.signature = signature
    }

    /// The suite whose raw public keys have `count` bytes (32 Ed25519, 65 SM2), or nil.
    static func suite(ofKeySize count: Int) -> CryptoSuite? {
        switch count {
        case CryptoSuite.standard.publicKeyByteCount: .standard
        case CryptoSuite.gm.publicKeyByteCount: .gm
        default: nil
        }
    }

    /// The suite the shape of `signer` belongs to (the ledger's, when the entry is valid).
    public var signerSuite: CryptoSuite { Self.suite(ofKeySize: signer.count) ?? .standard }

    /// Whether `sig` is a credential signature over the payload rather than a body signature.
    public var isCredentialSigned: Bool { Self.credentialSignedKinds.contains(kind) }

    /// The payload's canonical bytes: ``canonicalPayload`` when at hand, else written out.
    public var payloadBytes: [UInt8] { canonicalPayload ?? payload.canonicalBytes }

    /// The bytes `sig` signs: the canonical payload for credential-signed kinds, else the canonical
    /// entry object without its `sig` member.
    public var signedBytes: [UInt8] {
        if isCredentialSigned { return payloadBytes }
        return EntryFields.unsignedObject(
            index: index, kind: kind, time: time, prev: prev, payload: payload, signer: signer
        ).canonicalBytes
    }

    /// The entry object without `sig`.
    static func unsignedObject(
        index: Int, kind: String, time: String, prev: [UInt8], payload: JSONValue, signer: [UInt8]
    ) -> JSONValue {
        .object(JSONObject([
            "index": .integer(Int64(index)), "kind": .string(kind), "time": .string(time),
            "prev": .string(Encoding.hex(prev)), "payload": payload, "signer": .string(Encoding.base64(signer)),
        ]))
    }

    /// The `session` member of the payload, if any: the value of the session index column.
    public var session: String? { payload["session"]?.stringValue }

    /// For credential-signed kinds, the `credential` index column: the credential public key
    /// (Ed25519), or its SM3 hash (SM2, ``CryptoSuite/credentialIndex(_:)``).
    public var credential: [UInt8]? { isCredentialSigned ? signerSuite.credentialIndex(signer) : nil }

    /// The `credentials` table's key for an issued credential `base64Key` of `suite` (base64 of
    /// ``CryptoSuite/credentialIndex(_:)``); nil when it is not base64.
    public static func issuedIndex(_ base64Key: String, suite: CryptoSuite) -> String? {
        Encoding.unbase64(base64Key).map { Encoding.base64(suite.credentialIndex($0)) }
    }
}

/// Why an entry line is not a well-formed entry.
public struct EntryFormatError: Error, Sendable, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// What a writer asks the ledger to append.
public struct NewEntry: Sendable {
    /// How the entry is signed.
    public enum Signing: Sendable {
        /// By the body's key, over the canonical entry without `sig`.
        case body
        /// Already signed by a ballot credential over the canonical payload.
        case credential(publicKey: VerifyingKey, signature: [UInt8])
    }

    public let kind: String
    public let payload: JSONValue
    public let signing: Signing
    /// Credential public keys this entry issues, recorded in the `credentials` index table so that
    /// a cast finds its session by key (re-derived from the entries on audit).
    public let issues: [VerifyingKey]

    public init(kind: String, payload: JSONValue, signing: Signing = .body, issues: [VerifyingKey] = []) {
        self.kind = kind
        self.payload = payload
        self.signing = signing
        self.issues = issues
    }
}

extension LedgerEntry {
    /// The integer member `name` of the payload object, read in one pass over the line without
    /// building its JSON tree (a check-in entry lists every deputy it admits, and a tally only needs
    /// its count). Falls back to the full parse when the quick read does not find a plain integer,
    /// so for a well-formed entry it answers as `fields().payload[name]?.integerValue` does.
    public func payloadInteger(_ name: String) throws -> Int64? {
        if let quick = PayloadMemberScan.integer(Array(name.utf8), in: line) { return quick }
        return try fields().payload[name]?.integerValue
    }
}

/// One pass over an entry line that finds a member of the top-level `payload` object.
enum PayloadMemberScan {
    static let payloadKey = Array("payload".utf8)

    /// The integer value of `payload.<name>`, or nil when it is absent, not a plain integer, or the
    /// line is not shaped as expected (the caller then parses the line fully).
    static func integer(_ name: [UInt8], in line: [UInt8]) -> Int64? {
        line.withUnsafeBufferPointer { b -> Int64? in
            var depth = 0
            var payloadDepth = -1
            var i = 0
            let n = b.count
            while i < n {
                switch b[i] {
                case 0x22:  // a string: a key when a colon follows
                    let start = i + 1
                    var j = start
                    while j < n, b[j] != 0x22 { j += b[j] == 0x5C ? 2 : 1 }
                    guard j < n else { return nil }
                    i = j + 1
                    guard i < n, b[i] == 0x3A else { continue }
                    let key = UnsafeBufferPointer(rebasing: b[start..<j])
                    if depth == 1, key.elementsEqual(payloadKey) {
                        guard i + 1 < n, b[i + 1] == 0x7B else { return nil }
                        payloadDepth = 2
                    } else if depth == payloadDepth, key.elementsEqual(name) {
                        return plainInteger(b, from: i + 1)
                    }
                    i += 1
                case 0x7B, 0x5B:
                    depth += 1
                    i += 1
                case 0x7D, 0x5D:
                    if depth == payloadDepth { payloadDepth = -1 }
                    depth -= 1
                    i += 1
                default:
                    i += 1
                }
            }
            return nil
        }
    }

    /// An optional minus and 1–18 digits ending at `,` or `}`; nil for anything else.
    private static func plainInteger(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int64? {
        var i = start
        let negative = i < b.count && b[i] == 0x2D
        if negative { i += 1 }
        var value: Int64 = 0
        var digits = 0
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39, digits < 18 {
            value = value * 10 + Int64(b[i] - 0x30)
            digits += 1
            i += 1
        }
        guard digits > 0, i < b.count, b[i] == 0x2C || b[i] == 0x7D else { return nil }
        return negative ? -value : value
    }
}

/// Reading what kind of entry a stored line is, and a ballot's session, straight from its
/// canonical bytes (`{"index":N,"kind":"…","payload":{"choices":{…},"session":"…",…},…}`) without
/// parsing the choices: how a full scan of a million ballots stays cheap. A line of another shape
/// falls back to the full parser.
public enum EntryLine {
    private static let kindMarker = Array(#","kind":""#.utf8)
    private static let castKind = Array("session.cast".utf8)
    private static let paperKind = Array("session.paper".utf8)
    private static let sessionMarker = Array(#"},"session":""#.utf8)

    /// The ballot's session (raw bytes, no escapes) and whether it is electronic, or nil when the
    /// line is not a ballot.
    public static func ballot(_ line: UnsafeRawBufferPointer) -> (session: [UInt8], electronic: Bool)? {
        let bytes = line.bindMemory(to: UInt8.self)
        guard let kindStart = find(kindMarker, in: bytes, from: 0, limit: 40) else { return fallback(bytes) }
        let start = kindStart + kindMarker.count
        let electronic: Bool
        if matches(castKind + [0x22], in: bytes, at: start) {
            electronic = true
        } else if matches(paperKind + [0x22], in: bytes, at: start) {
            electronic = false
        } else {
            return nil
        }
        // A JSON string cannot hold an unescaped quote, so `},"session":"` is the payload's member
        // that follows the choices object, whatever the ids are.
        guard let marker = find(sessionMarker, in: bytes, from: start, limit: bytes.count) else { return fallback(bytes) }
        var end = marker + sessionMarker.count
        let from = end
        while end < bytes.count, bytes[end] != 0x22 {
            if bytes[end] == 0x5C { return fallback(bytes) }
            end += 1
        }
        guard end < bytes.count else { return fallback(bytes) }
        return (Array(bytes[from..<end]), electronic)
    }

    private static func fallback(_ bytes: UnsafeBufferPointer<UInt8>) -> (session: [UInt8], electronic: Bool)? {
        guard let fields = try? EntryFields(line: Array(bytes)), EntryFields.credentialSignedKinds.contains(fields.kind),
            let session = fields.payload["session"]?.stringValue
        else { return nil }
        return (Array(session.utf8), fields.kind == "session.cast")
    }

    private static func matches(_ pattern: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start + pattern.count <= bytes.count else { return false }
        for (n, byte) in pattern.enumerated() where bytes[start + n] != byte { return false }
        return true
    }

    private static func find(_ pattern: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int) -> Int? {
        let last = min(limit, bytes.count) - pattern.count
        guard start <= last else { return nil }
        for position in start...last where bytes[position] == pattern[0] && matches(pattern, in: bytes, at: position) {
            return position
        }
        return nil
    }
}

/// The `reason` a checkpoint row records (not signed; `audit verify` checks it against the
/// entries). A cast group's checkpoint names every session of the group with its electronic
/// ballots after the commit, `session.cast S1:57`, so that a close can tell how many electronic
/// ballots were acknowledged even if some went missing since.
public enum CheckpointReason {
    /// The reason of the checkpoint after a cast group.
    public static func cast(_ counts: [String: Int]) -> String {
        (["session.cast"] + counts.keys.sorted().map { "\($0):\(counts[$0] ?? 0)" }).joined(separator: " ")
    }

    /// The sessions and counts of a cast group's reason; nil for any other reason, and for one not
    /// written exactly as ``cast(_:)`` writes it (single spaces, sessions sorted and each once,
    /// counts in plain decimal). A format-1 `session.cast` reason without counts gives an empty map.
    public static func castCounts(_ reason: String) -> [String: Int]? {
        let parts = reason.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.first == "session.cast" else { return nil }
        var counts: [String: Int] = [:]
        for part in parts.dropFirst() {
            guard let colon = part.lastIndex(of: ":"), let count = Int(part[part.index(after: colon)...]), count >= 0 else { return nil }
            counts[String(part[..<colon])] = count
        }
        return cast(counts) == reason ? counts : nil
    }

    /// Reasons that name no entry: signed on request.
    public static let onRequest: Set<String> = ["audit.checkpoint", "audit.prove", "audit.publish"]
}
