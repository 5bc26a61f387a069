import PiaojueDomain

/// A worksheet part (`xl/worksheets/sheetN.xml`) read as it inflates: each `<row>` of
/// `<sheetData>` becomes a ``SheetRow`` of its non-empty cells, handed to `emit` at once; the
/// `<mergeCell>` ranges are collected.
final class SheetHandler: XMLHandler {
    private let file: String
    private let sheet: String
    private let strings: [String]
    private let dateStyles: [WorkbookDate.Style?]
    private let system: WorkbookDate.System
    private let limits: WorkbookLimits
    private let emit: (SheetRow) throws(WorkbookFailure) -> Void
    private(set) var mergedRanges: [CellRange] = []

    private enum Kind { case number, shared, inline, formulaString, boolean, error, isoDate }

    private var inSheetData = false
    private var rowNumber = 0
    private var lastColumn = 0
    private var cells: [Cell] = []
    private var cellCount = 0
    // The open cell.
    private var column = 0
    private var kind = Kind.number
    private var style = 0
    private var hasFormula = false
    private var hasValue = false
    private var capture = Capture.none
    private var phoneticDepth = 0
    private var value: TextBuffer
    private var inline: TextBuffer

    private enum Capture { case none, value, inline }

    init(
        file: String, sheet: String, strings: [String], dateStyles: [WorkbookDate.Style?], system: WorkbookDate.System,
        limits: WorkbookLimits, emit: @escaping (SheetRow) throws(WorkbookFailure) -> Void
    ) {
        self.file = file
        self.sheet = sheet
        self.strings = strings
        self.dateStyles = dateStyles
        self.system = system
        self.limits = limits
        self.emit = emit
        value = TextBuffer(limit: limits.maximumCellBytes)
        inline = TextBuffer(limit: limits.maximumCellBytes)
    }

    private func location(_ row: Int, _ column: Int) -> CellLocation {
        CellLocation(file: file, sheet: sheet, address: CellAddress(row: max(row, 1), column: max(column, 1)))
    }

    func start(_ name: XMLName, _ attributes: XMLAttributes, _ stream: XMLStream) throws(WorkbookFailure) {
        guard inSheetData else {
            if name.is("sheetData") {
                inSheetData = true
            } else if name.is("mergeCell") {
                guard let ref = attributes.string("ref"), let range = CellRange(ref) else {
                    throw .badXML(file: file, part: stream.part, line: stream.line, detail: "a mergeCell without a valid ref")
                }
                guard mergedRanges.count < limits.maximumMergedRanges else {
                    throw .tooManyCells(file: file, sheet: sheet, limit: limits.maximumMergedRanges)
                }
                mergedRanges.append(range)
            }
            return
        }
        // By first letter: this runs for every element of every cell.
        let local = name.local.utf8
        guard let first = local.first else { return }
        let single = local.count == 1
        switch first {
        case UInt8(ascii: "c") where single: try startCell(attributes)
        case UInt8(ascii: "v") where single:
            capture = .value
            hasValue = true
        case UInt8(ascii: "t") where single:
            if kind == .inline, phoneticDepth == 0 { capture = .inline }
        case UInt8(ascii: "f") where single: hasFormula = true
        case UInt8(ascii: "r"):
            if name.is("row") { try startRow(attributes) } else if name.is("rPh") { phoneticDepth += 1 }
        default: break
        }
    }

    private func startRow(_ attributes: XMLAttributes) throws(WorkbookFailure) {
        var number = rowNumber + 1
        if var r = attributes.string("r") {
            guard let parsed = r.withUTF8({ CellAddress.parseRow($0) }) else {
                throw .badCell(location(rowNumber + 1, 1), detail: "row number \"\(String(r.prefix(16)))\" is not 1…1048576 / 行号无效")
            }
            number = parsed
        }
        guard number > rowNumber, number <= CellAddress.maximumRow else {
            throw .badCell(location(number, 1), detail: "row \(number) comes after row \(rowNumber) / 行的顺序颠倒或重复")
        }
        rowNumber = number
        lastColumn = 0
        cells.removeAll(keepingCapacity: true)
    }

    private func startCell(_ attributes: XMLAttributes) throws(WorkbookFailure) {
        var reference: String?
        var typeText: String?
        var styleText: String?
        for (key, value) in attributes.dictionary {
            let utf8 = key.utf8
            guard utf8.count == 1, let first = utf8.first else { continue }
            switch first {
            case UInt8(ascii: "r"): reference = value
            case UInt8(ascii: "t"): typeText = value
            case UInt8(ascii: "s"): styleText = value
            default: break
            }
        }
        if rowNumber == 0 { rowNumber = 1 }  // a cell outside any <row>: malformed, but keep counting
        if var reference {
            guard let address = reference.withUTF8({ CellAddress.parse($0) }) else {
                throw .badCell(location(rowNumber, lastColumn + 1), detail: "the reference \"\(String(reference.prefix(16)))\" is no cell / 单元格引用无效")
            }
            guard address.row == rowNumber else {
                throw .badCell(location(rowNumber, address.column), detail: "cell \(address) sits in row \(rowNumber) / 单元格不在所属的行")
            }
            column = address.column
        } else {
            column = lastColumn + 1
        }
        guard column > lastColumn, column <= CellAddress.maximumColumn else {
            throw .badCell(location(rowNumber, column), detail: "cells out of order or repeated / 单元格顺序颠倒或重复")
        }
        lastColumn = column
        kind = .number
        if let typeText, !typeText.isEmpty {
            let type = Array(typeText.utf8)
            switch (type.count, type[0]) {
            case (1, UInt8(ascii: "n")): kind = .number
            case (1, UInt8(ascii: "s")): kind = .shared
            case (1, UInt8(ascii: "b")): kind = .boolean
            case (1, UInt8(ascii: "e")): kind = .error
            case (1, UInt8(ascii: "d")): kind = .isoDate
            case (3, UInt8(ascii: "s")) where type[1] == UInt8(ascii: "t") && type[2] == UInt8(ascii: "r"): kind = .formulaString
            case (9, UInt8(ascii: "i")) where String(decoding: type, as: UTF8.self) == "inlineStr": kind = .inline
            default:
                throw .badCell(location(rowNumber, column), detail: "unknown cell type \"\(String(typeText.prefix(16)))\" / 未知的单元格类型")
            }
        }
        style = 0
        if let styleText {
            var n = 0
            for byte in styleText.utf8 {
                guard byte >= 48, byte <= 57, n < 1_000_000 else {
                    throw .badCell(location(rowNumber, column), detail: "style index is not a number / 样式编号无效")
                }
                n = n * 10 + Int(byte - 48)
            }
            style = n
        }
        hasFormula = false
        hasValue = false
        capture = .none
        phoneticDepth = 0
        value.removeAll()
        inline.removeAll()
    }

