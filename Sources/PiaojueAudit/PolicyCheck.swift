import Foundation
import PiaojueCrypto
import PiaojueDomain
public import PiaojueWitness

extension TrustAnchors {
    /// Reads `--policy FILE`: a C2SP tlog-policy (witness keys of type cosignature/v1). Refused
    /// (exit 2) when the file cannot be read or is not a policy.
    public static func policy(_ path: String) throws -> TlogPolicy {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw FileFailure.missing(path: path) }
        guard !isDirectory.boolValue else { throw FileFailure.notRegular(path: path) }
        guard let data = FileManager.default.contents(atPath: path) else { throw FileFailure.unreadable(path: path) }
        guard data.count <= 1 << 20 else { throw FileFailure.tooLarge(path: path, bytes: data.count, limit: 1 << 20) }
        return try TlogPolicy(parsing: [UInt8](data))
    }
}

/// The witness check (`--policy`): the checkpoint carries a quorum of valid cosignatures of the
/// policy's witnesses, and the body's signature when the policy lists logs. Cosignatures of
/// witnesses the policy does not name are ignored (C2SP tlog-policy); a line of a named witness
/// that does not verify fails the check.
enum PolicyCheck {
    static let name = "见证人副署 / the checkpoint carries the quorum of witness cosignatures the policy asks (C2SP tlog-policy, --policy)"

    static func check(id: Int, note: SignedNote?, policy: TlogPolicy) -> Check {
        guard let note else {
            return Check(id: id, name: name, ok: false, detail: "没有可核验的检查点 / no checkpoint to check")
        }
        let verdict = policy.evaluate(note)
        let known = Set(policy.witnesses.map { "\($0.verifier.keyName) \(Encoding.hex($0.verifier.keyID))" })
        let ignored = note.signatures.dropFirst().count(where: { !known.contains("\($0.keyName) \(Encoding.hex($0.keyID))") })
        let cosigned = verdict.cosignedBy.isEmpty ? "无 none" : verdict.cosignedBy.joined(separator: ", ")
        let ignoredText = ignored > 0 ? "；另有 \(ignored) 行策略未列出的签名，已忽略 / \(ignored) lines of keys the policy does not name ignored" : ""
        switch verdict.log {
        case .unsigned:
            return Check(
                id: id, name: name, ok: false,
                detail: "策略列出的日志密钥都没有签署这个检查点（\(note.text.split(separator: "\n").first ?? "")）/ no log key of the policy signed this checkpoint")
        case let .invalid(keyName):
            return Check(id: id, name: name, ok: false, detail: "日志 \(keyName) 的签名无效 / the signature of log \(keyName) does not verify")
        case .notChecked, .signed:
            break
        }
        if !verdict.invalidCosignatures.isEmpty {
            let names = verdict.invalidCosignatures.joined(separator: ", ")
            return Check(
                id: id, name: name, ok: false,
                detail: "见证人 \(names) 的副署不能核验（伪造或已改动）/ the cosignature of \(names) does not verify (forged or altered)")
        }
        guard verdict.quorumMet else {
            return Check(
                id: id, name: name, ok: false,
                detail: "有效副署：\(cosigned)，未达到法定数 \(policy.quorum.name)\(ignoredText) / valid cosignatures: \(cosigned); quorum \(policy.quorum.name) not met")
        }
        return Check(
            id: id, name: name, ok: true,
            detail: "有效副署：\(cosigned)，达到法定数 \(policy.quorum.name)\(ignoredText) / cosigned by \(cosigned): quorum \(policy.quorum.name) met")
    }
}
