import Foundation
import PiaojueCrypto
import PiaojueTestSupport
import Testing

/// The array and string forms of the hex and base64 helpers and their generic forms give the same
/// answers (the audit calls the non-generic ones; other callers pass slices and substrings).
@Suite struct EncodingTests {
    @Test("hex, unhex and unbase64 agree with Foundation and between their forms, for 2,000 seeded inputs")
    func formsAgree() {
        var random = SplitMix(seed: 0xe5c0_de42)
        for _ in 0..<2_000 {
            let bytes = (0..<Int(random.next() % 70)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let hex = Encoding.hex(bytes)
            #expect(hex == bytes.map { String(format: "%02x", $0) }.joined())
            #expect(Encoding.hex(bytes[...]) == hex)
            #expect(Encoding.hex(Data(bytes)) == hex)
            #expect(Encoding.unhex(hex) == bytes)
            #expect(Encoding.unhex(hex.uppercased()) == bytes)
            #expect(Encoding.unhex(Substring(hex)) == bytes)
            let base64 = Data(bytes).base64EncodedString()
            #expect(Encoding.unbase64(base64) == bytes)
            #expect(Encoding.unbase64(Substring(base64)) == bytes)
        }
    }

    @Test("Malformed hex and non-canonical base64 are refused in every form")
    func refusals() {
        for text in ["0", "0g", "zz", "abc"] {
            #expect(Encoding.unhex(text) == nil, "\(text)")
            #expect(Encoding.unhex(Substring(text)) == nil, "\(text)")
        }
        for text in ["QR==", "QQ=", "Q===", "QQ==\n", "@@@@"] {
            #expect(Encoding.unbase64(text) == nil, "\(text)")
            #expect(Encoding.unbase64(Substring(text)) == nil, "\(text)")
        }
        #expect(Encoding.unbase64("QQ==") == [0x41])
    }
}
