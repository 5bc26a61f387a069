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
                throw InputError("名册 \(name) 的表头“\(header)”无法识别，应为 id,name[,delegation][,status]（或 编号,姓名,代表团,状态）。Unknown roster column \"\(header)\".")
            }
            guard columns[key] == nil else { throw InputError("名册 \(name) 的表头“\(header)”重复。The column \"\(header)\" appears twice.") }
            columns[key] = n
        }
        guard let idColumn = columns["id"], let nameColumn = columns["name"] else {
            throw InputError("名册 \(name) 的表头必须包含 id 和 name 两列。The roster header needs id and name.")
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
                    throw InputError("名册 \(name) 第 \(row.line) 行的状态“\(other)”无法识别，应为 seated/在任 或 suspended/暂停。Line \(row.line): unknown status.")
                }
            }
            let delegation = columns["delegation"].map { row.fields[$0].trimmingSpaces() }
            deputies.append(Deputy(
                id: row.fields[idColumn].trimmingSpaces(), name: row.fields[nameColumn].trimmingSpaces(),
                delegation: delegation?.isEmpty == false ? delegation : nil, status: status))
            lines.append(row.line)
        }
        try RosterRules.validate(deputies, lines: lines, file: name)
        return (deputies, lines)
    }
}

/// Reading input files with one clear message when they cannot be read.
public enum FileInput {
    /// The largest input file accepted (a roster or proposals sheet is far smaller).
    public static let maximumBytes = 256 * 1024 * 1024

    /// The bytes of `path`.
    public static func read(_ path: String) throws(InputError) -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw InputError("找不到文件 \(path)，请检查路径。File \(path) not found.")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw InputError("\(path) 不是普通文件。\(path) is not a regular file.") }
        guard Int(info.st_size) <= maximumBytes else {
            throw InputError("文件 \(path) 过大（\(info.st_size) 字节）。\(path) is too large.")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("无法读取文件 \(path)（没有读取权限？）。Cannot read \(path).")
        }
        return [UInt8](data)
    }

    /// SHA-256 (hex) of bytes.
    public static func sha256(_ bytes: [UInt8]) -> String { Encoding.hex(SHA256.hash(bytes)) }
}
