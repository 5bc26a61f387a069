import Foundation
import PiaojueCrypto
import PiaojueTestSupport
import PiaojueWitness
import Testing

/// The add-checkpoint state machine of tlog-witness v1.0.0, status by status.
@Suite struct AddCheckpointTests {
    @Test func firstCheckpointIsCosignedAndRecorded() throws {
        let fixture = try WitnessFixture()
        let answer = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8))
        #expect(answer.status == 200)
        #expect(answer.contentType == "text/plain; charset=utf-8")
        guard case let .cosigned(lines) = answer else { Issue.record("not cosigned: \(answer)"); return }
        #expect(lines.count == 1)
        #expect(answer.body == lines[0].line + "\n")
        let log = try fixture.witness.log(origin: fixture.log.origin)
        #expect(log.size == 8)
        #expect(log.root == fixture.log.root(8))
        let stored = try fixture.witness.cosigned(origin: fixture.log.origin)
        #expect(stored.count == 1)
        #expect(stored[0].note.text == fixture.log.text(8))
        #expect(stored[0].cosignature == lines[0])
        #expect(stored[0].note.isSigned(by: fixture.log.key.publicKey, keyName: fixture.log.origin))
    }

    @Test func checkpointsGrowWithProofs() throws {
        let fixture = try WitnessFixture()
        var old = 0
        for size in [1, 2, 3, 7, 8, 9, 16, 31, 64] {
            let answer = try fixture.witness.addCheckpoint(fixture.log.request(old: old, size: size))
            #expect(answer.status == 200, "\(old) → \(size): \(answer.body)")
            old = size
        }
        #expect(try fixture.witness.log(origin: fixture.log.origin).size == 64)
        #expect(try fixture.witness.cosigned(origin: fixture.log.origin).count == 9)
    }

    @Test func unknownOriginIs404() throws {
        let fixture = try WitnessFixture()
        let other = try TestLog(origin: "township.example/other", seed: "other")
        let answer = try fixture.witness.addCheckpoint(other.request(old: 0, size: 4))
        #expect(answer == .refused(.unknownLog(origin: "township.example/other")))
        #expect(answer.status == 404)
    }

    @Test func untrustedOrForgedSignaturesAre403() throws {
        let fixture = try WitnessFixture()
        let stranger = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "stranger"))
        let untrusted = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 4, key: stranger))
        #expect(untrusted == .refused(.noTrustedSignature(origin: fixture.log.origin)))
        #expect(untrusted.status == 403)

        // The trusted key's name and ID over bytes that are not its signature: the whole note is rejected,
        // even beside a valid signature.
        let note = try SignedNote(parsing: fixture.log.checkpoint(4))
        let forgedLine = try SignedNote.Signature(keyName: note.signatures[0].keyName, keyID: note.signatures[0].keyID, bytes: [UInt8](repeating: 7, count: 64))
        let forged = "old 0\n\n" + note.appending([forgedLine]).serialized
        let answer = try fixture.witness.addCheckpoint(Array(forged.utf8))
        #expect(answer == .refused(.invalidSignature(origin: fixture.log.origin, keyName: fixture.log.origin)))
        #expect(answer.status == 403)
    }

    @Test func oldSizeAboveCheckpointIs400() throws {
        let fixture = try WitnessFixture()
        let answer = try fixture.witness.addCheckpoint(fixture.log.request(old: 9, size: 8, proof: []))
        #expect(answer == .refused(.oldSizeTooLarge(origin: fixture.log.origin, oldSize: 9, size: 8)))
        #expect(answer.status == 400)
    }

    @Test func staleOldSizeIs409WithTheLatestSize() throws {
        let fixture = try WitnessFixture()
        _ = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8))
        let answer = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 16))
        #expect(answer == .refused(.conflict(origin: fixture.log.origin, oldSize: 0, latestSize: 8)))
        #expect(answer.status == 409)
        #expect(answer.contentType == "text/x.tlog.size")
        #expect(answer.body == "8\n")
        // Retry from the size the 409 named.
        let retry = try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 16))
        #expect(retry.status == 200)
        // An old size the witness never saw.
        let ahead = try fixture.witness.addCheckpoint(fixture.log.request(old: 20, size: 32))
        #expect(ahead == .refused(.conflict(origin: fixture.log.origin, oldSize: 20, latestSize: 16)))
    }

    @Test func neverCosignedLogAnswers409WithZero() throws {
        let fixture = try WitnessFixture()
        let answer = try fixture.witness.addCheckpoint(fixture.log.request(old: 4, size: 8))
        #expect(answer.status == 409)
        #expect(answer.body == "0\n")
    }

    @Test func badProofIs422() throws {
        let fixture = try WitnessFixture()
        _ = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8))
        var proof = try fixture.log.proof(8, 20)
        proof[0] = SHA256.hash([1])
        let answer = try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 20, proof: proof))
        #expect(answer == .refused(.inconsistent(origin: fixture.log.origin, oldSize: 8, size: 20)))
        #expect(answer.status == 422)
        let empty = try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 20, proof: []))
        #expect(empty.status == 422)
        let tooLong = try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 20, proof: proof + [SHA256.hash([2])]))
        #expect(tooLong.status == 422)
    }

    @Test func proofWhereNoneMayBeIs400() throws {
        let fixture = try WitnessFixture()
        let first = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8, proof: [SHA256.hash([1])]))
        #expect(first == .refused(.proofNotEmpty(origin: fixture.log.origin, oldSize: 0, size: 8)))
        _ = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8))
        let same = try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 8, proof: [SHA256.hash([1])]))
        #expect(same == .refused(.proofNotEmpty(origin: fixture.log.origin, oldSize: 8, size: 8)))
    }

    @Test func sameCheckpointAgainIsCosignedAgainWithoutNewState() throws {
        let fixture = try WitnessFixture()
        _ = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8))
        fixture.clock.advance(60)
        let again = try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 8))
        guard case let .cosigned(lines) = again else { Issue.record("\(again)"); return }
        #expect(CosignatureV1.timestamp(of: lines[0].signature) == fixture.clock.posix)
        #expect(try fixture.witness.cosigned(origin: fixture.log.origin).count == 1)
    }

    @Test func cosignatureTimesNeverGoBackForALog() throws {
        let fixture = try WitnessFixture()
        fixture.clock.advance(100)
        _ = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8))
        let first = fixture.clock.posix
        fixture.clock.advance(-50)
        let answer = try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 16))
        guard case let .cosigned(lines) = answer else { Issue.record("\(answer)"); return }
        #expect(CosignatureV1.timestamp(of: lines[0].signature) == first)
        let verifier = try CosignatureV1Verifier(fixture.vkey)
        #expect(verifier.isValid(signature: lines[0].signature, text: Array(fixture.log.text(16).utf8)))
    }

    @Test func splitViewIs409AndKeptAsEvidence() throws {
        let fixture = try WitnessFixture()
        _ = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8))
        let otherRoot = SHA256.hash(Array("another history".utf8))
        let answer = try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 8, root: otherRoot))
        #expect(answer == .refused(.splitView(origin: fixture.log.origin, size: 8, latestSize: 8)))
        #expect(answer.status == 409)
        #expect(answer.contentType == "text/x.tlog.size")
        #expect(answer.body == "8\n")
        // The same fork again, and with a stale old size, is still one piece of evidence.
        _ = try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 8, root: otherRoot))
        _ = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8, root: otherRoot))
        let evidence = try fixture.witness.evidence(origin: fixture.log.origin)
        #expect(evidence.count == 1)
        let item = try #require(evidence.first)
        #expect(item.kind == .sameSizeOtherRoot)
        #expect(item.refused.text == fixture.log.text(8, root: otherRoot))
        #expect(item.refused.isSigned(by: fixture.log.key.publicKey, keyName: fixture.log.origin))
        #expect(item.cosigned.note.text == fixture.log.text(8))
        let verifier = try CosignatureV1Verifier(fixture.vkey)
        #expect(item.cosigned.cosignedNote.verify(with: [verifier]) == .verified([item.cosigned.cosignature]))
    }

    @Test func forkSeenLaterWithStaleOldSizeIsEvidenceToo() throws {
        let fixture = try WitnessFixture()
        _ = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8))
        _ = try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 16))
        let fork = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8, root: SHA256.hash([9])))
        #expect(fork.status == 409)
        #expect(fork.body == "16\n")
        let evidence = try fixture.witness.evidence(origin: fixture.log.origin)
        #expect(evidence.map(\.kind) == [.sameSizeOtherRoot])
        #expect(evidence.first?.cosigned.note.text == fixture.log.text(8))
    }

    @Test func inconsistentProofIsKeptAsEvidence() throws {
        let fixture = try WitnessFixture()
        _ = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8))
        let answer = try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 20, proof: [SHA256.hash([3])]))
        #expect(answer.status == 422)
        let evidence = try fixture.witness.evidence(origin: fixture.log.origin)
        #expect(evidence.map(\.kind) == [.inconsistentProof])
        #expect(evidence.first?.oldSize == 8)
        #expect(evidence.first?.proof == [SHA256.hash([3])])
    }

    @Test func unsignedConflictsAreNotEvidence() throws {
        let fixture = try WitnessFixture()
        _ = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8))
        let stranger = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "stranger"))
        let answer = try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 8, root: SHA256.hash([5]), key: stranger))
        #expect(answer.status == 403)
        #expect(try fixture.witness.evidence(origin: fixture.log.origin).isEmpty)
    }

    /// Every refusal leaves the state, the cosigned checkpoints and (without a valid log signature
    /// and a conflict) the evidence exactly as they were.
    @Test(arguments: RefusedRequest.allCases)
    func aRefusalChangesNothing(_ refused: RefusedRequest) throws {
        let fixture = try WitnessFixture()
        _ = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8))
        let before = try fixture.snapshot()
        fixture.clock.advance(5)
        let answer = try fixture.witness.addCheckpoint(refused.body(fixture.log))
        #expect(answer.status == refused.status, "\(answer.body)")
        #expect(try fixture.snapshot() == before)
    }

    enum RefusedRequest: CaseIterable, CustomTestStringConvertible, Sendable {
        case malformed, tooLarge, unknownLog, untrusted, staleOld, oldAboveSize, proofWhereNone

        var status: Int {
            switch self {
            case .malformed, .oldAboveSize, .proofWhereNone: 400
            case .tooLarge: 400
            case .unknownLog: 404
            case .untrusted: 403
            case .staleOld: 409
            }
        }

        func body(_ log: TestLog) throws -> [UInt8] {
            switch self {
            case .malformed: Array("old 8\n".utf8) + (try log.checkpoint(16)).utf8
            case .tooLarge: Array("old 8\n\n".utf8) + [UInt8](repeating: 65, count: 70_000)
            case .unknownLog: try TestLog(origin: "other", seed: "other").request(old: 0, size: 4)
            case .untrusted: try log.request(old: 8, size: 16, key: Ed25519PrivateKey.generate(using: SeededRandom(seed: "x")))
            case .staleOld: try log.request(old: 4, size: 16)
            case .oldAboveSize: try log.request(old: 8, size: 4, proof: [])
            case .proofWhereNone: try log.request(old: 8, size: 8, proof: [SHA256.hash([1])])
            }
        }

        var testDescription: String { "\(self)" }
    }

    @Test func batchAnswersInOrderInOneTransaction() throws {
        let fixture = try WitnessFixture()
        let answers = try fixture.witness.addCheckpoints([
            fixture.log.request(old: 0, size: 8), fixture.log.request(old: 8, size: 16),
            fixture.log.request(old: 8, size: 24), fixture.log.request(old: 16, size: 24),
        ])
        #expect(answers.map(\.status) == [200, 200, 409, 200])
        #expect(try fixture.witness.log(origin: fixture.log.origin).size == 24)
    }

    @Test func twoConnectionsShareTheState() throws {
        let fixture = try WitnessFixture()
        let second = try Witness.open(directory: fixture.directory.path("w"), clock: fixture.clock.now)
        #expect(try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8)).status == 200)
        #expect(try second.addCheckpoint(fixture.log.request(old: 0, size: 8)).body == "8\n")
        #expect(try second.addCheckpoint(fixture.log.request(old: 8, size: 12)).status == 200)
        #expect(try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 16)).body == "12\n")
    }

    @Test func checkpointsWithExtensionLinesAreCosignedWhole() throws {
        let fixture = try WitnessFixture()
        let text = fixture.log.text(8) + "extension line\n"
        let note = try SignedNote.sign(text: text, keyName: fixture.log.origin, key: fixture.log.key)
        let answer = try fixture.witness.addCheckpoint(Array(("old 0\n\n" + note.serialized).utf8))
        guard case let .cosigned(lines) = answer else { Issue.record("\(answer)"); return }
        let verifier = try CosignatureV1Verifier(fixture.vkey)
        #expect(verifier.isValid(signature: lines[0].signature, text: Array(text.utf8)))
        #expect(!verifier.isValid(signature: lines[0].signature, text: Array(fixture.log.text(8).utf8)))
    }
}

