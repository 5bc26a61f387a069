/// Why `audit witness` could not get the ledger's checkpoint cosigned, or refused what a witness
/// answered (the log side of C2SP tlog-witness v1.0.0). Nothing is stored when one is thrown.
public enum CosignRefusal: StageRefusal, Equatable {
    /// No witness to ask: no `--url`, no witness URL in the policy, and no offline file.
    case noWitness
    /// `--url` is not an http(s) URL.
    case badURL(url: String)
    /// `--witness` is not a cosignature/v1 verifier key.
    case badWitnessKey(vkey: String, reason: String)
    /// The witness could not be reached.
    case unreachable(source: String, reason: String)
    /// The answer (or the response file) is not a tlog-witness answer.
    case badResponse(source: String, reason: String)
    /// 404: the witness does not know this log; the county must `witness add-log` it first.
    case unknownLog(source: String, origin: String, vkey: String)
    /// 403: the witness does not trust the key that signed the checkpoint.
    case untrustedKey(source: String, origin: String)
    /// 422: the witness cosigned a checkpoint of `oldSize` entries that this ledger does not extend.
    case inconsistent(source: String, oldSize: Int, size: Int)
    /// 409 at our own size: the witness cosigned another checkpoint of this size — a split view.
    case splitView(source: String, size: Int)
    /// The witness cosigned a larger checkpoint of this log than the ledger's latest.
    case witnessAhead(source: String, witnessSize: Int, size: Int)
    /// The witness kept answering 409 with new sizes.
    case tooManyConflicts(source: String)
    /// Another refusal (400 …), with the witness's reason.
    case refused(source: String, status: Int, reason: String)
    /// Offline 409: the witness has cosigned up to `size`; a new request must start there.
    case retryFrom(source: String, size: Int, request: String)
    /// A line of a pinned witness key does not verify over the checkpoint.
    case badCosignature(source: String, witness: String)
    /// The answer carries no cosignature of any pinned witness key.
    case noPinnedCosignature(source: String)
    /// The request file names a checkpoint this ledger has not stored.
    case requestNotHere(path: String)
    /// `--old` is larger than the checkpoint.
    case oldTooLarge(old: Int, size: Int)

    public var plainCaseName: String? {
        switch self {
        case .noWitness: "noWitness"
        default: nil
        }
    }

    public var codePrefix: String { "cosign" }

    /// Bad input (a URL, a key, a file) is 2; a witness that refuses or answers falsely is 1.
    public var exitStatus: Int32 {
        switch self {
        case .noWitness, .badURL, .badWitnessKey, .badResponse, .requestNotHere, .oldTooLarge: 2
        default: 1
        }
    }

    public var description: String {
        switch self {
        case .noWitness:
            "没有可请求的见证人：请给出 --url、含见证人地址的 --policy，或离线的 --request-out / --response。Give --url, a --policy naming a witness URL, or --request-out / --response."
        case let .badURL(url): "见证人地址“\(url)”不是 http:// 或 https:// 地址。The witness URL \(url) is not an http(s) URL."
        case let .badWitnessKey(vkey, reason):
            "“\(vkey)”不是见证人的验证密钥（cosignature/v1）：\(reason)。\(vkey) is not a cosignature/v1 verifier key."
        case let .unreachable(source, reason): "无法连接见证人 \(source)（\(reason)），请检查网络或改用离线文件。The witness at \(source) cannot be reached."
        case let .badResponse(source, reason): "\(source) 的回复不是见证协议的回复（\(reason)）。The answer from \(source) is not a tlog-witness answer."
        case let .unknownLog(source, origin, vkey):
            "见证人 \(source) 不认识日志 \(origin)：请县级见证人先执行 piaojue witness add-log --origin '\(origin)' --vkey '\(vkey)'。The witness does not know the log \(origin); it must add-log it with this vkey first."
        case let .untrustedKey(source, origin):
            "见证人 \(source) 不信任 \(origin) 的签名密钥：请核对在见证人处登记的验证密钥。The witness does not trust the key that signed the checkpoint of \(origin)."
        case let .inconsistent(source, oldSize, size):
            "见证人 \(source) 已副署的 \(oldSize) 条检查点不是本账本 \(size) 条历史的前缀：历史已被改写或另有分叉，见证人已留存证据。The checkpoint of \(oldSize) entries the witness cosigned is not a prefix of this ledger: history was rewritten."
        case let .splitView(source, size):
            "见证人 \(source) 已副署另一个 \(size) 条的检查点：同一大小有两个不同的根（分叉视图），见证人已留存证据。The witness cosigned another checkpoint of \(size) entries: a split view."
        case let .witnessAhead(source, witnessSize, size):
            "见证人 \(source) 已副署到 \(witnessSize) 条，本账本最新检查点只有 \(size) 条：本账本缺少已副署的记录。The witness cosigned \(witnessSize) entries, more than this ledger's \(size)."
        case let .tooManyConflicts(source): "见证人 \(source) 反复回复 409，请稍后重试。The witness kept answering 409; try again later."
        case let .refused(source, status, reason): "见证人 \(source) 拒绝副署（\(status)：\(reason)）。The witness refused with status \(status)."
        case let .retryFrom(source, size, request):
            request.isEmpty
                ? "见证人已副署到 \(size) 条（\(source)）：请用 --request-out 从该大小生成新的请求。The witness is at size \(size); write a new request from it with --request-out."
                : "见证人已副署到 \(size) 条（\(source)）：已从该大小生成新的请求 \(request)，请再送见证人副署。The witness is at size \(size); a new request was written to \(request)."
        case let .badCosignature(source, witness):
            "\(source) 回复中见证人 \(witness) 的副署不能通过其验证密钥核验，未保存。The cosignature of \(witness) does not verify; nothing was stored."
        case let .noPinnedCosignature(source): "\(source) 的回复中没有所指定见证人的副署，未保存。The answer carries no cosignature of the pinned witness keys."
        case let .requestNotHere(path): "请求文件 \(path) 中的检查点不是本账本保存的检查点。The request \(path) names a checkpoint this ledger has not stored."
        case let .oldTooLarge(old, size): "--old \(old) 大于检查点的大小 \(size)。--old \(old) is larger than the checkpoint (\(size))."
        }
    }
}

/// Why `rollup` cannot start (exit status 2): nothing is written.
public enum RollupRefusal: StageRefusal, Equatable {
    /// No bundle directory given.
    case noBundles
    /// The same directory given twice.
    case duplicateBundle(path: String)
    /// `--out` is one of the bundles.
    case outIsBundle(path: String)

    public var plainCaseName: String? {
        switch self {
        case .noBundles: "noBundles"
        default: nil
        }
    }

    public var codePrefix: String { "rollup" }
    public var exitStatus: Int32 { 2 }

    public var description: String {
        switch self {
        case .noBundles: "请给出至少一个乡镇的公开包目录。Give at least one township bundle directory."
        case let .duplicateBundle(path): "公开包目录 \(path) 重复给出。The bundle directory \(path) is given twice."
        case let .outIsBundle(path): "输出目录 \(path) 不能是公开包目录。The output directory \(path) cannot be a bundle."
        }
    }
}
