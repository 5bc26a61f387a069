import PiaojueDomain

/// A cell's place in a sheet as Excel shows it: row 7, column D is `D7`. Both count from 1.
public struct CellAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The largest row of an Excel sheet (1,048,576).
    public static let maximumRow = 1_048_576
    /// The largest column of an Excel sheet (16,384, `XFD`).
    public static let maximumColumn = 16_384

    /// The row number, from 1.
    public let row: Int
    /// The column number, from 1 (A = 1, Z = 26, AA = 27).
    public let column: Int

    /// The cell at `row` and `column` (both from 1).
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Parses an A1-style reference (`D7`, `$D$7`, `xfd1048576`); nil when it is not one or is
    /// outside an Excel sheet.
    public init?(_ reference: some StringProtocol) {
        guard let parsed = Array(reference.utf8).withUnsafeBufferPointer({ Self.parse($0) }) else { return nil }
        self = parsed
    }

    /// The column letters: `D`, `AA`, `XFD`.
    public var columnLetters: String { Self.letters(column: column) }

    /// `D7`.
    public var description: String { "\(columnLetters)\(row)" }

    /// Row by row, then column by column (the order of a sheet part).
    public static func < (lhs: CellAddress, rhs: CellAddress) -> Bool {
        (lhs.row, lhs.column) < (rhs.row, rhs.column)
    }

    /// The letters of column `column` (from 1): 1 → `A`, 27 → `AA`; `?` below 1.
    public static func letters(column: Int) -> String {
        guard column >= 1 else { return "?" }
        var n = column
        var scalars: [Unicode.Scalar] = []
        while n > 0 {
            let digit = (n - 1) % 26
            scalars.append(Unicode.Scalar(UInt8(65 + digit)))
            n = (n - 1) / 26
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars.reversed())
        return String(text)
    }

    /// Parses `[$]LETTERS[$]DIGITS` from UTF-8 bytes.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> CellAddress? {
        var index = bytes.startIndex
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "$") { index += 1 }
        guard let (column, afterLetters) = parseColumn(bytes, from: index) else { return nil }
        index = afterLetters
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "$") { index += 1 }
        guard let row = parseRow(UnsafeBufferPointer(rebasing: bytes[index...])) else { return nil }
        return CellAddress(row: row, column: column)
    }

    /// The column number of the letters at `start`, and the index after them.
    static func parseColumn(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (Int, Int)? {
        var column = 0
        var index = start
        while index < bytes.endIndex, index - start < 3 {
            let byte = bytes[index] & 0xDF  // a–z to A–Z
            guard byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") else { break }
            column = column * 26 + Int(byte - UInt8(ascii: "A") + 1)
            index += 1
        }
        guard index > start, column <= maximumColumn else { return nil }
        return (column, index)
    }

    /// A row number from decimal digits (no sign, no leading zero), within an Excel sheet.
    static func parseRow(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 7, bytes.first != UInt8(ascii: "0") else { return nil }
        var row = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            row = row * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return row <= maximumRow ? row : nil
    }
}

/// A rectangle of cells, such as a merged range `A1:H1`.
public struct CellRange: Sendable, Hashable, CustomStringConvertible {
    /// The top-left cell (where a merged range keeps its value).
    public let first: CellAddress
    /// The bottom-right cell.
    public let last: CellAddress

    /// The range from `first` to `last` (corners in any order).
    public init(_ first: CellAddress, _ last: CellAddress) {
        self.first = CellAddress(row: min(first.row, last.row), column: min(first.column, last.column))
        self.last = CellAddress(row: max(first.row, last.row), column: max(first.column, last.column))
    }

    /// Parses `A1:H1` (or a single cell `B2`); nil when it is not a range of cells.
    public init?(_ reference: some StringProtocol) {
        let parts = reference.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let a = CellAddress(parts[0]), let b = CellAddress(parts[parts.count - 1]) else { return nil }
        self.init(a, b)
    }

    /// Whether `address` lies in the range.
    public func contains(_ address: CellAddress) -> Bool {
        (first.row...last.row).contains(address.row) && (first.column...last.column).contains(address.column)
    }

    /// `A1:H1`.
    public var description: String { first == last ? "\(first)" : "\(first):\(last)" }
}

/// Where a cell is, for messages: the file, the sheet and the cell.
public struct CellLocation: Sendable, Hashable, CustomStringConvertible {
    /// The workbook's file name.
    public let file: String
    /// The sheet's name.
    public let sheet: String
    /// The cell.
    public let address: CellAddress

    /// The cell `address` of `sheet` in `file`.
    public init(file: String, sheet: String, address: CellAddress) {
        self.file = file
        self.sheet = sheet
        self.address = address
    }

    /// `工作簿 a.xlsx 工作表“Sheet1”第 7 行 D 列`.
    public var chinese: String { "工作簿 \(file) 工作表“\(sheet)”第 \(address.row) 行 \(address.columnLetters) 列" }

    /// `Sheet "Sheet1" row 7 column D (D7) of a.xlsx`.
    public var english: String { "Sheet \"\(sheet)\" row \(address.row) column \(address.columnLetters) (\(address)) of \(file)" }

    /// Both, Chinese first.
    public var description: String { "\(chinese) / \(english)" }

    /// The named values of an error at this cell, with one more when `name` is given.
    func details(_ name: String? = nil, _ value: ErrorValue? = nil) -> ErrorDetails {
        let row = ErrorValue.number(address.row)
        let column = ErrorValue.text(address.columnLetters)
        guard let name, let value else { return ["file": .text(file), "sheet": .text(sheet), "row": row, "column": column] }
        return ["file": .text(file), "sheet": .text(sheet), "row": row, "column": column, name: value]
    }
}
