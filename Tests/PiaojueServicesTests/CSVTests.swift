import PiaojueDomain
import PiaojueServices
import PiaojueTestSupport
import Testing

/// Reading spreadsheets clerks export (RFC 4180, Excel's habits), and writing cells Excel will not
/// run as formulas.
@Suite struct CSVTests {
    @Test func quotedFieldsHoldCommasAndQuotes() throws {
        let table = try CSV.parse("title,content\n\"路灯, 二期\",\"他说 \"\"尽快\"\"\"\n plain , \"\"\n", name: "a.csv")
        #expect(table.header == ["title", "content"])
        #expect(table.rows.map(\.fields) == [["路灯, 二期", "他说 \"尽快\""], [" plain ", ""]])
        #expect(table.rows.map(\.line) == [2, 3])
    }

    @Test func aRecordSpanningLinesIsNumberedByItsFirstLine() throws {
        let text = "title,content\n\"第一行\n第二行\n第三行\",b\nc,d\n\ne,\"f\ng\"\nh,i\n"
        let table = try CSV.parse(text, name: "a.csv")
        #expect(table.rows.map(\.fields) == [["第一行\n第二行\n第三行", "b"], ["c", "d"], ["e", "f\ng"], ["h", "i"]])
        #expect(table.rows.map(\.line) == [2, 5, 7, 9])
    }

    @Test func crlfLineEndingsAreRead() throws {
        let table = try CSV.parse("title,content\r\n项目一,内容一\r\n\"项目二\",\"内容\r\n二\"\r\n项目三,内容三", name: "a.csv")
        #expect(table.header == ["title", "content"])
        #expect(table.rows.map { $0.fields[0] } == ["项目一", "项目二", "项目三"])
        #expect(table.rows.map(\.line) == [2, 3, 5])
        #expect(!table.rows[0].fields[1].contains("\r"))
    }

