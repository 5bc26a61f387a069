import PiaojueDomain

/// The unit a header names for the plain numbers of its column: `投资估算（万元）`, `金额（元）`.
public enum AmountUnit: String, Sendable, Hashable, CaseIterable {
    /// 元: a plain number is already whole 元.
    case yuan = "元"
    /// 万元: ten thousand 元.
    case wan = "万元"
    /// 亿元: a hundred million 元.
    case yi = "亿元"

    /// The unit a header's bracketed text names (`万元`, `万`, `元`, `亿元`, `人民币万元`), or nil.
    public init?(unitText: String) {
        var text = unitText.filter { !$0.isWhitespace }
        if text.hasPrefix("人民币") { text.removeFirst(3) }
        switch text {
        case "元", "rmb", "RMB", "yuan", "CNY": self = .yuan
        case "万元", "万": self = .wan
        case "亿元", "亿": self = .yi
        default: return nil
        }
    }

    /// The text appended to a plain number so that an amount parser reads it in this unit:
    /// `6513.3` in a 万元 column becomes `6513.3万元`.
    public var suffix: String { rawValue }
}

/// What an importer knows of its columns, so that the header row can be found below any title
/// rows: the first row with a cell naming a known column is the header.
public struct HeaderRule: Sendable {
    /// Whether a header name is a column the importer reads. It is asked with the cell's text
    /// trimmed, then with every space removed (`姓  名` → `姓名`, `投资估算\n（万元）` →
    /// `投资估算（万元）`), then without a trailing bracketed unit (`投资估算`).
    public let isKnown: @Sendable (String) -> Bool
    /// Whether a known column is an amount, so that a unit declared above the header
    /// (`单位：万元`) applies to it when its own header names none.
    public let isAmount: @Sendable (String) -> Bool
    /// Column names for the message when no header is found (`项目名称、类别、建设内容`).
    public let expected: String

    /// A rule from predicates.
    public init(
        expected: String, isAmount: @escaping @Sendable (String) -> Bool = { _ in false },
        isKnown: @escaping @Sendable (String) -> Bool
    ) {
        self.expected = expected
        self.isAmount = isAmount
        self.isKnown = isKnown
    }

    /// A rule from the names an importer knows (English names matched ignoring case).
    public init(known: Set<String>, amounts: Set<String> = [], expected: String) {
        let lowered = Set(known.map { $0.lowercased() })
        let amountNames = Set(amounts.map { $0.lowercased() })
        self.init(expected: expected, isAmount: { amountNames.contains($0.lowercased()) }, isKnown: { lowered.contains($0.lowercased()) })
    }
}

/// A worksheet seen as the table of an import: the header row found below any title rows, a
/// 序号 / No. column left out, units taken from the header, each record's fields as text that the
/// CSV importers already understand (numbers as Excel shows them, dates `YYYY-MM-DD`, plain
/// numbers of a 万元 column as `6513.3万元`), merged cells filled with their value, blank rows
/// and a closing 合计 row left out.
public struct SheetTable: Sendable, Hashable {
    /// How many rows from the top may hold titles before the header.
    public static let headerSearchRows = 100

    /// One column of the table.
    public struct Column: Sendable, Hashable {
        /// Its column in the sheet, from 1.
        public let column: Int
        /// The header cell's text as written (trimmed).
        public let title: String
        /// The name handed to the importer: the form of ``title`` that ``HeaderRule/isKnown``
        /// accepted; else the title with spaces and a trailing unit removed.
        public let name: String
        /// Whether the importer knows the column.
        public let isKnown: Bool
        /// The unit of its plain numbers: named in the header, or declared above it (amount
        /// columns only); nil means 元 as in CSV.
        public let unit: AmountUnit?

        /// The column letters as Excel shows them.
        public var letters: String { CellAddress.letters(column: column) }
    }

    /// One record.
    public struct Row: Sendable, Hashable {
        /// The row number as Excel shows it.
        public let number: Int
        /// One text per column of ``SheetTable/columns`` (empty for an empty cell).
        public let fields: [String]
    }

    /// The workbook's file name.
    public let file: String
    /// The sheet's name.
    public let sheet: String
    /// The header's row number.
    public let headerRow: Int
    /// The columns, left to right.
    public let columns: [Column]
    /// The records below the header, top to bottom.
    public let rows: [Row]
    /// The sheet columns of a 序号 / No. header, left out.
    public let ignoredColumns: [Int]
    /// The row number of a 合计 / 总计 row after the last record, left out.
    public let totalRow: Int?
    /// A unit declared above the header (`单位：万元`).
    public let declaredUnit: AmountUnit?

    /// The header names as handed to an importer, one per column.
    public var header: [String] { columns.map(\.name) }

    /// Where field `index` of `row` is.
    public func location(row: Row, field index: Int) -> CellLocation {
        location(row: row.number, column: columns[index].column)
    }

    /// Where cell (`row`, `column`) is.
    public func location(row: Int, column: Int) -> CellLocation {
        CellLocation(file: file, sheet: sheet, address: CellAddress(row: row, column: column))
    }

