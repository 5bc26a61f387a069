import Foundation
public import PiaojueCrypto

/// Converts `Codable` payload structs to and from ``JSONValue``.
///
/// Encoding goes through Foundation's `JSONEncoder` and then the JCS parser, so that a payload
/// holding a floating-point number is refused exactly as the ledger refuses one in a line.
public enum PayloadCoding {
    /// The JSON value of `payload`.
    public static func encode(_ payload: some Encodable) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(payload)
        return try JSONValue.parse([UInt8](data))
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
