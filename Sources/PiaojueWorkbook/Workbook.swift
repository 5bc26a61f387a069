import Foundation
import PiaojueDomain

/// What a file is, from its first bytes (never its name).
public enum SpreadsheetFormat: Sendable, Hashable {
    /// A ZIP (`50 4B 03 04`): an `.xlsx` workbook, or another ZIP that ``Workbook`` refuses by name.
    case zip
    /// An OLE compound file (`D0 CF 11 E0 A1 B1 1A E1`): Excel 97–2003 `.xls`, WPS `.et`, or a
    /// password-protected `.xlsx`.
    case compoundFile
    /// Anything else: text such as CSV.
    case other

    /// The format of a file starting with `bytes`.
    public init(_ bytes: some Collection<UInt8>) {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            self = .zip
        } else if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            self = .compoundFile
        } else {
            self = .other
        }
    }
}

/// An `.xlsx` workbook opened from its bytes: the container checked against the limits, the
/// sheets listed, the styles read. Sheets are read on demand, streamed as they inflate.
///
/// ```swift
/// let workbook = try Workbook(bytes: bytes, file: "征集汇总表.xlsx")
/// let sheet = try workbook.worksheet()          // the first visible sheet, or worksheet("Sheet2")
/// ```
///
/// Not `Sendable`: it holds the open archive, whose file position moves as parts are read; use
/// one workbook in one task.
public struct Workbook {
    /// One sheet as the workbook lists it, in tab order.
    public struct Sheet: Sendable, Hashable {
        /// The tab's name.
        public let name: String
        /// False for a hidden or very hidden sheet.
        public let visible: Bool
        /// False for a chart sheet or a dialog sheet (no cells).
        public let isWorksheet: Bool
        /// The part holding it (`xl/worksheets/sheet1.xml`), nil when it has none.
        let part: String?
    }

    /// The file name used in messages.
    public let file: String
    /// The sheets in tab order.
    public let sheets: [Sheet]
    /// The date system of the serial numbers (`<workbookPr date1904>`).
    public let dateSystem: WorkbookDate.System
    /// The limits it was opened with, and will be read with.
    public let limits: WorkbookLimits

    private let zip: ZipContainer
    private let sharedStringsPart: String?
    private let dateStyles: [WorkbookDate.Style?]

    /// Opens the workbook held in `bytes`, called `file` in messages.
    ///
    /// Refuses with ``WorkbookFailure``: `.oldFormat` for an `.xls` or `.et` file, `.encrypted`,
    /// `.otherFormat` for `.ods` and `.xlsb`, `.notAWorkbook` for anything else, and the container
    /// limits (``WorkbookLimits``) before inflating anything.
    public init(bytes: some Collection<UInt8>, file: String, limits: WorkbookLimits = .standard) throws(WorkbookFailure) {
        switch SpreadsheetFormat(bytes) {
        case .other: throw .notAWorkbook(file: file, reason: .notZIP)
        case .compoundFile:
            // An encrypted OOXML package is an OLE file with a stream named "EncryptedPackage"
            // (MS-OFFCRYPTO §2.3.4.1); the directory holds the name in UTF-16LE.
            let name = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            throw Array(bytes).firstRange(of: name) != nil ? .encrypted(file: file) : .oldFormat(file: file)
        case .zip: break
        }
        let zip = try ZipContainer(bytes: Array(bytes), file: file, limits: limits)
        self.file = file
        self.limits = limits
        self.zip = zip

        // _rels/.rels names the main part; without it, the usual place.
        var main = "xl/workbook.xml"
        if zip.contains("_rels/.rels") {
            let rels = try Self.relationships(of: "", rels: "_rels/.rels", zip: zip)
            if let office = rels.first(where: { $0.type.hasSuffix("/officeDocument") && !$0.external }), let target = office.target {
                main = target
            }
        }
        guard zip.contains(main), !main.lowercased().hasSuffix(".bin") else {
            if zip.contains("mimetype") || zip.contains("content.xml") {
                throw .otherFormat(file: file, format: "OpenDocument (.ods)")
            }
            if zip.contains("xl/workbook.bin") || main.lowercased().hasSuffix(".bin") {
                throw .otherFormat(file: file, format: "Excel 二进制工作簿 binary workbook (.xlsb)")
            }
            throw .notAWorkbook(file: file, reason: .noWorkbookPart)
        }
        let book = WorkbookHandler()
        try zip.parse(main, into: XMLStream(file: file, part: main, maximumDepth: limits.maximumDepth, handler: book))
        dateSystem = book.uses1904 ? .from1904 : .from1900

        let rels = try Self.relationships(of: main, rels: PartName.relationships(of: main), zip: zip)
        var byID: [String: (type: String, part: String?)] = [:]
        for rel in rels where !rel.external { byID[rel.id] = (rel.type, rel.target) }
        sheets = book.sheets.map { entry in
            let rel = byID[entry.relationship]
            let isWorksheet = rel?.type.hasSuffix("/worksheet") ?? false
            return Sheet(name: entry.name, visible: entry.visible, isWorksheet: isWorksheet, part: rel?.part ?? nil)
        }
        guard !sheets.isEmpty else { throw .noSheet(file: file) }
        sharedStringsPart = rels.first { $0.type.hasSuffix("/sharedStrings") && !$0.external }?.target ?? nil
        if let styles = rels.first(where: { $0.type.hasSuffix("/styles") && !$0.external })?.target ?? nil, zip.contains(styles) {
            let handler = StylesHandler()
            try zip.parse(styles, into: XMLStream(file: file, part: styles, maximumDepth: limits.maximumDepth, handler: handler))
            dateStyles = handler.dateStyles
        } else {
            dateStyles = []
        }
    }

