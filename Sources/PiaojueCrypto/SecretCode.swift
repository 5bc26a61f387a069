/// A credential code written for humans: Crockford base32 with check digits.
///
/// Two forms are read; new sessions print the short one.
/// - **Short** (since 2026-12): 26 random digits (130 bits) and 2 check digits, in seven groups of
///   four (`7KQ2-…-M4TX`, 34 characters). The check digits are the first 10 bits of
///   SHA-256("piaojue-code-2" ‖ S), where S is the 130 bits packed into 17 bytes, most significant
///   first, the last 6 bits zero; the credential's 32-byte key seed is SHA-256("piaojue-credential-2" ‖ S).
/// - **Long** (ledgers written before): the 32-byte key seed itself in 52 digits and 3 check digits
///   (the first 15 bits of SHA-256("piaojue-code" ‖ seed)), in eleven groups of five.
///
/// Reading accepts lower case, ignores spaces and hyphens, and reads `I`/`L` as 1 and `O` as 0.
public enum SecretCode {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    private static let secretDigits = 52
    private static let checkDigits = 3
    private static let shortSecretDigits = 26
    private static let shortCheckDigits = 2
    /// The random bytes a short code is made from (the first 130 bits of them are used).
    public static let shortEntropyBytes = 17
    /// The digits of a short code and of a long one.
    public static let digitCounts = (short: 28, long: 55)

    /// The long form of a 32-byte key seed (the form of ledgers written before the short codes).
    public static func encode(_ secret: [UInt8]) throws(CryptoInputError) -> String {
        guard secret.count == 32 else { throw CryptoInputError("a secret code holds 32 bytes") }
        var digits = base32(secret, digitCount: secretDigits)
        digits += base32(checksum(secret), digitCount: checkDigits)
        return grouped(digits, by: 5)
    }

    /// A new credential from `entropy` (``shortEntropyBytes`` random bytes): its short code and
    /// the 32-byte key seed that ``decode(_:)`` gives back for that code.
    public static func credential(entropy: [UInt8]) throws(CryptoInputError) -> (code: String, seed: [UInt8]) {
        guard entropy.count == shortEntropyBytes else {
            throw CryptoInputError("a short code is made from \(shortEntropyBytes) random bytes")
        }
        var packed = entropy
        packed[shortEntropyBytes - 1] &= 0xc0
        defer { Ed25519PrivateKey.cleanse(&packed) }
        let digits = base32(packed, digitCount: shortSecretDigits) + base32(shortChecksum(packed), digitCount: shortCheckDigits)
        return (grouped(digits, by: 4), shortSeed(packed))
    }

    private static func grouped(_ digits: [UInt8], by size: Int) -> String {
        var out: [UInt8] = []
        for (n, digit) in digits.enumerated() {
            if n > 0, n % size == 0 { out.append(UInt8(ascii: "-")) }
            out.append(digit)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The 32-byte key seed of a human-typed code, short or long. The error never repeats the code.
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
        if values.count == shortSecretDigits + shortCheckDigits {
            // 26 digits × 5 bits = 130 bits, packed into 17 bytes with 6 zero bits after them.
            var packed = Array(bits((Array(values[..<shortSecretDigits]) + [0, 0])[...]).prefix(shortEntropyBytes))
            defer { Ed25519PrivateKey.cleanse(&packed) }
            let expected = base32(shortChecksum(packed), digitCount: shortCheckDigits).map { digitValue($0) ?? 0xff }
            guard Array(values[shortSecretDigits...]) == expected else {
                throw CryptoInputError("the code's check digits do not match")
            }
            return shortSeed(packed)
        }
        guard values.count == secretDigits + checkDigits else {
            throw CryptoInputError("the code has \(values.count) digits; a code has \(digitCounts.short) (\(digitCounts.long) for codes printed before December 2026)")
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

    /// `text` with every stretch that reads as a credential code replaced by ``hidden``, so that an
    /// error message or log line never repeats a code, even a mistyped one: 50 to 60 letters and
    /// digits joined by hyphens or none, or ten or more five-character groups separated by spaces
    /// (long codes); 26 to 32 letters and digits with a digit among them, joined by hyphens or none
    /// and not part of base64, or seven or more four-character groups with a digit among them
    /// (short codes). Receipts (64 hex digits) and base64 keys are left alone.
    public static func redacted(in text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        func isCodeCharacter(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII && (("0"..."9").contains(scalar) || ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar))
        }
        func isBase64Mark(_ scalar: Unicode.Scalar) -> Bool { scalar == "+" || scalar == "/" || scalar == "=" }
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
            let base64 = (index > 0 && isBase64Mark(scalars[index - 1])) || (end < scalars.count && isBase64Mark(scalars[end]))
            let hasDigit = scalars[index..<end].contains { ("0"..."9").contains($0) }
            if (50...60).contains(digits) || ((26...32).contains(digits) && hasDigit && !base64) {
                words.append(contentsOf: hidden.unicodeScalars)
            } else {
                words.append(contentsOf: scalars[index..<end])
            }
            index = end
        }
        // Pass 2: a code typed in space-separated groups of five (long) or four (short); quotes or
        // brackets may cling to the first and last group.
        let tokens = String(words).split(separator: " ", omittingEmptySubsequences: false)
        var kept: [String] = []
        var group: [(prefix: String, suffix: String, token: Substring)] = []
        var groupWidth = 0
        func flush() {
            let digitSeen = group.contains { $0.token.unicodeScalars.contains { ("0"..."9").contains($0) } }
            let isCode = (groupWidth == 5 && group.count >= 10) || (groupWidth == 4 && group.count >= 7 && digitSeen)
            if isCode, let first = group.first, let last = group.last {
                kept.append(first.prefix + hidden + last.suffix)
            } else {
                kept += group.map { String($0.token) }
            }
            group.removeAll()
        }
        for token in tokens {
            let characters = Array(token.unicodeScalars)
            // The group's first run of code characters; text before it may only open a code, and
            // text after it closes the code (a code's last group may run into the sentence).
            let start = characters.firstIndex(where: isCodeCharacter) ?? characters.count
            let end = characters[start...].firstIndex { !isCodeCharacter($0) } ?? characters.count
            let width = end - start
            if width == 4 || width == 5 {
                if width != groupWidth || start > 0 { flush() }
                groupWidth = width
                var prefix = String.UnicodeScalarView()
                prefix.append(contentsOf: characters[..<start])
                var suffix = String.UnicodeScalarView()
                suffix.append(contentsOf: characters[end...])
                group.append((String(prefix), String(suffix), token))
                if end < characters.count { flush() }
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

    private static func shortChecksum(_ packed: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(Array("piaojue-code-2".utf8) + packed).prefix(2))
    }

    private static func shortSeed(_ packed: [UInt8]) -> [UInt8] {
        SHA256.hash(Array("piaojue-credential-2".utf8) + packed)
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
