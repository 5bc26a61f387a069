import Foundation
/// A C2SP signed note (https://c2sp.org/signed-note) with Ed25519 signatures.
///
/// And, for the gm suite, SM2 signatures (type 0xff ‖ "sm2-sm3-1234567812345678", see
/// ``CryptoSuite/noteSignatureType``); a note may carry both.
///
/// Serialized form: the note text (one or more lines, each ending in `\n`), an empty line, then one
/// signature line per signer: `— <key name> <base64(4-byte key ID ‖ signature)>\n`, the signature
/// being 64 Ed25519 bytes or an SM2 DER signature.
public struct SignedNote: Sendable, Equatable {
    /// One signature line.
    public struct Signature: Sendable, Equatable {
        /// The signer's key name.
        public let keyName: String
        /// The 4-byte key ID (``SignedNote/keyID(keyName:publicKey:)``).
        public let keyID: [UInt8]
        /// The signature: 64 Ed25519 bytes or an SM2 DER signature.
        public let signature: [UInt8]

        /// The signature line without its final newline.
        public var line: String { "— \(keyName) \(Encoding.base64(keyID + signature))" }
    }

    /// The signed text, every line ending in `\n`.
    public let text: String
    /// The signature lines, the signer's own first.
    public let signatures: [Signature]

    /// The whole note as written to a file.
    public var serialized: String {
        text + "\n" + signatures.map { $0.line + "\n" }.joined()
    }

    /// The C2SP key ID of an Ed25519 key: the first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key).
    public static func keyID(keyName: String, publicKey: Ed25519PublicKey) -> [UInt8] {
        keyID(keyName: keyName, publicKey: VerifyingKey(publicKey))
    }

    /// The C2SP key ID of a key of either suite: the first 4 bytes of
    /// SHA-256(name ‖ 0x0A ‖ type ‖ key material), the type and material being 0x01 and the
    /// 32-byte key (Ed25519) or 0xff and "sm2-sm3-1234567812345678" ‖ the 65-byte point (SM2)
    /// (``VerifyingKey/noteKeyMaterial``). SHA-256 in both suites, as C2SP recommends: the ID only
    /// tells lines apart, it protects nothing.
    public static func keyID(keyName: String, publicKey: VerifyingKey) -> [UInt8] {
        VerifierKey.recommendedKeyID(
            keyName: keyName, type: publicKey.suite.noteSignatureType, keyMaterial: publicKey.noteKeyMaterial)
    }

