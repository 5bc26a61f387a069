import COpenSSL

/// An Ed25519 public key: the 32 raw bytes of RFC 8032.
public struct Ed25519PublicKey: Sendable, Hashable {
    /// Size of a raw public key.
    public static let byteCount = 32
    /// Size of a signature.
    public static let signatureByteCount = 64

    /// The 32 raw bytes.
    public let rawBytes: [UInt8]

    /// A public key from its 32 raw bytes. The bytes are checked for length only; a key that is not
    /// a valid point simply never verifies a signature.
    public init(rawBytes: [UInt8]) throws(CryptoInputError) {
        guard rawBytes.count == Self.byteCount else {
            throw CryptoInputError("an Ed25519 public key has 32 bytes, not \(rawBytes.count)")
        }
        self.rawBytes = rawBytes
    }

    /// Base64 of the raw bytes, the form used in ledger entries and the CLI.
    public var base64: String { Encoding.base64(rawBytes) }

    /// Whether `signature` is a valid Ed25519 signature by this key over `message` (one-shot
    /// `EVP_DigestVerify`, RFC 8032 pure Ed25519). Malformed signatures are simply not valid.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == Self.signatureByteCount else { return false }
        guard let key = rawBytes.withUnsafeBufferPointer({
            EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, $0.count)
        }) else {
            _ = OpenSSLError.drainQueue()
            return false
        }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit_ex(context, nil, nil, nil, nil, key, nil) == 1 else {
            _ = OpenSSLError.drainQueue()
            return false
        }
        let result = signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress ?? emptyByte, msg.count)
            }
        }
        if result != 1 { _ = OpenSSLError.drainQueue() }
        return result == 1
    }

    /// PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`), as `openssl pkey -pubout` writes it.
    public func pem() throws -> String {
        let key = try makePublicPKey()
        defer { EVP_PKEY_free(key) }
        return try writePEM { PEM_write_bio_PUBKEY($0, key) }
    }

    /// A public key read from PEM SubjectPublicKeyInfo; fails for any other key type.
    public init(pem: String) throws {
        let key = try readPEM(pem) { PEM_read_bio_PUBKEY($0, nil, nil, nil) }
        defer { EVP_PKEY_free(key) }
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519 else {
            throw CryptoInputError("the PEM key is not an Ed25519 key")
        }
        var length = Self.byteCount
        var raw = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_get_raw_public_key(key, &raw, &length) == 1, length == Self.byteCount else {
            throw OpenSSLError("EVP_PKEY_get_raw_public_key")
        }
        try self.init(rawBytes: raw)
    }

    private func makePublicPKey() throws -> OpaquePointer {
        guard let key = rawBytes.withUnsafeBufferPointer({
            EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, $0.count)
        }) else { throw OpenSSLError("EVP_PKEY_new_raw_public_key") }
        return key
    }
}

/// An Ed25519 private key (the 32-byte RFC 8032 seed), held inside OpenSSL for fast signing.
///
/// The `EVP_PKEY` is created once and freed in `deinit`; the seed copy is wiped with
/// `OPENSSL_cleanse` when the key is dropped.
public final class Ed25519PrivateKey: @unchecked Sendable {
    // Safe: `key` and `seed` are written only in init and deinit; OpenSSL allows one EVP_PKEY to
    // sign from several threads at once when each call uses its own EVP_MD_CTX, as `sign` does.
    private let key: OpaquePointer
    private var seed: [UInt8]
    /// The matching public key.
    public let publicKey: Ed25519PublicKey

    /// The key whose RFC 8032 seed is `seed` (32 bytes).
    public init(seed: [UInt8]) throws {
        guard seed.count == 32 else {
            throw CryptoInputError("an Ed25519 private key seed has 32 bytes, not \(seed.count)")
        }
        guard let key = seed.withUnsafeBufferPointer({
            EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, $0.baseAddress, $0.count)
        }) else { throw OpenSSLError("EVP_PKEY_new_raw_private_key") }
        var length = Ed25519PublicKey.byteCount
        var raw = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_get_raw_public_key(key, &raw, &length) == 1 else {
            EVP_PKEY_free(key)
            throw OpenSSLError("EVP_PKEY_get_raw_public_key")
        }
        self.key = key
        self.seed = seed
        self.publicKey = try Ed25519PublicKey(rawBytes: raw)
    }

    /// A new key from 32 bytes of `random` (OpenSSL `RAND_bytes` by default).
    public static func generate(using random: some RandomSource = SystemRandom()) throws -> Ed25519PrivateKey {
        var seed = try random.bytes(32)
        defer { cleanse(&seed) }
        return try Ed25519PrivateKey(seed: seed)
    }

    deinit {
        Self.cleanse(&seed)
        EVP_PKEY_free(key)
    }

    /// The 32-byte seed. Callers that copy it are responsible for wiping their copy.
    public var seedBytes: [UInt8] { seed }

    /// The Ed25519 signature (64 bytes) over `message` (one-shot `EVP_DigestSign`, no digest).
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLError("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit_ex(context, nil, nil, nil, nil, key, nil) == 1 else {
            throw OpenSSLError("EVP_DigestSignInit_ex")
        }
        var signature = [UInt8](repeating: 0, count: Ed25519PublicKey.signatureByteCount)
        var length = signature.count
        let ok = signature.withUnsafeMutableBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestSign(context, sig.baseAddress, &length, msg.baseAddress ?? emptyByte, msg.count)
            }
        }
        guard ok == 1, length == Ed25519PublicKey.signatureByteCount else { throw OpenSSLError("EVP_DigestSign") }
        return signature
    }

    /// PEM PKCS#8 (`-----BEGIN PRIVATE KEY-----`), unencrypted, as `openssl genpkey` writes it.
    public func pemPKCS8() throws -> String {
        try writePEM { PEM_write_bio_PKCS8PrivateKey($0, key, nil, nil, 0, nil, nil) }
    }

    /// A private key read from PEM PKCS#8; fails for any other key type or an encrypted key.
    public convenience init(pem: String) throws {
        let key = try readPEM(pem) { PEM_read_bio_PrivateKey($0, nil, nil, nil) }
        defer { EVP_PKEY_free(key) }
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519 else {
            throw CryptoInputError("the PEM key is not an Ed25519 key")
        }
        var length = 32
        var raw = [UInt8](repeating: 0, count: length)
        defer { Self.cleanse(&raw) }
        guard EVP_PKEY_get_raw_private_key(key, &raw, &length) == 1, length == 32 else {
            throw OpenSSLError("EVP_PKEY_get_raw_private_key")
        }
        try self.init(seed: raw)
    }

    /// Overwrites `bytes` with zeros in a way the optimiser keeps (`OPENSSL_cleanse`).
    public static func cleanse(_ bytes: inout [UInt8]) {
        let count = bytes.count
        bytes.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { OPENSSL_cleanse(base, count) }
        }
    }
}
