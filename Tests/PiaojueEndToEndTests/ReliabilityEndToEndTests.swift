import Foundation
import PiaojueTestSupport
import Testing

/// Several `piaojue` processes writing one ledger at once, and the online backup taken meanwhile.
/// (The SIGKILL loop is Scripts/crash-test; Scripts/test runs a short version of it.)
@Suite struct ReliabilityEndToEndTests {
    /// A ballot session with `seated` deputies all present and issued credentials.
    /// A shell loop casting one ballot per code, started in the scenario's directory.
    final class CastingLoop {
        let process = Process()
        let out = Pipe()
        let err = Pipe()

        init(_ congress: E2EScenario, session: String, codes: some Sequence<String>) throws {
            let casts = codes.map { code in
                "\"$PIAOJUE\" ballot cast \(session) --credential \(code) --approve P1 --oppose P2 --json || echo \"exit $?\" >&2"
            }
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", casts.joined(separator: "\n")]
            process.currentDirectoryURL = congress.directory.url
            var environment = congress.binary.environment
            environment["PIAOJUE"] = PiaojueBinary.path
            process.environment = environment
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        /// Waits; returns the receipts printed and stderr.
        func finish() -> (receipts: [String], stderr: String) {
            let group = DispatchGroup()
            let collected = Box()
            let errFD = err.fileHandleForReading.fileDescriptor
            group.enter()
            DispatchQueue.global().async {
                collected.value = PiaojueBinary.readAll(errFD)
                group.leave()
            }
            let stdout = String(decoding: PiaojueBinary.readAll(out.fileHandleForReading.fileDescriptor), as: UTF8.self)
            group.wait()
            process.waitUntilExit()
            let receipts = stdout.split(separator: "\n").compactMap { line -> String? in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
                return object["receipt"] as? String
            }
            return (receipts, String(decoding: collected.value, as: UTF8.self))
        }
    }

    final class Box: @unchecked Sendable {
        // Safe: written by one reader thread before `group.leave()`, read after `group.wait()`.
        var value = Data()
    }

    /// The leaf hashes (receipts) of every entry, oldest first.
    static func leaves(_ congress: E2EScenario, db: String = "piaojue.sqlite") throws -> [String] {
        let log = try congress.binary.ok(["--db", db, "log", "--json"]).json()
        return try need(log["entries"] as? [[String: Any]], "entries").map { $0["leaf"] as? String ?? "" }
    }

