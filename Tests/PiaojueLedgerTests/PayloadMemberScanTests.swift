import PiaojueCrypto
import PiaojueLedger
import Testing

/// The quick read of one payload integer (used for a session's attendance) answers exactly as the
/// full parse of the entry does, whatever the strings and nesting around it.
@Suite struct PayloadMemberScanTests {
    static func object(_ members: [String: JSONValue]) -> JSONValue {
        var object = JSONObject()
        for (key, value) in members { object[key] = value }
        return .object(object)
    }

    static func entry(_ payload: [String: JSONValue]) -> LedgerEntry {
        let object = JSONValue.object(JSONObject([
            "index": .integer(7), "kind": .string("session.checkin"), "time": .string("2026-11-22T03:47:29Z"),
            "prev": .string(String(repeating: "0", count: 64)), "payload": object(payload),
            "signer": .string(Encoding.base64([UInt8](repeating: 1, count: 32))),
            "sig": .string(Encoding.base64([UInt8](repeating: 2, count: 64))),
        ]))
        let line = object.canonicalBytes
        return LedgerEntry(index: 7, kind: "session.checkin", session: "S1", line: line, leafHash: Merkle.leafHash(line))
    }

    static let payloads: [[String: JSONValue]] = [
        ["session": .string("S1"), "deputies": .array([.string("D1"), .string("D2")]), "present": .integer(3)],
        ["deputies": .array([.string(#"D"present":9"#), .string(#"\"#), .string("}{][")]), "present": .integer(181)],
        ["nested": object(["present": .integer(99)]), "present": .integer(7), "zzz": .array([object(["present": .integer(5)])])],
        ["nested": object(["present": .integer(99)])],
        ["present": .string("7")],
        ["present": .integer(-2)],
        ["present": .integer(9_007_199_254_740_991)],
        ["present": .array([.integer(1)])],
        ["présent": .integer(4), "present": .integer(0)],
    ]

    @Test(arguments: 0..<payloads.count)
    func quickReadEqualsFullParse(case number: Int) throws {
        let entry = Self.entry(Self.payloads[number])
        let full = try entry.fields().payload["present"]?.integerValue
        #expect(try entry.payloadInteger("present") == full)
    }

    @Test func findsTheMemberAfterAThousandDeputies() throws {
        let ids = (1...1_000).map { JSONValue.string("D\($0)") }
        let entry = Self.entry(["session": .string("S9"), "deputies": .array(ids), "present": .integer(1_000)])
        #expect(try entry.payloadInteger("present") == 1_000)
        #expect(try entry.payloadInteger("absent") == nil)
    }
}
