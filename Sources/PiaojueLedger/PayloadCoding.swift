import Foundation
public import PiaojueCrypto

/// Converts `Codable` payload structs to and from ``JSONValue``.
///
/// Encoding goes through Foundation's `JSONEncoder` and then the JCS parser, so that a payload
/// holding a floating-point number is refused exactly as the ledger refuses one in a line.
public enum PayloadCoding {
    /// The JSON value of `payload`.
    public static func encode(_ payload: some Encodable) throws -> JSONValue {
        try JSONValue.parse(encoderBytes(payload))
    }

    /// Foundation's `JSONEncoder` bytes of `payload` (keys sorted, slashes not escaped), before the
    /// JCS parser: usually already the canonical bytes, but only ``encode(_:)`` makes sure.
    public static func encoderBytes(_ payload: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return [UInt8](try encoder.encode(payload))
    }

    /// `T` decoded from a JSON value.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try decode(T.self, canonical: value.canonicalBytes)
    }

    /// `T` decoded from the canonical bytes of a JSON value.
    public static func decode<T: Decodable>(_ type: T.Type, canonical bytes: [UInt8]) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(bytes))
    }
}
