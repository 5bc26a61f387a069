import Foundation
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger

/// The level of the congress that keeps the ledger.
public enum BodyLevel: String, Sendable, CaseIterable {
    case township, county, city

    /// From the English word or 乡镇 / 县 / 市.
    public init?(word: String) {
        switch word {
        case "township", "乡镇", "乡", "镇": self = .township
        case "county", "县", "区", "县级": self = .county
        case "city", "市", "地市": self = .city
        default: return nil
        }
    }
}

/// `piaojue init`: a new ledger and body key.
public enum SetupService {
    public typealias Created = InitOutput

    /// The checkpoint origin / key name for a body: `piaojue/<name>` with spaces and `+` replaced.
    public static func keyName(for body: String) -> String {
        let cleaned = body.unicodeScalars.map { scalar -> String in
            scalar == "+" || scalar.properties.isWhitespace || scalar.value < 0x20 ? "-" : String(scalar)
        }.joined()
        return "piaojue/" + cleaned
    }

    /// Creates the key file (mode 0600) and the ledger; refuses when either exists, and leaves
    /// nothing behind when anything fails.
    public static func initialize(body: String, level: BodyLevel, settings: Settings) throws -> Created {
        let name = body.trimmingSpaces()
        guard !name.isEmpty, name.count <= 100 else {
            throw SetupFailure.bodyName
        }
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
