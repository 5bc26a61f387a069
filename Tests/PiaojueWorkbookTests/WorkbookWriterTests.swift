import Foundation
import PiaojueDomain
import PiaojueTestSupport
import PiaojueWorkbook
import Testing

/// Workbooks written here, read back by this module's reader and by openpyxl
/// (Scripts/xlsx-check, which `Scripts/test` installs openpyxl for).
@Suite struct WorkbookWriterTests {
    static let day = Day(year: 2025, month: 11, day: 30)

    /// Texts a spreadsheet could mistake for something else, and characters XML cannot carry.
    static let trickyTexts = [
        "=1+2", "+86 138 0000 0000", "-5", "@SUM(A1)", "=HYPERLINK(\"http://example.com\",\"点我\")", "\tTAB", "第一行\r\n第二行",
        "控制\u{1}字符", "_x000D_ 字面", "好 👍", "  两端空格  ", "<b>&amp;</b>", "'引号",
    ]

    static var projects: OutputSheet {
        let columns: [OutputSheet.Column] = [
            .init("编号"), .init("项目名称"), .init("投资估算（元）", .amount), .init("得票数", .integer), .init("完成时限", .date),
            .init("满意率", .percent(places: 1)), .init("得分", .decimal(places: 2)), .init("备注"),
        ]
        var rows: [[OutputSheet.Value]] = [
            [
                .text("P1"), .text("城东片区老旧小区改造"), .integer(28_600_000), .integer(175), Self.day.map { .date($0) } ?? .empty,
                .decimal(.literal("0.976")), .decimal(.literal("6513.3")), .empty,
            ],
            [.text("P2"), .text(String(repeating: "长", count: 40)), .integer(0), .integer(-3), .empty, .empty, .empty, .text("")],
            [.text("P3"), .text("大数"), .integer(1_000_000_000_000_000), .integer(999_999_999_999_999), .date(Day(ordinal: -25_567)), .empty, .empty, .empty],
        ]
        for (n, text) in trickyTexts.enumerated() {
            rows.append([.text("T\(n)"), .text(text), .empty, .empty, .empty, .empty, .empty, .text(text)])
        }
        return OutputSheet(name: "征集项目", columns: columns, rows: rows)
    }

    static var sheets: [OutputSheet] {
        [
            projects,
            OutputSheet(
                name: "实施/进度:2025[一]*?", columns: [.init("项目"), .init("完成", .percent(places: 0))],
                textRows: [["P1", "97.6%"], ["P2", "100"], ["P3", "未填"], ["P4", ""]]),
            OutputSheet(name: "征集项目", columns: [.init("空表")], rows: []),
            OutputSheet(name: String(repeating: "很长的工作表名称", count: 6), columns: [.init("id", .integer)], textRows: [["0012"], ["12"], ["-7"], ["1e3"]]),
        ]
    }

    @Test func sheetNamesAreMadeValid() {
        #expect(WorkbookWriter.sheetName("实施/进度:2025[一]*?", taken: []) == "实施／进度：2025【一】＊？")
        #expect(WorkbookWriter.sheetName("征集项目", taken: ["征集项目"]) == "征集项目(2)")
        #expect(WorkbookWriter.sheetName("Sheet", taken: ["sheet", "sheet(2)"]) == "Sheet(3)")
        #expect(WorkbookWriter.sheetName("'引号'", taken: []) == "引号")
        #expect(WorkbookWriter.sheetName("  ", taken: []) == "Sheet")
        #expect(WorkbookWriter.sheetName("History", taken: []) == "History_")
        #expect(WorkbookWriter.sheetName("a\u{0}b\u{7}c", taken: []) == "abc")
        let long = WorkbookWriter.sheetName(String(repeating: "名", count: 40), taken: [])
        #expect(long.utf16.count == 31)
        let longTaken = WorkbookWriter.sheetName(String(repeating: "名", count: 40), taken: [long.lowercased()])
        #expect(longTaken.utf16.count == 31 && longTaken.hasSuffix("(2)"))
        #expect(WorkbookWriter.sheetName(String(repeating: "👍", count: 20), taken: []).utf16.count == 30)
    }

