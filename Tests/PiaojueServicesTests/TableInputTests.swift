import Foundation
import PiaojueDomain
import PiaojueServices
import PiaojueTestSupport
import PiaojueWorkbook
import Testing

/// One table from either format: the demo's CSV files and LibreOffice's .xlsx conversions of them
/// come out as the same CSVTable, the format told by the bytes.
@Suite struct TableInputTests {
    static let roster = HeaderRule(
        known: ["id", "编号", "代表编号", "name", "姓名", "代表姓名", "delegation", "代表团", "选区", "选举单位", "status", "状态"],
        expected: "编号、姓名（id, name）")
    static let proposals = HeaderRule(
        known: [
            "title", "项目名称", "名称", "category", "类别", "项目类别", "content", "建设内容", "主要内容", "内容", "location", "实施地点", "地点",
            "budget", "投资估算", "估算投资", "funding", "资金来源", "unit", "责任单位", "牵头单位", "proposer", "建议人", "提出人",
            "proposer_unit", "建议人单位", "contact", "联系方式", "channel", "征集渠道", "渠道", "deadline", "完成时限",
        ], amounts: ["budget", "投资估算", "估算投资"], expected: "项目名称、类别、建设内容")

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestPaths.packageRoot.appendingPathComponent(relative)))
    }

    @Test(arguments: [("deputies", TableInputTests.roster), ("proposals", TableInputTests.proposals)])
    func aLibreOfficeWorkbookReadsAsItsCSV(name: String, rule: HeaderRule) throws {
        let csv = try TableInput.parse(bytes: Self.bytes("Config/demo/\(name).csv"), file: "\(name).csv", encoding: .utf8, header: rule)
        let xlsx = try TableInput.parse(
            bytes: Self.bytes("Tests/Fixtures/xlsx/libreoffice-\(name).xlsx"), file: "\(name).xlsx", encoding: .utf8, header: rule)
        #expect(csv.format == .csv(.utf8))
        #expect(xlsx.format == .xlsx(sheet: name))
        #expect(xlsx.table.header == csv.table.header)
        #expect(xlsx.table.rows.count == csv.table.rows.count)
        for (a, b) in zip(xlsx.table.rows, csv.table.rows) {
            #expect(a.fields == b.fields, "line \(b.line)")
            #expect(a.line == b.line)
        }
        #expect(xlsx.table == csv.table)
        #expect(csv.cell(line: 2, column: 0) == nil)
        #expect(xlsx.cell(line: 7, column: 3)?.chinese == "工作簿 \(name).xlsx 工作表“\(name)”第 7 行 D 列")
        #expect(xlsx.place(line: 7, column: 3).chinese == "工作簿 \(name).xlsx 工作表“\(name)”第 7 行 D 列")
        #expect(csv.place(line: 7, column: 1).chinese == "文件 \(name).csv 第 7 行“\(csv.table.header[1])”列")
        #expect(csv.place(line: 7, column: 1).english == "line 7 of \(name).csv, column \"\(csv.table.header[1])\"")
    }

    @Test func aTitledWorkbookGivesTheImporterItsColumnsAndAmountsInWan() throws {
        let base = Self.proposals
        let rule = HeaderRule(expected: base.expected, isAmount: base.isAmount) { base.isKnown($0) || ["项目内容", "建设地点"].contains($0) }
        let input = try TableInput.parse(
            bytes: Self.bytes("Tests/Fixtures/xlsx/libreoffice-titled.xlsx"), file: "汇总表.xlsx", encoding: .utf8, header: rule)
        #expect(input.table.header == ["项目名称", "类别", "项目内容", "建设地点", "投资估算", "完成时限", "责任单位"])
        #expect(input.table.rows.map(\.line) == [4, 5, 6, 7, 9])
        #expect(try input.table.rows.map { try Money.parse($0.fields[4]) } == [28_600_000, 42_005_000, 14_500_000, 65_133_000, 9_800_000])
        #expect(try input.table.rows.map { try Day(deadline: $0.fields[5]).description }
            == ["2025-11-30", "2025-12-31", "2025-12-31", "2025-10-31", "2025-08-31"])
        #expect(input.sheetTable?.totalRow == 10)
    }

    @Test func theBytesDecideNotTheName() throws {
        // A CSV called .xlsx is CSV; a workbook called .csv is a workbook.
        let csv = try TableInput.parse(bytes: Array("id,name\nD1,甲\n".utf8), file: "roster.xlsx", encoding: .utf8, header: Self.roster)
        #expect(csv.format == .csv(.utf8))
        let book = try TableInput.parse(
            bytes: Self.bytes("Tests/Fixtures/xlsx/libreoffice-deputies.xlsx"), file: "roster.csv", encoding: .gb18030, header: Self.roster)
        #expect(book.format == .xlsx(sheet: "deputies"))
    }

    @Test func refusals() throws {
        do {
            _ = try TableInput.parse(bytes: Self.bytes("Tests/Fixtures/xlsx/libreoffice-deputies.xls"), file: "名册.xls", encoding: .utf8, header: Self.roster)
            Issue.record("an .xls was read")
        } catch let error as WorkbookFailure {
            #expect(error.code == "xlsx.old-format")
            #expect(error.description.contains("请另存为 .xlsx (Excel 工作簿)"))
        }
        do {
            _ = try TableInput.parse(bytes: Array("id,name\n".utf8), file: "a.csv", encoding: .utf8, sheet: "Sheet1", header: Self.roster)
            Issue.record("--sheet was taken for a CSV")
        } catch let error as FileFailure {
            #expect(error.code == "file.sheet-for-csv")
        }
        do {
            _ = try TableInput.parse(
                bytes: Self.bytes("Tests/Fixtures/xlsx/openpyxl-sheets.xlsx"), file: "b.xlsx", encoding: .utf8, sheet: "第九页", header: Self.roster)
            Issue.record("an unknown sheet was read")
        } catch let error as WorkbookFailure {
            #expect(error.code == "xlsx.unknown-sheet")
        }
        let chosen = try TableInput.parse(
            bytes: Self.bytes("Tests/Fixtures/xlsx/openpyxl-sheets.xlsx"), file: "b.xlsx", encoding: .utf8, sheet: "第三页 & more", header: Self.roster)
        #expect(chosen.table.rows.map(\.fields) == [["D009", "王强"]])
    }
}
