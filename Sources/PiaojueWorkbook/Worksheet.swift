/// The value of one non-empty cell, as the workbook stores it.
public enum CellValue: Sendable, Hashable {
    /// A shared string, an inline string or the text result of a formula (`t="s"`,
    /// `t="inlineStr"`, `t="str"`), rich-text runs joined, `_xHHHH_` escapes decoded.
    case text(String)
    /// A number, its literal digits kept (see ``DecimalNumber``).
    case number(DecimalNumber)
    /// `TRUE` or `FALSE` (`t="b"`).
    case boolean(Bool)
    /// A number whose style is a date format, or an ISO 8601 date (`t="d"`).
    case date(WorkbookDate)
    /// An error value: `#N/A`, `#REF!`, `#DIV/0!`… (`t="e"`).
    case error(String)
    /// A number whose style is a date format but that is no real date (see ``WorkbookFailure/badDate(_:serial:)``).
    case invalidDate(DecimalNumber)
    /// A formula whose result was never saved: files written by programs that do not calculate.
    case noCachedValue
}

/// One non-empty cell: its column (from 1) and value.
public struct Cell: Sendable, Hashable {
    /// The column, from 1 (A = 1).
    public let column: Int
    /// The value.
    public let value: CellValue

    /// A cell in `column` holding `value`.
    public init(column: Int, value: CellValue) {
        self.column = column
        self.value = value
    }
}

/// One row with at least one non-empty cell, cells in column order.
public struct SheetRow: Sendable, Hashable {
    /// The row number as Excel shows it, from 1.
    public let number: Int
    /// The non-empty cells, left to right.
    public let cells: [Cell]

    /// Row `number` with `cells` (in column order).
    public init(number: Int, cells: [Cell]) {
        self.number = number
        self.cells = cells
    }

    /// The value in `column`, nil when that cell is empty.
    public func value(column: Int) -> CellValue? {
        // Cells are sorted and short; a binary search keeps wide rows cheap.
        var low = 0
        var high = cells.count
        while low < high {
            let mid = (low + high) / 2
            if cells[mid].column < column { low = mid + 1 } else { high = mid }
        }
        return low < cells.count && cells[low].column == column ? cells[low].value : nil
    }
}

/// One worksheet read whole: its non-empty rows in order and its merged ranges. Empty rows and
/// empty cells are left out, so empty trailing rows and columns cost nothing.
public struct Worksheet: Sendable, Hashable {
    /// The workbook's file name (for messages).
    public let file: String
    /// The sheet's name as its tab shows it.
    public let name: String
    /// The rows with at least one non-empty cell, top to bottom.
    public let rows: [SheetRow]
    /// The merged ranges (`<mergeCell ref="A1:H1"/>`); a merged range keeps its value in its
    /// top-left cell, the other cells are empty.
    public let mergedRanges: [CellRange]

    /// A sheet `name` of `file`.
    public init(file: String, name: String, rows: [SheetRow], mergedRanges: [CellRange]) {
        self.file = file
        self.name = name
        self.rows = rows
        self.mergedRanges = mergedRanges
    }

    /// Where cell `address` is, for messages.
    public func location(_ address: CellAddress) -> CellLocation {
        CellLocation(file: file, sheet: name, address: address)
    }
}

/// The limits a workbook must keep to be read: the container first (checked on the declared
/// sizes before anything is inflated, and again while inflating), then the XML and the cells.
public struct WorkbookLimits: Sendable, Hashable {
    /// Entries in the ZIP (a workbook has ten to a few hundred).
    public var maximumEntries = 10_000
    /// Uncompressed bytes of one entry, declared or inflated.
    public var maximumEntryBytes: UInt64 = 256 << 20
    /// Uncompressed bytes of all entries, declared; and of all the parts read, inflated.
    public var maximumTotalBytes: UInt64 = 1 << 30
    /// Uncompressed ÷ compressed size of an entry larger than ``ratioGraceBytes``.
    public var maximumRatio: UInt64 = 200
    /// Entries up to this size may have any ratio (a short part of repeated tags compresses well).
    public var ratioGraceBytes: UInt64 = 1 << 20
    /// Nesting of XML elements (a sheet needs about eight).
    public var maximumDepth = 64
    /// UTF-8 bytes of one cell, or one shared string (the CSV importer's field limit).
    public var maximumCellBytes = 65_536
    /// Entries of the shared-string table.
    public var maximumSharedStrings = 4_000_000
    /// Non-empty cells of the sheet read (about 250 bytes of memory each, with its text).
    public var maximumCells = 4_000_000
    /// Merged ranges of the sheet read.
    public var maximumMergedRanges = 100_000

    /// The limits above.
    public static let standard = WorkbookLimits()

    /// The limits above.
    public init() {}
}