    @Test(arguments: [TextEncodingChoice.utf8])
    func aByteOrderMarkIsDropped(_ encoding: TextEncodingChoice) throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("项目名称,类别\n路灯,市政建设\n".utf8)
        let text = try TextDecoding.decode(bytes, encoding: encoding, name: "bom.csv")
        let table = try CSV.parse(text, name: "bom.csv")
        #expect(table.header == ["项目名称", "类别"])
        #expect(table.rows.map(\.fields) == [["路灯", "市政建设"]])
    }

    @Test func gb18030IsDecodedWithTheSystemIconv() throws {
        // "项目名称,类别\n€,𠀀\n" in GB18030 (two-byte and four-byte sequences).
        let bytes: [UInt8] = [
            0xCF, 0xEE, 0xC4, 0xBF, 0xC3, 0xFB, 0xB3, 0xC6, 0x2C, 0xC0, 0xE0, 0xB1, 0xF0, 0x0A, 0xA2, 0xE3, 0x2C, 0x95,
            0x32, 0x82, 0x36, 0x0A,
        ]
        let text = try TextDecoding.decode(bytes, encoding: .gb18030, name: "gb.csv")
        #expect(text == "项目名称,类别\n€,𠀀\n")
        let error = try #require(throws: FileFailure.self) { try TextDecoding.decode(bytes, encoding: .utf8, name: "gb.csv") }
        #expect(error == .notUTF8(file: "gb.csv", line: 1))
        #expect(error.code == "file.not-utf8")
        #expect(error.description.contains("第 1 行"))
        #expect(error.description.contains("gb18030"))
    }

    @Test func invalidUTF8NamesItsLine() throws {
        let bytes = Array("a,b\n1,2\n".utf8) + [0xC3, 0x28] + Array(",x\n".utf8)
        let error = try #require(throws: FileFailure.self) { try TextDecoding.decode(bytes, encoding: .utf8, name: "bad.csv") }
        #expect(error.details["line"] == .number(3))
        #expect(error.description.contains("第 3 行"), "\(error.description)")
        #expect(error.description.contains("bad.csv"))
    }

    @Test(arguments: [("a,b\n1,2\n3,\u{0}\n", 3), ("a,b\n\u{0}1,2\n", 2), ("a,b\n\"x\ny\",z\n1,\"\u{0}\"\n", 4)])
    func nulIsRefusedNamingTheLine(_ text: String, _ line: Int) throws {
        let error = try #require(throws: FileFailure.self) { try CSV.parse(text, name: "nul.csv") }
        #expect(error == .nulByte(file: "nul.csv", line: line))
        #expect(error.description.contains("第 \(line) 行"), "\(error.description)")
        #expect(error.description.contains("NUL"))
    }

    @Test(arguments: [false, true])
    func aHugeFieldIsRefused(quoted: Bool) throws {
        let huge = String(repeating: "x", count: 10 * 1024 * 1024)
        let text = "title,content\n短,短\n" + (quoted ? "\"\(huge)\"" : huge) + ",b\n"
        let error = try #require(throws: FileFailure.self) { try CSV.parse(text, name: "huge.csv") }
        #expect(error.code == "file.field-too-long")
        #expect(error.description.contains("第 3 行"), "\(error.description)")
        #expect(error.description.contains("too long"))
    }

    @Test func aFieldAtTheLimitIsAccepted() throws {
        let field = String(repeating: "x", count: CSV.maximumFieldBytes)
        let table = try CSV.parse("title\n\(field)\n", name: "limit.csv")
        #expect(table.rows.first?.fields.first?.utf8.count == CSV.maximumFieldBytes)
    }

    @Test(arguments: [("a,b\n1,2\n3\n", 3, 1), ("a,b\n1,2\n3,4,5\n", 3, 3), ("a,b,c\n1,2,3\n\"x\ny\",2,3\n4,5\n", 5, 2)])
    func aWrongColumnCountIsRefusedNamingTheLine(_ text: String, _ line: Int, _ count: Int) throws {
        let error = try #require(throws: FileFailure.self) { try CSV.parse(text, name: "cols.csv") }
        #expect(error.code == "file.field-count")
        #expect(error.details["fields"] == .number(count))
        #expect(error.description.contains("第 \(line) 行有 \(count) 列"), "\(error.description)")
        #expect(error.description.contains("Line \(line)"))
    }

    @Test(arguments: [("", "file.empty"), ("\n\n", "file.empty"), ("\"unclosed\n", "file.unclosed-quote"), ("a,\"b\"c\n", "file.text-after-quote")])
    func malformedDocumentsAreRefused(_ text: String, _ expected: String) {
        #expect(code { try CSV.parse(text, name: "bad.csv") } == expected)
    }

    @Test(arguments: [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+8613800000000", "'+8613800000000"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("=1,2", "\"'=1,2\""),
        ("城东社区养老服务中心", "城东社区养老服务中心"),
        ("a,b", "\"a,b\""),
        ("他说\"好\"", "\"他说\"\"好\"\"\""),
        ("两行\n文字", "\"两行\n文字\""),
        ("1200000", "1200000"),
        ("", ""),
    ])
    func cellsAreSafeForSpreadsheets(_ value: String, _ expected: String) {
        #expect(CSV.cell(value) == expected)
    }

    @Test func aWrittenDocumentReadsBack() throws {
        let rows = [["P1", "=1+1", "路灯, 二期"], ["P2", "-3", "说\"好\"\n换行"]]
        let document = CSV.document(header: ["编号", "公式", "名称"], rows: rows)
        #expect(document.hasPrefix("\u{FEFF}"))
        #expect(document.contains("\r\n"))
        let table = try CSV.parse(try TextDecoding.decode(Array(document.utf8), encoding: .utf8, name: "out.csv"), name: "out.csv")
        #expect(table.header == ["编号", "公式", "名称"])
        #expect(table.rows.map(\.fields) == [["P1", "'=1+1", "路灯, 二期"], ["P2", "'-3", "说\"好\"\n换行"]])
    }
}
