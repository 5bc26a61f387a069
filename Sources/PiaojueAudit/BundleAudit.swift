public import Foundation
public import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger

/// `audit verify DIR`: checks a published bundle offline — the checkpoint signature against
/// `body.pub.pem`, the Merkle root of `ledger.jsonl`, every entry, every session, and that
/// `tally.json` and `ballots.csv` are what the ballots give.
public enum BundleAudit {
    /// Renders the published `tally.json` of a session from its recorded tally entry payload.
    /// Ballot sessions print the `ballot.tally` payload; other shapes plug in a renderer.
    public typealias TallyRenderer = @Sendable (_ kind: String, _ payload: JSONValue) -> Data?

    /// The default renderer: `ballot.tally` payloads as `ballot tally --json` prints them.
    public static let ballotRenderer: TallyRenderer = { kind, payload in
        guard kind == TallyResult.kind, let result = try? PayloadCoding.decode(TallyResult.self, from: payload) else { return nil }
        return try? AuditBundle.json(result)
    }

    /// `evaluate.tally` payloads as `evaluate tally --json` prints them.
    public static let ratingRenderer: TallyRenderer = { kind, payload in
        guard kind == RatingResult.kind, let result = try? PayloadCoding.decode(RatingResult.self, from: payload) else { return nil }
        return try? AuditBundle.json(RatingTallyOutput(result))
    }

    public static func verify(
        directory: String, observers extra: [any EntryObserver] = [], renderers: [TallyRenderer] = [ballotRenderer, ratingRenderer]
    ) -> VerificationReport {
        var files = CheckTally("公开包文件齐全 / bundle files present and readable")
        var signature = CheckTally("检查点签名 / checkpoint signed by body.pub.pem (C2SP signed note)")
        var root = CheckTally("检查点大小与默克尔根 / checkpoint size and Merkle root of ledger.jsonl (RFC 9162)")
        var tallyFile = CheckTally("tally.json 与重新计票一致 / tally.json equals the recorded and re-derived tally")
        var ballotsFile = CheckTally("ballots.csv 与账本中的选票一致 / ballots.csv matches the session's ballots")

        func path(_ name: String) -> String { directory + "/" + name }
        for name in [AuditBundle.ledgerFile, AuditBundle.checkpointFile, AuditBundle.publicKeyFile, AuditBundle.tallyFile, AuditBundle.ballotsFile] {
            if FileManager.default.isReadableFile(atPath: path(name)) { files.pass() } else {
                files.fail("缺少 \(name) / \(name) is missing")
            }
        }

        // The body key and the checkpoint.
        let pem = FileManager.default.contents(atPath: path(AuditBundle.publicKeyFile)).map { String(decoding: $0, as: UTF8.self) }
        let bodyKey = pem.flatMap { try? Ed25519PublicKey(pem: $0) }
        if pem != nil, bodyKey == nil { files.fail("body.pub.pem 不是 Ed25519 公钥 / body.pub.pem is not an Ed25519 public key") }
        var checkpoint: Checkpoint?
        if let data = FileManager.default.contents(atPath: path(AuditBundle.checkpointFile)) {
            let text = String(decoding: data, as: UTF8.self)
            if let note = try? SignedNote(parsing: text), let parsed = try? Checkpoint(text: note.text) {
                checkpoint = parsed
                if let bodyKey, note.signatures.first?.keyName == parsed.origin, note.isSigned(by: bodyKey, keyName: parsed.origin),
                    note.signatures.first?.keyID == SignedNote.keyID(keyName: parsed.origin, publicKey: bodyKey)
                {
                    signature.pass()
                } else {
                    signature.fail("检查点的第一个签名不是 body.pub.pem 对应密钥的有效签名 / the checkpoint's first signature is not a valid signature by body.pub.pem")
                }
            } else {
                signature.fail("checkpoint 文件不是有效的签名检查点 / the checkpoint file is not a well-formed signed checkpoint")
            }
        } else {
            signature.fail("无法读取 checkpoint / checkpoint unreadable")
        }

        // tally.json names the session; read it first so the ballots of that session can be collected.
        let tallyData = FileManager.default.contents(atPath: path(AuditBundle.tallyFile))
        let session = tallyData.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }?["session"] as? String
        if tallyData != nil, session == nil { tallyFile.fail("tally.json 无法读取或没有 session / tally.json is unreadable or names no session") }

