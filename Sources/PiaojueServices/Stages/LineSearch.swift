import Foundation
import PiaojueCrypto

/// Finding the entries that name a value without decoding every entry: a member `"key":"value"`
/// as RFC 8785 canonical JSON writes it is a fixed byte string, and an entry's line is canonical
/// JSON (the audit checks it), so a byte search of the line finds it. A string value cannot fake
/// it: inside a string every `"` is escaped. Matches are decoded and checked by the caller.
enum LineSearch {
    /// The bytes of the member `"key":"value"` in canonical JSON.
    static func needle(_ key: String, _ value: String) -> [UInt8] {
        JSONValue.string(key).canonicalBytes + [UInt8(ascii: ":")] + JSONValue.string(value).canonicalBytes
    }

    /// The bytes that `value` shows inside any canonical JSON string that holds it (the string's
    /// body without its quotes), one needle per Unicode normalisation form C and D: a search for
    /// both finds every stored string that equals `value` or contains it, as Swift compares
    /// strings (canonical equivalence), unless the stored one mixes the two forms.
    static func textNeedles(_ value: String) -> [[UInt8]] {
        var needles: [[UInt8]] = []
        for form in [value.precomposedStringWithCanonicalMapping, value.decomposedStringWithCanonicalMapping] {
            let bytes = Array(JSONValue.string(form).canonicalBytes.dropFirst().dropLast())
            if !needles.contains(bytes) { needles.append(bytes) }
        }
        return needles
    }

    /// Whether `line` holds `needle`.
    static func contains(_ line: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= line.count else { return needle.isEmpty }
        return line.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { wanted in
                var start = 0
                let last = haystack.count - wanted.count
                while start <= last {
                    guard haystack[start] == first else {
                        start += 1
                        continue
                    }
                    var n = 1
                    while n < wanted.count, haystack[start + n] == wanted[n] { n += 1 }
                    if n == wanted.count { return true }
                    start += 1
                }
                return false
            }
        }
    }
}
