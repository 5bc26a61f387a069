public import Foundation
public import PiaojueDomain
import ZIPFoundation

/// One sheet to write: a bold header row, frozen, then the rows; each column typed.
public struct OutputSheet: Sendable, Hashable {
    /// How a column's values are written and shown.
    public enum Kind: Sendable, Hashable {
        /// Text, always a string cell: a value starting with `=`, `+`, `-` or `@` stays text, so
        /// no formula can be injected.
        case text
        /// Whole numbers (counts), shown as `0`.
        case integer
        /// Whole 元, shown with thousands separators `#,##0`.
        case amount
        /// Decimals shown with `places` decimal places.
        case decimal(places: Int)
        /// Ratios shown as percentages with `places` decimal places (the value 0.976 shows 97.6%).
        case percent(places: Int)
        /// Real Excel dates, shown `yyyy-mm-dd`.
        case date
    }

    /// One column: its header and kind.
    public struct Column: Sendable, Hashable {
        /// The header text (bold, frozen).
        public let title: String
        /// How its values are written.
        public let kind: Kind

        /// A column headed `title`.
        public init(_ title: String, _ kind: Kind = .text) {
            self.title = title
            self.kind = kind
        }
    }

    /// One cell's value.
    public enum Value: Sendable, Hashable {
        /// An empty cell.
        case empty
        /// A string cell (an empty text is an empty cell).
        case text(String)
        /// A number cell holding a whole number (numbers beyond 15 digits, which Excel cannot hold
        /// exactly, are written as text).
        case integer(Int64)
        /// A number cell holding a decimal, its digits as given.
        case decimal(DecimalNumber)
        /// A date cell (its serial number in the 1900 system, styled as a date).
        case date(Day)
    }

    /// The sheet's name; made valid when written (see ``WorkbookWriter/sheetName(_:taken:)``).
    public var name: String
    /// The columns, left to right.
    public var columns: [Column]
    /// The rows, each with one value per column.
    public var rows: [[Value]]

    /// A sheet of typed values.
    public init(name: String, columns: [Column], rows: [[Value]]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }

    /// A sheet from text rows as the CSV exports make them: each text is read by its column's
    /// kind (`1200000` for `.amount`, `2025-11-30` for `.date`, `97.6` or `97.6%` for `.percent`)
    /// and kept as text when it is not of that kind; an empty text is an empty cell.
    public init(name: String, columns: [Column], textRows: [[String]]) {
        self.init(name: name, columns: columns, rows: textRows.map { row in
            row.enumerated().map { index, text in
                Self.value(text, as: index < columns.count ? columns[index].kind : .text)
            }
        })
    }

    /// `text` read as a value of `kind` (text when it is not one).
    public static func value(_ text: String, as kind: Kind) -> Value {
        guard !text.isEmpty else { return .empty }
        let trimmed = text.trimmingSpaces()
        switch kind {
        case .text: return .text(text)
        case .integer, .amount:
            // Digits only (a sign in front), and no leading zero that a number would drop (`0012`).
            let digits = trimmed.hasPrefix("-") ? trimmed.dropFirst() : Substring(trimmed)
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), digits.count == 1 || digits.first != "0",
                let n = Int64(trimmed)
            else { return .text(text) }
            return .integer(n)
        case .decimal:
            guard !trimmed.contains(where: { $0 == "e" || $0 == "E" }), let n = DecimalNumber(literal: trimmed) else { return .text(text) }
            return .decimal(n)
        case .percent:
            var body = trimmed
            if body.hasSuffix("%") { body.removeLast() }
            guard !body.contains(where: { $0 == "e" || $0 == "E" }), DecimalNumber(literal: body) != nil,
                let ratio = DecimalNumber(literal: body + "E-2")
            else { return .text(text) }
            return .decimal(DecimalNumber(validated: ratio.text))
        case .date:
            guard let day = try? Day(parsing: trimmed) else { return .text(text) }
            return .date(day)
        }
    }
}

/// Writes `.xlsx` workbooks: `[Content_Types].xml`, the package and workbook relationships,
/// `docProps/core.xml` and `app.xml`, the workbook, styles, shared strings and one part per
/// sheet, zipped by ZIPFoundation (deflate). The bytes depend only on the sheets (and `created`).
public enum WorkbookWriter {
    /// The longest text an Excel cell holds, in UTF-16 code units.
    public static let maximumTextLength = 32_767

