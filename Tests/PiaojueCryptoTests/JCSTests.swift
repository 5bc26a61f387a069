import Foundation
import PiaojueCrypto
import PiaojueTestSupport
import Testing

@Suite struct JCSTests {
    static let supported = ["arrays.json", "french.json", "unicode.json", "weird.json"]
    static let withFloats = ["structures.json", "values.json"]

    @Test func everyVectorIsClassified() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: TestPaths.vectors.appendingPathComponent("jcs/input").path)
        #expect(Set(names) == Set(Self.supported + Self.withFloats))
    }

    @Test(arguments: supported)
    func canonicalOutputIsExact(_ name: String) throws {
        let base = TestPaths.vectors.appendingPathComponent("jcs")
        let input = try Data(contentsOf: base.appendingPathComponent("input/\(name)"))
        let expected = try Data(contentsOf: base.appendingPathComponent("output/\(name)"))
        let hexText = try String(contentsOf: base.appendingPathComponent("outhex/\(name.replacingOccurrences(of: ".json", with: ".txt"))"), encoding: .utf8)
        let expectedFromHex = Encoding.unhex(hexText.filter { !$0.isWhitespace }) ?? []
        let canonical = try JSONValue.parse([UInt8](input)).canonicalBytes
        #expect(canonical == [UInt8](expected))
        #expect(canonical == expectedFromHex)
        // Canonical output is a fixed point.
        #expect(try JSONValue.parse(canonical).canonicalBytes == canonical)
    }

    @Test(arguments: withFloats)
    func floatsAreRejectedWithTheDocumentedError(_ name: String) throws {
        let input = try Data(contentsOf: TestPaths.vectors.appendingPathComponent("jcs/input/\(name)"))
        #expect(throws: JSONParseError.self) { try JSONValue.parse([UInt8](input)) }
        do {
            _ = try JSONValue.parse([UInt8](input))
        } catch {
            #expect(error.reason == .floatingPointNumber)
            #expect(error.description.contains("floating-point"))
        }
    }

    @Test(arguments: [
        ("1.0", JSONParseError.Reason.floatingPointNumber), ("1e3", .floatingPointNumber),
        ("9007199254740992", .integerOutOfRange), ("01", .unexpectedByte(0x31)),
        ("\"\\ud800\"", .loneSurrogate), ("\"\\udc00x\"", .loneSurrogate), ("{\"a\":1,\"a\":2}", .duplicateKey("a")),
        ("[1,]", .unexpectedByte(0x5d)), ("\"a\u{01}\"", .controlCharacterInString), ("[1] x", .trailingContent),
        ("\"\\q\"", .invalidEscape), ("[", .unexpectedEnd), ("tru", .unexpectedEnd),
    ])
    func malformedInputIsRejected(_ text: String, _ reason: JSONParseError.Reason) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
        do { _ = try JSONValue.parse(text) } catch { #expect(error.reason == reason, "\(text)") }
    }

    @Test func invalidUTF8AndDepthAreRejected() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xff, 0x22]) }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
    }

    @Test func integersAndEscapesRoundTrip() throws {
        let value = try JSONValue.parse(#"{"b":-9007199254740991,"a":[0,-0,true,null],"c":"\u0007\t\"\\/€"}"#)
        #expect(value.canonicalString == #"{"a":[0,0,true,null],"b":-9007199254740991,"c":"\u0007\t\"\\/€"}"#)
    }

    @Test func keysAreNotUnicodeNormalised() throws {
        // "Å" precomposed and "A" + combining ring are different keys to JCS, though Swift's String
        // equality treats them as equal.
        let value = try JSONValue.parse("{\"\u{00C5}\":1,\"A\u{030A}\":2}")
        #expect(value.objectValue?.members.count == 2)
        #expect(value.canonicalString == "{\"A\u{030A}\":2,\"\u{00C5}\":1}")
    }

    @Test func keysSortByUTF16CodeUnitsNotByCodePoints() throws {
        // U+FB33 comes before U+1F600 by code point (and in UTF-8), but after it in UTF-16, where
        // U+1F600 is the surrogate pair D83D DE00. ASCII keys and shared prefixes sort as usual.
        let value = try JSONValue.parse("{\"\u{FB33}\":1,\"\u{1F600}\":2,\"b\":3,\"ab\":4,\"a\":5,\"a\u{FB33}\":6,\"a\u{1F600}\":7}")
        #expect(value.canonicalString == "{\"a\":5,\"ab\":4,\"a\u{1F600}\":7,\"a\u{FB33}\":6,\"b\":3,\"\u{1F600}\":2,\"\u{FB33}\":1}")
        // Already in canonical order, the same bytes come back.
        let again = try JSONValue.parse(value.canonicalBytes)
        #expect(again.canonicalBytes == value.canonicalBytes)
    }

    @Test func stringsWithEscapesAmongPlainRunsAreExact() throws {
        let value = JSONValue.string("前\"中\\后\u{1}x\u{1F}\n")
        #expect(value.canonicalString == #""前\"中\\后\u0001x\u001f\n""#)
    }
}
