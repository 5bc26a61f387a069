import Foundation
import PiaojueCrypto
import Testing

@Suite struct SuiteSignedNoteTests {
    let sm2: SigningKey
    let ed25519: SigningKey
    let edPrivate: Ed25519PrivateKey
    let checkpoint: Checkpoint

    init() throws {
        sm2 = try SigningKey.generate(suite: .gm, using: SeededRandom(seed: "note sm2"))
        edPrivate = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "note ed25519"))
        ed25519 = SigningKey(edPrivate)
        let leaves = ["a", "b", "c"].map { CryptoSuite.gm.leafHash(Array($0.utf8)) }
        checkpoint = Checkpoint(origin: "piaojue/某县人大", size: 3, root: Merkle.root(leaves, suite: .gm))
    }

    static func blob(_ line: Substring) -> [UInt8] {
        Encoding.unbase64(line.split(separator: " ").last ?? "") ?? []
    }

    @Test func sm2LineIsKeyIDAndDERSignature() throws {
        let note = try checkpoint.signed(with: sm2)
        let lines = note.serialized.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6 && lines[3].isEmpty && lines[4].hasPrefix("— piaojue/某县人大 "))
        let blob = Self.blob(lines[4])
        let typeAndKey = [0xff] + Array("sm2-sm3-1234567812345678".utf8) + sm2.verifyingKey.rawBytes
        let id = Array(SHA256.hash(Array("piaojue/某县人大".utf8) + [0x0a] + typeAndKey).prefix(4))
        #expect(Array(blob.prefix(4)) == id)
        #expect(SignedNote.keyID(keyName: checkpoint.origin, publicKey: sm2.verifyingKey) == id)
        let der = Array(blob.dropFirst(4))
        #expect(SM2.signatureComponents(der) != nil)
        let publicKey = try SM2PublicKey(rawBytes: sm2.verifyingKey.rawBytes)
        #expect(publicKey.isValidSignature(der, for: Array(checkpoint.text.utf8)))

        let parsed = try SignedNote(parsing: note.serialized)
        #expect(parsed == note)
        #expect(parsed.isSigned(by: sm2.verifyingKey, keyName: checkpoint.origin))
        #expect(!parsed.isSigned(by: sm2.verifyingKey, keyName: "piaojue/other"))
        #expect(!parsed.isSigned(by: ed25519.verifyingKey, keyName: checkpoint.origin))
        #expect(try Checkpoint(text: parsed.text) == checkpoint)
    }

    @Test func dualSignedCheckpointPutsEd25519FirstAndVerifiesByEither() throws {
        let note = try checkpoint.signed(with: [sm2, ed25519])
        #expect(note.signatures.count == 2)
        #expect(note.signatures[0].keyID == SignedNote.keyID(keyName: checkpoint.origin, publicKey: edPrivate.publicKey))
        #expect(note.signatures[0].signature.count == 64)
        #expect(note.signatures[1].keyID == SignedNote.keyID(keyName: checkpoint.origin, publicKey: sm2.verifyingKey))
        // The Ed25519 line is exactly the one a standard-only signer writes (Ed25519 is deterministic).
        #expect(note.signatures[0] == (try checkpoint.signed(with: edPrivate)).signatures[0])

        let parsed = try SignedNote(parsing: note.serialized)
        #expect(parsed.isSigned(by: sm2.verifyingKey, keyName: checkpoint.origin))
        #expect(parsed.isSigned(by: ed25519.verifyingKey, keyName: checkpoint.origin))
        #expect(parsed.isSigned(by: edPrivate.publicKey, keyName: checkpoint.origin))

        let forged = Checkpoint(origin: checkpoint.origin, size: 4, root: checkpoint.root).text
        let tampered = try SignedNote(parsing: note.serialized.replacingOccurrences(of: checkpoint.text, with: forged))
        #expect(!tampered.isSigned(by: sm2.verifyingKey, keyName: checkpoint.origin))
        #expect(!tampered.isSigned(by: ed25519.verifyingKey, keyName: checkpoint.origin))
    }

    @Test func signersAreCheckedAndOrdered() throws {
        #expect(throws: CryptoInputError.self) { try checkpoint.signed(with: [any Signer]()) }
        #expect(throws: CryptoInputError.self) { try checkpoint.signed(with: [sm2, sm2]) }
        #expect(throws: CryptoInputError.self) { try SignedNote.sign(text: "no newline", keyName: "k", signers: [sm2]) }
        #expect(throws: CryptoInputError.self) { try SignedNote.sign(text: "a\n", keyName: "has space", signers: [sm2]) }
        let other = try SigningKey.generate(suite: .gm, using: SeededRandom(seed: "second sm2"))
        let note = try checkpoint.signed(with: [sm2, ed25519, other])
        #expect(note.signatures.map(\.keyID) == [ed25519, sm2, other].map {
            SignedNote.keyID(keyName: checkpoint.origin, publicKey: $0.verifyingKey)
        })
    }

    @Test(arguments: CryptoSuite.allCases)
    func verifierKeysRoundTrip(_ suite: CryptoSuite) throws {
        let key = suite == .gm ? sm2 : ed25519
        let vkey = try VerifierKey(keyName: checkpoint.origin, publicKey: key.verifyingKey)
        let parts = vkey.description.split(separator: "+", maxSplits: 2)
        #expect(parts.count == 3 && parts[0] == "piaojue/某县人大")
        #expect(parts[1] == Encoding.hex(SignedNote.keyID(keyName: checkpoint.origin, publicKey: key.verifyingKey)))
        #expect(Encoding.unbase64(parts[2]) == [suite.noteSignatureType.rawValue] + suite.noteKeyIdentifier + key.verifyingKey.rawBytes)
        let parsed = try VerifierKey(parsing: vkey.description)
        #expect(parsed == vkey && parsed.hasRecommendedKeyID && parsed.type == suite.noteSignatureType)
        let verifier = try NoteVerifierRegistry.logKeysWithSM2.verifier(for: parsed)
        #expect(verifier.verifierKey == vkey && verifier.type == suite.noteSignatureType)
        #expect(try key.verifyingKey.noteVerifier(keyName: checkpoint.origin).verifierKey == vkey)
        #expect(try checkpoint.signed(with: [sm2, ed25519]).isSigned(by: verifier))
        #expect(try !checkpoint.signed(with: [suite == .gm ? ed25519 : sm2]).isSigned(by: verifier))
        // A wrong key ID, a wrong name for the ID, an unknown type: refused by the verifier, or as
        // a form by the parser.
        func refused(_ text: String) -> Bool {
            (try? NoteVerifierRegistry.logKeysWithSM2.verifier(parsing: text)) == nil
        }
        var wrongID = Array(parts[1])
        wrongID[0] = wrongID[0] == "0" ? "1" : "0"
        #expect(refused("\(parts[0])+\(String(wrongID))+\(parts[2])"))
        #expect(refused("other+\(parts[1])+\(parts[2])"))
        #expect(refused("\(parts[0])+\(parts[1])+\(Encoding.base64([0x02] + key.verifyingKey.rawBytes))"))
        #expect(throws: CryptoInputError.self) { try VerifierKey(parsing: "\(parts[0])+\(parts[1])") }
    }

    /// An SM2 vkey is 0xff with Piaojue's identifier and a point on the curve, or it is not one;
    /// the witness's default log keys (Ed25519 only) refuse it, and 0x01 with an SM2 point is refused.
    @Test func sm2VerifierKeysAreChecked() throws {
        let point = sm2.verifyingKey.rawBytes
        func vkey(_ type: NoteSignatureType, _ material: [UInt8]) throws -> VerifierKey {
            let name = checkpoint.origin
            return try VerifierKey(
                keyName: name, keyID: VerifierKey.recommendedKeyID(keyName: name, type: type, keyMaterial: material),
                type: type, keyMaterial: material)
        }
        let good = try vkey(.other, CryptoSuite.gm.noteKeyIdentifier + point)
        #expect(try SM2NoteVerifier(good).publicKey.rawBytes == point)
        #expect(throws: CryptoInputError.self) { try NoteVerifierRegistry.logKeys.verifier(for: good) }
        var offCurve = point
        offCurve[64] ^= 1
        let bad = [
            try vkey(.other, Array("sm2-sm3-0000000000000000".utf8) + point),
            try vkey(.other, point),
            try vkey(.other, CryptoSuite.gm.noteKeyIdentifier + offCurve),
            try vkey(.other, CryptoSuite.gm.noteKeyIdentifier + point.dropLast()),
            try vkey(.ed25519, point),
        ]
        for key in bad {
            #expect(throws: CryptoInputError.self) { try NoteVerifierRegistry.logKeysWithSM2.verifier(for: key) }
        }
    }

    /// signed-note's rule over both suites: a line of a known key that fails rejects the note.
    @Test func dualNotesVerifyAsSignedNoteSays() throws {
        let verifiers = try [sm2, ed25519].map { try $0.verifyingKey.noteVerifier(keyName: checkpoint.origin) }
        let note = try checkpoint.signed(with: [sm2, ed25519])
        #expect(note.verify(with: verifiers) == .verified(note.signatures))
        #expect(note.verify(with: [verifiers[0]]) == .verified([note.signatures[1]]))
        var broken = note.signatures[1].signature
        broken[broken.count - 1] ^= 1
        let forged = note.keeping([note.signatures[0]]).appending([
            try SignedNote.Signature(keyName: checkpoint.origin, keyID: note.signatures[1].keyID, bytes: broken)
        ])
        #expect(forged.verify(with: verifiers) == .invalidSignature(keyName: checkpoint.origin))
        #expect(forged.isSigned(by: verifiers[1]) && !forged.isSigned(by: verifiers[0]))
    }

    /// The example of c2sp.org/signed-note ("Verifier keys", CC BY 4.0).
    @Test func c2spExampleVerifierKeyVerifiesItsNote() throws {
        let vkey = try VerifierKey(parsing: "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
        #expect(vkey.type == .ed25519 && vkey.keyName == "example.com/foo")
        let verifier = try NoteVerifierRegistry.logKeysWithSM2.verifier(for: vkey)
        let note = try SignedNote(parsing: """
            This is an example message.

            — example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=

            """)
        #expect(note.isSigned(by: verifier))
        #expect(vkey.description == "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
    }
}
