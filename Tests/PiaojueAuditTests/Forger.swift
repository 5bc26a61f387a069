import Foundation
import PiaojueAudit
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueTestSupport

/// A holder of the body key rewriting a published bundle as well as the key allows: entries are
/// edited, removed or inserted, then every entry is re-numbered and re-chained, every body entry
/// re-signed, a new checkpoint signed, and `tally.json`, `ballots.csv` and both reports made again
/// from the forged entries — so that nothing but the meaning of the history can give it away.
/// Ballots are re-signed only with their credential code (a forger who kept the codes).
struct Forger {
    /// The entries as objects, in order.
    var entries: [JSONObject]
    let key: Ed25519PrivateKey
    /// The origin the new checkpoint names (entry 0's key name unless a forgery changes it).
    var origin: String
    let session: String

    init(bundle directory: String, key: Ed25519PrivateKey) throws {
        let text = try String(contentsOfFile: directory + "/ledger.jsonl", encoding: .utf8)
        entries = try text.split(separator: "\n").map { line in
            guard let object = try JSONValue.parse(String(line)).objectValue else { throw FixtureError("a line is not an object") }
            return object
        }
        self.key = key
        origin = entries.first?["payload"]?["keyName"]?.stringValue ?? ""
        let tally = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/tally.json"))) as? [String: Any]
        guard let session = tally?["session"] as? String else { throw FixtureError("tally.json names no session") }
        self.session = session
    }

    /// The index of the first entry of `kind` (of `session` when given) matching `where`.
    func index(of kind: String, session: String? = nil, where test: (JSONValue) -> Bool = { _ in true }) throws -> Int {
        guard let found = entries.indices.first(where: { n in
            let payload = entries[n]["payload"] ?? .null
            return entries[n]["kind"]?.stringValue == kind && (session == nil || payload["session"]?.stringValue == session) && test(payload)
        }) else { throw FixtureError("no \(kind) entry\(session.map { " of \($0)" } ?? "")") }
        return found
    }

    /// Edits the payload of entry `n`.
    mutating func payload(_ n: Int, _ edit: (inout JSONObject) throws -> Void) throws {
        guard var payload = entries[n]["payload"]?.objectValue else { throw FixtureError("entry \(n) has no payload object") }
        try edit(&payload)
        entries[n]["payload"] = .object(payload)
    }

    /// Re-signs ballot entry `n` with its credential code (after its payload or kind changed).
    mutating func resignBallot(_ n: Int, code: String) throws {
        var secret = try SecretCode.decode(code)
        defer { Ed25519PrivateKey.cleanse(&secret) }
        let credential = try Ed25519PrivateKey(seed: secret)
        guard let payload = entries[n]["payload"] else { throw FixtureError("no payload") }
        entries[n]["signer"] = .string(credential.publicKey.base64)
        entries[n]["sig"] = .string(Encoding.base64(try credential.sign(payload.canonicalBytes)))
    }

    /// The whole bundle, forged, into `directory` (new).
    func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var lines: [[UInt8]] = []
        var previous = [UInt8](repeating: 0, count: 32)
        for (n, original) in entries.enumerated() {
            var entry = original
            entry["index"] = .integer(Int64(n))
            entry["prev"] = .string(Encoding.hex(previous))
            let kind = entry["kind"]?.stringValue ?? ""
            if !EntryFields.credentialSignedKinds.contains(kind) {
                entry["signer"] = .string(key.publicKey.base64)
                entry["sig"] = nil
                let signature = try key.sign(JSONValue.object(entry).canonicalBytes)
                entry["sig"] = .string(Encoding.base64(signature))
            }
            let line = JSONValue.object(entry).canonicalBytes
            lines.append(line)
            previous = Merkle.leafHash(line)
        }
        var ledger: [UInt8] = []
        for line in lines { ledger += line + [0x0A] }
        try Data(ledger).write(to: URL(fileURLWithPath: directory + "/ledger.jsonl"))
        let checkpoint = Checkpoint(origin: origin, size: lines.count, root: Merkle.root(lines.map { Merkle.leafHash($0) }))
        let note = try checkpoint.signed(with: key).serialized
        try Data(note.utf8).write(to: URL(fileURLWithPath: directory + "/checkpoint"))
        try Data(try key.publicKey.pem().utf8).write(to: URL(fileURLWithPath: directory + "/body.pub.pem"))
        try Data(ReportRenderer.merkleScript.utf8).write(to: URL(fileURLWithPath: directory + "/merkle_root.py"))

        // The documents, made again from the forged entries the way publishing makes them.
        let recorder = SessionRecorder(session: session)
        var csv = ""
        var rows: BallotRows?
        for line in lines {
            let fields = try EntryFields(line: line)
            recorder.observe(fields, leafHash: [])
            if rows == nil, !recorder.items.isEmpty {
                rows = BallotRows(items: recorder.items)
                csv += rows?.header ?? ""
            }
            if fields.session == session, fields.isCredentialSigned, let rows, let choices = BallotJSON.choices(fields.payload) {
                csv += rows.row(receipt: Encoding.hex(Merkle.leafHash(line)), choices: choices)
            }
        }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: directory + "/ballots.csv"))
        let documents = try SessionDocuments.make(recorder, checkpoint: checkpoint)
        try (documents.tallyJSON + Data("\n".utf8)).write(to: URL(fileURLWithPath: directory + "/tally.json"))
        try Data(ReportRenderer.html(documents.report).utf8).write(to: URL(fileURLWithPath: directory + "/report.html"))
        try Data(ReportRenderer.markdown(documents.report).utf8).write(to: URL(fileURLWithPath: directory + "/report.md"))
    }
}

extension JSONObject {
    /// An array member of ids, for editing.
    func ids(_ key: String) -> [String] { self[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    mutating func setIDs(_ key: String, _ ids: [String]) { self[key] = .array(ids.map { .string($0) }) }

    mutating func setInteger(_ key: String, _ value: Int) { self[key] = .integer(Int64(value)) }

    func integer(_ key: String) -> Int { self[key]?.integerValue.map(Int.init) ?? 0 }
}
