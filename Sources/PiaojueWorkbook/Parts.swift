/// The text of one cell or shared string as it arrives in pieces, with the size limit kept.
struct TextBuffer {
    private(set) var bytes: [UInt8] = []
    let limit: Int

    init(limit: Int) {
        self.limit = limit
        bytes.reserveCapacity(64)
    }

    var isEmpty: Bool { bytes.isEmpty }

    /// Appends; false when the text would pass the limit.
    mutating func append(_ piece: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count + piece.count <= limit else { return false }
        bytes.append(contentsOf: piece)
        return true
    }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// The text with the `_xHHHH_` escapes of ECMA-376 (ST_Xstring) decoded: `_x000D_` is a
    /// carriage return, `_x005F_` a literal underscore; UTF-16 surrogate pairs are joined.
    var string: String { XString.decode(bytes[...]) }
}

/// ST_Xstring: characters XML cannot carry are written `_xHHHH_` (a UTF-16 code unit in hex).
enum XString {
    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        guard let firstEscape = escapeStart(bytes, from: bytes.startIndex) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = Array(bytes[..<firstEscape])
        out.reserveCapacity(bytes.count)
        var index = firstEscape
        var pendingHigh: UInt16?
        func flushHigh() {
            if pendingHigh != nil { appendScalar(0xFFFD, to: &out) }
            pendingHigh = nil
        }
        while index < bytes.endIndex {
            if let unit = escape(bytes, at: index) {
                index += 7
                switch unit {
                case 0xD800...0xDBFF:
                    flushHigh()
                    pendingHigh = unit
                case 0xDC00...0xDFFF:
                    if let high = pendingHigh {
                        let scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                        appendScalar(scalar, to: &out)
                        pendingHigh = nil
                    } else {
                        appendScalar(0xFFFD, to: &out)
                    }
                default:
                    flushHigh()
                    appendScalar(UInt32(unit), to: &out)
                }
                continue
            }
            flushHigh()
            out.append(bytes[index])
            index += 1
        }
        flushHigh()
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` needs escaping on output: a character XML 1.0 cannot hold, or a literal
    /// `_xHHHH_` that a reader would decode.
    static func encode(_ text: String) -> String {
        var needs = false
        for scalar in text.unicodeScalars where !isXMLChar(scalar) || scalar == "_" {
            needs = true
            break
        }
        guard needs else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            if !isXMLChar(scalar) {
                out.append(contentsOf: hexEscape(UInt16(truncatingIfNeeded: scalar.value)).unicodeScalars)
            } else if scalar == "_", i + 6 < scalars.count, scalars[i + 1] == "x",
                scalars[(i + 2)...(i + 5)].allSatisfy({ $0.properties.isASCIIHexDigit }), scalars[i + 6] == "_"
            {
                out.append(contentsOf: "_x005F_".unicodeScalars)
            } else {
                out.append(scalar)
            }
            i += 1
        }
        return String(out)
    }

    /// XML 1.0 Char (a carriage return is one, written `&#13;` so that parsing keeps it).
    static func isXMLChar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    static func hexEscape(_ unit: UInt16) -> String {
        let hex = String(unit, radix: 16, uppercase: true)
        return "_x" + String(repeating: "0", count: 4 - hex.count) + hex + "_"
    }

    private static func escapeStart(_ bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        var index = start
        while index + 6 < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "_"), escape(bytes, at: index) != nil { return index }
            index += 1
        }
        return nil
    }

    /// The code unit of an escape at `index`, or nil.
    private static func escape(_ bytes: ArraySlice<UInt8>, at index: Int) -> UInt16? {
        guard index + 6 < bytes.endIndex, bytes[index] == UInt8(ascii: "_"), bytes[index + 1] == UInt8(ascii: "x"),
            bytes[index + 6] == UInt8(ascii: "_")
        else { return nil }
        var value: UInt16 = 0
        for offset in 2...5 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case 48...57: digit = byte - 48
            case 65...70: digit = byte - 55
            case 97...102: digit = byte - 87
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private static func appendScalar(_ value: UInt32, to out: inout [UInt8]) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        out.append(contentsOf: String(Character(scalar)).utf8)
    }
}

// MARK: - The package parts

/// One relationship of a `.rels` part.
struct Relationship {
    let id: String
    let type: String
    let target: String
    let external: Bool
}

/// `_rels/.rels` and `xl/_rels/workbook.xml.rels`.
final class RelationshipsHandler: XMLHandler {
    var relationships: [Relationship] = []

    func start(_ name: XMLName, _ attributes: XMLAttributes, _ stream: XMLStream) throws(WorkbookFailure) {
        guard name.is("Relationship"), let id = attributes.string("Id"), let target = attributes.string("Target") else { return }
        relationships.append(Relationship(
            id: id, type: attributes.string("Type") ?? "", target: target,
            external: attributes.string("TargetMode")?.lowercased() == "external"))
    }

    func end(_ name: XMLName, _ stream: XMLStream) throws(WorkbookFailure) {}
    func text(_ bytes: UnsafeBufferPointer<UInt8>, _ stream: XMLStream) throws(WorkbookFailure) {}
}

/// One sheet as `xl/workbook.xml` lists it.
struct SheetEntry {
    let name: String
    let relationship: String
    let visible: Bool
}

/// `xl/workbook.xml`: the sheets in tab order and the date system.
final class WorkbookHandler: XMLHandler {
    var sheets: [SheetEntry] = []
    var uses1904 = false