    /// The table of `worksheet`, with `rule` telling the header row.
    public init(_ worksheet: Worksheet, header rule: HeaderRule) throws(WorkbookFailure) {
        file = worksheet.file
        sheet = worksheet.name
        func at(_ row: Int, _ column: Int) -> CellLocation { worksheet.location(CellAddress(row: row, column: column)) }
        let rows = worksheet.rows
        // The header: the first row (among the top ones) with a cell naming a known column.
        var headerIndex: Int?
        for (index, row) in rows.enumerated() {
            guard row.number <= Self.headerSearchRows else { break }
            if row.cells.contains(where: { Self.headerName(of: $0.value, rule: rule)?.known == true }) {
                headerIndex = index
                break
            }
        }
        guard let headerIndex else { throw .noHeader(file: file, sheet: sheet, expected: rule.expected) }
        let headerRow = rows[headerIndex]
        self.headerRow = headerRow.number

        // A unit declared in the title rows: 单位：万元, 金额单位：元, …（单位：万元）.
        var declared: AmountUnit?
        for row in rows[..<headerIndex] {
            for cell in row.cells {
                if case let .text(text) = cell.value, let unit = Self.declaredUnit(in: text) { declared = unit }
            }
        }
        declaredUnit = declared

        var columns: [Column] = []
        var ignored: [Int] = []
        for cell in headerRow.cells {
            guard let name = Self.headerName(of: cell.value, rule: rule) else { continue }
            if !name.known, Self.isSequenceColumn(name.compact) {
                ignored.append(cell.column)
                continue
            }
            var unit = name.unit
            if unit == nil, name.known, rule.isAmount(name.name) { unit = declared }
            columns.append(Column(column: cell.column, title: name.title, name: name.name, isKnown: name.known, unit: unit))
        }
        ignoredColumns = ignored

        // One header row, one name per column: a merged range through the header is refused.
        let span = (columns.map(\.column) + ignored).reduce(into: (low: Int.max, high: 0)) { $0 = (min($0.low, $1), max($0.high, $1)) }
        for range in worksheet.mergedRanges
        where range.first.row <= headerRow.number && range.last.row >= headerRow.number
            && range.last.column >= span.low && range.first.column <= span.high
            && (range.first.row != range.last.row || range.first.column != range.last.column)
        {
            throw .mergedHeader(at(headerRow.number, max(range.first.column, span.low)), range: range.description)
        }

        // Which sheet columns belong to the table (ignored ones count as belonging).
        let width = max(span.high, 0) + 1
        var fieldOf = [Int](repeating: -1, count: width)
        for (index, column) in columns.enumerated() { fieldOf[column.column] = index }
        for column in ignored { fieldOf[column] = -2 }

        let data = rows[(headerIndex + 1)...]
        // A closing 合计 row: the last row whose first non-empty cell says so.
        var total: Int?
        if let last = data.last, let first = last.cells.first, case let .text(text) = first.value, Self.isTotal(text) {
            total = last.number
        }
        totalRow = total

        // Merged ranges below the header fill every cell with their top-left value.
        let merges = worksheet.mergedRanges.filter { $0.first.row > headerRow.number }.sorted { $0.first.row < $1.first.row }
        var nextMerge = 0
        var active: [(range: CellRange, value: CellValue?)] = []

        var records: [Row] = []
        records.reserveCapacity(data.count)
        var fields = [String](repeating: "", count: columns.count)
        for row in data where row.number != total {
            active.removeAll { $0.range.last.row < row.number }
            while nextMerge < merges.count, merges[nextMerge].first.row <= row.number {
                let range = merges[nextMerge]
                nextMerge += 1
                guard range.last.row >= row.number else { continue }
                let value = range.first.row == row.number ? row.value(column: range.first.column) : nil
                active.append((range, value))
            }
            for index in fields.indices { fields[index] = "" }
            var blank = true
            for cell in row.cells {
                let field = cell.column < width ? fieldOf[cell.column] : -1
                if field == -2 { continue }
                guard field >= 0 else {
                    // Text that is only spaces is no value.
                    if case let .text(text) = cell.value, !Self.hasContent(text) { continue }
                    throw .cellWithoutHeader(at(row.number, cell.column))
                }
                let text = try Self.text(of: cell.value, unit: columns[field].unit) { at(row.number, cell.column) }
                fields[field] = text
                if blank, Self.hasContent(text) { blank = false }
            }
            for (range, value) in active {
                guard let value else { continue }
                for index in columns.indices where fields[index].isEmpty && range.contains(CellAddress(row: row.number, column: columns[index].column)) {
                    let text = try Self.text(of: value, unit: columns[index].unit) { at(range.first.row, range.first.column) }
                    fields[index] = text
                    if blank, Self.hasContent(text) { blank = false }
                }
            }
            if !blank { records.append(Row(number: row.number, fields: fields)) }
        }
        self.columns = columns
        self.rows = records
    }

