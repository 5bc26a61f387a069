import Foundation
import PiaojueCrypto
import PiaojueTestSupport
import Testing

/// The published tally audit: verified offline by the binary, independently by `openssl` and a few
/// lines of Python, and every way of tampering with it caught by a named check.
@Suite(.serialized) struct AuditBundleEndToEndTests {
    /// A small decided session, published into `bundle/`.
    static func published() throws -> (E2EScenario, String, [String]) {
        let congress = try E2EScenario(seated: 30)
        let list = try congress.shortlist(seats: 2, try congress.proposals(4))
        let session = try congress.open(list: list)
        try congress.checkin(session, 1...27)
        let codes = try congress.issue(session)
        var receipts: [String] = []
        for code in codes.prefix(12) { receipts.append(try congress.cast(session, code, approve: ["P1", "P2"], oppose: ["P4"])) }
        _ = try congress.importPaper(session, codes[12..<24].map { ($0, ["P1", "P3"], [], []) })
        _ = try congress.close(session, returned: 24)
        _ = try congress.tally(session)
        let published = try congress.json(["audit", "publish", session, "--out", "bundle"])
        #expect(published["dir"] as? String == "bundle")
        return (congress, session, receipts)
    }

    /// Copies the bundle, applies `tamper`, and returns the names of the failing checks.
    static func failingChecks(_ congress: E2EScenario, _ label: String, _ tamper: (String) throws -> Void) throws -> [String] {
        let copy = congress.path("tampered-\(label)")
        try FileManager.default.copyItem(atPath: congress.path("bundle"), toPath: copy)
        try tamper(copy)
        let result = try congress.run(["audit", "verify", copy, "--json"])
        #expect(result.status == 1, "\(label): verification should fail")
        let checks = try need(try result.json()["checks"] as? [[String: Any]], "checks")
        return checks.filter { ($0["ok"] as? Bool) == false }.compactMap { $0["name"] as? String }
    }