    func start(_ name: XMLName, _ attributes: XMLAttributes, _ stream: XMLStream) throws(WorkbookFailure) {
        if name.is("sheet") {
            guard let sheetName = attributes.string("name"), let id = attributes.string("id", namespaced: true) else { return }
            let state = attributes.string("state") ?? "visible"
            sheets.append(SheetEntry(name: XString.decode(Array(sheetName.utf8)[...]), relationship: id, visible: state == "visible"))
        } else if name.is("workbookPr"), let value = attributes.string("date1904") {
            uses1904 = value == "1" || value.lowercased() == "true"
        }
    }

    func end(_ name: XMLName, _ stream: XMLStream) throws(WorkbookFailure) {}
    func text(_ bytes: UnsafeBufferPointer<UInt8>, _ stream: XMLStream) throws(WorkbookFailure) {}
}

/// `xl/styles.xml`: for each cell style (`cellXfs`, indexed by a cell's `s`), whether its number
/// format shows a date, and which style of date.
final class StylesHandler: XMLHandler {
    private var customFormats: [Int: String] = [:]
    private var formatIDs: [Int] = []
    private var inCellXfs = false

    /// The date style of each cell style index (nil: not a date).
    var dateStyles: [WorkbookDate.Style?] {
        formatIDs.map { id in
            if let code = customFormats[id] { return NumberFormats.style(code: code) }
            return NumberFormats.builtinStyle(id)
        }
    }

    func start(_ name: XMLName, _ attributes: XMLAttributes, _ stream: XMLStream) throws(WorkbookFailure) {
        if name.is("numFmt") {
            guard let id = attributes.string("numFmtId").flatMap({ Int($0) }), let code = attributes.string("formatCode") else { return }
            customFormats[id] = code
        } else if name.is("cellXfs") {
            inCellXfs = true
        } else if inCellXfs, name.is("xf") {
            formatIDs.append(attributes.string("numFmtId").flatMap { Int($0) } ?? 0)
        }
    }

    func end(_ name: XMLName, _ stream: XMLStream) throws(WorkbookFailure) {
        if name.is("cellXfs") { inCellXfs = false }
    }

    func text(_ bytes: UnsafeBufferPointer<UInt8>, _ stream: XMLStream) throws(WorkbookFailure) {}
}

/// `xl/sharedStrings.xml`: each `<si>` is one string, its `<t>` runs joined (rich text), the
/// phonetic guides (`<rPh>`) left out.
final class SharedStringsHandler: XMLHandler {
    private(set) var strings: [String] = []
    private var buffer: TextBuffer
    private var inItem = false
    private var inText = false
    private var phoneticDepth = 0
    private let maximum: Int

    init(limits: WorkbookLimits) {
        buffer = TextBuffer(limit: limits.maximumCellBytes)
        maximum = limits.maximumSharedStrings
    }

    func start(_ name: XMLName, _ attributes: XMLAttributes, _ stream: XMLStream) throws(WorkbookFailure) {
        if name.is("si") {
            inItem = true
            buffer.removeAll()
        } else if name.is("t") {
            inText = inItem && phoneticDepth == 0
        } else if name.is("rPh") {
            phoneticDepth += 1
        } else if name.is("sst"), let count = attributes.string("uniqueCount").flatMap({ Int($0) }) {
            strings.reserveCapacity(min(count, 100_000))
        }
    }

    func end(_ name: XMLName, _ stream: XMLStream) throws(WorkbookFailure) {
        if name.is("t") {
            inText = false
        } else if name.is("rPh") {
            phoneticDepth -= 1
        } else if name.is("si") {
            guard strings.count < maximum else { throw .tooManyStrings(file: stream.file, limit: maximum) }
            strings.append(buffer.string)
            inItem = false
        }
    }

    func text(_ bytes: UnsafeBufferPointer<UInt8>, _ stream: XMLStream) throws(WorkbookFailure) {
        guard inText else { return }
        guard buffer.append(bytes) else {
            throw .badXML(
                file: stream.file, part: stream.part, line: stream.line,
                detail: "shared string \(strings.count) is longer than \(buffer.limit) bytes")
        }
    }
}

/// Part names: relationship targets resolved against their source part's folder.
enum PartName {
    /// `target` of a relationship in the part `source`'s folder (`xl/` for `xl/workbook.xml`, the
    /// root for `_rels/.rels`); an absolute target (`/xl/worksheets/sheet1.xml`) is from the
    /// package root. Nil when it climbs above the root.
    static func resolve(_ target: String, from folder: String) -> String? {
        var path = target
        if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
        path = percentDecoded(path)
        let joined = path.hasPrefix("/") ? String(path.dropFirst()) : folder + path
        var segments: [Substring] = []
        for segment in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..":
                guard !segments.isEmpty else { return nil }
                segments.removeLast()
            default: segments.append(segment)
            }
        }
        return segments.isEmpty ? nil : segments.joined(separator: "/")
    }

    /// The folder of `part`, with its trailing slash (`xl/` for `xl/workbook.xml`).
    static func folder(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[...slash])
    }

    /// The `.rels` part of `part`: `xl/_rels/workbook.xml.rels`.
    static func relationships(of part: String) -> String {
        let folder = folder(of: part)
        return folder + "_rels/" + part.dropFirst(folder.count) + ".rels"
    }

    private static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            {
                out.append(value)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
