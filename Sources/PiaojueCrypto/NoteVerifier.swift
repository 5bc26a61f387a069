/// A signed-note signature type byte (c2sp.org/signed-note@v1.0.0, "Signature types").
public struct NoteSignatureType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte that starts a verifier key's base64 part and enters the key ID hash.
    public let rawValue: UInt8

    /// The type whose byte is `rawValue`.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `0x01`: Ed25519 over the note text (a log's checkpoint signature).
    public static let ed25519 = NoteSignatureType(rawValue: 0x01)
    /// `0x04`: a timestamped Ed25519 witness cosignature (c2sp.org/tlog-cosignature, cosignature/v1).
    public static let cosignatureV1 = NoteSignatureType(rawValue: 0x04)
    /// `0xff`: a type with no byte of its own, followed in the key by a longer identifier (e.g. SM2).
    public static let other = NoteSignatureType(rawValue: 0xff)

    /// `0x01`, `0x04`, … as the specification writes it.
    public var description: String { "0x" + Encoding.hex([rawValue]) }
}

/// A signed-note verifier key: `<key name>+<hex(key ID)>+<base64(type ‖ public key)>`.
///
/// Parsing checks the form only; what the key material must be is the business of the
/// ``NoteVerifier`` built from it by a ``NoteVerifierRegistry``.
public struct VerifierKey: Sendable, Hashable, CustomStringConvertible {
    /// The key name, as signature lines carry it.
    public let keyName: String
    /// The 4-byte key ID, as signature lines carry it.
    public let keyID: [UInt8]
    /// The signature type: the first byte of the base64 part.
    public let type: NoteSignatureType
    /// The public key material after the type byte (for 0xff: the longer identifier and the key).
    public let keyMaterial: [UInt8]

    /// A key from its parts; the key ID is given, as the vkey carries it.
    public init(keyName: String, keyID: [UInt8], type: NoteSignatureType, keyMaterial: [UInt8]) throws(CryptoInputError) {
        guard SignedNote.isValidKeyName(keyName) else {
            throw CryptoInputError("\"\(keyName)\" cannot name a key (it is empty or holds a space or +)")
        }
        guard keyID.count == 4 else { throw CryptoInputError("a key ID has 4 bytes, not \(keyID.count)") }
        guard !keyMaterial.isEmpty else { throw CryptoInputError("the verifier key \(keyName) carries no public key") }
        self.keyName = keyName
        self.keyID = keyID
        self.type = type
        self.keyMaterial = keyMaterial
    }

    /// A key read from its text form.
    public init(parsing text: some StringProtocol) throws(CryptoInputError) {
        // The name holds no +, nor does the hex key ID; base64 may, so split at the first two only.
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw CryptoInputError("a verifier key reads name+hexkeyid+base64key")
        }
        guard parts[1].utf8.count == 8, parts[1] == parts[1].lowercased(), let id = Encoding.unhex(parts[1]) else {
            throw CryptoInputError("the key ID \"\(parts[1])\" of a verifier key is not 8 lowercase hex digits")
        }
        guard let blob = Encoding.unbase64(parts[2]), let first = blob.first else {
            throw CryptoInputError("the last part of the verifier key \(parts[0]) is not base64 of a type byte and a key")
        }
        try self.init(keyName: String(parts[0]), keyID: id, type: NoteSignatureType(rawValue: first), keyMaterial: Array(blob.dropFirst()))
    }

    /// The key ID signed-note recommends: SHA-256(name ‖ 0x0A ‖ type ‖ key material)[:4].
    public static func recommendedKeyID(keyName: String, type: NoteSignatureType, keyMaterial: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(Array(keyName.utf8) + [0x0a, type.rawValue] + keyMaterial).prefix(4))
    }

    /// Whether the key ID is the recommended hash of the name, type and key material.
    public var hasRecommendedKeyID: Bool {
        keyID == Self.recommendedKeyID(keyName: keyName, type: type, keyMaterial: keyMaterial)
    }

    /// The text form, `name+hexid+base64`.
    public var description: String {
        "\(keyName)+\(Encoding.hex(keyID))+\(Encoding.base64([type.rawValue] + keyMaterial))"
    }
}