    /// The sheet names in tab order.
    public var sheetNames: [String] { sheets.map(\.name) }

    /// The sheet an import reads when none is named: the first visible one (the first of all
    /// when every sheet is hidden).
    public var firstSheet: Sheet {
        sheets.first { $0.visible && $0.isWorksheet } ?? sheets.first { $0.visible } ?? sheets[0]
    }

    /// The sheet called `name` (exactly, else ignoring case and surrounding spaces), or the first
    /// visible sheet when `name` is nil.
    public func sheet(named name: String?) throws(WorkbookFailure) -> Sheet {
        guard let name else { return firstSheet }
        if let exact = sheets.first(where: { $0.name == name }) { return exact }
        let wanted = name.trimmingSpaces().lowercased()
        if let loose = sheets.first(where: { $0.name.trimmingSpaces().lowercased() == wanted }) { return loose }
        throw .unknownSheet(file: file, sheet: name, available: sheetNames)
    }

    /// Reads the sheet `name` (nil: ``firstSheet``) whole.
    public func worksheet(_ name: String? = nil) throws(WorkbookFailure) -> Worksheet {
        var rows: [SheetRow] = []
        let sheet = try sheet(named: name)
        let merged = try readRows(of: sheet.name) { row throws(WorkbookFailure) in rows.append(row) }
        return Worksheet(file: file, name: sheet.name, rows: rows, mergedRanges: merged)
    }

    /// Streams the sheet `name` (nil: ``firstSheet``): `body` gets each non-empty row as it is
    /// inflated and parsed, so memory stays bounded by one row plus the shared strings. Returns
    /// the merged ranges (listed after the cells in the part).
    public func readRows(of name: String?, _ body: (SheetRow) throws(WorkbookFailure) -> Void) throws(WorkbookFailure) -> [CellRange] {
        let sheet = try sheet(named: name)
        guard sheet.isWorksheet else { throw .notAWorksheet(file: file, sheet: sheet.name) }
        guard let part = sheet.part else { throw .missingPart(file: file, part: "worksheet “\(sheet.name)”") }
        guard zip.contains(part) else { throw .missingPart(file: file, part: part) }
        var strings: [String] = []
        if let sharedStringsPart, zip.contains(sharedStringsPart) {
            let handler = SharedStringsHandler(limits: limits)
            try zip.parse(sharedStringsPart, into: XMLStream(file: file, part: sharedStringsPart, maximumDepth: limits.maximumDepth, handler: handler))
            strings = handler.strings
        }
        return try withoutActuallyEscaping(body) { body throws(WorkbookFailure) in
            let handler = SheetHandler(
                file: file, sheet: sheet.name, strings: strings, dateStyles: dateStyles, system: dateSystem, limits: limits, emit: body)
            try zip.parse(part, into: XMLStream(file: file, part: part, maximumDepth: limits.maximumDepth, handler: handler))
            return handler.mergedRanges
        }
    }

    /// The relationships of the part in `folder`'s source, targets resolved.
    private static func relationships(of source: String, rels: String, zip: ZipContainer) throws(WorkbookFailure) -> [(id: String, type: String, target: String?, external: Bool)] {
        guard zip.contains(rels) else { return [] }
        let handler = RelationshipsHandler()
        try zip.parse(rels, into: XMLStream(file: zip.file, part: rels, maximumDepth: zip.limits.maximumDepth, handler: handler))
        let folder = PartName.folder(of: source)
        return handler.relationships.map { rel in
            (rel.id, rel.type, PartName.resolve(rel.target, from: folder), rel.external)
        }
    }
}
