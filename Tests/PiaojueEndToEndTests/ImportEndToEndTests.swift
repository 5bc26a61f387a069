import Foundation
import PiaojueTestSupport
import Testing

/// `collect import`: Chinese spreadsheets as Excel writes them, all rows or none, and a county's
/// year of proposals in one command.
@Suite struct ImportEndToEndTests {
    static let fixtures = TestPaths.fixtures.appendingPathComponent("collection")

    /// `proposals-gb18030.csv` is `proposals-utf8.csv` converted with
    /// `iconv -f UTF-8 -t GB18030`, as Excel on Chinese Windows saves a CSV.
    @Test(arguments: [("proposals-gb18030.csv", "gb18030"), ("proposals-utf8.csv", "utf-8"), ("proposals-gb18030.csv", "GBK")])
    func chineseHeadersInEitherEncodingImport(_ file: String, _ encoding: String) throws {
        let workspace = try CLIWorkspace()
        let path = Self.fixtures.appendingPathComponent(file).path
        let imported = try workspace.piaojue.ok(["collect", "import", path, "--encoding", encoding, "--json"]).json()
        #expect(imported["imported"] as? Int == 3)
        #expect(imported["ids"] as? [String] == ["P1", "P2", "P3"])
        let listed = try need(try workspace.piaojue.ok(["collect", "list", "--json"]).json()["proposals"] as? [[String: Any]], "proposals")
        #expect(listed.map { $0["title"] as? String } == ["城东社区养老服务中心", "老旧小区加装电梯", "乡村学校食堂改造"])
        #expect(listed.map { $0["category"] as? String } == ["社会保障", "住房保障", "科技教育"])
        #expect(listed.map { $0["budget"] as? Int } == [1_200_000, 1_200_000, 65_133_000])
        #expect(listed.map { $0["status"] as? String } == ["submitted", "submitted", "submitted"])
        let entries = try workspace.log()
        let first = try need(entries.first { $0.kind == "collect.submit" }?.payload["proposal"] as? [String: Any], "proposal")
        #expect(first["deadline"] as? String == "2025-12-31")
        #expect(first["location"] as? String == "城东街道")
        #expect(first["unit"] as? String == "县民政局")
        #expect((first["proposer"] as? [String: Any])?["name"] as? String == "王芳")
        let summary = try #require(entries.last)
        #expect(summary.kind == "collect.import")
        #expect(summary.payload["file"] as? String == file)
        #expect((summary.payload["sha256"] as? String)?.count == 64)
    }

    @Test func aGB18030FileReadAsUTF8IsRefusedWithAHint() throws {
        let workspace = try CLIWorkspace()
        let path = Self.fixtures.appendingPathComponent("proposals-gb18030.csv").path
        let stderr = try workspace.expectRefusal(["collect", "import", path], status: 2)
        #expect(stderr.contains("gb18030"))
        #expect(stderr.contains("第 1 行"))
        try workspace.expectRefusal(["collect", "import", path, "--encoding", "latin-9"], status: 2)
    }

    static let header = "项目名称,类别,建设内容,实施地点,投资估算,完成时限\n"
    static let goodRow = "城东路灯改造,市政建设,更换路灯 200 盏,城东街道,120万,2025-12-31\n"

    @Test(arguments: [
        ("城西公园,生态环境,新建口袋公园,城西街道,一百万,2025-12-31\n", "投资估算"),
        ("城西公园,生态环境,新建口袋公园,城西街道,-5万,2025-12-31\n", "投资估算"),
        ("城西公园,太空探索,新建口袋公园,城西街道,5万,2025-12-31\n", "太空探索"),
        (",生态环境,新建口袋公园,城西街道,5万,2025-12-31\n", "项目名称"),
        ("城西公园,生态环境,新建口袋公园,城西街道,5万,2025-02-30\n", "完成时限"),
        ("城西公园,生态环境,新建口袋公园,城西街道,5万\n", "5 列"),
        ("城西公园,生态环境,\"新建口袋公园\u{0}\",城西街道,5万,2025-12-31\n", "NUL"),
    ])
    func aBadLine3LeavesTheLedgerUnchangedAndNamesIt(_ badRow: String, _ named: String) throws {
        let workspace = try CLIWorkspace()
        try workspace.write("proposals.csv", Self.header + Self.goodRow + badRow + Self.goodRow.replacingOccurrences(of: "城东", with: "城南"))
        let stderr = try workspace.expectRefusal(["collect", "import", "proposals.csv"], status: 2, before: 1)
        #expect(stderr.contains("第 3 行"), "\(stderr)")
        #expect(stderr.contains(named), "\(stderr)")
        #expect(stderr.contains("proposals.csv"))
        #expect(try workspace.log().map(\.kind) == ["ledger.init"])
    }

    @Test(arguments: ["", "项目名称,类别,建设内容\n", "名字,类别,建设内容\n路灯,市政建设,x\n", "项目名称,类别\n路灯,市政建设\n"])
    func aSheetWithoutRowsOrKnownColumnsIsRefused(_ text: String) throws {
        let workspace = try CLIWorkspace()
        try workspace.write("sheet.csv", text)
        let stderr = try workspace.expectRefusal(["collect", "import", "sheet.csv"], status: 2, before: 1)
        #expect(stderr.contains("sheet.csv"))
    }

    @Test func aMissingFileIsRefused() throws {
        let workspace = try CLIWorkspace()
        let stderr = try workspace.expectRefusal(["collect", "import", "no-such-file.csv"], status: 2, before: 1)
        #expect(stderr.contains("no-such-file.csv"))
    }

    @Test func tenThousandRowsImportInOneCommand() throws {
        let workspace = try CLIWorkspace()
        let count = 10_000
        var csv = "title,category,content,location,budget,unit,proposer,channel,deadline\r\n"
        csv.reserveCapacity(count * 120)
        let categories = ["乡村振兴", "社会保障", "科技教育", "市政建设", "生态环境"]
        for n in 1...count {
            csv += "民生项目\(n),\(categories[n % categories.count]),\"建设内容 \(n)，含配套\",第\(n % 97)村,"
            csv += "\(n % 500 + 1)万,县\(n % 13)局,代表\(n % 300),代表联络站,2025-12-31\r\n"
        }
        // The same sheet with a bad last line is refused whole first.
        try workspace.write("bad.csv", csv + "民生项目X,太空探索,x,y,1万,u,p,代表联络站,2025-12-31\r\n")
        let stderr = try workspace.expectRefusal(["collect", "import", "bad.csv"], status: 2, before: 1)
        #expect(stderr.contains("第 \(count + 2) 行"), "\(stderr)")

        try workspace.write("big.csv", csv)
        let imported = try workspace.piaojue.ok(["collect", "import", "big.csv", "--json"]).json()
        #expect(imported["imported"] as? Int == count)
        let ids = try need(imported["ids"] as? [String], "ids")
        #expect(ids.count == count)
        #expect(ids.first == "P1")
        #expect(ids.last == "P\(count)")
        let last = try workspace.piaojue.ok(["log", "--json", "--limit", "2"]).json()
        let tail = try need(last["entries"] as? [[String: Any]], "entries")
        #expect(tail.map { $0["kind"] as? String } == ["collect.submit", "collect.import"])
        #expect(tail.map { $0["index"] as? Int } == [count, count + 1])
        let payload = try need(tail.last?["payload"] as? [String: Any], "payload")
        #expect((payload["ids"] as? [String])?.count == count)
    }
}
