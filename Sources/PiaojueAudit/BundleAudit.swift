import Foundation
public import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger

/// `audit verify DIR`: checks a published bundle offline — the checkpoint signature against
/// `body.pub.pem`, the Merkle root of `ledger.jsonl`, every entry, every session, and that
/// `tally.json` and `ballots.csv` are what the ballots give; with a policy, the witnesses'
/// cosignatures of the checkpoint (check 36).
public enum BundleAudit {
    public static func verify(
        directory: String, trust: TrustAnchors = TrustAnchors(), observers extra: [any EntryObserver] = []
    ) -> VerificationReport {
        var files = CheckTally("公开包文件齐全 / bundle files present and readable")
        var trusted = CheckTally("信任的机关公钥 / the body key trusted (--trusted-key, or the bundle's own, with its fingerprint)")
        var signature = CheckTally("检查点签名 / checkpoint signed by the trusted body key (C2SP signed note)")
        var root = CheckTally("检查点大小与默克尔根 / checkpoint size and Merkle root of ledger.jsonl (RFC 9162)")
        var script = CheckTally("merkle_root.py 与本程序所附相同 / merkle_root.py is the script this program ships")
        var tallyFile = CheckTally("tally.json 与记录的计票一致 / tally.json is the recorded, re-derived tally")
        var ballotsFile = CheckTally("ballots.csv 与账本中的选票一致 / ballots.csv lists the session's ballots")
        var markdown = CheckTally("report.md 公告与核验结果一致 / report.md states the verified result")
        var html = CheckTally("report.html 公告与核验结果一致 / report.html states the verified result")

        func path(_ name: String) -> String { directory + "/" + name }
        func read(_ name: String) -> Data? { FileManager.default.contents(atPath: path(name)) }
        let names = [
            AuditBundle.ledgerFile, AuditBundle.checkpointFile, AuditBundle.publicKeyFile, AuditBundle.tallyFile, AuditBundle.ballotsFile,
            AuditBundle.reportMarkdown, AuditBundle.reportHTML, AuditBundle.merkleScriptFile,
        ]
        for name in names {
            if FileManager.default.isReadableFile(atPath: path(name)) { files.pass() } else { files.fail("缺少 \(name) / \(name) is missing") }
        }

        // The key: pinned, or the bundle's own (said plainly, with its fingerprint).
        let pem = read(AuditBundle.publicKeyFile).map { String(decoding: $0, as: UTF8.self) }
        let bundleKey = pem.flatMap { try? VerifyingKey(pem: $0) }
        if pem != nil, bundleKey == nil {
            files.fail("body.pub.pem 不是 Ed25519 或 SM2 公钥 / body.pub.pem is not an Ed25519 or SM2 public key")
        }
        let key = trust.bodyKey ?? bundleKey
        let fingerprint = key.map { KeyFingerprint.text(rawKey: $0.rawBytes) } ?? "—"
        var trustDetail = ""
        if let pinned = trust.bodyKey {
            if let bundleKey, bundleKey != pinned {
                trusted.fail("body.pub.pem（指纹 \(KeyFingerprint.text(rawKey: bundleKey.rawBytes))）不是固定的机关公钥（指纹 \(fingerprint)）/ body.pub.pem is not the pinned key")
            } else {
                trusted.pass()
            }
            trustDetail = "固定的机关公钥，指纹 \(fingerprint) / the pinned key, fingerprint \(fingerprint)"
        } else if key != nil {
            trusted.pass()
            trustDetail = "未固定公钥：信任公开包自带的 body.pub.pem，指纹 \(fingerprint)；请与会上宣读或张贴的指纹比对，或用 --trusted-key 固定 / not pinned: trusted the bundle's own body.pub.pem, fingerprint \(fingerprint) — compare it with the one read out or posted, or pin it with --trusted-key"
        } else {
            trusted.fail("没有可信任的机关公钥 / no body key to trust")
        }

        var checkpoint: Checkpoint?
        var checkpointNote: SignedNote?
        if let data = read(AuditBundle.checkpointFile) {
            if let note = try? SignedNote(parsing: String(decoding: data, as: UTF8.self)), let parsed = try? Checkpoint(text: note.text) {
                checkpoint = parsed
                checkpointNote = note
                // Checked once entry 0 is read: it names a gm ledger's Ed25519 key, whose line comes first.
            } else {
                signature.fail("checkpoint 文件不是有效的签名检查点 / the checkpoint file is not a well-formed signed checkpoint")
            }
        } else {
            signature.fail("无法读取 checkpoint / checkpoint unreadable")
        }

        if let data = read(AuditBundle.merkleScriptFile) {
            if data == Data(ReportRenderer.merkleScript(for: key?.suite ?? .standard).utf8) { script.pass() } else {
                script.fail("merkle_root.py 与本程序（及 README、docs/audit-format.md）印出的脚本不同，不可使用 / merkle_root.py differs from the script this program and its docs print: do not run it")
            }
        } else {
            script.fail("缺少 merkle_root.py / merkle_root.py is missing")
        }

        // tally.json names the session; read it first so that its entries can be gathered.
        let tallyData = read(AuditBundle.tallyFile)
        // (A rating tally.json carries rates as JSON numbers with fractions, which the ledger's
        // parser refuses by design: read it with Foundation's.)
        let session = tallyData.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }?["session"] as? String
        if tallyData != nil, session == nil { tallyFile.fail("tally.json 无法读取或没有 session / tally.json is unreadable or names no session") }

