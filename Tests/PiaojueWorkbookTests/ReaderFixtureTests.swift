import PiaojueDomain
import PiaojueTestSupport
import PiaojueWorkbook
import Testing

/// Workbooks nobody here wrote — made by openpyxl and by LibreOffice (Tests/Fixtures/xlsx/README.md
/// gives the command for each) — read cell by cell.
@Suite struct ReaderFixtureTests {
    static func day(_ y: Int, _ m: Int, _ d: Int) -> Day? { Day(year: y, month: m, day: d) }

    /// The label/value sheet made by openpyxl (inline strings, no shared-string part) and the same
    /// sheet resaved by LibreOffice (shared strings, rich-text runs, formulas with saved results),
    /// and openpyxl's rewritten with absolute relationship targets and an `x:` prefix.
    @Test(arguments: ["openpyxl-types.xlsx", "libreoffice-types.xlsx", "openpyxl-absolute-prefixed.xlsx"])
    func everyCellTypeReads(name: String) throws {
        let workbook = try Fixtures.workbook(name)
        #expect(workbook.sheetNames == ["类型 Types"])
        #expect(workbook.dateSystem == .from1900)
        let sheet = try workbook.worksheet()
        let cells = sheet.labelled
        func text(_ label: String) -> String? {
            guard let value = cells[label] else { return nil }
            let location = CellLocation(file: name, sheet: sheet.name, address: CellAddress(row: 1, column: 2))
            return try? SheetTable.text(of: value, unit: nil, at: location)
        }
        #expect(cells["text"] == .text("城东片区老旧小区改造"))
        #expect(text("integer") == "42")
        #expect(text("decimal") == "6513.3")
        #expect(text("float-artifact") == "0.3")
        #expect(text("large-integer") == "123456789012346000")
        #expect(text("negative") == "-5")
        #expect(cells["number-as-text"] == .text("6513.3"))
        #expect(cells["true"] == .boolean(true))
        #expect(cells["false"] == .boolean(false))
        #expect(cells["date"] == .date(WorkbookDate(day: Self.day(2025, 11, 30), seconds: 0, style: .date)))
        #expect(text("datetime") == "2025-11-30 08:30:00")
        #expect(text("time") == "08:30:15")
        #expect(text("year-month") == "2025-11")
        #expect(text("chinese-date") == "2025-12-31")
        #expect(text("serial-1") == "1900-01-01")
        #expect(text("serial-59") == "1900-02-28")
        #expect(text("serial-61") == "1900-03-01")
        #expect(cells["error"] == .error("#N/A"))
        #expect(cells["formula-looking-text"] == .text("=SUM(B2:B3)"))
        #expect(cells["newline"] == .text("第一行\n第二行"))
        #expect(cells["spaces"] == .text("  leading and trailing  "))
        #expect(cells["rich-text"] == .text("普通加粗 结尾"))
        #expect(cells["emoji"] == .text("好 👍"))
        #expect(cells["leading-zero"] == .text("0012"))
        #expect(text("percent") == "0.976")
        #expect(text("amount-format") == "1200000")
        #expect(cells["after-gap"] == .text("还在 still here"))
        // openpyxl does not calculate, LibreOffice does.
        if name.hasPrefix("libreoffice") {
            #expect(text("formula-without-value") == "3")
        } else {
            #expect(cells["formula-without-value"] == .noCachedValue)
        }
        // Empty rows are skipped, styled empty cells far below and to the right are no rows.
        #expect(sheet.rows.last?.number == 40)
        #expect(sheet.rows.map(\.number) == Array(1...28) + [40])
        #expect(sheet.rows.allSatisfy { $0.cells.allSatisfy { $0.column <= 2 } })
    }

    @Test func largeNumbersKeepTheirLiteralDigits() throws {
        let cells = try Fixtures.workbook("libreoffice-types.xlsx").worksheet().labelled
        guard case let .number(number)? = cells["large-integer"] else {
            Issue.record("not a number")
            return
        }
        #expect(number.literal == "1.23456789012346E+017")
        #expect(number.wholeNumber == 123_456_789_012_346_000)
    }

    @Test func the1904DateSystem() throws {
        let workbook = try Fixtures.workbook("openpyxl-1904.xlsx")
        #expect(workbook.dateSystem == .from1904)
        let cells = try workbook.worksheet().labelled
        #expect(cells["date"] == .date(WorkbookDate(day: Self.day(2025, 11, 30), seconds: 0, style: .date)))
        #expect(cells["epoch"] == .date(WorkbookDate(day: Self.day(1904, 1, 1), seconds: 0, style: .date)))
        #expect(cells["epoch+1"] == .date(WorkbookDate(day: Self.day(1904, 1, 2), seconds: 0, style: .date)))
        #expect(cells["datetime"] == .date(WorkbookDate(day: Self.day(2025, 11, 30), seconds: 8 * 3600 + 30 * 60, style: .dateTime)))
    }

