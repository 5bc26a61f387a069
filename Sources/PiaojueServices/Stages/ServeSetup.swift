import Foundation
import PiaojueAudit
import PiaojueCrypto
public import PiaojueDomain

/// What `piaojue serve` prepares before it listens: the TLS certificate and key it serves with.
public enum ServeSetup {
    /// A certificate and key in PEM files, and the certificate's SHA-256 fingerprint.
    public struct TLSFiles: Sendable, Equatable {
        public let certificatePath: String
        public let keyPath: String
        /// Upper-case hex pairs joined by `:`, as browsers show it.
        public let fingerprint: String
        /// Whether the certificate was made now (false: given, or made by an earlier run).
        public let created: Bool
    }

    /// Where `--tls-self-signed` keeps its certificate and key: beside the ledger.
    public static func selfSignedPaths(workspace: Workspace) -> (certificate: String, key: String) {
        (workspace.settings.databasePath + ".tls-cert.pem", workspace.settings.databasePath + ".tls-key.pem")
    }

    /// The self-signed certificate beside the ledger: the one an earlier run made (so that the
    /// fingerprint the tablets trust stays the same), else a new ECDSA P-256 certificate for
    /// `hosts`, valid for a year, its key written mode 0600.
    public static func selfSigned(hosts: [String], workspace: Workspace) throws -> TLSFiles {
        let paths = selfSignedPaths(workspace: workspace)
        if FileManager.default.fileExists(atPath: paths.certificate), FileManager.default.fileExists(atPath: paths.key) {
            return try given(certificate: paths.certificate, key: paths.key)
        }
        try OutputPaths.checkNewFile(paths.certificate)
        try OutputPaths.checkNewFile(paths.key)
        let made = try SelfSignedCertificate(
            hosts: hosts + ["localhost", "127.0.0.1"], notBefore: workspace.settings.clock().addingTimeInterval(-3_600), days: 365,
            random: workspace.settings.random)
        try OutputPaths.writeNewFile(paths.key, Array(made.privateKeyPEM.utf8), mode: 0o600)
        do {
            try OutputPaths.writeNewFile(paths.certificate, Array(made.certificatePEM.utf8), mode: 0o644)
        } catch {
            unlink(paths.key)
            throw error
        }
        return TLSFiles(certificatePath: paths.certificate, keyPath: paths.key, fingerprint: made.fingerprint, created: true)
    }

    /// Certificate and key files given by the operator, checked readable; the fingerprint is that
    /// of the first certificate in the file.
    public static func given(certificate: String, key: String) throws -> TLSFiles {
        let pem = try TextDecoding.decode(try FileInput.read(certificate, limit: 1 << 20), encoding: .utf8, name: certificate)
        _ = try FileInput.read(key, limit: 1 << 20)
        guard let fingerprint = fingerprint(ofCertificatePEM: pem) else { throw ServeFailure.notACertificate(path: certificate) }
        return TLSFiles(certificatePath: certificate, keyPath: key, fingerprint: fingerprint, created: false)
    }

    /// SHA-256 of the first certificate of a PEM text, as browsers show it; nil without one.
    public static func fingerprint(ofCertificatePEM pem: String) -> String? {
        firstCertificate(pem).map { der in
            SHA256.hash(der).map { byte in
                let text = String(byte, radix: 16, uppercase: true)
                return text.count == 1 ? "0" + text : text
            }.joined(separator: ":")
        }
    }

    /// The DER bytes of the first `CERTIFICATE` block of a PEM text.
    static func firstCertificate(_ pem: String) -> [UInt8]? {
        let begin = "-----BEGIN CERTIFICATE-----"
        let end = "-----END CERTIFICATE-----"
        guard let start = pem.range(of: begin), let stop = pem.range(of: end, range: start.upperBound..<pem.endIndex) else { return nil }
        let body = pem[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
        return Data(base64Encoded: String(body)).map { Array($0) }
    }
}

/// Why `piaojue serve` cannot start with what it was given (exit 2).
public enum ServeFailure: StageRefusal, Equatable {
    /// A non-loopback address without TLS: ballots and codes would cross the network in clear.
    case needsTLS(address: String)
    /// `--tls-cert` without `--tls-key`, or the other way round.
    case tlsPair
    /// The file given as the certificate holds no PEM certificate.
    case notACertificate(path: String)
    /// TLS could not be set up with the certificate and key given.
    case badTLS(detail: String)

    public var plainCaseName: String? {
        switch self {
        case .tlsPair: "tlsPair"
        default: nil
        }
    }
    public var codePrefix: String { "serve" }
    public var exitStatus: Int32 { 2 }

    public var description: String {
        switch self {
        case let .needsTLS(address):
            "\(address) 不是本机回环地址：对外服务只能用 HTTPS，请加 --tls-cert 与 --tls-key，或 --tls-self-signed。\(address) is not a loopback address: serve it over HTTPS only, with --tls-cert and --tls-key or --tls-self-signed."
        case .tlsPair:
            "--tls-cert 与 --tls-key 须同时给出。Give --tls-cert and --tls-key together."
        case let .notACertificate(path):
            "\(path) 中没有 PEM 格式的证书。\(path) holds no PEM certificate."
        case let .badTLS(detail):
            "无法用所给证书和私钥启用 HTTPS：\(detail)。Cannot set up TLS with the certificate and key given: \(detail)."
        }
    }
}
