public import PiaojueDomain

/// Why a workbook was refused, read or written: one case per reason, each with a stable `xlsx.…`
/// code, exit status 2 (the input, or the requested output, is bad) and a sentence naming the
/// file, part, sheet, row and column as Excel shows them.
///
/// No message repeats the text of a cell: a sheet may hold credential codes (paper ballots), and
/// the services redact those only in their own messages.
public enum WorkbookFailure: ClerkFacingError, Equatable {
    // MARK: The container
    /// Neither a ZIP nor an OLE file (`xlsx.not-a-workbook`), or a ZIP without a workbook in it.
    case notAWorkbook(file: String, reason: NotAWorkbookReason)
    /// An Excel 97–2003 `.xls` or a WPS `.et` file: an OLE compound file (`xlsx.old-format`).
    case oldFormat(file: String)
    /// A password-protected workbook: OOXML encrypted inside an OLE file (`xlsx.encrypted`).
    case encrypted(file: String)
    /// A ZIP holding another spreadsheet format: `.ods` or the binary `.xlsb` (`xlsx.other-format`).
    case otherFormat(file: String, format: String)
    /// The ZIP cannot be read: truncated, a bad CRC, a bad deflate stream (`xlsx.damaged`).
    case damaged(file: String, part: String?, detail: String)
    /// More entries than ``WorkbookLimits/maximumEntries`` (`xlsx.too-many-entries`).
    case tooManyEntries(file: String, limit: Int)
    /// An entry whose path is absolute, climbs out with `..`, or is a symbolic link (`xlsx.unsafe-path`).
    case unsafePath(file: String, path: String)
    /// An entry, or all entries together, larger than the limits: declared, or found while
    /// inflating, or inflating past its declared size (`xlsx.too-large`).
    case tooLarge(file: String, part: String?, bytes: UInt64, limit: UInt64)
    /// An entry declaring more than ``WorkbookLimits/maximumRatio`` times its compressed size
    /// (`xlsx.compression-ratio`).
    case compressionRatio(file: String, part: String, ratio: UInt64, limit: UInt64)
    /// A part the workbook needs is missing (`xlsx.missing-part`).
    case missingPart(file: String, part: String)

    // MARK: The XML
    /// A part that is not well-formed XML, or holds a DTD (`xlsx.bad-xml`).
    case badXML(file: String, part: String, line: Int, detail: String)
    /// Elements nested deeper than ``WorkbookLimits/maximumDepth`` (`xlsx.too-deep`).
    case tooDeep(file: String, part: String, line: Int, limit: Int)
    /// More shared strings than ``WorkbookLimits/maximumSharedStrings`` (`xlsx.too-many-strings`).
    case tooManyStrings(file: String, limit: Int)
    /// More non-empty cells or merged ranges in one sheet than the limits (`xlsx.too-many-cells`).
    case tooManyCells(file: String, sheet: String, limit: Int)

    // MARK: Sheets and cells
    /// The workbook lists no worksheet (`xlsx.no-sheet`).
    case noSheet(file: String)
    /// `--sheet NAME` names no sheet of the workbook (`xlsx.unknown-sheet`).
    case unknownSheet(file: String, sheet: String, available: [String])
    /// The sheet is a chart sheet or a dialog sheet, not a grid of cells (`xlsx.not-a-worksheet`).
    case notAWorksheet(file: String, sheet: String)
    /// A cell that cannot be read: a bad reference, a value that is not a number, a shared-string
    /// index out of range, cells out of order (`xlsx.bad-cell`).
    case badCell(CellLocation, detail: String)
    /// A cell longer than ``WorkbookLimits/maximumCellBytes`` UTF-8 bytes (`xlsx.cell-too-long`).
    case cellTooLong(CellLocation, limit: Int)
    /// A cell holding an error value such as `#REF!` where a value is needed (`xlsx.error-cell`).
    case errorCell(CellLocation, value: String)
    /// A formula whose result was never saved (a generated file never opened in Excel) (`xlsx.no-cached-value`).
    case noCachedValue(CellLocation)
    /// A number formatted as a date that is no real day: before 1900-01-01, the 1900-02-29 that
    /// Lotus invented, or after 9999-12-31 (`xlsx.bad-date`).
    case badDate(CellLocation, serial: String)

    // MARK: The table of an import
    /// No row among the first ``SheetTable/headerSearchRows`` names a known column (`xlsx.no-header`).
    case noHeader(file: String, sheet: String, expected: String)
    /// A merged cell in the header row (two header rows, or one title over several columns) (`xlsx.merged-header`).
    case mergedHeader(CellLocation, range: String)
    /// A value in a column whose header cell is empty (`xlsx.cell-without-header`).
    case cellWithoutHeader(CellLocation)

