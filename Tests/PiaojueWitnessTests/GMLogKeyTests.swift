import PiaojueCrypto
import PiaojueTestSupport
import PiaojueWitness
import Testing

/// A gm ledger's SM2 checkpoint key at the witness: refused by the default log keys (Ed25519), taken
/// by ``NoteVerifierRegistry/logKeysWithSM2``, under which an SM2-signed checkpoint is cosigned.
@Suite struct GMLogKeyTests {
    let origin = "township.example/gm"
    let body: SigningKey
    let bodyEd25519: SigningKey
    let text: String

    init() throws {
        body = try SigningKey.generate(suite: .gm, using: SeededRandom(seed: "gm log"))
        bodyEd25519 = try SigningKey.generate(suite: .standard, using: SeededRandom(seed: "gm log ed25519"))
        let leaves = (0..<8).map { CryptoSuite.gm.leafHash(Array("gm leaf \($0)".utf8)) }
        text = Checkpoint(origin: origin, size: 8, root: Merkle.root(leaves, suite: .gm)).text
    }

    func witness(registry: NoteVerifierRegistry) throws -> (Witness, VerifierKey, TemporaryDirectory) {
        let directory = TemporaryDirectory("witness-gm")
        let vkey = try Witness.create(name: "county.example/witness", directory: directory.path("w"), random: SeededRandom(seed: "w"))
        return (try Witness.open(directory: directory.path("w"), registry: registry), vkey, directory)
    }

    @Test func defaultLogKeysRefuseAnSM2Key() throws {
        let (witness, _, directory) = try witness(registry: .logKeys)
        let vkey = try VerifierKey(keyName: origin, publicKey: body.verifyingKey).description
        #expect(throws: WitnessFailure.self) { try witness.addLog(origin: origin, vkey: vkey) }
        #expect(try witness.logs().isEmpty)
        _ = directory
    }

    @Test(arguments: [false, true])
    func sm2SignedCheckpointIsCosigned(_ dual: Bool) throws {
        let (witness, witnessKey, directory) = try witness(registry: .logKeysWithSM2)
        try witness.addLog(origin: origin, vkey: try VerifierKey(keyName: origin, publicKey: body.verifyingKey).description)
        let signers: [any Signer] = dual ? [body, bodyEd25519] : [body]
        let note = try SignedNote.sign(text: text, keyName: origin, signers: signers)
        let answer = try witness.addCheckpoint(Array(("old 0\n\n" + note.serialized).utf8))
        guard case let .cosigned(lines) = answer else { Issue.record("not cosigned: \(answer)"); return }
        #expect(lines.count == 1)
        #expect(try CosignatureV1Verifier(witnessKey).isValid(signature: lines[0].signature, text: Array(text.utf8)))
        // The witness keeps the lines of the keys it trusts: here the SM2 line (after the Ed25519 one).
        let sm2Line = note.signatures[dual ? 1 : 0]
        #expect(try witness.cosigned(origin: origin).first?.note == note.keeping([sm2Line]))

        // A forged SM2 line of the trusted key rejects the note, even beside a valid Ed25519 line.
        var forgedBytes = sm2Line.signature
        forgedBytes[forgedBytes.count - 1] ^= 1
        let forged = note.keeping(note.signatures.filter { $0 != sm2Line })
            .appending([try SignedNote.Signature(keyName: origin, keyID: sm2Line.keyID, bytes: forgedBytes)])
        let refused = try witness.addCheckpoint(Array(("old 8\n\n" + forged.serialized).utf8))
        #expect(refused.status == 403)
        _ = directory
    }
}