    @Test func widthsCountChineseDouble() {
        #expect(WorkbookWriter.displayWidth("abc") == 3)
        #expect(WorkbookWriter.displayWidth("城东片区") == 8)
        #expect(WorkbookWriter.displayWidth("ＡＢ，") == 6)
        #expect(WorkbookWriter.displayWidth("短\n很长很长的一行") == 14)
    }

    @Test func whatIsWrittenReadsBackExactly() throws {
        let bytes = try WorkbookWriter.data(Self.sheets)
        let workbook = try Workbook(bytes: bytes, file: "out.xlsx")
        #expect(workbook.sheetNames == ["征集项目", "实施／进度：2025【一】＊？", "征集项目(2)", String(repeating: "很长的工作表名称", count: 6).prefix(31).description])
        let sheet = try workbook.worksheet("征集项目")
        #expect(sheet.rows[0].cells.map(\.value) == Self.projects.columns.map { .text($0.title) })
        let first = sheet.rows[1]
        #expect(first.value(column: 3) == .n("28600000"))
        #expect(first.value(column: 5) == .date(WorkbookDate(day: Self.day, seconds: 0, style: .date)))
        #expect(first.value(column: 6) == .n("0.976"))
        #expect(first.value(column: 8) == nil)
        let big = sheet.rows[3]
        #expect(big.value(column: 3) == .text("1000000000000000"), "beyond 15 digits an amount is written as text, exactly")
        #expect(big.value(column: 4) == .n("999999999999999"))
        #expect(big.value(column: 5) == .date(WorkbookDate(day: Day(year: 1900, month: 1, day: 1), seconds: 0, style: .date)))
        for (n, text) in Self.trickyTexts.enumerated() {
            let row = sheet.rows[4 + n]
            #expect(row.value(column: 2) == .text(text), "\(text.debugDescription)")
            #expect(row.value(column: 8) == .text(text), "\(text.debugDescription)")
        }
        let percent = try workbook.worksheet("实施／进度：2025【一】＊？")
        #expect(percent.rows.map { $0.value(column: 2) } == [.text("完成"), .n("0.976"), .n("1"), .text("未填"), nil])
        #expect(try workbook.worksheet("征集项目(2)").rows.count == 1)
        let ids = try workbook.worksheet(workbook.sheetNames[3])
        #expect(ids.rows.map { $0.value(column: 1) } == [.text("id"), .text("0012"), .n("12"), .n("-7"), .text("1e3")])
    }

    @Test func theSameSheetsGiveTheSameBytes() throws {
        #expect(try WorkbookWriter.data(Self.sheets) == WorkbookWriter.data(Self.sheets))
        #expect(try WorkbookWriter.data(Self.sheets) != WorkbookWriter.data(Self.sheets, created: Date(timeIntervalSince1970: 1_750_000_000)))
        let empty = try Workbook(bytes: WorkbookWriter.data([]), file: "empty.xlsx")
        #expect(empty.sheetNames == ["Sheet1"])
    }

    @Test func whatExcelCannotHoldIsRefusedNamingTheCell() {
        let long = OutputSheet(name: "长", columns: [.init("a"), .init("b")], rows: [[.text("x"), .text(String(repeating: "字", count: 32_768))]])
        #expect(failure { _ = try WorkbookWriter.data([long]) } == .textTooLong(sheet: "长", row: 2, column: 2, length: 32_768))
        let ragged = OutputSheet(name: "S", columns: [.init("a"), .init("b")], rows: [[.text("x")]])
        #expect(failure { _ = try WorkbookWriter.data([ragged]) } == .rowWidth(sheet: "S", row: 2, values: 1, columns: 2))
    }

