import COpenSSL

/// A valid pointer for zero-length messages: OpenSSL rejects a NULL data pointer in some paths.
nonisolated(unsafe) private let emptyByteStorage = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
var emptyByte: UnsafePointer<UInt8> { UnsafePointer(emptyByteStorage) }

/// Runs `write` against a memory BIO and returns what it wrote as text.
func writePEM(_ write: (OpaquePointer?) -> Int32) throws -> String {
    guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLError("BIO_new") }
    defer { BIO_free(bio) }
    guard write(bio) == 1 else { throw OpenSSLError("PEM_write") }
    var data: UnsafeMutablePointer<CChar>?
    let length = piaojue_bio_mem_data(bio, &data)
    guard let data, length > 0 else { throw OpenSSLError("BIO_get_mem_data") }
    let bytes = UnsafeRawBufferPointer(start: data, count: length)
    return String(decoding: bytes, as: UTF8.self)
}

/// Runs `read` against a memory BIO holding `pem`; the returned key must be freed by the caller.
func readPEM(_ pem: String, _ read: (OpaquePointer?) -> OpaquePointer?) throws -> OpaquePointer {
    let bytes = Array(pem.utf8)
    guard !bytes.isEmpty else { throw CryptoInputError("the PEM text is empty") }
    let key: OpaquePointer? = try bytes.withUnsafeBufferPointer { buffer in
        // The BIO only borrows `buffer`, so it lives and dies inside this closure.
        guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else {
            throw OpenSSLError("BIO_new_mem_buf")
        }
        defer { BIO_free(bio) }
        return read(bio)
    }
    guard let key else {
        _ = OpenSSLError.drainQueue()
        throw CryptoInputError("the text is not a PEM key of the expected kind")
    }
    return key
}
