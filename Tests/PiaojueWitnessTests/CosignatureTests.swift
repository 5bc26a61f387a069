import Foundation
import PiaojueCrypto
import PiaojueTestSupport
import PiaojueWitness
import Testing

/// cosignature/v1 bytes, verifier keys and the note verifier registry.
@Suite struct CosignatureTests {
    @Test func cosignatureBytesAreExactlyTheSpecifiedOnes() throws {
        let fixture = try WitnessFixture()
        let answer = try fixture.witness.addCheckpoint(fixture.log.request(old: 0, size: 8))
        guard case let .cosigned(lines) = answer else { Issue.record("\(answer)"); return }
        let line = lines[0]
        let publicKey = try fixture.witnessPublicKey
        // The line: `— <name> base64(key ID ‖ timestamp ‖ signature)`.
        #expect(line.keyName == "county.example/witness")
        #expect(line.keyID == Array(SHA256.hash(Array("county.example/witness".utf8) + [0x0a, 0x04] + publicKey.rawBytes).prefix(4)))
        #expect(line.signature.count == 72)
        let expectedTime = fixture.clock.posix
        #expect(Array(line.signature.prefix(8)) == withUnsafeBytes(of: expectedTime.bigEndian) { Array($0) })
        let message = Array("cosignature/v1\ntime \(expectedTime)\n".utf8) + Array(fixture.log.text(8).utf8)
        #expect(publicKey.isValidSignature(Array(line.signature.dropFirst(8)), for: message))
        #expect(answer.body.hasPrefix("— county.example/witness "))
        #expect(answer.body.hasSuffix("\n"))
        // The vkey printed by init: name + hex key ID + base64(0x04 ‖ key).
        #expect(fixture.vkey.description == "county.example/witness+\(Encoding.hex(line.keyID))+\(Encoding.base64([0x04] + publicKey.rawBytes))")
    }

