/// A JSON value of the subset that ledger entries use: no floating-point numbers.
///
/// Strings keep their exact Unicode scalars (no normalisation), and object keys are compared and
/// ordered by UTF-16 code units, as RFC 8785 (JCS) requires.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// An integer in the interval where IEEE 754 doubles are exact: |n| ≤ 2^53 − 1.
    case integer(Int64)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The largest integer magnitude an entry may hold (2^53 − 1).
    public static let maxInteger: Int64 = 9_007_199_254_740_991
}

/// A JSON object: members with unique keys. Order of insertion is kept; canonical output sorts.
public struct JSONObject: Sendable {
    /// One member.
    public struct Member: Sendable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The members, in insertion (or parse) order.
    public private(set) var members: [Member] = []

    /// An empty object.
    public init() {}

    /// An object from `pairs`; a later duplicate key replaces the earlier value.
    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        for (key, value) in pairs { self[key] = value }
    }

    /// The value for `key` (compared byte for byte), or nil.
    public subscript(key: String) -> JSONValue? {
        get { members.first { Self.sameBytes($0.key, key) }?.value }
        set {
            let index = members.firstIndex { Self.sameBytes($0.key, key) }
            switch (index, newValue) {
            case let (index?, value?): members[index].value = value
            case let (index?, nil): members.remove(at: index)
            case let (nil, value?): members.append(Member(key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    /// Whether two keys are the same bytes (not Unicode-equivalent strings, as `==` compares): the
    /// lengths first, which rules out almost every other key of an entry at once.
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
    }

    /// Appends a member without checking for duplicates (the parser checks them itself).
    mutating func appendUnchecked(key: String, value: JSONValue) {
        members.append(Member(key: key, value: value))
    }

    /// The keys in insertion order.
    public var keys: [String] { members.map(\.key) }
}

extension JSONValue: Equatable {
    /// Structural equality with strings compared by their exact scalars, not canonical equivalence.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.string(a), .string(b)): return JSONObject.sameBytes(a, b)
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)): return a == b
        default: return false
        }
    }
}

extension JSONObject: Equatable {
    /// Same keys with equal values, whatever the member order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        return lhs.members.allSatisfy { member in rhs[member.key] == member.value }
    }
}

// MARK: - Accessors

extension JSONValue {
    /// The object, or nil.
    public var objectValue: JSONObject? { if case let .object(o) = self { o } else { nil } }
    /// The array, or nil.
    public var arrayValue: [JSONValue]? { if case let .array(a) = self { a } else { nil } }
    /// The string, or nil.
    public var stringValue: String? { if case let .string(s) = self { s } else { nil } }
    /// The integer, or nil.
    public var integerValue: Int64? { if case let .integer(i) = self { i } else { nil } }
    /// The boolean, or nil.
    public var boolValue: Bool? { if case let .bool(b) = self { b } else { nil } }
    /// The member `key` of an object, or nil.
    public subscript(key: String) -> JSONValue? { objectValue?[key] }
}

// MARK: - Canonical form (RFC 8785)

extension JSONValue {
    /// The RFC 8785 canonical UTF-8 bytes: members sorted by UTF-16 code units, no whitespace,
    /// minimal string escapes. Integers print in decimal, exactly as ECMAScript prints them.
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        JSONValue.write(self, into: &out)
        return out
    }

    /// The canonical form as a string.
    public var canonicalString: String { String(decoding: canonicalBytes, as: UTF8.self) }

    static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: [0x6e, 0x75, 0x6c, 0x6c])
        case let .bool(b): out.append(contentsOf: b ? Array("true".utf8) : Array("false".utf8))
        case let .integer(i): out.append(contentsOf: String(i).utf8)
        case let .string(s): writeString(s, into: &out)
        case let .array(items):
            out.append(UInt8(ascii: "["))
            for (n, item) in items.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let .object(object):
            out.append(UInt8(ascii: "{"))
            let members = object.members
            // Parsed canonical lines arrive sorted already: check before sorting a copy.
            let inOrder = zip(members, members.dropFirst()).allSatisfy { utf16Less($0.key, $1.key) }
            for (n, member) in (inOrder ? members : members.sorted { utf16Less($0.key, $1.key) }).enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Whether `a` sorts before `b` by UTF-16 code units (JCS §3.2.3).
    static func utf16Less(_ a: String, _ b: String) -> Bool {
        // Member names are nearly always ASCII. Where the first difference is between two ASCII
        // bytes, both are whole characters after an identical prefix, so they order the strings
        // exactly as their UTF-16 code units do; anything else is compared in UTF-16.
        var left = a.utf8.makeIterator()
        var right = b.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case let (x?, y?):
                if x == y { continue }
                if x < 0x80 && y < 0x80 { return x < y }
                return a.utf16.lexicographicallyPrecedes(b.utf16)
            case (nil, .some): return true
            case (_, nil): return false
            }
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = s
        text.withUTF8 { bytes in
            // Runs without anything to escape (nearly every string) are copied whole.
            var start = 0
            for (n, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5c {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<n]))
                writeEscape(byte, into: &out)
                start = n + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func writeEscape(_ byte: UInt8, into out: inout [UInt8]) {
        switch byte {
        case 0x22: out.append(contentsOf: [0x5c, 0x22])
        case 0x5c: out.append(contentsOf: [0x5c, 0x5c])
        case 0x08: out.append(contentsOf: [0x5c, UInt8(ascii: "b")])
        case 0x09: out.append(contentsOf: [0x5c, UInt8(ascii: "t")])
        case 0x0a: out.append(contentsOf: [0x5c, UInt8(ascii: "n")])
        case 0x0c: out.append(contentsOf: [0x5c, UInt8(ascii: "f")])
        case 0x0d: out.append(contentsOf: [0x5c, UInt8(ascii: "r")])
        default: out.append(contentsOf: [0x5c, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xf)]])
        }
    }
}

