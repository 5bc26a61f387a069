import Foundation
public import PiaojueDomain

/// The text encodings a spreadsheet export may come in.
public enum TextEncodingChoice: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    /// Excel's "CSV" from Chinese Windows.
    case gb18030

    /// From a command-line word: `utf-8`, `utf8`, `gb18030`, `gbk`, `gb2312`.
    public init?(word: String) {
        switch word.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        default: return nil
        }
    }
}

/// Turns file bytes into text, naming the line of the first undecodable byte.
public enum TextDecoding {
    /// Decodes `bytes` (a file called `name`); a UTF-8 byte order mark is dropped and line ends
    /// (CRLF, or a lone CR as old Mac exports write them) become LF. A UTF-16 file is refused with
    /// a hint, and so is a file declared GB18030 whose bytes are plainly UTF-8 (it would turn into
    /// mojibake names).
    public static func decode(_ bytes: [UInt8], encoding: TextEncodingChoice, name: String) throws(FileFailure) -> String {
        if isUTF16(bytes) { throw .utf16(file: name) }
        let text: String
        switch encoding {
        case .utf8:
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
            guard let decoded = String(validating: body, as: UTF8.self) else {
                var line = 1
                for chunk in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
                    if String(validating: chunk, as: UTF8.self) == nil { break }
                    line += 1
                }
                throw .notUTF8(file: name, line: line)
            }
            text = decoded
        case .gb18030:
            if bytes.contains(where: { $0 >= 0x80 }), String(validating: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self) != nil {
                throw .declaredGB18030ButUTF8(file: name)
            }
            text = try iconvDecode(bytes, from: "GB18030", name: name)
        }
        return normalizeLineEnds(text)
    }

    /// A byte order mark of UTF-16, or NUL bytes in every other place of the first line.
    static func isUTF16(_ bytes: [UInt8]) -> Bool {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return true }
        let head = bytes.prefix(64)
        guard head.count >= 4 else { return false }
        let evenNul = stride(from: 0, to: head.count, by: 2).allSatisfy { head[head.startIndex + $0] == 0 }
        let oddNul = stride(from: 1, to: head.count, by: 2).allSatisfy { head[head.startIndex + $0] == 0 }
        return evenNul || oddNul
    }

    /// CRLF and a lone CR become LF.
    static func normalizeLineEnds(_ text: String) -> String {
        guard text.utf8.contains(0x0D) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var previousCR = false
        for byte in text.utf8 {
            if byte == 0x0D {
                out.append(0x0A)
                previousCR = true
                continue
            }
            if byte == 0x0A, previousCR {
                previousCR = false
                continue
            }
            previousCR = false
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func iconvDecode(_ bytes: [UInt8], from charset: String, name: String) throws(FileFailure) -> String {
        let converter = iconv_open("UTF-8", charset)
        guard converter != iconv_t(bitPattern: -1) else {
            throw .noConverter(charset: charset)
        }
        defer { iconv_close(converter) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var failedAt: Int?
        var produced = 0
        input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                if inLeft > 0, iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 {
                    failedAt = inBuffer.count - inLeft
                }
                produced = outBuffer.count - outLeft
            }
        }
        if let failedAt {
            let line = bytes[..<failedAt].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw .notGB18030(file: name, line: line)
        }
        let utf8 = Array(output[..<produced])
        let body = utf8.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(utf8.dropFirst(3)) : utf8
        return String(decoding: body, as: UTF8.self)
    }
}
