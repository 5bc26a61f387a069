import PiaojueCrypto
import PiaojueLedger
import PiaojueTestSupport
import Testing

/// Signed checkpoints: a C2SP note over the RFC 9162 root of every leaf so far.
@Suite struct CheckpointTests {
    @Test(arguments: [0, 1, 2, 6, 7, 64, 100])
    func aCheckpointCoversEveryLeafAndVerifies(appended: Int) throws {
        let fixture = try LedgerFixture(entries: appended)
        let ledger = try fixture.open()
        let stored = try ledger.write { try $0.signCheckpoint(reason: "test") }
        let leaves = try allEntries(fixture.path).map(\.leafHash)
        #expect(leaves.count == appended + 1)

        let note = try SignedNote(parsing: stored.note)
        #expect(note.isSigned(by: fixture.key.publicKey, keyName: testKeyName))
        let other = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "not the body"))
        #expect(!note.isSigned(by: other.publicKey, keyName: testKeyName))
        let checkpoint = try Checkpoint(text: note.text)
        #expect(checkpoint.origin == testKeyName)
        #expect(checkpoint.size == leaves.count)
        #expect(checkpoint.root == Merkle.root(leaves))
        #expect(stored.root == Merkle.root(leaves))
        #expect(stored.size == leaves.count)
        #expect(stored.frontier.root == Merkle.root(leaves))
        #expect(stored.reason == (appended == 0 ? "ledger.init" : "test"))

        let all = try ledger.read { try $0.checkpoints() }
        #expect(all.first?.size == 1)
        #expect(all.first?.reason == "ledger.init")
        #expect(all.last?.note == stored.note)
        #expect(all.count == (appended == 0 ? 1 : 2))
    }

    @Test func checkpointsExtendEachOther() throws {
        let fixture = try LedgerFixture()
        let ledger = try fixture.open()
        var sizes: [Int] = []
        for n in 1...12 {
            try ledger.write { try $0.append(testEntry(n)) }
            if n % 4 == 0 || n == 5 { sizes.append(try ledger.write { try $0.signCheckpoint(reason: "step \(n)") }.size) }
        }
        #expect(sizes == [5, 6, 9, 13])
        let leaves = try allEntries(fixture.path).map(\.leafHash)
        let stored = try ledger.read { try $0.checkpoints() }
        #expect(stored.map(\.size) == [1, 5, 6, 9, 13])
        for checkpoint in stored {
            #expect(checkpoint.root == Merkle.root(leaves.prefix(checkpoint.size)))
            let note = try SignedNote(parsing: checkpoint.note)
            #expect(note.isSigned(by: fixture.key.publicKey, keyName: testKeyName))
            #expect(try Checkpoint(text: note.text).root == checkpoint.root)
        }
        // Every later checkpoint is consistent with every earlier one (RFC 9162 §2.1.4).
        for (older, newer) in zip(stored, stored.dropFirst()) {
            let proof = try Merkle.consistencyProof(oldSize: older.size, leaves: leaves.prefix(newer.size))
            #expect(Merkle.verifyConsistency(
                oldSize: older.size, newSize: newer.size, oldRoot: older.root, newRoot: newer.root, proof: proof))
        }
    }

    @Test func signingTwiceAtTheSameSizeStoresOne() throws {
        let fixture = try LedgerFixture(entries: 3)
        let ledger = try fixture.open()
        let first = try ledger.write { try $0.signCheckpoint(reason: "first") }
        let second = try ledger.write { try $0.signCheckpoint(reason: "second") }
        #expect(first.note == second.note)
        #expect(second.reason == "first")
        #expect(try ledger.read { try $0.checkpoints() }.count == 2)
    }
}

@Suite struct CheckpointReasonTests {
    @Test func aCastReasonIsReadOnlyAsItIsWritten() {
        let written = CheckpointReason.cast(["S2": 3, "S1": 57])
        #expect(written == "session.cast S1:57 S2:3")
        #expect(CheckpointReason.castCounts(written) == ["S1": 57, "S2": 3])
        #expect(CheckpointReason.castCounts("session.cast") == [:])
        for loose in [
            "session.cast  S1:57", "session.cast S1:+57", "session.cast S2:3 S1:57", "session.cast S1:1 S1:57", "session.cast S1:057",
            "session.cast S1:57 ", "session.cast S1", "session.cast S1:-1", "audit.publish",
        ] {
            #expect(CheckpointReason.castCounts(loose) == nil, "\(loose)")
        }
    }
}