        let recorder = SessionRecorder(session: session ?? "")
        let csv = BallotsCSVCheck(session: session, path: path(AuditBundle.ballotsFile))
        let auditor = HistoryAuditor()
        let pinned = PinnedCheckpointCheck(trust.checkpoints)
        let verifier = StreamVerifier(expectedBodyKey: key, observers: [auditor, recorder, csv] + extra)
        pinned.observe(MerkleFrontier(suite: verifier.suite))
        verifier.onFrontier = { pinned.observe($0) }
        if let reader = LineReaderBox(path: path(AuditBundle.ledgerFile)) {
            while let line = reader.next() { verifier.consume(line: line) }
            if reader.unterminated { root.fail("ledger.jsonl 的最后一行没有换行，文件可能被截断 / the last line of ledger.jsonl is unterminated (truncated?)") }
            reader.close()
        }
        if let checkpoint, let checkpointNote {
            if let key, checkpointNote.isSignedFirst(byEach: LedgerAudit.checkpointKeys(key, verifier.identity), keyName: checkpoint.origin) {
                signature.pass()
            } else {
                signature.fail("检查点的第一个签名不是受信任的机关公钥的有效签名 / the checkpoint's first signature is not a valid signature by the trusted key")
            }
        }
        // A gm bundle with an Ed25519 key as well carries it as body.ed25519.pub.pem, for tools
        // that know Ed25519 only: it must be the key entry 0 records.
        let ed25519PEM = read(AuditBundle.ed25519KeyFile).map { String(decoding: $0, as: UTF8.self) }
        if let recorded = verifier.identity?.ed25519Key {
            if let ed25519PEM {
                if (try? Ed25519PublicKey(pem: ed25519PEM)) != recorded {
                    files.fail("\(AuditBundle.ed25519KeyFile) 不是第 0 条记录的 Ed25519 公钥 / \(AuditBundle.ed25519KeyFile) is not the Ed25519 key entry 0 records")
                }
            } else {
                files.fail("缺少 \(AuditBundle.ed25519KeyFile) / \(AuditBundle.ed25519KeyFile) is missing")
            }
        } else if ed25519PEM != nil {
            files.fail("第 0 条没有 Ed25519 公钥，却有 \(AuditBundle.ed25519KeyFile) / \(AuditBundle.ed25519KeyFile) but entry 0 records no Ed25519 key")
        }
        if let checkpoint {
            if checkpoint.size != verifier.count {
                root.fail("检查点记录 \(checkpoint.size) 条，ledger.jsonl 有 \(verifier.count) 行 / the checkpoint covers \(checkpoint.size) entries, ledger.jsonl has \(verifier.count) lines")
            } else if checkpoint.root != verifier.frontier.root {
                root.fail("重算的默克尔根与检查点不符 / the recomputed Merkle root differs from the checkpoint")
            } else if let name = verifier.keyName, name != checkpoint.origin {
                root.fail("检查点名称与第 0 条不符 / the checkpoint origin differs from entry 0's key name")
            } else {
                root.pass()
            }
        } else {
            root.fail("没有可用的检查点 / no usable checkpoint")
        }

