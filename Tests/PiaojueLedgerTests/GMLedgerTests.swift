import Foundation
import PiaojueCrypto
import PiaojueLedger
import PiaojueTestSupport
import Testing

/// A 国密 ledger (`init --crypto gm`): SM2 entry signatures, SM3 leaves and tree, SM2 checkpoints
/// with an Ed25519 line first when the ledger has that key too, SM2 credentials.
@Suite struct GMLedgerTests {
    struct GMFixture {
        let directory = TemporaryDirectory("piaojue-gm-ledger")
        let path: String
        let key: SigningKey
        let ed25519: SigningKey?

        init(alsoEd25519: Bool, seed: String = "gm-ledger") throws {
            path = directory.path("piaojue.sqlite")
            key = try SigningKey.generate(suite: .gm, using: SeededRandom(seed: seed))
            ed25519 = alsoEd25519 ? SigningKey(try Ed25519PrivateKey.generate(using: SeededRandom(seed: seed + "-ed"))) : nil
            let ledger = try Ledger.create(
                at: path, keyName: testKeyName, key: key, ed25519Key: ed25519,
                genesis: JSONObject(["body": .string("测试县人民代表大会")]), clock: fixedClock)
            try ledger.write { writer in
                for n in 1...3 { try writer.append(testEntry(n)) }
                try writer.signCheckpoint(reason: "audit.checkpoint")
            }
        }
    }

    @Test(arguments: [false, true])
    func aGMLedgerRecordsItsSuiteAndUsesItThroughout(_ alsoEd25519: Bool) throws {
        let fixture = try GMFixture(alsoEd25519: alsoEd25519)
        let ledger = try Ledger.open(at: fixture.path, readOnly: true)
        #expect(ledger.identity.suite == .gm)
        #expect(ledger.identity.publicKey == fixture.key.verifyingKey)
        #expect(ledger.identity.genesis["crypto"]?.stringValue == "gm")
        #expect(ledger.identity.ed25519Key.map { VerifyingKey($0) } == fixture.ed25519?.verifyingKey)
        let entries = try allEntries(fixture.path)
        #expect(entries.count == 4)
        var previous = [UInt8](repeating: 0, count: 32)
        for entry in entries {
            let fields = try entry.fields()
            // SM3 leaves, chained; SM2 signatures by the 65-byte body point.
            #expect(entry.leafHash == CryptoSuite.gm.leafHash(entry.line))
            #expect(entry.leafHash != CryptoSuite.standard.leafHash(entry.line))
            #expect(fields.prev == previous)
            #expect(fields.signer == fixture.key.verifyingKey.rawBytes)
            #expect(fixture.key.verifyingKey.isValidSignature(fields.signature, for: fields.signedBytes))
            previous = entry.leafHash
        }
        let checkpoint = try #require(try ledger.read { try $0.latestCheckpoint() })
        #expect(checkpoint.root == Merkle.root(entries.map(\.leafHash), suite: .gm))
        let note = try SignedNote(parsing: checkpoint.note)
        #expect(note.signatures.count == (alsoEd25519 ? 2 : 1))
        #expect(note.isSigned(by: fixture.key.verifyingKey, keyName: testKeyName))
        if let ed25519 = fixture.ed25519 {
            // The Ed25519 line first, in the standard form: an Ed25519-only tool checks it.
            let edKey = try Ed25519PublicKey(rawBytes: ed25519.verifyingKey.rawBytes)
            #expect(note.isFirstSigned(by: edKey, keyName: testKeyName))
            #expect(note.isSignedFirst(byEach: ledger.identity.checkpointKeys, keyName: testKeyName))
        } else {
            #expect(note.isFirstSigned(by: fixture.key.verifyingKey, keyName: testKeyName))
        }
    }