    /// The workbook's bytes. `created` (UTC, e.g. from the injected clock) goes into
    /// `docProps/core.xml` when given.
    public static func data(_ sheets: [OutputSheet], created: Date? = nil) throws(WorkbookFailure) -> [UInt8] {
        var names: [String] = []
        for sheet in sheets { names.append(sheetName(sheet.name, taken: Set(names.map { $0.lowercased() }))) }
        if sheets.isEmpty { names = ["Sheet1"] }
        let outputs = sheets.isEmpty ? [OutputSheet(name: "Sheet1", columns: [], rows: [])] : sheets
        var strings = SharedStrings()
        var styles = Styles()
        var parts: [(String, [UInt8])] = []
        for (index, sheet) in outputs.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", try sheetXML(sheet, name: names[index], strings: &strings, styles: &styles)))
        }
        let entries: [(String, [UInt8])] = [
            ("[Content_Types].xml", Array(contentTypes(sheetCount: outputs.count).utf8)),
            ("_rels/.rels", Array(rootRelationships.utf8)),
            ("docProps/app.xml", Array(appProperties(names).utf8)),
            ("docProps/core.xml", Array(coreProperties(created: created).utf8)),
            ("xl/workbook.xml", Array(workbookXML(names).utf8)),
            ("xl/_rels/workbook.xml.rels", Array(workbookRelationships(sheetCount: outputs.count).utf8)),
            ("xl/styles.xml", Array(styles.xml.utf8)),
            ("xl/sharedStrings.xml", strings.xml),
        ] + parts
        return try zip(entries)
    }

    /// Writes the workbook to `path`: to a temporary file beside it first, synced, then moved into
    /// place, so a failure never leaves half a workbook. An existing file is replaced only when
    /// `replacing` is true.
    public static func write(_ sheets: [OutputSheet], to path: String, replacing: Bool = false, created: Date? = nil) throws(WorkbookFailure) {
        let bytes = try data(sheets, created: created)
        if !replacing, FileManager.default.fileExists(atPath: path) { throw .fileExists(path: path) }
        let temporary = path + ".writing-\(getpid())"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .writeFailed(path: path, detail: String(cString: strerror(errno))) }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            written += n
        }
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0 else {
            unlink(temporary)
            throw .writeFailed(path: path, detail: "short write / 写入不完整")
        }
        let placed = replacing ? rename(temporary, path) : link(temporary, path)
        let reason = String(cString: strerror(errno))
        if !replacing || placed != 0 { unlink(temporary) }
        guard placed == 0 else {
            if !replacing, errno == EEXIST { throw .fileExists(path: path) }
            throw .writeFailed(path: path, detail: reason)
        }
    }

    /// A valid, unique sheet name: the characters Excel forbids (`: \ / ? * [ ]`) replaced by their
    /// full-width forms, control characters dropped, no apostrophe at either end, at most 31
    /// UTF-16 units, `History` avoided, and `(2)`, `(3)`… added when `taken` (lower-cased) has it.
    public static func sheetName(_ raw: String, taken: Set<String>) -> String {
        let replacements: [Character: Character] = [":": "：", "\\": "＼", "/": "／", "?": "？", "*": "＊", "[": "【", "]": "】"]
        var name = String(raw.compactMap { c -> Character? in
            if c.unicodeScalars.allSatisfy({ $0.value < 0x20 || $0.value == 0x7F }) { return nil }
            return replacements[c] ?? c
        })
        name = name.trimmingSpaces()
        while name.hasPrefix("'") { name.removeFirst() }
        while name.hasSuffix("'") { name.removeLast() }
        if name.isEmpty { name = "Sheet" }
        if name.lowercased() == "history" { name += "_" }
        func fitted(_ base: String, suffix: String) -> String {
            var base = base
            while base.utf16.count + suffix.utf16.count > 31 { base.removeLast() }
            return base + suffix
        }
        var candidate = fitted(name, suffix: "")
        var n = 2
        while taken.contains(candidate.lowercased()) {
            candidate = fitted(name, suffix: "(\(n))")
            n += 1
        }
        return candidate
    }

    /// The display width of `text` in Excel's character units: East Asian wide and full-width
    /// characters count two, others one; the longest line counts.
    public static func displayWidth(_ text: String) -> Int {
        var widest = 0
        var current = 0
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                widest = max(widest, current)
                current = 0
                continue
            }
            current += isWide(scalar) ? 2 : 1
        }
        return max(widest, current)
    }

    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            true
        default: false
        }
    }

    // MARK: Parts

    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    static func contentTypes(sheetCount: Int) -> String {
        var xml = declaration + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        xml += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        xml += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        xml += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        for index in 1...max(sheetCount, 1) {
            xml += "<Override PartName=\"/xl/worksheets/sheet\(index).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        xml += "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        xml += "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
        xml += "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
        xml += "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
        return xml + "</Types>"
    }

    static let rootRelationships = declaration
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
        + "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
        + "</Relationships>"

    static func appProperties(_ names: [String]) -> String {
        var xml = declaration
        xml += "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
        xml += "<Application>Piaojue</Application><DocSecurity>0</DocSecurity>"
        xml += "<HeadingPairs><vt:vector size=\"2\" baseType=\"variant\"><vt:variant><vt:lpstr>工作表</vt:lpstr></vt:variant><vt:variant><vt:i4>\(names.count)</vt:i4></vt:variant></vt:vector></HeadingPairs>"
        xml += "<TitlesOfParts><vt:vector size=\"\(names.count)\" baseType=\"lpstr\">"
        for name in names { xml += "<vt:lpstr>\(escape(name))</vt:lpstr>" }
        return xml + "</vt:vector></TitlesOfParts></Properties>"
    }

    static func coreProperties(created: Date?) -> String {
        var xml = declaration
        xml += "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
        xml += "<dc:creator>piaojue</dc:creator>"
        if let created {
            let seconds = Int(created.timeIntervalSince1970.rounded(.down))
            let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
            let stamp = "\(Day(ordinal: days))T\(WorkbookDate.clock(seconds - days * 86_400))Z"
            xml += "<dcterms:created xsi:type=\"dcterms:W3CDTF\">\(stamp)</dcterms:created>"
            xml += "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">\(stamp)</dcterms:modified>"
        }
        return xml + "</cp:coreProperties>"
    }

    static func workbookXML(_ names: [String]) -> String {
        var xml = declaration + "<workbook xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
        xml += "<workbookPr/><bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
        for (index, name) in names.enumerated() {
            xml += "<sheet name=\"\(escape(name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }
        return xml + "</sheets></workbook>"
    }

    static func workbookRelationships(sheetCount: Int) -> String {
        var xml = declaration + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for index in 1...max(sheetCount, 1) {
            xml += "<Relationship Id=\"rId\(index)\" Type=\"\(relationshipNamespace)/worksheet\" Target=\"worksheets/sheet\(index).xml\"/>"
        }
        let n = max(sheetCount, 1)
        xml += "<Relationship Id=\"rId\(n + 1)\" Type=\"\(relationshipNamespace)/styles\" Target=\"styles.xml\"/>"
        xml += "<Relationship Id=\"rId\(n + 2)\" Type=\"\(relationshipNamespace)/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        return xml + "</Relationships>"
    }

    /// One sheet's part.
    static func sheetXML(_ sheet: OutputSheet, name: String, strings: inout SharedStrings, styles: inout Styles) throws(WorkbookFailure) -> [UInt8] {
        let columnCount = sheet.columns.count
        var widths = sheet.columns.map { displayWidth($0.title) }
        let columnStyles = sheet.columns.map { styles.index(for: $0.kind) }
        let letters = (0..<columnCount).map { CellAddress.letters(column: $0 + 1) }
        var body = ""
        body.reserveCapacity(64 * (sheet.rows.count + 1) * max(columnCount, 1))
        if columnCount > 0 {
            body += "<row r=\"1\">"
            for (index, column) in sheet.columns.enumerated() {
                try checkLength(column.title, sheet: name, row: 1, column: index + 1)
                let ref = letters[index] + "1"
                body += "<c r=\"\(ref)\" s=\"\(Styles.header)\" t=\"s\"><v>\(strings.index(of: column.title))</v></c>"
            }
            body += "</row>"
        }
        for (rowIndex, row) in sheet.rows.enumerated() {
            let number = rowIndex + 2
            guard row.count == columnCount else { throw .rowWidth(sheet: name, row: number, values: row.count, columns: columnCount) }
            body += "<row r=\"\(number)\">"
            for (index, value) in row.enumerated() {
                let ref = letters[index] + "\(number)"
                let kind = sheet.columns[index].kind
                switch value {
                case .empty: continue
                case let .text(text) where text.isEmpty: continue
                case let .text(text):
                    try checkLength(text, sheet: name, row: number, column: index + 1)
                    widths[index] = max(widths[index], displayWidth(text))
                    body += "<c r=\"\(ref)\" t=\"s\"><v>\(strings.index(of: text))</v></c>"
                case let .integer(n):
                    guard n.magnitude <= 999_999_999_999_999 else {
                        body += "<c r=\"\(ref)\" t=\"s\"><v>\(strings.index(of: String(n)))</v></c>"
                        widths[index] = max(widths[index], String(n).count)
                        continue
                    }
                    let shown = kind == .amount ? String(n).count + String(n.magnitude).count / 3 : String(n).count
                    widths[index] = max(widths[index], shown)
                    body += "<c r=\"\(ref)\" s=\"\(columnStyles[index])\"><v>\(n)</v></c>"
                case let .decimal(number):
                    let text = number.text
                    var shown = text.count
                    if case let .percent(places) = kind { shown = text.count + places + 1 }
                    widths[index] = max(widths[index], shown)
                    body += "<c r=\"\(ref)\" s=\"\(columnStyles[index])\"><v>\(text)</v></c>"
                case let .date(day):
                    guard let serial = serial(of: day) else {
                        body += "<c r=\"\(ref)\" t=\"s\"><v>\(strings.index(of: day.description))</v></c>"
                        continue
                    }
                    widths[index] = max(widths[index], 10)
                    body += "<c r=\"\(ref)\" s=\"\(kind == .date ? columnStyles[index] : styles.index(for: .date))\"><v>\(serial)</v></c>"
                }
            }
            body += "</row>"
        }
        let lastRow = sheet.rows.count + 1
        var xml = declaration + "<worksheet xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
        if columnCount > 0 {
            xml += "<dimension ref=\"A1:\(CellAddress.letters(column: columnCount))\(lastRow)\"/>"
        }
        xml += "<sheetViews><sheetView workbookViewId=\"0\">"
        xml += "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        xml += "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>"
        xml += "<sheetFormatPr defaultRowHeight=\"15\"/>"
        if columnCount > 0 {
            xml += "<cols>"
            for (index, width) in widths.enumerated() {
                let units = min(max(width + 2, 8), 60)
                xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(units)\" customWidth=\"1\"/>"
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        var bytes = Array(xml.utf8)
        bytes.append(contentsOf: body.utf8)
        bytes.append(contentsOf: "</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>".utf8)
        return bytes
    }

    static func checkLength(_ text: String, sheet: String, row: Int, column: Int) throws(WorkbookFailure) {
        let length = text.utf16.count
        guard length <= maximumTextLength else { throw .textTooLong(sheet: sheet, row: row, column: column, length: length) }
    }

    /// The 1900-system serial of `day`; nil before 1900-01-01 (Excel has no such dates).
    static func serial(of day: Day) -> Int? {
        let ordinal = day.ordinal
        if ordinal >= WorkbookDate.epoch1899_12_30 + 61 { return ordinal - WorkbookDate.epoch1899_12_30 }
        if ordinal > WorkbookDate.epoch1899_12_31 { return ordinal - WorkbookDate.epoch1899_12_31 }
        return nil
    }

    /// Text for XML element content and attribute values: `& < > "` as entities, a carriage
    /// return as `&#13;` (a literal one would be read as a line feed), characters XML cannot
    /// hold as `_xHHHH_` (see ``XString``).
    static func escape(_ text: String) -> String {
        let encoded = XString.encode(text)
        guard encoded.unicodeScalars.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" || $0 == "\r" }) else {
            return encoded
        }
        var out = String.UnicodeScalarView()
        for scalar in encoded.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "\r": out.append(contentsOf: "&#13;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Zips the parts in order, deflated, with a fixed timestamp (so equal sheets give equal bytes).
    static func zip(_ entries: [(String, [UInt8])]) throws(WorkbookFailure) -> [UInt8] {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            let stamp = Date(timeIntervalSince1970: 946_728_000)  // 2000-01-01 12:00 UTC
            for (path, bytes) in entries {
                try archive.addEntry(
                    with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: stamp, compressionMethod: .deflate
                ) { position, size in
                    let start = Int(position)
                    return Data(bytes[start..<min(start + size, bytes.count)])
                }
            }
            guard let data = archive.data else { throw WorkbookFailure.writeFailed(path: "(memory)", detail: "no archive data") }
            return [UInt8](data)
        } catch let failure as WorkbookFailure {
            throw failure
        } catch {
            throw .writeFailed(path: "(memory)", detail: "\(error)")
        }
    }
}

/// The shared-string table being written: each distinct text once, in first-use order.
struct SharedStrings {
    private var indices: [String: Int] = [:]
    private var texts: [String] = []
    private var uses = 0

    mutating func index(of text: String) -> Int {
        uses += 1
        if let known = indices[text] { return known }
        let index = texts.count
        indices[text] = index
        texts.append(text)
        return index
    }

    var xml: [UInt8] {
        var out = WorkbookWriter.declaration
        out += "<sst xmlns=\"\(WorkbookWriter.mainNamespace)\" count=\"\(uses)\" uniqueCount=\"\(texts.count)\">"
        for text in texts { out += "<si><t xml:space=\"preserve\">\(WorkbookWriter.escape(text))</t></si>" }
        out += "</sst>"
        return Array(out.utf8)
    }
}

/// The cell styles being written: 0 the default, 1 the bold header, then one per number format used.
struct Styles {
    static let header = 1
    private var formats: [(code: String, id: Int)] = []
    private var cellFormats: [Int] = [0, 0]  // numFmtId per cellXfs entry; 0 and 1 are General

    /// The cellXfs index for values of `kind`.
    mutating func index(for kind: OutputSheet.Kind) -> Int {
        let numberFormat: Int
        switch kind {
        case .text: return 0
        case .integer: numberFormat = 1  // built-in "0"
        case .amount: numberFormat = 3  // built-in "#,##0"
        case let .decimal(places): numberFormat = places == 0 ? 1 : custom("0." + String(repeating: "0", count: min(places, 15)))
        case let .percent(places): numberFormat = places == 0 ? 9 : custom("0." + String(repeating: "0", count: min(places, 15)) + "%")
        case .date: numberFormat = custom("yyyy\\-mm\\-dd")
        }
        if let existing = cellFormats.indices.dropFirst(2).first(where: { cellFormats[$0] == numberFormat }) { return existing }
        cellFormats.append(numberFormat)
        return cellFormats.count - 1
    }

    private mutating func custom(_ code: String) -> Int {
        if let known = formats.first(where: { $0.code == code }) { return known.id }
        let id = 164 + formats.count
        formats.append((code, id))
        return id
    }

    var xml: String {
        var xml = WorkbookWriter.declaration + "<styleSheet xmlns=\"\(WorkbookWriter.mainNamespace)\">"
        if !formats.isEmpty {
            xml += "<numFmts count=\"\(formats.count)\">"
            for format in formats { xml += "<numFmt numFmtId=\"\(format.id)\" formatCode=\"\(WorkbookWriter.escape(format.code))\"/>" }
            xml += "</numFmts>"
        }
        let font = "<sz val=\"11\"/><name val=\"等线\"/><family val=\"2\"/><charset val=\"134\"/><scheme val=\"minor\"/>"
        xml += "<fonts count=\"2\"><font>\(font)</font><font><b/>\(font)</font></fonts>"
        xml += "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        xml += "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        xml += "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        xml += "<cellXfs count=\"\(cellFormats.count)\">"
        xml += "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        xml += "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
        for id in cellFormats.dropFirst(2) {
            xml += "<xf numFmtId=\"\(id)\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        }
        xml += "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        return xml + "</styleSheet>"
    }
}
