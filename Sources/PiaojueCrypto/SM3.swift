/// SM3 (GM/T 0004-2012, GB/T 32905-2016) through OpenSSL's EVP interface (default provider).
///
/// Fetched once and with reusable contexts, like ``SHA256``; the hash of ``CryptoSuite/gm``.
public enum SM3 {
    /// Size of a digest in bytes.
    public static let byteCount = 32

    /// The digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = SM3Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of the concatenation of `parts`.
    public static func hash(parts: [[UInt8]]) -> [UInt8] {
        var hasher = SM3Hasher()
        for part in parts { hasher.update(part) }
        return hasher.finalize()
    }
}

/// An incremental SM3 computation. Reusable: ``finalize()`` resets it for the next message.
public struct SM3Hasher: ~Copyable {
    private var inner = DigestHasher(suite: .gm)

    /// A hasher ready for its first message.
    public init() {}

    /// Feeds `bytes` into the digest.
    public mutating func update(_ bytes: [UInt8]) { inner.update(bytes) }

    /// Feeds raw memory into the digest.
    public mutating func update(_ raw: UnsafeRawBufferPointer) { inner.update(raw) }

    /// Feeds one byte into the digest.
    public mutating func update(byte: UInt8) { inner.update(byte: byte) }

    /// The digest of everything fed since the last reset; the hasher is reset afterwards.
    public mutating func finalize() -> [UInt8] { inner.finalize() }
}
