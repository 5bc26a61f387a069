import Dispatch
import PiaojueCrypto

/// Ed25519 verifications collected in batches and run on every core.
///
/// Order-dependent checks stay on the reading thread; only the independent signature checks fan
/// out, so memory stays bounded by the batch size.
struct SignatureBatch {
    struct Item: Sendable {
        let index: Int
        let publicKey: [UInt8]
        let message: [UInt8]
        let signature: [UInt8]
        let isCredential: Bool
    }

    static let capacity = 2048
    private(set) var items: [Item] = []

    init() { items.reserveCapacity(Self.capacity) }

    var isFull: Bool { items.count >= Self.capacity }

    mutating func add(_ item: Item) { items.append(item) }

    /// Verifies everything queued; returns the failing items in order, and empties the batch.
    mutating func drain() -> [Item] {
        let work = items
        items.removeAll(keepingCapacity: true)
        return Self.verify(work)
    }

    /// Starts verifying everything queued on the worker threads and empties the batch; the reading
    /// thread goes on parsing while the signatures are checked.
    mutating func start() -> PendingBatch {
        let work = items
        items = []
        items.reserveCapacity(Self.capacity)
        return PendingBatch(work)
    }

    /// Verifies `work` on every core; returns the failing items in order.
    static func verify(_ work: [Item]) -> [Item] {
        let valid = Parallel.map(work) { item in
            (try? Ed25519PublicKey(rawBytes: item.publicKey))
                .map { $0.isValidSignature(item.signature, for: item.message) } ?? false
        }
        return work.indices.filter { !valid[$0] }.map { work[$0] }
    }
}

/// A batch being verified in the background.
struct PendingBatch {
    let count: Int
    let credentialCount: Int
    private let failed: Pending<[SignatureBatch.Item]>

    init(_ work: [SignatureBatch.Item]) {
        count = work.count
        credentialCount = work.filter(\.isCredential).count
        failed = Parallel.start { SignatureBatch.verify(work) }
    }

    /// Waits for the batch; the failing items in order.
    func wait() -> [SignatureBatch.Item] { failed.wait() }
}
