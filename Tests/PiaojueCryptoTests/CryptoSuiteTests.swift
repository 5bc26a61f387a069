import PiaojueCrypto
import Testing

@Suite struct CryptoSuiteTests {
    @Test func namesParse() throws {
        #expect(try CryptoSuite(name: "standard") == .standard)
        #expect(try CryptoSuite(name: "gm") == .gm)
        #expect(throws: CryptoInputError.self) { try CryptoSuite(name: "GM") }
        #expect(throws: CryptoInputError.self) { try CryptoSuite(name: "sm2") }
    }

    @Test func standardIsExactlyTheExistingFunctions() throws {
        let data = try SeededRandom(seed: "standard").bytes(400)
        let (left, right) = (SHA256.hash([1]), SHA256.hash([2]))
        #expect(CryptoSuite.standard.leafHash(data) == SHA256.hash([0x00] + data))
        #expect(Merkle.leafHash(data) == CryptoSuite.standard.leafHash(data))
        #expect(CryptoSuite.standard.nodeHash(left, right) == SHA256.hash([0x01] + left + right))
        #expect(Merkle.nodeHash(left, right) == CryptoSuite.standard.nodeHash(left, right))
        #expect(CryptoSuite.standard.emptyRoot == SHA256.hash([]) && Merkle.emptyRoot == SHA256.hash([]))
        #expect(MerkleFrontier().suite == .standard)
    }

    @Test func gmTreesAreRFC9162WithSM3() throws {
        let lines = ["a", "b", "c"].map { Array($0.utf8) }
        let leaves = lines.map { CryptoSuite.gm.leafHash($0) }
        #expect(leaves[0] == SM3.hash([0x00, 0x61]))
        let expected = SM3.hash([0x01] + SM3.hash([0x01] + leaves[0] + leaves[1]) + leaves[2])
        #expect(Merkle.root(leaves, suite: .gm) == expected)
        #expect(Merkle.root(lines.map { Merkle.leafHash($0) }) != expected)
        #expect(Encoding.hex(CryptoSuite.gm.emptyRoot) == "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b")
        #expect(Merkle.root([[UInt8]](), suite: .gm) == CryptoSuite.gm.emptyRoot)
        var frontier = MerkleFrontier(suite: .gm)
        #expect(frontier.root == CryptoSuite.gm.emptyRoot)
        for leaf in leaves { frontier.append(leafHash: leaf) }
        #expect(frontier.root == expected)
    }

    @Test(arguments: CryptoSuite.allCases)
    func proofsVerifyForEverySizeUpTo24(_ suite: CryptoSuite) throws {
        let leaves = (0..<24).map { suite.leafHash([UInt8($0)]) }
        let other: CryptoSuite = suite == .gm ? .standard : .gm
        for size in 1...24 {
            let tree = leaves[0..<size]
            let root = Merkle.root(tree, suite: suite)
            var frontier = MerkleFrontier(suite: suite)
            for leaf in tree { frontier.append(leafHash: leaf) }
            #expect(frontier.root == root)
            let restored = try MerkleFrontier(size: frontier.size, hashes: frontier.hashes, suite: suite)
            #expect(restored == frontier)
            for index in 0..<size {
                let proof = try Merkle.inclusionProof(index: index, leaves: tree, suite: suite)
                #expect(Merkle.verifyInclusion(leafHash: leaves[index], index: index, size: size, proof: proof, root: root, suite: suite))
                if size > 1 {
                    #expect(!Merkle.verifyInclusion(leafHash: leaves[index], index: index, size: size, proof: proof, root: root, suite: other))
                }
            }
            for oldSize in 1...size {
                let proof = try Merkle.consistencyProof(oldSize: oldSize, leaves: tree, suite: suite)
                let oldRoot = Merkle.root(leaves[0..<oldSize], suite: suite)
                #expect(Merkle.verifyConsistency(oldSize: oldSize, newSize: size, oldRoot: oldRoot, newRoot: root, proof: proof, suite: suite))
                if oldSize < size {
                    #expect(!Merkle.verifyConsistency(oldSize: oldSize, newSize: size, oldRoot: oldRoot, newRoot: root, proof: proof, suite: other))
                }
            }
        }
    }

