import Foundation
import PiaojueDomain
import PiaojueTestSupport
import PiaojueWorkbook
import Testing

/// .xlsx in and out through the binary (issue 20): every import that takes CSV takes a workbook,
/// told by its bytes, with `--sheet`; a bad cell names the sheet, the row and the column letter and
/// nothing is recorded; an .xls is refused asking for .xlsx; every CSV export has its `--xlsx FILE`
/// twin, which openpyxl (Scripts/xlsx-check) reads back as the CSV.
@Suite struct WorkbookEndToEndTests {
    let corpus = BadInputCorpusTests()

    static func fixture(_ name: String) -> URL { TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/xlsx/\(name)") }

    /// Copies a fixture into `directory` under `name`.
    static func copy(_ fixture: String, to directory: URL, as name: String) throws {
        try Data(contentsOf: Self.fixture(fixture)).write(to: directory.appendingPathComponent(name))
    }

    /// Writes `rows` of text as the one sheet `sheet` of a workbook `name` in `directory`.
    static func workbook(_ name: String, in directory: URL, sheet: String, header: [String], rows: [[String]]) throws {
        let sheet = OutputSheet(name: sheet, columns: header.map { OutputSheet.Column($0) }, textRows: rows)
        try WorkbookWriter.write([sheet], to: directory.appendingPathComponent(name).path)
    }

    /// Runs Scripts/xlsx-check on a workbook against a CSV export (openpyxl reads the workbook).
    static func openpyxlMatches(_ book: String, csv: String) throws -> (Bool, String) {
        let run = try Tool.run(["python3", TestPaths.packageRoot.appendingPathComponent("Scripts/xlsx-check").path, book, "--csv", csv])
        return (run.status == 0, run.output)
    }

    // MARK: Imports

    @Test func theDemoRosterAndProposalsImportFromLibreOfficeWorkbooksAsFromTheirCSV() throws {
        let fromCSV = try CLIWorkspace()
        try Data(contentsOf: TestPaths.packageRoot.appendingPathComponent("Config/demo/deputies.csv"))
            .write(to: fromCSV.directory.url.appendingPathComponent("deputies.csv"))
        try Data(contentsOf: TestPaths.packageRoot.appendingPathComponent("Config/demo/proposals.csv"))
            .write(to: fromCSV.directory.url.appendingPathComponent("proposals.csv"))
        let csvRoster = try fromCSV.piaojue.ok(["roster", "import", "deputies.csv", "--json"]).json()
        let csvProposals = try fromCSV.piaojue.ok(["collect", "import", "proposals.csv", "--json"]).json()

        let fromXLSX = try CLIWorkspace()
        try Self.copy("libreoffice-deputies.xlsx", to: fromXLSX.directory.url, as: "代表名册.xlsx")
        try Self.copy("libreoffice-proposals.xlsx", to: fromXLSX.directory.url, as: "征集汇总表.xlsx")
        let roster = try fromXLSX.piaojue.ok(["roster", "import", "代表名册.xlsx", "--sheet", "deputies", "--json"]).json()
        let proposals = try fromXLSX.piaojue.ok(["collect", "import", "征集汇总表.xlsx", "--json"]).json()
        #expect(roster["seated"] as? Int == csvRoster["seated"] as? Int)
        #expect((roster["seated"] as? Int ?? 0) > 0)
        #expect(proposals["imported"] as? Int == csvProposals["imported"] as? Int)
        #expect(proposals["ids"] as? [String] == csvProposals["ids"] as? [String])
        // The proposals read the same: their list as CSV is the same text.
        let a = try fromCSV.piaojue.ok(["collect", "list", "--csv"]).stdout
        let b = try fromXLSX.piaojue.ok(["collect", "list", "--csv"]).stdout
        #expect(a == b)
        // The import records the workbook as such; the audit accepts it.
        let summary = try need(try fromXLSX.log().last { $0.kind == "collect.import" }, "collect.import")
        #expect(summary.payload["encoding"] as? String == "xlsx")
        #expect(summary.payload["file"] as? String == "征集汇总表.xlsx")
        try fromXLSX.piaojue.ok(["audit", "verify"])
    }

    @Test func aTitledSheetWithAmountsInWanImportsBelowItsTitle() throws {
        let workspace = try CLIWorkspace()
        try Self.copy("libreoffice-titled.xlsx", to: workspace.directory.url, as: "汇总表.xlsx")
        let imported = try workspace.piaojue.ok(["collect", "import", "汇总表.xlsx", "--json"]).json()
        #expect(imported["imported"] as? Int == 5)
        let listed = try workspace.piaojue.ok(["collect", "list", "--json"]).json()
        let proposals = try need(listed["proposals"] as? [[String: Any]], "proposals")
        #expect(proposals.compactMap { $0["budget"] as? Int } == [28_600_000, 42_005_000, 14_500_000, 65_133_000, 9_800_000])
    }

    @Test func aBadCellNamesTheSheetTheRowAndTheColumnLetterAndNothingIsRecorded() throws {
        let workspace = try CLIWorkspace()
        try Self.workbook(
            "征集表.xlsx", in: workspace.directory.url, sheet: "征集表", header: ["项目名称", "类别", "建设内容", "投资估算（万元）"],
            rows: [["路灯改造", "市政建设", "安装路灯", "120"], ["公厕提升", "市政建设", "改造公厕", "约一百万"]])
        try corpus.expectRefused(
            workspace, ["collect", "import", "征集表.xlsx"], mentions: ["工作表“征集表”第 3 行 D 列", "约一百万"], code: "input.amount")
        // A roster with a bad status: the sheet, row 3 … (the status column is C).
        try Self.workbook(
            "名册.xlsx", in: workspace.directory.url, sheet: "代表", header: ["编号", "姓名", "状态"],
            rows: [["D001", "张三", "在任"], ["D002", "李四", "出差"]])
        try corpus.expectRefused(workspace, ["roster", "import", "名册.xlsx"], mentions: ["名册.xlsx", "第 3 行", "出差"], code: "roster.unknown-status")
        // A name with a control character is named by its cell.
        try Self.workbook(
            "名册2.xlsx", in: workspace.directory.url, sheet: "代表", header: ["编号", "姓名"], rows: [["D001", "张三"], ["D002", "李\u{1B}四"]])
        try corpus.expectRefused(
            workspace, ["roster", "import", "名册2.xlsx"], mentions: ["工作表“代表”第 3 行 B 列"], code: "input.control-character")
    }

    @Test func oldFormatsAndMisusedSheetsAreRefused() throws {
        let workspace = try CLIWorkspace()
        // An Excel 97–2003 file, even when named .xlsx: the bytes decide.
        try Self.copy("libreoffice-deputies.xls", to: workspace.directory.url, as: "名册.xlsx")
        try corpus.expectRefused(
            workspace, ["roster", "import", "名册.xlsx"], mentions: ["名册.xlsx", "请另存为 .xlsx (Excel 工作簿)"], code: "xlsx.old-format")
        try Self.copy("libreoffice-proposals.ods", to: workspace.directory.url, as: "征集表.ods")
        try corpus.expectRefused(workspace, ["collect", "import", "征集表.ods"], mentions: ["征集表.ods"], code: "xlsx.other-format")
        try Self.copy("libreoffice-deputies.xlsx", to: workspace.directory.url, as: "名册-ok.xlsx")
        try corpus.expectRefused(
            workspace, ["roster", "import", "名册-ok.xlsx", "--sheet", "第二页"], mentions: ["第二页", "deputies"], code: "xlsx.unknown-sheet")
        try workspace.write("d.csv", "id,name\nD001,张三\n")
        try corpus.expectRefused(workspace, ["roster", "import", "d.csv", "--sheet", "Sheet1"], mentions: ["d.csv", "--sheet"], code: "file.sheet-for-csv")
    }

    @Test func paperBallotsImportFromAWorkbookSheet() throws {
        let (congress, session, codes) = try E2EScenario.issuedSession(seated: 5)
        var rows = codes.prefix(4).map { [$0, "P1;P2", "P3", ""] }
        rows.append([codes[4], "P1;P2;P3", "", ""])  // over-marked: void
        let sheet = OutputSheet(
            name: "第一计票组", columns: ["凭证码", "approve", "oppose", "abstain"].map { OutputSheet.Column($0) }, textRows: rows)
        let other = OutputSheet(name: "说明", columns: [OutputSheet.Column("说明")], textRows: [["本表由计票人填写"]])
        try WorkbookWriter.write([other, sheet], to: congress.path("纸质选票.xlsx"))
        let imported = try congress.json(["ballot", "import", session, "纸质选票.xlsx", "--sheet", "第一计票组"])
        #expect(imported["imported"] as? Int == 5)
        #expect(imported["void"] as? Int == 1)
        _ = try congress.close(session)
        let counts = try E2EScenario.counts(try congress.tally(session))
        #expect(counts["P1"]?["approve"] as? Int == 4)
        #expect(counts["P3"]?["oppose"] as? Int == 4)
        // The tally as CSV and as a workbook: openpyxl reads the same table.
        try congress.write("tally.csv", try congress.ok(["ballot", "tally", session, "--csv"]).stdout)
        try congress.ok(["ballot", "tally", session, "--xlsx", "计票结果.xlsx"])
        let (same, output) = try Self.openpyxlMatches(congress.path("计票结果.xlsx"), csv: congress.path("tally.csv"))
        #expect(same, "\(output)")
        #expect(try congress.ok(["ballot", "tally", session, "--csv"]).stdout.contains("当选 chosen"))
    }

    @Test func paperBallotsWithABadIDAreRefusedNamingTheirCell() throws {
        let (congress, session, codes) = try E2EScenario.issuedSession(seated: 3)
        let sheet = OutputSheet(
            name: "选票", columns: ["credential", "approve", "oppose", "abstain"].map { OutputSheet.Column($0) },
            textRows: [[codes[0], "P1", "", ""], [codes[1], "P1", "P2\u{200B}", ""], [codes[2], "P1", "", ""]])
        try WorkbookWriter.write([sheet], to: congress.path("票.xlsx"))
        let before = try congress.entryCount()
        let result = try congress.run(["ballot", "import", session, "票.xlsx"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("工作表“选票”第 3 行 C 列"), "\(result.stderr)")
        #expect(try congress.entryCount() == before)
    }

    @Test func ratingBallotsAndTheRatersRosterImportFromWorkbooks() throws {
        let hall = try EvaluationEndToEndTests.Hall(deputies: 6, projects: ["社区食堂", "老旧小区改造", "乡村道路硬化"], seats: 2)
        let raters = OutputSheet(
            name: "常委会组成人员", columns: ["编号", "姓名"].map { OutputSheet.Column($0) },
            textRows: hall.deputies.prefix(4).map { [$0, "委员\($0.suffix(3))"] })
        try WorkbookWriter.write([raters], to: hall.directory.path("常委会组成人员.xlsx"))
        let opened = try hall.rate.ok([
            "evaluate", "open", "--projects", hall.chosen.joined(separator: ","), "--roster", "常委会组成人员.xlsx", "--json",
        ]).json()
        let session = try need(opened["session"] as? String, "session")
        let codes = try hall.issue(session, raters: Array(hall.deputies.prefix(4)))
        let rated = hall.chosen[0]
        let sheet = OutputSheet(
            name: "测评票", columns: ["凭证码", "满意", "基本满意", "不满意", "弃权"].map { OutputSheet.Column($0) },
            textRows: codes.map { [$0, rated, "", "", ""] })
        try WorkbookWriter.write([sheet], to: hall.directory.path("测评票.xlsx"))
        let imported = try hall.rate.ok(["evaluate", "import", session, "测评票.xlsx", "--json"]).json()
        #expect(imported["imported"] as? Int == 4)
        #expect(imported["void"] as? Int == 0)
        try hall.rate.ok(["evaluate", "close", session])
        try hall.write("rating.csv", try hall.rate.ok(["evaluate", "tally", session, "--csv"]).stdout)
        try hall.rate.ok(["evaluate", "tally", session, "--xlsx", "测评结果.xlsx"])
        let (same, output) = try Self.openpyxlMatches(hall.directory.path("测评结果.xlsx"), csv: hall.directory.path("rating.csv"))
        #expect(same, "\(output)")
        #expect(try String(contentsOfFile: hall.directory.path("rating.csv"), encoding: .utf8).contains("满意"))
    }

    // MARK: Exports

    @Test func collectListWritesItsCSVAsAWorkbookThatOpenpyxlReadsTheSame() throws {
        let workspace = try CLIWorkspace()
        try workspace.write(
            "p.csv",
            "项目名称,类别,建设内容,投资估算,完成时限\n路灯改造,市政建设,安装路灯,120万,2025-12-31\n\"=HYPERLINK(\"\"x\"\")\",市政建设,公式注入,1200000,\n公厕提升,市政建设,改造公厕,,2025-06\n")
        try workspace.piaojue.ok(["collect", "import", "p.csv"])
        let csv = try workspace.piaojue.ok(["collect", "list", "--csv"]).stdout
        try workspace.write("list.csv", csv)
        let printed = try workspace.piaojue.ok(["collect", "list", "--xlsx", "建议项目.xlsx"]).stdout
        #expect(printed.contains("P1"))
        let book = workspace.directory.path("建议项目.xlsx")
        let (same, output) = try Self.openpyxlMatches(book, csv: workspace.directory.path("list.csv"))
        #expect(same, "\(output)")
        // Our reader sees a Chinese sheet name, a number for the amount, the formula as text.
        let sheet = try Workbook(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: book))), file: "建议项目.xlsx").worksheet()
        #expect(sheet.name == "建议项目")
        #expect(sheet.rows.count == 4)
        // An existing file is never overwritten.
        try corpus.expectRefused(workspace, ["collect", "list", "--xlsx", "建议项目.xlsx"], mentions: ["建议项目.xlsx"], code: "file.output-exists")
    }

    @Test func implementStatusWritesItsCSVAsAWorkbookThatOpenpyxlReadsTheSame() throws {
        let ledger = try ImplementationEndToEndTests.Ledger()
        let binary = ledger.on("2025-07-01")
        try ledger.write("status.csv", try binary.ok(["implement", "status", "--csv"]).stdout)
        try binary.ok(["implement", "status", "--xlsx", "实施进度.xlsx"])
        let (same, output) = try Self.openpyxlMatches(ledger.directory.path("实施进度.xlsx"), csv: ledger.directory.path("status.csv"))
        #expect(same, "\(output)")
        let sheet = try Workbook(
            bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: ledger.directory.path("实施进度.xlsx")))), file: "实施进度.xlsx"
        ).worksheet()
        #expect(sheet.name == "实施进度")
        #expect(sheet.rows.count == 5)  // the header and P1–P4
    }
}
