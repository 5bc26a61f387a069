import Foundation
import PiaojueDomain
import PiaojueTestSupport
import PiaojueWorkbook
import Testing

/// Every bad workbook of Tests/Fixtures/bad/xlsx (made by make-bad.py there) is refused with the
/// code its name starts with, in one bilingual sentence naming the file, and the cell where there
/// is one; limits below the standard ones refuse what they bound.
@Suite struct WorkbookRefusalTests {
    /// The proposals importer's columns (enough of them for the table-level refusals).
    static let rule = HeaderRule(
        known: ["项目名称", "类别", "建设内容", "投资估算", "完成时限", "title", "category"], amounts: ["投资估算"],
        expected: "项目名称、类别、建设内容")

    /// Reads `bytes` as an import would: the workbook, its first sheet, the table.
    static func read(_ bytes: [UInt8], file: String, limits: WorkbookLimits = .standard) throws {
        let workbook = try Workbook(bytes: bytes, file: file, limits: limits)
        _ = try SheetTable(workbook.worksheet(), header: rule)
    }

    static let cellCodes: Set = [
        "xlsx.bad-cell", "xlsx.cell-too-long", "xlsx.error-cell", "xlsx.no-cached-value", "xlsx.bad-date", "xlsx.merged-header",
        "xlsx.cell-without-header",
    ]

    @Test func theCorpusIsThere() {
        #expect(Fixtures.names(in: Fixtures.bad).count >= 30)
    }

    @Test(arguments: Fixtures.names(in: Fixtures.bad))
    func badWorkbookIsRefused(name: String) throws {
        let expected = "xlsx." + (name.components(separatedBy: "--").first ?? name)
        let bytes = [UInt8](try Data(contentsOf: Fixtures.bad.appendingPathComponent(name)))
        let refusal = try #require(failure { try Self.read(bytes, file: name) }, "\(name) was read")
        #expect(refusal.code == expected, "\(name): \(refusal)")
        #expect(refusal.exitStatus == 2)
        let text = refusal.description
        #expect(text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(name): no Chinese: \(text)")
        #expect(text.split(whereSeparator: { !$0.isASCII || !$0.isLetter }).filter { $0.count >= 3 }.count >= 3, "\(name): no English: \(text)")
        #expect(text.contains(name), "\(name): the file is not named: \(text)")
        #expect(!text.contains("K7QX"), "\(name): a cell's text is repeated: \(text)")
        if Self.cellCodes.contains(refusal.code) {
            #expect(refusal.details["sheet"] == .text("Sheet1"), "\(name)")
            #expect(refusal.details["row"] != nil && refusal.details["column"] != nil, "\(name)")
            #expect(text.contains("工作表“Sheet1”第 "), "\(name): \(text)")
        }
    }

    /// The cell a refusal names, exactly as Excel shows it.
    @Test(arguments: [
        ("bad-cell--shared-string-index.xlsx", "A", 1), ("bad-cell--number-is-not-a-number.xlsx", "B", 2),
        ("error-cell--ref-in-budget.xlsx", "D", 2), ("no-cached-value--formula.xlsx", "D", 2), ("bad-date--lotus-1900-02-29.xlsx", "E", 2),
        ("cell-without-header--stray-note.xlsx", "G", 2), ("cell-too-long--70000-bytes.xlsx", "A", 2),
        ("bad-cell--cells-out-of-order.xlsx", "A", 1),
    ])
    func refusalsNameTheCell(name: String, column: String, row: Int) throws {
        let bytes = [UInt8](try Data(contentsOf: Fixtures.bad.appendingPathComponent(name)))
        let refusal = try #require(failure { try Self.read(bytes, file: name) })
        #expect(refusal.details["column"] == .text(column), "\(name): \(refusal)")
        #expect(refusal.details["row"] == .number(row), "\(name): \(refusal)")
        #expect(refusal.description.contains("第 \(row) 行 \(column) 列"), "\(name): \(refusal)")
        #expect(refusal.description.contains("row \(row) column \(column)"), "\(name): \(refusal)")
    }

    @Test func aDeclaredBombIsRefusedBeforeInflating() throws {
        let bytes = [UInt8](try Data(contentsOf: Fixtures.bad.appendingPathComponent("too-large--declares-4-gib.xlsx")))
        // Refused when opened: the declared sizes are checked before any part is inflated.
        let refusal = failure { _ = try Workbook(bytes: bytes, file: "bomb.xlsx") }
        #expect(refusal == .tooLarge(file: "bomb.xlsx", part: "xl/worksheets/sheet1.xml", bytes: 0xFFFF_FFF0, limit: 256 << 20))
        let ratio = [UInt8](try Data(contentsOf: Fixtures.bad.appendingPathComponent("compression-ratio--16-mib-of-spaces.xlsx")))
        #expect(failure { _ = try Workbook(bytes: ratio, file: "ratio.xlsx") }?.code == "xlsx.compression-ratio")
    }

