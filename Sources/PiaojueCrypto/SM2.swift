import COpenSSL

/// SM2 signatures (GM/T 0003-2012, GB/T 32918) on the recommended 256-bit curve, with SM3 and the
/// distinguishing ID of GM/T 0009, through OpenSSL 3's default provider.
///
/// OpenSSL 3.0 does not apply the GM/T 0009 default ID unless it is set, and signatures made with
/// and without it do not verify against each other: every signature and verification here sets
/// ``distinguishingID`` explicitly (`EVP_PKEY_CTX_set1_id`). Signatures are DER `SEQUENCE {r, s}`
/// (GM/T 0009 `SM2Signature`) in their one canonical spelling.
public enum SM2 {
    /// The distinguishing ID (user ID) that enters Z_A: the ASCII bytes of "1234567812345678",
    /// GM/T 0009's default.
    public static let distinguishingID: [UInt8] = Array("1234567812345678".utf8)
    /// Size of a public key: the uncompressed point 0x04 ‖ x ‖ y.
    public static let publicKeyByteCount = 65
    /// Size of a private scalar.
    public static let scalarByteCount = 32
    /// Sizes a DER signature can have: 2 + 2 × (2 + 1…33) bytes; 70–72 for all but about one
    /// signature in 2^7 (r or s with leading zero bytes).
    public static let signatureByteCounts: ClosedRange<Int> = 8...72

    /// The order n of the base point, big-endian.
    public static let order: [UInt8] = bytes("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123")
    static let orderMinusOne: [UInt8] = bytes("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54122")
    static let orderMinusTwo: [UInt8] = bytes("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54121")
    // The curve y² = x³ + ax + b over F_p and its base point G, for Z_A.
    static let a: [UInt8] = bytes("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC")
    static let b: [UInt8] = bytes("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93")
    static let gx: [UInt8] = bytes("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7")
    static let gy: [UInt8] = bytes("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0")

    private static func bytes(_ hex: String) -> [UInt8] { Encoding.unhex(hex) ?? [] }

    /// Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) (GM/T 0003.2 §5.5), the value that
    /// binds a signature to the signer's key and ID; a signature is over SM3(Z_A ‖ message).
    /// OpenSSL computes it itself; this is for documentation, test vectors and second opinions.
    public static func za(publicKey: SM2PublicKey, id: [UInt8] = distinguishingID) -> [UInt8] {
        let bits = id.count * 8
        var hasher = SM3Hasher()
        hasher.update([UInt8(truncatingIfNeeded: bits >> 8), UInt8(truncatingIfNeeded: bits)])
        hasher.update(id)
        for part in [a, b, gx, gy] { hasher.update(part) }
        hasher.update(Array(publicKey.rawBytes.dropFirst()))
        return hasher.finalize()
    }

    /// r and s (32 big-endian bytes each) of a signature in its one DER spelling: a SEQUENCE with
    /// short-form length holding exactly two minimal, positive INTEGERs in [1, n − 1] and nothing
    /// after them. Nil for anything else (BER, long-form lengths, padding, trailing bytes).
    public static func signatureComponents(_ der: [UInt8]) -> (r: [UInt8], s: [UInt8])? {
        guard signatureByteCounts.contains(der.count), der[0] == 0x30, Int(der[1]) == der.count - 2 else { return nil }
        var offset = 2
        func integer() -> [UInt8]? {
            guard offset + 2 <= der.count, der[offset] == 0x02 else { return nil }
            let length = Int(der[offset + 1])
            let start = offset + 2
            guard (1...33).contains(length), start + length <= der.count else { return nil }
            offset = start + length
            let first = der[start]
            guard first & 0x80 == 0 else { return nil }  // negative
            if length > 1, first == 0, der[start + 1] & 0x80 == 0 { return nil }  // a needless leading zero
            let magnitude = first == 0 ? der[(start + 1)..<offset] : der[start..<offset]
            guard magnitude.count <= 32 else { return nil }
            let value = [UInt8](repeating: 0, count: 32 - magnitude.count) + magnitude
            guard value.contains(where: { $0 != 0 }), value.lexicographicallyPrecedes(order) else { return nil }
            return value
        }
        guard let r = integer(), let s = integer(), offset == der.count else { return nil }
        return (r, s)
    }

