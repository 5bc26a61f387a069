import CSQLite
import Foundation
import PiaojueAudit
import PiaojueCrypto
import PiaojueLedger
import PiaojueTestSupport
import Testing

/// Migration 004 (witnesses' cosignatures): a ledger of schema 3 is read as it is by read-only
/// opens (never migrated, its schema compared with schema 3's), migrated by the first writable
/// open, and audited the same either way.
@Suite struct CosignatureMigrationTests {
    struct SQLiteUnreadable: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    static let fixture = TestPaths.fixtures.appendingPathComponent("v1-demo/demo-2026-12-01.ledger")

    static func userVersion(_ path: String) throws -> Int32 {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let handle else {
            throw SQLiteUnreadable("cannot open \(path)")
        }
        defer { sqlite3_close(handle) }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, "PRAGMA user_version", -1, &statement, nil) == SQLITE_OK, let statement else {
            throw SQLiteUnreadable("cannot read user_version")
        }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { throw SQLiteUnreadable("no user_version") }
        return sqlite3_column_int(statement, 0)
    }

    @Test func aSchemaThreeLedgerIsReadReadOnlyWithoutMigratingAndMigratedByAWritableOpen() throws {
        let directory = TemporaryDirectory("cosignature-migration")
        let copy = directory.path("piaojue.sqlite")
        try FileManager.default.copyItem(atPath: Self.fixture.path, toPath: copy)
        #expect(try Self.userVersion(copy) == 3)
        #expect(Ledger.schemaVersion == 4)

        let readOnly = try Ledger.open(at: copy, readOnly: true)
        #expect(try readOnly.read { try $0.cosignatures() }.isEmpty)
        let before = LedgerAudit.verify(readOnly)
        #expect(before.ok, "\(String(describing: before.firstFailure))")
        #expect(try Self.userVersion(copy) == 3)

        let writable = try Ledger.open(at: copy)
        #expect(try Self.userVersion(copy) == 4)
        #expect(try writable.read { try $0.schema() }.expected.contains { $0.name == "cosignatures" })
        let after = LedgerAudit.verify(try Ledger.open(at: copy, readOnly: true))
        #expect(after.ok, "\(String(describing: after.firstFailure))")
        #expect(after.checks.count == before.checks.count)
    }
}
