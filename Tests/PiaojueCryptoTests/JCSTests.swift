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
}