        // The documents, regenerated from the verified entries and compared byte for byte.
        if let session, let checkpoint {
            do {
                let documents = try SessionDocuments.make(recorder, checkpoint: checkpoint)
                compare(tallyData, documents.tallyJSON + Data("\n".utf8), AuditBundle.tallyFile, into: &tallyFile)
                // A bundle of a format-1 ledger was published by an earlier version, whose reports
                // lacked what was added since (the key fingerprint, the pinning advice): there
                // every other line of the regenerated report must be found, in order.
                let earlier = auditor.format < 2
                compare(
                    read(AuditBundle.reportMarkdown), Data(ReportRenderer.markdown(documents.report).utf8), AuditBundle.reportMarkdown,
                    into: &markdown, earlierVersion: earlier)
                compare(
                    read(AuditBundle.reportHTML), Data(ReportRenderer.html(documents.report).utf8), AuditBundle.reportHTML, into: &html,
                    earlierVersion: earlier)
            } catch {
                for name in [AuditBundle.tallyFile, AuditBundle.reportMarkdown, AuditBundle.reportHTML] {
                    let finding = "账本中会期 \(session) 没有可据以生成 \(name) 的计票记录：\(error.description) / no tally of \(session) to regenerate \(name) from"
                    switch name {
                    case AuditBundle.tallyFile: tallyFile.fail(finding)
                    case AuditBundle.reportMarkdown: markdown.fail(finding)
                    default: html.fail(finding)
                    }
                }
            }
        } else {
            markdown.fail("没有会期或检查点，无法核对公告 / no session or checkpoint to check the announcement against")
            html.fail("没有会期或检查点，无法核对公告 / no session or checkpoint to check the announcement against")
        }
        csv.finish(into: &ballotsFile)

