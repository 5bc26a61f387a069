// libFuzzer target `jcs`: the RFC 8785 parser and canonicalizer. Any bytes either fail to parse
// with a JSONParseError or parse to a value whose canonical bytes parse again to the same value and
// the same bytes (canonicalisation is idempotent). Built by `Scripts/fuzz jcs N` together with
// Sources/PiaojueCrypto; not part of `swift build`.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJCS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let value = try? JSONValue.parse(bytes) else { return 0 }
    let canonical = value.canonicalBytes
    let again: JSONValue
    do { again = try JSONValue.parse(canonical) } catch {
        fatalError("canonical bytes do not parse: \(error)")
    }
    precondition(again == value, "the canonical form parses to another value")
    precondition(again.canonicalBytes == canonical, "canonicalisation is not idempotent")
    return 0
}
