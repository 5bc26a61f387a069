import PiaojueCrypto
public import PiaojueLedger

/// `audit verify` on the live ledger: re-derives every leaf hash, the chain, every signature and
/// every stored checkpoint, and names the first bad entry of each check.
public enum LedgerAudit {
    /// Verifies the whole ledger. Never throws: an unreadable ledger is a failed check.
    public static func verify(_ ledger: Ledger, observers: [any EntryObserver] = AuditObservers.standard()) -> VerificationReport {
        var storage = CheckTally("账本存储与索引列 / stored leaf hashes and index columns")
        var checkpointSignatures = CheckTally("检查点签名 / checkpoint signatures (C2SP signed note)")
        var checkpointRoots = CheckTally("检查点的默克尔根与大小 / checkpoint Merkle roots and sizes (RFC 9162)")
        var stored: [StoredCheckpoint] = []
        let verifier = StreamVerifier(expectedBodyKey: ledger.identity.publicKey, observers: observers)
        var readFailure: String?

        do {
            try ledger.read { reader in
                stored = try reader.checkpoints()
                var pending = stored[...]
                verifier.onFrontier = { frontier in
                    while let next = pending.first, next.size <= frontier.size {
                        pending = pending.dropFirst()
                        guard next.size == frontier.size else { continue }
                        if next.root == frontier.root { checkpointRoots.pass() } else {
                            checkpointRoots.fail("大小为 \(next.size) 的检查点与重算的默克尔根不符 / checkpoint at size \(next.size) does not match the recomputed root")
                        }
                    }
                }
                var position = 0
                var issuedKeys = 0
                try reader.forEachRow { row in
                    let (leaf, fields) = verifier.consume(line: row.line)
                    var problems: [String] = []
                    if row.leafHash != leaf { problems.append("leaf") }
                    if row.index != position { problems.append("idx") }
                    if let fields {
                        if row.kind != fields.kind { problems.append("kind") }
                        if row.session != fields.session { problems.append("session") }
                        if row.credential != fields.credential { problems.append("credential") }
                        if fields.kind == "session.issue" {
                            let keys = fields.payload["credentials"]?.arrayValue?.compactMap(\.stringValue) ?? []
                            issuedKeys += keys.count
                            if try reader.issuedKeys(entry: row.index) != keys.sorted() { problems.append("credentials table") }
                        }
                    }
                    if problems.isEmpty { storage.pass() } else {
                        storage.fail("第 \(position) 行（\(row.kind)）存储的 \(problems.joined(separator: "、")) 与条目内容不符 / row \(position): stored \(problems.joined(separator: ", ")) disagree with the entry")
                    }
                    position += 1
                }
                let tableRows = try reader.issuedKeyCount()
                if tableRows != issuedKeys {
                    storage.fail("凭证索引表有 \(tableRows) 行，发放条目共 \(issuedKeys) 个公钥 / the credentials table holds \(tableRows) keys, the issue entries \(issuedKeys)")
                }
            }
        } catch {
            readFailure = "账本无法完整读取：\(error) / the ledger cannot be read to the end"
        }

        let (integrity, semantic) = verifier.finish(firstID: 1)
        if let readFailure { storage.fail(readFailure) }
        let count = verifier.count
        for checkpoint in stored {
            guard let key = verifier.bodyKey, let name = verifier.keyName else {
                checkpointSignatures.fail("没有机关公钥 / no body key to check checkpoints")
                break
            }
            guard let note = try? SignedNote(parsing: checkpoint.note), let parsed = try? Checkpoint(text: note.text) else {
                checkpointSignatures.fail("大小为 \(checkpoint.size) 的检查点无法解析 / checkpoint at size \(checkpoint.size) unreadable")
                continue
            }
            if parsed.size != checkpoint.size || parsed.root != checkpoint.root || parsed.origin != name {
                checkpointSignatures.fail("大小为 \(checkpoint.size) 的检查点的文本与存储的列不符 / checkpoint \(checkpoint.size): note and columns disagree")
            } else if note.signatures.first?.keyName == name, note.isSigned(by: key, keyName: name) {
                checkpointSignatures.pass()
            } else {
                checkpointSignatures.fail("大小为 \(checkpoint.size) 的检查点签名无效 / checkpoint at size \(checkpoint.size) is not signed by the body")
            }
            if checkpoint.size > count {
                checkpointRoots.fail("检查点大小 \(checkpoint.size) 超过账本条目数 \(count)：有条目被删除 / a checkpoint covers \(checkpoint.size) entries but only \(count) remain")
            }
        }
        if stored.isEmpty { checkpointSignatures.skippedReason = "账本中没有检查点 / no checkpoints stored" }

        var checks = integrity
        var id = checks.count + 1
        checks.append(storage.check(id: id, passDetail: "\(storage.checked) 行的哈希与索引列一致 / all rows agree"))
        id += 1
        checks.append(checkpointSignatures.check(id: id, passDetail: "\(checkpointSignatures.checked) 个检查点均由机关签名 / all signed by the body"))
        id += 1
        checks.append(checkpointRoots.check(id: id, passDetail: "\(checkpointRoots.checked) 个检查点与重算的根一致，当前根 \(Encoding.hex(verifier.frontier.root).prefix(16))… / all match"))
        id += 1
        for item in semantic {
            checks.append(Check(id: id, name: item.name, ok: item.ok, detail: item.detail))
            id += 1
        }
        return VerificationReport(checks: checks)
    }
}

/// The meaning checks that run alongside the integrity checks.
public enum AuditObservers {
    /// A fresh set of the standard observers (one use each).
    public static func standard() -> [any EntryObserver] { [HistoryAuditor()] }
}
