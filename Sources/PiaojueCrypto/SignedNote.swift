import Foundation
/// A C2SP signed note (https://c2sp.org/signed-note) with Ed25519 signatures.
///
/// Serialized form: the note text (one or more lines, each ending in `\n`), an empty line, then one
/// signature line per signer: `— <key name> <base64(4-byte key ID ‖ 64-byte signature)>\n`.
public struct SignedNote: Sendable, Equatable {
    /// One signature line.
    public struct Signature: Sendable, Equatable {
        public let keyName: String
        public let keyID: [UInt8]
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
        Array(SHA256.hash(Array(keyName.utf8) + [0x0a, 0x01] + publicKey.rawBytes).prefix(4))
    }

    /// Whether `name` may name a key: non-empty, no whitespace, no `+`.
    public static func isValidKeyName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace || $0.value < 0x20 }
    }

    /// Signs `text` (which must end in `\n`) with `key` under `keyName`.
    public static func sign(text: String, keyName: String, key: Ed25519PrivateKey) throws -> SignedNote {
        guard isValidKeyName(keyName) else { throw CryptoInputError("\"\(keyName)\" cannot name a key (no spaces or +)") }
        guard text.hasSuffix("\n"), !text.contains("\n\n") else {
            throw CryptoInputError("a note text ends in a newline and has no empty line")
        }
        let signature = try key.sign(Array(text.utf8))
        let id = keyID(keyName: keyName, publicKey: key.publicKey)
        return SignedNote(text: text, signatures: [Signature(keyName: keyName, keyID: id, signature: signature)])
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
        let id = Self.keyID(keyName: keyName, publicKey: publicKey)
        let message = Array(text.utf8)
        return signatures.contains { signature in
            signature.keyName == keyName && signature.keyID == id
                && publicKey.isValidSignature(signature.signature, for: message)
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
}
