import Foundation

/// Inclusion proofs of leaves just appended to a tree, from the tree's frontier alone: a ledger of
/// a million entries proves a new ballot without reading a million leaf hashes.
///
/// The proof of leaf m in a tree of size N is RFC 9162's PATH(m, D[0:N]). Every sibling on that
/// path is either a perfect subtree wholly left of the appended leaves — then it is one of the
/// frontier's subtrees — or made of appended leaves (possibly together with frontier subtrees),
/// so the frontier and the new leaves are enough. The tree's hash is the frontier's suite's
/// (SHA-256, or SM3 for ``CryptoSuite/gm``).
public enum MerkleAppend {
    /// The frontier after appending `leaves` to `frontier`, and the inclusion proof of each appended
    /// leaf in that tree (in order).
    public static func append(_ leaves: [[UInt8]], to frontier: MerkleFrontier) -> (frontier: MerkleFrontier, proofs: [[[UInt8]]]) {
        let tree = Tree(frontier: frontier, leaves: leaves)
        var after = frontier
        for leaf in leaves { after.append(leafHash: leaf) }
        let proofs = leaves.indices.map { n in tree.path(frontier.size + n, 0, tree.size) }
        return (after, proofs)
    }

    /// The tree over a frontier (its perfect subtrees, left to right) and new leaves.
    struct Tree {
        /// The frontier's subtrees: start index → (size, hash).
        let blocks: [Int: (size: Int, hash: [UInt8])]
        let oldSize: Int
        let leaves: [[UInt8]]
        let suite: CryptoSuite
        var size: Int { oldSize + leaves.count }

        init(frontier: MerkleFrontier, leaves: [[UInt8]]) {
            var blocks: [Int: (size: Int, hash: [UInt8])] = [:]
            var start = 0
            var bit = 1 << max(0, Int.bitWidth - 1 - frontier.size.leadingZeroBitCount)
            var index = 0
            while bit > 0 {
                if frontier.size & bit != 0, index < frontier.hashes.count {
                    blocks[start] = (bit, frontier.hashes[index])
                    start += bit
                    index += 1
                }
                bit >>= 1
            }
            self.blocks = blocks
            oldSize = frontier.size
            self.leaves = leaves
            suite = frontier.suite
        }

        /// MTH(D[lo:hi]).
        func hash(_ lo: Int, _ hi: Int) -> [UInt8] {
            if let block = blocks[lo], block.size == hi - lo { return block.hash }
            if hi - lo == 1 { return lo >= oldSize ? leaves[lo - oldSize] : suite.emptyRoot }
            let k = Merkle.split(hi - lo)
            return Merkle.nodeHash(hash(lo, lo + k), hash(lo + k, hi), suite: suite)
        }

        /// PATH(m, D[lo:hi]).
        func path(_ m: Int, _ lo: Int, _ hi: Int) -> [[UInt8]] {
            guard hi - lo > 1 else { return [] }
            let k = Merkle.split(hi - lo)
            if m < lo + k { return path(m, lo, lo + k) + [hash(lo + k, hi)] }
            return path(m, lo + k, hi) + [hash(lo, lo + k)]
        }
    }
}

/// A `c2sp.org/tlog-proof@v1` proof: the index of an entry, its inclusion proof and the signed
/// checkpoint it leads to — a receipt anyone can check offline.
public struct TlogProof: Sendable, Equatable {
    public static let header = "c2sp.org/tlog-proof@v1"

    public let index: Int
    /// The audit path, leaf to root.
    public let proof: [[UInt8]]
    /// The signed (possibly cosigned) checkpoint note, serialized.
    public let checkpoint: String
    /// Optional application data (`extra` line).
    public let extra: [UInt8]?

    public init(index: Int, proof: [[UInt8]], checkpoint: String, extra: [UInt8]? = nil) {
        self.index = index
        self.proof = proof
        self.checkpoint = checkpoint
        self.extra = extra
    }

    /// The text form: header, optional `extra`, `index N`, one base64 hash a line, an empty line,
    /// the checkpoint.
    public var text: String {
        var lines = [Self.header]
        if let extra { lines.append("extra " + Encoding.base64(extra)) }
        lines.append("index \(index)")
        lines.append(contentsOf: proof.map { Encoding.base64($0) })
        return lines.joined(separator: "\n") + "\n\n" + checkpoint
    }

    /// Parses the text form strictly (canonical base64, one index, no stray lines).
    public init(parsing text: String) throws(CryptoInputError) {
        guard let split = text.range(of: "\n\n") else { throw CryptoInputError("a tlog proof has an empty line before its checkpoint") }
        let head = text[..<split.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard head.first == Self.header else { throw CryptoInputError("a tlog proof starts with \(Self.header)") }
        var rest = head.dropFirst()
        var extra: [UInt8]?
        if let line = rest.first, line.hasPrefix("extra ") {
            guard let bytes = Encoding.unbase64(line.dropFirst(6)) else { throw CryptoInputError("the extra line is not base64") }
            extra = bytes
            rest = rest.dropFirst()
        }
        guard let indexLine = rest.first, indexLine.hasPrefix("index "), let index = Int(indexLine.dropFirst(6)), index >= 0,
            String(index) == indexLine.dropFirst(6)
        else { throw CryptoInputError("a tlog proof names its entry as `index N`") }
        var proof: [[UInt8]] = []
        for line in rest.dropFirst() {
            guard let hash = Encoding.unbase64(line), hash.count == 32 else {
                throw CryptoInputError("a proof line is not base64 of a 32-byte hash")
            }
            proof.append(hash)
        }
        guard proof.count <= 63 else { throw CryptoInputError("a tlog proof has at most 63 hashes") }
        self.index = index
        self.proof = proof
        self.extra = extra
        self.checkpoint = String(text[split.upperBound...])
    }
}
