import Foundation

/// Hexadecimal and base64 helpers for byte arrays. Hex is lowercase, base64 the standard alphabet.
public enum Encoding {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase hexadecimal of `bytes`.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String { hex(Array(bytes)) }

    /// Lowercase hexadecimal of `bytes`. (The array and string forms are not generic: called from
    /// other modules, a generic one runs unspecialized, byte by byte through witness tables.)
    public static func hex(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (n, byte) in bytes.enumerated() {
                out[2 * n] = hexDigits[Int(byte >> 4)]
                out[2 * n + 1] = hexDigits[Int(byte & 0x0f)]
            }
            return bytes.count * 2
        }
    }

    /// Bytes of a hexadecimal string (either case); nil when the text is not hex of whole bytes.
    public static func unhex(_ text: some StringProtocol) -> [UInt8]? { unhex(String(text)) }

    /// Bytes of a hexadecimal string (either case); nil when the text is not hex of whole bytes.
    public static func unhex(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Standard base64 with padding.
    public static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    /// Bytes of standard padded base64; nil when malformed or not in its one canonical spelling.
    ///
    /// Foundation also accepts a last digit whose unused low bits are set (`QR==` reads as `QQ==`);
    /// such a text is refused, so that a signature, key or root has exactly one spelling and an
    /// entry's bytes (and so its leaf hash, the receipt) cannot be changed without changing its value.
    public static func unbase64(_ text: some StringProtocol) -> [UInt8]? { unbase64(String(text)) }

    /// The same, for a string, without the generic indirection.
    public static func unbase64(_ string: String) -> [UInt8]? {
        guard let data = Data(base64Encoded: string), data.base64EncodedString() == string else { return nil }
        return [UInt8](data)
    }
}
