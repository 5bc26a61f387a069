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
        let parts = vkey.text.split(separator: "+", maxSplits: 2)
        #expect(parts.count == 3 && parts[0] == "piaojue/某县人大")
        #expect(parts[1] == Encoding.hex(SignedNote.keyID(keyName: checkpoint.origin, publicKey: key.verifyingKey)))
        #expect(Encoding.unbase64(parts[2]) == suite.noteSignatureType + key.verifyingKey.rawBytes)
        let parsed = try VerifierKey(parsing: vkey.text)
        #expect(parsed == vkey && parsed.publicKey.suite == suite)
        #expect(try checkpoint.signed(with: [sm2, ed25519]).isSigned(by: parsed))
        // A wrong key ID, a wrong name for the ID, an unknown type: refused.
        var wrongID = Array(parts[1])
        wrongID[0] = wrongID[0] == "0" ? "1" : "0"
        #expect(throws: CryptoInputError.self) { try VerifierKey(parsing: "\(parts[0])+\(String(wrongID))+\(parts[2])") }
        #expect(throws: CryptoInputError.self) { try VerifierKey(parsing: "other+\(parts[1])+\(parts[2])") }
        let unknownType = Encoding.base64([0x02] + key.verifyingKey.rawBytes)
        #expect(throws: CryptoInputError.self) { try VerifierKey(parsing: "\(parts[0])+\(parts[1])+\(unknownType)") }
        #expect(throws: CryptoInputError.self) { try VerifierKey(parsing: "\(parts[0])+\(parts[1])") }
    }

    /// The example of c2sp.org/signed-note ("Verifier keys", CC BY 4.0).
    @Test func c2spExampleVerifierKeyVerifiesItsNote() throws {
        let vkey = try VerifierKey(parsing: "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
        #expect(vkey.publicKey.suite == .standard && vkey.keyName == "example.com/foo")
        let note = try SignedNote(parsing: """
            This is an example message.

            — example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=

            """)
        #expect(note.isSigned(by: vkey))
        #expect(vkey.text == "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
    }
}
