import COpenSSL

/// A failure at the OpenSSL boundary: the operation that failed and OpenSSL's own error text.
public struct OpenSSLError: Error, Sendable, CustomStringConvertible {
    /// The OpenSSL call or step that failed, e.g. `EVP_DigestSign`.
    public let operation: String
    /// The drained OpenSSL error queue, or a plain explanation when the queue was empty.
    public let detail: String

    init(_ operation: String, detail: String? = nil) {
        self.operation = operation
        self.detail = detail ?? OpenSSLError.drainQueue()
    }

    public var description: String { "\(operation) failed: \(detail)" }

    /// Empties OpenSSL's thread-local error queue into one line.
    static func drainQueue() -> String {
        var parts: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let text = buffer.withUnsafeBufferPointer { pointer in
                String(decoding: pointer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            parts.append(text)
        }
        return parts.isEmpty ? "no OpenSSL error recorded" : parts.joined(separator: "; ")
    }
}

/// A value that is not of the form a cryptographic function needs (wrong length, bad encoding).
public struct CryptoInputError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What was wrong, in one sentence.
    public let description: String

    public init(_ description: String) { self.description = description }
}
