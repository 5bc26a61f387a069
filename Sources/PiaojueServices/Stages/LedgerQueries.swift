public import Foundation
import PiaojueAudit
import PiaojueCrypto
public import PiaojueDomain
import PiaojueLedger

/// The read-only questions the command line and the web layer ask of a ledger or a bundle, so that
/// neither touches the ledger, the audit or the crypto modules themselves.
public enum LedgerQueries {
    /// `log`: the last `limit` entries of a kind (prefix match) or session, oldest first.
    public static func log(kind: String?, session: String?, limit: Int?, workspace: Workspace) throws -> LogOutput {
        let entries = try workspace.openForReading().read { try $0.tail(kindPrefix: kind, session: session, limit: limit) }
        return LogOutput(entries: try entries.map { entry in
            let fields = try entry.fields()
            return LogItem(
                index: entry.index, kind: entry.kind, time: fields.time, leaf: entry.receipt, signer: Encoding.base64(fields.signer),
                summary: EntrySummary.text(kind: entry.kind, payload: fields.payload), payload: fields.payload)
        })
    }

    /// What `--trusted-key`, `--checkpoint` and `--policy` give: refused (exit 2) when a key or
    /// file is neither form.
    static func trust(key: String?, checkpoints: [String], policy: String? = nil) throws -> TrustAnchors {
        TrustAnchors(
            bodyKey: try key.map { value throws(AuditFailure) in try TrustAnchors.key(value) },
            checkpoints: try checkpoints.map(PinnedCheckpoint.read), policy: try policy.map(TrustAnchors.policy))
    }

    /// `audit verify DIR [--trusted-key KEY] [--checkpoint FILE]… [--policy FILE]`.
    public static func verifyBundle(
        directory: String, trustedKey: String? = nil, checkpoints: [String] = [], policy: String? = nil
    ) throws -> VerificationOutput {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AuditFailure.noBundle(path: directory)
        }
        let trust = try trust(key: trustedKey, checkpoints: checkpoints, policy: policy)
        return VerificationOutput(BundleAudit.verify(directory: directory, trust: trust))
    }

    /// `audit verify` of the live ledger: a ledger that cannot be opened is a failed check (exit 1),
    /// not a usage error — except when there is no file at all. With a policy, the latest
    /// checkpoint with the cosignatures stored for it must meet its quorum.
    public static func verifyLedger(
        workspace: Workspace, trustedKey: String? = nil, checkpoints: [String] = [], policy: String? = nil
    ) throws -> VerificationOutput {
        let trust = try trust(key: trustedKey, checkpoints: checkpoints, policy: policy)
        let ledger: Ledger
        do {
            ledger = try Ledger.open(at: workspace.settings.databasePath, readOnly: true)
        } catch {
            if case .missing = error { throw error }
            return VerificationOutput(checks: [CheckOutput(id: 1, name: "账本可读 / ledger readable", ok: false, detail: error.description)])
        }
        return VerificationOutput(LedgerAudit.verify(ledger, trust: trust))
    }

    /// `audit check-receipt DIR RECEIPT|PROOF-FILE [--trusted-key KEY]`: a receipt (64 hex digits),
    /// or a file holding the `c2sp.org/tlog-proof@v1` proof a cast printed.
    public static func checkReceipt(directory: String, receipt: String, trustedKey: String? = nil) throws -> ReceiptCheckOutput {
        guard FileManager.default.fileExists(atPath: directory) else { throw AuditFailure.noBundle(path: directory) }
        let trust = try trust(key: trustedKey, checkpoints: [])
        var proof: TlogProof?
        if Encoding.unhex(receipt)?.count != 32, let data = FileManager.default.contents(atPath: receipt) {
            do { proof = try TlogProof(parsing: String(decoding: data, as: UTF8.self)) } catch {
                throw AuditFailure.badProof(path: receipt, why: error.description)
            }
        }
        let check = BundleAudit.checkReceipt(directory: directory, receipt: proof == nil ? receipt : "", proof: proof, trust: trust)
        return ReceiptCheckOutput(
            ok: check.ok, receipt: check.receipt, index: check.index, size: check.size, kind: check.kind, proof: check.proof,
            detail: check.detail)
    }

    /// What a 主席团公告 of a ballot session names beside its tally.
    public static func announcementContext(session: String, workspace: Workspace) throws -> AnnouncementContext {
        try workspace.openForReading().read { reader in
            let opened = try BallotService.opening(reader, session: session)
            return AnnouncementContext(
                body: reader.identity.genesis["body"]?.stringValue ?? "",
                titles: Dictionary(opened.candidates.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first }),
                maxRounds: opened.rules.maxRounds, budgetCap: opened.rules.budgetCap)
        }
    }

    /// The body and the opening of a rating session, for its announcement.
    public static func ratingContext(session: String, workspace: Workspace) throws -> (body: String, opened: RatingSessionOpened) {
        try workspace.openForReading().read { reader in
            (reader.identity.genesis["body"]?.stringValue ?? "", try EvaluationService.opening(reader, session: session))
        }
    }
}