        let (integrity, semantic) = verifier.finish(firstID: 6)
        var checks: [Check] = [
            files.check(id: 1, passDetail: "\(names.count) 个文件均在 / all \(names.count) files present"),
            trusted.check(id: 2, passDetail: trustDetail),
            signature.check(id: 3, passDetail: "由 \(checkpoint?.origin ?? "") 的机关公钥签名（指纹 \(fingerprint)）/ signed by the trusted body key"),
            root.check(id: 4, passDetail: "\(verifier.count) 条，根 \(Encoding.hex(verifier.frontier.root).prefix(16))… 与检查点一致 / matches"),
            script.check(id: 5, passDetail: "与 README 和 docs/audit-format.md 印出的脚本逐字节相同 / byte for byte the printed script"),
        ]
        checks += integrity
        var id = checks.count + 1
        for item in semantic {
            checks.append(Check(id: id, name: item.name, ok: item.ok, detail: item.detail))
            id += 1
        }
        let pinnedResult = pinned.finish(key: key, keyName: verifier.keyName, count: verifier.count)
        checks.append(tallyFile.check(id: id, passDetail: "会期 \(session ?? "") 的 tally.json 与记录及重新计票一致 / matches"))
        checks.append(ballotsFile.check(id: id + 1, passDetail: "\(csv.rows) 张选票逐张一致 / every ballot matches"))
        checks.append(markdown.check(id: id + 2, passDetail: "由核验过的账本重新生成，逐字节相同 / regenerated from the verified ledger, identical"))
        checks.append(html.check(id: id + 3, passDetail: "由核验过的账本重新生成，逐字节相同 / regenerated from the verified ledger, identical"))
        checks.append(pinnedResult.check(id: id + 4, passDetail: pinned.passDetail))
        if let policy = trust.policy { checks.append(PolicyCheck.check(id: id + 5, note: checkpointNote, policy: policy)) }
        return VerificationReport(checks: checks, trustedKey: key?.rawBytes, trustPinned: trust.bodyKey != nil)
    }

    /// Compares a bundle file with the bytes it must hold; a difference names the first line that
    /// differs and shows both versions of it.
    static func compare(_ found: Data?, _ expected: Data, _ name: String, into tally: inout CheckTally, earlierVersion: Bool = false) {
        guard let found else { return tally.fail("缺少 \(name) / \(name) is missing") }
        if found == expected { return tally.pass() }
        let a = found.split(separator: 0x0A, omittingEmptySubsequences: false)
        let b = expected.split(separator: 0x0A, omittingEmptySubsequences: false)
        if earlierVersion {
            var rest = a[...]
            for (number, line) in b.enumerated()
            where !line.allSatisfy({ $0 == 0x20 }) && !ReportRenderer.addedSinceFormat1(String(decoding: line, as: UTF8.self)) {
                guard let at = rest.firstIndex(of: line) else {
                    let text = String(decoding: line, as: UTF8.self)
                    return tally.fail("\(name) 缺少核验结果的第 \(number + 1) 行“\(text.count > 120 ? String(text.prefix(120)) + "…" : text)” / \(name) lacks line \(number + 1) of the verified result")
                }
                rest = rest[(at + 1)...]
            }
            return tally.pass()
        }
        let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        // Shown from a little before the first differing character, so that a long line (tally.json
        // is one line) shows where it differs.
        let common: Int = {
            guard line < a.count, line < b.count else { return 0 }
            let x = Array(String(decoding: a[line], as: UTF8.self)), y = Array(String(decoding: b[line], as: UTF8.self))
            return zip(x, y).prefix { $0 == $1 }.count
        }()
        func show(_ lines: [Data], _ n: Int) -> String {
            guard n < lines.count else { return "（文件结束 / end of file）" }
            let text = Array(String(decoding: lines[n], as: UTF8.self))
            let start = max(0, common - 30)
            let piece = String(text[start..<min(text.count, start + 90)])
            return (start > 0 ? "…" : "") + piece + (start + 90 < text.count ? "…" : "")
        }
        tally.fail("\(name) 第 \(line + 1) 行与核验过的结果不同：公开包中为“\(show(a, line))”，应为“\(show(b, line))” / \(name) line \(line + 1) differs from the verified result")
    }
}

/// Compares `ballots.csv` with the session's ballots as they stream past, one row at a time.
final class BallotsCSVCheck: EntryObserver {
    let session: String?
    private var reader: LineReaderBox?
    private var layout: BallotRows?
    /// Ballot rows compared so far.
    private(set) var rows = 0
    private var finding: String?
    private var line = 0

    init(session: String?, path: String) {
        self.session = session
        reader = LineReaderBox(path: path)
        if reader == nil { finding = "无法读取 ballots.csv / ballots.csv unreadable" }
    }

    private func expect(_ text: String, what: String) {
        guard finding == nil, let reader else { return }
        line += 1
        var wanted = Array(text.utf8)
        if wanted.last == 0x0A { wanted.removeLast() }
        guard let found = reader.next() else {
            finding = "ballots.csv 在第 \(line) 行结束，缺少\(what) / ballots.csv ends at line \(line): \(what) missing"
            return
        }
        if found != wanted {
            finding = "ballots.csv 第 \(line) 行与账本中的\(what)不符 / ballots.csv line \(line) differs from the ledger's \(what)"
        }
    }

