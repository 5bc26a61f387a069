public import PiaojueDomain

/// Why the witness did not cosign a checkpoint, with the HTTP status c2sp.org/tlog-witness@v1.0.0
/// prescribes for it. Each is a refusal (exit status 1 on the offline path).
public enum WitnessRefusal: ClerkFacingError, Equatable {
    /// 400: the body is not `old N`, ≤ 63 proof lines, an empty line and a signed checkpoint.
    case malformed(reason: String)
    /// 400: the old size is larger than the checkpoint's size.
    case oldSizeTooLarge(origin: String, oldSize: Int, size: Int)
    /// 400: a proof was sent where none may be (old size 0, or old size equal to the checkpoint's).
    case proofNotEmpty(origin: String, oldSize: Int, size: Int)
    /// 404: the witness does not know the checkpoint's origin.
    case unknownLog(origin: String)
    /// 403: no signature of a key trusted for the origin is on the checkpoint.
    case noTrustedSignature(origin: String)
    /// 403: a signature line of a trusted key does not verify, so the whole note is rejected.
    case invalidSignature(origin: String, keyName: String)
    /// 409: the old size is not the size of the latest checkpoint the witness cosigned.
    case conflict(origin: String, oldSize: Int, latestSize: Int)
    /// 409: the checkpoint has the size of the latest cosigned one but another root — a split view.
    case splitView(origin: String, size: Int, latestSize: Int)
    /// 422: the consistency proof from the old size to the checkpoint does not verify.
    case inconsistent(origin: String, oldSize: Int, size: Int)

    /// The HTTP status of the refusal.
    public var httpStatus: Int {
        switch self {
        case .malformed, .oldSizeTooLarge, .proofNotEmpty: 400
        case .noTrustedSignature, .invalidSignature: 403
        case .unknownLog: 404
        case .conflict, .splitView: 409
        case .inconsistent: 422
        }
    }

    /// For a 409, the latest cosigned size the client should retry from.
    public var latestSize: Int? {
        switch self {
        case let .conflict(_, _, latest), let .splitView(_, _, latest): latest
        default: nil
        }
    }

    public var exitStatus: Int32 { 1 }

    public var code: String {
        switch self {
        case .malformed: "witness.malformed"
        case .oldSizeTooLarge: "witness.old-size-too-large"
        case .proofNotEmpty: "witness.proof-not-empty"
        case .unknownLog: "witness.unknown-log"
        case .noTrustedSignature: "witness.no-trusted-signature"
        case .invalidSignature: "witness.invalid-signature"
        case .conflict: "witness.conflict"
        case .splitView: "witness.split-view"
        case .inconsistent: "witness.inconsistent"
        }
    }

    public var details: ErrorDetails {
        switch self {
        case let .malformed(reason): ["reason": .text(reason), "status": .number(httpStatus)]
        case let .oldSizeTooLarge(origin, old, size), let .proofNotEmpty(origin, old, size), let .inconsistent(origin, old, size):
            ["origin": .text(origin), "old_size": .number(old), "size": .number(size), "status": .number(httpStatus)]
        case let .unknownLog(origin), let .noTrustedSignature(origin):
            ["origin": .text(origin), "status": .number(httpStatus)]
        case let .invalidSignature(origin, keyName):
            ["origin": .text(origin), "key_name": .text(keyName), "status": .number(httpStatus)]
        case let .conflict(origin, old, latest):
            ["origin": .text(origin), "old_size": .number(old), "latest_size": .number(latest), "status": .number(httpStatus)]
        case let .splitView(origin, size, latest):
            ["origin": .text(origin), "size": .number(size), "latest_size": .number(latest), "status": .number(httpStatus)]
        }
    }

    public var description: String {
        switch self {
        case let .malformed(reason):
            "见证请求格式不对：\(reason)。The add-checkpoint request is malformed: \(reason)."
        case let .oldSizeTooLarge(origin, old, size):
            "日志 \(origin) 的请求旧大小 \(old) 大于检查点大小 \(size)。The old size \(old) exceeds the checkpoint size \(size)."
        case let .proofNotEmpty(origin, old, size):
            "日志 \(origin) 从 \(old) 到 \(size) 不应附一致性证明。No consistency proof may accompany old size \(old) for a checkpoint of size \(size)."
        case let .unknownLog(origin):
            "本见证人不认识日志 \(origin)，请先 witness add-log。This witness does not know the log \(origin)."
        case let .noTrustedSignature(origin):
            "检查点上没有日志 \(origin) 受信任密钥的签名。No signature of a key trusted for \(origin) is on the checkpoint."
        case let .invalidSignature(origin, keyName):
            "日志 \(origin) 受信任密钥 \(keyName) 的签名无效，整份检查点被拒。The signature of trusted key \(keyName) does not verify; the checkpoint is rejected."
        case let .conflict(origin, old, latest):
            "日志 \(origin) 的旧大小 \(old) 不是本见证人最近副署的大小 \(latest)，请从 \(latest) 重新提交。Old size \(old) is not the latest cosigned size \(latest); retry from \(latest)."
        case let .splitView(origin, size, _):
            "日志 \(origin) 大小 \(size) 的检查点与本见证人已副署的根不同：分叉视图，已留作证据。A checkpoint of size \(size) with another root than the cosigned one: a split view, kept as evidence."
        case let .inconsistent(origin, old, size):
            "日志 \(origin) 从 \(old) 到 \(size) 的一致性证明不成立，已留作证据。The consistency proof from \(old) to \(size) does not verify; kept as evidence."
        }
    }
}
