public import PiaojueDomain

/// A date (and time) read from a workbook: a serial number whose cell style is a date format,
/// or an ISO 8601 `t="d"` cell.
public struct WorkbookDate: Sendable, Hashable, CustomStringConvertible {
    /// What the cell's format shows, which decides the text: a day, a month, a day and time, a time.
    public enum Style: Sendable, Hashable {
        /// `yyyy-mm-dd`, `yyyy"年"m"月"d"日"`, `m/d/yyyy`…
        case date
        /// `yyyy"年"m"月"`, `mmm-yy`: a month, no day shown.
        case yearMonth
        /// A day and a time of day.
        case dateTime
        /// A time of day or a duration, no date shown.
        case time
    }

    /// The calendar day; nil for a time alone.
    public let day: Day?
    /// Seconds since midnight (for ``Style/time``, all the seconds of the duration).
    public let seconds: Int
    /// What the format shows.
    public let style: Style

    /// A date of `style`.
    public init(day: Day?, seconds: Int, style: Style) {
        self.day = day
        self.seconds = seconds
        self.style = style
    }

    /// The text an import reads: `2025-11-30`; `2025-11` for a month (which a 完成时限 reads as
    /// the month's end); `2025-11-30 08:30:00` when a time of day is shown and not midnight;
    /// `08:30:00` for a time.
    public var text: String {
        let time = Self.clock(seconds)
        switch style {
        case .time: return time
        case .yearMonth: return day.map { String($0.description.prefix(7)) } ?? time
        case .date: return day?.description ?? time
        case .dateTime:
            guard let day else { return time }
            return seconds == 0 ? day.description : "\(day) \(time)"
        }
    }

    /// ``text``.
    public var description: String { text }

    /// `HH:MM:SS` (hours may pass 24 for a duration).
    static func clock(_ seconds: Int) -> String {
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(pad(seconds / 3600)):\(pad(seconds / 60 % 60)):\(pad(seconds % 60))"
    }

    /// The two date systems of Excel.
    public enum System: Sendable, Hashable {
        /// Serial 1 is 1900-01-01, and serial 60 is the 1900-02-29 that Lotus 1-2-3 invented
        /// (Excel keeps it for compatibility); the Windows default.
        case from1900
        /// Serial 0 is 1904-01-01 (`<workbookPr date1904="1"/>`, old Mac workbooks).
        case from1904
    }

    /// The date of `serial` in `system` shown as `style`; nil when it is no real date (negative,
    /// 1900-01-00, 1900-02-29, after 9999-12-31).
    public init?(serial: DecimalNumber, system: System, style: Style) {
        let parsed = DecimalNumber.Parsed(serial.literal).rounded(to: DecimalNumber.significantDigits)
        guard !parsed.negative, let (whole, picos) = parsed.wholeAndPicos else { return nil }
        // Seconds of the fraction, rounded to the nearest: picos × 86400 / 10^12.
        var days = whole
        var seconds = Int((picos * 86_400 + 500_000_000_000) / 1_000_000_000_000)
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        if style == .time {
            self.init(day: nil, seconds: days * 86_400 + seconds, style: .time)
            return
        }
        let ordinal: Int
        switch system {
        case .from1900:
            guard days >= 1, days != 60 else { return nil }
            // 1899-12-31 is serial 0 up to the fictitious 1900-02-29; from 1900-03-01 (serial 61) on,
            // serial n is 1899-12-30 + n.
            ordinal = (days < 60 ? Self.epoch1899_12_31 : Self.epoch1899_12_30) + days
        case .from1904:
            ordinal = Self.epoch1904 + days
        }
        guard ordinal <= Self.last else { return nil }
        self.init(day: Day(ordinal: ordinal), seconds: seconds, style: style)
    }

    /// Parses an ISO 8601 `t="d"` value: `2025-11-30`, `2025-11-30T08:30:00`, `…Z`, `…08:30:00.250`.
    init?(iso text: String) {
        let parts = text.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        guard let day = try? Day(parsing: String(parts[0])) else { return nil }
        guard parts.count == 2 else {
            self.init(day: day, seconds: 0, style: .date)
            return
        }
        var clock = parts[1]
        if clock.hasSuffix("Z") { clock = clock.dropLast() }
        if let dot = clock.firstIndex(of: ".") { clock = clock[..<dot] }
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count), fields.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let h = Int(fields[0]), let m = Int(fields[1]), let s = fields.count == 3 ? Int(fields[2]) : 0,
            (0..<24).contains(h), (0..<60).contains(m), (0..<61).contains(s)
        else { return nil }
        self.init(day: day, seconds: h * 3600 + m * 60 + min(s, 59), style: .dateTime)
    }

    /// Days from 1970-01-01 to 1899-12-30, 1899-12-31 and 1904-01-01.
    static let epoch1899_12_30 = -25_569
    static let epoch1899_12_31 = -25_568
    static let epoch1904 = -24_107
    /// 9999-12-31, the last day Excel knows (days from 1970-01-01).
    static let last = 2_932_896
}

