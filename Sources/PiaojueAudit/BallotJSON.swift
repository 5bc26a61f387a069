import Foundation
public import PiaojueCrypto
public import PiaojueDomain

/// Ballot payloads `{session, via, choices}` (format 2; format 1 had no `via`) built and read
/// straight as JSON values (no Codable), in one place for the writer, the tally and the verifier:
/// a ledger holds a million of them.
public enum BallotJSON {
    /// The payload a credential signs.
    public static func payload(session: String, via: BallotMedium, choices: Choices) -> JSONValue {
        var marks = JSONObject()
        for mark in Mark.allCases {
            if let ids = choices.marks[mark] { marks[mark.rawValue] = .array(ids.map { .string($0) }) }
        }
        return .object(JSONObject(["session": .string(session), "via": .string(via.rawValue), "choices": .object(marks)]))
    }

    /// The medium a ballot payload names, nil when it names none (format 1) or an unknown one.
    public static func via(_ payload: JSONValue) -> BallotMedium? {
        payload["via"]?.stringValue.flatMap(BallotMedium.init(rawValue:))
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
    /// Open addressing over the items' bytes: slot → item index + 1 (0 for an empty slot), so that
    /// each id on a ballot is found in constant time however many candidates there are (a ballot
    /// of 2,000 candidates marks about as many ids).
    private let slots: [Int32]
    private static let marker = Array(#""payload":{"choices":{"#.utf8)
    private static let markCodes: [([UInt8], UInt8)] = Mark.allCases.map { (Array($0.rawValue.utf8), $0.code) }

    public init(items: [String]) {
        let bytes = items.map { Array($0.utf8) }
        var capacity = 16
        while capacity < 2 * bytes.count { capacity *= 2 }
        var slots = [Int32](repeating: 0, count: capacity)
        for (index, item) in bytes.enumerated() {
            var slot = item.withUnsafeBufferPointer { Self.hash($0, from: 0, count: $0.count) } & (capacity - 1)
            // The first of two equal items keeps the slot, as a search in ballot order finds it first.
            while slots[slot] != 0, bytes[Int(slots[slot]) - 1] != item { slot = (slot + 1) & (capacity - 1) }
            if slots[slot] == 0 { slots[slot] = Int32(index + 1) }
        }
        self.items = bytes
        self.slots = slots
    }

    /// FNV-1a over `count` bytes from `from`.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, count: Int) -> Int {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for n in from..<from + count { value = (value ^ UInt64(bytes[n])) &* 0x0000_0100_0000_01B3 }
        return Int(truncatingIfNeeded: value ^ (value >> 32))
    }

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
        guard let base = b.baseAddress, let start = find(Self.marker, in: b) else { return .unreadable }
        let end = b.count
        var p = start + Self.marker.count
        var conflict = false
        /// The bytes of the string at `p` (no escapes), advancing past its closing quote.
        func string() -> (from: Int, count: Int)? {
            guard p < end, base[p] == 0x22 else { return nil }
            let from = p + 1
            var q = from
            while q < end {
                let c = base[q]
                if c == 0x22 { break }
                if c == 0x5C { return nil }
                q += 1
            }
            guard q < end else { return nil }
            p = q + 1
            return (from, q - from)
        }
        func equals(_ candidate: [UInt8], _ range: (from: Int, count: Int)) -> Bool {
            // Ids and mark names are a few bytes: a byte loop beats a call to memcmp.
            guard candidate.count == range.count else { return false }
            return candidate.withUnsafeBufferPointer { other in
                for n in 0..<range.count where other[n] != base[range.from + n] { return false }
                return true
            }
        }
        if p < end, base[p] == 0x7D { return .scanned(conflict: false) }
        while true {
            guard let key = string(), p + 1 < end, base[p] == 0x3A, base[p + 1] == 0x5B else { return .unreadable }
            p += 2
            var code: UInt8 = 0
            for (name, value) in Self.markCodes where equals(name, key) {
                code = value
                break
            }
            guard code != 0 else { return .unreadable }
            if p < end, base[p] == 0x5D {
                p += 1
            } else {
                while true {
                    guard let id = string() else { return .unreadable }
                    var found = -1
                    var slot = Self.hash(b, from: id.from, count: id.count) & (slots.count - 1)
                    while slots[slot] != 0 {
                        let index = Int(slots[slot]) - 1
                        if equals(items[index], id) {
                            found = index
                            break
                        }
                        slot = (slot + 1) & (slots.count - 1)
                    }
                    if found >= 0 {
                        if marks[found] != 0 { conflict = true }
                        marks[found] = code
                    } else {
                        conflict = true
                    }
                    guard p < end else { return .unreadable }
                    if base[p] == 0x2C { p += 1; continue }
                    if base[p] == 0x5D { p += 1; break }
                    return .unreadable
                }
            }
            guard p < end else { return .unreadable }
            if base[p] == 0x2C { p += 1; continue }
            if base[p] == 0x7D { return .scanned(conflict: conflict) }
            return .unreadable
        }
    }

    private func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = haystack.baseAddress, needle.count <= haystack.count else { return nil }
        return needle.withUnsafeBufferPointer { pattern -> Int? in
            guard let patternBase = pattern.baseAddress else { return nil }
            let first = pattern[0]
            var i = 0
            let last = haystack.count - pattern.count
            while i <= last {
                if base[i] == first, memcmp(base + i, patternBase, pattern.count) == 0 { return i }
                i += 1
            }
            return nil
        }
    }
}
