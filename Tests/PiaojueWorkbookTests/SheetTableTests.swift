import PiaojueDomain
import PiaojueTestSupport
import PiaojueWorkbook
import Testing

/// The table of an import, found in workbooks as county offices make them.
@Suite struct SheetTableTests {
    /// The 征集表 columns seen on real sheets (a few of them new to the CSV importer).
    static let rule = HeaderRule(
        known: ["项目名称", "类别", "项目内容", "建设内容", "建设地点", "实施地点", "投资估算", "项目概算", "完成时限", "责任单位", "实施主体"],
        amounts: ["投资估算", "项目概算"], expected: "项目名称、类别、建设内容")

    @Test(arguments: ["openpyxl-titled.xlsx", "libreoffice-titled.xlsx"])
    func theHeaderIsFoundBelowTheTitleAndTheTableReads(name: String) throws {
        let table = try SheetTable(Fixtures.workbook(name).worksheet(), header: Self.rule)
        #expect(table.headerRow == 3)
        #expect(table.ignoredColumns == [1], "序号 is left out")
        #expect(table.declaredUnit == .wan)
        #expect(table.header == ["项目名称", "类别", "项目内容", "建设地点", "投资估算", "完成时限", "责任单位"])
        #expect(table.columns.map(\.letters) == ["B", "C", "D", "E", "F", "G", "H"])
        let budget = table.columns[4]
        #expect(budget.title == "投资估算\n（万元）")
        #expect(budget.unit == .wan)
        #expect(table.totalRow == 10)
        #expect(table.rows.map(\.number) == [4, 5, 6, 7, 9], "the empty row 8 and the 合计 row 10 are left out")
        #expect(table.rows.map { $0.fields[1] } == ["住房保障", "住房保障", "医疗卫生", "公共交通", "科技教育"], "C4:C5 fills row 5")
        #expect(table.rows.map { $0.fields[4] } == ["2860万元", "4200.5万元", "1450万元", "6513.3万元", "980万元"])
        #expect(table.rows.map { $0.fields[5] } == ["2025-11-30", "2025-12-31", "2025年12月底", "2025-10-31", "2025-08-31"])
        #expect(table.rows[0].fields[0] == "城东片区老旧小区改造")
        // Each amount text is what the CSV importer's parser reads.
        #expect(try table.rows.map { try Money.parse($0.fields[4]) } == [28_600_000, 42_005_000, 14_500_000, 65_133_000, 9_800_000])
        let place = table.location(row: table.rows[3], field: 4)
        #expect(place.chinese == "工作簿 \(name) 工作表“征集汇总”第 7 行 F 列")
        #expect(place.english == "Sheet \"征集汇总\" row 7 column F (F7) of \(name)")
    }

    @Test func withoutAUnitAPlainNumberStaysAsItIs() throws {
        // The CSV-converted proposals: amounts are text with their unit already; a header without
        // a unit leaves plain numbers as they are (元 for the amount parser).
        let rule = HeaderRule(known: ["项目名称", "类别", "建设内容", "投资估算", "完成时限"], amounts: ["投资估算"], expected: "项目名称")
        let table = try SheetTable(Fixtures.workbook("libreoffice-proposals.xlsx").worksheet(), header: rule)
        #expect(table.headerRow == 1)
        #expect(table.declaredUnit == nil)
        #expect(table.columns.allSatisfy { $0.unit == nil })
        #expect(table.rows.first?.fields[4] == "2860万元")
        #expect(table.rows.first?.fields[10] == "2025-11-30")
        #expect(table.columns.filter { !$0.isKnown }.map(\.name) == ["实施地点", "资金来源", "责任单位", "建议人", "建议人单位", "征集渠道"].filter { !rule.isKnown($0) })
    }

