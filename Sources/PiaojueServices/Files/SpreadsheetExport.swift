import Foundation
public import PiaojueDomain
import PiaojueAudit
import PiaojueWorkbook

/// The `.xlsx` twins of the CSV exports (`--xlsx FILE` beside `--csv`): the same header and rows,
/// each column typed — counts and 元 amounts as numbers, dates as dates, everything else as text
/// cells (so a value starting with `=` is never a formula) — under a frozen bold header, on a
/// sheet with a Chinese name. The file is written as every output is: new, never over a file or
/// through a symbolic link, synced.
public enum SpreadsheetExport {
    /// `collect list --xlsx FILE`: the proposals, as `collect list --csv` writes them.
    public static func writeProposals(_ output: ProposalListOutput, to path: String) throws {
        let table = output.table
        let kinds: [OutputSheet.Kind] = [.text, .text, .text, .text, .amount, .text, .text, .text, .text, .text, .text]
        try write(name: "建议项目", header: table.header, kinds: kinds, rows: table.rows, to: path)
    }

    /// `implement status --xlsx FILE`: the status table, as `implement status --csv` writes it.
    public static func writeStatus(_ projects: [ProjectProgress], to path: String) throws {
        let kinds: [OutputSheet.Kind] = [
            .text, .text, .text, .text, .text, .integer, .amount, .amount, .percent(places: 1), .text, .text, .date, .date, .integer,
            .text, .text, .date, .date, .text, .integer,
        ]
        try write(name: "实施进度", header: StatusTable.header, kinds: kinds, rows: projects.map(StatusTable.row), to: path)
    }

    /// The roll-up's `rollup.xlsx` bytes: `rollup.csv`'s rows, typed.
    static func rollup(header: [String], rows: [[String]]) throws -> [UInt8] {
        let kinds: [OutputSheet.Kind] = [
            .text, .text, .integer, .text, .text, .text, .text, .amount, .text, .text, .text, .integer, .amount, .text, .text,
        ]
        return try WorkbookWriter.data([sheet(name: "全县汇总", header: header, kinds: kinds, rows: rows)])
    }

    private static func sheet(name: String, header: [String], kinds: [OutputSheet.Kind], rows: [[String]]) -> OutputSheet {
        let columns = header.enumerated().map { index, title in OutputSheet.Column(title, index < kinds.count ? kinds[index] : .text) }
        return OutputSheet(name: name, columns: columns, textRows: rows)
    }

    private static func write(name: String, header: [String], kinds: [OutputSheet.Kind], rows: [[String]], to path: String) throws {
        let bytes = try WorkbookWriter.data([sheet(name: name, header: header, kinds: kinds, rows: rows)])
        try OutputPaths.writeNewFile(path, bytes)
    }
}