    @Test func cosignatureVerifierRejectsTampering() throws {
        let key = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "w"))
        let text = "o\n5\n\(Encoding.base64(SHA256.hash([1])))\n"
        let line = try CosignatureV1.sign(text: text, timestamp: 1_700_000_000, keyName: "w.example", key: key)
        let verifier = try CosignatureV1Verifier(keyName: "w.example", publicKey: key.publicKey)
        #expect(verifier.isValid(signature: line.signature, text: Array(text.utf8)))
        var otherTime = line.signature
        otherTime[7] ^= 1
        #expect(!verifier.isValid(signature: otherTime, text: Array(text.utf8)))
        #expect(!verifier.isValid(signature: Array(line.signature.dropLast()), text: Array(text.utf8)))
        #expect(!verifier.isValid(signature: line.signature, text: Array(text.replacingOccurrences(of: "5", with: "6").utf8)))
        // A timestamp above 2^63 − 1 is refused when signing and when verifying.
        #expect(throws: (any Error).self) { try CosignatureV1.sign(text: text, timestamp: UInt64(Int64.max) + 1, keyName: "w.example", key: key) }
        var huge = line.signature
        huge[0] = 0x80
        #expect(CosignatureV1.timestamp(of: huge) == nil)
        // A plain Ed25519 signature over the text is not a cosignature.
        let plain = try key.sign(Array(text.utf8))
        #expect(!verifier.isValid(signature: [UInt8](repeating: 0, count: 8) + plain, text: Array(text.utf8)))
    }

    @Test func signedNoteSpecificationExampleVerifies() throws {
        let folder = TestPaths.fixtures.appendingPathComponent("vectors/c2sp-signed-note")
        let vkey = try String(contentsOf: folder.appendingPathComponent("example.vkey"), encoding: .utf8)
            .trimmingCharacters(in: .newlines)
        let note = try SignedNote(parsing: String(contentsOf: folder.appendingPathComponent("example.note"), encoding: .utf8))
        let verifier = try NoteVerifierRegistry.logKeys.verifier(parsing: vkey)
        #expect(verifier.keyName == "example.com/foo")
        #expect(Encoding.hex(verifier.keyID) == "530d903a")
        #expect(verifier.verifierKey.description == vkey)
        #expect(note.verify(with: [verifier]) == .verified(note.signatures))
        let tampered = try SignedNote(parsing: note.serialized.replacingOccurrences(of: "example message", with: "example massage"))
        #expect(tampered.verify(with: [verifier]) == .invalidSignature(keyName: "example.com/foo"))
        // A key of the same name and another ID is unknown: its line is ignored.
        let other = try Ed25519NoteVerifier(keyName: "example.com/foo", publicKey: Ed25519PrivateKey.generate(using: SeededRandom(seed: "o")).publicKey)
        #expect(note.verify(with: [other]) == .noKnownSignature)
    }

    @Test(arguments: [
        "example.com/foo+530d903a", "example.com/foo+530d903+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "example.com/foo+530d903a+not-base64", "example.com/foo+530d903a+", "+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        "example com+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        // A valid form whose ID is not the hash of the name and key.
        "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        // A 31-byte key.
        "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U=",
        // Type 0x04 for a log.
        "example.com/foo+530d903a+BOkyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
    ])
    func malformedLogVerifierKeysAreRefused(_ vkey: String) {
        #expect(throws: CryptoInputError.self) { try NoteVerifierRegistry.logKeys.verifier(parsing: vkey) }
    }

    /// A 0xff key type (the way SM2 will come) plugs into the registry; the note verification and
    /// the witness do not change.
    @Test func otherKeyTypesPlugIn() throws {
        struct ReversedEcho: NoteVerifier {
            let verifierKey: VerifierKey
            var keyName: String { verifierKey.keyName }
            var keyID: [UInt8] { verifierKey.keyID }
            var type: NoteSignatureType { .other }
            // A toy scheme: the "signature" is the identifier followed by SHA-256 of the text.
            func isValid(signature: [UInt8], text: [UInt8]) -> Bool { signature == Array("toy".utf8) + SHA256.hash(text) }
        }
        let material = Array("toy".utf8) + [UInt8](repeating: 1, count: 8)
        let key = try VerifierKey(
            keyName: "toy.example/log", keyID: VerifierKey.recommendedKeyID(keyName: "toy.example/log", type: .other, keyMaterial: material),
            type: .other, keyMaterial: material)
        let registry = NoteVerifierRegistry.logKeys.registering(.other) { key throws(CryptoInputError) in
            guard key.keyMaterial.starts(with: Array("toy".utf8)) else { throw CryptoInputError("not a toy key") }
            return ReversedEcho(verifierKey: key)
        }
        #expect(throws: CryptoInputError.self) { try NoteVerifierRegistry.logKeys.verifier(parsing: key.description) }
        let directory = TemporaryDirectory("witness-toy")
        try Witness.create(name: "w.example", directory: directory.path("w"))
        let witness = try Witness.open(directory: directory.path("w"), registry: registry)
        try witness.addLog(origin: "toy.example/log", vkey: key.description)
        let text = "toy.example/log\n1\n\(Encoding.base64(Merkle.leafHash([1])))\n"
        let line = try SignedNote.Signature(keyName: "toy.example/log", keyID: key.keyID, bytes: Array("toy".utf8) + SHA256.hash(Array(text.utf8)))
        let body = "old 0\n\n" + text + "\n" + line.line + "\n"
        #expect(try witness.addCheckpoint(Array(body.utf8)).status == 200)
        // Without the plug-in the key is unknown and its lines are ignored.
        let plain = try Witness.open(directory: directory.path("w"))
        #expect(try plain.addCheckpoint(Array(body.utf8)).status == 403)
    }
}

