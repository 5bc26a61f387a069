import COpenSSL

/// An `EVP_MD`, fetched once. The pointer is immutable shared state owned by OpenSSL's default
/// library context for the life of the process, and OpenSSL documents fetched algorithms as safe to
/// use from several threads.
final class FetchedDigest: @unchecked Sendable {
    let md: OpaquePointer?

    private init(_ name: String) { md = EVP_MD_fetch(nil, name, nil) }

    static let sha256 = FetchedDigest("SHA256")
    static let sm3 = FetchedDigest("SM3")
}

/// An incremental computation of a suite's hash (SHA-256 for ``CryptoSuite/standard``, SM3 for
/// ``CryptoSuite/gm``). Reusable: ``finalize()`` resets it for the next message.
///
/// The digest is fetched once per process and the context reused: for the small inputs of a
/// ledger this is 2–3× faster than `EVP_Digest` per call. ``SHA256Hasher`` is the standard suite's.
public struct DigestHasher: ~Copyable {
    /// Whose hash this is.
    public let suite: CryptoSuite
    private let context: OpaquePointer?
    private let md: OpaquePointer?

    /// A hasher of `suite`'s hash, ready for its first message.
    public init(suite: CryptoSuite) {
        self.suite = suite
        md = suite.fetchedDigest.md
        context = EVP_MD_CTX_new()
        reset()
    }

    deinit { EVP_MD_CTX_free(context) }

    private func reset() {
        // Cannot fail for a fetched digest and a fresh context short of memory exhaustion (a NULL
        // context) or a provider without the algorithm (a NULL digest); either way every later
        // call fails closed in `finalize`.
        _ = EVP_DigestInit_ex(context, md, nil)
    }

    /// Feeds `bytes` into the digest.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress, raw.count > 0 { _ = EVP_DigestUpdate(context, base, raw.count) }
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

    /// The digest (32 bytes) of everything fed since the last reset; the hasher is reset afterwards.
    public mutating func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: CryptoSuite.hashByteCount)
        var length: UInt32 = 0
        let ok = out.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        precondition(
            ok == 1 && length == 32,
            "\(suite.hashName) through OpenSSL failed: \(OpenSSLError.drainQueue())")
        reset()
        return out
    }
}
