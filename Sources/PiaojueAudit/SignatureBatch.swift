import Dispatch
import PiaojueCrypto

/// Signature verifications (Ed25519 or SM2, the ledger's suite) collected in batches and run on
/// every core.
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
    /// The suite every signature of the ledger is in.
    let suite: CryptoSuite

    init(suite: CryptoSuite = .standard) {
        self.suite = suite
        items.reserveCapacity(Self.capacity)
    }

    var isFull: Bool { items.count >= Self.capacity }

    mutating func add(_ item: Item) { items.append(item) }

    /// Verifies everything queued; returns the failing items in order, and empties the batch.
    mutating func drain() -> [Item] {
        let work = items
        items.removeAll(keepingCapacity: true)
        return Self.verify(work, suite: suite)
    }

    /// Starts verifying everything queued on the worker threads and empties the batch; the reading
    /// thread goes on parsing while the signatures are checked.
    mutating func start() -> PendingBatch {
        let work = items
        items = []
        items.reserveCapacity(Self.capacity)
        return PendingBatch(work, suite: suite)
    }

    /// Verifies `work` on every core; returns the failing items in order. The suite is chosen once
    /// per batch: the standard loop is exactly the Ed25519 one.
    static func verify(_ work: [Item], suite: CryptoSuite = .standard) -> [Item] {
        failing(work, valid: Parallel.map(work, check(suite)))
    }

    /// The check of one item in `suite`.
    static func check(_ suite: CryptoSuite) -> @Sendable (Item) -> Bool {
        switch suite {
        case .standard:
            return { item in
                (try? Ed25519PublicKey(rawBytes: item.publicKey)).map { $0.isValidSignature(item.signature, for: item.message) } ?? false
            }
        case .gm:
            return { item in
                (try? SM2PublicKey(rawBytes: item.publicKey)).map { $0.isValidSignature(item.signature, for: item.message) } ?? false
            }
        }
    }

    /// The items of `work` whose check failed, in order.
    static func failing(_ work: [Item], valid: [Bool]) -> [Item] {
        work.indices.filter { !valid[$0] }.map { work[$0] }
    }
}

/// A batch being verified in the background; the thread that waits for it helps.
struct PendingBatch {
    let count: Int
    let credentialCount: Int
    private let work: [SignatureBatch.Item]
    private let valid: Shared<SignatureBatch.Item, Bool>

    init(_ work: [SignatureBatch.Item], suite: CryptoSuite = .standard) {
        count = work.count
        credentialCount = work.filter(\.isCredential).count
        self.work = work
        valid = Parallel.shared(work, SignatureBatch.check(suite))
    }

    /// Checks what no worker has taken yet, waits for the rest; the failing items in order. Once.
    func wait() -> [SignatureBatch.Item] { SignatureBatch.failing(work, valid: valid.wait()) }
}
