// Scripts/bench-xlsx's reader: one table read per process, so that /usr/bin/time -v gives the
// peak memory of that read alone. Prints one JSON line: mode, rows, fields, seconds.
//
//   piaojue-workbook-bench csv FILE.csv         FileInput.read + TextDecoding + CSV.parse
//   piaojue-workbook-bench xlsx FILE.xlsx       TableInput.parse: Workbook + SheetTable → CSVTable
//   piaojue-workbook-bench sheet FILE.xlsx      Workbook.worksheet() alone (cells, no table)
//   piaojue-workbook-bench xmlparser SHEET.xml  Foundation's XMLParser over an inflated sheet part,
//                                               counting cells: the floor of an XMLParser reader
//   piaojue-workbook-bench write-csv FILE.csv OUT.xlsx   the CSV's rows through WorkbookWriter,
//                                               each column typed by its texts (whole numbers,
//                                               dates, decimals, text); seconds: the writing alone
import Foundation
import PiaojueDomain
import PiaojueServices
import PiaojueWorkbook

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The bench sheet's columns: a 征集汇总表's.
let known: Set<String> = ["序号", "项目名称", "类别", "建设内容", "实施地点", "投资估算", "资金来源", "责任单位", "建议人", "征集渠道", "完成时限"]
let rule = HeaderRule(known: known, amounts: ["投资估算"], expected: "项目名称")

func monotonic() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func report(_ mode: String, rows: Int, fields: Int, seconds: Double) {
    print("{\"mode\": \"\(mode)\", \"rows\": \(rows), \"fields\": \(fields), \"seconds\": \(String(format: "%.3f", seconds))}")
}

final class CellCounter: NSObject, XMLParserDelegate {
    var cells = 0
    var rows = 0
    var text = 0
    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if elementName == "c" { cells += 1 } else if elementName == "row" { rows += 1 }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string.utf8.count }
}

/// A column's kind from its texts: whole numbers (no leading zero), dates `YYYY-MM-DD`, plain
/// decimals, else text.
func inferredKind(_ texts: [String]) -> OutputSheet.Kind {
    let values = texts.filter { !$0.isEmpty }
    guard !values.isEmpty else { return .text }
    func isWhole(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? Substring(text.dropFirst()) : Substring(text)
        return !digits.isEmpty && digits.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } && (digits.count == 1 || digits.first != "0") && digits.count <= 15
    }
    if values.allSatisfy(isWhole) { return .integer }
    if values.allSatisfy({ (try? Day(parsing: $0)) != nil }) { return .date }
    let decimals = values.map { text -> Int? in
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, isWhole(String(parts[0])) || parts[0] == "0", !parts[1].isEmpty,
            parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return isWhole(text) ? 0 : nil }
        return parts[1].count
    }
    if decimals.allSatisfy({ $0 != nil }) { return .decimal(places: min(decimals.compactMap { $0 }.max() ?? 0, 6)) }
    return .text
}

let arguments = CommandLine.arguments
guard arguments.count == 3 || (arguments.count == 4 && arguments[1] == "write-csv") else {
    FileHandle.standardError.write(Data("usage: piaojue-workbook-bench csv|xlsx|sheet|xmlparser FILE, or write-csv FILE.csv OUT.xlsx\n".utf8))
    exit(2)
}
do {
    let mode = arguments[1]
    let started = monotonic()
    switch mode {
    case "csv":
        let bytes = try FileInput.read(arguments[2])
        let table = try CSV.parse(try TextDecoding.decode(bytes, encoding: .utf8, name: "bench.csv"), name: "bench.csv")
        report(mode, rows: table.rows.count, fields: table.rows.reduce(0) { $0 + $1.fields.count }, seconds: monotonic() - started)
    case "xlsx":
        let input = try TableInput.parse(bytes: try FileInput.read(arguments[2]), file: "bench.xlsx", encoding: .utf8, header: rule)
        report(mode, rows: input.table.rows.count, fields: input.table.rows.reduce(0) { $0 + $1.fields.count }, seconds: monotonic() - started)
    case "sheet":
        let sheet = try Workbook(bytes: try FileInput.read(arguments[2]), file: "bench.xlsx").worksheet()
        report(mode, rows: sheet.rows.count, fields: sheet.rows.reduce(0) { $0 + $1.cells.count }, seconds: monotonic() - started)
    case "xmlparser":
        guard let parser = XMLParser(contentsOf: URL(fileURLWithPath: arguments[2])) else { throw BenchFailure("cannot open \(arguments[2])") }
        let counter = CellCounter()
        parser.delegate = counter
        guard parser.parse() else { throw BenchFailure("XMLParser failed: \(String(describing: parser.parserError))") }
        report(mode, rows: counter.rows, fields: counter.cells, seconds: monotonic() - started)
    case "write-csv":
        // The CSV's rows through WorkbookWriter, each column typed by its header.
        let bytes = try FileInput.read(arguments[2])
        let table = try CSV.parse(try TextDecoding.decode(bytes, encoding: .utf8, name: "bench.csv"), name: "bench.csv")
        let columns = table.header.indices.map { index in
            OutputSheet.Column(table.header[index], inferredKind(table.rows.map { $0.fields[index] }))
        }
        let name = URL(fileURLWithPath: arguments[2]).deletingPathExtension().lastPathComponent
        let sheet = OutputSheet(name: name, columns: columns, textRows: table.rows.map(\.fields))
        let written = monotonic()
        try WorkbookWriter.write([sheet], to: arguments[3], replacing: true)
        report(mode, rows: table.rows.count, fields: table.rows.count * columns.count, seconds: monotonic() - written)
    default:
        throw BenchFailure("unknown mode \(mode)")
    }
} catch let error as any ClerkFacingError {
    FileHandle.standardError.write(Data("\(error.code): \(error)\n".utf8))
    exit(1)
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}

/// A bench usage error (bad mode, unreadable part).
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
