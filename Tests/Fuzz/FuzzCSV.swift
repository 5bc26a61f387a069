// libFuzzer target `csv`: the spreadsheet importer — bytes → TextDecoding.decode (UTF-8 and
// GB18030) → CSV.parse — must refuse bad input with an InputError and never crash or hang; what it
// accepts must be a rectangular table whose line numbers increase. Built by `Scripts/fuzz csv N`
// together with Sources/PiaojueServices/Files/{CSV,TextDecoding}.swift; not part of `swift build`.
import PiaojueDomain

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVImport(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for encoding in TextEncodingChoice.allCases {
        guard let text = try? TextDecoding.decode(bytes, encoding: encoding, name: "fuzz.csv") else { continue }
        guard let table = try? CSV.parse(text, name: "fuzz.csv") else { continue }
        var previous = 1
        for row in table.rows {
            precondition(row.fields.count == table.header.count, "a row is not as wide as the header")
            precondition(row.line > previous, "line numbers do not increase")
            previous = row.line
        }
        // What the importer accepted, written back for a spreadsheet, parses again (a record of one
        // empty cell is written as a blank line, which reading skips, so only fewer rows may return).
        guard !([table.header] + table.rows.map(\.fields)).contains(where: { $0 == [""] }) else { continue }
        let document = CSV.document(header: table.header, rows: table.rows.map(\.fields))
        let reread = try? CSV.parse(String(document.unicodeScalars.dropFirst()), name: "written.csv")
        precondition(reread != nil, "a written table does not parse again")
        if let reread {
            precondition(reread.rows.count <= table.rows.count, "writing a table added rows")
        }
    }
    return 0
}
