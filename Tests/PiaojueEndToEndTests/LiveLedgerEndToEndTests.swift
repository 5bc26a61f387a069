import Foundation
import PiaojueCrypto
import PiaojueTestSupport
import Testing

/// The live ledger against someone with write access to the `.sqlite` file but not the body key,
/// and the published bundle against a reader who pins what they trust — through the binary. Each
/// test fails on the release before payload format 2 (issues 14 and 15).
@Suite struct LiveLedgerEndToEndTests {
    /// 10 deputies, 3 candidates for 2 seats, everyone given a slip.
    static func session() throws -> (E2EScenario, String, [String]) { try E2EScenario.issuedSession(seated: 10) }

    /// Runs SQL on the ledger with Python's sqlite3 (as an intruder would, after dropping triggers).
    static func sql(_ congress: E2EScenario, _ statements: String) throws {
        _ = try Process.python("""
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.executescript(sys.argv[2])
            db.commit()
            db.close()
            """, arguments: [congress.path("piaojue.sqlite"), statements])
    }

    /// The names of the checks `audit verify` fails, with their details.
    static func failing(_ result: RunResult) -> [(id: Int, detail: String)] {
        let checks = ((try? result.json())?["checks"] as? [[String: Any]]) ?? []
        return checks.filter { $0["ok"] as? Bool != true }.map { ($0["id"] as? Int ?? 0, $0["detail"] as? String ?? "") }
    }

    @Test("The newest ballots deleted with their checkpoints: the proof of the last cast catches it")
    func tailDeletionIsCaughtByTheLastProof() throws {
        let (congress, session, codes) = try Self.session()
        for n in 0..<6 {
            try congress.ok(["ballot", "cast", session, "--credential", codes[n], "--approve", "P1", "--proof-out", "proof-\(n).txt"])
        }
        let proof = try String(contentsOfFile: congress.path("proof-5.txt"), encoding: .utf8)
        #expect(proof.hasPrefix("c2sp.org/tlog-proof@v1\nindex "))
        #expect(try congress.run(["audit", "verify", "--checkpoint", "proof-5.txt", "--json"]).status == 0)

        // The intruder removes the last three ballots and every checkpoint that covered them.
        let kept = try congress.entryCount() - 3
        try Self.sql(congress, """
            DROP TRIGGER entries_no_delete; DROP TRIGGER checkpoints_no_delete;
            DELETE FROM entries WHERE idx >= \(kept); DELETE FROM checkpoints WHERE size > \(kept);
            CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
                BEGIN SELECT RAISE(ABORT, 'piaojue: the ledger is append-only (DELETE refused)'); END;
            CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
                BEGIN SELECT RAISE(ABORT, 'piaojue: checkpoints are append-only (DELETE refused)'); END;
            """)
        // What is left is a consistent prefix: only the voter's proof can tell.
        let alone = try congress.run(["audit", "verify", "--json"])
        #expect(alone.status == 0, "\(Self.failing(alone))")
        let pinned = try congress.run(["audit", "verify", "--checkpoint", "proof-5.txt", "--json"])
        #expect(pinned.status == 1)
        let findings = Self.failing(pinned)
        #expect(findings.map(\.id) == [31])
        #expect(findings.first?.detail.contains("acknowledged entries are missing") == true)
        // An earlier proof still verifies: history up to it is intact.
        #expect(try congress.run(["audit", "verify", "--checkpoint", "proof-1.txt", "--json"]).status == 0)
    }

    @Test("Ballots deleted but their checkpoints kept: the audit and the next write both refuse")
    func deletionUnderACheckpointIsCaught() throws {
        let (congress, session, codes) = try Self.session()
        for n in 0..<4 { try congress.cast(session, codes[n], approve: ["P1"]) }
        let kept = try congress.entryCount() - 2
        try Self.sql(congress, "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE idx >= \(kept);")
        let verify = try congress.run(["audit", "verify", "--json"])
        #expect(verify.status == 1)
        #expect(Self.failing(verify).contains { $0.id == 10 && $0.detail.contains("only \(kept) remain") })
        let close = try congress.run(["ballot", "close", session, "--json"])
        #expect(close.status == 1)
        #expect(try close.errorCode() == "ledger.entries-missing")
        #expect(try congress.entryCount() == kept)
    }

    @Test("A foreign trigger that swallows inserts: the cast is refused, nothing acknowledged, the audit names it")
    func aForeignTriggerIsRefusedAndFound() throws {
        let (congress, session, codes) = try Self.session()
        try Self.sql(congress, """
            CREATE TRIGGER swallow BEFORE INSERT ON entries WHEN NEW.kind = 'session.cast' BEGIN SELECT RAISE(IGNORE); END;
            """)
        let before = try congress.entryCount()
        let cast = try congress.run(["ballot", "cast", session, "--credential", codes[0], "--approve", "P1", "--json"])
        #expect(cast.status != 0)
        #expect(!cast.stdout.contains("receipt"))
        #expect(try cast.errorCode() == "ledger.not-stored")
        #expect(try congress.entryCount() == before)
        let verify = try congress.run(["audit", "verify", "--json"])
        #expect(verify.status == 1)
        #expect(Self.failing(verify).contains { $0.id == 8 && $0.detail.contains("swallow") })
    }