    static func lines(_ directory: String) throws -> [String] {
        try String(contentsOfFile: directory + "/ledger.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static func writeLines(_ lines: [String], _ directory: String) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/ledger.jsonl"))
    }

    @Test func bundleVerifiesAndEveryTamperingIsCaughtByANamedCheck() throws {
        let (congress, session, _) = try Self.published()
        let files = try FileManager.default.contentsOfDirectory(atPath: congress.path("bundle")).sorted()
        #expect(files == ["ballots.csv", "body.pub.pem", "checkpoint", "ledger.jsonl", "merkle_root.py", "report.html", "report.md", "tally.json"])
        let clean = try congress.run(["audit", "verify", "bundle", "--json"])
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(try clean.json()["ok"] as? Bool == true)
        // tally.json is exactly what `ballot tally --json` prints.
        let tallyText = try String(contentsOfFile: congress.path("bundle/tally.json"), encoding: .utf8)
        #expect(tallyText == (try congress.ok(["ballot", "tally", session, "--json"]).stdout))

        // 1. A changed byte in a ballot.
        var caught = try Self.failingChecks(congress, "ballot-byte") { dir in
            var lines = try Self.lines(dir)
            let index = try need(lines.firstIndex { $0.contains("\"kind\":\"session.cast\"") }, "cast line")
            lines[index] = lines[index].replacingOccurrences(of: "\"approve\":[\"P1\"", with: "\"approve\":[\"P3\"")
            try Self.writeLines(lines, dir)
        }
        #expect(caught.contains { $0.contains("选票凭证签名") })
        #expect(caught.contains { $0.contains("默克尔根") })

        // 2. A dropped entry.
        caught = try Self.failingChecks(congress, "dropped") { dir in
            var lines = try Self.lines(dir)
            lines.remove(at: 5)
            try Self.writeLines(lines, dir)
        }
        #expect(caught.contains { $0.contains("序号连续") })
        #expect(caught.contains { $0.contains("哈希链") })

        // 3. Two entries swapped.
        caught = try Self.failingChecks(congress, "swapped") { dir in
            var lines = try Self.lines(dir)
            let first = try need(lines.firstIndex { $0.contains("session.cast") }, "cast")
            lines.swapAt(first, first + 1)
            try Self.writeLines(lines, dir)
        }
        #expect(caught.contains { $0.contains("序号连续") })

        // 4. An added ballot signed with a fresh key, chained correctly at the end.
        caught = try Self.failingChecks(congress, "added") { dir in
            var lines = try Self.lines(dir)
            let last = try need(lines.last, "last line")
            let key = try Ed25519PrivateKey.generate()
            let payload = JSONValue.object(JSONObject([
                "session": .string(session),
                "choices": .object(JSONObject(["approve": .array([.string("P4")]), "oppose": .array([]), "abstain": .array([])])),
            ]))
            let signature = try key.sign(payload.canonicalBytes)
            let entry = JSONValue.object(JSONObject([
                "index": .integer(Int64(lines.count)), "kind": .string("session.cast"), "time": .string("2025-01-15T10:00:00Z"),
                "prev": .string(Encoding.hex(Merkle.leafHash(Array(last.utf8)))), "payload": payload,
                "signer": .string(key.publicKey.base64), "sig": .string(Encoding.base64(signature)),
            ]))
            lines.append(entry.canonicalString)
            try Self.writeLines(lines, dir)
        }
        #expect(caught.contains { $0.contains("每张选票由本会期发放的凭证签署") })
        #expect(caught.contains { $0.contains("默克尔根") })

        // 5. An edited tally.json.
        caught = try Self.failingChecks(congress, "tally") { dir in
            let text = try String(contentsOfFile: dir + "/tally.json", encoding: .utf8)
            try Data(text.replacingOccurrences(of: "\"valid\":24", with: "\"valid\":25").utf8).write(to: URL(fileURLWithPath: dir + "/tally.json"))
        }
        #expect(caught == ["tally.json 与记录的计票一致 / tally.json is the recorded, re-derived tally"])

        // 6. An edited checkpoint (a different root).
        caught = try Self.failingChecks(congress, "checkpoint") { dir in
            var lines = try String(contentsOfFile: dir + "/checkpoint", encoding: .utf8).components(separatedBy: "\n")
            lines[2] = Encoding.base64(SHA256.hash(Array("forged".utf8)))
            try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: dir + "/checkpoint"))
        }
        #expect(caught.contains { $0.contains("检查点签名") })

        // 7. The checkpoint re-signed by another key under the same name.
        caught = try Self.failingChecks(congress, "other-key") { dir in
            let note = try SignedNote(parsing: try String(contentsOfFile: dir + "/checkpoint", encoding: .utf8))
            let checkpoint = try Checkpoint(text: note.text)
            let forged = try checkpoint.signed(with: try Ed25519PrivateKey.generate())
            try Data(forged.serialized.utf8).write(to: URL(fileURLWithPath: dir + "/checkpoint"))
        }
        #expect(caught.contains { $0.contains("检查点签名") })

        // 8. A truncated ledger.jsonl.
        caught = try Self.failingChecks(congress, "truncated") { dir in
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/ledger.jsonl"))
            try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: dir + "/ledger.jsonl"))
        }
        #expect(caught.contains { $0.contains("默克尔根") })

        // 9. An edited ballots.csv; 10. another body key beside the checkpoint.
        caught = try Self.failingChecks(congress, "ballots-csv") { dir in
            let text = try String(contentsOfFile: dir + "/ballots.csv", encoding: .utf8)
            try Data(text.replacingOccurrences(of: ",赞成,", with: ",反对,").utf8).write(to: URL(fileURLWithPath: dir + "/ballots.csv"))
        }
        #expect(caught == ["ballots.csv 与账本中的选票一致 / ballots.csv lists the session's ballots"])
        caught = try Self.failingChecks(congress, "other-pem") { dir in
            try Data(try Ed25519PrivateKey.generate().publicKey.pem().utf8).write(to: URL(fileURLWithPath: dir + "/body.pub.pem"))
        }
        #expect(caught.contains { $0.contains("检查点签名") })
        #expect(caught.contains { $0.contains("创建条目与机关公钥") })
    }

    @Test func independentCheckWithOpenSSLAndPythonHashlib() throws {
        let (congress, _, _) = try Self.published()
        let bundle = congress.path("bundle")
        // The commands of AUDIT-BUNDLE.md, verbatim.
        let openssl = try Process.shell("""
            head -n 3 checkpoint > note.txt
            sed -n 5p checkpoint | awk '{print $NF}' | base64 -d | tail -c 64 > sig.bin
            openssl pkeyutl -verify -pubin -inkey body.pub.pem -rawin -in note.txt -sigfile sig.bin
            """, directory: bundle)
        #expect(openssl.status == 0)
        #expect(openssl.output.contains("Signature Verified Successfully"))
        // Our own few lines of Python, not the bundle's script: RFC 9162 root of ledger.jsonl.
        let root = try Process.python("""
            import base64, hashlib
            def h(b): return hashlib.sha256(b).digest()
            leaves = [h(b"\\0" + l[:-1]) for l in open("ledger.jsonl", "rb")]
            def mth(x):
                if len(x) == 1: return x[0]
                k = 1
                while 2 * k < len(x): k *= 2
                return h(b"\\1" + mth(x[:k]) + mth(x[k:]))
            print(base64.b64encode(mth(leaves)).decode())
            """, directory: bundle)
        let checkpoint = try String(contentsOfFile: bundle + "/checkpoint", encoding: .utf8).components(separatedBy: "\n")
        #expect(root.trimmingCharacters(in: .whitespacesAndNewlines) == checkpoint[2])
        #expect(Int(checkpoint[1]) == (try Self.lines(bundle)).count)
        // The key ID is the first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key), by Python.
        let keyID = try Process.python("""
            import base64, hashlib, subprocess
            lines = open("checkpoint").read().split("\\n")
            name, blob = lines[4].split(" ")[1], base64.b64decode(lines[4].split(" ")[2])
            der = subprocess.run(["openssl", "pkey", "-pubin", "-in", "body.pub.pem", "-outform", "DER"], capture_output=True).stdout
            print(hashlib.sha256(name.encode() + b"\\n\\x01" + der[-32:]).digest()[:4] == blob[:4])
            """, directory: bundle)
        #expect(keyID.trimmingCharacters(in: .whitespacesAndNewlines) == "True")
        // The bundle's own script agrees, and Scripts/verify-by-hand runs the README's steps.
        let bundled = try Process.shell("python3 merkle_root.py ledger.jsonl", directory: bundle)
        #expect(bundled.output.trimmingCharacters(in: .whitespacesAndNewlines) == checkpoint[2])
        let script = try Process.shell("\(TestPaths.packageRoot.path)/Scripts/verify-by-hand .", directory: bundle)
        #expect(script.status == 0, "\(script.output)")
    }

    @Test func receiptsProofsAndConsistency() throws {
        let (congress, session, receipts) = try Self.published()
        let check = try congress.json(["audit", "check-receipt", "bundle", receipts[3]])
        #expect(check["ok"] as? Bool == true)
        #expect(check["kind"] as? String == "session.cast")
        let unknown = try congress.run(["audit", "check-receipt", "bundle", String(repeating: "ab", count: 32)])
        #expect(unknown.status == 1)
        let proof = try congress.json(["audit", "prove", receipts[0], "--out", "proof.json"])
        #expect((proof["proof"] as? [String])?.isEmpty == false)
        #expect(FileManager.default.fileExists(atPath: congress.path("proof.json")))
        #expect(try congress.run(["audit", "prove", String(repeating: "cd", count: 32)]).status == 1)

        // A later checkpoint extends an earlier one; a checkpoint of a rewritten history does not.
        let old = try congress.ok(["audit", "checkpoint"]).stdout
        try congress.write("old.txt", old)
        try congress.ok(["evaluate", "open", "--projects", "P1", "--json"])
        let new = try congress.ok(["audit", "checkpoint", "--sign"]).stdout
        try congress.write("new.txt", new)
        let consistent = try congress.json(["audit", "consistency", "old.txt", "new.txt"])
        #expect(consistent["ok"] as? Bool == true)
        let forged = try Checkpoint(text: try SignedNote(parsing: new).text)
        let other = try Checkpoint(origin: forged.origin, size: forged.size, root: SHA256.hash([1])).signed(with: try Ed25519PrivateKey.generate())
        try congress.write("forged.txt", other.serialized)
        #expect(try congress.run(["audit", "consistency", "old.txt", "forged.txt"]).status == 1)
        #expect(try congress.run(["audit", "verify"]).status == 0)
        _ = session
    }

    @Test func publishRefusesUnsafeOrUsedDirectories() throws {
        let (congress, session, _) = try Self.published()
        let before = try congress.entryCount()
        for target in ["bundle", "../../etc", "x/../../y"] {
            let result = try congress.run(["audit", "publish", session, "--out", target])
            #expect(result.status == 2, "\(target)")
        }
        #expect(try congress.run(["audit", "publish", "S9", "--out", "b2"]).status == 2)
        #expect(!FileManager.default.fileExists(atPath: congress.path("b2")))
        #expect(try congress.entryCount() == before)
    }

    @Test func ratingBundleVerifies() throws {
        let congress = try E2EScenario(seated: 12)
        let list = try congress.shortlist(seats: 2, try congress.proposals(3))
        let session = try congress.open(list: list)
        try congress.checkin(session, 1...12)
        let codes = try congress.issue(session)
        _ = try congress.importPaper(session, codes.map { ($0, ["P1", "P2"], [], []) })
        _ = try congress.close(session)
        _ = try congress.tally(session)
        let rating = try need(try congress.json(["evaluate", "open", "--projects", "P1,P2"])["session"] as? String, "rating")
        try congress.checkin(rating, 1...12, command: "evaluate")
        let ratingCodes = try congress.issue(rating, command: "evaluate")
        for (n, code) in ratingCodes.enumerated() {
            try congress.ok(["evaluate", "cast", rating, "--credential", code, "--rate", "P1=满意", "--rate", n < 4 ? "P2=不满意" : "P2=基本满意"])
        }
        try congress.ok(["evaluate", "close", rating])
        let tally = try congress.json(["evaluate", "tally", rating])
        let projects = try need(tally["projects"] as? [[String: Any]], "projects")
        #expect(projects.map { $0["class"] as? String } == ["满意", "基本满意"])
        try congress.ok(["audit", "publish", rating, "--out", "rating-bundle"])
        let verified = try congress.run(["audit", "verify", "rating-bundle"])
        #expect(verified.status == 0, "\(verified.stdout)")
        let html = try String(contentsOfFile: congress.path("rating-bundle/report.html"), encoding: .utf8)
        #expect(html.contains("基本满意"))
        #expect(!html.contains("http://") && !html.contains("https://") || html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
    }
}