    /// The DER signature of (r, s), each given as at most 32 big-endian bytes in [1, n − 1].
    public static func derSignature(r: [UInt8], s: [UInt8]) throws(CryptoInputError) -> [UInt8] {
        func integer(_ value: [UInt8]) throws(CryptoInputError) -> [UInt8] {
            let magnitude = Array(value.drop { $0 == 0 })
            let padded = [UInt8](repeating: 0, count: max(0, 32 - magnitude.count)) + magnitude
            guard magnitude.count <= 32, !magnitude.isEmpty, padded.lexicographicallyPrecedes(order) else {
                throw CryptoInputError("an SM2 signature component lies in [1, n − 1]")
            }
            let body = (magnitude[0] & 0x80 != 0 ? [0] : []) + magnitude
            return [0x02, UInt8(body.count)] + body
        }
        let content = try integer(r) + integer(s)
        return [0x30, UInt8(content.count)] + content
    }

    /// Whether 32 big-endian bytes are a number in [1, n − 2], decided without branching on them.
    static func isPrivateScalar(_ scalar: [UInt8]) -> Bool {
        guard scalar.count == 32 else { return false }
        var any: UInt8 = 0
        var borrow: UInt16 = 0
        for index in (0..<32).reversed() {
            any |= scalar[index]
            let value = Int16(scalar[index]) - Int16(orderMinusOne[index]) - Int16(borrow)
            borrow = UInt16(bitPattern: value) >> 15
        }
        return (UInt16(any != 0 ? 1 : 0) & borrow) == 1  // nonzero and scalar − (n − 1) borrows
    }

    /// The private scalar of a credential or generated key: d = 1 + (secret mod (n − 2)), read
    /// as a 256-bit big-endian number, so d ∈ [1, n − 2] as GM/T 0003 requires (d = n − 1 has no
    /// (1 + d)⁻¹). Since 2^256 < 2(n − 2), the reduction is at most one subtraction, done here
    /// without branching on the secret. Its bias (≈2^224 of the 2^256 secrets map to a value
    /// that a smaller secret also gives) is below 2^-31 in statistical distance.
    static func scalar(derivedFrom secret: [UInt8]) throws(CryptoInputError) -> [UInt8] {
        guard secret.count == 32 else { throw CryptoInputError("an SM2 credential secret has 32 bytes, not \(secret.count)") }
        var difference = [UInt8](repeating: 0, count: 32)
        defer { Ed25519PrivateKey.cleanse(&difference) }
        var borrow: UInt16 = 0
        for index in (0..<32).reversed() {
            let value = Int16(secret[index]) - Int16(orderMinusTwo[index]) - Int16(borrow)
            difference[index] = UInt8(truncatingIfNeeded: value)
            borrow = UInt16(bitPattern: value) >> 15
        }
        // borrow = 1: secret < n − 2, keep it; else take secret − (n − 2).
        let keep = UInt8(0) &- UInt8(borrow)
        var scalar = [UInt8](repeating: 0, count: 32)
        for index in 0..<32 { scalar[index] = (secret[index] & keep) | (difference[index] & ~keep) }
        var carry: UInt16 = 1
        for index in (0..<32).reversed() {
            let value = UInt16(scalar[index]) + carry
            scalar[index] = UInt8(truncatingIfNeeded: value)
            carry = value >> 8
        }
        return scalar
    }
}

/// The SM2 curve as an `EC_GROUP`, created once.
private final class SM2Curve: @unchecked Sendable {
    // Safe: the group is created in init and never changed or freed; OpenSSL's EC_POINT_mul and
    // EC_POINT_point2oct take it as `const EC_GROUP *` and only read it.
    let group: OpaquePointer?

