/// A calendar date `YYYY-MM-DD` (proleptic Gregorian), as clerks write deadlines and milestones.
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid date; nil for impossible ones such as 2025-02-30.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= Day.daysIn(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` exactly; names the text when it is not a real date.
    public init(parsing text: String) throws(InputFailure) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else {
            throw .date(text: text)
        }
        guard let valid = Day(year: y, month: m, day: d) else {
            throw .impossibleDate(text: text, year: y, month: m, day: d)
        }
        self = valid
    }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01.
    public var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `ordinal` days after 1970-01-01.
    public init(ordinal z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The date of a ledger time `YYYY-MM-DDTHH:MM:SSZ` (UTC), or nil.
    public init?(ledgerTime: String) {
        guard ledgerTime.count >= 10, let day = try? Day(parsing: String(ledgerTime.prefix(10))) else { return nil }
        self = day
    }

    /// Whole days from `self` to `other` (negative when `other` is earlier).
    public func days(until other: Day) -> Int { other.ordinal - ordinal }

    /// The date `n` days later.
    public func adding(days n: Int) -> Day { Day(ordinal: ordinal + n) }

    public static func < (a: Day, b: Day) -> Bool { a.ordinal < b.ordinal }

    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try Day(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A fraction `numerator/denominator` with positive denominator, e.g. the quorum 2/3.
public struct Ratio: Sendable, Hashable, Codable, CustomStringConvertible {
    public let numerator: Int64
    public let denominator: Int64

    public init?(_ numerator: Int64, _ denominator: Int64) {
        guard denominator > 0, numerator >= 0 else { return nil }
        self.numerator = numerator
        self.denominator = denominator
    }

    /// A ratio from literals known to be valid (positive denominator).
    static func unchecked(_ numerator: Int64, _ denominator: Int64) -> Ratio {
        Ratio(storedNumerator: numerator, storedDenominator: max(denominator, 1))
    }

    private init(storedNumerator: Int64, storedDenominator: Int64) {
        numerator = storedNumerator
        denominator = storedDenominator
    }

    /// Parses `2/3`; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let n = Int64(parts[0].trimmingSpaces()), let d = Int64(parts[1].trimmingSpaces()) else { return nil }
        self.init(n, d)
    }

    /// Whether `count / total ≥ self` (inclusive, exact integer arithmetic).
    public func isReached(count: Int, of total: Int) -> Bool {
        Int64(count) * denominator >= Int64(total) * numerator
    }

    /// The smallest count with `count / total ≥ self`.
    public func minimumCount(of total: Int) -> Int {
        let product = Int64(total) * numerator
        return Int((product + denominator - 1) / denominator)
    }

    public var description: String { "\(numerator)/\(denominator)" }

    enum CodingKeys: String, CodingKey { case numerator, denominator }

    /// Decoding checks the definition: a positive denominator and a numerator not below zero (a
    /// ledger line that says otherwise is refused, not divided by zero).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let numerator = try container.decode(Int64.self, forKey: .numerator)
        let denominator = try container.decode(Int64.self, forKey: .denominator)
        guard denominator > 0, numerator >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .denominator, in: container, debugDescription: "a ratio needs a positive denominator and a numerator ≥ 0")
        }
        self.init(storedNumerator: numerator, storedDenominator: denominator)
    }
}

extension Day {
    /// A 完成时限 as clerks write it: `2025-12-31`, `2025-12` (end of month), `2025年12月31日`,
    /// `2025年12月`, `2025年12月底`, `2025年底`, `2025年` (end of year).
    public init(deadline text: String) throws(InputFailure) {
        let t = text.trimmingSpaces()
        if let day = try? Day(parsing: t) {
            self = day
            return
        }
        func number(_ s: Substring) -> Int? { s.allSatisfy({ $0.isASCII && $0.isNumber }) ? Int(s) : nil }
        let dashed = t.split(separator: "-", omittingEmptySubsequences: false)
        if dashed.count == 2, dashed[0].count == 4, let y = number(dashed[0]), let m = number(dashed[1]), (1...12).contains(m),
            let end = Day(year: y, month: m, day: Day.daysIn(year: y, month: m))
        {
            self = end
            return
        }
        var rest = Substring(t)
        if rest.hasSuffix("底") || rest.hasSuffix("前") || rest.hasSuffix("末") { rest = rest.dropLast() }
        if let yearEnd = rest.firstIndex(of: "年"), let y = number(rest[..<yearEnd]), rest[..<yearEnd].count == 4 {
            let afterYear = rest[rest.index(after: yearEnd)...]
            if afterYear.isEmpty, let end = Day(year: y, month: 12, day: 31) {
                self = end
                return
            }
            if let monthEnd = afterYear.firstIndex(of: "月"), let m = number(afterYear[..<monthEnd]), (1...12).contains(m) {
                let afterMonth = afterYear[afterYear.index(after: monthEnd)...]
                if afterMonth.isEmpty, let end = Day(year: y, month: m, day: Day.daysIn(year: y, month: m)) {
                    self = end
                    return
                }
                if afterMonth.hasSuffix("日") || afterMonth.hasSuffix("号"), let d = number(afterMonth.dropLast()) {
                    guard let day = Day(year: y, month: m, day: d) else {
                        throw .impossibleDeadline(text: text, year: y, month: m, day: d)
                    }
                    self = day
                    return
                }
            }
        }
        throw .deadline(text: text)
    }
}
