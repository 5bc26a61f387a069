public import PiaojueDomain

/// A witness command that could not be carried out: bad input (exit status 2) or a refusal (1).
public enum WitnessFailure: ClerkFacingError, Equatable {
    /// `witness init` found a key or state file already there; nothing is overwritten.
    case alreadyExists(path: String)
    /// No witness state at this directory.
    case missing(directory: String)
    /// The file is not a witness state file (or is damaged).
    case notAWitness(path: String)
    /// The state file was written by a newer program.
    case newerState(path: String, found: Int, supported: Int)
    /// The name cannot name a note key (empty, a space or a +).
    case badName(String)
    /// The origin cannot name a log (empty, or a control character or newline).
    case badOrigin(String)
    /// The verifier key is malformed or of a type not accepted for a log.
    case badVerifierKey(vkey: String, reason: String)
    /// The log is not known to this witness.
    case unknownLog(origin: String)
    /// `add-log` for an origin already trusted (add a key to it instead).
    case logExists(origin: String)
    /// The key is already one of the log's keys.
    case keyExists(origin: String, vkey: String)
    /// The key is not an active key of the log.
    case keyNotActive(origin: String, vkey: String)
    /// The key file cannot be created or read, or is open to others.
    case keyFile(path: String, detail: String)
    /// The key file does not hold the key the state file names.
    case keyMismatch(path: String)
    /// A request file cannot be read.
    case unreadable(path: String, detail: String)
    /// An output file exists; it is never overwritten.
    case outputExists(path: String)
    /// SQLite or the file system failed.
    case storage(detail: String)

    public var exitStatus: Int32 {
        switch self {
        case .logExists, .keyExists, .keyNotActive: 1
        default: 2
        }
    }

    public var code: String {
        switch self {
        case .alreadyExists: "witness.exists"
        case .missing: "witness.missing"
        case .notAWitness: "witness.not-a-witness"
        case .newerState: "witness.newer-state"
        case .badName: "witness.bad-name"
        case .badOrigin: "witness.bad-origin"
        case .badVerifierKey: "witness.bad-vkey"
        case .unknownLog: "witness.unknown-log"
        case .logExists: "witness.log-exists"
        case .keyExists: "witness.key-exists"
        case .keyNotActive: "witness.key-not-active"
        case .keyFile: "witness.key-file"
        case .keyMismatch: "witness.key-mismatch"
        case .unreadable: "witness.unreadable"
        case .outputExists: "witness.output-exists"
        case .storage: "witness.storage"
        }
    }

    public var details: ErrorDetails {
        switch self {
        case let .alreadyExists(path), let .notAWitness(path), let .keyMismatch(path), let .outputExists(path):
            ["path": .text(path)]
        case let .missing(directory): ["dir": .text(directory)]
        case let .newerState(path, found, supported):
            ["path": .text(path), "found": .number(found), "supported": .number(supported)]
        case let .badName(name): ["name": .text(name)]
        case let .badOrigin(origin), let .unknownLog(origin), let .logExists(origin): ["origin": .text(origin)]
        case let .badVerifierKey(vkey, reason): ["vkey": .text(vkey), "reason": .text(reason)]
        case let .keyExists(origin, vkey), let .keyNotActive(origin, vkey): ["origin": .text(origin), "vkey": .text(vkey)]
        case let .keyFile(path, detail), let .unreadable(path, detail): ["path": .text(path), "detail": .text(detail)]
        case let .storage(detail): ["detail": .text(detail)]
        }
    }

    public var description: String {
        switch self {
        case let .alreadyExists(path):
            "见证人文件 \(path) 已存在，不会覆盖。\(path) exists; a witness is never overwritten."
        case let .missing(directory):
            "目录 \(directory) 中没有见证人，请先 piaojue witness init --name NAME --dir \(directory)。No witness in \(directory)."
        case let .notAWitness(path):
            "\(path) 不是见证人状态文件或已损坏。\(path) is not a witness state file, or it is damaged."
        case let .newerState(path, found, supported):
            "见证人状态文件 \(path) 的版本 \(found) 比本程序支持的 \(supported) 新。\(path) was written by a newer program (version \(found) > \(supported))."
        case let .badName(name):
            "名称“\(name)”不能作签名密钥名（不能为空，不能含空格或 +）。\"\(name)\" cannot name a key (empty, a space or +)."
        case let .badOrigin(origin):
            "日志标识“\(origin)”无效（不能为空，不能含换行或控制字符）。\"\(origin)\" cannot be a log origin."
        case let .badVerifierKey(vkey, reason):
            "验证密钥“\(vkey)”无效：\(reason)。The verifier key \(vkey) is not accepted: \(reason)."
        case let .unknownLog(origin):
            "本见证人不认识日志 \(origin)。This witness does not know the log \(origin)."
        case let .logExists(origin):
            "日志 \(origin) 已受信任；轮换密钥请用 witness add-key。The log \(origin) is already trusted; add a key with witness add-key."
        case let .keyExists(origin, vkey):
            "密钥 \(vkey) 已是日志 \(origin) 的密钥（退役的密钥不能再启用）。\(vkey) is already a key of \(origin) (a retired key stays retired)."
        case let .keyNotActive(origin, vkey):
            "密钥 \(vkey) 不是日志 \(origin) 的在用密钥。\(vkey) is not an active key of \(origin)."
        case let .keyFile(path, detail):
            "见证人密钥文件 \(path) 不可用：\(detail)。The witness key file \(path) cannot be used: \(detail)."
        case let .keyMismatch(path):
            "密钥文件 \(path) 不是此见证人的密钥。The key in \(path) is not this witness's key."
        case let .unreadable(path, detail):
            "无法读取文件 \(path)：\(detail)。Cannot read \(path): \(detail)."
        case let .outputExists(path):
            "文件 \(path) 已存在，不会覆盖。\(path) exists; it is never overwritten."
        case let .storage(detail):
            "见证人状态读写失败：\(detail)。The witness state could not be read or written: \(detail)."
        }
    }
}
