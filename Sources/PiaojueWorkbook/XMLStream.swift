import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PiaojueDomain

/// Receives the SAX events of one XML part. Names are local names (any namespace prefix
/// dropped); a handler that throws stops the parse, and its failure is what `parse` throws.
protocol XMLHandler: AnyObject {
    func start(_ name: XMLName, _ attributes: XMLAttributes, _ stream: XMLStream) throws(WorkbookFailure)
    func end(_ name: XMLName, _ stream: XMLStream) throws(WorkbookFailure)
    func text(_ bytes: UnsafeBufferPointer<UInt8>, _ stream: XMLStream) throws(WorkbookFailure)
}

/// An element's local name (the part after any `prefix:`).
struct XMLName {
    let local: Substring

    init(qualified: String) {
        if let colon = qualified.utf8.lastIndex(of: UInt8(ascii: ":")) {
            local = qualified[qualified.utf8.index(after: colon)...]
        } else {
            local = qualified[...]
        }
    }

    /// Whether the local name is exactly `name` (ASCII).
    @inline(__always) func `is`(_ name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        let utf8 = local.utf8
        guard utf8.count == count else { return false }
        let expected = name.utf8Start
        var i = 0
        for byte in utf8 {
            guard byte == expected[i] else { return false }
            i += 1
        }
        return true
    }
}

/// The attributes of a start tag as XMLParser reports them without namespace processing: by
/// qualified name (`r:id`, `ref`), values with their references already decoded. Namespace
/// declarations (`xmlns`, `xmlns:r`) are never matched.
struct XMLAttributes {
    let dictionary: [String: String]

    /// The value of the attribute with local name `name`; when `namespaced` is true only one with
    /// a prefix (`r:id`), when false only one without (`id`).
    func string(_ name: StaticString, namespaced: Bool = false) -> String? {
        for (key, value) in dictionary {
            let qualified = XMLName(qualified: key)
            guard qualified.is(name), (qualified.local.startIndex != key.startIndex) == namespaced,
                !key.hasPrefix("xmlns")
            else { continue }
            return value
        }
        return nil
    }
}

/// One part parsed by Foundation's `XMLParser`, pulling its bytes from a file the container
/// inflated the part into (see ``ZipContainer/parse(_:into:)``), so that memory stays bounded
/// by the parser's chunk, not the part. The container has already refused any DTD (no entity
/// can expand: XMLParser substitutes entities) and any encoding but UTF-8 while inflating; here
/// a depth limit, and every error the parser reports (it runs libxml2 in recovery mode) is
/// fatal. Not thread-safe: one stream lives inside one call.
final class XMLStream: NSObject, XMLParserDelegate {
    let file: String
    let part: String
    private let maximumDepth: Int
    private let handler: any XMLHandler
    private var parser: XMLParser?
    private var depth = 0
    /// Whether the root element has ended: a part cut short inside an element is an error, which
    /// XMLParser (never told the stream ended) does not report.
    private var rootClosed = false
    /// The first failure met; the parser is stopped once it is set.
    private(set) var failure: WorkbookFailure?

    init(file: String, part: String, maximumDepth: Int, handler: any XMLHandler) {
        self.file = file
        self.part = part
        self.maximumDepth = maximumDepth
        self.handler = handler
    }

    /// The line the parser is at (for messages).
    var line: Int { parser?.lineNumber ?? 0 }

    /// Parses the part from `stream` to its end.
    func parse(_ stream: InputStream) throws(WorkbookFailure) {
        let parser = XMLParser(stream: stream)
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.externalEntityResolvingPolicy = .never
        parser.delegate = self
        self.parser = parser
        defer {
            parser.delegate = nil
            self.parser = nil
        }
        let parsed = parser.parse()
        if let failure { throw failure }
        guard parsed else {
            throw WorkbookFailure.badXML(file: file, part: part, line: line, detail: Self.describe(parser.parserError))
        }
        guard rootClosed, depth == 0 else {
            throw WorkbookFailure.badXML(file: file, part: part, line: line, detail: "the part ends inside an element / XML 未结束")
        }
    }

    /// Records `failure` and stops the parser.
    func stop(_ failure: WorkbookFailure) {
        guard self.failure == nil else { return }
        self.failure = failure
        parser?.abortParsing()
    }

    private static func describe(_ error: (any Error)?) -> String {
        guard let error else { return "not well-formed" }
        let nsError = error as NSError
        if let message = nsError.userInfo[NSLocalizedDescriptionKey] as? String, !message.isEmpty {
            return message.trimmingSpaces()
        }
        return "XML error \(nsError.code)"
    }