    @Test("A damaged session index: close and tally read every entry and refuse before signing")
    func aDamagedIndexSignsNothing() throws {
        let (congress, session, codes) = try Self.session()
        for n in 0..<8 { try congress.cast(session, codes[n], approve: ["P1", "P2"]) }
        try Self.sql(congress, """
            DROP TRIGGER entries_no_update;
            UPDATE entries SET session = 'S9' WHERE kind = 'session.cast' AND idx IN (SELECT idx FROM entries WHERE kind = 'session.cast' LIMIT 4);
            """)
        let before = try congress.entryCount()
        let close = try congress.run(["ballot", "close", session, "--json"])
        #expect(close.status == 1)
        #expect(try close.errorCode() == "ledger.index-disagrees")
        #expect(close.stderr.contains("8") && close.stderr.contains("4"))
        #expect(try congress.entryCount() == before)
        let verify = try congress.run(["audit", "verify", "--json"])
        #expect(Self.failing(verify).contains { $0.id == 7 && $0.detail.contains("session") })
    }

    @Test("A tampered checkpoint frontier: the audit names it and no later checkpoint is signed from it")
    func aTamperedFrontierIsNeverSignedOver() throws {
        let (congress, session, codes) = try Self.session()
        try congress.cast(session, codes[0], approve: ["P1"])
        try Self.sql(congress, """
            DROP TRIGGER checkpoints_no_update;
            UPDATE checkpoints SET frontier = randomblob(length(frontier)) WHERE size = (SELECT MAX(size) FROM checkpoints);
            """)
        let verify = try congress.run(["audit", "verify", "--json"])
        #expect(verify.status == 1)
        #expect(Self.failing(verify).contains { $0.id == 10 && $0.detail.contains("stored frontier") })
        let before = try congress.entryCount()
        let cast = try congress.run(["ballot", "cast", session, "--credential", codes[1], "--approve", "P1", "--json"])
        #expect(cast.status != 0)
        #expect(try cast.errorCode() == "ledger.corrupt")
        #expect(try congress.entryCount() == before)
    }

    @Test("A late deputy draws a sealed slip: one key list for everyone, handouts record a count only")
    func aLateDeputyIsAsAnonymousAsTheRest() throws {
        let congress = try E2EScenario(seated: 30)
        let list = try congress.shortlist(seats: 2, try congress.proposals(3))
        let session = try congress.open(list: list)
        try congress.checkin(session, 1...29)
        let first = try congress.issue(session)
        #expect(first.count == 29)
        try congress.checkin(session, 30...30)
        let late = try congress.issue(session)
        #expect(late.count == 1)
        #expect(!FileManager.default.fileExists(atPath: congress.path("slips-\(session)-2.txt")))
        for code in first.prefix(5) + late { try congress.cast(session, code, approve: ["P1"]) }
        let entries = try need(try congress.json(["log"])["entries"] as? [[String: Any]], "entries")
        let issues = entries.filter { $0["kind"] as? String == "session.issue" }
        #expect(issues.count == 1)
        let keys = try need((issues.first?["payload"] as? [String: Any])?["credentials"] as? [String], "keys")
        #expect(keys.count == 30)
        let handouts = entries.filter { $0["kind"] as? String == "session.handout" }
        #expect(handouts.count == 1)
        #expect(Set((handouts.first?["payload"] as? [String: Any])?.keys.map { $0 } ?? []) == ["session", "count", "handedOut", "present"])
        // The late deputy's ballot is signed by one of the 30 keys printed before the session.
        let lastBallot = try need(entries.last { $0["kind"] as? String == "session.cast" }, "ballot")
        #expect(keys.contains(lastBallot["signer"] as? String ?? ""))
        #expect(try congress.run(["audit", "verify", "--json"]).status == 0)
    }

    // MARK: Issue 14: trust pinned, the 公告 verified

    /// A closed, tallied and published session: the congress and the bundle's directory name.
    static func published() throws -> (E2EScenario, String) {
        let (congress, session, codes) = try Self.session()
        for (n, code) in codes.enumerated() { try congress.cast(session, code, approve: n < 7 ? ["P1", "P2"] : ["P3"]) }
        _ = try congress.close(session)
        _ = try congress.tally(session)
        try congress.ok(["audit", "publish", session, "--out", "bundle"])
        return (congress, "bundle")
    }

