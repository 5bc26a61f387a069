import Foundation
import PiaojueDomain
public import PiaojueWorkbook

/// A table to import, from a CSV file or an `.xlsx` workbook, the format told by the file's
/// bytes (never its name): `PK` is a workbook, an OLE file (`.xls`, `.et`) is refused with "请另存为
/// .xlsx", anything else is CSV text in `encoding`. Either way the importers get the same
/// ``CSVTable``; for a workbook its header is the header row found below any title rows (see
/// ``SheetTable``), each row's `line` is the row number Excel shows, and ``cell(line:column:)``
/// names a cell as "工作表“Sheet1”第 7 行 D 列".
///
/// ```swift
/// let input = try TableInput.read(path: path, encoding: encoding, sheet: sheet, header: ProposalSheet.header)
/// let rows = try ProposalSheet.proposals(from: input.table, file: input.file)
/// let sha = FileInput.sha256(input.bytes)
/// ```
public struct TableInput: Sendable {
    /// What the file was.
    public enum Format: Sendable, Equatable {
        /// CSV text, decoded from this encoding.
        case csv(TextEncodingChoice)
        /// An `.xlsx` workbook, read from this sheet.
        case xlsx(sheet: String)
    }

    /// The file name (for messages and the ledger).
    public let file: String
    /// The file's bytes (for its SHA-256).
    public let bytes: [UInt8]
    /// What the file was.
    public let format: Format
    /// The table, as the CSV importers take it.
    public let table: CSVTable
    /// For a workbook: the sheet's table, with its columns' letters and units.
    public let sheetTable: SheetTable?

    /// Reads `path` (at most ``FileInput/maximumBytes``). `sheet` names the sheet of a workbook
    /// (nil: the first visible one) and is refused for a CSV file; `header` tells a workbook's
    /// header row (a CSV's is its first line, as always).
    public static func read(
        path: String, limit: Int = FileInput.maximumBytes, encoding: TextEncodingChoice, sheet: String? = nil, header: HeaderRule
    ) throws -> TableInput {
        try parse(
            bytes: FileInput.read(path, limit: limit), file: URL(fileURLWithPath: path).lastPathComponent, encoding: encoding, sheet: sheet,
            header: header)
    }

    /// The table in `bytes` of a file called `file`; see ``read(path:encoding:sheet:header:)``.
    public static func parse(
        bytes: [UInt8], file: String, encoding: TextEncodingChoice, sheet: String? = nil, header: HeaderRule,
        limits: WorkbookLimits = .standard
    ) throws -> TableInput {
        switch SpreadsheetFormat(bytes) {
        case .zip, .compoundFile:
            let workbook = try Workbook(bytes: bytes, file: file, limits: limits)
            let sheetTable = try SheetTable(workbook.worksheet(sheet), header: header)
            let rows = sheetTable.rows.map { CSVTable.Row(line: $0.number, fields: $0.fields) }
            return TableInput(
                file: file, bytes: bytes, format: .xlsx(sheet: sheetTable.sheet), table: CSVTable(header: sheetTable.header, rows: rows),
                sheetTable: sheetTable)
        case .other:
            if let sheet {
                throw FileFailure.sheetForCSV(file: file, sheet: sheet)
            }
            let table = try CSV.parse(try TextDecoding.decode(bytes, encoding: encoding, name: file), name: file)
            return TableInput(file: file, bytes: bytes, format: .csv(encoding), table: table, sheetTable: nil)
        }
    }

    /// Where field `column` of the row at `line` is in a workbook, nil for CSV (whose messages
    /// say "第 N 行" and name the column by its header, as today).
    public func cell(line: Int, column: Int) -> CellLocation? {
        guard let sheetTable, sheetTable.columns.indices.contains(column) else { return nil }
        return sheetTable.location(row: line, column: sheetTable.columns[column].column)
    }

    /// Runs `body` (the importer's reading of ``table``); for a workbook, a ``LocatedFailure``
    /// naming a row and a column comes out naming the sheet and the column's letters as Excel
    /// shows them ("工作表“Sheet1”第 7 行 D 列"). `resolve` finds the field a failure's column
    /// label names (by default the header that is exactly the label).
    public func locating<T>(resolve: ((String) -> Int?)? = nil, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let failure as LocatedFailure {
            guard let sheetTable, failure.sheet == nil, failure.file == file else { throw failure }
            var letters: String?
            let header = table.header
            let find = resolve ?? { label in header.firstIndex(of: label) }
            if let label = failure.column, let index = find(label), sheetTable.columns.indices.contains(index) {
                letters = CellAddress.letters(column: sheetTable.columns[index].column)
            }
            throw LocatedFailure(
                file: failure.file, line: failure.line, column: letters ?? failure.column, underlying: failure.underlying,
                consequence: failure.consequence, sheet: sheetTable.sheet)
        }
    }

    /// The encoding word recorded with an import: `utf-8`, `gb18030`, or `xlsx` for a workbook.
    public var recordedEncoding: String {
        switch format {
        case let .csv(encoding): encoding.rawValue
        case .xlsx: "xlsx"
        }
    }

    /// Where field `column` of the row at `line` is, for a message in either format:
    /// `工作簿 a.xlsx 工作表“Sheet1”第 7 行 F 列` / `Sheet "Sheet1" row 7 column F (F7) of a.xlsx`, or
    /// `文件 a.csv 第 7 行“投资估算”列` / `line 7 of a.csv, column "投资估算"`.
    public func place(line: Int, column: Int) -> (chinese: String, english: String) {
        if let cell = cell(line: line, column: column) { return (cell.chinese, cell.english) }
        let header = table.header.indices.contains(column) ? table.header[column] : "\(column + 1)"
        return ("文件 \(file) 第 \(line) 行“\(header)”列", "line \(line) of \(file), column \"\(header)\"")
    }
}