/// Verifies the note signatures of one key: the (name, key ID) pair picks the signature lines it
/// is asked about, and ``isValid(signature:text:)`` checks one of them.
///
/// One conformance per signature type; ``NoteVerifierRegistry`` maps a vkey's type byte to one, so
/// that a new type (SM2 under 0xff) is plugged in without changing the code that verifies notes.
public protocol NoteVerifier: Sendable {
    /// The key name signature lines must carry.
    var keyName: String { get }
    /// The 4-byte key ID signature lines must carry.
    var keyID: [UInt8] { get }
    /// The signature type of the key.
    var type: NoteSignatureType { get }
    /// The verifier key in text form.
    var verifierKey: VerifierKey { get }
    /// Whether `signature` (the signature line's bytes after the key ID) is valid over the note
    /// `text` (every line with its newline, no signature lines).
    func isValid(signature: [UInt8], text: [UInt8]) -> Bool
}

/// Type 0x01: Ed25519 over the note text, key ID SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4].
public struct Ed25519NoteVerifier: NoteVerifier {
    /// The key name.
    public let keyName: String
    /// The Ed25519 public key.
    public let publicKey: Ed25519PublicKey
    /// The key ID (always the recommended one: signed-note derives it for Ed25519).
    public let keyID: [UInt8]
    /// Always ``NoteSignatureType/ed25519``.
    public var type: NoteSignatureType { .ed25519 }

    /// The verifier of `publicKey` under `keyName`.
    public init(keyName: String, publicKey: Ed25519PublicKey) throws(CryptoInputError) {
        guard SignedNote.isValidKeyName(keyName) else { throw CryptoInputError("\"\(keyName)\" cannot name a key") }
        self.keyName = keyName
        self.publicKey = publicKey
        self.keyID = SignedNote.keyID(keyName: keyName, publicKey: publicKey)
    }

    /// The verifier of a type-0x01 vkey; refuses another type, a key of the wrong length or a key
    /// ID that is not the one signed-note derives.
    public init(_ key: VerifierKey) throws(CryptoInputError) {
        guard key.type == .ed25519 else { throw CryptoInputError("the key \(key.keyName) is of type \(key.type), not Ed25519 (0x01)") }
        try self.init(keyName: key.keyName, publicKey: try Ed25519PublicKey(rawBytes: key.keyMaterial))
        guard keyID == key.keyID else {
            throw CryptoInputError("the key ID of \(key.keyName) is not SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]")
        }
    }

    /// The key as a vkey.
    public var verifierKey: VerifierKey {
        VerifierKey(unchecked: keyName, keyID: keyID, type: .ed25519, keyMaterial: publicKey.rawBytes)
    }

    public func isValid(signature: [UInt8], text: [UInt8]) -> Bool {
        publicKey.isValidSignature(signature, for: text)
    }
}

extension VerifierKey {
    /// The vkey of the note signatures of `publicKey` (either suite) under `keyName`, with the
    /// recommended key ID: type 0x01 and the 32-byte key (Ed25519), or 0xff and
    /// "sm2-sm3-1234567812345678" ‖ the 65-byte point (SM2).
    public init(keyName: String, publicKey: VerifyingKey) throws(CryptoInputError) {
        try self.init(
            keyName: keyName, keyID: SignedNote.keyID(keyName: keyName, publicKey: publicKey),
            type: publicKey.suite.noteSignatureType, keyMaterial: publicKey.noteKeyMaterial)
    }

    /// A key from parts already checked by the caller.
    init(unchecked keyName: String, keyID: [UInt8], type: NoteSignatureType, keyMaterial: [UInt8]) {
        self.keyName = keyName
        self.keyID = keyID
        self.type = type
        self.keyMaterial = keyMaterial
    }
}

/// Which ``NoteVerifier`` a vkey of each signature type becomes.
///
/// ``logKeys`` knows Ed25519 (0x01); ``registering(_:_:)`` adds a type, e.g. SM2 under 0xff, whose
/// factory reads its own longer identifier from the key material.
public struct NoteVerifierRegistry: Sendable {
    /// Builds a verifier from a vkey of the type it is registered for; throws when the key is malformed.
    public typealias Factory = @Sendable (VerifierKey) throws(CryptoInputError) -> any NoteVerifier

    private let factories: [NoteSignatureType: Factory]

    /// A registry of the given factories.
    public init(_ factories: [NoteSignatureType: Factory]) { self.factories = factories }

    /// Log checkpoint keys: Ed25519 (0x01).
    public static let logKeys = NoteVerifierRegistry([.ed25519: { key throws(CryptoInputError) in try Ed25519NoteVerifier(key) }])