    private init() { group = EC_GROUP_new_by_curve_name(NID_sm2) }

    static let shared = SM2Curve()

    /// The uncompressed public point d·G of a scalar (the same `EC_POINT_mul` OpenSSL's own key
    /// generation uses).
    func publicPoint(scalar: [UInt8]) throws -> [UInt8] {
        guard let group else { throw OpenSSLError("EC_GROUP_new_by_curve_name(SM2)") }
        guard let number = BN_secure_new() else { throw OpenSSLError("BN_secure_new") }
        defer { BN_clear_free(number) }
        guard scalar.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, Int32($0.count), number) }) != nil else {
            throw OpenSSLError("BN_bin2bn")
        }
        guard let point = EC_POINT_new(group) else { throw OpenSSLError("EC_POINT_new") }
        defer { EC_POINT_free(point) }
        guard EC_POINT_mul(group, point, number, nil, nil, nil) == 1 else { throw OpenSSLError("EC_POINT_mul") }
        var out = [UInt8](repeating: 0, count: SM2.publicKeyByteCount)
        let written = out.withUnsafeMutableBufferPointer {
            EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, $0.baseAddress, $0.count, nil)
        }
        guard written == SM2.publicKeyByteCount else { throw OpenSSLError("EC_POINT_point2oct") }
        return out
    }
}

/// An `EVP_PKEY` owned by exactly one value, freed when that value goes.
final class PKeyHandle: @unchecked Sendable {
    // Safe: the key is set in init and freed in deinit, and never replaced. OpenSSL allows several
    // threads to sign or verify with one EVP_PKEY at once when each uses its own EVP_MD_CTX (the
    // key's internal caches take their own lock), which is how every caller here uses it.
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { EVP_PKEY_free(pointer) }

    /// An SM2 public key from its point: a copy of the parameters-only template with the point
    /// set (`EVP_PKEY_dup`, `EVP_PKEY_set1_encoded_public_key`, which checks that the point is on
    /// the curve). About 10 µs, against some 55 µs for `EVP_PKEY_fromdata`, which matters where an
    /// audit builds one key per ballot.
    static func sm2(point: [UInt8]) throws -> PKeyHandle {
        guard let template = SM2Template.shared.key else { throw OpenSSLError("EVP_PKEY_fromdata(SM2 parameters)") }
        guard let key = EVP_PKEY_dup(template) else { throw OpenSSLError("EVP_PKEY_dup") }
        let handle = PKeyHandle(key)
        guard point.withUnsafeBufferPointer({ EVP_PKEY_set1_encoded_public_key(key, $0.baseAddress, $0.count) }) == 1 else {
            throw OpenSSLError("EVP_PKEY_set1_encoded_public_key")
        }
        return handle
    }

    /// An SM2 key pair from its public point and private scalar (`EVP_PKEY_fromdata` with group
    /// "SM2"); the scalar goes through secure memory, cleared when freed.
    static func sm2KeyPair(point: [UInt8], scalar: [UInt8]) throws -> PKeyHandle {
        guard let builder = OSSL_PARAM_BLD_new() else { throw OpenSSLError("OSSL_PARAM_BLD_new") }
        defer { OSSL_PARAM_BLD_free(builder) }
        guard let privateNumber = BN_secure_new() else { throw OpenSSLError("BN_secure_new") }
        defer { BN_clear_free(privateNumber) }
        guard scalar.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, Int32($0.count), privateNumber) }) != nil else {
            throw OpenSSLError("BN_bin2bn")
        }
        // The builder keeps pointers to the values until OSSL_PARAM_BLD_to_param copies them, so
        // everything it is given lives until then.
        let params: UnsafeMutablePointer<OSSL_PARAM>? = try point.withUnsafeBufferPointer { pub in
            guard OSSL_PARAM_BLD_push_utf8_string(builder, piaojue_param_group_name(), piaojue_sm2_group_name(), 0) == 1,
                OSSL_PARAM_BLD_push_octet_string(builder, piaojue_param_public_key(), pub.baseAddress, pub.count) == 1,
                OSSL_PARAM_BLD_push_BN(builder, piaojue_param_private_key(), privateNumber) == 1
            else { throw OpenSSLError("OSSL_PARAM_BLD_push") }
            return OSSL_PARAM_BLD_to_param(builder)
        }
        guard let params else { throw OpenSSLError("OSSL_PARAM_BLD_to_param") }
        defer { OSSL_PARAM_free(params) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "SM2", nil) else { throw OpenSSLError("EVP_PKEY_CTX_new_from_name(SM2)") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1,
            EVP_PKEY_fromdata(context, &key, piaojue_selection_keypair(), params) == 1, let key
        else { throw OpenSSLError("EVP_PKEY_fromdata(SM2)") }
        return PKeyHandle(key)
    }
}

