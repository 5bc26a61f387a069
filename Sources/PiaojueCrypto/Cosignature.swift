/// C2SP cosignature/v1 (c2sp.org/tlog-cosignature@v1.0.1): a witness's timestamped Ed25519
/// signature over a checkpoint, as a note signature line of type 0x04.
///
/// Signed message: `cosignature/v1\n` + `time <POSIX seconds>\n` + the whole checkpoint note text.
/// Signature bytes: the 8-byte big-endian timestamp ‖ the 64-byte Ed25519 signature (72 bytes).
/// Key ID: SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4].
public enum CosignatureV1 {
    /// The header line, without its newline.
    public static let header = "cosignature/v1"
    /// Size of the signature bytes after the key ID: timestamp and Ed25519 signature.
    public static let signatureByteCount = 8 + Ed25519PublicKey.signatureByteCount
    /// The largest timestamp a cosignature may carry (2^63 − 1).
    public static let maximumTimestamp = UInt64(Int64.max)

    /// The key ID of the cosigner `keyName` with `publicKey`.
    public static func keyID(keyName: String, publicKey: Ed25519PublicKey) -> [UInt8] {
        VerifierKey.recommendedKeyID(keyName: keyName, type: .cosignatureV1, keyMaterial: publicKey.rawBytes)
    }

    /// The cosigner's verifier key, `name+hexid+base64(0x04 ‖ key)`.
    public static func verifierKey(keyName: String, publicKey: Ed25519PublicKey) throws(CryptoInputError) -> VerifierKey {
        try VerifierKey(
            keyName: keyName, keyID: keyID(keyName: keyName, publicKey: publicKey), type: .cosignatureV1,
            keyMaterial: publicKey.rawBytes)
    }

    /// The exact bytes signed for `text` (the checkpoint note text, final newline included) at `timestamp`.
    public static func message(timestamp: UInt64, text: String) -> [UInt8] {
        Array("\(header)\ntime \(timestamp)\n".utf8) + Array(text.utf8)
    }

    /// The cosignature line of `keyName` (`key`) over the note `text` at `timestamp`.
    public static func sign(
        text: String, timestamp: UInt64, keyName: String, key: Ed25519PrivateKey
    ) throws -> SignedNote.Signature {
        guard timestamp <= maximumTimestamp else { throw CryptoInputError("a cosignature timestamp is at most 2^63-1") }
        guard text.hasSuffix("\n") else { throw CryptoInputError("a note text ends in a newline") }
        let signature = try key.sign(message(timestamp: timestamp, text: text))
        var bytes = withUnsafeBytes(of: timestamp.bigEndian) { Array($0) }
        bytes += signature
        return try SignedNote.Signature(keyName: keyName, keyID: keyID(keyName: keyName, publicKey: key.publicKey), bytes: bytes)
    }

    /// The timestamp of cosignature `bytes` (the part after the key ID), or nil when they are not 72
    /// bytes or the time exceeds 2^63 − 1.
    public static func timestamp(of bytes: [UInt8]) -> UInt64? {
        guard bytes.count == signatureByteCount else { return nil }
        let time = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return time <= maximumTimestamp ? time : nil
    }
}

/// Type 0x04: verifies cosignature/v1 lines of one cosigner.
public struct CosignatureV1Verifier: NoteVerifier {
    /// The cosigner's name.
    public let keyName: String
    /// The cosigner's Ed25519 public key.
    public let publicKey: Ed25519PublicKey
    /// SHA-256(name ‖ 0x0A ‖ 0x04 ‖ key)[:4].
    public let keyID: [UInt8]
    /// Always ``NoteSignatureType/cosignatureV1``.
    public var type: NoteSignatureType { .cosignatureV1 }

    /// The verifier of `publicKey` under `keyName`.
    public init(keyName: String, publicKey: Ed25519PublicKey) throws(CryptoInputError) {
        guard SignedNote.isValidKeyName(keyName) else { throw CryptoInputError("\"\(keyName)\" cannot name a key") }
        self.keyName = keyName
        self.publicKey = publicKey
        self.keyID = CosignatureV1.keyID(keyName: keyName, publicKey: publicKey)
    }

    /// The verifier of a type-0x04 vkey; refuses another type, a key of the wrong length or a key
    /// ID that is not the one tlog-cosignature prescribes.
    public init(_ key: VerifierKey) throws(CryptoInputError) {
        guard key.type == .cosignatureV1 else {
            throw CryptoInputError("the key \(key.keyName) is of type \(key.type), not a cosignature/v1 key (0x04)")
        }
        try self.init(keyName: key.keyName, publicKey: try Ed25519PublicKey(rawBytes: key.keyMaterial))
        guard keyID == key.keyID else {
            throw CryptoInputError("the key ID of \(key.keyName) is not SHA-256(name ‖ 0x0A ‖ 0x04 ‖ key)[:4]")
        }
    }

    /// The key as a vkey.
    public var verifierKey: VerifierKey {
        VerifierKey(unchecked: keyName, keyID: keyID, type: .cosignatureV1, keyMaterial: publicKey.rawBytes)
    }

    /// Whether `signature` is 72 bytes, a timestamp ≤ 2^63 − 1 and an Ed25519 signature over the
    /// cosignature/v1 message of `text` at that time.
    public func isValid(signature: [UInt8], text: [UInt8]) -> Bool {
        guard let time = CosignatureV1.timestamp(of: signature) else { return false }
        let message = Array("\(CosignatureV1.header)\ntime \(time)\n".utf8) + text
        return publicKey.isValidSignature(Array(signature.dropFirst(8)), for: message)
    }
}
