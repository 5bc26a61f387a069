import CLibXML2
import PiaojueDomain

/// Receives the SAX events of one XML part. Names are local names (any namespace prefix
/// dropped); a handler that throws stops the parse, and its failure is what `feed` throws.
protocol XMLHandler: AnyObject {
    func start(_ name: XMLName, _ attributes: XMLAttributes, _ stream: XMLStream) throws(WorkbookFailure)
    func end(_ name: XMLName, _ stream: XMLStream) throws(WorkbookFailure)
    func text(_ bytes: UnsafeBufferPointer<UInt8>, _ stream: XMLStream) throws(WorkbookFailure)
}

/// An element's local name, as libxml2 hands it over (NUL-terminated UTF-8, valid during the call).
struct XMLName {
    let pointer: UnsafePointer<UInt8>

    /// Whether the name is exactly `name` (ASCII).
    @inline(__always) func `is`(_ name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        let expected = name.utf8Start
        for i in 0..<count where pointer[i] != expected[i] { return false }
        return pointer[count] == 0
    }
}

/// The attributes of a start tag: libxml2's array of (local name, prefix, URI, value, end) per
/// attribute, values already decoded, valid during the call.
struct XMLAttributes {
    let base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    let count: Int

    /// The value of the attribute with local name `name`; when `namespaced` is true only one in a
    /// namespace (`r:id`), when false only one without (`id`).
    func value(_ name: StaticString, namespaced: Bool = false) -> UnsafeBufferPointer<UInt8>? {
        guard let base else { return nil }
        for i in 0..<count {
            let slot = base + i * 5
            guard let local = slot[0], XMLName(pointer: local).is(name), (slot[2] != nil) == namespaced,
                let start = slot[3], let end = slot[4]
            else { continue }
            return UnsafeBufferPointer(start: start, count: end - start)
        }
        return nil
    }

    /// The value as text, its character and entity references decoded (libxml2 leaves them in
    /// attribute values for the SAX2 handler to decode when it does not substitute entities).
    func string(_ name: StaticString, namespaced: Bool = false) -> String? {
        guard let raw = value(name, namespaced: namespaced) else { return nil }
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        return Self.decodeReferences(raw)
    }

