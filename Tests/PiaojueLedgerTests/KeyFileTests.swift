import Foundation
import PiaojueCrypto
import PiaojueLedger
import PiaojueTestSupport
import Testing

/// The body key on disk: private to its owner, never overwritten, and only the ledger's own key is
/// accepted.
@Suite struct KeyFileTests {
    let directory = TemporaryDirectory("piaojue-key")
    let key: Ed25519PrivateKey

    init() throws { key = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "key-file")) }

    func mode(_ path: String) throws -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else { throw TestFailure("stat \(path)") }
        return info.st_mode & 0o777
    }

    @Test func createdWithMode0600AndLoadsBack() throws {
        let path = directory.path("body.key")
        try KeyFile.create(key, at: path)
        #expect(try mode(path) == 0o600)
        let loaded = try KeyFile.load(from: path)
        #expect(loaded.publicKey == key.publicKey)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }

    @Test func refusesToOverwrite() throws {
        let path = directory.path("body.key")
        try KeyFile.create(key, at: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let other = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "another"))
        let error = ledgerError { try KeyFile.create(other, at: path) }
        #expect(error == .keyExists(path: path))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try mode(path) == 0o600)
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o606, 0o666, 0o700 | 0o044])
    func aKeyReadableByOthersIsRefused(_ permissions: Int) throws {
        let path = directory.path("body.key")
        try KeyFile.create(key, at: path)
        #expect(chmod(path, mode_t(permissions)) == 0)
        let error = ledgerError { _ = try KeyFile.load(from: path) }
        #expect(error == .keyTooOpen(path: path, mode: String(permissions, radix: 8)))
        #expect(error?.description.contains("chmod 600") == true)
    }

    @Test(arguments: [0o600, 0o400])
    func anOwnerOnlyKeyIsAccepted(_ permissions: Int) throws {
        let path = directory.path("body.key")
        try KeyFile.create(key, at: path)
        #expect(chmod(path, mode_t(permissions)) == 0)
        #expect(try KeyFile.load(from: path).publicKey == key.publicKey)
    }

    @Test func aMissingOrGarbledKeyIsRefused() throws {
        let missing = directory.path("absent.key")
        #expect(ledgerError { _ = try KeyFile.load(from: missing) } == .keyMissing(path: missing))
        let garbled = directory.path("garbled.key")
        #expect(FileManager.default.createFile(atPath: garbled, contents: Data("not a key\n".utf8), attributes: [.posixPermissions: 0o600]))
        guard case .keyUnreadable(let path, _)? = ledgerError({ _ = try KeyFile.load(from: garbled) }) else {
            Issue.record("expected .keyUnreadable")
            return
        }
        #expect(path == garbled)
    }

    @Test func aWrongKeyIsRefusedByTheLedger() throws {
        let fixture = try LedgerFixture(entries: 1)
        let wrongPath = directory.path("wrong.key")
        try KeyFile.create(try Ed25519PrivateKey.generate(using: SeededRandom(seed: "wrong")), at: wrongPath)
        let wrong = try KeyFile.load(from: wrongPath)
        let ledger = try Ledger.open(at: fixture.path)
        #expect(ledgerError { try ledger.attach(bodyKey: wrong, from: wrongPath) } == .wrongKey(path: wrongPath))
        #expect(ledger.bodyKey == nil)
        #expect(throws: LedgerError.needsBodyKey) { try ledger.write { try $0.append(testEntry(2)) } }

        let rightPath = directory.path("right.key")
        try KeyFile.create(fixture.key, at: rightPath)
        try ledger.attach(bodyKey: try KeyFile.load(from: rightPath), from: rightPath)
        try ledger.write { try $0.append(testEntry(2)) }
        #expect(try allEntries(fixture.path).count == 3)
    }
}
