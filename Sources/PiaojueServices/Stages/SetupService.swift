import Foundation
public import PiaojueCrypto
public import PiaojueDomain
import PiaojueLedger

/// `piaojue init`: a new ledger and body key.
public enum SetupService {
    public typealias Created = InitOutput

    /// The checkpoint origin / key name for a body (see ``Body/keyName(for:)``).
    public static func keyName(for body: String) -> String { Body.keyName(for: body) }

    /// The suite `--crypto` names: `standard` (the default) or `gm`.
    public static func suite(named name: String) throws(SetupFailure) -> CryptoSuite {
        guard let suite = CryptoSuite(rawValue: name) else { throw .unknownCryptoSuite(name: name) }
        return suite
    }

    /// Creates the key file (mode 0600) and the ledger; refuses when either exists, and leaves
    /// nothing behind when anything fails. `crypto` names the suite (`standard` or `gm`); with
    /// `alsoEd25519` (gm only) an Ed25519 key is created beside the SM2 key
    /// (``KeyFile/ed25519Path(beside:)``) and signs every checkpoint too.
    public static func initialize(
        body: String, level: BodyLevel, crypto: String = CryptoSuite.standard.rawValue, alsoEd25519: Bool = false,
        settings: Settings
    ) throws -> Created {
        let suite = try suite(named: crypto)
        if alsoEd25519, suite == .standard { throw SetupFailure.alsoEd25519NeedsGM }
        let name = try CleanText.text(try Body.name(body), field: "机关名称 body")
        let fileManager = FileManager.default
        guard !fileManager.fileExists(atPath: settings.databasePath) else {
            throw LedgerError.alreadyExists(path: settings.databasePath)
        }
        guard !fileManager.fileExists(atPath: settings.keyPath) else { throw LedgerError.keyExists(path: settings.keyPath) }
        let ed25519Path = alsoEd25519 ? KeyFile.ed25519Path(beside: settings.keyPath) : nil
        if let ed25519Path, fileManager.fileExists(atPath: ed25519Path) { throw LedgerError.keyExists(path: ed25519Path) }
        let key: SigningKey
        switch suite {
        case .standard: key = SigningKey(try Ed25519PrivateKey.generate(using: settings.random))
        case .gm: key = try SigningKey.generate(suite: suite, using: settings.random)
        }
        let ed25519Key = try ed25519Path.map { _ in SigningKey(try Ed25519PrivateKey.generate(using: settings.random)) }
        try KeyFile.create(key, at: settings.keyPath)
        let keyName = keyName(for: name)
        do {
            if let ed25519Path, let ed25519Key { try KeyFile.create(ed25519Key, at: ed25519Path) }
            let genesis = JSONObject([
                "body": .string(name), "level": .string(level.rawValue), "software": .string("piaojue"),
                "schema": .integer(Int64(Ledger.schemaVersion)),
            ])
            _ = try Ledger.create(
                at: settings.databasePath, keyName: keyName, key: key, ed25519Key: ed25519Key, genesis: genesis, clock: settings.clock)
        } catch {
            unlink(settings.keyPath)
            if let ed25519Path, error != .keyExists(path: ed25519Path) { unlink(ed25519Path) }
            throw error
        }
        return InitOutput(
            body: name, level: level.rawValue, publicKey: key.verifyingKey.base64, keyName: keyName, db: settings.databasePath,
            key: settings.keyPath, crypto: suite.rawValue, ed25519PublicKey: ed25519Key?.verifyingKey.base64, ed25519Key: ed25519Path)
    }
}
