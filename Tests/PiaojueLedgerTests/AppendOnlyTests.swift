import CSQLite
import PiaojueCrypto
import PiaojueLedger
import PiaojueTestSupport
import Testing

/// The schema refuses to rewrite history even to someone who bypasses the ledger module.
@Suite struct AppendOnlyTests {
    @Test(arguments: [
        "UPDATE entries SET kind = 'forged' WHERE idx = 1",
        "UPDATE entries SET line = CAST('{}' AS BLOB) WHERE idx = 2",
        "UPDATE entries SET leaf = zeroblob(32) WHERE idx = 0",
        "DELETE FROM entries WHERE idx = 3",
        "DELETE FROM entries",
        "UPDATE checkpoints SET reason = 'forged'",
        "UPDATE checkpoints SET root = zeroblob(32) WHERE size = 1",
        "DELETE FROM checkpoints WHERE size = 1",
        "DELETE FROM checkpoints",
    ])
    func triggersRefuseUpdateAndDelete(_ sql: String) throws {
        let fixture = try LedgerFixture(entries: 3)
        try fixture.open().write { try $0.signCheckpoint(reason: "test") }
        let before = try allEntries(fixture.path).map(\.line)
        let raw = try RawSQLite(path: fixture.path)
        let rc = raw.execute(sql)
        #expect(rc != SQLITE_OK)
        #expect(rc & 0xff == SQLITE_CONSTRAINT)
        #expect(raw.message.contains("append-only"))
        #expect(try allEntries(fixture.path).map(\.line) == before)
        #expect(try raw.integer("SELECT count(*) FROM checkpoints") == 2)
    }

    @Test(arguments: [0, 2, 5, 100])
    func insertingOutOfOrderIsRefused(_ index: Int) throws {
        let fixture = try LedgerFixture(entries: 3)
        let raw = try RawSQLite(path: fixture.path)
        let line = Array(#"{"forged":true}"#.utf8)
        let rc = try raw.run(
            "INSERT INTO entries(idx, kind, line, leaf) VALUES (\(index), 'forged', ?, ?)",
            blobs: [line, Merkle.leafHash(line)])
        #expect(rc != SQLITE_OK)
        #expect(try allEntries(fixture.path).count == 4)
    }

    @Test func aFailedWriteLeavesNothing() throws {
        let fixture = try LedgerFixture(entries: 2)
        let ledger = try fixture.open()
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try ledger.write { writer in
                try writer.append(testEntry(3))
                try writer.append(testEntry(4))
                throw Refused()
            }
        }
        #expect(try ledger.read { try $0.count() } == 3)
        try ledger.write { try $0.append(testEntry(3)) }
        let entries = try allEntries(fixture.path)
        #expect(entries.map(\.index) == [0, 1, 2, 3])
    }

    @Test func entriesHaveTheDocumentedShape() throws {
        let fixture = try LedgerFixture(entries: 2)
        let entries = try allEntries(fixture.path)
        var previous = [UInt8](repeating: 0, count: 32)
        for entry in entries {
            let fields = try entry.fields()
            #expect(fields.index == entry.index)
            #expect(fields.prev == previous)
            #expect(fields.signer == fixture.key.publicKey.rawBytes)
            #expect(fields.time == "2025-03-01T00:00:00Z")
            #expect(entry.leafHash == Merkle.leafHash(entry.line))
            #expect(try JSONValue.parse(entry.line).canonicalBytes == entry.line)
            #expect(fixture.key.publicKey.isValidSignature(fields.signature, for: fields.signedBytes))
            previous = entry.leafHash
        }
        #expect(entries.first?.kind == "ledger.init")
    }

    @Test func appendingWithoutTheBodyKeyIsRefused() throws {
        let fixture = try LedgerFixture(entries: 1)
        let ledger = try Ledger.open(at: fixture.path)
        #expect(throws: LedgerError.needsBodyKey) { try ledger.write { try $0.append(testEntry(2)) } }
        #expect(throws: LedgerError.needsBodyKey) { try ledger.write { try $0.signCheckpoint(reason: "test") } }
        let readOnly = try Ledger.open(at: fixture.path, readOnly: true)
        #expect(throws: LedgerError.self) { try readOnly.write { try $0.append(testEntry(2)) } }
        #expect(try allEntries(fixture.path).count == 2)
    }
}
