// libFuzzer target `xlsx`: the workbook reader — bytes → Workbook (the ZIP container and its
// limits, the package parts) → every sheet (libxml2 SAX2) → SheetTable — must refuse bad input
// with a WorkbookFailure and never crash, hang or run past its limits; what it accepts must have
// rows and cells in strictly increasing order inside an Excel sheet, a rectangular table, and
// must survive WorkbookWriter: the table written and read again gives the same header and fields.
// Built by `Scripts/fuzz xlsx N` together with Sources/PiaojueWorkbook and ZIPFoundation's
// sources; not part of `swift build`. WorkbookReplayTests replays the same checks.
import PiaojueDomain

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSXImport(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    var limits = WorkbookLimits()
    limits.maximumEntryBytes = 8 << 20
    limits.maximumTotalBytes = 32 << 20
    limits.maximumCells = 200_000
    guard let workbook = try? Workbook(bytes: bytes, file: "fuzz.xlsx", limits: limits) else { return 0 }
    precondition(!workbook.sheets.isEmpty, "a workbook without sheets was opened")
    for sheet in workbook.sheets.prefix(4) {
        guard let worksheet = try? workbook.worksheet(sheet.name) else { continue }
        var previous = 0
        for row in worksheet.rows {
            precondition(row.number > previous && row.number <= CellAddress.maximumRow, "rows out of order")
            previous = row.number
            precondition(!row.cells.isEmpty, "an empty row was kept")
            var column = 0
            for cell in row.cells {
                precondition(cell.column > column && cell.column <= CellAddress.maximumColumn, "cells out of order")
                column = cell.column
            }
        }
        let rule = HeaderRule(expected: "any", isKnown: { !$0.isEmpty })
        guard let table = try? SheetTable(worksheet, header: rule) else { continue }
        var line = table.headerRow
        for row in table.rows {
            precondition(row.fields.count == table.columns.count, "a row is not as wide as the header")
            precondition(row.number > line, "records out of order")
            line = row.number
        }
        // Written and read again, the table is the same (a last row that now reads as a 合计 row
        // is left out the second time, as the first).
        let columns = table.columns.map { OutputSheet.Column($0.name) }
        let output = OutputSheet(name: table.sheet, columns: columns, textRows: table.rows.map(\.fields))
        guard let written = try? WorkbookWriter.data([output]) else { continue }
        let reread = try? SheetTable(Workbook(bytes: written, file: "written.xlsx").worksheet(), header: rule)
        precondition(reread != nil, "a written workbook does not read again")
        if let reread {
            precondition(reread.header == table.header, "the header changed when written")
            let expected = reread.totalRow == nil ? table.rows.map(\.fields) : Array(table.rows.map(\.fields).dropLast())
            precondition(reread.rows.map(\.fields) == expected.filter { $0.contains { !$0.trimmingSpaces().isEmpty } }, "fields changed when written")
        }
    }
    return 0
}