    /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#38;` `&#x26;` decoded; anything else kept as written.
    static func decodeReferences(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            guard raw[i] == UInt8(ascii: "&"), let semicolon = raw[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                out.append(raw[i])
                i += 1
                continue
            }
            let name = String(decoding: raw[(i + 1)..<semicolon], as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch name {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if name.hasPrefix("#") {
                    scalar = UInt32(name.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                }
            }
            guard let scalar else {
                out.append(raw[i])
                i += 1
                continue
            }
            out.append(contentsOf: String(Character(scalar)).utf8)
            i = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// One part parsed as it inflates: libxml2's SAX2 push parser, fed chunk by chunk, with no DTD
/// (OPC forbids them: no entity can expand), no network, and a depth limit. Not thread-safe: one
/// stream lives inside one call.
final class XMLStream {
    let file: String
    let part: String
    private let maximumDepth: Int
    private let handler: any XMLHandler
    private var context: xmlParserCtxtPtr?
    private var depth = 0
    /// The first failure a callback met; the parser is stopped once it is set.
    private(set) var failure: WorkbookFailure?
    /// Whether `failure` is set (a flag is cheaper to test on every event than the enum).
    private var stopped = false

    init(file: String, part: String, maximumDepth: Int, handler: any XMLHandler) throws(WorkbookFailure) {
        self.file = file
        self.part = part
        self.maximumDepth = maximumDepth
        self.handler = handler
        Self.initialize
        var sax = Self.callbacks()
        context = xmlCreatePushParserCtxt(&sax, nil, nil, 0, part)
        guard let context else { throw WorkbookFailure.badXML(file: file, part: part, line: 0, detail: "libxml2 parser unavailable") }
        context.pointee.userData = Unmanaged.passUnretained(self).toOpaque()
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
    }

    deinit {
        if let context { xmlFreeParserCtxt(context) }
    }

    /// The line the parser is at (for messages).
    var line: Int { context.map { Int(xmlSAX2GetLineNumber(UnsafeMutableRawPointer($0))) } ?? 0 }

    /// Parses the next bytes of the part.
    func feed(_ bytes: UnsafeRawBufferPointer) throws(WorkbookFailure) {
        guard let context, let base = bytes.baseAddress, !bytes.isEmpty else { return }
        var offset = 0
        while offset < bytes.count {
            // xmlParseChunk takes an Int32 size: hand over at most 1 MiB at a time.
            let size = min(bytes.count - offset, 1 << 20)
            let status = xmlParseChunk(context, base.advanced(by: offset).assumingMemoryBound(to: CChar.self), Int32(size), 0)
            try check(status)
            offset += size
        }
    }

    /// Ends the part: an unclosed element is an error here.
    func finish() throws(WorkbookFailure) {
        guard let context else { return }
        try check(xmlParseChunk(context, nil, 0, 1))
    }

    private func check(_ status: Int32) throws(WorkbookFailure) {
        if let failure { throw failure }
        guard status != 0 else { return }
        var detail = "XML error \(status)"
        var line = self.line
        if let error = xmlCtxtGetLastError(context.map { UnsafeMutableRawPointer($0) }) {
            if let message = error.pointee.message {
                detail = String(cString: message).trimmingSpaces()
            }
            if error.pointee.line > 0 { line = Int(error.pointee.line) }
        }
        let failure = WorkbookFailure.badXML(file: file, part: part, line: line, detail: detail)
        self.failure = failure
        throw failure
    }

    /// Records `failure` and stops the parser.
    func stop(_ failure: WorkbookFailure) {
        guard !stopped else { return }
        stopped = true
        self.failure = failure
        if let context { xmlStopParser(context) }
    }

    // MARK: The C callbacks

    private static let initialize: Void = { xmlInitParser() }()

    private func onStart(_ local: UnsafePointer<xmlChar>, _ count: Int32, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        guard !stopped else { return }
        depth += 1
        guard depth <= maximumDepth else {
            stop(.tooDeep(file: file, part: part, line: line, limit: maximumDepth))
            return
        }
        do throws(WorkbookFailure) {
            try handler.start(XMLName(pointer: local), XMLAttributes(base: attributes, count: Int(count)), self)
        } catch { stop(error) }
    }

    private func onEnd(_ local: UnsafePointer<xmlChar>) {
        guard !stopped else { return }
        depth -= 1
        do throws(WorkbookFailure) { try handler.end(XMLName(pointer: local), self) } catch { stop(error) }
    }

    private func onText(_ bytes: UnsafePointer<xmlChar>, _ count: Int32) {
        guard !stopped, count > 0 else { return }
        do throws(WorkbookFailure) { try handler.text(UnsafeBufferPointer(start: bytes, count: Int(count)), self) } catch { stop(error) }
    }

    private func onForbidden(_ what: String) {
        guard !stopped else { return }
        stop(.badXML(file: file, part: part, line: line, detail: what))
    }

    /// The stream behind libxml2's user-data pointer, borrowed for the callback (no retain: the
    /// stream outlives its parser context, which it frees in `deinit`).
    @inline(__always) private static func with(_ pointer: UnsafeMutableRawPointer?, _ body: (XMLStream) -> Void) {
        guard let pointer else { return }
        Unmanaged<XMLStream>.fromOpaque(pointer)._withUnsafeGuaranteedRef(body)
    }

    private static func callbacks() -> xmlSAXHandler {
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { pointer, local, _, _, _, _, count, _, attributes in
            guard let local else { return }
            XMLStream.with(pointer) { $0.onStart(local, count, attributes) }
        }
        sax.endElementNs = { pointer, local, _, _ in
            guard let local else { return }
            XMLStream.with(pointer) { $0.onEnd(local) }
        }
        let characters: charactersSAXFunc = { pointer, bytes, count in
            guard let bytes else { return }
            XMLStream.with(pointer) { $0.onText(bytes, count) }
        }
        sax.characters = characters
        sax.cdataBlock = characters
        sax.ignorableWhitespace = characters
        // A DTD could declare entities (the "billion laughs"); OOXML parts never have one.
        sax.internalSubset = { pointer, _, _, _ in
            XMLStream.with(pointer) { $0.onForbidden("a DTD (<!DOCTYPE>) is not allowed in a workbook") }
        }
        sax.externalSubset = sax.internalSubset
        sax.entityDecl = { pointer, _, _, _, _, _ in
            XMLStream.with(pointer) { $0.onForbidden("an entity declaration is not allowed in a workbook") }
        }
        // Errors come back through xmlCtxtGetLastError; never printed on stderr.
        sax.serror = { _, _ in }
        return sax
    }
}