// MARK: - Parsing

/// Why a text is not a JSON document of the supported subset; `offset` counts bytes from 0.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of failure.
    public enum Reason: Sendable, Equatable {
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case floatingPointNumber
        case integerOutOfRange
        case invalidUTF8
        case invalidEscape
        case loneSurrogate
        case controlCharacterInString
        case duplicateKey(String)
        case trailingContent
        case tooDeep
    }

    public let reason: Reason
    public let offset: Int

    public var description: String {
        let what: String
        switch reason {
        case .unexpectedEnd: what = "the text ends in the middle of a value"
        case let .unexpectedByte(b): what = "unexpected byte 0x\(String(b, radix: 16))"
        case .floatingPointNumber:
            what = "floating-point numbers are not allowed (entries hold integers only; write money in whole 元)"
        case .integerOutOfRange: what = "an integer is outside ±(2^53 − 1)"
        case .invalidUTF8: what = "the text is not valid UTF-8"
        case .invalidEscape: what = "a backslash escape is malformed"
        case .loneSurrogate: what = "a \\u escape is an unpaired UTF-16 surrogate"
        case .controlCharacterInString: what = "a string holds a raw control character"
        case let .duplicateKey(key): what = "the key \"\(key)\" appears twice in one object"
        case .trailingContent: what = "there is more text after the JSON value"
        case .tooDeep: what = "values are nested more than \(JSONParser.maxDepth) levels deep"
        }
        return "JSON at byte \(offset): \(what)"
    }
}

extension JSONValue {
    /// Parses one JSON document (RFC 8259) of the supported subset from UTF-8 bytes.
    /// Whitespace around the value is allowed; anything else after it is an error.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        try JSONParser.run(Array(bytes)) { parser throws(JSONParseError) in try parser.parseDocument() }
    }

    /// Parses one JSON document and tells whether `bytes` are exactly its RFC 8785 canonical form
    /// (``canonicalBytes``), found while parsing instead of by writing the value out again; and,
    /// when the document is an object, where each of its members' values lies in `bytes`.
    public static func parseCanonical(_ bytes: [UInt8]) throws(JSONParseError) -> CanonicalParse {
        try JSONParser.run(bytes) { parser throws(JSONParseError) in
            let value = try parser.parseDocument()
            return CanonicalParse(value: value, isCanonical: parser.canonical, memberRanges: parser.topLevelRanges)
        }
    }

    /// Parses one JSON document from a string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// A parsed document, whether its bytes were canonical, and where its top-level members' values are.
public struct CanonicalParse: Sendable {
    public let value: JSONValue
    /// Whether the bytes were exactly `value.canonicalBytes`.
    public let isCanonical: Bool
    /// For an object document: each member's key and the byte range of its value, in input order.
    public let memberRanges: [(key: String, range: Range<Int>)]

    /// The bytes of the top-level member `key`'s value, or nil.
    public func range(of key: String) -> Range<Int>? {
        memberRanges.first { JSONObject.sameBytes($0.key, key) }?.range
    }
}