/// An `EVP_PKEY` holding only the SM2 domain parameters, created once, from which public keys are
/// copied.
private final class SM2Template: @unchecked Sendable {
    // Safe: created in init and never changed or freed; EVP_PKEY_dup only reads its source.
    let key: OpaquePointer?

    private init() {
        var key: OpaquePointer?
        if let context = EVP_PKEY_CTX_new_from_name(nil, "SM2", nil) {
            defer { EVP_PKEY_CTX_free(context) }
            if let builder = OSSL_PARAM_BLD_new() {
                defer { OSSL_PARAM_BLD_free(builder) }
                if OSSL_PARAM_BLD_push_utf8_string(builder, piaojue_param_group_name(), piaojue_sm2_group_name(), 0) == 1,
                    let params = OSSL_PARAM_BLD_to_param(builder)
                {
                    defer { OSSL_PARAM_free(params) }
                    if EVP_PKEY_fromdata_init(context) != 1
                        || EVP_PKEY_fromdata(context, &key, piaojue_selection_key_parameters(), params) != 1
                    {
                        key = nil
                    }
                }
            }
        }
        if key == nil { _ = OpenSSLError.drainQueue() }
        self.key = key
    }

    static let shared = SM2Template()
}

/// An SM2 public key: the 65-byte uncompressed point 0x04 ‖ x ‖ y, checked to lie on the curve.
///
/// Holds the OpenSSL key it was checked with, so that verifying many signatures by one key builds
/// it once. Equal and hashed by its bytes.
public struct SM2PublicKey: Sendable, Hashable {
    /// The 65 bytes 0x04 ‖ x ‖ y.
    public let rawBytes: [UInt8]
    let handle: PKeyHandle

    /// A public key from its uncompressed point; fails unless it is 65 bytes, starts with 0x04
    /// and is a point of the SM2 curve.
    public init(rawBytes: [UInt8]) throws(CryptoInputError) {
        guard rawBytes.count == SM2.publicKeyByteCount, rawBytes[0] == 0x04 else {
            throw CryptoInputError("an SM2 public key is the 65-byte uncompressed point 04‖x‖y, not \(rawBytes.count) bytes")
        }
        do { handle = try PKeyHandle.sm2(point: rawBytes) } catch {
            _ = OpenSSLError.drainQueue()
            throw CryptoInputError("the 65 bytes are not a point of the SM2 curve")
        }
        self.rawBytes = rawBytes
    }

    init(rawBytes: [UInt8], handle: PKeyHandle) {
        self.rawBytes = rawBytes
        self.handle = handle
    }

    /// Keys are equal when their points are.
    public static func == (lhs: SM2PublicKey, rhs: SM2PublicKey) -> Bool { lhs.rawBytes == rhs.rawBytes }

    /// Hashes the point.
    public func hash(into hasher: inout Hasher) { hasher.combine(rawBytes) }

    /// Base64 of the 65 raw bytes, the form used in ledger entries and the CLI.
    public var base64: String { Encoding.base64(rawBytes) }