/// Trusted logs: adding, rotating and retiring keys.
@Suite struct TrustedLogTests {
    @Test func keysRotateAndRetire() throws {
        let fixture = try WitnessFixture()
        let newKey = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "new"))
        let newVkey = TestLog.vkey(fixture.log.origin, newKey)
        #expect(throws: WitnessFailure.keyExists(origin: fixture.log.origin, vkey: fixture.log.vkey)) {
            try fixture.witness.addKey(origin: fixture.log.origin, vkey: fixture.log.vkey)
        }
        try fixture.witness.addKey(origin: fixture.log.origin, vkey: newVkey)
        #expect(try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8, key: newKey)).status == 200)
        try fixture.witness.retireKey(origin: fixture.log.origin, vkey: fixture.log.vkey)
        #expect(try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 16)).status == 403)
        #expect(try fixture.witness.addCheckpoint(fixture.log.request(old: 8, size: 16, key: newKey)).status == 200)
        #expect(throws: WitnessFailure.keyNotActive(origin: fixture.log.origin, vkey: fixture.log.vkey)) {
            try fixture.witness.retireKey(origin: fixture.log.origin, vkey: fixture.log.vkey)
        }
        #expect(throws: WitnessFailure.keyExists(origin: fixture.log.origin, vkey: fixture.log.vkey)) {
            try fixture.witness.addKey(origin: fixture.log.origin, vkey: fixture.log.vkey)
        }
        let log = try fixture.witness.log(origin: fixture.log.origin)
        #expect(log.keys.map(\.vkey) == [fixture.log.vkey, newVkey])
        #expect(log.keys.map { $0.retired != nil } == [true, false])
    }

    @Test func addLogRefusesDuplicatesAndBadKeys() throws {
        let fixture = try WitnessFixture()
        #expect(throws: WitnessFailure.logExists(origin: fixture.log.origin)) {
            try fixture.witness.addLog(origin: fixture.log.origin, vkey: fixture.log.vkey)
        }
        #expect(throws: WitnessFailure.badOrigin("")) { try fixture.witness.addLog(origin: "", vkey: fixture.log.vkey) }
        #expect(throws: WitnessFailure.badOrigin("a\nb")) { try fixture.witness.addLog(origin: "a\nb", vkey: fixture.log.vkey) }
        // A cosigner key (0x04) is not a log key.
        #expect(throws: WitnessFailure.self) { try fixture.witness.addLog(origin: "other", vkey: fixture.vkey.description) }
        #expect(throws: WitnessFailure.self) { try fixture.witness.addLog(origin: "other", vkey: "other+00000000+AQ==") }
        #expect(throws: WitnessFailure.unknownLog(origin: "nope")) { try fixture.witness.addKey(origin: "nope", vkey: fixture.log.vkey) }
        #expect(try fixture.witness.logs().count == 1)
    }

    @Test func createRefusesToOverwriteAndOpenChecksTheKey() throws {
        let fixture = try WitnessFixture()
        let path = fixture.directory.path("w")
        #expect(throws: WitnessFailure.alreadyExists(path: Witness.keyPath(in: path))) {
            try Witness.create(name: "again", directory: path)
        }
        #expect(throws: WitnessFailure.badName("has space")) { try Witness.create(name: "has space", directory: fixture.directory.path("x")) }
        #expect(throws: WitnessFailure.missing(directory: fixture.directory.path("none"))) {
            try Witness.open(directory: fixture.directory.path("none"))
        }
        // Another witness's key beside this state file is refused.
        let other = fixture.directory.path("other")
        try Witness.create(name: "other.example/w", directory: other)
        try FileManager.default.removeItem(atPath: Witness.keyPath(in: path))
        try FileManager.default.copyItem(atPath: Witness.keyPath(in: other), toPath: Witness.keyPath(in: path))
        #expect(throws: WitnessFailure.keyMismatch(path: Witness.keyPath(in: path))) { try Witness.open(directory: path) }
        // A key file others can read is refused.
        chmod(Witness.keyPath(in: other), 0o644)
        #expect(throws: WitnessFailure.self) { try Witness.open(directory: other) }
    }
}
