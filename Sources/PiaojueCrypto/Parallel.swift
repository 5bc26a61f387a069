import Dispatch

/// Independent work spread over every core, for the signature checks of a verification and the
/// key derivations and signatures of a paper import.
public enum Parallel {
    /// `transform` of every element, computed on every core, returned in the order of `items`.
    /// Work is split into contiguous chunks of at least `minimumChunk` elements (at most 64
    /// chunks), so that small inputs stay on the calling thread.
    public static func map<Element: Sendable, Output: Sendable>(
        _ items: [Element], minimumChunk: Int = 64, _ transform: @Sendable (Element) -> Output
    ) -> [Output] {
        guard items.count > minimumChunk else { return items.map(transform) }
        let results = SlotBuffer<Output>(count: items.count)
        let chunks = max(1, min(items.count / max(minimumChunk, 1), 64))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let lower = items.count * chunk / chunks
            let upper = items.count * (chunk + 1) / chunks
            for n in lower..<upper { results.set(n, transform(items[n])) }
        }
        return results.collect()
    }
}

extension Parallel {
    /// Starts `work` on another thread and returns at once; ``Pending/wait()`` gives its result.
    public static func start<Output: Sendable>(_ work: @escaping @Sendable () -> Output) -> Pending<Output> {
        Pending(work)
    }
}

/// Work running on another thread (see ``Parallel/start(_:)``).
public final class Pending<Output: Sendable>: @unchecked Sendable {
    // Safe: `output` is written once by the background task before `group.leave()` and read only
    // after `group.wait()`, which orders the write before every read.
    private let group = DispatchGroup()
    private var output: Output?

    fileprivate init(_ work: @escaping @Sendable () -> Output) {
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async {
            self.output = work()
            self.group.leave()
        }
    }

    /// Waits for the work to finish; its result.
    public func wait() -> Output {
        group.wait()
        guard let output else { preconditionFailure("the background task sets its result before it leaves the group") }
        return output
    }
}

/// A fixed array of slots, each written once by one worker of `concurrentPerform`.
private final class SlotBuffer<Value: Sendable>: @unchecked Sendable {
    // Safe: each index is written by exactly one worker, and the slots are read only after
    // `concurrentPerform` has returned, which orders every write before the reads.
    private let storage: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    func set(_ index: Int, _ value: Value) { storage[index] = value }

    /// Every slot in order; all of them were written by `Parallel.map`.
    func collect() -> [Value] { storage.compactMap { $0 } }
}