        let collector = SessionBallotCollector(session: session)
        let auditor = HistoryAuditor()
        let tallies = TallyEntryCollector(session: session)
        let verifier = StreamVerifier(expectedBodyKey: bodyKey, observers: [auditor, collector, tallies] + extra)
        if let reader = LineReaderBox(path: path(AuditBundle.ledgerFile)) {
            while let line = reader.next() { verifier.consume(line: line) }
            if reader.unterminated { root.fail("ledger.jsonl 的最后一行没有换行，文件可能被截断 / the last line of ledger.jsonl is unterminated (truncated?)") }
            reader.close()
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

        // tally.json against the recorded tally entry (itself re-derived by the auditor).
        if let tallyData, let session {
            if let recorded = tallies.last {
                let rendered = renderers.lazy.compactMap { $0(recorded.kind, recorded.payload) }.first
                var published = tallyData
                while published.last == 0x0A || published.last == 0x0D { published.removeLast() }
                if let rendered, rendered == published { tallyFile.pass() } else {
                    tallyFile.fail("tally.json 与账本中会期 \(session) 的计票记录不同 / tally.json differs from the tally recorded for \(session)")
                }
            } else {
                tallyFile.fail("账本中没有会期 \(session) 的计票记录 / no tally of \(session) in ledger.jsonl")
            }
        }

        // ballots.csv against the session's ballot entries.
        if let session, let csvData = FileManager.default.contents(atPath: path(AuditBundle.ballotsFile)) {
            let expected = BundleWriter.ballotsCSV(items: collector.items, ballots: collector.ballots)
            if String(decoding: csvData, as: UTF8.self) == expected { ballotsFile.pass() } else {
                ballotsFile.fail("ballots.csv 与账本中会期 \(session) 的 \(collector.ballots.count) 张选票不一致 / ballots.csv differs from the \(collector.ballots.count) ballots of \(session)")
            }
        }

        let (integrity, semantic) = verifier.finish(firstID: 4)
        var checks: [Check] = [
            files.check(id: 1, passDetail: "ledger.jsonl、checkpoint、body.pub.pem、tally.json、ballots.csv 均在 / all present"),
            signature.check(id: 2, passDetail: "由 \(checkpoint?.origin ?? "") 签名 / signed by the body"),
            root.check(id: 3, passDetail: "\(verifier.count) 条，根 \(Encoding.hex(verifier.frontier.root).prefix(16))… 与检查点一致 / matches"),
        ]
        checks += integrity
        var id = checks.count + 1
        for item in semantic {
            checks.append(Check(id: id, name: item.name, ok: item.ok, detail: item.detail))
            id += 1
        }
        checks.append(tallyFile.check(id: id, passDetail: "会期 \(session ?? "") 的 tally.json 与记录及重新计票一致 / matches"))
        checks.append(ballotsFile.check(id: id + 1, passDetail: "\(collector.ballots.count) 张选票逐张一致 / every ballot matches"))
        return VerificationReport(checks: checks)
    }
}

/// Collects the published session's ballots (receipt and marks) and its items.
final class SessionBallotCollector: EntryObserver {
    let session: String?
    private(set) var items: [String] = []
    private(set) var ballots: [(receipt: String, choices: Choices)] = []

    init(session: String?) { self.session = session }

