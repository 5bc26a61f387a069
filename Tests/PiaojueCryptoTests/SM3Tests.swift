import PiaojueCrypto
import Testing

@Suite struct SM3Tests {
    /// GB/T 32905-2016 (= GM/T 0004-2012) Appendix A, examples 1 and 2, and the empty message.
    static let knownAnswers: [(message: String, digest: String)] = [
        ("abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
        (String(repeating: "abcd", count: 16), "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
        ("", "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"),
    ]

    @Test(arguments: 0..<3)
    func standardVectors(_ n: Int) {
        let (message, digest) = Self.knownAnswers[n]
        #expect(Encoding.hex(SM3.hash(Array(message.utf8))) == digest)
        #expect(Encoding.hex(CryptoSuite.gm.hash(Array(message.utf8))) == digest)
    }

    @Test func incrementalEqualsOneShotAndTheHasherIsReusable() throws {
        let data = try SeededRandom(seed: "sm3").bytes(1000)
        var hasher = SM3Hasher()
        for cut in [0, 1, 55, 56, 63, 64, 65, 128, 999, 1000] {
            hasher.update(Array(data[..<cut]))
            data[cut...].withUnsafeBytes { hasher.update($0) }
            #expect(hasher.finalize() == SM3.hash(data), "cut at \(cut)")
        }
        hasher.update(byte: 0x61)
        hasher.update(Array("bc".utf8))
        #expect(Encoding.hex(hasher.finalize()) == Self.knownAnswers[0].digest)
        #expect(SM3.hash(parts: [[0x61], [], [0x62, 0x63]]) == SM3.hash(Array("abc".utf8)))
    }

    @Test func suiteHashersAreTheirAlgorithms() throws {
        let data = try SeededRandom(seed: "suites").bytes(300)
        var standard = DigestHasher(suite: .standard)
        standard.update(data)
        #expect(standard.finalize() == SHA256.hash(data))
        var gm = CryptoSuite.gm.makeHasher()
        gm.update(data)
        #expect(gm.finalize() == SM3.hash(data))
        #expect(SHA256.hash(data) != SM3.hash(data))
        #expect(CryptoSuite.standard.hash(parts: [Array(data[..<7]), Array(data[7...])]) == SHA256.hash(data))
    }
}
