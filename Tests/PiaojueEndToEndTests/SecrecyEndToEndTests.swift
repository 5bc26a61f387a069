import Foundation
import PiaojueCrypto
import PiaojueTestSupport
import Testing

/// Ballot secrecy against whoever holds the database: the ledger file holds no credential code or
/// secret, and no row links a deputy to a credential or a ballot.
@Suite struct SecrecyEndToEndTests {
    @Test func ledgerHoldsNoCodeAndNoLinkFromDeputyToBallot() throws {
        let congress = try E2EScenario(seated: 30)
        let list = try congress.shortlist(seats: 2, try congress.proposals(4))
        let session = try congress.open(list: list)
        try congress.checkin(session, 1...12)
        try congress.checkin(session, 13...25)
        let codes = try congress.issue(session)
        #expect(codes.count == 25)
        // One code was printed for each of the 30 seated deputies; 5 stay sealed.
        let printed = codes + congress.sealedCodes(session)
        #expect(printed.count == 30)
        let slips = try FileManager.default.attributesOfItem(atPath: congress.path("slips-S1-1.txt"))
        #expect((slips[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        for code in codes.prefix(10) {
            let result = try congress.binary.ok(["ballot", "cast", session, "--credential", code, "--approve", "P1"])
            #expect(!result.stdout.contains(code) && !result.stderr.contains(code))
        }
        _ = try congress.importPaper(session, codes[10..<15].map { ($0, ["P2"], [], []) })
        _ = try congress.close(session)
        _ = try congress.tally(session)
        try congress.ok(["audit", "publish", session, "--out", "bundle"])

        // 1. No code, in any spelling, and no 32-byte secret in the ledger, its WAL or the bundle.
        var stored = Data()
        for name in ["piaojue.sqlite", "piaojue.sqlite-wal", "piaojue.sqlite-shm"] {
            stored += (try? Data(contentsOf: URL(fileURLWithPath: congress.path(name)))) ?? Data()
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: congress.path("bundle")) {
            stored += try Data(contentsOf: URL(fileURLWithPath: congress.path("bundle/\(name)")))
        }
        #expect(stored.count > 10_000)
        var issuedKeys: Set<String> = []
        for code in printed {
            let secret = try SecretCode.decode(code)
            issuedKeys.insert(try Ed25519PrivateKey(seed: secret).publicKey.base64)
            for spelling in [code, code.replacingOccurrences(of: "-", with: ""), code.lowercased()] {
                #expect(stored.range(of: Data(spelling.utf8)) == nil, "a credential code is stored")
            }
            #expect(stored.range(of: Data(secret)) == nil, "a credential secret is stored")
        }

        // 2. Entries: deputies appear only in the roster and check-ins; credential keys only in the
        //    sorted issue list and as ballot signers; no entry carries both.
        let entries = try need(try congress.json(["log"])["entries"] as? [[String: Any]], "entries")
        let deputies = Set((1...30).map(E2EScenario.deputy))
        func strings(_ value: Any) -> [String] {
            switch value {
            case let text as String: return [text]
            case let list as [Any]: return list.flatMap(strings)
            case let object as [String: Any]: return object.values.flatMap(strings)
            default: return []
            }
        }
        for entry in entries {
            let kind = try need(entry["kind"] as? String, "kind")
            let payload = try need(entry["payload"] as? [String: Any], "payload")
            let values = Set(strings(payload))
            let namesDeputy = !values.isDisjoint(with: deputies)
            let namesKey = !values.isDisjoint(with: issuedKeys) || issuedKeys.contains(entry["signer"] as? String ?? "")
            #expect(!(namesDeputy && namesKey), "entry \(entry["index"] ?? "?") (\(kind)) links a deputy to a credential")
            if namesDeputy { #expect(["roster.import", "session.checkin"].contains(kind), "\(kind) names a deputy") }
            if kind == "session.issue" {
                #expect(Set(payload.keys) == ["session", "batch", "count", "credentials", "present", "seated", "handedOut"])
                let keys = try need(payload["credentials"] as? [String], "credentials")
                #expect(keys == keys.sorted())
                #expect(Set(keys) == issuedKeys)
            }
            if ["session.cast", "session.paper"].contains(kind) {
                #expect(Set(payload.keys) == ["session", "via", "choices"])
            }
        }

        // 3. The database has no other table where a link could hide: the credentials index maps a
        //    key to the issue entry and session only.
        let tables = try Process.python("""
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            print(",".join(sorted(r[0] for r in db.execute("select name from sqlite_master where type='table'"))))
            print(",".join(r[1] for r in db.execute("pragma table_info(credentials)")))
            print(",".join(sorted({r[0] for r in db.execute("select session from credentials")})))
            print(",".join(r[1] for r in db.execute("pragma table_info(cosignatures)")))
            """, arguments: [congress.path("piaojue.sqlite")])
        // (cosignatures: witnesses' signatures of checkpoints, by tree size — nothing of a deputy.)
        #expect(tables.split(separator: "\n").map(String.init) == [
            "checkpoints,cosignatures,credentials,entries,migrations", "key,session,entry", session, "size,line,witness,received,source",
        ])
    }
}

extension Process {
    /// Runs a Python 3 script and returns its stdout.
    static func python(_ script: String, arguments: [String] = [], directory: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = PiaojueBinary.readAll(out.fileHandleForReading.fileDescriptor)
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs a shell command line and returns status and combined output.
    static func shell(_ command: String, directory: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = PiaojueBinary.readAll(out.fileHandleForReading.fileDescriptor)
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
