import PiaojueCrypto
import PiaojueDomain

/// Ballot payloads `{session, choices}` built and read straight as JSON values (no Codable), in one
/// place for the writer, the tally and the verifier: a ledger holds a million of them.
public enum BallotJSON {
    /// The payload a credential signs.
    public static func payload(session: String, choices: Choices) -> JSONValue {
        var marks = JSONObject()
        for mark in Mark.allCases {
            if let ids = choices.marks[mark] { marks[mark.rawValue] = .array(ids.map { .string($0) }) }
        }
        return .object(JSONObject(["session": .string(session), "choices": .object(marks)]))
    }

    /// The choices of a ballot payload, or nil when it is not one.
    public static func choices(_ payload: JSONValue) -> Choices? {
        guard let object = payload["choices"]?.objectValue else { return nil }
        var marks: [Mark: [String]] = [:]
        for member in object.members {
            guard let mark = Mark(rawValue: member.key), let items = member.value.arrayValue else { return nil }
            var ids: [String] = []
            ids.reserveCapacity(items.count)
            for item in items {
                guard let id = item.stringValue else { return nil }
                ids.append(id)
            }
            marks[mark] = ids
        }
        return Choices(marks)
    }
}

/// Reads the marks of a canonical ballot line without building JSON values: a tally of a million
/// ballots reads a million lines. Anything unexpected (an escape, an unknown mark) is reported as
/// `.unreadable` and the caller falls back to the full parser, so the result is always the same.
public struct BallotScanner: Sendable {
    /// The outcome of scanning one line.
    public enum Outcome: Sendable, Equatable {
        /// Marks written per item; `conflict` when an id was marked twice or is not on the ballot.
        case scanned(conflict: Bool)
        case unreadable
    }

    private let items: [[UInt8]]
    private static let marker = Array(#""payload":{"choices":{"#.utf8)
    private static let markCodes: [([UInt8], UInt8)] = Mark.allCases.map { (Array($0.rawValue.utf8), $0.code) }

    public init(items: [String]) { self.items = items.map { Array($0.utf8) } }

    /// Writes the mark code of each item into `marks` (0 for unmarked).
    public func scan(_ line: [UInt8], into marks: inout [UInt8]) -> Outcome {
        line.withUnsafeBytes { scan($0, into: &marks) }
    }

    /// Writes the mark code of each item into `marks` (0 for unmarked).
    public func scan(_ line: UnsafeRawBufferPointer, into marks: inout [UInt8]) -> Outcome {
        for n in marks.indices { marks[n] = 0 }
        return scan(line.bindMemory(to: UInt8.self), into: &marks)
    }

    private func scan(_ b: UnsafeBufferPointer<UInt8>, into marks: inout [UInt8]) -> Outcome {
        guard let start = find(Self.marker, in: b) else { return .unreadable }
        var p = start + Self.marker.count
        var conflict = false
        func string() -> Range<Int>? {
            guard p < b.count, b[p] == 0x22 else { return nil }
            let from = p + 1
            var q = from
            while q < b.count, b[q] != 0x22 {
                if b[q] == 0x5C { return nil }
                q += 1
            }
            guard q < b.count else { return nil }
            p = q + 1
            return from..<q
        }
        if p < b.count, b[p] == 0x7D { return .scanned(conflict: false) }
        while true {
            guard let keyRange = string(), p + 1 < b.count, b[p] == 0x3A, b[p + 1] == 0x5B else { return .unreadable }
            p += 2
            guard let code = Self.markCodes.first(where: { $0.0.elementsEqual(b[keyRange]) })?.1 else { return .unreadable }
            if p < b.count, b[p] == 0x5D {
                p += 1
            } else {
                while true {
                    guard let idRange = string() else { return .unreadable }
                    if let index = items.firstIndex(where: { $0.elementsEqual(b[idRange]) }) {
                        if marks[index] != 0 { conflict = true }
                        marks[index] = code
                    } else {
                        conflict = true
                    }
                    guard p < b.count else { return .unreadable }
                    if b[p] == 0x2C { p += 1; continue }
                    if b[p] == 0x5D { p += 1; break }
                    return .unreadable
                }
            }
            guard p < b.count else { return .unreadable }
            if b[p] == 0x2C { p += 1; continue }
            if b[p] == 0x7D { return .scanned(conflict: conflict) }
            return .unreadable
        }
    }

    private func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}

extension Mark {
    /// A small number for each mark, used by ``BallotScanner`` and ``VoteCounter/add(marks:conflict:)``.
    public var code: UInt8 {
        switch self {
        case .approve: 1
        case .oppose: 2
        case .abstain: 3
        case .satisfied: 4
        case .basic: 5
        case .dissatisfied: 6
        }
    }
}