/// Which number formats show dates: the built-in ids of ECMA-376 Part 1 §18.8.30 (14–22 and
/// 45–47, and the East Asian ids 27–36 and 50–58 that zh-CN Excel writes for `yyyy"年"m"月"d"日"`),
/// and custom format codes that hold y, m, d, h or s outside quotes, escapes and brackets.
enum NumberFormats {
    /// The date style of a built-in format id, nil when it shows no date.
    static func builtinStyle(_ id: Int) -> WorkbookDate.Style? {
        switch id {
        case 14, 15, 16: return .date
        case 22: return .dateTime
        case 17: return .yearMonth
        case 18...21, 45...47: return .time
        // zh-CN: 27, 36, 50, 52, 57 yyyy"年"m"月"; 28, 29, 51, 53, 54, 58 m"月"d"日"; 30 m-d-yy;
        // 31 yyyy"年"m"月"d"日"; 32–35, 55, 56 times (上午/下午h"时"mm"分").
        case 27, 36, 50, 52, 57: return .yearMonth
        case 28, 29, 30, 31, 51, 53, 54, 58: return .date
        case 32...35, 55, 56: return .time
        default: return nil
        }
    }

    /// The date style of a custom format code, nil when it shows no date or time.
    static func style(code: String) -> WorkbookDate.Style? {
        // The first section formats positive numbers (and every number when it is the only one).
        var tokens: [UInt8] = []  // y, d, h, s; m (minute, from [mm]); ? (an m: month or minute)
        var code = code
        if code.lowercased().contains("general") { code = code.lowercased().replacing("general", with: "") }
        let bytes = Array(code.utf8)[...]
        var index = bytes.startIndex
        func lower(_ b: UInt8) -> UInt8 { (b >= 65 && b <= 90) ? b + 32 : b }
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: ";"):
                index = bytes.endIndex
                continue
            case UInt8(ascii: "\""):
                index += 1
                while index < bytes.endIndex, bytes[index] != UInt8(ascii: "\"") { index += 1 }
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"):
                index += 1  // the next character is literal, spacing or fill
            case UInt8(ascii: "["):
                var inner: [UInt8] = []
                index += 1
                while index < bytes.endIndex, bytes[index] != UInt8(ascii: "]") {
                    inner.append(lower(bytes[index]))
                    index += 1
                }
                // [h], [mm], [ss]: elapsed time; colours, locales and conditions say nothing.
                if let first = inner.first, [UInt8(ascii: "h"), UInt8(ascii: "m"), UInt8(ascii: "s")].contains(first),
                    inner.allSatisfy({ $0 == first })
                {
                    tokens.append(first == UInt8(ascii: "m") ? UInt8(ascii: "m") : first)
                }
            case UInt8(ascii: "@"):
                return nil  // text
            default:
                let c = lower(byte)
                if c == UInt8(ascii: "e"), index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: "+") || bytes[index + 1] == UInt8(ascii: "-") {
                    return nil  // scientific: 0.00E+00
                }
                switch c {
                case UInt8(ascii: "y"), UInt8(ascii: "e"), UInt8(ascii: "b"):
                    if tokens.last != UInt8(ascii: "y") { tokens.append(UInt8(ascii: "y")) }
                case UInt8(ascii: "d"):
                    if tokens.last != UInt8(ascii: "d") { tokens.append(UInt8(ascii: "d")) }
                case UInt8(ascii: "h"):
                    if tokens.last != UInt8(ascii: "h") { tokens.append(UInt8(ascii: "h")) }
                case UInt8(ascii: "s"):
                    if tokens.last != UInt8(ascii: "s") { tokens.append(UInt8(ascii: "s")) }
                case UInt8(ascii: "m"):
                    if tokens.last != UInt8(ascii: "?") { tokens.append(UInt8(ascii: "?")) }  // month or minute
                default: break
                }
            }
            index += 1
        }
        guard !tokens.isEmpty else { return nil }
        // An `m` right after `h` or right before `s` is minutes; any other is the month.
        var hasDay = false, hasYear = false, hasMonth = false, hasTime = false
        for (i, token) in tokens.enumerated() {
            switch token {
            case UInt8(ascii: "y"): hasYear = true
            case UInt8(ascii: "d"): hasDay = true
            case UInt8(ascii: "h"), UInt8(ascii: "s"): hasTime = true
            case UInt8(ascii: "m"): hasTime = true
            default:
                let afterHour = i > 0 && tokens[i - 1] == UInt8(ascii: "h")
                let beforeSecond = i + 1 < tokens.count && tokens[i + 1] == UInt8(ascii: "s")
                if afterHour || beforeSecond { hasTime = true } else { hasMonth = true }
            }
        }
        let hasDate = hasDay || hasYear || hasMonth
        switch (hasDate, hasTime) {
        case (true, true): return .dateTime
        case (true, false): return hasDay || !hasMonth ? .date : (hasYear ? .yearMonth : .date)
        case (false, true): return .time
        case (false, false): return nil
        }
    }
}

extension WorkbookDate.Style {
    /// The style of a custom number format code (`yyyy"年"m"月"d"日"`, `h:mm`); nil when the code
    /// shows no date or time (`0.00`, `#,##0 "元"`, `0.00E+00`, `@`).
    public init?(formatCode: String) {
        guard let style = NumberFormats.style(code: formatCode) else { return nil }
        self = style
    }

    /// The style of a built-in number format id (14–22, 45–47, and 27–36, 50–58 of East Asian
    /// Excel); nil for the others.
    public init?(builtinFormat id: Int) {
        guard let style = NumberFormats.builtinStyle(id) else { return nil }
        self = style
    }
}
