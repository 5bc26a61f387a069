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

/// Writes a bundle from the ledger.
public enum BundleWriter {
    /// Streams entries `0..<checkpoint.size` into `ledger.jsonl`, one canonical line each.
    public static func writeLedger(_ reader: LedgerReader, size: Int, into directory: String) throws {
        let handle = try AuditBundle.create(directory, AuditBundle.ledgerFile)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        try reader.forEachLine(in: 0..<size) { line in
            buffer.append(contentsOf: line)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
        try handle.synchronize()
        try handle.close()
    }

    /// `ballots.csv`: one row per ballot of the session — receipt, then each item's mark(s).
    /// Unmarked cells are empty; a cell with two marks shows both (the ballot is void).
    public static func ballotsCSV(items: [String], ballots: [(receipt: String, choices: Choices)]) -> String {
        var rows: [[String]] = []
        rows.reserveCapacity(ballots.count)
        for ballot in ballots {
            var marks: [String: [String]] = [:]
            for mark in Mark.allCases { for id in ballot.choices[mark] { marks[id, default: []].append(mark.chinese) } }
            rows.append([ballot.receipt] + items.map { marks[$0]?.joined(separator: "+") ?? "" })
        }
        return SpreadsheetText.document(header: ["receipt"] + items, rows: rows)
    }
}