    func observe(_ fields: EntryFields, leafHash: [UInt8]) {
        guard let session, fields.session == session else { return }
        if layout == nil, SessionService.openingKinds.contains(fields.kind),
            let items = fields.payload["header"]?["items"]?.arrayValue?.compactMap(\.stringValue)
        {
            let made = BallotRows(items: items)
            layout = made
            expect(made.header, what: "表头 header")
        } else if fields.isCredentialSigned, let layout, let choices = BallotJSON.choices(fields.payload) {
            rows += 1
            expect(layout.row(receipt: Encoding.hex(leafHash), choices: choices), what: "第 \(rows) 张选票 ballot \(rows)")
        }
    }

    func finish() -> [(name: String, ok: Bool, detail: String)] { [] }

    /// The outcome, after the last entry: every line matched and none is left over.
    func finish(into tally: inout CheckTally) {
        defer { reader?.close() }
        if finding == nil, layout == nil { finding = "账本中没有会期 \(session ?? "") 的开启记录 / the session's opening is not in ledger.jsonl" }
        if finding == nil, let extra = reader?.next() {
            finding = "ballots.csv 第 \(line + 1) 行多出账本中没有的一行（\(extra.count) 字节）/ ballots.csv has a line the ledger does not"
        }
        if finding == nil, reader?.unterminated == true {
            finding = "ballots.csv 第 \(line) 行（最后一行）缺少结尾的换行 / ballots.csv's last line lacks its final line feed"
        }
        if let finding { tally.fail(finding) } else { tally.pass() }
    }
}

/// A class wrapper so the reader can be used from a non-mutating context.
final class LineReaderBox {
    private var reader: LineReader

    init?(path: String) {
        guard let reader = LineReader(path: path) else { return nil }
        self.reader = reader
    }

    func next() -> [UInt8]? { reader.next() }
    var unterminated: Bool { reader.lastLineUnterminated }
    func close() { reader.close() }
}

extension BundleAudit {
    /// The outcome of checking one receipt offline.
    public struct ReceiptCheck: Codable, Sendable {
        public let ok: Bool
        public let receipt: String
        public let index: Int?
        public let size: Int?
        public let kind: String?
        public let proof: [String]
        public let detail: String
    }

