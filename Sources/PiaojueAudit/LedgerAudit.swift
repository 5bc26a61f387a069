import PiaojueCrypto
import PiaojueDomain
public import PiaojueLedger

/// `audit verify` on the live ledger: re-derives every leaf hash, the chain, every signature, the
/// schema and every stored checkpoint row, replays the history, and names the first bad entry of
/// each check. The checks are numbered as docs/audit-format.md lists them.
public enum LedgerAudit {
    /// Verifies the whole ledger. Never throws: an unreadable ledger is a failed check.
    /// `observers` default to the history replay; tests of the integrity checks pass none.
    public static func verify(
        _ ledger: Ledger, trust: TrustAnchors = TrustAnchors(), observers: [any EntryObserver]? = nil
    ) -> VerificationReport {
        var storage = CheckTally("账本存储与索引列 / stored leaf hashes, index columns and issued-credentials table")
        var schema = CheckTally("账本结构 / the schema is exactly what the migrations create (no foreign trigger, view, index or table)")
        var checkpointSignatures = CheckTally("检查点签名 / stored checkpoints signed by the body (C2SP signed note)")
        var checkpointRows = CheckTally("检查点记录 / stored checkpoints: size, root, frontier, time and reason re-derived (RFC 9162)")
        var trusted = CheckTally("信任的机关公钥 / the body key trusted (--trusted-key, or the ledger's own, with its fingerprint)")
        let identityKey = ledger.identity.publicKey
        let key = trust.bodyKey ?? identityKey
        let fingerprint = KeyFingerprint.text(rawKey: key.rawBytes)
        var trustDetail = "未固定公钥：信任账本自带的机关公钥，指纹 \(fingerprint) / not pinned: trusted the ledger's own key, fingerprint \(fingerprint)"
        if let pinned = trust.bodyKey {
            trustDetail = "固定的机关公钥，指纹 \(fingerprint) / the pinned key, fingerprint \(fingerprint)"
            if pinned == identityKey { trusted.pass() } else {
                trusted.fail("账本的机关公钥（指纹 \(KeyFingerprint.text(rawKey: identityKey.rawBytes))）不是固定的公钥（指纹 \(fingerprint)）/ the ledger's body key is not the pinned key")
            }
        } else {
            trusted.pass()
        }

        let history = HistoryAuditor()
        let acknowledged = AcknowledgedBallots()
        history.acknowledgedBallots = { session, before in acknowledged.count(session: session, before: before) }
        let pinned = PinnedCheckpointCheck(trust.checkpoints)
        let verifier = StreamVerifier(expectedBodyKey: key, observers: observers ?? [history])
        var stored: [StoredCheckpoint] = []
        var readFailure: String?

        do {
            try ledger.read { reader in
                let layout = try reader.schema()
                if layout.version > layout.supported || layout.version < Ledger.oldestReadableSchema {
                    schema.fail("结构版本为 \(layout.version)，本程序为 \(layout.supported) / schema version \(layout.version), this program \(layout.supported)")
                }
                let expected = Set(layout.expected.map(\.description))
                for object in layout.found where !layout.expected.contains(object) {
                    schema.fail(expected.contains(object.description)
                        ? "\(object) 的定义被改动 / \(object) was changed"
                        : "外来的 \(object) / a foreign \(object)")
                }
                for object in layout.expected where !layout.found.contains(object) {
                    schema.fail("缺少 \(object)（如防删除的触发器）/ \(object) is missing")
                }
                if schema.failures == 0 { schema.pass() }

                stored = try reader.checkpoints().sorted { $0.size < $1.size }
                var pending = stored[...]
                /// Checkpoints at the last size, whose time must not be after the next entry's.
                var awaitingNextTime: [StoredCheckpoint] = []
                var electronic: [String: Int] = [:]
                var lastCheckpointTime = ""
                /// The kinds of the entries since the previous checkpoint row: a checkpoint's reason
                /// names one of the entries its transaction appended.
                var kindsSince: Set<String> = []
                var castSince: Set<String> = []
                pinned.observe(MerkleFrontier(suite: verifier.suite))
                verifier.onFrontier = { pinned.observe($0) }
                while let first = pending.first, first.size == 0 {
                    checkpointRows.fail("大小为 0 的检查点 / a checkpoint of size 0")
                    pending = pending.dropFirst()
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
                        if fields.kind == CredentialsIssued.kind {
                            let keys = fields.payload["credentials"]?.arrayValue?.compactMap(\.stringValue) ?? []
                            issuedKeys += keys.count
                            let indexed = keys.map { EntryFields.issuedIndex($0, suite: verifier.suite) ?? $0 }
                            if try reader.issuedKeys(entry: row.index) != indexed.sorted() { problems.append("credentials table") }
                            if try reader.issuedKeySessions(entry: row.index).contains(where: { $0 != fields.session }) {
                                problems.append("credentials table session")
                            }
                        }
                        if fields.kind == Ballot.kind, let session = fields.session {
                            electronic[session, default: 0] += 1
                            castSince.insert(session)
                        }
                        kindsSince.insert(fields.kind)
                        for waiting in awaitingNextTime where waiting.time > fields.time {
                            checkpointRows.fail("大小为 \(waiting.size) 的检查点时间 \(waiting.time) 晚于其后第 \(position) 条的 \(fields.time) / checkpoint \(waiting.size) is dated after the entry that follows it")
                        }
                        awaitingNextTime = []
                    }
                    if problems.isEmpty { storage.pass() } else {
                        storage.fail("第 \(position) 行（\(row.kind)）存储的 \(problems.joined(separator: "、")) 与条目内容不符 / row \(position): stored \(problems.joined(separator: ", ")) disagree with the entry")
                    }
                    position += 1
                    // The checkpoint rows at this size: re-derived from the entries just read.
                    while let next = pending.first, next.size <= position {
                        pending = pending.dropFirst()
                        guard next.size == position else { continue }
                        let findings = Self.checkRow(
                            next, frontier: verifier.frontier, last: fields, kinds: kindsSince, castSince: castSince, electronic: electronic,
                            previousTime: lastCheckpointTime)
                        kindsSince = []
                        castSince = []
                        if findings.isEmpty { checkpointRows.pass() } else {
                            checkpointRows.fail("大小为 \(next.size) 的检查点记录 / checkpoint row \(next.size)：\(findings.joined(separator: "；"))")
                        }
                        lastCheckpointTime = max(lastCheckpointTime, next.time)
                        awaitingNextTime.append(next)
                        if let counts = CheckpointReason.castCounts(next.reason) { acknowledged.record(counts, size: next.size) }
                    }
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
            guard let name = verifier.keyName else {
                checkpointSignatures.fail("没有机关公钥 / no body key to check checkpoints")
                break
            }
            guard let note = try? SignedNote(parsing: checkpoint.note), let parsed = try? Checkpoint(text: note.text) else {
                checkpointSignatures.fail("大小为 \(checkpoint.size) 的检查点无法解析 / checkpoint at size \(checkpoint.size) unreadable")
                continue
            }
            if parsed.size != checkpoint.size || parsed.root != checkpoint.root || parsed.origin != name {
                checkpointSignatures.fail("大小为 \(checkpoint.size) 的检查点的文本与存储的列不符 / checkpoint \(checkpoint.size): note and columns disagree")
            } else if note.isSignedFirst(byEach: Self.checkpointKeys(key, verifier.identity), keyName: name) {
                checkpointSignatures.pass()
            } else {
                checkpointSignatures.fail("大小为 \(checkpoint.size) 的检查点签名无效 / checkpoint at size \(checkpoint.size) is not signed by the body")
            }
            if checkpoint.size > count {
                checkpointRows.fail("检查点大小 \(checkpoint.size) 超过账本条目数 \(count)：有条目被删除 / a checkpoint covers \(checkpoint.size) entries but only \(count) remain")
            }
        }
        if stored.isEmpty { checkpointSignatures.skippedReason = "账本中没有检查点 / no checkpoints stored" }

        var checks = integrity
        func add(_ tally: CheckTally, _ pass: String) { checks.append(tally.check(id: checks.count + 1, passDetail: pass)) }
        add(storage, "\(storage.checked) 行的哈希与索引列一致 / all rows agree")
        add(schema, "与迁移脚本建立的结构完全相同 / exactly the migrations' schema")
        add(checkpointSignatures, "\(checkpointSignatures.checked) 个检查点均由机关签名 / all signed by the body")
        add(checkpointRows, "\(checkpointRows.checked) 个检查点的根、前沿、时间与原因均可重新推导，当前根 \(Encoding.hex(verifier.frontier.root).prefix(16))… / all re-derived")
        add(trusted, trustDetail)
        for item in semantic { checks.append(Check(id: checks.count + 1, name: item.name, ok: item.ok, detail: item.detail)) }
        if observers?.isEmpty != true || !trust.checkpoints.isEmpty {
            add(pinned.finish(key: key, keyName: verifier.keyName, count: count), pinned.passDetail)
        }
        if let policy = trust.policy {
            // The latest stored checkpoint with the cosignatures stored for it, as a bundle published
            // now would carry it.
            let note = try? ledger.read { reader in
                try reader.latestCheckpoint().map { try SignedNote(parsing: try reader.cosignedNote($0)) }
            }
            checks.append(PolicyCheck.check(id: checks.count + 1, note: note ?? nil, policy: policy))
        }
        return VerificationReport(checks: checks, trustedKey: key.rawBytes, trustPinned: trust.bodyKey != nil)
    }

    /// The keys a checkpoint must be signed by, first line first: the trusted body key, after the
    /// Ed25519 key entry 0 records beside it (a gm ledger created with --also-ed25519).
    static func checkpointKeys(_ key: VerifyingKey, _ identity: LedgerIdentity?) -> [VerifyingKey] {
        (identity?.ed25519Key.map { [VerifyingKey($0)] } ?? []) + [key]
    }

    /// The findings about one stored checkpoint row, given the frontier and the last entry at its
    /// size, the kinds appended since the previous row and the electronic ballots per session up
    /// to it.
    static func checkRow(
        _ row: StoredCheckpoint, frontier: MerkleFrontier, last: EntryFields?, kinds: Set<String>, castSince: Set<String>,
        electronic: [String: Int], previousTime: String
    ) -> [String] {
        var findings: [String] = []
        if row.root != frontier.root { findings.append("默克尔根与重算的不符 / the root differs from the recomputed one") }
        if row.frontier != frontier { findings.append("存储的前沿与重算的不符 / the stored frontier differs from the recomputed one") }
        guard let last else { return findings + ["最后一条无法读取 / its last entry is unreadable"] }
        if row.time < last.time { findings.append("时间 \(row.time) 早于其最后一条的 \(last.time) / dated before its last entry") }
        if row.time < previousTime { findings.append("时间早于前一个检查点 / dated before the previous checkpoint") }
        if let counts = CheckpointReason.castCounts(row.reason) {
            if last.kind != Ballot.kind { findings.append("原因为投票，最后一条却是 \(last.kind) / a cast reason after \(last.kind)") }
            // A group names the sessions it cast in; an earlier group whose checkpoint was never
            // signed (a crash between commit and signature) may have cast in others, unnamed.
            for session in counts.keys.sorted() where !castSince.contains(session) {
                findings.append("原因提到会期 \(session)，但此前一次签名以来没有该会期的电子选票 / the reason names \(session), which no ballot since the previous checkpoint is of")
            }
            for (session, count) in counts where electronic[session, default: 0] != count {
                findings.append("原因称会期 \(session) 有 \(count) 张电子选票，实为 \(electronic[session, default: 0]) 张 / the reason says \(count) electronic ballots of \(session), the entries \(electronic[session, default: 0])")
            }
        } else if CheckpointReason.onRequest.contains(row.reason) {
            // Signed on request at any size.
        } else if HistoryAuditor.kindsOfEveryFormat.union(HistoryAuditor.kindsOfFormat2).contains(row.reason) {
            if !kinds.contains(row.reason) {
                findings.append("原因为 \(row.reason)，但此前一次签名以来没有这种条目 / the reason names \(row.reason), which no entry since the previous checkpoint is")
            }
        } else {
            findings.append("未知的原因“\(row.reason)” / an unknown reason")
        }
        return findings
    }
}

/// The electronic ballots each session's cast checkpoints acknowledged, as the rows pass.
final class AcknowledgedBallots {
    private var bySession: [String: [(size: Int, count: Int)]] = [:]

    func record(_ counts: [String: Int], size: Int) {
        for (session, count) in counts { bySession[session, default: []].append((size, count)) }
    }

    /// The most acknowledged for `session` by checkpoints of size ≤ `before`.
    func count(session: String, before index: Int) -> Int? {
        (bySession[session] ?? []).filter { $0.size <= index }.map(\.count).max() ?? 0
    }
}

/// The meaning checks that run alongside the integrity checks.
public enum AuditObservers {
    /// A fresh set of the standard observers (one use each).
    public static func standard() -> [any EntryObserver] { [HistoryAuditor()] }
}