    @Test("A doctored report.html or report.md, or a replaced merkle_root.py, fails the bundle")
    func theAnnouncementAndTheScriptAreVerified() throws {
        let (congress, bundle) = try Self.published()
        #expect(try congress.run(["audit", "verify", bundle, "--json"]).status == 0)
        func doctored(_ name: String, check: Int, _ edit: (String) -> String) throws {
            let path = congress.path("\(bundle)/\(name)")
            let original = try String(contentsOfFile: path, encoding: .utf8)
            try Data(edit(original).utf8).write(to: URL(fileURLWithPath: path))
            let result = try congress.run(["audit", "verify", bundle, "--json"])
            #expect(result.status == 1, "\(name)")
            #expect(Self.failing(result).map(\.id) == [check], "\(name): \(Self.failing(result))")
            try Data(original.utf8).write(to: URL(fileURLWithPath: path))
        }
        // Another winner announced: the first line that differs is named.
        try doctored("report.md", check: 33) { $0.replacingOccurrences(of: "P1，赞成 7 票", with: "P3，赞成 7 票") }
        try doctored("report.html", check: 34) { $0.replacingOccurrences(of: "P1，赞成 7 票", with: "P3，赞成 7 票") }
        try doctored("merkle_root.py", check: 5) { $0 + "print('ok')\n" }
    }

    @Test("--trusted-key with another key fails; with the body key it passes and names its fingerprint")
    func theKeyIsPinned() throws {
        let (congress, bundle) = try Self.published()
        let pem = try String(contentsOfFile: congress.path("\(bundle)/body.pub.pem"), encoding: .utf8)
        let key = try Ed25519PublicKey(pem: pem)
        let fingerprint = KeyFingerprint.text(rawKey: key.rawBytes)
        let plain = try congress.run(["audit", "verify", bundle])
        #expect(plain.stdout.contains("not pinned"))
        #expect(plain.stdout.contains(fingerprint))
        #expect(try String(contentsOfFile: congress.path("\(bundle)/report.md"), encoding: .utf8).contains(fingerprint))
        for pinned in [congress.path("\(bundle)/body.pub.pem"), key.base64] {
            let result = try congress.run(["audit", "verify", bundle, "--trusted-key", pinned, "--json"])
            #expect(result.status == 0, "\(pinned): \(Self.failing(result))")
            let answer = try result.json()
            #expect(answer["trustPinned"] as? Bool == true)
            #expect(answer["trustedKeyFingerprint"] as? String == fingerprint)
            #expect(answer["trustedKey"] as? String == key.base64)
        }
        for target in [[bundle], []] {
            let unpinned = try congress.run(["audit", "verify", "--json"] + target).json()
            #expect(unpinned["trustPinned"] as? Bool == false, "\(target)")
            #expect(unpinned["trustedKeyFingerprint"] as? String == fingerprint, "\(target)")
        }
        let other = try Ed25519PrivateKey.generate().publicKey.base64
        let refused = try congress.run(["audit", "verify", bundle, "--trusted-key", other, "--json"])
        #expect(refused.status == 1)
        #expect(Self.failing(refused).first?.id == 2)
        // The live ledger too.
        #expect(try congress.run(["audit", "verify", "--trusted-key", other, "--json"]).status == 1)
        let bad = try congress.run(["audit", "verify", bundle, "--trusted-key", "not-a-key", "--json"])
        #expect(bad.status == 2)
        #expect(try bad.errorCode() == "audit.bad-trusted-key")
    }

    @Test("--checkpoint with a checkpoint the ledger does not extend fails")
    func aCheckpointFromAnotherHistoryFails() throws {
        let (congress, bundle) = try Self.published()
        try congress.ok(["audit", "checkpoint", "--sign"])
        let earlier = try congress.ok(["audit", "checkpoint"]).stdout
        try congress.write("earlier.txt", earlier)
        #expect(try congress.run(["audit", "verify", bundle, "--checkpoint", "earlier.txt", "--json"]).status == 0)
        // The same origin and size, another root, signed by the body key: another history.
        let (other, otherBundle) = try Self.published()
        let foreign = try String(contentsOfFile: other.path("\(otherBundle)/checkpoint"), encoding: .utf8)
        try congress.write("foreign.txt", foreign)
        let result = try congress.run(["audit", "verify", bundle, "--checkpoint", "foreign.txt", "--json"])
        #expect(result.status == 1)
        #expect(Self.failing(result).map(\.id) == [35])
        try congress.write("garbage.txt", "not a checkpoint\n")
        let garbage = try congress.run(["audit", "verify", bundle, "--checkpoint", "garbage.txt", "--json"])
        #expect(garbage.status == 2)
        #expect(try garbage.errorCode() == "audit.not-a-checkpoint")
    }

    @Test("check-receipt takes the proof file a cast wrote")
    func aReceiptProofIsCheckedAgainstTheBundle() throws {
        let (congress, session, codes) = try Self.session()
        try congress.ok(["ballot", "cast", session, "--credential", codes[0], "--approve", "P1", "--proof-out", "mine.txt"])
        for code in codes.dropFirst() { try congress.cast(session, code, approve: ["P2"]) }
        _ = try congress.close(session)
        _ = try congress.tally(session)
        try congress.ok(["audit", "publish", session, "--out", "bundle"])
        let check = try congress.json(["audit", "check-receipt", "bundle", "mine.txt"])
        #expect(check["ok"] as? Bool == true)
        #expect((check["detail"] as? String)?.contains("the bundle extends its checkpoint") == true)
    }
}

extension RunResult {
    /// The `code` of a `--json` failure on stderr.
    func errorCode() throws -> String? {
        let object = try JSONSerialization.jsonObject(with: Data(stderr.utf8)) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }
}
