/// Type 0xff ‖ "sm2-sm3-1234567812345678": Piaojue's SM2 note signatures (SM2 with SM3 and the
/// distinguishing ID "1234567812345678", canonical DER) over the note text, as a gm ledger signs
/// its checkpoints (docs/gm-format.md).
///
/// The vkey's material after the 0xff byte is the identifier ``CryptoSuite/sm2NoteIdentifier``
/// followed by the 65-byte point 0x04 ‖ x ‖ y; the key ID is SHA-256(name ‖ 0x0A ‖ 0xff ‖
/// identifier ‖ point)[:4]. Plugged into a ``NoteVerifierRegistry`` under
/// ``NoteSignatureType/other`` (``NoteVerifierRegistry/logKeysWithSM2``).
public struct SM2NoteVerifier: NoteVerifier {
    /// The key name.
    public let keyName: String
    /// The SM2 public key.
    public let publicKey: SM2PublicKey
    /// The key ID (always the recommended one, as for Ed25519).
    public let keyID: [UInt8]
    /// Always ``NoteSignatureType/other`` (0xff); the identifier follows in the key material.
    public var type: NoteSignatureType { .other }

    /// The verifier of `publicKey` under `keyName`.
    public init(keyName: String, publicKey: SM2PublicKey) throws(CryptoInputError) {
        guard SignedNote.isValidKeyName(keyName) else { throw CryptoInputError("\"\(keyName)\" cannot name a key") }
        self.keyName = keyName
        self.publicKey = publicKey
        self.keyID = SignedNote.keyID(keyName: keyName, publicKey: VerifyingKey(publicKey))
    }

    /// The verifier of an SM2 vkey; refuses another type, a 0xff key of another identifier, a point
    /// that is not on the curve and a key ID that is not the recommended one.
    public init(_ key: VerifierKey) throws(CryptoInputError) {
        let identifier = CryptoSuite.gm.noteKeyIdentifier
        guard key.type == .other, key.keyMaterial.starts(with: identifier) else {
            throw CryptoInputError(
                "the key \(key.keyName) is of type \(key.type), not Piaojue's SM2 (0xff \(CryptoSuite.sm2NoteIdentifier))")
        }
        try self.init(keyName: key.keyName, publicKey: try SM2PublicKey(rawBytes: Array(key.keyMaterial.dropFirst(identifier.count))))
        guard keyID == key.keyID else {
            throw CryptoInputError(
                "the key ID of \(key.keyName) is not SHA-256(name ‖ 0x0A ‖ 0xff ‖ \(CryptoSuite.sm2NoteIdentifier) ‖ key)[:4]")
        }
    }

    /// The key as a vkey.
    public var verifierKey: VerifierKey {
        VerifierKey(unchecked: keyName, keyID: keyID, type: .other, keyMaterial: CryptoSuite.gm.noteKeyIdentifier + publicKey.rawBytes)
    }

    /// Whether `signature` is a canonical DER SM2 signature over `text` by the key (SM3, ID
    /// "1234567812345678").
    public func isValid(signature: [UInt8], text: [UInt8]) -> Bool {
        publicKey.isValidSignature(signature, for: text)
    }
}