    /// Log checkpoint keys of either ``CryptoSuite``: Ed25519 (0x01) and Piaojue's SM2 (0xff ‖
    /// "sm2-sm3-1234567812345678", ``SM2NoteVerifier``), as a gm ledger's checkpoints carry both.
    public static let logKeysWithSM2 = logKeys.registering(.other) { key throws(CryptoInputError) in try SM2NoteVerifier(key) }

    /// Witness cosigner keys: cosignature/v1 (0x04).
    public static let cosignerKeys = NoteVerifierRegistry([.cosignatureV1: { key throws(CryptoInputError) in try CosignatureV1Verifier(key) }])

    /// This registry with `factory` for `type` (replacing any factory it had for that type).
    public func registering(_ type: NoteSignatureType, _ factory: @escaping Factory) -> NoteVerifierRegistry {
        var copy = factories
        copy[type] = factory
        return NoteVerifierRegistry(copy)
    }

    /// The types this registry knows.
    public var types: Set<NoteSignatureType> { Set(factories.keys) }

    /// The verifier of `key`; refuses a type the registry does not know.
    public func verifier(for key: VerifierKey) throws(CryptoInputError) -> any NoteVerifier {
        guard let factory = factories[key.type] else {
            throw CryptoInputError("the key \(key.keyName) is of signature type \(key.type), which is not accepted here")
        }
        return try factory(key)
    }

    /// The verifier of the vkey `text`.
    public func verifier(parsing text: some StringProtocol) throws(CryptoInputError) -> any NoteVerifier {
        try verifier(for: VerifierKey(parsing: text))
    }
}

/// What a note's signatures say about a set of trusted keys (c2sp.org/signed-note@v1.0.0).
public enum NoteVerification: Sendable, Equatable {
    /// At least one signature of a known key verifies, and none of a known key fails: the lines that verified.
    case verified([SignedNote.Signature])
    /// No signature line carries the name and key ID of a known key.
    case noKnownSignature
    /// A signature line of a known key (`keyName`) does not verify: the whole note is rejected.
    case invalidSignature(keyName: String)
}

extension SignedNote {
    /// Checks the signatures against `verifiers` as signed-note says: lines of unknown keys (name
    /// or key ID not both matching) are ignored; a line of a known key must verify, else the whole
    /// note is rejected; at least one must verify.
    public func verify(with verifiers: [any NoteVerifier]) -> NoteVerification {
        let message = Array(text.utf8)
        var verified: [Signature] = []
        for signature in signatures {
            let known = verifiers.filter { $0.keyName == signature.keyName && $0.keyID == signature.keyID }
            guard !known.isEmpty else { continue }
            // Two trusted keys may share a name and ID (a collision): the line is valid if one verifies it.
            guard known.contains(where: { $0.isValid(signature: signature.signature, text: message) }) else {
                return .invalidSignature(keyName: signature.keyName)
            }
            verified.append(signature)
        }
        return verified.isEmpty ? .noKnownSignature : .verified(verified)
    }

    /// This note with `more` signature lines after its own.
    public func appending(_ more: [Signature]) -> SignedNote {
        SignedNote(text: text, signatures: signatures + more)
    }

    /// This note carrying only `kept` of its signature lines (in their order).
    public func keeping(_ kept: [Signature]) -> SignedNote {
        SignedNote(text: text, signatures: signatures.filter { kept.contains($0) })
    }
}

extension SignedNote.Signature {
    /// A signature line from its parts: the key name, the 4-byte key ID and the signature `bytes`.
    public init(keyName: String, keyID: [UInt8], bytes: [UInt8]) throws(CryptoInputError) {
        guard SignedNote.isValidKeyName(keyName) else { throw CryptoInputError("\"\(keyName)\" cannot name a key") }
        guard keyID.count == 4 else { throw CryptoInputError("a key ID has 4 bytes, not \(keyID.count)") }
        guard !bytes.isEmpty else { throw CryptoInputError("a signature line carries signature bytes after its key ID") }
        self.init(keyName: keyName, keyID: keyID, signature: bytes)
    }

    /// A signature line read from `— <name> <base64>` (without its newline).
    public init(parsingLine line: some StringProtocol) throws(CryptoInputError) {
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0] == "—" else {
            throw CryptoInputError("a signature line reads `— <key name> <base64>`")
        }
        guard let blob = Encoding.unbase64(fields[2]), blob.count > 4 else {
            throw CryptoInputError("a signature line's last field is not base64 of a key ID and signature")
        }
        try self.init(keyName: String(fields[1]), keyID: Array(blob.prefix(4)), bytes: Array(blob.dropFirst(4)))
    }
}