    /// Whether `signature` is a valid SM2 signature by this key over `message`: SM3, the
    /// distinguishing ID "1234567812345678", and the one DER spelling of ``SM2/signatureComponents(_:)``.
    /// Malformed signatures are simply not valid.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard SM2.signatureComponents(signature) != nil else { return false }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        var pkeyContext: OpaquePointer?
        guard EVP_DigestVerifyInit_ex(context, &pkeyContext, "SM3", nil, nil, handle.pointer, nil) == 1, let pkeyContext,
            SM2.distinguishingID.withUnsafeBytes({ EVP_PKEY_CTX_set1_id(pkeyContext, $0.baseAddress, Int32($0.count)) }) == 1
        else {
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

    /// PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`: id-ecPublicKey with the curve OID
    /// 1.2.156.10197.1.301), as `openssl pkey -pubout` writes it.
    public func pem() throws -> String {
        try writePEM { PEM_write_bio_PUBKEY($0, handle.pointer) }
    }

    /// A public key read from PEM SubjectPublicKeyInfo; fails for any other key type. A key written
    /// with a compressed point is read all the same and held uncompressed.
    public init(pem: String) throws {
        let key = try readPEM(pem) { PEM_read_bio_PUBKEY($0, nil, nil, nil) }
        let handle = PKeyHandle(key)
        guard EVP_PKEY_is_a(key, "SM2") == 1 else { throw CryptoInputError("the PEM key is not an SM2 key") }
        self.init(rawBytes: try handle.uncompressedPoint(), handle: handle)
    }
}

extension PKeyHandle {
    /// The public point of an SM2 key, uncompressed (65 bytes).
    func uncompressedPoint() throws -> [UInt8] {
        guard EVP_PKEY_set_utf8_string_param(pointer, piaojue_param_point_format(), piaojue_point_format_uncompressed()) == 1 else {
            throw OpenSSLError("EVP_PKEY_set_utf8_string_param(point-format)")
        }
        var raw = [UInt8](repeating: 0, count: SM2.publicKeyByteCount)
        var length = 0
        guard EVP_PKEY_get_octet_string_param(pointer, piaojue_param_public_key(), &raw, raw.count, &length) == 1,
            length == SM2.publicKeyByteCount, raw[0] == 0x04
        else { throw OpenSSLError("EVP_PKEY_get_octet_string_param(pub)") }
        return raw
    }
}

/// An SM2 private key (a scalar d ∈ [1, n − 2]), held inside OpenSSL for signing.
///
/// The `EVP_PKEY` is created once and freed with the key; the scalar copy is wiped with
/// `OPENSSL_cleanse` when the key is dropped.
public final class SM2PrivateKey: @unchecked Sendable {
    // Safe: `handle` and `scalar` are written only in init and deinit; each signature uses its own
    // EVP_MD_CTX, so several threads may sign with one key at once (see PKeyHandle).
    private let handle: PKeyHandle
    private var scalar: [UInt8]
    /// The matching public key.
    public let publicKey: SM2PublicKey

    /// The key whose private scalar is `scalar`: 32 big-endian bytes of a number in [1, n − 2].
    public init(scalar: [UInt8]) throws {
        guard scalar.count == SM2.scalarByteCount else {
            throw CryptoInputError("an SM2 private scalar has 32 bytes, not \(scalar.count)")
        }
        guard SM2.isPrivateScalar(scalar) else { throw CryptoInputError("an SM2 private scalar lies in [1, n − 2]") }
        let point = try SM2Curve.shared.publicPoint(scalar: scalar)
        let handle = try PKeyHandle.sm2KeyPair(point: point, scalar: scalar)
        self.handle = handle
        self.scalar = scalar
        self.publicKey = SM2PublicKey(rawBytes: point, handle: try PKeyHandle.sm2(point: point))
    }