    @Test func writingIsAllOrNothingAndNeverReplacesUnasked() throws {
        let directory = TemporaryDirectory("xlsx-write")
        let path = directory.path("out.xlsx")
        try WorkbookWriter.write(Self.sheets, to: path)
        #expect(failure { try WorkbookWriter.write(Self.sheets, to: path) } == .fileExists(path: path))
        try WorkbookWriter.write([Self.projects], to: path, replacing: true)
        #expect(try Workbook(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))), file: "out.xlsx").sheetNames == ["征集项目"])
        let missing = directory.path("no/such/dir/out.xlsx")
        #expect(failure { try WorkbookWriter.write(Self.sheets, to: missing) }?.code == "xlsx.write-failed")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(leftovers == ["out.xlsx"], "no temporary file is left behind")
    }

    /// openpyxl reads every value back with its type, sees no formula, a bold frozen header and
    /// column widths (Scripts/xlsx-check --expect).
    @Test func openpyxlReadsWhatWasWritten() throws {
        let directory = TemporaryDirectory("xlsx-openpyxl")
        let book = directory.path("导出.xlsx")
        try WorkbookWriter.write(Self.sheets, to: book)
        let expected = directory.path("expected.json")
        try Expectation.json(Self.sheets, names: try Workbook(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: book))), file: "x").sheetNames)
            .write(to: URL(fileURLWithPath: expected))
        let result = try Checker.run([book, "--expect", expected])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("ok"), "\(result.output)")
    }

    /// The checker itself fails a workbook that differs (so a passing check means something).
    @Test func theCheckerCatchesADifference() throws {
        let directory = TemporaryDirectory("xlsx-openpyxl")
        let book = directory.path("a.xlsx")
        try WorkbookWriter.write(Self.sheets, to: book)
        var changed = Self.sheets
        changed[0].rows[0][2] = .integer(28_600_001)
        let expected = directory.path("expected.json")
        try Expectation.json(changed, names: try Workbook(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: book))), file: "x").sheetNames)
            .write(to: URL(fileURLWithPath: expected))
        let result = try Checker.run([book, "--expect", expected])
        #expect(result.status == 1)
        #expect(result.output.contains("C2"), "\(result.output)")
    }
}

/// The expectation file of Scripts/xlsx-check for sheets about to be written.
enum Expectation {
    static func json(_ sheets: [OutputSheet], names: [String]) throws -> Data {
        func kind(_ kind: OutputSheet.Kind) -> String {
            switch kind {
            case .text: "text"
            case .integer: "integer"
            case .amount: "amount"
            case .decimal: "decimal"
            case .percent: "percent"
            case .date: "date"
            }
        }
        func value(_ value: OutputSheet.Value) -> Any {
            switch value {
            case .empty: NSNull()
            case let .text(text): text.isEmpty ? NSNull() : ["text": text]
            case let .integer(n): n.magnitude > 999_999_999_999_999 ? ["text": String(n)] : ["number": String(n)]
            case let .decimal(number): ["number": number.text]
            case let .date(day): ["date": day.description]
            }
        }
        let spec: [String: Any] = [
            "sheets": zip(sheets, names).map { sheet, name in
                [
                    "name": name,
                    "columns": sheet.columns.map { ["title": $0.title, "kind": kind($0.kind)] },
                    "rows": sheet.rows.map { $0.map(value) },
                ] as [String: Any]
            }
        ]
        return try JSONSerialization.data(withJSONObject: spec, options: [.sortedKeys])
    }
}

/// Runs Scripts/xlsx-check.
enum Checker {
    struct Result {
        let status: Int32
        let output: String
    }

    static func run(_ arguments: [String]) throws -> Result {
        let run = try Tool.run(["python3", TestPaths.packageRoot.appendingPathComponent("Scripts/xlsx-check").path] + arguments)
        let output = run.output
        if run.status == 2, output.contains("openpyxl is missing") {
            Issue.record("openpyxl is not installed: run Scripts/test, or python3 -m pip install openpyxl")
        }
        return Result(status: run.status, output: output)
    }
}
