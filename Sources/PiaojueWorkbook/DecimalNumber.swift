/// A number exactly as the workbook stores it: the literal digits of `<v>` (`6513.3`, `1.2E+7`),
/// never a `Double`, so that money comes to whole 元 exactly.
///
/// ``text`` is the value as Excel shows it in the General format: at most 15 significant digits
/// (Excel keeps binary doubles and shows 15; a computed `0.30000000000000004` shows as `0.3`),
/// no exponent, no trailing zeros.
public struct DecimalNumber: Sendable, Hashable, CustomStringConvertible {
    /// The digits Excel shows: 15 significant ones.
    public static let significantDigits = 15

    /// The literal as stored.
    public let literal: String

    /// A number from its literal: `[-+]digits[.digits][E[-+]digits]`, at least one digit, an
    /// exponent within ±400; nil otherwise (`NaN`, `INF`, `1,5`, empty).
    public init?(literal: String) {
        guard Self.isValid(Array(literal.utf8)[...]) else { return nil }
        self.literal = literal
    }

    /// A number from trusted parts (already validated UTF-8 bytes).
    init(validated literal: String) {
        self.literal = literal
    }

    /// The plain decimal text Excel shows (15 significant digits): `6513.3`, `12000000`, `-0.5`, `0`.
    public var text: String {
        if Self.isPlain(literal) { return literal }
        return Parsed(literal).rounded(to: Self.significantDigits).text
    }