    @Test(arguments: [2, 4])
    func writersCastingAtOnceLoseNothingAndNeverSeeALock(_ writers: Int) throws {
        let perWriter = writers == 2 ? 10 : 6
        let (congress, session, codes) = try E2EScenario.issuedSession(seated: writers * perWriter)
        let before = try Self.leaves(congress).count
        let loops = try (0..<writers).map { n in
            try CastingLoop(congress, session: session, codes: codes[(n * perWriter)..<((n + 1) * perWriter)])
        }
        var acknowledged: [String] = []
        for loop in loops {
            let (receipts, stderr) = loop.finish()
            #expect(receipts.count == perWriter, "a writer was acknowledged \(receipts.count) of \(perWriter): \(stderr)")
            #expect(stderr.isEmpty, "a writer saw an error: \(stderr)")
            for word in ["locked", "busy", "占用"] { #expect(!stderr.contains(word)) }
            acknowledged += receipts
        }
        let leaves = try Self.leaves(congress)
        #expect(leaves.count == before + acknowledged.count, "ballots in the ledger ≠ casts acknowledged")
        #expect(Set(acknowledged).isSubset(of: Set(leaves)))
        let casts = try congress.json(["log", "--kind", "session.cast"])["entries"] as? [Any]
        #expect(casts?.count == writers * perWriter)
        // One chain, every signature and the session's counts: audit verify re-derives them all.
        let verify = try congress.run(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(try congress.json(["ballot", "close", session])["returned"] as? Int == writers * perWriter)
    }

    @Test func anOnlineBackupWhileCastingVerifiesAndIsConsistentWithTheOriginal() throws {
        let (congress, session, codes) = try E2EScenario.issuedSession(seated: 24)
        let before = try Self.leaves(congress).count
        let writer = try CastingLoop(congress, session: session, codes: codes.prefix(20))
        // Take the copy once the writer is under way, while it goes on casting.
        var seen = before
        while seen == before, writer.process.isRunning { seen = try Self.leaves(congress).count }
        let backup = try congress.binary.run(["backup", "--out", "copy.sqlite", "--json"])
        let (receipts, stderr) = writer.finish()
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(receipts.count == 20 && stderr.isEmpty, "\(stderr)")
        let report = try backup.json()
        #expect(report["verified"] as? Bool == true)
        let copied = try need(report["entries"] as? Int, "entries")

        // The copy is a whole ledger: a prefix of the original, verified on its own.
        let original = try Self.leaves(congress)
        let copy = try Self.leaves(congress, db: "copy.sqlite")
        #expect(copy.count == copied && copy.count >= seen && copy.count <= original.count)
        #expect(Array(original.prefix(copy.count)) == copy)
        #expect(try congress.run(["--db", "copy.sqlite", "audit", "verify"]).status == 0)

        // Its latest checkpoint is extended by the original's newest one.
        let old = try congress.binary.ok(["--db", "copy.sqlite", "audit", "checkpoint"]).stdout
        let new = try congress.binary.ok(["audit", "checkpoint", "--sign"]).stdout
        try congress.write("old.txt", old)
        try congress.write("new.txt", new)
        let consistency = try congress.json(["audit", "consistency", "old.txt", "new.txt"])
        #expect(consistency["ok"] as? Bool == true, "\(consistency)")

        // Never overwrites, not even a file of its own making.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: congress.path("copy.sqlite")))
        let again = try congress.run(["backup", "--out", "copy.sqlite"])
        #expect(again.status == 2 && again.stderr.contains("copy.sqlite"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: congress.path("copy.sqlite"))) == bytes)

        // Restore as docs/reliability.md says: no writer running, the ledger's -wal and -shm moved
        // aside with it, the copy put in its place, then verified.
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: congress.path("piaojue.sqlite" + suffix)) {
            try FileManager.default.moveItem(atPath: congress.path("piaojue.sqlite" + suffix), toPath: congress.path("damaged.sqlite" + suffix))
        }
        try FileManager.default.copyItem(atPath: congress.path("copy.sqlite"), toPath: congress.path("piaojue.sqlite"))
        #expect(try congress.run(["audit", "verify"]).status == 0)
        #expect(try Self.leaves(congress) == copy)
    }
    /// A process killed while SQLite checkpoints the WAL into the file (at the close of the last
    /// connection) can leave page 1 — which carries the new size — written and the file not yet
    /// grown. SQLite reads such a file through its WAL; piaojue used to refuse it as truncated and
    /// tell the clerk to restore a backup. Reproduced here byte for byte: the WAL kept by a reader
    /// that died, and its newest page 1 copied into the file as the checkpoint does first.
    @Test func aLedgerKilledInTheMiddleOfACheckpointOpensAndVerifies() throws {
        let workspace = try CLIWorkspace()
        var roster = "id,name\n"
        for n in 1...2000 { roster += "D\(n),代表\(n)\n" }
        try workspace.write("roster.csv", roster)
        let state = try Process.python("""
            import os, signal, subprocess, sys
            binary, directory = sys.argv[1], sys.argv[2]
            os.chdir(directory)
            holder = subprocess.Popen([sys.executable, "-c", "import sqlite3, time; c = sqlite3.connect('piaojue.sqlite'); "
                "c.execute('select count(*) from entries').fetchone(); print('ready', flush=True); time.sleep(120)"],
                stdout=subprocess.PIPE)
            holder.stdout.readline()
            subprocess.run([binary, "roster", "import", "roster.csv"], check=True, capture_output=True)
            holder.send_signal(signal.SIGKILL)
            holder.wait()
            wal = open("piaojue.sqlite-wal", "rb").read()
            size = int.from_bytes(wal[8:12], "big")
            page1 = None
            for offset in range(32, len(wal) - 24 - size + 1, 24 + size):
                if int.from_bytes(wal[offset:offset + 4], "big") == 1:
                    page1 = wal[offset + 24:offset + 24 + size]
            with open("piaojue.sqlite", "r+b") as f:
                f.write(page1)
            header = open("piaojue.sqlite", "rb").read(100)
            print(int.from_bytes(header[28:32], "big") * size > os.path.getsize("piaojue.sqlite"))
            """, arguments: [PiaojueBinary.path, workspace.directory.url.path])
        #expect(state.trimmingCharacters(in: .whitespacesAndNewlines) == "True", "the file is not shorter than its header")
        let verify = try workspace.piaojue.run(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(try workspace.piaojue.ok(["roster", "list", "--json"]).json()["deputies"] as? [Any] != nil)
        #expect(try workspace.entryCount() == 2)
    }
}
