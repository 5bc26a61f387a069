public import Foundation
import PiaojueCrypto
public import PiaojueDomain
public import PiaojueLedger

/// The published audit bundle (docs/audit-format.md §6): its file names, and the JSON rendering of
/// `tally.json`, which `--json` output uses too (services forward it as ``JSONRendering``).
public enum AuditBundle {
    public static let ledgerFile = "ledger.jsonl"
    public static let checkpointFile = "checkpoint"
    public static let publicKeyFile = "body.pub.pem"
    /// A gm bundle's Ed25519 checkpoint key, when the ledger has one (`init --also-ed25519`).
    public static let ed25519KeyFile = "body.ed25519.pub.pem"
    public static let tallyFile = "tally.json"
    public static let ballotsFile = "ballots.csv"
    public static let reportHTML = "report.html"
    public static let reportMarkdown = "report.md"
    public static let merkleScriptFile = "merkle_root.py"

    /// The JSON rendering of `tally.json` and of every `--json` output: sorted keys, no escaped
    /// slashes, one line.
    public static func json<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// Refuses `--out` paths that climb (`..`), symlinks and non-empty directories; creates the
    /// directory when it does not exist (see ``OutputPaths/prepareDirectory(_:)``).
    public static func prepareDirectory(_ path: String) throws(FileFailure) { try OutputPaths.prepareDirectory(path) }

    /// A new file inside `directory` (never following a symlink, never replacing a file).
    static func create(_ directory: String, _ name: String) throws -> FileHandle {
        let path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileFailure.cannotCreate(path: path, why: String(cString: strerror(errno))) }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// Writes `data` as a new file inside `directory`.
    public static func writeFile(_ directory: String, _ name: String, _ data: Data) throws {
        let handle = try create(directory, name)
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
    }
}

/// A file written in large chunks (bundles hold up to millions of lines).
final class BufferedFile {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(_ directory: String, _ name: String) throws {
        handle = try AuditBundle.create(directory, name)
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func write(_ text: String) throws { try write(text.utf8) }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try handle.synchronize()
        try handle.close()
    }
}

/// Writes a bundle from the ledger.
public enum BundleWriter {
    /// Writes the whole bundle of `session` at `checkpoint` into `directory` in one pass over the
    /// ledger: `ledger.jsonl` line by line, `ballots.csv` row by row as the session's ballots pass,
    /// then `tally.json`, the two reports (made by ``SessionDocuments`` from the same entries the
    /// verifier will see), `checkpoint`, `body.pub.pem` and `merkle_root.py`. Memory does not grow
    /// with the number of ballots.
    public static func write(
        _ reader: LedgerReader, session: String, checkpoint: StoredCheckpoint, into directory: String
    ) throws {
        let parsed = try Checkpoint(text: try SignedNote(parsing: checkpoint.note).text)
        let recorder = SessionRecorder(session: session)
        let ledgerFile = try BufferedFile(directory, AuditBundle.ledgerFile)
        let ballotsFile = try BufferedFile(directory, AuditBundle.ballotsFile)
        var rows: BallotRows?
        let mention = Array(#""session":"\#(session)""#.utf8)
        try reader.forEachLine(in: 0..<checkpoint.size) { line in
            try ledgerFile.write(line)
            try ledgerFile.write(CollectionOfOne(0x0A))
            // Only entry 0 and the entries that name the session are parsed.
            guard line.startIndex == line.endIndex || Self.isFirst(line) || Self.contains(mention, in: line) else { return }
            let bytes = Array(line)
            guard let fields = try? EntryFields(line: bytes) else { return }
            recorder.observe(fields, leafHash: [])
            if rows == nil, !recorder.items.isEmpty {
                rows = BallotRows(items: recorder.items)
                try ballotsFile.write(rows?.header ?? "")
            }
            if fields.session == session, fields.isCredentialSigned, let rows, let choices = BallotJSON.choices(fields.payload) {
                try ballotsFile.write(rows.row(receipt: Encoding.hex(reader.identity.suite.leafHash(bytes)), choices: choices))
            }
        }
        try ledgerFile.close()
        try ballotsFile.close()
        let documents = try SessionDocuments.make(recorder, checkpoint: parsed)
        // The body's signature first, then every cosignature a witness gave this checkpoint.
        try AuditBundle.writeFile(directory, AuditBundle.checkpointFile, Data(try reader.cosignedNote(checkpoint).utf8))
        try AuditBundle.writeFile(directory, AuditBundle.publicKeyFile, Data(try reader.identity.publicKey.pem().utf8))
        if let ed25519Key = reader.identity.ed25519Key {
            try AuditBundle.writeFile(directory, AuditBundle.ed25519KeyFile, Data(try ed25519Key.pem().utf8))
        }
        try AuditBundle.writeFile(directory, AuditBundle.tallyFile, documents.tallyJSON + Data("\n".utf8))
        try AuditBundle.writeFile(directory, AuditBundle.reportHTML, Data(ReportRenderer.html(documents.report).utf8))
        try AuditBundle.writeFile(directory, AuditBundle.reportMarkdown, Data(ReportRenderer.markdown(documents.report).utf8))
        try AuditBundle.writeFile(directory, AuditBundle.merkleScriptFile, Data(ReportRenderer.merkleScript(for: reader.identity.suite).utf8))
    }

    /// Whether the line is entry 0 (`{"index":0,`).
    static func isFirst(_ line: UnsafeRawBufferPointer) -> Bool {
        let prefix = Array(#"{"index":0,"#.utf8)
        return line.count >= prefix.count && zip(line.prefix(prefix.count), prefix).allSatisfy { $0 == $1 }
    }

    static func contains(_ pattern: [UInt8], in line: UnsafeRawBufferPointer) -> Bool {
        guard let first = pattern.first, line.count >= pattern.count else { return false }
        var position = 0
        let last = line.count - pattern.count
        while position <= last {
            if line[position] == first, zip(line[position..<(position + pattern.count)], pattern).allSatisfy({ $0 == $1 }) { return true }
            position += 1
        }
        return false
    }

    /// `ballots.csv` whole (small sessions and tests; publishing streams it with ``BallotRows``).
    public static func ballotsCSV(items: [String], ballots: [(receipt: String, choices: Choices)]) -> String {
        let rows = BallotRows(items: items)
        var text = rows.header
        for ballot in ballots { text += rows.row(receipt: ballot.receipt, choices: ballot.choices) }
        return text
    }
}

