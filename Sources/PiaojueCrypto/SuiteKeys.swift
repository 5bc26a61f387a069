/// Whatever signs for a ledger, a checkpoint or a ballot: a key held in memory (``SigningKey``)
/// or, where 密评 asks for a certified cryptographic module, a signer that hands the message to
/// that module. Callers sign through this protocol and never see the key material.
public protocol Signer: Sendable {
    /// The public half, with its suite.
    var verifyingKey: VerifyingKey { get }
    /// The signature over `message` in the suite's encoding (64 bytes Ed25519, DER SM2).
    func sign(_ message: [UInt8]) throws -> [UInt8]
}

extension Signer {
    /// The suite of the key.
    public var suite: CryptoSuite { verifyingKey.suite }
}

/// A private key of either suite, held in memory: an Ed25519 seed or an SM2 scalar.
public struct SigningKey: Signer {
    private enum Storage: Sendable {
        case ed25519(Ed25519PrivateKey)
        case sm2(SM2PrivateKey)
    }

    private let storage: Storage
    /// The public half, with its suite.
    public let verifyingKey: VerifyingKey

    /// The suite of the key.
    public var suite: CryptoSuite { verifyingKey.suite }

    /// An Ed25519 key as a ``CryptoSuite/standard`` signing key.
    public init(_ key: Ed25519PrivateKey) {
        storage = .ed25519(key)
        verifyingKey = VerifyingKey(key.publicKey)
    }

    /// An SM2 key as a ``CryptoSuite/gm`` signing key.
    public init(_ key: SM2PrivateKey) {
        storage = .sm2(key)
        verifyingKey = VerifyingKey(key.publicKey)
    }

    /// The key of a credential whose code carries the 32-byte `credentialSecret`: the Ed25519 key
    /// whose RFC 8032 seed is the secret, or the SM2 key d = 1 + (secret mod (n − 2))
    /// (``SM2PrivateKey/init(derivingFrom:)``). Every secret gives a key.
    public init(suite: CryptoSuite, credentialSecret: [UInt8]) throws {
        switch suite {
        case .standard: self.init(try Ed25519PrivateKey(seed: credentialSecret))
        case .gm: self.init(try SM2PrivateKey(derivingFrom: credentialSecret))
        }
    }

    /// A new key of `suite` from 32 bytes of `random` (OpenSSL `RAND_bytes` by default), derived
    /// as a credential is.
    public static func generate(suite: CryptoSuite, using random: some RandomSource = SystemRandom()) throws -> SigningKey {
        var secret = try random.bytes(32)
        defer { Ed25519PrivateKey.cleanse(&secret) }
        return try SigningKey(suite: suite, credentialSecret: secret)
    }

    /// A private key read from PEM PKCS#8, Ed25519 or SM2; its suite is the key's type.
    public init(pem: String) throws {
        do { self.init(try Ed25519PrivateKey(pem: pem)) } catch {
            do { self.init(try SM2PrivateKey(pem: pem)) } catch {
                throw CryptoInputError("the PEM text is neither an Ed25519 nor an SM2 private key")
            }
        }
    }

    /// PEM PKCS#8 (`-----BEGIN PRIVATE KEY-----`), unencrypted, as `openssl genpkey` writes it.
    public func pemPKCS8() throws -> String {
        switch storage {
        case .ed25519(let key): try key.pemPKCS8()
        case .sm2(let key): try key.pemPKCS8()
        }
    }

    /// The signature over `message`: Ed25519 (64 bytes, deterministic) or SM2 with SM3 and ID
    /// "1234567812345678" (DER, a fresh random k each time).
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        switch storage {
        case .ed25519(let key): try key.sign(message)
        case .sm2(let key): try key.sign(message)
        }
    }
}

/// A public key of either suite: 32 raw Ed25519 bytes or the 65-byte SM2 point 0x04 ‖ x ‖ y.
/// Equal and hashed by suite and bytes.
public struct VerifyingKey: Sendable, Hashable, CustomStringConvertible {
    private enum Storage: Sendable, Hashable {
        case ed25519(Ed25519PublicKey)
        case sm2(SM2PublicKey)
    }

    private let storage: Storage

    /// An Ed25519 public key as a ``CryptoSuite/standard`` verifying key.
    public init(_ key: Ed25519PublicKey) { storage = .ed25519(key) }

    /// An SM2 public key as a ``CryptoSuite/gm`` verifying key.
    public init(_ key: SM2PublicKey) { storage = .sm2(key) }

    /// A public key of `suite` from its raw bytes (an entry's `signer`): 32 bytes for standard; for
    /// gm 65 bytes 0x04 ‖ x ‖ y on the SM2 curve.
    public init(suite: CryptoSuite, rawBytes: [UInt8]) throws(CryptoInputError) {
        switch suite {
        case .standard: storage = .ed25519(try Ed25519PublicKey(rawBytes: rawBytes))
        case .gm: storage = .sm2(try SM2PublicKey(rawBytes: rawBytes))
        }
    }

    /// A public key read from PEM SubjectPublicKeyInfo (`body.pub.pem`), Ed25519 or SM2; its
    /// suite is the key's type.
    public init(pem: String) throws {
        do { storage = .ed25519(try Ed25519PublicKey(pem: pem)) } catch {
            do { storage = .sm2(try SM2PublicKey(pem: pem)) } catch {
                throw CryptoInputError("the PEM text is neither an Ed25519 nor an SM2 public key")
            }
        }
    }

    /// The suite the key belongs to.
    public var suite: CryptoSuite {
        switch storage {
        case .ed25519: .standard
        case .sm2: .gm
        }
    }

    /// The raw bytes, as entries carry them (base64'd in `signer`, `publicKey`, credentials).
    public var rawBytes: [UInt8] {
        switch storage {
        case .ed25519(let key): key.rawBytes
        case .sm2(let key): key.rawBytes
        }
    }

    /// What a signed-note verifier key carries after its type byte, and what enters the key ID:
    /// the raw key for Ed25519 (type 0x01); "sm2-sm3-1234567812345678" ‖ the point for SM2 (0xff).
    public var noteKeyMaterial: [UInt8] { suite.noteKeyIdentifier + rawBytes }

    /// The verifier of this key's note signatures under `keyName`: an ``Ed25519NoteVerifier`` or
    /// an ``SM2NoteVerifier``.
    public func noteVerifier(keyName: String) throws(CryptoInputError) -> any NoteVerifier {
        switch storage {
        case .ed25519(let key): try Ed25519NoteVerifier(keyName: keyName, publicKey: key)
        case .sm2(let key): try SM2NoteVerifier(keyName: keyName, publicKey: key)
        }
    }

    /// Base64 of the raw bytes, the form used in ledger entries and the CLI.
    public var base64: String { Encoding.base64(rawBytes) }

    /// `suite:base64`, for messages and logs.
    public var description: String { "\(suite.rawValue):\(base64)" }

    /// Whether `signature` is a valid signature by this key over `message`, in the key's suite.
    /// Malformed signatures are simply not valid.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        switch storage {
        case .ed25519(let key): key.isValidSignature(signature, for: message)
        case .sm2(let key): key.isValidSignature(signature, for: message)
        }
    }

    /// PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`), as `openssl pkey -pubout` writes it.
    public func pem() throws -> String {
        switch storage {
        case .ed25519(let key): try key.pem()
        case .sm2(let key): try key.pem()
        }
    }
}