    @Test func aLyingDeclaredSizeStopsInflationThere() throws {
        let bytes = [UInt8](try Data(contentsOf: Fixtures.bad.appendingPathComponent("too-large--lies-about-its-size.xlsx")))
        let workbook = try Workbook(bytes: bytes, file: "liar.xlsx")
        let refusal = failure { _ = try workbook.worksheet() }
        guard case let .tooLarge(_, part, bytes, limit)? = refusal else {
            Issue.record("not refused as too large: \(String(describing: refusal))")
            return
        }
        #expect(part == "xl/worksheets/sheet1.xml")
        #expect(limit == 2000)
        #expect(bytes <= 1 << 16, "inflated \(bytes) bytes before stopping")
    }

    @Test func lowerLimitsRefuseWhatTheyBound() throws {
        let roster = try Fixtures.bytes("libreoffice-deputies.xlsx")
        var entries = WorkbookLimits()
        entries.maximumEntries = 5
        #expect(failure { _ = try Workbook(bytes: roster, file: "r.xlsx", limits: entries) } == .tooManyEntries(file: "r.xlsx", limit: 5))
        var total = WorkbookLimits()
        total.maximumTotalBytes = 20_000
        #expect(failure { _ = try Workbook(bytes: roster, file: "r.xlsx", limits: total) }?.code == "xlsx.too-large")
        var entry = WorkbookLimits()
        entry.maximumEntryBytes = 4_000
        #expect(failure { _ = try Workbook(bytes: roster, file: "r.xlsx", limits: entry) }?.code == "xlsx.too-large")
        var strings = WorkbookLimits()
        strings.maximumSharedStrings = 10
        #expect(failure { _ = try Workbook(bytes: roster, file: "r.xlsx", limits: strings).worksheet() } == .tooManyStrings(file: "r.xlsx", limit: 10))
        var cells = WorkbookLimits()
        cells.maximumCells = 50
        #expect(failure { _ = try Workbook(bytes: roster, file: "r.xlsx", limits: cells).worksheet() } == .tooManyCells(file: "r.xlsx", sheet: "deputies", limit: 50))
        var depth = WorkbookLimits()
        depth.maximumDepth = 3
        #expect(failure { _ = try Workbook(bytes: roster, file: "r.xlsx", limits: depth).worksheet() }?.code == "xlsx.too-deep")
        var cell = WorkbookLimits()
        cell.maximumCellBytes = 4
        #expect(failure { _ = try Workbook(bytes: roster, file: "r.xlsx", limits: cell).worksheet() }?.code == "xlsx.bad-xml")
        var merged = WorkbookLimits()
        merged.maximumMergedRanges = 2
        #expect(failure { _ = try Fixtures.workbook("libreoffice-titled.xlsx", limits: merged).worksheet() }?.code == "xlsx.too-many-cells")
    }

    /// ZIPFoundation alone would read such a file backwards byte by byte for its directory (44 s
    /// for 50 MB here) and leak it; the record's place is checked first.
    @Test func aZipSignatureFollowedByMegabytesOfNothingIsRefusedAtOnce() {
        let bytes: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 20 << 20)
        #expect(failure { _ = try Workbook(bytes: bytes, file: "junk.xlsx") }?.code == "xlsx.damaged")
        var cut = [UInt8](repeating: 0, count: 100)
        cut[0...3] = [0x50, 0x4B, 0x03, 0x04]
        cut[90...93] = [0x50, 0x4B, 0x05, 0x06]  // an end record whose 22 bytes run past the end
        #expect(failure { _ = try Workbook(bytes: cut, file: "cut.xlsx") }?.code == "xlsx.damaged")
    }

    /// Found by the `xlsx` fuzz target: ZIPFoundation's in-memory archive trapped ("Range requires
    /// lowerBound <= upperBound") reading at an offset past the end; read from a file it is refused.
    @Test func aDirectoryPointingPastTheEndIsRefusedNotATrap() throws {
        let bytes = [UInt8](try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("fuzz/xlsx/crash-central-directory-points-past-the-end.xlsx")))
        #expect(failure { try Self.read(bytes, file: "crash.xlsx") } != nil)
    }

    @Test func randomBytesAfterTheZipSignatureNeverCrash() {
        var generator = SplitMix(seed: 20)
        for _ in 0..<300 {
            let count = Int(generator.next() % 600)
            let bytes = [0x50, 0x4B, 0x03, 0x04] + (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            #expect(failure { try Self.read(bytes, file: "noise.xlsx") } != nil)
        }
    }
}