    /// The text an importer reads for `value` in a column of `unit`: text as it is; a number as
    /// Excel shows it (`6513.3`), with the unit appended when the column has one; a plain number
    /// written as text in such a column likewise; a date as ``WorkbookDate/text``; `TRUE` or
    /// `FALSE`. Error values, impossible dates and formulas without a saved result are refused,
    /// naming `location`.
    public static func text(of value: CellValue, unit: AmountUnit?, at location: CellLocation) throws(WorkbookFailure) -> String {
        try text(of: value, unit: unit) { location }
    }

    /// ``text(of:unit:at:)`` with the location made only for a refusal (it runs for every cell).
    static func text(of value: CellValue, unit: AmountUnit?, location: () -> CellLocation) throws(WorkbookFailure) -> String {
        switch value {
        case let .text(text):
            guard let unit, isPlainNumber(text.trimmingSpaces()) else { return text }
            return text.trimmingSpaces() + unit.suffix
        case let .number(number):
            guard let unit else { return number.text }
            return number.text + unit.suffix
        case let .boolean(flag): return flag ? "TRUE" : "FALSE"
        case let .date(date): return date.text
        case let .error(code): throw .errorCell(location(), value: code)
        case let .invalidDate(serial): throw .badDate(location(), serial: serial.text)
        case .noCachedValue: throw .noCachedValue(location())
        }
    }

    // MARK: Header names

    struct HeaderName {
        let title: String
        let compact: String
        let name: String
        let unit: AmountUnit?
        let known: Bool
    }

    /// The forms of a header cell's text, and which one the rule knows; nil for an empty cell.
    static func headerName(of value: CellValue, rule: HeaderRule) -> HeaderName? {
        let raw: String
        switch value {
        case let .text(text): raw = text
        case let .number(number): raw = number.text
        case let .date(date): raw = date.text
        case let .boolean(flag): raw = flag ? "TRUE" : "FALSE"
        case .error, .invalidDate, .noCachedValue: return nil
        }
        let title = raw.trimmingSpaces()
        guard !title.isEmpty else { return nil }
        let compact = title.filter { !$0.isWhitespace }
        var base: String?
        var unitText: String?
        if let last = compact.last, last == ")" || last == "）" {
            let opener = compact.lastIndex { $0 == "(" || $0 == "（" }
            if let opener, opener > compact.startIndex {
                base = String(compact[..<opener])
                unitText = String(compact[compact.index(after: opener)..<compact.index(before: compact.endIndex)])
            }
        }
        let unit = unitText.flatMap { AmountUnit(unitText: $0) }
        for candidate in [title, compact, base].compactMap({ $0 }) where rule.isKnown(candidate) {
            return HeaderName(title: title, compact: compact, name: candidate, unit: unit, known: true)
        }
        return HeaderName(title: title, compact: compact, name: title, unit: unit, known: false)
    }

    /// 序号, No., #: a row counter, not data.
    static func isSequenceColumn(_ compact: String) -> Bool {
        ["序号", "序", "no", "no.", "#", "编码序号"].contains(compact.lowercased())
    }

    /// 合计, 总计, 小计, 共计, Total (spaces and a trailing colon aside).
    static func isTotal(_ text: String) -> Bool {
        var compact = text.filter { !$0.isWhitespace }
        if compact.hasSuffix(":") || compact.hasSuffix("：") { compact.removeLast() }
        return ["合计", "总计", "小计", "共计", "total", "sum"].contains(compact.lowercased())
    }

    /// The unit of a title-row note: `单位：万元`, `金额单位:元`, `…（单位：万元）`.
    static func declaredUnit(in text: String) -> AmountUnit? {
        let compact = text.filter { !$0.isWhitespace }
        guard let range = compact.firstRange(of: "单位") else { return nil }
        var rest = Substring(compact[range.upperBound...])
        guard rest.first == ":" || rest.first == "：" else { return nil }
        rest = rest.dropFirst()
        while let last = rest.last, last == ")" || last == "）" || last == "]" || last == "】" { rest = rest.dropLast() }
        return AmountUnit(unitText: String(rest))
    }

    /// Whether `text` has anything but spaces, tabs, line breaks and full-width spaces (the
    /// characters `trimmingSpaces` drops), without making a new string.
    static func hasContent(_ text: String) -> Bool {
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case 0xE3:
                // U+3000 is E3 80 80.
                guard utf8.next() == 0x80, utf8.next() == 0x80 else { return true }
            default: return true
            }
        }
        return false
    }

    /// Digits with at most one point and thousands commas: what a 万元 column's text may be.
    static func isPlainNumber(_ text: String) -> Bool {
        guard !text.isEmpty, text.first != ".", text.last != "." else { return false }
        var points = 0
        for scalar in text.unicodeScalars {
            switch scalar {
            case "0"..."9", ",": continue
            case ".": points += 1
            default: return false
            }
        }
        return points <= 1 && text.contains(where: \.isNumber)
    }
}
