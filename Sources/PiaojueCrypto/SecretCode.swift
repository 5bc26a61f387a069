/// A 32-byte secret written for humans: Crockford base32 with a checksum, in groups of five.
///
/// 32 bytes give 52 base32 digits; three more digits carry the first 15 bits of
/// SHA-256("piaojue-code" ‖ secret) so that a mistyped code is caught before use. Reading accepts
/// lower case, ignores spaces and hyphens, and reads `I`/`L` as 1 and `O` as 0.
public enum SecretCode {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    private static let secretDigits = 52
    private static let checkDigits = 3

    /// The human form of a 32-byte secret.
    public static func encode(_ secret: [UInt8]) throws(CryptoInputError) -> String {
        guard secret.count == 32 else { throw CryptoInputError("a secret code holds 32 bytes") }
        var digits = base32(secret, digitCount: secretDigits)
        digits += base32(checksum(secret), digitCount: checkDigits)
        var out: [UInt8] = []
        for (n, digit) in digits.enumerated() {
            if n > 0, n % 5 == 0 { out.append(UInt8(ascii: "-")) }
            out.append(digit)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The 32-byte secret of a human-typed code. The error never repeats the code itself.
    public static func decode(_ code: String) throws(CryptoInputError) -> [UInt8] {
        var values: [UInt8] = []
        for byte in code.utf8 {
            switch byte {
            case UInt8(ascii: "-"), UInt8(ascii: " "): continue
            default:
                guard let value = digitValue(byte) else {
                    throw CryptoInputError("the code contains a character that is not a code digit")
                }
                values.append(value)
            }
        }
        guard values.count == secretDigits + checkDigits else {
            throw CryptoInputError("the code has \(values.count) digits; a code has \(secretDigits + checkDigits)")
        }
        // 52 digits × 5 bits = 260 bits; the last 4 bits must be zero padding.
        guard values[secretDigits - 1] & 0x0f == 0 else { throw CryptoInputError("the code's check digits do not match") }
        let secret = Array(bits(values[..<secretDigits]).prefix(32))
        let expected = base32(checksum(secret), digitCount: checkDigits).map { digitValue($0) ?? 0xff }
        guard Array(values[secretDigits...]) == expected else {
            throw CryptoInputError("the code's check digits do not match")
        }
        return secret
    }

    /// What stands in for a credential code in text shown to anyone.
    public static let hidden = "[凭证码已隐去 code hidden]"

    /// `text` with every stretch that reads as a credential code — 50 to 60 letters and digits
    /// joined by hyphens or none, or ten or more five-character groups separated by spaces —
    /// replaced by ``hidden``, so that an error message or log line never repeats a code, even a
    /// mistyped one. Receipts (64 hex digits) and base64 keys are left alone.
    public static func redacted(in text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        func isCodeCharacter(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII && (("0"..."9").contains(scalar) || ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar))
        }
        // Pass 1: runs of letters and digits joined by single hyphens.
        var words = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard isCodeCharacter(scalars[index]) else {
                words.append(scalars[index])
                index += 1
                continue
            }
            var end = index
            var digits = 0
            var cursor = index
            while cursor < scalars.count {
                if isCodeCharacter(scalars[cursor]) {
                    digits += 1
                    cursor += 1
                    end = cursor
                } else if scalars[cursor] == "-", cursor + 1 < scalars.count, isCodeCharacter(scalars[cursor + 1]) {
                    cursor += 1
                } else {
                    break
                }
            }
            if (50...60).contains(digits) {
                words.append(contentsOf: hidden.unicodeScalars)
            } else {
                words.append(contentsOf: scalars[index..<end])
            }
            index = end
        }
        // Pass 2: a code typed in space-separated groups of five (quotes or brackets may cling to
        // the first and last group).
        let tokens = String(words).split(separator: " ", omittingEmptySubsequences: false)
        var kept: [String] = []
        var group: [(prefix: String, suffix: String, token: Substring)] = []
        func flush() {
            if group.count >= 10, let first = group.first, let last = group.last {
                kept.append(first.prefix + hidden + last.suffix)
            } else {
                kept += group.map { String($0.token) }
            }
            group.removeAll()
        }
        for token in tokens {
            let characters = Array(token.unicodeScalars)
            let start = characters.firstIndex(where: isCodeCharacter) ?? characters.count
            let end = (characters.lastIndex(where: isCodeCharacter) ?? -1) + 1
            if end - start == 5, characters[start..<end].allSatisfy(isCodeCharacter) {
                var prefix = String.UnicodeScalarView()
                prefix.append(contentsOf: characters[..<start])
                var suffix = String.UnicodeScalarView()
                suffix.append(contentsOf: characters[end...])
                group.append((String(prefix), String(suffix), token))
            } else {
                flush()
                kept.append(String(token))
            }
        }
        flush()
        return kept.joined(separator: " ")
    }

    private static func checksum(_ secret: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(Array("piaojue-code".utf8) + secret).prefix(2))
    }

    /// The first `digitCount` base32 digits of `bytes`, most significant bit first, zero padded.
    private static func base32(_ bytes: [UInt8], digitCount: Int) -> [UInt8] {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bitCount = 0
        var index = 0
        while out.count < digitCount {
            if bitCount < 5 {
                let next = index < bytes.count ? bytes[index] : 0
                index += 1
                buffer = buffer << 8 | UInt32(next)
                bitCount += 8
            }
            let value = (buffer >> UInt32(bitCount - 5)) & 0x1f
            bitCount -= 5
            out.append(alphabet[Int(value)])
        }
        return out
    }

    private static func bits(_ values: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bitCount = 0
        for value in values {
            buffer = buffer << 5 | UInt32(value)
            bitCount += 5
            if bitCount >= 8 {
                out.append(UInt8((buffer >> UInt32(bitCount - 8)) & 0xff))
                bitCount -= 8
            }
        }
        return out
    }

    private static func digitValue(_ byte: UInt8) -> UInt8? {
        var c = byte
        if c >= UInt8(ascii: "a"), c <= UInt8(ascii: "z") { c -= 32 }
        switch c {
        case UInt8(ascii: "I"), UInt8(ascii: "L"): c = UInt8(ascii: "1")
        case UInt8(ascii: "O"): c = UInt8(ascii: "0")
        case UInt8(ascii: "U"): return nil
        default: break
        }
        guard let index = alphabet.firstIndex(of: c) else { return nil }
        return UInt8(index)
    }
}