    /// Whether `literal` is already the text Excel shows: no exponent, no sign but `-`, no
    /// leading or trailing zero, at most 15 significant digits (most cells: `2860`, `6513.3`).
    static func isPlain(_ literal: String) -> Bool {
        var bytes = literal.utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        guard let first = bytes.first, isDigit(first) else { return false }
        if first == UInt8(ascii: "0"), bytes.count > 1, bytes[bytes.index(after: bytes.startIndex)] != UInt8(ascii: ".") { return false }
        var sawPoint = false
        var fractionDigits = 0
        var last: UInt8 = 0
        var significant = 0
        var nonZero = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !sawPoint else { return false }
                sawPoint = true
                continue
            }
            guard isDigit(byte) else { return false }
            if byte != UInt8(ascii: "0") { nonZero = true }
            if nonZero { significant += 1 }
            if sawPoint { fractionDigits += 1 }
            last = byte
        }
        if sawPoint, fractionDigits == 0 || last == UInt8(ascii: "0") { return false }
        return significant <= significantDigits && (nonZero || !negative)
    }

    /// The value when it is a whole number that fits in 64 bits (after rounding to 15 digits).
    public var wholeNumber: Int64? { Parsed(literal).rounded(to: Self.significantDigits).wholeNumber }

    /// ``text``.
    public var description: String { text }

    /// Whether `bytes` is a number literal as the grammar above.
    static func isValid(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        let end = bytes.endIndex
        guard bytes.count <= 64 else { return false }
        if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        var digits = 0
        while index < end, isDigit(bytes[index]) { index += 1; digits += 1 }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, isDigit(bytes[index]) { index += 1; digits += 1 }
        }
        guard digits > 0 else { return false }
        if index < end, bytes[index] == UInt8(ascii: "E") || bytes[index] == UInt8(ascii: "e") {
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            var exponent = 0
            var exponentDigits = 0
            while index < end, isDigit(bytes[index]) {
                exponent = exponent * 10 + Int(bytes[index] - 48)
                exponentDigits += 1
                guard exponent <= 400 else { return false }
                index += 1
            }
            guard exponentDigits > 0 else { return false }
        }
        return index == end
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    /// A decimal as sign, significant digits and the place of the point: value = 0.d₁d₂… × 10^point.
    struct Parsed: Equatable {
        var negative: Bool
        /// Significant digits (0–9), no leading or trailing zeros; empty for zero.
        var digits: [UInt8]
        var point: Int

        /// Parses a literal that ``isValid(_:)`` accepted.
        init(_ literal: String) {
            var negative = false
            var digits: [UInt8] = []
            var point = 0
            var seenPoint = false
            var exponent = 0
            var exponentNegative = false
            var inExponent = false
            for byte in literal.utf8 {
                switch byte {
                case UInt8(ascii: "-"): if inExponent { exponentNegative = true } else { negative = true }
                case UInt8(ascii: "+"): break
                case UInt8(ascii: "."): seenPoint = true
                case UInt8(ascii: "E"), UInt8(ascii: "e"): inExponent = true
                default:
                    let digit = byte &- 48
                    guard digit <= 9 else { continue }
                    if inExponent {
                        exponent = exponent * 10 + Int(digit)
                    } else if digits.isEmpty && digit == 0 {
                        if seenPoint { point -= 1 }  // a leading zero after the point moves it
                    } else {
                        digits.append(digit)
                        if !seenPoint { point += 1 }
                    }
                }
            }
            while digits.last == 0 { digits.removeLast() }
            self.negative = negative && !digits.isEmpty
            self.digits = digits
            self.point = digits.isEmpty ? 0 : point + (exponentNegative ? -exponent : exponent)
        }

        init(negative: Bool, digits: [UInt8], point: Int) {
            self.negative = negative
            self.digits = digits
            self.point = point
        }

        /// Rounded half away from zero to `count` significant digits.
        func rounded(to count: Int) -> Parsed {
            guard digits.count > count else { return self }
            var kept = Array(digits[..<count])
            var point = point
            if digits[count] >= 5 {
                var index = count - 1
                while index >= 0 {
                    if kept[index] == 9 {
                        kept[index] = 0
                        index -= 1
                    } else {
                        kept[index] += 1
                        break
                    }
                }
                if index < 0 {
                    kept.insert(1, at: 0)
                    point += 1
                }
            }
            while kept.last == 0 { kept.removeLast() }
            return Parsed(negative: negative && !kept.isEmpty, digits: kept, point: kept.isEmpty ? 0 : point)
        }

        /// Plain decimal text without exponent.
        var text: String {
            guard !digits.isEmpty else { return "0" }
            var out: [UInt8] = negative ? [UInt8(ascii: "-")] : []
            if point <= 0 {
                out.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: ".")])
                out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -point))
                out.append(contentsOf: digits.map { $0 + 48 })
            } else if point >= digits.count {
                out.append(contentsOf: digits.map { $0 + 48 })
                out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: point - digits.count))
            } else {
                out.append(contentsOf: digits[..<point].map { $0 + 48 })
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[point...].map { $0 + 48 })
            }
            return String(decoding: out, as: UTF8.self)
        }

        /// The value when whole and within Int64.
        var wholeNumber: Int64? {
            guard digits.isEmpty || point >= digits.count, point <= 19 else { return nil }
            var value: Int64 = 0
            for index in 0..<max(point, 0) {
                let digit = Int64(index < digits.count ? digits[index] : 0)
                let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = shifted.addingReportingOverflow(digit)
                guard !o1, !o2 else { return nil }
                value = sum
            }
            return negative ? -value : value
        }

        /// The whole part (toward zero) and the fraction in units of 10⁻¹² (both ≥ 0 for a
        /// non-negative value); nil when the whole part does not fit in Int.
        var wholeAndPicos: (whole: Int, picos: Int64)? {
            guard point <= 15 else { return nil }
            var whole = 0
            for index in 0..<max(point, 0) {
                whole = whole * 10 + Int(index < digits.count ? digits[index] : 0)
            }
            var picos: Int64 = 0
            for place in 0..<12 {
                let index = point + place
                let digit = index >= 0 && index < digits.count ? Int64(digits[index]) : 0
                picos = picos * 10 + digit
            }
            return (whole, picos)
        }
    }
}
