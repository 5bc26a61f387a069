import Foundation
import PiaojueCrypto
public import PiaojueDomain
import PiaojueWorkbook
public import PiaojueLedger

/// `roster import` / `roster list`: the seated deputies (实有代表).
public enum RosterService {
    /// Reads a deputies CSV or .xlsx workbook (`id,name[,delegation][,status]`, Chinese headers
    /// accepted; `sheet` names a workbook's sheet, nil the first) and records it.
    public static func importRoster(path: String, encoding: TextEncodingChoice, sheet: String? = nil, workspace: Workspace) throws -> RosterImported {
        let deputies = try readRosterFile(path: path, encoding: encoding, sheet: sheet)
        let ledger = try workspace.openForWriting()
        return try ledger.write { writer in
            let event = RosterImported(
                deputies: deputies.deputies, seated: deputies.deputies.count, rosterHash: try canonicalHash(deputies.deputies),
                file: URL(fileURLWithPath: path).lastPathComponent)
            try writer.append(event)
            return event
        }
    }

    /// The current roster, or nil when none was imported.
    public static func current(_ reader: LedgerReader) throws -> RosterImported? {
        try reader.latestEvent(RosterImported.self)
    }

    /// The current roster; refused (exit 1) when none was imported.
    public static func current(workspace: Workspace) throws -> RosterImported {
        guard let roster = try workspace.openForReading().read({ try current($0) }) else { throw RosterRefusal.noRoster }
        return roster
    }

    /// The roster's column names, Chinese or English, by the field each names.
    static let aliases: [String: String] = [
        "id": "id", "编号": "id", "代表编号": "id", "name": "name", "姓名": "name", "代表姓名": "name",
        "delegation": "delegation", "代表团": "delegation", "选区": "delegation", "选举单位": "delegation",
        "status": "status", "状态": "status",
    ]

    /// How a roster workbook's header row is told below any title rows.
    static let headerRule = HeaderRule(known: Set(aliases.keys), expected: "编号、姓名（id, name）")

    /// Parses a deputies CSV or .xlsx workbook without recording it.
    public static func readRosterFile(path: String, encoding: TextEncodingChoice, sheet: String? = nil) throws -> (deputies: [Deputy], lines: [Int]) {
        let input = try TableInput.read(path: path, limit: FileInput.maximumListBytes, encoding: encoding, sheet: sheet, header: headerRule)
        return try input.locating { try readRoster(input.table, file: input.file) }
    }

    private static func readRoster(_ table: CSVTable, file name: String) throws -> (deputies: [Deputy], lines: [Int]) {
        var columns: [String: Int] = [:]
        for (n, header) in table.header.enumerated() {
            guard let key = aliases[header] ?? aliases[header.lowercased()] else {
                throw RosterRefusal.unknownColumn(file: name, column: header)
            }
            guard columns[key] == nil else { throw RosterRefusal.duplicateColumn(file: name, column: header) }
            columns[key] = n
        }
        guard let idColumn = columns["id"], let nameColumn = columns["name"] else {
            throw RosterRefusal.missingColumns(file: name)
        }
        var deputies: [Deputy] = []
        var lines: [Int] = []
        for row in table.rows {
            var status = Deputy.Status.seated
            if let column = columns["status"] {
                switch row.fields[column].trimmingSpaces() {
                case "", "seated", "在任", "在职": status = .seated
                case "suspended", "暂停", "暂停代表职务": status = .suspended
                case let other:
                    throw RosterRefusal.unknownStatus(file: name, line: row.line, status: other)
                }
            }
            func text(_ column: Int, _ field: String) throws -> String {
                do { return try CleanText.text(row.fields[column].trimmingSpaces(), field: field) } catch {
                    throw LocatedFailure(file: name, line: row.line, column: table.header[column], underlying: error)
                }
            }
            let delegation = try columns["delegation"].map { try text($0, "代表团 delegation") }
            deputies.append(Deputy(
                id: row.fields[idColumn].trimmingSpaces(), name: try text(nameColumn, "姓名 name"),
                delegation: delegation?.isEmpty == false ? delegation : nil, status: status))
            lines.append(row.line)
        }
        return (try RosterRules.validate(deputies, lines: lines, file: name), lines)
    }
}

/// Reading input files with one clear message when they cannot be read. Every file a user names is
/// read through here: its size is checked on the open file before a byte is read, and never more
/// than the limit is read even if it grows meanwhile.
public enum FileInput {
    /// The largest spreadsheet accepted (proposals, paper ballots): 10,000 proposals with long
    /// contents, or the paper ballots of a congress of 3,000, are a few megabytes.
    public static let maximumBytes = 64 * 1024 * 1024

    /// The largest list of people (`--present`, a roster, a raters' list): a million ids of 16
    /// characters fit.
    public static let maximumListBytes = 16 * 1024 * 1024

    /// The largest signed note (a checkpoint, a proof) accepted.
    public static let maximumNoteBytes = 1024 * 1024

    /// Opens `path` for reading: a regular file, refused when larger than `limit` (nil: any size).
    private static func openRegular(_ path: String, limit: Int?) throws(FileFailure) -> (descriptor: Int32, size: Int) {
        // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused as not regular).
        let descriptor = SystemCalls.openForReading(path)
        guard descriptor >= 0 else {
            throw errno == EACCES ? .unreadable(path: path) : .missing(path: path)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            throw .unreadable(path: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw .notRegular(path: path)
        }
        let size = Int(info.st_size)
        if let limit, size > limit {
            close(descriptor)
            throw .tooLarge(path: path, bytes: size, limit: limit)
        }
        return (descriptor, size)
    }

    /// Calls `body` with each chunk read from the open file, at most `limit` + 1 bytes in all.
    private static func chunks(
        _ descriptor: Int32, path: String, limit: Int, _ body: (UnsafeRawBufferPointer) -> Void
    ) throws(FileFailure) -> Int {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0
        while total <= limit {
            let count = buffer.withUnsafeMutableBytes { SystemCalls.read(descriptor, into: $0, upTo: min($0.count, limit + 1 - total)) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .unreadable(path: path)
            }
            if count == 0 { break }
            buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            total += count
        }
        return total
    }

    /// The bytes of `path`, refused before reading when the file is larger than `limit`.
    public static func read(_ path: String, limit: Int = maximumBytes) throws(FileFailure) -> [UInt8] {
        let (descriptor, size) = try openRegular(path, limit: limit)
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        let total = try chunks(descriptor, path: path, limit: limit) { bytes.append(contentsOf: $0) }
        guard total <= limit else { throw .tooLarge(path: path, bytes: total, limit: limit) }
        return bytes
    }

    /// SHA-256 (hex) and size of the file at `path`, read in chunks (evidence files, photos and
    /// videos included, are never read whole).
    public static func digest(_ path: String) throws(FileFailure) -> (sha256: String, bytes: Int) {
        let (descriptor, _) = try openRegular(path, limit: nil)
        defer { close(descriptor) }
        var hasher = SHA256Hasher()
        let total = try chunks(descriptor, path: path, limit: Int.max - 1) { hasher.update($0) }
        return (Encoding.hex(hasher.finalize()), total)
    }

    /// SHA-256 (hex) of bytes.
    public static func sha256(_ bytes: [UInt8]) -> String { Encoding.hex(SHA256.hash(bytes)) }
}

/// The C calls ``FileInput`` makes, named apart from its own `read`.
private enum SystemCalls {
    static func openForReading(_ path: String) -> Int32 { open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }

    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, upTo count: Int) -> Int {
        Foundation.read(descriptor, buffer.baseAddress, count)
    }
}