    @Test(arguments: CryptoSuite.allCases)
    func keysSignAndVerifyThroughTheSeam(_ suite: CryptoSuite) throws {
        let key = try SigningKey.generate(suite: suite, using: SeededRandom(seed: "seam \(suite)"))
        #expect(key.suite == suite && key.verifyingKey.suite == suite)
        #expect(key.verifyingKey.rawBytes.count == suite.publicKeyByteCount)
        let message = Array("赞成 P1".utf8)
        let signature = try key.sign(message)
        #expect(suite.signatureByteCounts.contains(signature.count))
        #expect(suite.isWellFormedSignature(signature))
        #expect(key.verifyingKey.isValidSignature(signature, for: message))
        #expect(suite.isValidSignature(signature, publicKey: key.verifyingKey.rawBytes, message: message))
        #expect(!suite.isValidSignature(signature, publicKey: key.verifyingKey.rawBytes, message: message + [0]))
        let other: CryptoSuite = suite == .gm ? .standard : .gm
        #expect(!other.isValidSignature(signature, publicKey: key.verifyingKey.rawBytes, message: message))
        #expect(try VerifyingKey(suite: suite, rawBytes: key.verifyingKey.rawBytes) == key.verifyingKey)
        #expect(throws: CryptoInputError.self) { try VerifyingKey(suite: other, rawBytes: key.verifyingKey.rawBytes) }
        #expect(key.verifyingKey.base64 == Encoding.base64(key.verifyingKey.rawBytes))

        // PEM in and out; the suite comes back from the key type.
        let privatePEM = try key.pemPKCS8()
        let reread = try SigningKey(pem: privatePEM)
        #expect(reread.suite == suite && reread.verifyingKey == key.verifyingKey)
        let publicPEM = try key.verifyingKey.pem()
        #expect(try VerifyingKey(pem: publicPEM) == key.verifyingKey)
        #expect(throws: (any Error).self) { try VerifyingKey(pem: privatePEM + "x") }
        #expect(throws: (any Error).self) { try SigningKey(pem: publicPEM) }
    }

    @Test func credentialKeysFollowTheSecret() throws {
        let secret = try SeededRandom(seed: "credential").bytes(32)
        let standard = try SigningKey(suite: .standard, credentialSecret: secret)
        #expect(standard.verifyingKey == VerifyingKey(try Ed25519PrivateKey(seed: secret).publicKey))
        let gm = try SigningKey(suite: .gm, credentialSecret: secret)
        #expect(gm.verifyingKey == VerifyingKey(try SM2PrivateKey(derivingFrom: secret).publicKey))
        #expect(try SigningKey(suite: .gm, credentialSecret: secret).verifyingKey == gm.verifyingKey)
        #expect(throws: (any Error).self) { try SigningKey(suite: .gm, credentialSecret: Array(secret.dropLast())) }
        #expect(throws: (any Error).self) { try SigningKey(suite: .standard, credentialSecret: Array(secret.dropLast())) }
        // Keys are values: usable as dictionary keys, suite and bytes both count.
        let keys: Set<VerifyingKey> = [standard.verifyingKey, gm.verifyingKey, standard.verifyingKey]
        #expect(keys.count == 2)
    }

    @Test func signatureShapes() {
        #expect(CryptoSuite.standard.isWellFormedSignature([UInt8](repeating: 7, count: 64)))
        #expect(!CryptoSuite.standard.isWellFormedSignature([UInt8](repeating: 7, count: 63)))
        #expect(CryptoSuite.gm.isWellFormedSignature(StandardExample.der))
        #expect(!CryptoSuite.gm.isWellFormedSignature([UInt8](repeating: 7, count: 64)))
        #expect(CryptoSuite.standard.signatureByteCounts == 64...64)
        #expect(CryptoSuite.gm.signatureByteCounts == 8...72)
        #expect(CryptoSuite.standard.publicKeyByteCount == 32 && CryptoSuite.gm.publicKeyByteCount == 65)
    }
}
