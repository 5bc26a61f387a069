/// Why a roster (代表名册) or a raters' list cannot be recorded.
public enum RosterRefusal: StageRefusal, Equatable {
    case empty(file: String)
    case missingID(file: String, line: Int)
    case badID(file: String, line: Int, id: String)
    case missingName(file: String, line: Int)
    case duplicateID(file: String, line: Int, id: String, firstLine: Int)
    case invisibleInID(file: String, line: Int, id: String, character: String)
    case lookAlikeID(file: String, line: Int, id: String, existing: String, firstLine: Int)
    case unknownColumn(file: String, column: String)
    case duplicateColumn(file: String, column: String)
    case missingColumns(file: String)
    case unknownStatus(file: String, line: Int, status: String)
    /// No roster was imported yet (exit 1).
    case noRoster

    public var plainCaseName: String? {
        switch self {
        case .noRoster: "noRoster"
        default: nil
        }
    }

    public var codePrefix: String { "roster" }
    public var exitStatus: Int32 { self == .noRoster ? 1 : 2 }

    public var description: String {
        switch self {
        case let .empty(file): "名册 \(file) 中没有代表。The roster \(file) lists no deputies."
        case let .missingID(file, line): "名册 \(file) 第 \(line) 行缺少代表编号 id。Line \(line): the deputy id is empty."
        case let .badID(file, line, id):
            "名册 \(file) 第 \(line) 行的代表编号“\(id)”含有空格、逗号或分号，或过长。Line \(line): the id \"\(id)\" is not a plain id."
        case let .missingName(file, line): "名册 \(file) 第 \(line) 行缺少姓名 name。Line \(line): the name is empty."
        case let .duplicateID(file, line, id, first):
            "名册 \(file) 第 \(line) 行的编号 \(id) 与第 \(first) 行重复。Line \(line): id \(id) repeats line \(first)."
        case let .invisibleInID(file, line, id, character):
            "名册 \(file) 第 \(line) 行的代表编号“\(id)”含有不可见字符或控制字符 \(character)（常见于从网页、Word 或聊天软件复制的文字），请删去后重新导入。Line \(line): the id \"\(id)\" holds the invisible character \(character)."
        case let .lookAlikeID(file, line, id, existing, first):
            "名册 \(file) 第 \(line) 行的代表编号“\(id)”与第 \(first) 行的“\(existing)”只有全角半角或大小写之别，是同一编号，不予导入；请核对后只保留一行。Line \(line): the id \"\(id)\" is a look-alike of \"\(existing)\" on line \(first) (only width or case differs)."
        case let .unknownColumn(file, column):
            "名册 \(file) 的表头“\(column)”无法识别，应为 id,name[,delegation][,status]（或 编号,姓名,代表团,状态）。Unknown roster column \"\(column)\"."
        case let .duplicateColumn(file, column): "名册 \(file) 的表头“\(column)”重复。The column \"\(column)\" appears twice."
        case let .missingColumns(file): "名册 \(file) 的表头必须包含 id 和 name 两列。The roster header needs id and name."
        case let .unknownStatus(file, line, status):
            "名册 \(file) 第 \(line) 行的状态“\(status)”无法识别，应为 seated/在任 或 suspended/暂停。Line \(line): unknown status."
        case .noRoster: "尚未导入代表名册，请先运行 `piaojue roster import FILE`。No roster imported yet; import it first."
        }
    }
}