    @Test func headerNamesAreMatchedLooselyAndUnitsRead() {
        func unit(_ text: String) -> AmountUnit? { AmountUnit(unitText: text) }
        #expect(unit("万元") == .wan)
        #expect(unit(" 万 ") == .wan)
        #expect(unit("元") == .yuan)
        #expect(unit("亿元") == .yi)
        #expect(unit("人民币万元") == .wan)
        #expect(unit("公里") == nil)
        let rows = [
            SheetRow(number: 1, cells: [Cell(column: 1, value: .text("名  册"))]),
            SheetRow(number: 2, cells: [
                Cell(column: 1, value: .text("序号")), Cell(column: 2, value: .text("姓  名")), Cell(column: 3, value: .text("金额(元)")),
                Cell(column: 4, value: .text("  项目概算（万元） ")), Cell(column: 5, value: .text("备注")),
            ]),
            SheetRow(number: 3, cells: [
                Cell(column: 1, value: .n("1")), Cell(column: 2, value: .text("孙晓燕")),
                Cell(column: 3, value: .n("1200000")), Cell(column: 4, value: .text("1,450")),
            ]),
            SheetRow(number: 4, cells: [Cell(column: 1, value: .n("2"))]),  // a pre-numbered empty row
        ]
        let sheet = Worksheet(file: "名册.xlsx", name: "Sheet1", rows: rows, mergedRanges: [])
        let rule = HeaderRule(known: ["姓名", "金额", "项目概算"], amounts: ["金额"], expected: "姓名")
        let table = try? SheetTable(sheet, header: rule)
        #expect(table?.header == ["姓名", "金额", "项目概算", "备注"])
        #expect(table?.columns.map(\.unit) == [nil, .yuan, .wan, nil])
        #expect(table?.columns.map(\.isKnown) == [true, true, true, false])
        #expect(table?.rows.map(\.fields) == [["孙晓燕", "1200000元", "1,450万元", ""]])
    }

    @Test func aDeclaredUnitAppliesToAmountColumnsOnly() throws {
        let rows = [
            SheetRow(number: 1, cells: [Cell(column: 1, value: .text("2025年民生实事项目汇总表（单位：万元）"))]),
            SheetRow(number: 2, cells: [Cell(column: 1, value: .text("项目名称")), Cell(column: 2, value: .text("投资估算")), Cell(column: 3, value: .text("联系电话"))]),
            SheetRow(number: 3, cells: [
                Cell(column: 1, value: .text("甲")), Cell(column: 2, value: .n("6513.3")),
                Cell(column: 3, value: .n("13800000000")),
            ]),
        ]
        let rule = HeaderRule(known: ["项目名称", "投资估算", "联系电话"], amounts: ["投资估算"], expected: "项目名称")
        let table = try SheetTable(Worksheet(file: "a.xlsx", name: "汇总", rows: rows, mergedRanges: []), header: rule)
        #expect(table.declaredUnit == .wan)
        #expect(table.rows.first?.fields == ["甲", "6513.3万元", "13800000000"])
    }

    @Test func theCSVImportersOwnHeaderStillWorksOnRowOne() throws {
        let roster = HeaderRule(known: ["id", "name", "delegation", "status", "编号", "姓名"], expected: "编号、姓名")
        let table = try SheetTable(Fixtures.workbook("libreoffice-deputies.xlsx").worksheet(), header: roster)
        #expect(table.headerRow == 1)
        #expect(table.header == ["id", "name", "delegation", "status"])
        #expect(table.rows.count == 190)
        #expect(table.rows.first?.fields == ["D001", "孙晓燕", "城关镇代表团", "seated"])
        let sheets = try SheetTable(Fixtures.workbook("openpyxl-sheets.xlsx").worksheet(), header: roster)
        #expect(sheets.rows.map(\.fields) == [["D001", "孙晓燕", "城关镇代表团"], ["D002", "周明亮", "城关镇代表团"]])
    }

    @Test func cellTextForImports() throws {
        let at = CellLocation(file: "a.xlsx", sheet: "S", address: CellAddress(row: 7, column: 4))
        func text(_ value: CellValue, _ unit: AmountUnit? = nil) -> String? { try? SheetTable.text(of: value, unit: unit, at: at) }
        #expect(text(.n("6513.3"), .wan) == "6513.3万元")
        #expect(text(.text("6513.3"), .wan) == "6513.3万元")
        #expect(text(.text(" 2,860 "), .wan) == "2,860万元")
        #expect(text(.text("2860万元"), .wan) == "2860万元")
        #expect(text(.text("约2860"), .wan) == "约2860")
        #expect(text(.n("1200000")) == "1200000")
        #expect(text(.boolean(true)) == "TRUE")
        #expect(text(.date(WorkbookDate(day: Day(year: 2025, month: 11, day: 30), seconds: 0, style: .date))) == "2025-11-30")
        #expect(failure { _ = try SheetTable.text(of: .error("#REF!"), unit: nil, at: at) } == .errorCell(at, value: "#REF!"))
        #expect(failure { _ = try SheetTable.text(of: .noCachedValue, unit: nil, at: at) } == .noCachedValue(at))
        let refusal = failure { _ = try SheetTable.text(of: .invalidDate(.literal("60")), unit: nil, at: at) }
        #expect(refusal == .badDate(at, serial: "60"))
        #expect(refusal?.description.hasPrefix("工作簿 a.xlsx 工作表“S”第 7 行 D 列") == true)
    }
}
