/// RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing, inclusion and consistency proofs.
///
/// Leaves are handled as their 32-byte leaf hashes; ``leafHash(_:suite:)`` turns entry bytes into
/// one. Every function takes the ``CryptoSuite`` whose hash builds the tree (SHA-256 by default,
/// SM3 for ``CryptoSuite/gm``); the structure is RFC 9162's in both.
public enum Merkle {
    /// H(0x00 ‖ data): the hash of a leaf (SHA-256 unless `suite` says otherwise).
    public static func leafHash(_ data: [UInt8], suite: CryptoSuite = .standard) -> [UInt8] {
        var hasher = DigestHasher(suite: suite)
        hasher.update(byte: 0x00)
        hasher.update(data)
        return hasher.finalize()
    }

    /// H(0x01 ‖ left ‖ right): the hash of an interior node (SHA-256 unless `suite` says otherwise).
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8], suite: CryptoSuite = .standard) -> [UInt8] {
        var hasher = DigestHasher(suite: suite)
        hasher.update(byte: 0x01)
        hasher.update(left)
        hasher.update(right)
        return hasher.finalize()
    }

    /// The root of the empty tree: SHA-256 of nothing (``CryptoSuite/emptyRoot`` for any suite).
    public static let emptyRoot: [UInt8] = SHA256.hash([UInt8]())
    /// SM3 of nothing: the empty root of a ``CryptoSuite/gm`` tree.
    static let emptySM3Root: [UInt8] = SM3.hash([UInt8]())

    /// The largest power of two strictly smaller than `n` (n ≥ 2).
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// The root hash of the tree over `leaves` (leaf hashes, in order).
    public static func root(_ leaves: ArraySlice<[UInt8]>, suite: CryptoSuite = .standard) -> [UInt8] {
        switch leaves.count {
        case 0: return suite.emptyRoot
        case 1: return leaves[leaves.startIndex]
        default:
            let k = split(leaves.count)
            let middle = leaves.startIndex + k
            return nodeHash(
                root(leaves[leaves.startIndex..<middle], suite: suite), root(leaves[middle...], suite: suite), suite: suite)
        }
    }

    /// The root hash of the tree over `leaves` (leaf hashes, in order).
    public static func root(_ leaves: [[UInt8]], suite: CryptoSuite = .standard) -> [UInt8] { root(leaves[...], suite: suite) }

    /// The RFC 9162 inclusion proof (audit path) of leaf `index` in the tree over `leaves`.
    public static func inclusionProof(
        index: Int, leaves: ArraySlice<[UInt8]>, suite: CryptoSuite = .standard
    ) throws(CryptoInputError) -> [[UInt8]] {
        guard index >= 0, index < leaves.count else {
            throw CryptoInputError("leaf \(index) is not in a tree of size \(leaves.count)")
        }
        return path(index, leaves, suite)
    }

    private static func path(_ m: Int, _ leaves: ArraySlice<[UInt8]>, _ suite: CryptoSuite) -> [[UInt8]] {
        guard leaves.count > 1 else { return [] }
        let k = split(leaves.count)
        let middle = leaves.startIndex + k
        if m < k {
            return path(m, leaves[leaves.startIndex..<middle], suite) + [root(leaves[middle...], suite: suite)]
        }
        return path(m - k, leaves[middle...], suite) + [root(leaves[leaves.startIndex..<middle], suite: suite)]
    }

    /// Whether `proof` proves that `leafHash` is leaf `index` of the tree of `size` with `root`
    /// (RFC 9162 §2.1.3.2). Every hash must be 32 bytes.
    public static func verifyInclusion(
        leafHash: [UInt8], index: Int, size: Int, proof: [[UInt8]], root: [UInt8], suite: CryptoSuite = .standard
    ) -> Bool {
        guard index >= 0, index < size, leafHash.count == 32, root.count == 32 else { return false }
        guard proof.allSatisfy({ $0.count == 32 }) else { return false }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r, suite: suite)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p, suite: suite)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// The RFC 9162 consistency proof that the tree of the first `oldSize` leaves is a prefix of the
    /// tree over all `leaves`. Empty when the sizes are equal.
    public static func consistencyProof(
        oldSize: Int, leaves: ArraySlice<[UInt8]>, suite: CryptoSuite = .standard
    ) throws(CryptoInputError) -> [[UInt8]] {
        guard oldSize > 0, oldSize <= leaves.count else {
            throw CryptoInputError("no consistency proof from size \(oldSize) to size \(leaves.count)")
        }
        if oldSize == leaves.count { return [] }
        return subproof(oldSize, leaves, complete: true, suite)
    }

    private static func subproof(_ m: Int, _ leaves: ArraySlice<[UInt8]>, complete: Bool, _ suite: CryptoSuite) -> [[UInt8]] {
        let n = leaves.count
        if m == n { return complete ? [] : [root(leaves, suite: suite)] }
        let k = split(n)
        let middle = leaves.startIndex + k
        if m <= k {
            return subproof(m, leaves[leaves.startIndex..<middle], complete: complete, suite) + [root(leaves[middle...], suite: suite)]
        }
        return subproof(m - k, leaves[middle...], complete: false, suite) + [root(leaves[leaves.startIndex..<middle], suite: suite)]
    }

    /// Whether `proof` proves that the tree (`oldSize`, `oldRoot`) is a prefix of (`newSize`,
    /// `newRoot`) (RFC 9162 §2.1.4.2). A proof from the empty tree is refused as meaningless.
    public static func verifyConsistency(
        oldSize: Int, newSize: Int, oldRoot: [UInt8], newRoot: [UInt8], proof: [[UInt8]], suite: CryptoSuite = .standard
    ) -> Bool {
        guard oldSize > 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        guard oldRoot.count == 32, newRoot.count == 32, proof.allSatisfy({ $0.count == 32 }) else { return false }
        guard oldSize > 0, !proof.isEmpty else { return false }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr, suite: suite)
                sr = nodeHash(c, sr, suite: suite)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                sr = nodeHash(sr, c, suite: suite)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}

