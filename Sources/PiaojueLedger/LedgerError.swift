public import PiaojueDomain

/// Why the ledger could not be opened, created or written. Every case reads as one sentence a clerk
/// understands, Chinese first, naming the file and saying what to do.
public enum LedgerError: StageRefusal, Equatable {
    case missing(path: String)
    case alreadyExists(path: String)
    case notALedger(path: String)
    case newerSchema(path: String, found: Int, supported: Int)
    case olderSchema(path: String, found: Int, supported: Int)
    case corrupt(path: String, detail: String)
    case cannotCreate(path: String, detail: String)
    case keyMissing(path: String)
    case keyExists(path: String)
    case keyTooOpen(path: String, mode: String)
    case keyUnreadable(path: String, detail: String)
    case wrongKey(path: String)
    case needsBodyKey
    case appendOnly
    case credentialAlreadyUsed
    case busy(path: String)
    case storage(detail: String)
    case notStored(index: Int)
    /// Reading every entry found another number of a session's ballots than its index gives: the
    /// index (or the `session`/`kind` columns) is damaged; nothing is counted or signed from it.
    case indexDisagrees(session: String, scanned: Int, indexed: Int)
    /// The signed checkpoints cover more entries than the ledger holds: entries were removed.
    case entriesMissing(covered: Int, present: Int)

    public var plainCaseName: String? {
        switch self {
        case .needsBodyKey: "needsBodyKey"
        case .appendOnly: "appendOnly"
        case .credentialAlreadyUsed: "credentialAlreadyUsed"
        default: nil
        }
    }

    public var codePrefix: String { "ledger" }

    /// A used credential and an attempt to change history are rule refusals (1); everything else
    /// is about the file, the key or the input (2).
    public var exitStatus: Int32 {
        switch self {
        case .credentialAlreadyUsed, .appendOnly, .indexDisagrees, .entriesMissing: 1
        default: 2
        }
    }

    public var description: String {
        switch self {
        case let .missing(path):
            return "账本文件不存在：\(path)。请先运行 `piaojue init`，或用 --db 指定账本。No ledger at \(path); run `piaojue init` first or pass --db."
        case let .alreadyExists(path):
            return "账本文件已存在：\(path)，不会覆盖。A ledger already exists at \(path); it is never overwritten."
        case let .notALedger(path):
            return "\(path) 不是 Piaojue 账本（不是 SQLite 文件，或不是本程序创建的）。\(path) is not a Piaojue ledger."
        case let .newerSchema(path, found, supported):
            return "账本 \(path) 由更新版本的 Piaojue 写入（结构版本 \(found)，本程序支持到 \(supported)），请升级程序。The ledger was written by a newer Piaojue (schema \(found) > \(supported)); upgrade piaojue."
        case let .olderSchema(path, found, supported):
            return "账本 \(path) 的结构版本 \(found) 旧于 \(supported)，只读核验前请先用写命令升级。The ledger schema \(found) is older than \(supported)."
        case let .corrupt(path, detail):
            return "账本文件 \(path) 已损坏或被截断（\(detail)），请从备份恢复。The ledger file is damaged or truncated; restore it from a backup."
        case let .cannotCreate(path, detail):
            return "无法创建 \(path)（\(detail)），请检查目录是否存在且可写。Cannot create \(path): \(detail)."
        case let .keyMissing(path):
            return "找不到机关签名密钥文件：\(path)。请用 --key 指定，或设置 PIAOJUE_KEY。The body's key file \(path) does not exist."
        case let .keyExists(path):
            return "密钥文件已存在：\(path)，不会覆盖。A key file already exists at \(path); it is never overwritten."
        case let .keyTooOpen(path, mode):
            return "密钥文件 \(path) 的权限为 \(mode)，他人可读，拒绝使用；请执行 chmod 600 \(path)。The key file is readable by group or others (mode \(mode)); run chmod 600."
        case let .keyUnreadable(path, detail):
            return "无法读取密钥文件 \(path)（\(detail)）。Cannot read the key file \(path)."
        case let .wrongKey(path):
            return "密钥文件 \(path) 不是本账本的机关密钥（公钥不符）。The key in \(path) is not this ledger's body key."
        case .needsBodyKey:
            return "此操作需要机关签名密钥，请用 --key 指定密钥文件。This action needs the body's signing key (--key)."
        case .appendOnly:
            return "账本只允许追加，拒绝修改或删除已有记录。The ledger is append-only; updates and deletes are refused."
        case .credentialAlreadyUsed:
            return "该投票凭证已经使用过，第一次投出的选票有效，本次拒绝。This credential has already been used; the first ballot stands."
        case let .busy(path):
            return "账本 \(path) 正被其他程序长时间占用，请稍后重试。The ledger is locked by another process for too long; try again."
        case let .storage(detail):
            return "账本读写失败：\(detail)。Ledger storage error: \(detail)."
        case let .indexDisagrees(session, scanned, indexed):
            return "逐条读取账本得到会期 \(session) 的选票 \(scanned) 张，而索引给出 \(indexed) 张：账本索引已损坏，拒绝据此结束投票或计票；请运行 `piaojue audit verify`。Reading every entry finds \(scanned) ballots of \(session), the index \(indexed): the index is damaged, nothing is counted or signed."
        case let .entriesMissing(covered, present):
            return "已签名的检查点覆盖 \(covered) 条记录，账本中只有 \(present) 条：有记录被删除，拒绝继续写入；请从备份恢复并运行 `piaojue audit verify`。Signed checkpoints cover \(covered) entries but the ledger holds \(present): entries were removed."
        case let .notStored(index):
            return "第 \(index) 条记录没有写入账本（数据库中可能有外来的触发器），已全部撤销；请运行 `piaojue audit verify` 检查账本结构。Entry \(index) was not stored (a foreign trigger?); nothing was written — run piaojue audit verify."
        }
    }
}