    /// Is the entry with this receipt in the bundle, and does its RFC 9162 inclusion proof lead to
    /// the signed checkpoint root? With `proof` (a `c2sp.org/tlog-proof@v1` a cast printed) the
    /// proof itself is checked too: its checkpoint signed by the trusted key, its path leading from
    /// the bundle's entry at its index to that root, and the bundle's ledger extending it — so a
    /// ballot acknowledged with that proof cannot have been removed or rewritten since.
    public static func checkReceipt(directory: String, receipt: String, proof: TlogProof? = nil, trust: TrustAnchors = TrustAnchors()) -> ReceiptCheck {
        func fail(_ detail: String, index: Int? = nil) -> ReceiptCheck {
            ReceiptCheck(ok: false, receipt: receipt, index: index, size: nil, kind: nil, proof: [], detail: detail)
        }
        let wanted = Encoding.unhex(receipt)
        guard proof != nil || wanted?.count == 32 else { return fail("回执应为 64 位十六进制数 / a receipt is 64 hex digits") }
        guard let pem = FileManager.default.contents(atPath: directory + "/" + AuditBundle.publicKeyFile),
            let bundleKey = try? VerifyingKey(pem: String(decoding: pem, as: UTF8.self)),
            let noteData = FileManager.default.contents(atPath: directory + "/" + AuditBundle.checkpointFile),
            let note = try? SignedNote(parsing: String(decoding: noteData, as: UTF8.self)),
            let checkpoint = try? Checkpoint(text: note.text)
        else { return fail("公开包缺少可读的 body.pub.pem 或 checkpoint / the bundle lacks a readable key or checkpoint") }
        let key = trust.bodyKey ?? bundleKey
        let suite = key.suite
        guard note.isSigned(by: key, keyName: checkpoint.origin) else {
            return fail("检查点签名无效（不是受信任的机关公钥）/ the checkpoint is not signed by the trusted key")
        }
        // The proof's own checkpoint: signed by the same key for the same log.
        var proofCheckpoint: Checkpoint?
        if let proof {
            guard let proofNote = try? SignedNote(parsing: proof.checkpoint), let parsed = try? Checkpoint(text: proofNote.text),
                parsed.origin == checkpoint.origin, proofNote.isSigned(by: key, keyName: parsed.origin)
            else { return fail("证明中的检查点不是受信任的机关公钥为本账本签的 / the proof's checkpoint is not signed by the trusted key for this log") }
            proofCheckpoint = parsed
        }
        guard let reader = LineReaderBox(path: directory + "/" + AuditBundle.ledgerFile) else { return fail("无法读取 ledger.jsonl / ledger.jsonl unreadable") }
        var leaves: [[UInt8]] = []
        var found: (index: Int, kind: String)?
        while let line = reader.next() {
            let hash = suite.leafHash(line)
            let matches = proof.map { $0.index == leaves.count } ?? (hash == wanted)
            if matches, found == nil {
                found = (leaves.count, (try? EntryFields(line: line))?.kind ?? "?")
                if let wanted, proof != nil, wanted.count == 32, wanted != hash {
                    reader.close()
                    return fail("第 \(leaves.count) 条的回执不是 \(receipt) / entry \(leaves.count) has another receipt", index: leaves.count)
                }
            }
            leaves.append(hash)
        }
        reader.close()
        guard leaves.count == checkpoint.size else {
            return fail("ledger.jsonl 有 \(leaves.count) 行，检查点是 \(checkpoint.size) / ledger.jsonl does not match the checkpoint size", index: found?.index)
        }
        if let proof, let proofCheckpoint {
            guard proofCheckpoint.size <= leaves.count else {
                return fail("证明的检查点覆盖 \(proofCheckpoint.size) 条，公开包只有 \(leaves.count) 条：已确认的选票被删除 / the proof's checkpoint covers \(proofCheckpoint.size) entries, the bundle \(leaves.count): acknowledged entries are missing")
            }
            guard Merkle.root(leaves[..<proofCheckpoint.size], suite: suite) == proofCheckpoint.root else {
                return fail("公开包的前 \(proofCheckpoint.size) 条与证明的检查点不一致：历史被改写 / the bundle's first \(proofCheckpoint.size) entries do not give the proof's root: history was rewritten")
            }
            guard let found, Merkle.verifyInclusion(
                leafHash: leaves[found.index], index: found.index, size: proofCheckpoint.size, proof: proof.proof, root: proofCheckpoint.root,
                suite: suite)
            else { return fail("证明的包含路径不能到达其检查点的根 / the proof's path does not reach its checkpoint's root", index: proof.index) }
        }
        guard let found else { return fail("公开包中没有这张回执对应的条目 / no entry with this receipt is in the bundle") }
        guard let path = try? Merkle.inclusionProof(index: found.index, leaves: leaves[...], suite: suite),
            Merkle.verifyInclusion(
                leafHash: leaves[found.index], index: found.index, size: checkpoint.size, proof: path, root: checkpoint.root, suite: suite)
        else { return fail("包含证明不能到达检查点的根 / the inclusion proof does not reach the checkpoint root", index: found.index) }
        let proved = proofCheckpoint.map { "；回执证明（检查点 \($0.size) 条）有效，公开包延续该检查点 / the receipt's proof is valid and the bundle extends its checkpoint" } ?? ""
        return ReceiptCheck(
            ok: true, receipt: Encoding.hex(leaves[found.index]), index: found.index, size: checkpoint.size, kind: found.kind,
            proof: path.map { Encoding.hex($0) },
            detail: "第 \(found.index) 条（\(found.kind)）在已签名的检查点（\(checkpoint.size) 条）中，包含证明有效\(proved) / entry \(found.index) is included in the signed checkpoint")
    }
}