    // MARK: XMLParserDelegate

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String]
    ) {
        guard failure == nil else { return }
        if rootClosed {
            stop(.badXML(file: file, part: part, line: line, detail: "content after the root element / 根元素之后还有内容"))
            return
        }
        depth += 1
        guard depth <= maximumDepth else {
            stop(.tooDeep(file: file, part: part, line: line, limit: maximumDepth))
            return
        }
        do throws(WorkbookFailure) {
            try handler.start(XMLName(qualified: elementName), XMLAttributes(dictionary: attributeDict), self)
        } catch { stop(error) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard failure == nil else { return }
        depth -= 1
        if depth == 0 { rootClosed = true }
        do throws(WorkbookFailure) { try handler.end(XMLName(qualified: elementName), self) } catch { stop(error) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard failure == nil, depth > 0 else { return }
        var string = string
        var failure: WorkbookFailure?
        string.withUTF8 { bytes in
            do throws(WorkbookFailure) { try handler.text(bytes, self) } catch { failure = error }
        }
        if let failure { stop(failure) }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard failure == nil, depth > 0 else { return }
        let bytes = [UInt8](CDATABlock)
        var failure: WorkbookFailure?
        bytes.withUnsafeBufferPointer { buffer in
            do throws(WorkbookFailure) { try handler.text(buffer, self) } catch { failure = error }
        }
        if let failure { stop(failure) }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        stop(.badXML(file: file, part: part, line: line, detail: Self.describe(parseError)))
    }

    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        stop(.badXML(file: file, part: part, line: line, detail: "an entity declaration is not allowed in a workbook"))
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        stop(.badXML(file: file, part: part, line: line, detail: "an entity declaration is not allowed in a workbook"))
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        stop(.badXML(file: file, part: part, line: line, detail: "an entity reference is not allowed in a workbook"))
        return nil
    }
}

/// Watches the bytes of a part as they inflate, before any parser sees them: a DTD (`<!DOCTYPE`,
/// `<!ENTITY`: the "billion laughs") is refused, as OPC forbids them, and so is any encoding but
/// UTF-8 (a UTF-16 or EBCDIC part could hide a DTD from a byte scan). Only `<!--` (a comment)
/// and `<![CDATA[` may follow `<!`.
struct MarkupScreen {
    /// The bytes seen so far, up to the first `?>` when the part opens with an XML declaration.
    private var head: [UInt8] = []
    private var headDone = false
    /// The last two bytes of the previous chunk.
    private var previous: (UInt8, UInt8) = (0, 0)

    /// Nil when `bytes` may go on, else why not.
    mutating func check(_ bytes: UnsafeRawBufferPointer) -> String? {
        if !headDone, let why = checkHead(bytes) { return why }
        var (a, b) = previous
        for c in bytes {
            if a == UInt8(ascii: "<"), b == UInt8(ascii: "!"), c != UInt8(ascii: "-"), c != UInt8(ascii: "[") {
                return "a DTD (<!DOCTYPE>) is not allowed in a workbook"
            }
            (a, b) = (b, c)
        }
        previous = (a, b)
        return nil
    }

    /// The part must open with an optional UTF-8 BOM and `<`; an XML declaration may name no
    /// encoding but UTF-8.
    private mutating func checkHead(_ bytes: UnsafeRawBufferPointer) -> String? {
        head.append(contentsOf: bytes.prefix(max(0, 512 - head.count)))
        var start = 0
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        guard head.count > start else { return nil }
        guard head[start] == UInt8(ascii: "<") else { return "the part is not UTF-8 XML / 不是 UTF-8 编码的 XML" }
        let text = head[start...]
        guard text.starts(with: Array("<?xml".utf8)) else {
            headDone = true
            return nil
        }
        guard let close = Self.find(Array("?>".utf8), in: text) else {
            if head.count >= 512 { return "the XML declaration does not end / XML 声明未结束" }
            return nil
        }
        headDone = true
        let declaration = String(decoding: text[..<close], as: UTF8.self).lowercased()
        guard let range = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
        let name = rest.prefix { $0 != "\"" && $0 != "'" && $0 != " " }
        guard name == "utf-8" || name == "utf8" else { return "the encoding \(name.prefix(20)) is not UTF-8 / 编码不是 UTF-8" }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = haystack.startIndex
        while i + needle.count <= haystack.endIndex {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