    func observe(_ fields: EntryFields, leafHash: [UInt8]) {
        guard let session, fields.session == session else { return }
        if SessionService.openingKinds.contains(fields.kind),
            let items = fields.payload["header"]?["items"]?.arrayValue?.compactMap(\.stringValue)
        {
            self.items = items
        } else if fields.isCredentialSigned, let choices = BallotJSON.choices(fields.payload) {
            ballots.append((Encoding.hex(leafHash), choices))
        }
    }

    func finish() -> [(name: String, ok: Bool, detail: String)] { [] }
}

/// Keeps the last tally entry (`ballot.tally` or `evaluate.tally`) of the published session.
final class TallyEntryCollector: EntryObserver {
    let session: String?
    private(set) var last: (kind: String, payload: JSONValue)?

    init(session: String?) { self.session = session }

    func observe(_ fields: EntryFields, leafHash: [UInt8]) {
        guard let session, fields.session == session, fields.kind.hasSuffix(".tally") else { return }
        last = (fields.kind, fields.payload)
    }

    func finish() -> [(name: String, ok: Bool, detail: String)] { [] }
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
    /// the signed checkpoint root?
    public static func checkReceipt(directory: String, receipt: String) -> ReceiptCheck {
        func fail(_ detail: String, index: Int? = nil) -> ReceiptCheck {
            ReceiptCheck(ok: false, receipt: receipt, index: index, size: nil, kind: nil, proof: [], detail: detail)
        }
        guard let leaf = Encoding.unhex(receipt), leaf.count == 32 else { return fail("回执应为 64 位十六进制数 / a receipt is 64 hex digits") }
        guard let pem = FileManager.default.contents(atPath: directory + "/" + AuditBundle.publicKeyFile),
            let key = try? Ed25519PublicKey(pem: String(decoding: pem, as: UTF8.self)),
            let noteData = FileManager.default.contents(atPath: directory + "/" + AuditBundle.checkpointFile),
            let note = try? SignedNote(parsing: String(decoding: noteData, as: UTF8.self)),
            let checkpoint = try? Checkpoint(text: note.text)
        else { return fail("公开包缺少可读的 body.pub.pem 或 checkpoint / the bundle lacks a readable key or checkpoint") }
        guard note.isSigned(by: key, keyName: checkpoint.origin) else {
            return fail("检查点签名无效 / the checkpoint signature is invalid")
        }
        guard let reader = LineReaderBox(path: directory + "/" + AuditBundle.ledgerFile) else { return fail("无法读取 ledger.jsonl / ledger.jsonl unreadable") }
        var leaves: [[UInt8]] = []
        var found: (index: Int, kind: String)?
        while let line = reader.next() {
            let hash = Merkle.leafHash(line)
            if hash == leaf, found == nil {
                found = (leaves.count, (try? EntryFields(line: line))?.kind ?? "?")
            }
            leaves.append(hash)
        }
        reader.close()
        guard let found else { return fail("公开包中没有这张回执对应的条目 / no entry with this receipt is in the bundle") }
        guard leaves.count == checkpoint.size else {
            return fail("ledger.jsonl 有 \(leaves.count) 行，检查点是 \(checkpoint.size) / ledger.jsonl does not match the checkpoint size", index: found.index)
        }
        guard let proof = try? Merkle.inclusionProof(index: found.index, leaves: leaves[...]),
            Merkle.verifyInclusion(leafHash: leaf, index: found.index, size: checkpoint.size, proof: proof, root: checkpoint.root)
        else { return fail("包含证明不能到达检查点的根 / the inclusion proof does not reach the checkpoint root", index: found.index) }
        return ReceiptCheck(
            ok: true, receipt: Encoding.hex(leaf), index: found.index, size: checkpoint.size, kind: found.kind,
            proof: proof.map { Encoding.hex($0) },
            detail: "第 \(found.index) 条（\(found.kind)）在已签名的检查点（\(checkpoint.size) 条）中，包含证明有效 / entry \(found.index) is included in the signed checkpoint")
    }
}