    /// Whether `name` may name a key: non-empty, no whitespace, no `+`.
    public static func isValidKeyName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace || $0.value < 0x20 }
    }

    /// Signs `text` (which must end in `\n`) with `key` under `keyName`.
    public static func sign(text: String, keyName: String, key: Ed25519PrivateKey) throws -> SignedNote {
        try sign(text: text, keyName: keyName, signers: [SigningKey(key)])
    }

    /// Signs `text` (which must end in `\n`) under `keyName` with every one of `signers`, one line
    /// each. Ed25519 lines come first whatever the order given, so that tools that know only
    /// Ed25519 find theirs where they look; the order of the others is kept.
    public static func sign(text: String, keyName: String, signers: [any Signer]) throws -> SignedNote {
        guard isValidKeyName(keyName) else { throw CryptoInputError("\"\(keyName)\" cannot name a key (no spaces or +)") }
        guard text.hasSuffix("\n"), !text.contains("\n\n") else {
            throw CryptoInputError("a note text ends in a newline and has no empty line")
        }
        guard !signers.isEmpty else { throw CryptoInputError("a note is signed by at least one key") }
        guard Set(signers.map(\.verifyingKey)).count == signers.count else {
            throw CryptoInputError("a note is signed once by each key")
        }
        let ordered = signers.filter { $0.suite == .standard } + signers.filter { $0.suite != .standard }
        let message = Array(text.utf8)
        let lines = try ordered.map { signer in
            Signature(
                keyName: keyName, keyID: keyID(keyName: keyName, publicKey: signer.verifyingKey),
                signature: try signer.sign(message))
        }
        return SignedNote(text: text, signatures: lines)
    }

    /// Whether the note carries a valid signature by `publicKey` under `keyName`.
    /// Whether the FIRST signature line is `publicKey`'s valid signature under `keyName`: a log's
    /// own signature comes first, cosignatures after it (C2SP tlog-checkpoint).
    public func isFirstSigned(by publicKey: Ed25519PublicKey, keyName: String) -> Bool {
        guard let first = signatures.first else { return false }
        return first.keyName == keyName && first.keyID == Self.keyID(keyName: keyName, publicKey: publicKey)
            && publicKey.isValidSignature(first.signature, for: Array(text.utf8))
    }

    public func isSigned(by publicKey: Ed25519PublicKey, keyName: String) -> Bool {
        isSigned(by: VerifyingKey(publicKey), keyName: keyName)
    }

    /// Whether the FIRST signature line is `publicKey`'s (either suite) valid signature under
    /// `keyName`.
    public func isFirstSigned(by publicKey: VerifyingKey, keyName: String) -> Bool {
        guard let first = signatures.first else { return false }
        return first.keyName == keyName && first.keyID == Self.keyID(keyName: keyName, publicKey: publicKey)
            && publicKey.isValidSignature(first.signature, for: Array(text.utf8))
    }

    /// Whether a log's own signatures are all there and first: the first line is `keys[0]`'s and
    /// every one of `keys` signs under `keyName` (a gm ledger with an Ed25519 key: the Ed25519
    /// line first, then the SM2 line; cosignatures after them). False for no keys.
    public func isSignedFirst(byEach keys: [VerifyingKey], keyName: String) -> Bool {
        guard let first = keys.first, isFirstSigned(by: first, keyName: keyName) else { return false }
        return keys.dropFirst().allSatisfy { isSigned(by: $0, keyName: keyName) }
    }

    /// Whether the note carries a valid signature by `publicKey` (either suite) under `keyName`:
    /// a line with that name and the key's ID whose signature verifies. Lines of other keys are
    /// ignored, as C2SP asks.
    public func isSigned(by publicKey: VerifyingKey, keyName: String) -> Bool {
        let id = Self.keyID(keyName: keyName, publicKey: publicKey)
        let message = Array(text.utf8)
        return signatures.contains { signature in
            signature.keyName == keyName && signature.keyID == id
                && publicKey.isValidSignature(signature.signature, for: message)
        }
    }

    /// Whether the note carries a line of `verifier`'s name and key ID that `verifier` finds
    /// valid, whatever its type (Ed25519, SM2, a cosignature). Lines of other keys are ignored;
    /// ``verify(with:)`` is the full signed-note check of a set of keys.
    public func isSigned(by verifier: any NoteVerifier) -> Bool {
        let message = Array(text.utf8)
        return signatures.contains { signature in
            signature.keyName == verifier.keyName && signature.keyID == verifier.keyID
                && verifier.isValid(signature: signature.signature, text: message)
        }
    }

    /// A note parsed from its serialized form. Checks the shape only, not the signatures.
    public init(parsing serialized: String) throws(CryptoInputError) {
        guard !serialized.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) else {
            throw CryptoInputError("a signed note holds no control characters other than newlines")
        }
        guard let split = serialized.range(of: "\n\n") else {
            throw CryptoInputError("the note has no empty line before its signatures")
        }
        let text = String(serialized[..<split.lowerBound]) + "\n"
        let rest = serialized[split.upperBound...]
        guard rest.hasSuffix("\n") else { throw CryptoInputError("the last signature line has no final newline") }
        var signatures: [Signature] = []
        for line in rest.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 3, fields[0] == "—" else {
                throw CryptoInputError("a signature line reads `— <key name> <base64>`")
            }
            guard let blob = Encoding.unbase64(fields[2]), blob.count > 4 else {
                throw CryptoInputError("a signature line's last field is not base64 of a key ID and signature")
            }
            let name = String(fields[1])
            guard Self.isValidKeyName(name) else { throw CryptoInputError("a signature line names no valid key") }
            signatures.append(Signature(keyName: name, keyID: Array(blob.prefix(4)), signature: Array(blob.dropFirst(4))))
        }
        guard !signatures.isEmpty else { throw CryptoInputError("the note carries no signature") }
        guard signatures.count <= 100 else { throw CryptoInputError("the note carries more than 100 signatures") }
        self.text = text
        self.signatures = signatures
    }

    init(text: String, signatures: [Signature]) {
        self.text = text
        self.signatures = signatures
    }
}

/// A C2SP tlog-checkpoint: the origin, the tree size and the Merkle root, without extension lines.
public struct Checkpoint: Sendable, Equatable {
    /// The log's origin line; here the body's key name.
    public let origin: String
    /// Number of leaves (ledger entries).
    public let size: Int
    /// The RFC 9162 root hash (32 bytes).
    public let root: [UInt8]

    public init(origin: String, size: Int, root: [UInt8]) {
        self.origin = origin
        self.size = size
        self.root = root
    }

    /// The note text: three lines, each ending in `\n`.
    public var text: String { "\(origin)\n\(size)\n\(Encoding.base64(root))\n" }

    /// The checkpoint read from a note text.
    public init(text: String) throws(CryptoInputError) {
        guard text.hasSuffix("\n") else { throw CryptoInputError("a checkpoint text ends in a newline") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 3 else {
            throw CryptoInputError("a checkpoint has exactly three lines (origin, size, root), not \(lines.count)")
        }
        guard !lines[0].isEmpty else { throw CryptoInputError("the checkpoint origin line is empty") }
        let sizeText = lines[1]
        guard let size = Int(sizeText), size >= 0, String(size) == sizeText else {
            throw CryptoInputError("the checkpoint size \"\(sizeText)\" is not a decimal number")
        }
        guard let root = Encoding.unbase64(lines[2]), root.count == 32 else {
            throw CryptoInputError("the checkpoint root is not base64 of 32 bytes")
        }
        self.init(origin: String(lines[0]), size: size, root: root)
    }

    /// Signs the checkpoint; the key name is the origin.
    public func signed(with key: Ed25519PrivateKey) throws -> SignedNote {
        try SignedNote.sign(text: text, keyName: origin, key: key)
    }

    /// Signs the checkpoint with one key of either suite; the key name is the origin.
    public func signed(with signer: any Signer) throws -> SignedNote {
        try SignedNote.sign(text: text, keyName: origin, signers: [signer])
    }

    /// Signs the checkpoint with several keys (a gm ledger's SM2 key and its Ed25519 key), one line
    /// each under the origin, the Ed25519 line first; verified by either key.
    public func signed(with signers: [any Signer]) throws -> SignedNote {
        try SignedNote.sign(text: text, keyName: origin, signers: signers)
    }
}
