import COpenSSL
public import Foundation

/// A self-signed TLS server certificate and its key, made with OpenSSL: ECDSA P-256 with SHA-256
/// (what every browser accepts; Ed25519 certificates are not), naming the hosts it serves in its
/// subject alternative names.
public struct SelfSignedCertificate: Sendable {
    /// The certificate, PEM.
    public let certificatePEM: String
    /// The private key, PKCS #8 PEM (unencrypted: keep the file mode 0600).
    public let privateKeyPEM: String
    /// SHA-256 of the certificate's DER bytes, as browsers show it: upper-case hex pairs joined by `:`.
    public let fingerprint: String

    /// A certificate for `hosts` (IP addresses and DNS names; the first is also the common name),
    /// valid from `notBefore` for `days` days, with a random serial number from `random`.
    public init(hosts: [String], notBefore: Date, days: Int, random: any RandomSource = SystemRandom()) throws {
        guard let first = hosts.first, days > 0 else { throw CryptoInputError("a certificate needs a host and a validity") }
        guard let key = Self.makeKey() else { throw OpenSSLError("EVP_PKEY_keygen (P-256)") }
        defer { EVP_PKEY_free(key) }
        guard let certificate = X509_new() else { throw OpenSSLError("X509_new") }
        defer { X509_free(certificate) }
        // X.509 v3 (version field 2), a positive 63-bit serial.
        let serial = try random.bytes(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } & 0x7fff_ffff_ffff_ffff
        guard X509_set_version(certificate, 2) == 1,
            ASN1_INTEGER_set_uint64(X509_get_serialNumber(certificate), max(serial, 1)) == 1,
            ASN1_TIME_set(X509_getm_notBefore(certificate), time_t(notBefore.timeIntervalSince1970)) != nil,
            ASN1_TIME_set(X509_getm_notAfter(certificate), time_t(notBefore.timeIntervalSince1970) + time_t(days) * 86_400) != nil,
            X509_set_pubkey(certificate, key) == 1
        else { throw OpenSSLError("X509 fields") }
        guard let name = X509_get_subject_name(certificate),
            X509_NAME_add_entry_by_txt(name, "O", piaojue_mbstring_utf8(), "Piaojue", -1, -1, 0) == 1,
            X509_NAME_add_entry_by_txt(name, "CN", piaojue_mbstring_utf8(), String(first.prefix(64)), -1, -1, 0) == 1,
            X509_set_issuer_name(certificate, name) == 1
        else { throw OpenSSLError("X509_NAME") }
        let alternatives = hosts.map { Self.isIPAddress($0) ? "IP:\($0)" : "DNS:\($0)" }.joined(separator: ",")
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, certificate, certificate, nil, nil, 0)
        for (nid, value) in [
            (NID_subject_alt_name, alternatives), (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, "critical,digitalSignature"), (NID_ext_key_usage, "serverAuth"),
        ] {
            guard let extensionValue = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw OpenSSLError("X509V3_EXT_conf_nid \(value)")
            }
            defer { X509_EXTENSION_free(extensionValue) }
            guard X509_add_ext(certificate, extensionValue, -1) == 1 else { throw OpenSSLError("X509_add_ext") }
        }
        guard X509_sign(certificate, key, EVP_sha256()) > 0 else { throw OpenSSLError("X509_sign") }

        var der: UnsafeMutablePointer<UInt8>?
        let length = i2d_X509(certificate, &der)
        guard length > 0, let der else { throw OpenSSLError("i2d_X509") }
        defer { CRYPTO_free(der, "SelfSignedCertificate.swift", 0) }
        let digest = SHA256.hash(Array(UnsafeBufferPointer(start: der, count: Int(length))))
        fingerprint = digest.map { byte in
            let text = String(byte, radix: 16, uppercase: true)
            return text.count == 1 ? "0" + text : text
        }.joined(separator: ":")
        certificatePEM = try Self.pem { PEM_write_bio_X509($0, certificate) }
        privateKeyPEM = try Self.pem { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
    }

    /// A new P-256 key pair.
    private static func makeKey() -> OpaquePointer? {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
            EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, NID_X9_62_prime256v1) == 1,
            EVP_PKEY_keygen(context, &key) == 1
        else { return nil }
        return key
    }

    /// What `write` puts into a memory BIO, as text.
    private static func pem(_ write: (OpaquePointer?) -> Int32) throws -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLError("BIO_new") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw OpenSSLError("PEM_write_bio") }
        var data: UnsafeMutablePointer<CChar>?
        let count = piaojue_bio_mem_data(bio, &data)
        guard count > 0, let data else { throw OpenSSLError("BIO_get_mem_data") }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
    }

    /// Whether `host` is an IPv4 or IPv6 address rather than a name.
    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
