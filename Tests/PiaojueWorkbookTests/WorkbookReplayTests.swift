import Foundation
import PiaojueDomain
import PiaojueTestSupport
import PiaojueWorkbook
import Testing

/// Replays every committed input of the `xlsx` fuzz target (Tests/Fixtures/fuzz/xlsx: seeds and
/// whatever Scripts/fuzz found worth keeping) through the checks of Tests/Fuzz/FuzzXLSX.swift,
/// without a sanitizer build.
@Suite struct WorkbookReplayTests {
    static let folder = TestPaths.fixtures.appendingPathComponent("fuzz/xlsx")
    static var inputs: [String] { Fixtures.names(in: folder) }

    @Test func thereAreInputs() {
        #expect(Self.inputs.count >= 10)
    }

    @Test func everyInputKeepsTheProperties() throws {
        var limits = WorkbookLimits()
        limits.maximumEntryBytes = 8 << 20
        limits.maximumTotalBytes = 32 << 20
        limits.maximumCells = 200_000
        var opened = 0
        for name in Self.inputs {
            let bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
            guard let workbook = try? Workbook(bytes: bytes, file: name, limits: limits) else { continue }
            opened += 1
            for sheet in workbook.sheets.prefix(4) {
                guard let worksheet = try? workbook.worksheet(sheet.name) else { continue }
                var previous = 0
                for row in worksheet.rows {
                    #expect(row.number > previous && !row.cells.isEmpty, "\(name)")
                    previous = row.number
                    #expect(zip(row.cells, row.cells.dropFirst()).allSatisfy { $0.column < $1.column }, "\(name)")
                }
                let rule = HeaderRule(expected: "any", isKnown: { !$0.isEmpty })
                guard let table = try? SheetTable(worksheet, header: rule) else { continue }
                #expect(table.rows.allSatisfy { $0.fields.count == table.columns.count && $0.number > table.headerRow }, "\(name)")
                let output = OutputSheet(name: table.sheet, columns: table.columns.map { .init($0.name) }, textRows: table.rows.map(\.fields))
                guard let written = try? WorkbookWriter.data([output]) else { continue }
                let reread = try SheetTable(Workbook(bytes: written, file: "written.xlsx").worksheet(), header: rule)
                #expect(reread.header == table.header, "\(name)")
                let expected = reread.totalRow == nil ? table.rows.map(\.fields) : Array(table.rows.map(\.fields).dropLast())
                #expect(reread.rows.map(\.fields) == expected, "\(name)/\(sheet.name)")
            }
        }
        #expect(opened >= 5, "the seeds include readable workbooks")
    }
}