/// The one JSON rendering of every `--json` output and of `tally.json`: sorted keys, no escaped
/// slashes, one line.
public enum JSONRendering {
    public static func encode<T: Encodable>(_ value: T) throws -> Data { try AuditBundle.json(value) }
}

/// Keeping credential codes out of everything printed.
public enum Secrets {
    /// `text` with every credential code (in any spelling) replaced by a marker.
    public static func redacted(_ text: String) -> String { SecretCode.redacted(in: text) }

    /// The shortest stretch of something typed that is never repeated where a code could have been
    /// typed: a few characters of a code narrow the search for the rest.
    public static let longestEcho = 7

    /// `text` with every stretch of ``longestEcho`` + 1 or more characters of any of `typed` (the
    /// values a deputy typed where a code could be: every option of a cast, the code read from
    /// standard input) masked, after ``redacted(_:)``.
    /// Named values with every text in them scrubbed as ``scrubbed(_:typed:)`` scrubs a sentence.
    public static func scrubbed(_ details: ErrorDetails, typed: [String]) -> ErrorDetails {
        var clean = ErrorDetails()
        for pair in details.pairs {
            switch pair.value {
            case let .text(text): clean.append(pair.name, .text(scrubbed(text, typed: typed)))
            case let .texts(texts): clean.append(pair.name, .texts(texts.map { scrubbed($0, typed: typed) }))
            default: clean.append(pair.name, pair.value)
            }
        }
        return clean
    }

    public static func scrubbed(_ text: String, typed: [String]) -> String {
        let window = longestEcho + 1
        var pieces: Set<String> = []
        for value in typed {
            let characters = Array(value)
            guard characters.count >= window else { continue }
            for start in 0...(characters.count - window) { pieces.insert(String(characters[start..<(start + window)])) }
        }
        let characters = Array(redacted(text))
        guard !pieces.isEmpty, characters.count >= window else { return String(characters) }
        var masked = [Bool](repeating: false, count: characters.count)
        for start in 0...(characters.count - window) where pieces.contains(String(characters[start..<(start + window)])) {
            for n in start..<(start + window) { masked[n] = true }
        }
        var out = ""
        var n = 0
        while n < characters.count {
            if masked[n] {
                out += "[…]"
                while n < characters.count, masked[n] { n += 1 }
            } else {
                out.append(characters[n])
                n += 1
            }
        }
        return out
    }
}

extension VerificationOutput {
    /// The output form of an audit report.
    init(_ report: VerificationReport) {
        self.init(
            checks: report.checks.map { CheckOutput(id: $0.id, name: $0.name, ok: $0.ok, detail: $0.detail) },
            trustedKey: report.trustedKey.map(Encoding.base64), trustedKeyFingerprint: report.trustedKey.map(KeyFingerprint.text(rawKey:)),
            trustPinned: report.trustPinned)
    }
}

/// One line describing an entry, for `piaojue log`.
enum EntrySummary {
    static func text(kind: String, payload: JSONValue) -> String {
        func s(_ key: String) -> String? { payload[key]?.stringValue }
        func i(_ key: String) -> Int64? { payload[key]?.integerValue }
        switch kind {
        case "ledger.init": return "\(s("body") ?? "") 建立账本 ledger created (\(s("level") ?? ""))"
        case "roster.import": return "代表名册 roster: \(i("seated") ?? 0) 名实有代表 seated"
        case "collect.submit":
            let title = payload["proposal"]?["title"]?.stringValue ?? ""
            let duplicate = s("possibleDuplicateOf").map { "（可能与 \($0) 重复）" } ?? ""
            return "\(s("id") ?? "") 提交建议 \(title)\(duplicate)"
        case "collect.import": return "导入 \(s("file") ?? "")：\(payload["ids"]?.arrayValue?.count ?? 0) 项 imported"
        case "collect.screen":
            let detail = s("reason") ?? s("into").map { "并入 \($0)" } ?? ""
            return "\(s("id") ?? "") 筛选 \(s("decision") ?? "") \(detail)"
        case "collect.approve": return "候选名单审批 \(s("step") ?? "")（\(s("ref") ?? "")）"
        case "collect.shortlist":
            let ids = payload["candidates"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            return "候选名单 \(s("list") ?? "") 冻结：应选 \(i("seats") ?? 0)，候选 \(ids.joined(separator: ","))"
        default:
            var parts: [String] = []
            for key in ["session", "list", "id", "project", "status", "count", "step", "kind"] {
                if let text = s(key) { parts.append("\(key)=\(text)") } else if let number = i(key) { parts.append("\(key)=\(number)") }
            }
            return parts.joined(separator: " ")
        }
    }
}
