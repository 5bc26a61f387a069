import PiaojueCrypto
import Testing

/// MerkleAppend and c2sp tlog-proof receipts over SM3 trees (the gm suite): the frontier's suite
/// builds the appended proofs, and a receipt checks with SM3 and the SM2 checkpoint key alone.
@Suite struct GMTlogProofTests {
    static func leaves(_ count: Int) -> [[UInt8]] {
        (0..<count).map { CryptoSuite.gm.leafHash(Array("entry \($0)".utf8)) }
    }

    @Test(arguments: [0, 1, 2, 3, 7, 8, 9, 16, 33])
    func sm3ProofsFromTheFrontierEqualFullProofs(_ oldSize: Int) throws {
        let all = Self.leaves(oldSize + 13)
        var frontier = MerkleFrontier(suite: .gm)
        for leaf in all.prefix(oldSize) { frontier.append(leafHash: leaf) }
        for added in [1, 2, 5, 13] {
            let new = Array(all[oldSize..<(oldSize + added)])
            let (after, proofs) = MerkleAppend.append(new, to: frontier)
            let tree = all.prefix(oldSize + added)
            #expect(after.suite == .gm && after.size == tree.count)
            #expect(after.root == Merkle.root(tree, suite: .gm))
            if tree.count > 1 { #expect(after.root != Merkle.root(tree)) }
            for (n, proof) in proofs.enumerated() {
                let index = oldSize + n
                #expect(proof == (try Merkle.inclusionProof(index: index, leaves: tree, suite: .gm)), "old \(oldSize), added \(added), leaf \(index)")
                #expect(Merkle.verifyInclusion(leafHash: new[n], index: index, size: tree.count, proof: proof, root: after.root, suite: .gm))
            }
        }
    }

    /// A cast's receipt as a gm ledger would give it: entries appended to an SM3 frontier, the
    /// checkpoint signed by SM2 and Ed25519, the proof written and read as text, then checked.
    @Test func sm3TlogProofVerifies() throws {
        let body = try SigningKey.generate(suite: .gm, using: SeededRandom(seed: "gm body"))
        let bodyEd25519 = try SigningKey.generate(suite: .standard, using: SeededRandom(seed: "gm body ed25519"))
        let origin = "piaojue/某县人大"
        let entries = (0..<11).map { Array("{\"kind\":\"ballot.cast\",\"n\":\($0)}".utf8) }
        var frontier = MerkleFrontier(suite: .gm)
        for entry in entries.prefix(8) { frontier.append(leafHash: CryptoSuite.gm.leafHash(entry)) }
        let (after, proofs) = MerkleAppend.append(entries.dropFirst(8).map { CryptoSuite.gm.leafHash($0) }, to: frontier)
        let note = try Checkpoint(origin: origin, size: after.size, root: after.root).signed(with: [body, bodyEd25519])
        let receipts = proofs.enumerated().map { n, proof in
            TlogProof(index: 8 + n, proof: proof, checkpoint: note.serialized).text
        }

        let verifier = try NoteVerifierRegistry.logKeysWithSM2.verifier(
            parsing: try VerifierKey(keyName: origin, publicKey: body.verifyingKey).description)
        for (n, text) in receipts.enumerated() {
            let receipt = try TlogProof(parsing: text)
            let signed = try SignedNote(parsing: receipt.checkpoint)
            #expect(signed.isSigned(by: verifier))
            let checkpoint = try Checkpoint(text: signed.text)
            let leaf = CryptoSuite.gm.leafHash(entries[8 + n])
            #expect(Merkle.verifyInclusion(
                leafHash: leaf, index: receipt.index, size: checkpoint.size, proof: receipt.proof, root: checkpoint.root, suite: .gm))
            // The same proof read with SHA-256, or for another entry, proves nothing.
            #expect(!Merkle.verifyInclusion(
                leafHash: Merkle.leafHash(entries[8 + n]), index: receipt.index, size: checkpoint.size, proof: receipt.proof,
                root: checkpoint.root))
            #expect(!Merkle.verifyInclusion(
                leafHash: CryptoSuite.gm.leafHash(entries[0]), index: receipt.index, size: checkpoint.size, proof: receipt.proof,
                root: checkpoint.root, suite: .gm))
        }
    }
}
