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
    /// Decodes `bytes` (a file called `name`); a UTF-8 byte order mark is dropped.
    public static func decode(_ bytes: [UInt8], encoding: TextEncodingChoice, name: String) throws(InputError) -> String {
        switch encoding {
        case .utf8:
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
            if let text = String(validating: body, as: UTF8.self) { return text }
            var line = 1
            for chunk in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
                if String(validating: chunk, as: UTF8.self) == nil { break }
                line += 1
            }
            throw InputError("文件 \(name) 第 \(line) 行不是有效的 UTF-8 文本；如果是 Excel 在中文 Windows 上导出的 CSV，请加 --encoding gb18030。Line \(line) of \(name) is not valid UTF-8; for Excel exports from Chinese Windows add --encoding gb18030.")
        case .gb18030:
            return try iconvDecode(bytes, from: "GB18030", name: name)
        }
    }

    private static func iconvDecode(_ bytes: [UInt8], from charset: String, name: String) throws(InputError) -> String {
        let converter = iconv_open("UTF-8", charset)
        guard converter != iconv_t(bitPattern: -1) else {
            throw InputError("本机的 iconv 不支持 \(charset) 编码。The system iconv cannot decode \(charset).")
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
            throw InputError("文件 \(name) 第 \(line) 行不是有效的 GB18030 文本，请确认文件编码。Line \(line) of \(name) is not valid GB18030.")
        }
        let utf8 = Array(output[..<produced])
        let body = utf8.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(utf8.dropFirst(3)) : utf8
        return String(decoding: body, as: UTF8.self)
    }
}
