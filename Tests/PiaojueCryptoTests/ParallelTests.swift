import PiaojueCrypto
import Testing

@Suite struct ParallelTests {
    @Test("Results come back in input order, every element once, for inputs below and above one chunk", arguments: [0, 1, 64, 65, 129, 10_000])
    func inOrder(count: Int) {
        let items = Array(0..<count)
        let squares = Parallel.map(items) { $0 * $0 }
        #expect(squares == items.map { $0 * $0 })
    }

    @Test("Signatures made on every core verify, each under its own key")
    func signaturesAcrossCores() throws {
        let seeds = (0..<300).map { n in [UInt8](repeating: UInt8(n % 251), count: 31) + [UInt8(n / 251)] }
        let signed = Parallel.map(seeds) { seed in
            Result { () throws -> (Ed25519PublicKey, [UInt8]) in
                let key = try Ed25519PrivateKey(seed: seed)
                return (key.publicKey, try key.sign(seed))
            }
        }
        #expect(signed.count == 300)
        for (seed, outcome) in zip(seeds, signed) {
            let (publicKey, signature) = try outcome.get()
            #expect(publicKey == (try Ed25519PrivateKey(seed: seed)).publicKey)
            #expect(publicKey.isValidSignature(signature, for: seed))
        }
    }

    @Test("Shared work: every output in order, whether the workers or the waiting thread computed it", arguments: [0, 1, 31, 32, 33, 2_048, 10_000])
    func sharedInOrder(count: Int) {
        let items = Array(0..<count)
        let shared = Parallel.shared(items, chunk: 32) { $0 &* 7 }
        #expect(shared.wait() == items.map { $0 &* 7 })
    }

    @Test("Several shared batches in flight at once each come back whole, whatever the order of waiting")
    func sharedBatchesInFlight() {
        let batches = (0..<6).map { n in Parallel.shared(Array(0..<(500 + n)), chunk: 16) { $0 + n } }
        for (n, batch) in batches.enumerated().reversed() {
            #expect(batch.wait() == (0..<(500 + n)).map { $0 + n })
        }
    }
}
