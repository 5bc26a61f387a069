import PiaojueCrypto
import Testing

/// Proofs of appended leaves from the frontier alone equal RFC 9162 proofs over every leaf.
@Suite struct MerkleAppendTests {
    static func leaves(_ count: Int) -> [[UInt8]] { (0..<count).map { Merkle.leafHash(Array("entry \($0)".utf8)) } }

    @Test(arguments: [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100])
    func proofsFromTheFrontierEqualFullProofs(_ oldSize: Int) throws {
        let all = Self.leaves(oldSize + 40)
        var frontier = MerkleFrontier()
        for leaf in all.prefix(oldSize) { frontier.append(leafHash: leaf) }
        for added in [1, 2, 3, 5, 8, 13, 40] {
            let new = Array(all[oldSize..<(oldSize + added)])
            let (after, proofs) = MerkleAppend.append(new, to: frontier)
            let tree = all.prefix(oldSize + added)
            #expect(after.size == oldSize + added)
            #expect(after.root == Merkle.root(tree))
            for (n, proof) in proofs.enumerated() {
                let index = oldSize + n
                #expect(proof == (try Merkle.inclusionProof(index: index, leaves: tree)), "old \(oldSize), added \(added), leaf \(index)")
                #expect(Merkle.verifyInclusion(leafHash: new[n], index: index, size: tree.count, proof: proof, root: after.root))
            }
        }
    }

    @Test func tlogProofRoundTripsAndIsStrict() throws {
        let proof = TlogProof(index: 73894, proof: Self.leaves(3), checkpoint: "origin\n5\nAAAA\n\n— origin sig\n")
        let parsed = try TlogProof(parsing: proof.text)
        #expect(parsed == proof)
        #expect(proof.text.hasPrefix("c2sp.org/tlog-proof@v1\nindex 73894\n"))
        let withExtra = TlogProof(index: 1, proof: [], checkpoint: "o\n2\nAAAA\n\n— o x\n", extra: [1, 2, 3])
        #expect(try TlogProof(parsing: withExtra.text) == withExtra)
        for bad in ["index 1\n\nx", "c2sp.org/tlog-proof@v1\nindex 01\n\nx", "c2sp.org/tlog-proof@v1\nindex 1\nnot base64\n\nx",
                    "c2sp.org/tlog-proof@v1\nindex -1\n\nx", "c2sp.org/tlog-proof@v1\n\nx"] {
            #expect(throws: CryptoInputError.self) { try TlogProof(parsing: bad) }
        }
    }
}
