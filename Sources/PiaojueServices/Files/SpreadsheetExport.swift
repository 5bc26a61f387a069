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

extension SpreadsheetExport {
    /// `ballot tally --xlsx FILE`: the tally table, as `ballot tally --csv` writes it.
    public static func writeTally(_ result: TallyResult, titles: [String: String], to path: String) throws {
        let kinds: [OutputSheet.Kind] = [.integer, .text, .text, .integer, .integer, .integer, .integer, .text]
        try write(name: "计票结果", header: TallyTable.header, kinds: kinds, rows: TallyTable.rows(result, titles: titles), to: path)
    }

    /// `evaluate tally --xlsx FILE`: the rating table, as `evaluate tally --csv` writes it.
    public static func writeRating(_ result: RatingResult, opened: RatingSessionOpened, to path: String) throws {
        let kinds: [OutputSheet.Kind] = [.text, .text, .integer, .integer, .integer, .integer, .percent(places: 1), .percent(places: 1), .text, .text]
        try write(name: "测评结果", header: RatingTable.header, kinds: kinds, rows: RatingTable.rows(result, opened: opened), to: path)
    }
}

/// The tally of a ballot session as a table (`ballot tally --csv`, `--xlsx`): the candidates in
/// rank order with their counts and outcome.
public enum TallyTable {
    public static let header = [
        "名次 rank", "项目编号 id", "项目名称 title", "赞成 approve", "反对 oppose", "弃权 abstain", "未按键 not pressed", "结果 result",
    ]

    public static func rows(_ result: TallyResult, titles: [String: String]) -> [[String]] {
        result.ranked.enumerated().map { rank, candidate in
            let outcome =
                result.chosen.contains(candidate.id) ? "当选 chosen" : result.runoff.contains(candidate.id) ? "再次投票 runoff" : "未当选 not chosen"
            return [
                "\(rank + 1)", candidate.id, titles[candidate.id] ?? "", "\(candidate.approve)", "\(candidate.oppose)", "\(candidate.abstain)",
                candidate.notPressed.map(String.init) ?? "", outcome,
            ]
        }
    }
}

/// The result of a rating session as a table (`evaluate tally --csv`, `--xlsx`): each project in
/// ballot order with its counts, rates (percent, one decimal, rounded down) and class.
public enum RatingTable {
    public static let header = [
        "项目编号 id", "项目名称 title", "满意 satisfied", "基本满意 basic", "不满意 dissatisfied", "弃权 abstain", "满意率% satisfied",
        "满意和基本满意率% satisfied or basic", "测评等次 class", "整改 rectify",
    ]

    public static func rows(_ result: RatingResult, opened: RatingSessionOpened) -> [[String]] {
        let titles = Dictionary(opened.projects.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        return result.projects.map { project in
            [
                project.id, titles[project.id] ?? "", "\(project.satisfied)", "\(project.basic)", "\(project.dissatisfied)", "\(project.abstain)",
                percent(project.satisfiedRate), percent(project.rate), project.classification?.rawValue ?? "", project.rectify ? "是 yes" : "",
            ]
        }
    }

    /// `97.6` for 976/1000 (rounded down); empty when there is no rate.
    static func percent(_ ratio: Ratio?) -> String {
        guard let ratio, ratio.denominator > 0 else { return "" }
        let permille = ratio.numerator * 1000 / ratio.denominator
        return "\(permille / 10).\(permille % 10)"
    }
}
