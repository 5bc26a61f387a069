/// The algorithms of one ledger, chosen once when it is created: the only place that knows which.
///
/// - ``standard``: Ed25519 (RFC 8032) signatures, SHA-256 hashes.
/// - ``gm`` (国密): SM2 signatures with SM3 and the distinguishing ID "1234567812345678"
///   (GM/T 0003, GM/T 0009), SM3 hashes (GM/T 0004).
///
/// Everything that hashes, signs or verifies takes the suite as a value — ``DigestHasher``,
/// ``Merkle``, ``MerkleFrontier``, ``SigningKey``, ``VerifyingKey``, ``SignedNote`` — so stages,
/// the audit and the CLI pass it along and never ask which one it is. The tree structure is RFC
/// 9162's in both (leaf 0x00 ‖ data, node 0x01 ‖ left ‖ right), and both hashes are 32 bytes.
public enum CryptoSuite: String, Sendable, CaseIterable, Codable {
    /// Ed25519 + SHA-256, the default.
    case standard
    /// SM2 (with SM3 and ID "1234567812345678") + SM3.
    case gm

    /// The suite named `name` (`standard` or `gm`, as `--crypto` and `ledger.init` spell it).
    public init(name: String) throws(CryptoInputError) {
        guard let suite = CryptoSuite(rawValue: name) else {
            throw CryptoInputError("\"\(name)\" is not a crypto suite; the suites are \(CryptoSuite.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = suite
    }

    /// The name of the hash, for messages: "SHA-256" or "SM3".
    public var hashName: String {
        switch self {
        case .standard: "SHA-256"
        case .gm: "SM3"
        }
    }

    /// The name of the signature algorithm, for messages.
    public var signatureName: String {
        switch self {
        case .standard: "Ed25519"
        case .gm: "SM2 (SM3, ID 1234567812345678)"
        }
    }

    var fetchedDigest: FetchedDigest {
        switch self {
        case .standard: .sha256
        case .gm: .sm3
        }
    }

    // MARK: Hashing

    /// Size of every hash of either suite (SHA-256 and SM3 both give 32 bytes).
    public static let hashByteCount = 32

    /// The suite's hash of `bytes`.
    public func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = DigestHasher(suite: self)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The suite's hash of the concatenation of `parts`.
    public func hash(parts: [[UInt8]]) -> [UInt8] {
        var hasher = DigestHasher(suite: self)
        for part in parts { hasher.update(part) }
        return hasher.finalize()
    }

    /// A reusable incremental hasher of the suite's hash.
    public func makeHasher() -> DigestHasher { DigestHasher(suite: self) }

    /// H(0x00 ‖ data): the RFC 9162 hash of a leaf (an entry line), with the suite's hash.
    public func leafHash(_ data: [UInt8]) -> [UInt8] { Merkle.leafHash(data, suite: self) }

    /// H(0x01 ‖ left ‖ right): the RFC 9162 hash of an interior node, with the suite's hash.
    public func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] { Merkle.nodeHash(left, right, suite: self) }

    /// The root of the empty tree: the suite's hash of nothing.
    public var emptyRoot: [UInt8] {
        switch self {
        case .standard: Merkle.emptyRoot
        case .gm: Merkle.emptySM3Root
        }
    }

    // MARK: Keys and signatures

    /// Size of a raw public key as entries carry it (base64'd in `signer`): 32 (Ed25519) or 65
    /// (SM2, the uncompressed point 0x04 ‖ x ‖ y).
    public var publicKeyByteCount: Int {
        switch self {
        case .standard: Ed25519PublicKey.byteCount
        case .gm: SM2.publicKeyByteCount
        }
    }

    /// Sizes a signature can have: exactly 64 (Ed25519) or 8…72 (SM2 DER, nearly always 70–72).
    public var signatureByteCounts: ClosedRange<Int> {
        switch self {
        case .standard: Ed25519PublicKey.signatureByteCount...Ed25519PublicKey.signatureByteCount
        case .gm: SM2.signatureByteCounts
        }
    }

    /// Whether `signature` has the form of a signature of this suite: 64 bytes, or the one DER
    /// spelling of an SM2 (r, s). A shape check for parsers; it says nothing of validity.
    public func isWellFormedSignature(_ signature: [UInt8]) -> Bool {
        switch self {
        case .standard: signature.count == Ed25519PublicKey.signatureByteCount
        case .gm: SM2.signatureComponents(signature) != nil
        }
    }

    /// Whether `signature` is valid for `message` under the raw public key `publicKey` (as an
    /// entry's `signer` carries it). The batch path of an audit: nothing is cached, a key of the
    /// wrong size or off the curve is simply not valid. For standard it is exactly
    /// ``Ed25519PublicKey/isValidSignature(_:for:)``.
    public func isValidSignature(_ signature: [UInt8], publicKey: [UInt8], message: [UInt8]) -> Bool {
        switch self {
        case .standard:
            (try? Ed25519PublicKey(rawBytes: publicKey)).map { $0.isValidSignature(signature, for: message) } ?? false
        case .gm:
            (try? SM2PublicKey(rawBytes: publicKey)).map { $0.isValidSignature(signature, for: message) } ?? false
        }
    }

    /// The 32 bytes that index a credential key of this suite in a ledger's `credential` column and
    /// `credentials` table (whose schema holds 32-byte keys): the raw Ed25519 key itself, or the SM3
    /// hash of the 65-byte SM2 point. Collision-resistant, so one index value is one key.
    public func credentialIndex(_ rawKey: [UInt8]) -> [UInt8] {
        switch self {
        case .standard: rawKey
        case .gm: hash(rawKey)
        }
    }

    // MARK: Signed notes

    /// The C2SP signed-note signature type of the suite's note signatures: ``NoteSignatureType/ed25519``
    /// (0x01), or for SM2 ``NoteSignatureType/other`` (0xff, the byte for types without one of their
    /// own), followed in the key material by ``noteKeyIdentifier``.
    public var noteSignatureType: NoteSignatureType {
        switch self {
        case .standard: .ed25519
        case .gm: .other
        }
    }

    /// What a verifier key's material holds before the raw public key: nothing for Ed25519; the
    /// UTF-8 of ``sm2NoteIdentifier`` for SM2. It enters the key ID with the type byte.
    public var noteKeyIdentifier: [UInt8] {
        switch self {
        case .standard: []
        case .gm: Array(Self.sm2NoteIdentifier.utf8)
        }
    }

    /// The identifier after 0xff that names Piaojue's SM2 note signatures: SM2 over the note
    /// text with SM3 and ID "1234567812345678", DER-encoded (docs/gm-format.md).
    public static let sm2NoteIdentifier = "sm2-sm3-1234567812345678"
}
