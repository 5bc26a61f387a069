import CSQLite
import Foundation
import PiaojueAudit
import PiaojueCrypto
import PiaojueLedger
import PiaojueTestSupport
import Testing

/// What someone with write access to the file might do after dropping the triggers.
enum Tamper: Sendable, CustomTestStringConvertible {
    /// Change one byte inside the payload of entry k.
    case editPayload(Int)
    /// Delete row k.
    case deleteRow(Int)
    /// Swap the `line` and `leaf` of two rows.
    case swapRows(Int, Int)
    /// Change the `kind` index column of row k (the line stays intact).
    case editKindColumn(Int)

    /// The entry the audit must name.
    var badIndex: Int {
        switch self {
        case let .editPayload(k), let .deleteRow(k), let .editKindColumn(k): k
        case let .swapRows(i, j): min(i, j)
        }
    }

    var testDescription: String {
        switch self {
        case let .editPayload(k): "edit one payload byte of entry \(k)"
        case let .deleteRow(k): "delete row \(k)"
        case let .swapRows(i, j): "swap rows \(i) and \(j)"
        case let .editKindColumn(k): "edit the kind column of row \(k)"
        }
    }

    func apply(to raw: RawSQLite) throws {
        switch self {
        case let .editPayload(k):
            try raw.require("DROP TRIGGER entries_no_update")
            var line = try raw.blob("SELECT line FROM entries WHERE idx = \(k)")
            // Entry 0 holds the body's key name; the others hold the marker "abcdef" in `note`.
            let marker = Array((k == 0 ? "piaojue" : "abcdef").utf8)
            guard let start = line.indices.first(where: { line[$0...].starts(with: marker) }) else {
                throw TestFailure("no marker in entry \(k)")
            }
            line[start] += 1
            #expect(try raw.run("UPDATE entries SET line = ? WHERE idx = \(k)", blobs: [line]) == SQLITE_OK)
        case let .deleteRow(k):
            try raw.require("DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE idx = \(k)")
        case let .swapRows(i, j):
            try raw.require("DROP TRIGGER entries_no_update")
            let (lineI, leafI) = (try raw.blob("SELECT line FROM entries WHERE idx = \(i)"), try raw.blob("SELECT leaf FROM entries WHERE idx = \(i)"))
            let (lineJ, leafJ) = (try raw.blob("SELECT line FROM entries WHERE idx = \(j)"), try raw.blob("SELECT leaf FROM entries WHERE idx = \(j)"))
            // `leaf` is UNIQUE: park row i on a placeholder first.
            try raw.require("UPDATE entries SET leaf = randomblob(32) WHERE idx = \(i)")
            #expect(try raw.run("UPDATE entries SET line = ?, leaf = ? WHERE idx = \(j)", blobs: [lineI, leafI]) == SQLITE_OK)
            #expect(try raw.run("UPDATE entries SET line = ?, leaf = ? WHERE idx = \(i)", blobs: [lineJ, leafJ]) == SQLITE_OK)
        case let .editKindColumn(k):
            try raw.require("DROP TRIGGER entries_no_update; UPDATE entries SET kind = 'forged' WHERE idx = \(k)")
        }
    }
}

/// Whether an audit detail names entry (or row, or line) `k` — not `k` as part of a larger number.
func names(_ detail: String, entry k: Int) -> Bool {
    if detail.contains("第 \(k) 条") || detail.contains("第 \(k) 行") { return true }
    for word in ["entry", "row", "line"] {
        var rest = Substring(detail)
        while let range = rest.range(of: "\(word) \(k)") {
            let next = rest[range.upperBound...].first
            if next.map({ !$0.isNumber }) ?? true { return true }
            rest = rest[range.upperBound...]
        }
    }
    return false
}

/// `LedgerAudit.verify` catches every kind of tampering and names the entry.
@Suite struct LedgerTamperTests {
    /// A ledger of 8 entries (0…7) with checkpoints at sizes 1 and 8.
    func ledger() throws -> LedgerFixture {
        let fixture = try LedgerFixture(entries: 7)
        try fixture.open().write { try $0.signCheckpoint(reason: "audit.checkpoint") }
        return fixture
    }

    /// The integrity checks only: the fixture's entries (`test.note`) are not a congress's history,
    /// so the history checks (HistoryAuditor) have nothing to say about them.
    func audit(_ path: String) throws -> VerificationReport {
        LedgerAudit.verify(try Ledger.open(at: path, readOnly: true), observers: [])
    }

