/// SHA-256 through OpenSSL's EVP interface.
///
/// The digest algorithm is fetched once per process (`EVP_MD_fetch`) and contexts are reused by
/// ``SHA256Hasher``: for the small inputs of a ledger this is 2–3× faster than `EVP_Digest` per call.
public enum SHA256 {
    /// Size of a digest in bytes.
    public static let byteCount = 32

    /// The digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of the concatenation of `parts`.
    public static func hash(parts: [[UInt8]]) -> [UInt8] {
        var hasher = SHA256Hasher()
        for part in parts { hasher.update(part) }
        return hasher.finalize()
    }
}

/// An incremental SHA-256 computation. Reusable: ``finalize()`` resets it for the next message.
/// The standard suite's ``DigestHasher``, under the name the ledger and the audit use.
public struct SHA256Hasher: ~Copyable {
    private var digest = DigestHasher(suite: .standard)

    /// A hasher ready for its first message.
    public init() {}

    /// Feeds `bytes` into the digest.
    public mutating func update(_ bytes: [UInt8]) { digest.update(bytes) }

    /// Feeds raw memory into the digest.
    public mutating func update(_ raw: UnsafeRawBufferPointer) { digest.update(raw) }

    /// Feeds one byte into the digest.
    public mutating func update(byte: UInt8) { digest.update(byte: byte) }

    /// The digest of everything fed since the last reset; the hasher is reset afterwards.
    public mutating func finalize() -> [UInt8] { digest.finalize() }
}
