/// Why an input file cannot be read or an output file or directory cannot be written (exit 2).
/// Nothing reaches the ledger when one of these is thrown.
public enum FileFailure: StageRefusal, Equatable {
    // Reading.
    case missing(path: String)
    case notRegular(path: String)
    case tooLarge(path: String, bytes: Int, limit: Int)
    case unreadable(path: String)
    case notUTF8(file: String, line: Int)
    case listNotUTF8(file: String, line: Int)
    case notGB18030(file: String, line: Int)
    case declaredGB18030ButUTF8(file: String)
    case utf16(file: String)
    case noConverter(charset: String)
    // CSV.
    case fieldTooLong(file: String, line: Int, column: Int, bytes: Int, limit: Int)
    case nulByte(file: String, line: Int)
    case misplacedQuote(file: String, line: Int)
    case textAfterQuote(file: String, line: Int)
    case unclosedQuote(file: String, line: Int)
    case empty(file: String)
    case fieldCount(file: String, line: Int, fields: Int, header: Int)
    /// `--sheet` given for a file that is CSV text, not an .xlsx workbook.
    case sheetForCSV(file: String, sheet: String)
    // Writing.
    case outputMissing
    case outputExists(path: String)
    case outputIsSymlink(path: String)
    case outputDirectoryMissing(path: String, directory: String)
    case outputDirectoryNotWritable(path: String, directory: String)
    case outputClimbs(path: String)
    case notADirectory(path: String)
    case directoryNotEmpty(path: String)
    case cannotCreate(path: String, why: String)
    case writeFailed(path: String, why: String)
    case cannotPlace(path: String, why: String, kept: String)

    public var plainCaseName: String? {
        switch self {
        case .outputMissing: "outputMissing"
        default: nil
        }
    }

    public var codePrefix: String { "file" }
    public var exitStatus: Int32 { 2 }

    public var description: String {
        switch self {
        case let .missing(path): "找不到文件 \(path)，请检查路径。File \(path) not found."
        case let .notRegular(path): "\(path) 不是普通文件。\(path) is not a regular file."
        case let .tooLarge(path, bytes, limit): "文件 \(path) 过大（\(bytes) 字节，上限 \(limit)）。\(path) is too large."
        case let .unreadable(path): "无法读取文件 \(path)（没有读取权限？）。Cannot read \(path)."
        case let .notUTF8(file, line):
            "文件 \(file) 第 \(line) 行不是有效的 UTF-8 文本；如果是 Excel 在中文 Windows 上导出的 CSV，请加 --encoding gb18030。Line \(line) of \(file) is not valid UTF-8; for Excel exports from Chinese Windows add --encoding gb18030."
        case let .listNotUTF8(file, line):
            "文件 \(file) 第 \(line) 行不是有效的 UTF-8 文本；请用记事本打开，“另存为”时编码选 UTF-8，每行写一个代表编号。Line \(line) of \(file) is not valid UTF-8: save the list as UTF-8 text, one id a line."
        case let .notGB18030(file, line): "文件 \(file) 第 \(line) 行不是有效的 GB18030 文本，请确认文件编码。Line \(line) of \(file) is not valid GB18030."
        case let .declaredGB18030ButUTF8(file):
            "文件 \(file) 是 UTF-8 文本，却按 --encoding gb18030 读取会成为乱码；请去掉 --encoding gb18030。\(file) is UTF-8 text: drop --encoding gb18030."
        case let .utf16(file):
            "文件 \(file) 是 UTF-16（或 UTF-32）编码的文本（如 Excel 的“Unicode 文本”、记事本的“Unicode”），请另存为 UTF-8：表格选“CSV UTF-8”，名单等文本文件选“UTF-8”。\(file) is UTF-16 text; save it as UTF-8 (CSV UTF-8 for a spreadsheet)."
        case let .noConverter(charset): "本机的 iconv 不支持 \(charset) 编码。The system iconv cannot decode \(charset)."
        case let .fieldTooLong(file, line, column, bytes, limit):
            "文件 \(file) 第 \(line) 行第 \(column) 列过长（\(bytes) 字节，上限 \(limit)）。Field \(column) on line \(line) of \(file) is too long."
        case let .nulByte(file, line): "文件 \(file) 第 \(line) 行含有 NUL 空字符，不是正常的表格文本。Line \(line) of \(file) contains a NUL byte."
        case let .misplacedQuote(file, line):
            "文件 \(file) 第 \(line) 行的引号位置不对（引号应包住整个单元格）。A quote is misplaced on line \(line) of \(file)."
        case let .textAfterQuote(file, line): "文件 \(file) 第 \(line) 行的引号后面还有文字。Text follows a closing quote on line \(line) of \(file)."
        case let .unclosedQuote(file, line): "文件 \(file) 第 \(line) 行的引号没有闭合。An opening quote on line \(line) of \(file) is never closed."
        case let .empty(file): "文件 \(file) 是空的，至少需要表头一行。\(file) is empty; it needs a header line."
        case let .fieldCount(file, line, fields, header):
            "文件 \(file) 第 \(line) 行有 \(fields) 列，表头有 \(header) 列：请补齐空列或删去多余的逗号（内容本身含逗号时请用英文双引号括起）。Line \(line) of \(file) has \(fields) fields; the header has \(header): fill in or remove fields, and quote a value that holds a comma."
        case let .sheetForCSV(file, sheet):
            "文件 \(file) 是 CSV 文本而不是 .xlsx 工作簿，没有工作表“\(sheet)”：请去掉 --sheet。\(file) is CSV text, not an .xlsx workbook: it has no sheet \"\(sheet)\"; drop --sheet."
        case .outputMissing: "请用 --out 指定输出位置。Give --out."
        case let .outputExists(path): "\(path) 已存在，不会覆盖；请换一个新的文件名。\(path) exists; it is never overwritten."
        case let .outputIsSymlink(path): "\(path) 是符号链接，拒绝写入；请给出一个普通的新文件名。\(path) is a symbolic link; give a plain new file."
        case let .outputDirectoryMissing(path, directory):
            "\(path) 所在的目录 \(directory) 不存在。The directory \(directory) of \(path) does not exist."
        case let .outputDirectoryNotWritable(path, directory):
            "\(path) 所在的目录 \(directory) 不可写。The directory \(directory) of \(path) is not writable."
        case let .outputClimbs(path):
            "输出位置“\(path)”含有“..”，为防止写到指定位置以外，拒绝写入；请给出明确的目录。The --out path climbs out with \"..\"; give a plain directory."
        case let .notADirectory(path): "“\(path)”已存在且不是目录（或是符号链接），拒绝写入。\(path) exists and is not a plain directory."
        case let .directoryNotEmpty(path): "目录“\(path)”不是空的，为免覆盖，拒绝写入；请指定一个新目录。The directory \(path) is not empty."
        case let .cannotCreate(path, why): "无法创建 \(path)（\(why)）。Cannot create \(path)."
        case let .writeFailed(path, why): "写入 \(path) 失败（\(why)）。Writing \(path) failed."
        case let .cannotPlace(path, why, kept):
            "无法把文件放到 \(path)（\(why)）；内容保存在 \(kept)，请把它改名为所需的文件名，勿删除。Cannot place \(path); its content is kept in \(kept): rename it, do not delete it."
        }
    }
}