    @Test(arguments: [0, 1, 5, 100])
    func aCleanLedgerVerifies(appended: Int) throws {
        let fixture = try LedgerFixture(entries: appended)
        if appended > 0 { try fixture.open().write { try $0.signCheckpoint(reason: "audit.checkpoint") } }
        let report = try audit(fixture.path)
        #expect(report.ok, "\(report.firstFailure.map { "\($0.name): \($0.detail)" } ?? "")")
        #expect(report.checks.count >= 9)
        #expect(report.checks.map(\.id) == Array(1...report.checks.count))
        #expect(report.checks.allSatisfy { $0.ok })
    }

    @Test(arguments: [
        Tamper.editPayload(0), .editPayload(1), .editPayload(4), .editPayload(7),
        .deleteRow(1), .deleteRow(4), .deleteRow(6),
        .swapRows(1, 2), .swapRows(2, 6), .swapRows(3, 7),
        .editKindColumn(2), .editKindColumn(7),
    ])
    func tamperingFailsTheAuditAndNamesTheEntry(_ tamper: Tamper) throws {
        let fixture = try ledger()
        #expect(try audit(fixture.path).ok)
        do {
            let raw = try RawSQLite(path: fixture.path)
            try tamper.apply(to: raw)
        }
        let report = try audit(fixture.path)
        #expect(!report.ok)
        let failure = try #require(report.firstFailure)
        #expect(names(failure.detail, entry: tamper.badIndex), "first failure: \(failure.name): \(failure.detail)")
        #expect(
            report.checks.contains { !$0.ok && ($0.detail.contains("第 \(tamper.badIndex) 条") || $0.detail.contains("第 \(tamper.badIndex) 行")) },
            "\(report.checks.filter { !$0.ok }.map(\.detail))")
    }

    @Test func deletingTheLastEntryIsCaughtByTheCheckpoint() throws {
        let fixture = try ledger()
        do {
            let raw = try RawSQLite(path: fixture.path)
            try Tamper.deleteRow(7).apply(to: raw)
        }
        let report = try audit(fixture.path)
        #expect(!report.ok)
        #expect(report.checks.contains { !$0.ok && $0.detail.contains("8") })
    }

    @Test func aForgedCheckpointFailsTheAudit() throws {
        let fixture = try ledger()
        do {
            let raw = try RawSQLite(path: fixture.path)
            try raw.require("DROP TRIGGER checkpoints_no_update")
            try raw.require("UPDATE checkpoints SET root = zeroblob(32) WHERE size = 8")
        }
        let report = try audit(fixture.path)
        #expect(!report.ok)
    }

    @Test func anEntryAppendedBehindTheLedgersBackFailsTheAudit() throws {
        let fixture = try ledger()
        do {
            // A well-formed, correctly chained entry signed by some other key.
            let raw = try RawSQLite(path: fixture.path)
            let previous = try raw.blob("SELECT leaf FROM entries WHERE idx = 7")
            let intruder = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "intruder"))
            let unsigned = JSONValue.object(JSONObject([
                "index": .integer(8), "kind": .string("test.note"), "time": .string("2025-03-01T00:00:00Z"),
                "prev": .string(Encoding.hex(previous)), "payload": .object(JSONObject(["note": .string("forged")])),
                "signer": .string(intruder.publicKey.base64),
            ]))
            guard case var .object(object) = unsigned else { throw TestFailure("not an object") }
            object["sig"] = .string(Encoding.base64(try intruder.sign(unsigned.canonicalBytes)))
            let line = JSONValue.object(object).canonicalBytes
            #expect(try raw.run(
                "INSERT INTO entries(idx, kind, line, leaf) VALUES (8, 'test.note', ?, ?)",
                blobs: [line, Merkle.leafHash(line)]) == SQLITE_OK)
        }
        let report = try audit(fixture.path)
        #expect(!report.ok)
        let failure = try #require(report.firstFailure)
        #expect(names(failure.detail, entry: 8), "\(failure.detail)")
    }

    @Test func deletingTheFirstEntryMakesTheLedgerUnreadable() throws {
        let fixture = try ledger()
        do {
            let raw = try RawSQLite(path: fixture.path)
            try Tamper.deleteRow(0).apply(to: raw)
        }
        let error = ledgerError { _ = try Ledger.open(at: fixture.path, readOnly: true) }
        guard case .corrupt? = error else {
            Issue.record("expected .corrupt, got \(String(describing: error))")
            return
        }
    }

    @Test(arguments: [("entry 4 does not chain", 4, true), ("entry 14 is bad", 4, false), ("第 4 条", 4, true), ("row 3: x", 3, true), ("size 40", 4, false)])
    func namingIsExact(_ detail: String, _ k: Int, _ expected: Bool) {
        #expect(names(detail, entry: k) == expected)
    }
}
