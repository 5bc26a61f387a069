import Foundation
import PiaojueCrypto
import PiaojueTestSupport
import Testing

/// One JSON file of the transparency-dev vectors.
struct VectorFile: Sendable, CustomTestStringConvertible {
    let relativePath: String
    let json: [String: any Sendable]
    var testDescription: String { relativePath }

    static func all(under folder: String) throws -> [VectorFile] {
        let base = TestPaths.vectors.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
        var files: [VectorFile] = []
        for case let path as String in walker where path.hasSuffix(".json") {
            let data = try Data(contentsOf: base.appendingPathComponent(path))
            let object = try need(try JSONSerialization.jsonObject(with: data) as? [String: Any], path)
            var sendable: [String: any Sendable] = [:]
            for (key, value) in object {
                if key == "wantErr" { sendable[key] = (value as? NSNumber)?.boolValue ?? false }
                else if let text = value as? String { sendable[key] = text }
                else if let number = value as? Int { sendable[key] = number }
                else if let list = value as? [String] { sendable[key] = list }
                else if let flag = value as? Bool { sendable[key] = flag }
            }
            files.append(VectorFile(relativePath: "\(folder)/\(path)", json: sendable))
        }
        return files.sorted { $0.relativePath < $1.relativePath }
    }

    func bytes(_ key: String) -> [UInt8] { Encoding.unbase64(json[key] as? String ?? "") ?? [] }
    func int(_ key: String) -> Int { json[key] as? Int ?? -1 }
    var proof: [[UInt8]] { (json["proof"] as? [String] ?? []).map { Encoding.unbase64($0) ?? [] } }
    var wantErr: Bool { json["wantErr"] as? Bool ?? false }
}

@Suite struct MerkleTests {
    static let treeRoots: (leaves: [[UInt8]], roots: [[UInt8]]) = {
        let url = TestPaths.vectors.appendingPathComponent("merkle/tree_roots.json")
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let leaves = object["leafInputsHex"] as? [String], let roots = object["rootHashesBySizeHex"] as? [String]
        else { return ([], []) }
        return (leaves.compactMap { Encoding.unhex($0) }, roots.compactMap { Encoding.unhex($0) })
    }()

    @Test func treeRootsForEverySize() throws {
        let (inputs, roots) = Self.treeRoots
        try #require(inputs.count == 8 && roots.count == 9)
        let leaves = inputs.map { Merkle.leafHash($0) }
        for size in 0...8 {
            #expect(Merkle.root(leaves[0..<size]) == roots[size], "size \(size)")
            var frontier = MerkleFrontier()
            for leaf in leaves[0..<size] { frontier.append(leafHash: leaf) }
            #expect(frontier.root == roots[size], "streamed size \(size)")
        }
    }

    @Test func vectorFilesArePresent() throws {
        #expect(try VectorFile.all(under: "merkle/inclusion").count > 50)
        #expect(try VectorFile.all(under: "merkle/consistency").count > 50)
    }

    @Test(arguments: try VectorFile.all(under: "merkle/inclusion"))
    func inclusionVector(_ file: VectorFile) {
        let ok = Merkle.verifyInclusion(
            leafHash: file.bytes("leafHash"), index: file.int("leafIdx"), size: file.int("treeSize"),
            proof: file.proof, root: file.bytes("root"))
        #expect(ok == !file.wantErr)
    }

    @Test(arguments: try VectorFile.all(under: "merkle/consistency"))
    func consistencyVector(_ file: VectorFile) {
        let ok = Merkle.verifyConsistency(
            oldSize: file.int("size1"), newSize: file.int("size2"), oldRoot: file.bytes("root1"),
            newRoot: file.bytes("root2"), proof: file.proof)
        #expect(ok == !file.wantErr)
    }

    @Test func generatedProofsVerifyForEverySizeUpTo40() throws {
        let leaves = (0..<40).map { Merkle.leafHash([UInt8($0)]) }
        for size in 1...40 {
            let tree = leaves[0..<size]
            let root = Merkle.root(tree)
            for index in 0..<size {
                let proof = try Merkle.inclusionProof(index: index, leaves: tree)
                #expect(Merkle.verifyInclusion(leafHash: leaves[index], index: index, size: size, proof: proof, root: root))
                #expect(!Merkle.verifyInclusion(leafHash: leaves[(index + 1) % 40], index: index, size: size, proof: proof, root: root))
            }
            for oldSize in 1...size {
                let proof = try Merkle.consistencyProof(oldSize: oldSize, leaves: tree)
                let oldRoot = Merkle.root(leaves[0..<oldSize])
                #expect(Merkle.verifyConsistency(oldSize: oldSize, newSize: size, oldRoot: oldRoot, newRoot: root, proof: proof))
                if oldSize < size {
                    #expect(!Merkle.verifyConsistency(oldSize: oldSize, newSize: size, oldRoot: root, newRoot: root, proof: proof))
                }
            }
        }
    }

    @Test func frontierRestoresAndExtends() throws {
        let leaves = (0..<77).map { Merkle.leafHash([UInt8($0)]) }
        var frontier = MerkleFrontier()
        for leaf in leaves[0..<50] { frontier.append(leafHash: leaf) }
        var restored = try MerkleFrontier(size: frontier.size, hashes: frontier.hashes)
        for leaf in leaves[50...] { restored.append(leafHash: leaf) }
        #expect(restored.root == Merkle.root(leaves))
        #expect(throws: CryptoInputError.self) { try MerkleFrontier(size: 3, hashes: [leaves[0]]) }
    }
}
