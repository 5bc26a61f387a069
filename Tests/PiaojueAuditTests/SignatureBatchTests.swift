import PiaojueCrypto
import PiaojueTestSupport
import Testing

// SignatureBatch is internal to the audit module: what it promises (every failing item named, in
// order, whatever core checked it) is seen only from inside.
@testable import PiaojueAudit

/// `SignatureBatch`: Ed25519 verifications collected in batches and run on every core; the
/// failing items come back in order, and a batch empties when started or drained.
@Suite struct SignatureBatchTests {
    /// `count` items signed by keys from `seed`; the items at `bad` carry a wrong signature, and
    /// those at `badKey` a public key that is not a key.
    static func items(_ count: Int, bad: Set<Int> = [], badKey: Set<Int> = []) throws -> [SignatureBatch.Item] {
        let random = SeededRandom(seed: "signature-batch")
        return try (0..<count).map { n in
            let key = try Ed25519PrivateKey.generate(using: random)
            let message = Array("entry \(n)".utf8)
            var signature = try key.sign(message)
            if bad.contains(n) { signature[0] ^= 0xFF }
            let publicKey = badKey.contains(n) ? [UInt8](repeating: 0, count: 5) : key.publicKey.rawBytes
            return SignatureBatch.Item(index: n, publicKey: publicKey, message: message, signature: signature, isCredential: n % 2 == 0)
        }
    }

    @Test func validSignaturesPass() throws {
        let work = try Self.items(40)
        #expect(SignatureBatch.verify(work).isEmpty)
    }

    @Test func failingItemsComeBackInOrder() throws {
        let work = try Self.items(40, bad: [31, 3, 17], badKey: [8])
        #expect(SignatureBatch.verify(work).map(\.index) == [3, 8, 17, 31])
        #expect(SignatureBatch.verify(work).map(\.isCredential) == [false, true, false, false])
    }

    @Test func drainingEmptiesTheBatch() throws {
        var batch = SignatureBatch()
        for item in try Self.items(10, bad: [4]) { batch.add(item) }
        #expect(batch.items.count == 10)
        #expect(!batch.isFull)
        #expect(batch.drain().map(\.index) == [4])
        #expect(batch.items.isEmpty)
        #expect(batch.drain().isEmpty)
    }

    @Test func aStartedBatchIsCheckedInTheBackground() throws {
        var batch = SignatureBatch()
        for item in try Self.items(12, bad: [0, 11]) { batch.add(item) }
        let pending = batch.start()
        #expect(batch.items.isEmpty)
        #expect(pending.count == 12)
        #expect(pending.credentialCount == 6)
        #expect(pending.wait().map(\.index) == [0, 11])
    }

    @Test func aBatchIsFullAtItsCapacity() throws {
        var batch = SignatureBatch()
        let item = try #require(try Self.items(1).first)
        for _ in 0..<(SignatureBatch.capacity - 1) { batch.add(item) }
        #expect(!batch.isFull)
        batch.add(item)
        #expect(batch.isFull)
        #expect(SignatureBatch.capacity == 2048)
    }
}
