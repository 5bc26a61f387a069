import ArgumentParser
import PiaojueCrypto
import PiaojueLedger
import PiaojueServices

extension Piaojue {
    /// `piaojue log`: the entries, newest last.
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log",
            abstract: "查看账本条目 List ledger entries, newest last.",
            discussion: """
                Example:
                  piaojue log --kind collect.submit --limit 20
                  piaojue log --session S1 --json
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: "只看某类条目 Only entries of this kind (prefix match: collect, ballot, session …).")
        var kind: String?

        @Option(help: "只看某个会期 Only entries of this session (S1, R1 …).")
        var session: String?

        @Option(help: "只显示最后 N 条 Only the last N entries.")
        var limit: Int?

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit 必须至少为 1。--limit must be at least 1.") }
        }

        func run() throws {
            let ledger = try global.workspace().openForReading()
            var entries: [(LedgerEntry, EntryFields)] = []
            try ledger.read { reader in
                try reader.forEachEntry { entry in
                    if let kind, !(entry.kind == kind || entry.kind.hasPrefix(kind + ".")) { return }
                    if let session, entry.session != session { return }
                    entries.append((entry, try entry.fields()))
                    if let limit, entries.count > limit { entries.removeFirst() }
                }
            }
            struct Item: Encodable {
                let index: Int
                let kind: String
                let time: String
                let leaf: String
                let signer: String
                let payload: AnyJSON
            }
            struct Result: Encodable { let entries: [Item] }
            global.emit(Result(entries: entries.map { entry, fields in
                Item(
                    index: entry.index, kind: entry.kind, time: fields.time, leaf: entry.receipt,
                    signer: Encoding.base64(fields.signer), payload: AnyJSON(fields.payload))
            })) {
                entries.map { entry, fields in
                    "#\(entry.index)  \(fields.time)  \(entry.kind)  \(EntrySummary.text(kind: entry.kind, payload: fields.payload))"
                }.joined(separator: "\n")
            }
        }
    }
}

/// A ``JSONValue`` as Encodable, for --json output.
struct AnyJSON: Encodable {
    let value: JSONValue

    init(_ value: JSONValue) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        switch value {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case let .bool(flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case let .integer(number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case let .string(text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case let .array(items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(AnyJSON(item)) }
        case let .object(object):
            var container = encoder.container(keyedBy: DynamicKey.self)
            for member in object.members { try container.encode(AnyJSON(member.value), forKey: DynamicKey(member.key)) }
        }
    }

    struct DynamicKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
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
