import Foundation
import PiaojueCrypto
public import PiaojueDomain
import PiaojueLedger

/// `piaojue init`: a new ledger and body key.
public enum SetupService {
    public typealias Created = InitOutput

    /// The checkpoint origin / key name for a body (see ``Body/keyName(for:)``).
    public static func keyName(for body: String) -> String { Body.keyName(for: body) }

    /// Creates the key file (mode 0600) and the ledger; refuses when either exists, and leaves
    /// nothing behind when anything fails.
    public static func initialize(body: String, level: BodyLevel, settings: Settings) throws -> Created {
        let name = try CleanText.text(try Body.name(body), field: "机关名称 body")
        let fileManager = FileManager.default
        guard !fileManager.fileExists(atPath: settings.databasePath) else {
            throw LedgerError.alreadyExists(path: settings.databasePath)
        }
        guard !fileManager.fileExists(atPath: settings.keyPath) else { throw LedgerError.keyExists(path: settings.keyPath) }
        let key = try Ed25519PrivateKey.generate(using: settings.random)
        try KeyFile.create(key, at: settings.keyPath)
        let keyName = keyName(for: name)
        do {
            let genesis = JSONObject([
                "body": .string(name), "level": .string(level.rawValue), "software": .string("piaojue"),
                "schema": .integer(Int64(Ledger.schemaVersion)),
            ])
            _ = try Ledger.create(at: settings.databasePath, keyName: keyName, key: key, genesis: genesis, clock: settings.clock)
        } catch {
            unlink(settings.keyPath)
            throw error
        }
        return InitOutput(
            body: name, level: level.rawValue, publicKey: key.publicKey.base64, keyName: keyName, db: settings.databasePath,
            key: settings.keyPath)
    }
}
