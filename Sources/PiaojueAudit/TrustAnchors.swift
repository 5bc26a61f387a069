import Foundation
public import PiaojueCrypto
public import PiaojueDomain
public import PiaojueWitness

/// What the reader of a bundle or a ledger trusts from outside it: the body key (`--trusted-key`),
/// checkpoints received earlier (`--checkpoint`): a receipt's proof, a checkpoint read out or
/// cosigned by a witness, and the witnesses whose cosignatures the checkpoint must carry
/// (`--policy`). Without them `audit verify` trusts the bundle's own key, and says so.
public struct TrustAnchors: Sendable {
    /// The pinned body key, if any.
    public var bodyKey: VerifyingKey?
    /// Checkpoints the ledger must extend.
    public var checkpoints: [PinnedCheckpoint]
    /// The C2SP tlog-policy whose quorum of cosignatures the checkpoint must carry (one more
    /// check, after the others), if any.
    public var policy: TlogPolicy?

    public init(bodyKey: VerifyingKey? = nil, checkpoints: [PinnedCheckpoint] = [], policy: TlogPolicy? = nil) {
        self.bodyKey = bodyKey
        self.checkpoints = checkpoints
        self.policy = policy
    }

    /// Reads `--trusted-key`: a PEM file (SubjectPublicKeyInfo, Ed25519 or SM2) or the base64 of
    /// the raw bytes (32 Ed25519, 65 SM2 `04 ‖ x ‖ y`).
    public static func key(_ value: String) throws(AuditFailure) -> VerifyingKey {
        if let data = FileManager.default.contents(atPath: value),
            let key = try? VerifyingKey(pem: String(decoding: data, as: UTF8.self))
        {
            return key
        }
        if let bytes = Encoding.unbase64(value.trimmingCharacters(in: .whitespaces)) {
            for suite in CryptoSuite.allCases where suite.publicKeyByteCount == bytes.count {
                if let key = try? VerifyingKey(suite: suite, rawBytes: bytes) { return key }
            }
        }
        throw .badTrustedKey(value: value)
    }
}

/// A checkpoint given with `--checkpoint FILE`: a signed checkpoint note, or a
/// `c2sp.org/tlog-proof@v1` file whose checkpoint is taken.
public struct PinnedCheckpoint: Sendable {
    public let path: String
    public let note: SignedNote
    public let checkpoint: Checkpoint

    /// Reads the file; refused (exit 2) when it is neither form.
    public static func read(_ path: String) throws(AuditFailure) -> PinnedCheckpoint {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .notACheckpoint(path: path, why: "无法读取 / unreadable")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix(TlogProof.header + "\n") {
            do { text = try TlogProof(parsing: text).checkpoint } catch { throw .badProof(path: path, why: error.description) }
        }
        guard let note = try? SignedNote(parsing: text), let checkpoint = try? Checkpoint(text: note.text) else {
            throw .notACheckpoint(path: path, why: "不是 C2SP 签名检查点 / not a C2SP signed checkpoint")
        }
        return PinnedCheckpoint(path: path, note: note, checkpoint: checkpoint)
    }
}

/// Checks the pinned checkpoints against a ledger being streamed: each must be signed by the
/// trusted body key and its root must be the root of the ledger's first `size` entries (the
/// ledger extends it, RFC 9162 §2.1.4 — a prefix with the same root).
final class PinnedCheckpointCheck {
    private(set) var tally = CheckTally("外部检查点 / pinned checkpoints (--checkpoint) extended by this ledger")
    private let pinned: [PinnedCheckpoint]
    private var rootAtSize: [Int: [UInt8]] = [:]
    private let sizes: Set<Int>

    init(_ pinned: [PinnedCheckpoint]) {
        self.pinned = pinned
        sizes = Set(pinned.map(\.checkpoint.size))
    }

    /// Called with the frontier after each entry (and once before the first, for size 0).
    func observe(_ frontier: MerkleFrontier) {
        if sizes.contains(frontier.size) { rootAtSize[frontier.size] = frontier.root }
    }

    func finish(key: VerifyingKey?, keyName: String?, count: Int) -> CheckTally {
        var result = tally
        for item in pinned {
            let checkpoint = item.checkpoint
            guard let key, let keyName, checkpoint.origin == keyName, item.note.isSigned(by: key, keyName: keyName) else {
                result.fail("\(item.path) 不是受信任的机关公钥签名的本账本检查点 / \(item.path) is not signed by the trusted body key for this log")
                continue
            }
            guard checkpoint.size <= count else {
                result.fail("\(item.path) 覆盖 \(checkpoint.size) 条，账本只有 \(count) 条：已签名确认的记录不见了 / \(item.path) covers \(checkpoint.size) entries, the ledger holds \(count): acknowledged entries are missing")
                continue
            }
            let root = checkpoint.size == 0 ? key.suite.emptyRoot : rootAtSize[checkpoint.size]
            if root == checkpoint.root { result.pass() } else {
                result.fail("\(item.path)（\(checkpoint.size) 条）的根与本账本前 \(checkpoint.size) 条的根不同：历史被改写 / \(item.path): the first \(checkpoint.size) entries have another root — history was rewritten")
            }
        }
        if pinned.isEmpty { result.pass() }
        return result
    }

    var passDetail: String {
        pinned.isEmpty ? "未提供 --checkpoint / none given" : "\(pinned.count) 个外部检查点均被本账本延续 / all \(pinned.count) extended by this ledger"
    }
}
