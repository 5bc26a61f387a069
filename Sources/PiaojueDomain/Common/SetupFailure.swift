/// Why `init` or the settings of a command cannot be used (exit 2).
public enum SetupFailure: StageRefusal, Equatable {
    case bodyName
    case now(value: String)
    case nowBeforeLastEntry(now: String, last: String)
    /// `init --crypto NAME` names no suite (`standard`, `gm`).
    case unknownCryptoSuite(name: String)
    /// `init --also-ed25519` without `--crypto gm`: a standard ledger's key is Ed25519 already.
    case alsoEd25519NeedsGM

    public var plainCaseName: String? {
        switch self {
        case .bodyName: "bodyName"
        case .alsoEd25519NeedsGM: "alsoEd25519NeedsGM"
        default: nil
        }
    }

    public var codePrefix: String { "setup" }
    public var exitStatus: Int32 { 2 }

    public var description: String {
        switch self {
        case .bodyName: "机关名称 --body 不能为空，且不超过 100 字。--body must name the congress (1–100 characters)."
        case let .now(value):
            "环境变量 PIAOJUE_NOW=“\(value)”应写成 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM:SSZ。PIAOJUE_NOW must be a date or UTC time."
        case let .nowBeforeLastEntry(now, last):
            "时间 \(now)（PIAOJUE_NOW 或系统时钟）早于账本最后一条记录的时间 \(last)，账本的时间不能倒退；请检查 PIAOJUE_NOW。The time \(now) is before the last entry (\(last)); ledger time never goes backwards."
        case let .unknownCryptoSuite(name):
            "密码算法套件 --crypto “\(name)” 无效，应为 standard（Ed25519 + SHA-256）或 gm（国密 SM2 + SM3）。--crypto \(name) is not a suite: use standard or gm."
        case .alsoEd25519NeedsGM:
            "--also-ed25519 只用于 --crypto gm 的账本（standard 账本的密钥本就是 Ed25519）。--also-ed25519 is for --crypto gm ledgers only."
        }
    }
}

/// Why publishing, proving or checking a receipt or a checkpoint is refused.
public enum AuditFailure: StageRefusal, Equatable {
    case notTallied(session: String)
    case noSession(session: String)
    case badReceipt(text: String)
    case receiptNotFound(receipt: String)
    case noCheckpoint
    case notACheckpoint(path: String, why: String)
    case noBundle(path: String)
    case badTrustedKey(value: String)
    case badProof(path: String, why: String)

    public var plainCaseName: String? {
        switch self {
        case .noCheckpoint: "noCheckpoint"
        default: nil
        }
    }

    public var codePrefix: String { "audit" }

    public var exitStatus: Int32 {
        switch self {
        case .notTallied, .receiptNotFound, .noCheckpoint: 1
        default: 2
        }
    }

    public var description: String {
        switch self {
        case let .notTallied(session): "会期 \(session) 尚未计票，计票后才能公开。Tally \(session) before publishing it."
        case let .noSession(session): "没有编号为 \(session) 的会期。No session \(session)."
        case let .badReceipt(text): "回执“\(text)”不是 64 位十六进制数。A receipt is 64 hex digits."
        case let .receiptNotFound(receipt): "账本中没有回执为 \(receipt) 的条目。No entry with this receipt is in the ledger."
        case .noCheckpoint: "账本中还没有检查点。No checkpoint yet."
        case let .notACheckpoint(path, why): "\(path) 不是签名检查点（\(why)）。\(path) is not a signed checkpoint."
        case let .noBundle(path): "公开包目录“\(path)”不存在。The bundle directory \(path) does not exist."
        case let .badTrustedKey(value):
            "--trusted-key “\(value)” 既不是 PEM 公钥文件，也不是公钥（Ed25519 32 字节或 SM2 65 字节）的 base64。--trusted-key must be a PEM file or base64 of the raw key (32 bytes Ed25519, 65 bytes SM2)."
        case let .badProof(path, why): "\(path) 不是回执证明（\(why)）。\(path) is not a receipt proof."
        }
    }
}