struct JSONParser {
    static let maxDepth = 64

    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0
    /// Whether everything read so far is exactly as ``JSONValue/canonicalBytes`` writes it: no
    /// whitespace, members in UTF-16 order, only the escapes the writer uses, no `-0`.
    var canonical = true
    /// The top-level object's members: key and the byte range of the value.
    var topLevelRanges: [(key: String, range: Range<Int>)] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// `body` with a parser over `bytes`.
    static func run<T>(_ bytes: [UInt8], _ body: (inout JSONParser) throws(JSONParseError) -> T) throws(JSONParseError) -> T {
        var result: Result<T, JSONParseError> = .failure(JSONParseError(reason: .unexpectedEnd, offset: 0))
        bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            result = Result { () throws(JSONParseError) -> T in try body(&parser) }
        }
        return try result.get()
    }

    func fail(_ reason: JSONParseError.Reason) -> JSONParseError {
        JSONParseError(reason: reason, offset: position)
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw fail(.trailingContent) }
        return value
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0a, 0x0d:
                position += 1
                canonical = false
            default: return
            }
        }
    }

    func peek() throws(JSONParseError) -> UInt8 {
        guard position < bytes.count else { throw fail(.unexpectedEnd) }
        return bytes[position]
    }

    mutating func expect(_ literal: StaticString, value: JSONValue) throws(JSONParseError) -> JSONValue {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw fail(.unexpectedEnd) }
        let base = literal.utf8Start
        for i in 0..<count where bytes[position + i] != base[i] {
            position += i
            throw fail(.unexpectedByte(bytes[position]))
        }
        position += count
        return value
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", value: .bool(true))
        case UInt8(ascii: "f"): return try expect("false", value: .bool(false))
        case UInt8(ascii: "n"): return try expect("null", value: .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case let other: throw fail(.unexpectedByte(other))
        }
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > Self.maxDepth { throw fail(.tooDeep) }
    }

    mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        position += 1
        var object = JSONObject()
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            position += 1
            return .object(object)
        }
        let topLevel = depth == 1
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw fail(.unexpectedByte(bytes[position])) }
            let keyStart = position
            let key = try parseString()
            if object.members.contains(where: { JSONObject.sameBytes($0.key, key) }) {
                throw JSONParseError(reason: .duplicateKey(key), offset: keyStart)
            }
            if canonical, let previous = object.members.last, !JSONValue.utf16Less(previous.key, key) { canonical = false }
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw fail(.unexpectedByte(bytes[position])) }
            position += 1
            skipWhitespace()
            let valueStart = position
            let value = try parseValue()
            if topLevel { topLevelRanges.append((key, valueStart..<position)) }
            object.appendUnchecked(key: key, value: value)
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return .object(object)
            case let other: throw fail(.unexpectedByte(other))
            }
        }
    }

    mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(items)
            case let other: throw fail(.unexpectedByte(other))
            }
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        let digitsStart = position
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
        let digitCount = position - digitsStart
        guard digitCount > 0 else {
            if position < bytes.count { throw fail(.unexpectedByte(bytes[position])) }
            throw fail(.unexpectedEnd)
        }
        if digitCount > 1, bytes[digitsStart] == UInt8(ascii: "0") {
            position = digitsStart + 1
            throw fail(.unexpectedByte(bytes[position]))
        }
        if position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                position = start
                throw fail(.floatingPointNumber)
            default: break
            }
        }
        guard digitCount <= 16 else {
            position = start
            throw fail(.integerOutOfRange)
        }
        var magnitude: Int64 = 0
        for i in digitsStart..<position { magnitude = magnitude * 10 + Int64(bytes[i] - 0x30) }
        guard magnitude <= JSONValue.maxInteger else {
            position = start
            throw fail(.integerOutOfRange)
        }
        if negative && magnitude == 0 { canonical = false }  // written as 0
        return .integer(negative ? -magnitude : magnitude)
    }

    mutating func parseString() throws(JSONParseError) -> String {
        position += 1  // opening quote
        let start = position
        // Fast path: no escapes. A string of ASCII bytes only is valid UTF-8 as it stands, so only
        // one with a byte ≥ 0x80 goes through the (generic, slower) validation.
        var union: UInt8 = 0
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
                if union < 0x80 {
                    position += 1
                    return String(decoding: slice, as: UTF8.self)
                }
                guard let text = String(validating: slice, as: UTF8.self) else {
                    position = start
                    throw fail(.invalidUTF8)
                }
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw fail(.controlCharacterInString) }
            union |= byte
            position += 1
        }
        guard position < bytes.count else { throw fail(.unexpectedEnd) }
        // Slow path: decode escapes into a buffer, validate the whole buffer at the end.
        var buffer = Array(bytes[start..<position])
        while true {
            guard position < bytes.count else { throw fail(.unexpectedEnd) }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    position = start
                    throw fail(.invalidUTF8)
                }
                return text
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw fail(.unexpectedEnd) }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""): buffer.append(0x22)
                case UInt8(ascii: "\\"): buffer.append(0x5c)
                case UInt8(ascii: "/"):
                    buffer.append(0x2f)
                    canonical = false  // written unescaped
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0c)
                case UInt8(ascii: "n"): buffer.append(0x0a)
                case UInt8(ascii: "r"): buffer.append(0x0d)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    let unit = try parseHex4()
                    // The writer uses \u only for the controls without a short escape, in lowercase hex.
                    if unit >= 0x20 || [0x08, 0x09, 0x0a, 0x0c, 0x0d].contains(unit)
                        || bytes[(position - 4)..<position].contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) })
                    {
                        canonical = false
                    }
                    var scalarValue = UInt32(unit)
                    if (0xD800...0xDBFF).contains(unit) {
                        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                            bytes[position + 1] == UInt8(ascii: "u")
                        else { throw fail(.loneSurrogate) }
                        position += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail(.loneSurrogate) }
                        scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(unit) {
                        throw fail(.loneSurrogate)
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else { throw fail(.loneSurrogate) }
                    buffer.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    position -= 1
                    throw fail(.invalidEscape)
                }
            default:
                if byte < 0x20 { throw fail(.controlCharacterInString) }
                buffer.append(byte)
                position += 1
            }
        }
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt16 {
        guard position + 4 <= bytes.count else { throw fail(.unexpectedEnd) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let c = bytes[position]
            let digit: UInt16
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt16(c - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt16(c - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt16(c - 0x41 + 10)
            default: throw fail(.invalidEscape)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }
}