/// The add-checkpoint request and response formats.
@Suite struct RequestFormatTests {
    @Test func specificationExampleRequestParses() throws {
        let folder = TestPaths.fixtures.appendingPathComponent("vectors/c2sp-signed-note")
        let body = try Data(contentsOf: folder.appendingPathComponent("tlog-witness-request.txt"))
        let request = try AddCheckpointRequest(parsing: [UInt8](body))
        #expect(request.oldSize == 20_852_014)
        #expect(request.proof.count == 4)
        #expect(request.checkpoint.origin == "example.com/behind-the-sofa")
        #expect(request.checkpoint.size == 20_852_163)
        #expect(request.note.signatures.count == 2)
        #expect(Array(request.body.utf8) == [UInt8](body))
    }

    @Test func specificationExampleResponseParses() throws {
        let folder = TestPaths.fixtures.appendingPathComponent("vectors/c2sp-signed-note")
        let body = try String(contentsOf: folder.appendingPathComponent("tlog-witness-response.txt"), encoding: .utf8)
        let response = WitnessResponseFile(status: 200, contentType: WitnessAnswer.textContentType, body: body)
        let lines = try #require(response.cosignatures)
        #expect(lines.map(\.keyName) == ["witness.example/w1", "witness.example/w1", "witness.example/w2"])
        #expect(lines.allSatisfy { $0.signature.count == 72 })
        #expect(WitnessResponseFile(parsing: response.text) == response)
        // The cosignature example: a checkpoint with a log signature and a witness's cosignature.
        let note = try SignedNote(parsing: String(contentsOf: folder.appendingPathComponent("tlog-cosignature-example.note"), encoding: .utf8))
        #expect(note.signatures.map(\.keyName) == ["example.com/behind-the-sofa", "witness.example.com/w1"])
        #expect(CosignatureV1.timestamp(of: note.signatures[1].signature) == 1_679_315_147)
    }

    @Test(arguments: [
        "", "old 0", "old 0\n", "old\n\n", "old  0\n\n", "old 01\n\n", "old -1\n\n", "old +1\n\n", "old 1 \n\n", "OLD 0\n\n",
        "old 0\nAAAA\n\n", "old 0\n\n\n", "old 99999999999999999999\n\n",
    ])
    func malformedControlBlocksAre400(_ prefix: String) throws {
        let log = try TestLog()
        let body = Array(prefix.utf8) + Array(try log.checkpoint(4).utf8)
        #expect(throws: WitnessRefusal.self) { try AddCheckpointRequest(parsing: body) }
    }

    @Test func proofLineLimitIs63() throws {
        let log = try TestLog()
        let note = try SignedNote(parsing: log.checkpoint(4))
        let lines = [[UInt8]](repeating: SHA256.hash([1]), count: 63)
        let ok = try AddCheckpointRequest(oldSize: 1, proof: lines, note: note)
        #expect(try AddCheckpointRequest(parsing: Array(ok.body.utf8)).proof.count == 63)
        let over = "old 1\n" + String(repeating: Encoding.base64(SHA256.hash([1])) + "\n", count: 64) + "\n" + note.serialized
        #expect(throws: WitnessRefusal.self) { try AddCheckpointRequest(parsing: Array(over.utf8)) }
    }

    @Test(arguments: [
        "o\n5\n", "o\n05\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", "\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "o\n5\nAAAA\n", "o\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\nx\n", "o\n-5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "o\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    ])
    func malformedCheckpointTextsAreRefused(_ text: String) {
        #expect(throws: CryptoInputError.self) { try CheckpointText(parsing: text) }
    }

    @Test func responseFileRoundTripsEveryAnswer() throws {
        let refusal = WitnessAnswer.refused(.conflict(origin: "o", oldSize: 1, latestSize: 12))
        let file = try #require(WitnessResponseFile(parsing: refusal.responseFile))
        #expect(file.status == 409)
        #expect(file.latestSize == 12)
        #expect(file.cosignatures == nil)
        #expect(refusal.responseFile == "status 409\ncontent-type text/x.tlog.size\n\n12\n")
        #expect(WitnessResponseFile(parsing: "status 200\n\n") == nil)
        #expect(WitnessResponseFile(parsing: "status abc\ncontent-type x\n\nbody") == nil)
    }
}