    /// The key derived from a 32-byte secret (a credential code's): d = 1 + (secret mod (n − 2)),
    /// the secret read as a big-endian number. Every secret gives a valid key.
    public convenience init(derivingFrom secret: [UInt8]) throws {
        var scalar = try SM2.scalar(derivedFrom: secret)
        defer { Ed25519PrivateKey.cleanse(&scalar) }
        try self.init(scalar: scalar)
    }

    /// A new key from 32 bytes of `random` (OpenSSL `RAND_bytes` by default), derived as
    /// ``init(derivingFrom:)`` derives a credential.
    public static func generate(using random: some RandomSource = SystemRandom()) throws -> SM2PrivateKey {
        var secret = try random.bytes(32)
        defer { Ed25519PrivateKey.cleanse(&secret) }
        return try SM2PrivateKey(derivingFrom: secret)
    }

    deinit { Ed25519PrivateKey.cleanse(&scalar) }

    /// The 32-byte private scalar. Callers that copy it are responsible for wiping their copy.
    public var scalarBytes: [UInt8] { scalar }

    /// The SM2 signature over `message`: SM3, the distinguishing ID "1234567812345678", DER
    /// (70–72 bytes, rarely fewer). A fresh random k from OpenSSL each time, so two signatures of
    /// one message differ; both verify.
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLError("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        var pkeyContext: OpaquePointer?
        guard EVP_DigestSignInit_ex(context, &pkeyContext, "SM3", nil, nil, handle.pointer, nil) == 1, let pkeyContext else {
            throw OpenSSLError("EVP_DigestSignInit_ex(SM3)")
        }
        guard SM2.distinguishingID.withUnsafeBytes({ EVP_PKEY_CTX_set1_id(pkeyContext, $0.baseAddress, Int32($0.count)) }) == 1 else {
            throw OpenSSLError("EVP_PKEY_CTX_set1_id")
        }
        var signature = [UInt8](repeating: 0, count: SM2.signatureByteCounts.upperBound)
        var length = signature.count
        let ok = signature.withUnsafeMutableBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestSign(context, sig.baseAddress, &length, msg.baseAddress ?? emptyByte, msg.count)
            }
        }
        guard ok == 1, SM2.signatureByteCounts.contains(length) else { throw OpenSSLError("EVP_DigestSign(SM2)") }
        signature.removeSubrange(length...)
        // OpenSSL writes DER; make sure it is the one spelling every verifier here accepts.
        guard SM2.signatureComponents(signature) != nil else {
            throw OpenSSLError("EVP_DigestSign(SM2)", detail: "OpenSSL returned a signature that is not canonical DER")
        }
        return signature
    }

    /// PEM PKCS#8 (`-----BEGIN PRIVATE KEY-----`), unencrypted, as `openssl genpkey -algorithm SM2`
    /// writes it.
    public func pemPKCS8() throws -> String {
        try writePEM { PEM_write_bio_PKCS8PrivateKey($0, handle.pointer, nil, nil, 0, nil, nil) }
    }

    /// A private key read from PEM PKCS#8 (or SEC1); fails for any other key type or an encrypted key.
    public convenience init(pem: String) throws {
        let key = PKeyHandle(try readPEM(pem) { PEM_read_bio_PrivateKey($0, nil, nil, nil) })
        guard EVP_PKEY_is_a(key.pointer, "SM2") == 1 else { throw CryptoInputError("the PEM key is not an SM2 key") }
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key.pointer, piaojue_param_private_key(), &number) == 1, let number else {
            throw OpenSSLError("EVP_PKEY_get_bn_param(priv)")
        }
        defer { BN_clear_free(number) }
        var raw = [UInt8](repeating: 0, count: SM2.scalarByteCount)
        defer { Ed25519PrivateKey.cleanse(&raw) }
        guard BN_bn2binpad(number, &raw, Int32(raw.count)) == Int32(raw.count) else {
            throw CryptoInputError("the PEM key's private scalar does not fit in 32 bytes")
        }
        try self.init(scalar: raw)
    }
}
