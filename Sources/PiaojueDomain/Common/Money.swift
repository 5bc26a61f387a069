/// Amounts of money in whole 元 (yuan). Never floating point.
public enum Money {
    /// The largest amount accepted: 10^15 元, far above any budget and inside JSON's exact integers.
    public static let maximum: Int64 = 1_000_000_000_000_000

    /// Parses `1200000`, `1,200,000元`, `120万`, `120 万元`, `6513.3万元`, `1.5亿` into whole 元.
    ///
    /// Refused: negative amounts, exponents (`1e9`), more than one unit, a fraction that does not come
    /// to whole 元 (`1.5` 元, `0.00001万`), thousands separators in the wrong place, empty text.
    public static func parse(_ text: String) throws(InputFailure) -> Int64 {
        func refuse(_ why: String) -> InputFailure { .amount(text: text, why: why) }
        var body = Substring(text.trimmingSpaces())
        guard !body.isEmpty else { throw refuse("为空 / empty") }
        if body.hasPrefix("-") || body.hasPrefix("−") { throw refuse("金额不能为负 / negative") }
        if body.hasPrefix("+") { body = body.dropFirst() }
        if body.hasSuffix("元") { body = body.dropLast() }
        body = Substring(String(body).trimmingSpaces())
        var multiplier: Int64 = 1
        if body.hasSuffix("万") {
            multiplier = 10_000
            body = body.dropLast()
        } else if body.hasSuffix("亿") {
            multiplier = 100_000_000
            body = body.dropLast()
        }
        body = Substring(String(body).trimmingSpaces())
        guard !body.isEmpty else { throw refuse("没有数字 / no digits") }
        guard body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "," || $0 == ".") }) else {
            throw refuse("含有非数字字符 / not a plain number")
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw refuse("小数点多于一个 / more than one decimal point") }
        let integerText = parts[0]
        let fractionText = parts.count == 2 ? parts[1] : ""
        guard !integerText.isEmpty, parts.count == 1 || !fractionText.isEmpty else { throw refuse("数字不完整 / incomplete number") }
        guard !fractionText.contains(",") else { throw refuse("小数部分不能有逗号 / comma in the fraction") }
        if integerText.contains(",") {
            let groups = integerText.split(separator: ",", omittingEmptySubsequences: false)
            guard let first = groups.first, (1...3).contains(first.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                throw refuse("千位分隔符位置不对 / misplaced thousands separator")
            }
        }
        let digits = integerText.filter { $0 != "," }
        guard digits.count <= 16 else { throw refuse("数额过大 / too large") }
        // Whole 元 = (integer part × 10^f + fraction) × multiplier / 10^f, which must divide exactly.
        var scale: Int64 = 1
        for _ in fractionText { scale *= 10 }
        guard fractionText.count <= 8 else { throw refuse("小数位过多 / too many decimals") }
        guard let whole = Int64(digits), let fraction = Int64(fractionText.isEmpty ? "0" : String(fractionText)) else {
            throw refuse("不是数字 / not a number")
        }
        let (scaledWhole, overflow1) = whole.multipliedReportingOverflow(by: scale)
        let (numerator, overflow2) = scaledWhole.addingReportingOverflow(fraction)
        let (product, overflow3) = numerator.multipliedReportingOverflow(by: multiplier)
        guard !overflow1, !overflow2, !overflow3 else { throw refuse("数额过大 / too large") }
        guard product % scale == 0 else { throw refuse("折算后不是整数元 / does not come to whole 元") }
        let yuan = product / scale
        guard yuan <= maximum else { throw refuse("数额过大 / too large") }
        return yuan
    }

    /// `6513.3万元` style for display: whole 元 below 1万, else 万元 with up to four decimals.
    public static func display(_ yuan: Int64) -> String {
        if yuan < 10_000 { return "\(yuan)元" }
        let wan = yuan / 10_000
        var rest = yuan % 10_000
        guard rest != 0 else { return "\(wan)万元" }
        var decimals = String(rest)
        while decimals.count < 4 { decimals = "0" + decimals }
        while decimals.hasSuffix("0") {
            decimals.removeLast()
            rest /= 10
        }
        return "\(wan).\(decimals)万元"
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and full-width spaces.
    public func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{3000}" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
