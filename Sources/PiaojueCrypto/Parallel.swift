import Dispatch
import Foundation
import Synchronization

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
    /// Starts `transform` of every element on the worker threads and returns at once. Work is
    /// handed out in chunks of `chunk` elements; ``Shared/wait()`` takes chunks too, so the thread
    /// that waits works instead of sleeping (the reading thread of a verification, when it is
    /// ahead of the signature checks).
    public static func shared<Element: Sendable, Output: Sendable>(
        _ items: [Element], chunk: Int = 32, _ transform: @escaping @Sendable (Element) -> Output
    ) -> Shared<Element, Output> {
        Shared(items, chunk: chunk, transform)
    }
}

/// Work shared by the worker threads and the thread that waits for it (see
/// ``Parallel/shared(_:chunk:_:)``).
public final class Shared<Element: Sendable, Output: Sendable>: Sendable {
    private let items: [Element]
    private let chunk: Int
    private let chunks: Int
    private let transform: @Sendable (Element) -> Output
    /// The next chunk not yet taken; each chunk is taken by exactly one thread.
    private let next = Atomic<Int>(0)
    /// The chunks computed so far; whoever completes the last one signals `finished`.
    private let done = Atomic<Int>(0)
    private let finished = DispatchSemaphore(value: 0)
    private let results: SlotBuffer<Output>

    fileprivate init(_ items: [Element], chunk: Int, _ transform: @escaping @Sendable (Element) -> Output) {
        self.items = items
        self.chunk = max(chunk, 1)
        chunks = (items.count + self.chunk - 1) / self.chunk
        self.transform = transform
        results = SlotBuffer(count: items.count)
        // A worker that starts after every chunk was taken finds nothing and returns: `wait()`
        // waits for the chunks, not for the workers.
        for _ in 0..<min(chunks, ProcessInfo.processInfo.activeProcessorCount) {
            DispatchQueue.global(qos: .userInitiated).async { self.work() }
        }
    }

    /// Takes and computes chunks until none is left.
    private func work() {
        while true {
            let taken = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard taken < chunks else { return }
            let lower = taken * chunk
            for n in lower..<min(lower + chunk, items.count) { results.set(n, transform(items[n])) }
            // Acquiring and releasing: the thread that completes the last chunk has seen every
            // other chunk's writes, and its signal orders them all before `wait()` reads them.
            if done.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == chunks { finished.signal() }
        }
    }

    /// Helps with the chunks left, then waits for those others are computing; every output in order.
    /// Call it once.
    public func wait() -> [Output] {
        work()
        if chunks > 0 { finished.wait() }
        return results.collect()
    }
}

/// A fixed array of slots, each written once by one worker of `concurrentPerform`.
private final class SlotBuffer<Value: Sendable>: @unchecked Sendable {
    // Safe: each index is written by exactly one worker (of `concurrentPerform`, or the one thread
    // that took its chunk of a `Shared`), and the slots are read only after `concurrentPerform` has
    // returned or the `Shared`'s last chunk has signalled `wait()`, which orders every write before the reads.
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