    func end(_ name: XMLName, _ stream: XMLStream) throws(WorkbookFailure) {
        guard inSheetData else { return }
        if name.is("v") || name.is("t") {
            capture = .none
        } else if name.is("c") {
            if let cellValue = try finishCell() {
                cellCount += 1
                guard cellCount <= limits.maximumCells else { throw .tooManyCells(file: file, sheet: sheet, limit: limits.maximumCells) }
                cells.append(Cell(column: column, value: cellValue))
            }
        } else if name.is("row") {
            if !cells.isEmpty { try emit(SheetRow(number: rowNumber, cells: cells)) }
            cells.removeAll(keepingCapacity: true)
        } else if name.is("rPh") {
            phoneticDepth -= 1
        } else if name.is("sheetData") {
            if !cells.isEmpty { try emit(SheetRow(number: rowNumber, cells: cells)) }
            cells.removeAll()
            inSheetData = false
        }
    }

    func text(_ bytes: UnsafeBufferPointer<UInt8>, _ stream: XMLStream) throws(WorkbookFailure) {
        switch capture {
        case .none: return
        case .value:
            guard value.append(bytes) else { throw .cellTooLong(location(rowNumber, column), limit: limits.maximumCellBytes) }
        case .inline:
            guard inline.append(bytes) else { throw .cellTooLong(location(rowNumber, column), limit: limits.maximumCellBytes) }
        }
    }

    /// The value of the cell just closed; nil when it is empty.
    private func finishCell() throws(WorkbookFailure) -> CellValue? {
        let raw = value.bytes
        switch kind {
        case .shared:
            guard !raw.isEmpty else { return nil }
            var index = 0
            for byte in raw {
                guard byte >= 48, byte <= 57, index <= strings.count else {
                    throw .badCell(location(rowNumber, column), detail: "shared string index is not a number / 共享字符串编号无效")
                }
                index = index * 10 + Int(byte - 48)
            }
            guard index < strings.count else {
                throw .badCell(location(rowNumber, column), detail: "shared string \(index) does not exist (the table has \(strings.count)) / 共享字符串编号超出范围")
            }
            let text = strings[index]
            return text.isEmpty ? nil : .text(text)
        case .inline:
            let text = inline.string
            return text.isEmpty ? nil : .text(text)
        case .formulaString:
            if !hasValue { return hasFormula ? .noCachedValue : nil }
            let text = value.string
            return text.isEmpty ? nil : .text(text)
        case .boolean:
            guard hasValue else { return hasFormula ? .noCachedValue : nil }
            switch String(decoding: raw, as: UTF8.self).trimmingSpaces() {
            case "1", "true", "TRUE": return .boolean(true)
            case "0", "false", "FALSE": return .boolean(false)
            default: throw .badCell(location(rowNumber, column), detail: "a boolean cell holds neither 0 nor 1 / 逻辑值无效")
            }
        case .error:
            guard hasValue else { return hasFormula ? .noCachedValue : nil }
            return .error(String(decoding: raw.prefix(32), as: UTF8.self))
        case .isoDate:
            guard hasValue, !raw.isEmpty else { return hasFormula ? .noCachedValue : nil }
            guard let date = WorkbookDate(iso: String(decoding: raw, as: UTF8.self).trimmingSpaces()) else {
                throw .badCell(location(rowNumber, column), detail: "the date is not ISO 8601 / 日期格式无效")
            }
            return .date(date)
        case .number:
            // `<f>1+2</f>` with no `<v>`, or an empty one (openpyxl writes `<v />`): never calculated.
            guard hasValue, !raw.isEmpty else { return hasFormula ? .noCachedValue : nil }
            var slice = raw[...]
            while let first = slice.first, first == 0x20 || first == 0x09 || first == 0x0A || first == 0x0D { slice = slice.dropFirst() }
            while let last = slice.last, last == 0x20 || last == 0x09 || last == 0x0A || last == 0x0D { slice = slice.dropLast() }
            guard DecimalNumber.isValid(slice) else {
                throw .badCell(location(rowNumber, column), detail: "a number cell holds no number / 数值单元格的内容不是数字")
            }
            let number = DecimalNumber(validated: String(decoding: slice, as: UTF8.self))
            if style < dateStyles.count, let dateStyle = dateStyles[style] {
                guard let date = WorkbookDate(serial: number, system: system, style: dateStyle) else { return .invalidDate(number) }
                return .date(date)
            }
            return .number(number)
        }
    }
}
