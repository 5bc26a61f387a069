import Foundation
import PiaojueCrypto
public import PiaojueDomain
public import PiaojueLedger

/// `roster import` / `roster list`: the seated deputies (实有代表).
public enum RosterService {
    /// Reads a deputies CSV (`id,name[,delegation][,status]`, Chinese headers accepted) and records it.
    public static func importRoster(path: String, encoding: TextEncodingChoice, workspace: Workspace) throws -> RosterImported {
        let deputies = try readRosterFile(path: path, encoding: encoding)
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

    /// Parses a deputies CSV without recording it.
    public static func readRosterFile(path: String, encoding: TextEncodingChoice) throws -> (deputies: [Deputy], lines: [Int]) {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let table = try CSV.parse(try TextDecoding.decode(try FileInput.read(path), encoding: encoding, name: name), name: name)
        let aliases: [String: String] = [
            "id": "id", "编号": "id", "代表编号": "id", "name": "name", "姓名": "name", "代表姓名": "name",
            "delegation": "delegation", "代表团": "delegation", "选区": "delegation", "选举单位": "delegation",
            "status": "status", "状态": "status",
        ]
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

/// Reading input files with one clear message when they cannot be read.
public enum FileInput {
    /// The largest input file accepted (a roster or proposals sheet is far smaller).
    public static let maximumBytes = 256 * 1024 * 1024

    /// The largest list of deputy ids (`--present`): a million ids of 16 characters fit.
    public static let maximumListBytes = 16 * 1024 * 1024

    /// The bytes of `path`, refused before reading when the file is larger than `limit`.
    public static func read(_ path: String, limit: Int = maximumBytes) throws(FileFailure) -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .missing(path: path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notRegular(path: path) }
        guard Int(info.st_size) <= limit else { throw .tooLarge(path: path, bytes: Int(info.st_size), limit: limit) }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        return [UInt8](data)
    }

    /// SHA-256 (hex) of bytes.
    public static func sha256(_ bytes: [UInt8]) -> String { Encoding.hex(SHA256.hash(bytes)) }
}
