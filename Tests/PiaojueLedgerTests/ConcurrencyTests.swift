import Dispatch
import PiaojueCrypto
import PiaojueLedger
import PiaojueTestSupport
import Synchronization
import Testing

/// Several writers on one file: each append sees the tail the previous one left.
@Suite struct ConcurrencyTests {
    /// The ledger's entries form one chain: indexes 0…n−1, each `prev` the leaf hash before it.
    func expectLinearChain(_ path: String, count: Int) throws {
        let entries = try allEntries(path)
        #expect(entries.count == count)
        var previous = [UInt8](repeating: 0, count: 32)
        for (position, entry) in entries.enumerated() {
            let fields = try entry.fields()
            #expect(entry.index == position)
            #expect(fields.index == position)
            #expect(fields.prev == previous, "entry \(position) does not chain")
            #expect(entry.leafHash == Merkle.leafHash(entry.line))
            previous = entry.leafHash
        }
    }

    @Test func twoInstancesAppendingAlternatelyKeepTheChainLinear() throws {
        let fixture = try LedgerFixture()
        let first = try fixture.open()
        let second = try fixture.open()
        for n in 1...40 {
            let ledger = n.isMultiple(of: 2) ? second : first
            let entry = try ledger.write { try $0.append(testEntry(n)) }
            #expect(entry.index == n)
        }
        #expect(try first.read { try $0.count() } == 41)
        #expect(try second.read { try $0.count() } == 41)
        try expectLinearChain(fixture.path, count: 41)
    }

    @Test func twoWritersAtOnceWaitForEachOther() throws {
        let fixture = try LedgerFixture()
        let path = fixture.path
        let key = fixture.key
        let failures = Mutex<[String]>([])
        let perWriter = 30
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            do {
                let ledger = try Ledger.open(at: path)
                try ledger.attach(bodyKey: key, from: path + ".key")
                for n in 0..<perWriter {
                    try ledger.write { writer in
                        _ = try writer.append(testEntry(1 + n))
                        _ = try writer.append(testEntry(1000 + n))
                    }
                }
            } catch {
                failures.withLock { $0.append("writer \(writer): \(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        try expectLinearChain(path, count: 1 + 2 * 2 * perWriter)
        // Each transaction's two entries stay adjacent: nothing interleaves inside a write.
        let entries = try allEntries(path).dropFirst()
        for pair in stride(from: entries.startIndex, to: entries.endIndex, by: 2) {
            let a = try entries[pair].fields().payload["n"]?.integerValue
            let b = try entries[pair + 1].fields().payload["n"]?.integerValue
            #expect(a.map { $0 + 999 } == b)
        }
    }
}