    // MARK: Writing
    /// A text longer than the 32,767 characters an Excel cell holds (`xlsx.text-too-long`).
    case textTooLong(sheet: String, row: Int, column: Int, length: Int)
    /// A row with more or fewer values than the sheet has columns (`xlsx.row-width`).
    case rowWidth(sheet: String, row: Int, values: Int, columns: Int)
    /// The private scratch file the archive is read from cannot be made (`xlsx.scratch-unavailable`).
    case scratchUnavailable(detail: String)
    /// The output file exists and replacing it was not asked for (`xlsx.file-exists`).
    case fileExists(path: String)
    /// The output file cannot be written (`xlsx.write-failed`).
    case writeFailed(path: String, detail: String)

    /// What a ZIP that is not a workbook lacks.
    public enum NotAWorkbookReason: String, Sendable, Equatable {
        /// The bytes start with neither the ZIP nor the OLE signature.
        case notZIP = "not-zip"
        /// A ZIP file without `xl/workbook.xml` (a `.docx`, a `.zip`…).
        case noWorkbookPart = "no-workbook-part"
    }

    /// The stable `xlsx.…` code.
    public var code: String {
        switch self {
        case .notAWorkbook: "xlsx.not-a-workbook"
        case .oldFormat: "xlsx.old-format"
        case .encrypted: "xlsx.encrypted"
        case .otherFormat: "xlsx.other-format"
        case .damaged: "xlsx.damaged"
        case .tooManyEntries: "xlsx.too-many-entries"
        case .unsafePath: "xlsx.unsafe-path"
        case .tooLarge: "xlsx.too-large"
        case .compressionRatio: "xlsx.compression-ratio"
        case .missingPart: "xlsx.missing-part"
        case .badXML: "xlsx.bad-xml"
        case .tooDeep: "xlsx.too-deep"
        case .tooManyStrings: "xlsx.too-many-strings"
        case .tooManyCells: "xlsx.too-many-cells"
        case .noSheet: "xlsx.no-sheet"
        case .unknownSheet: "xlsx.unknown-sheet"
        case .notAWorksheet: "xlsx.not-a-worksheet"
        case .badCell: "xlsx.bad-cell"
        case .cellTooLong: "xlsx.cell-too-long"
        case .errorCell: "xlsx.error-cell"
        case .noCachedValue: "xlsx.no-cached-value"
        case .badDate: "xlsx.bad-date"
        case .noHeader: "xlsx.no-header"
        case .mergedHeader: "xlsx.merged-header"
        case .cellWithoutHeader: "xlsx.cell-without-header"
        case .textTooLong: "xlsx.text-too-long"
        case .rowWidth: "xlsx.row-width"
        case .scratchUnavailable: "xlsx.scratch-unavailable"
        case .fileExists: "xlsx.file-exists"
        case .writeFailed: "xlsx.write-failed"
        }
    }

    /// Always 2: the workbook (or the output asked for) is bad input.
    public var exitStatus: Int32 { 2 }

    /// The file, part, sheet, row (as Excel counts) and column letters, and the limits, by name.
    public var details: ErrorDetails {
        switch self {
        case let .notAWorkbook(file, reason): ["file": .text(file), "reason": .text(reason.rawValue)]
        case let .oldFormat(file), let .encrypted(file), let .noSheet(file): ["file": .text(file)]
        case let .otherFormat(file, format): ["file": .text(file), "format": .text(format)]
        case let .damaged(file, part, detail): ["file": .text(file), "part": .text(part ?? ""), "detail": .text(detail)]
        case let .tooManyEntries(file, limit): ["file": .text(file), "limit": .number(limit)]
        case let .unsafePath(file, path): ["file": .text(file), "path": .text(path)]
        case let .tooLarge(file, part, bytes, limit):
            ["file": .text(file), "part": .text(part ?? ""), "bytes": .number(Int(clamping: bytes)), "limit": .number(Int(clamping: limit))]
        case let .compressionRatio(file, part, ratio, limit):
            ["file": .text(file), "part": .text(part), "ratio": .number(Int(clamping: ratio)), "limit": .number(Int(clamping: limit))]
        case let .missingPart(file, part): ["file": .text(file), "part": .text(part)]
        case let .badXML(file, part, line, detail): ["file": .text(file), "part": .text(part), "line": .number(line), "detail": .text(detail)]
        case let .tooDeep(file, part, line, limit): ["file": .text(file), "part": .text(part), "line": .number(line), "limit": .number(limit)]
        case let .tooManyStrings(file, limit): ["file": .text(file), "limit": .number(limit)]
        case let .tooManyCells(file, sheet, limit): ["file": .text(file), "sheet": .text(sheet), "limit": .number(limit)]
        case let .unknownSheet(file, sheet, available): ["file": .text(file), "sheet": .text(sheet), "available": .texts(available)]
        case let .notAWorksheet(file, sheet): ["file": .text(file), "sheet": .text(sheet)]
        case let .badCell(at, detail): at.details("detail", .text(detail))
        case let .cellTooLong(at, limit): at.details("limit", .number(limit))
        case let .errorCell(at, value): at.details("value", .text(value))
        case let .noCachedValue(at), let .cellWithoutHeader(at): at.details()
        case let .badDate(at, serial): at.details("serial", .text(serial))
        case let .noHeader(file, sheet, expected): ["file": .text(file), "sheet": .text(sheet), "expected": .text(expected)]
        case let .mergedHeader(at, range): at.details("range", .text(range))
        case let .textTooLong(sheet, row, column, length):
            ["sheet": .text(sheet), "row": .number(row), "column": .text(CellAddress.letters(column: column)), "length": .number(length)]
        case let .rowWidth(sheet, row, values, columns):
            ["sheet": .text(sheet), "row": .number(row), "values": .number(values), "columns": .number(columns)]
        case let .scratchUnavailable(detail): ["detail": .text(detail)]
        case let .fileExists(path): ["path": .text(path)]
        case let .writeFailed(path, detail): ["path": .text(path), "detail": .text(detail)]
        }
    }