    @Test func writingNeedsBothKeysOfALedgerThatHasTwo() throws {
        let fixture = try GMFixture(alsoEd25519: true)
        let keyPath = fixture.directory.path("body.key")
        let ledger = try Ledger.open(at: fixture.path, clock: fixedClock)
        let edPath = KeyFile.ed25519Path(beside: keyPath)
        #expect(edPath.hasSuffix("body.ed25519.key"))
        #expect(ledgerError { try ledger.attach(bodyKey: fixture.key, from: keyPath) } == .keyMissing(path: edPath))
        let stranger = SigningKey(try Ed25519PrivateKey.generate(using: SeededRandom(seed: "stranger")))
        #expect(ledgerError { try ledger.attach(bodyKey: fixture.key, from: keyPath, ed25519Key: stranger) } == .wrongKey(path: edPath))
        #expect(ledgerError { try ledger.attach(bodyKey: stranger, from: keyPath) } == .wrongKey(path: keyPath))
        try ledger.attach(bodyKey: fixture.key, from: keyPath, ed25519Key: fixture.ed25519)
        try ledger.write { writer in
            try writer.append(testEntry(4))
            try writer.signCheckpoint(reason: "audit.checkpoint")
        }
        #expect(try allEntries(fixture.path).count == 5)
    }

    @Test func credentialsOfAGMLedgerAreSM2Keys() throws {
        let fixture = try GMFixture(alsoEd25519: false)
        let ledger = try Ledger.open(at: fixture.path, clock: fixedClock)
        try ledger.attach(bodyKey: fixture.key, from: fixture.path + ".key")
        let credential = try SigningKey(suite: .gm, credentialSecret: Array(repeating: 7, count: 32))
        let payload = JSONValue.object(JSONObject(["session": .string("S1"), "choices": .object(JSONObject())]))
        let entry = try ledger.write { writer in
            try writer.append(NewEntry(
                kind: "session.cast", payload: payload,
                signing: .credential(publicKey: credential.verifyingKey, signature: try credential.sign(payload.canonicalBytes))))
        }
        let fields = try entry.fields()
        #expect(fields.signer.count == 65)
        #expect(credential.verifyingKey.isValidSignature(fields.signature, for: fields.signedBytes))
        #expect(try ledger.read { try $0.ballotIndex(credential: credential.verifyingKey) } == entry.index)
        // An Ed25519 credential has no place in a gm ledger.
        let ed = SigningKey(try Ed25519PrivateKey(seed: Array(repeating: 7, count: 32)))
        #expect(throws: LedgerError.self) {
            try ledger.write { writer in
                try writer.append(NewEntry(
                    kind: "session.cast", payload: payload,
                    signing: .credential(publicKey: ed.verifyingKey, signature: try ed.sign(payload.canonicalBytes))))
            }
        }
    }

    @Test func anSM2KeyFileIsPKCS8WithMode0600() throws {
        let directory = TemporaryDirectory("piaojue-gm-key")
        let path = directory.path("body.key")
        let key = try SigningKey.generate(suite: .gm, using: SeededRandom(seed: "sm2-key-file"))
        try KeyFile.create(key, at: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try KeyFile.loadSigningKey(from: path).verifyingKey == key.verifyingKey)
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self).hasPrefix("-----BEGIN PRIVATE KEY-----"))
        // The Ed25519-only reader refuses it, naming the file.
        guard case .keyUnreadable(let named, _)? = ledgerError({ _ = try KeyFile.load(from: path) }) else {
            Issue.record("an SM2 key read as Ed25519")
            return
        }
        #expect(named == path)
    }

    @Test func aStandardLedgerIsUnchanged() throws {
        let fixture = try LedgerFixture(entries: 2)
        let ledger = try Ledger.open(at: fixture.path, readOnly: true)
        #expect(ledger.identity.suite == .standard)
        #expect(ledger.identity.genesis["crypto"] == nil)
        #expect(ledger.identity.ed25519Key == nil)
        for entry in try allEntries(fixture.path) { #expect(entry.leafHash == Merkle.leafHash(entry.line)) }
    }
}