/// The right edge of a growing Merkle tree: the roots of its perfect subtrees, largest first.
///
/// Appending a leaf and reading the root are O(log n) in time and memory, so a million-entry
/// ledger is hashed as a stream. The frontier of a checkpoint can be stored and extended later.
/// The stored form (size and hashes) does not name the suite: the ledger's suite is given again.
public struct MerkleFrontier: Sendable, Equatable {
    /// Whose hash builds the tree.
    public let suite: CryptoSuite
    /// Number of leaves appended.
    public private(set) var size: Int = 0
    /// Roots of the perfect subtrees, left to right; their sizes are the set bits of `size`.
    public private(set) var hashes: [[UInt8]] = []

    /// An empty tree (SHA-256 unless `suite` says otherwise).
    public init(suite: CryptoSuite = .standard) { self.suite = suite }

    /// A frontier restored from its stored form; fails when the hash count does not match `size`.
    public init(size: Int, hashes: [[UInt8]], suite: CryptoSuite = .standard) throws(CryptoInputError) {
        guard size >= 0, size.nonzeroBitCount == hashes.count, hashes.allSatisfy({ $0.count == 32 }) else {
            throw CryptoInputError("a Merkle frontier of size \(size) needs \(max(size, 0).nonzeroBitCount) hashes")
        }
        self.suite = suite
        self.size = size
        self.hashes = hashes
    }

    /// Appends one leaf hash.
    public mutating func append(leafHash: [UInt8]) {
        var hash = leafHash
        var newSize = size + 1
        // Merge while the two rightmost subtrees have the same size: one per trailing one bit of size.
        var carry = size
        while carry & 1 == 1, let left = hashes.popLast() {
            hash = Merkle.nodeHash(left, hash, suite: suite)
            carry >>= 1
        }
        hashes.append(hash)
        swap(&size, &newSize)
    }

    /// The root of the tree so far.
    public var root: [UInt8] {
        guard var result = hashes.last else { return suite.emptyRoot }
        for left in hashes.dropLast().reversed() { result = Merkle.nodeHash(left, result, suite: suite) }
        return result
    }
}