    /// One sentence, Chinese first, then English.
    public var description: String {
        switch self {
        case let .notAWorkbook(file, .notZIP):
            return "文件 \(file) 不是 Excel 工作簿（.xlsx）。\(file) is not an Excel workbook (.xlsx)."
        case let .notAWorkbook(file, .noWorkbookPart):
            return "文件 \(file) 是 ZIP 压缩包，但其中没有 Excel 工作簿（缺少 xl/workbook.xml）。\(file) is a ZIP file but holds no Excel workbook (no xl/workbook.xml)."
        case let .oldFormat(file):
            return "文件 \(file) 是旧版 Excel 97-2003（.xls）或 WPS 表格（.et）格式，无法直接读取：请另存为 .xlsx (Excel 工作簿) 后再导入（在 Excel 或 WPS 中打开，“另存为”选“Excel 工作簿”）。\(file) is an old Excel 97-2003 (.xls) or WPS (.et) workbook: open it and save it as .xlsx (Excel Workbook), then import that file."
        case let .encrypted(file):
            return "文件 \(file) 设置了打开密码：请在 Excel 或 WPS 中取消密码，另存为 .xlsx (Excel 工作簿) 后再导入。\(file) is password-protected: remove the password, save it as .xlsx (Excel Workbook) and import that file."
        case let .otherFormat(file, format):
            return "文件 \(file) 是 \(format) 格式而不是 .xlsx：请另存为 .xlsx (Excel 工作簿) 后再导入。\(file) is a \(format) file, not .xlsx: save it as .xlsx (Excel Workbook) and import that file."
        case let .damaged(file, part, detail):
            let whereText = part.map { "（\($0)）" } ?? ""
            return "工作簿 \(file)\(whereText) 已损坏，无法解压：\(detail)。请在 Excel 中打开后重新保存。The workbook \(file) is damaged\(part.map { " (\($0))" } ?? ""): \(detail); open it in Excel and save it again."
        case let .tooManyEntries(file, limit):
            return "工作簿 \(file) 内含的文件超过 \(limit) 个，不像正常的工作簿，已拒绝。The workbook \(file) holds more than \(limit) entries and is refused."
        case let .unsafePath(file, path):
            return "工作簿 \(file) 中的条目“\(path)”指向压缩包之外（绝对路径、.. 或符号链接），已拒绝。The workbook \(file) holds an entry \"\(path)\" that points outside the archive; it is refused."
        case let .tooLarge(file, part, bytes, limit):
            let what = part.map { "其中的 \($0)" } ?? "解压后合计"
            return "工作簿 \(file) \(what)有 \(bytes) 字节，超过上限 \(limit) 字节（可能是压缩炸弹），已拒绝，不再解压。The workbook \(file)\(part.map { " (\($0))" } ?? "") declares or inflates to \(bytes) bytes, over the limit of \(limit) (a zip bomb?); it is refused and nothing more is inflated."
        case let .compressionRatio(file, part, ratio, limit):
            return "工作簿 \(file) 中的 \(part) 压缩比为 \(ratio):1，超过上限 \(limit):1（可能是压缩炸弹），未解压。The workbook \(file) part \(part) claims a compression ratio of \(ratio):1, over \(limit):1; it was refused before inflating."
        case let .missingPart(file, part):
            return "工作簿 \(file) 缺少 \(part)，请在 Excel 中打开后重新保存。The workbook \(file) lacks \(part); open it in Excel and save it again."
        case let .badXML(file, part, line, detail):
            return "工作簿 \(file) 的 \(part) 第 \(line) 行不是正确的 XML（\(detail)），请在 Excel 中打开后重新保存。Line \(line) of \(part) in \(file) is not well-formed XML: \(detail)."
        case let .tooDeep(file, part, line, limit):
            return "工作簿 \(file) 的 \(part) 第 \(line) 行嵌套超过 \(limit) 层，已拒绝。Line \(line) of \(part) in \(file) nests elements deeper than \(limit); refused."
        case let .tooManyStrings(file, limit):
            return "工作簿 \(file) 的共享字符串超过 \(limit) 条，已拒绝。The workbook \(file) holds more than \(limit) shared strings; refused."
        case let .tooManyCells(file, sheet, limit):
            return "工作簿 \(file) 工作表“\(sheet)”的非空单元格（或合并区域）超过 \(limit) 个，已拒绝；请只保留要导入的数据。Sheet \"\(sheet)\" of \(file) holds more than \(limit) non-empty cells or merged ranges; refused."
        case let .noSheet(file):
            return "工作簿 \(file) 中没有工作表。The workbook \(file) holds no worksheet."
        case let .unknownSheet(file, sheet, available):
            return "工作簿 \(file) 中没有名为“\(sheet)”的工作表；现有：\(available.map { "“\($0)”" }.joined(separator: "、"))。The workbook \(file) has no sheet \"\(sheet)\"; it has \(available.map { "\"\($0)\"" }.joined(separator: ", "))."
        case let .notAWorksheet(file, sheet):
            return "工作簿 \(file) 中的“\(sheet)”是图表或对话框工作表，没有单元格。\"\(sheet)\" in \(file) is a chart or dialog sheet, not a worksheet."
        case let .badCell(location, detail):
            return "\(location.chinese)无法读取：\(detail)。\(location.english) cannot be read: \(detail)."
        case let .cellTooLong(location, limit):
            return "\(location.chinese)内容过长（超过 \(limit) 字节）。\(location.english) is longer than \(limit) bytes."
        case let .errorCell(location, value):
            return "\(location.chinese)是错误值 \(value)，请改正公式或填入数值后再导入。\(location.english) holds the error value \(value); correct it and import again."
        case let .noCachedValue(location):
            return "\(location.chinese)是没有计算结果的公式：请在 Excel 或 WPS 中打开并保存一次后再导入。\(location.english) is a formula with no saved result; open the file in Excel and save it, then import again."
        case let .badDate(location, serial):
            return "\(location.chinese)是日期格式，但数值 \(serial) 不是有效日期。\(location.english) is formatted as a date, but \(serial) is no valid date."
        case let .noHeader(file, sheet, expected):
            return "工作簿 \(file) 工作表“\(sheet)”的前 \(SheetTable.headerSearchRows) 行中找不到表头行（应含 \(expected) 等列名）。No header row naming \(expected) in the first \(SheetTable.headerSearchRows) rows of sheet \"\(sheet)\" in \(file)."
        case let .mergedHeader(location, range):
            return "\(location.chinese)所在的表头有合并单元格 \(range)：表头应为一行、每列一个列名，请取消合并后再导入。The header row has the merged cells \(range) at \(location.english): use one header row with one name per column."
        case let .cellWithoutHeader(location):
            return "\(location.chinese)有内容，但这一列没有列名：请补上列名或删去这一列的内容。\(location.english) holds a value, but its column has no header."
        case let .textTooLong(sheet, row, column, length):
            return "工作表“\(sheet)”第 \(row) 行 \(CellAddress.letters(column: column)) 列的文字有 \(length) 个字符，超过 Excel 单元格上限 32767。Sheet \"\(sheet)\" row \(row) column \(CellAddress.letters(column: column)): \(length) characters, more than an Excel cell holds (32,767)."
        case let .rowWidth(sheet, row, values, columns):
            return "工作表“\(sheet)”第 \(row) 行有 \(values) 个值，表头有 \(columns) 列。Sheet \"\(sheet)\" row \(row) has \(values) values for \(columns) columns."
        case let .scratchUnavailable(detail):
            return "无法建立读取工作簿所需的临时文件（\(detail)），请检查临时目录。Cannot make the scratch file a workbook is read from: \(detail)."
        case let .fileExists(path):
            return "文件 \(path) 已存在，不会覆盖；请换一个文件名。\(path) exists and is not overwritten; choose another name."
        case let .writeFailed(path, detail):
            return "无法写入工作簿 \(path)（\(detail)），请检查目录。Cannot write the workbook \(path): \(detail)."
        }
    }
}