    @Test func sheetsByNameHiddenSheetsSkippedByDefault() throws {
        let workbook = try Fixtures.workbook("openpyxl-sheets.xlsx")
        #expect(workbook.sheetNames == ["说明", "代表名册", "第三页 & more"])
        #expect(workbook.sheets.map(\.visible) == [false, true, true])
        #expect(workbook.firstSheet.name == "代表名册")
        #expect(try workbook.worksheet().rows.count == 3)
        let third = try workbook.worksheet("第三页 & more")
        #expect(third.rows[1].cells.map(\.value) == [.text("D009"), .text("王强")])
        #expect(try workbook.worksheet("  第三页 & MORE ").name == "第三页 & more")
        #expect(try workbook.worksheet("说明").rows.count == 1)
        let missing = failure { _ = try workbook.worksheet("Sheet9") }
        #expect(missing == .unknownSheet(file: "openpyxl-sheets.xlsx", sheet: "Sheet9", available: ["说明", "代表名册", "第三页 & more"]))
        #expect(missing?.code == "xlsx.unknown-sheet")
        #expect(missing?.description.contains("“代表名册”") == true)
    }

    @Test func mergedRangesAreListedAndKeepTheirValueTopLeft() throws {
        for name in ["openpyxl-titled.xlsx", "libreoffice-titled.xlsx"] {
            let sheet = try Fixtures.workbook(name).worksheet()
            #expect(sheet.name == "征集汇总")
            #expect(Set(sheet.mergedRanges.map(\.description)) == ["A1:H1", "A2:D2", "C4:C5", "A10:E10"], "\(name)")
            #expect(sheet.rows[0].cells.map(\.value) == [.text("2025年民生实事候选项目征集汇总表")], "\(name)")
            let row5 = try #require(sheet.rows.first { $0.number == 5 })
            #expect(row5.value(column: 3) == nil, "\(name): a merged cell's other cells are empty")
        }
    }

    /// The demo's CSV files converted by LibreOffice: shared strings, dates recognised as dates.
    @Test func libreOfficeConversionsOfTheDemoFiles() throws {
        let roster = try Fixtures.workbook("libreoffice-deputies.xlsx").worksheet()
        #expect(roster.name == "deputies")
        #expect(roster.rows[0].cells.map(\.value) == ["id", "name", "delegation", "status"].map { .text($0) })
        #expect(roster.rows[1].cells.map(\.value) == ["D001", "孙晓燕", "城关镇代表团", "seated"].map { .text($0) })
        let proposals = try Fixtures.workbook("libreoffice-proposals.xlsx").worksheet()
        let deadline = try #require(proposals.rows[1].value(column: 11))
        #expect(deadline == .date(WorkbookDate(day: Self.day(2025, 11, 30), seconds: 0, style: .date)))
        #expect(proposals.rows[1].value(column: 5) == .text("2860万元"))
    }

    @Test func formatIsToldByTheBytesNotTheName() throws {
        #expect(SpreadsheetFormat(try Fixtures.bytes("libreoffice-deputies.xlsx")) == .zip)
        #expect(SpreadsheetFormat(try Fixtures.bytes("libreoffice-deputies.xls")) == .compoundFile)
        #expect(SpreadsheetFormat(try Fixtures.bytes("encrypted-deputies.xlsx")) == .compoundFile)
        #expect(SpreadsheetFormat(Array("id,name\n".utf8)) == .other)
        #expect(SpreadsheetFormat([UInt8]()) == .other)
    }

    @Test func oldEncryptedAndOtherFormatsAreRefusedWithWhatToDo() throws {
        let xls = failure { _ = try Fixtures.workbook("libreoffice-deputies.xls") }
        #expect(xls == .oldFormat(file: "libreoffice-deputies.xls"))
        #expect(xls?.description.contains("另存为 .xlsx (Excel 工作簿)") == true)
        #expect(xls?.description.contains("save it as .xlsx") == true)
        #expect(xls?.exitStatus == 2)
        let encrypted = failure { _ = try Fixtures.workbook("encrypted-deputies.xlsx") }
        #expect(encrypted == .encrypted(file: "encrypted-deputies.xlsx"))
        let ods = failure { _ = try Fixtures.workbook("libreoffice-proposals.ods") }
        #expect(ods?.code == "xlsx.other-format")
        #expect(ods?.description.contains(".ods") == true)
    }
}
