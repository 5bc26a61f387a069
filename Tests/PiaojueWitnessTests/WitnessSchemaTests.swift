import CSQLite
import PiaojueLedger
import PiaojueTestSupport
import PiaojueWitness
import Testing

/// The state file's invariants hold in SQLite itself, whoever writes to it.
@Suite struct WitnessSchemaTests {
    @Test(arguments: [
        "DELETE FROM logs", "UPDATE logs SET size = 4", "UPDATE logs SET root = zeroblob(32)", "UPDATE logs SET size = NULL, root = NULL", "UPDATE logs SET last_time = 0",
        "DELETE FROM log_keys", "UPDATE log_keys SET retired = NULL", "UPDATE log_keys SET vkey = 'x'",
        "DELETE FROM cosigned", "UPDATE cosigned SET root = zeroblob(32)", "DELETE FROM evidence", "UPDATE evidence SET kind = 'x'",
        "UPDATE witness SET name = 'x'", "DELETE FROM witness",
    ])
    func directWritesAgainstTheInvariantsAreRefused(_ sql: String) throws {
        let fixture = try WitnessFixture()
        _ = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8))
        _ = try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 9, proof: [SHA256Bytes.one]))
        try fixture.witness.retireKey(origin: fixture.log.origin, vkey: fixture.log.vkey)
        #expect(try fixture.witness.evidence(origin: fixture.log.origin).count == 1)
        let before = try fixture.snapshot()
        let connection = try SQLiteConnection(path: Witness.statePath(in: fixture.directory.path("w")), flags: SQLITE_OPEN_READWRITE)
        #expect(throws: SQLiteError.self) { try connection.execute(sql) }
        #expect(try fixture.snapshot() == before)
    }
}

enum SHA256Bytes {
    static let one = [UInt8](repeating: 1, count: 32)
}
