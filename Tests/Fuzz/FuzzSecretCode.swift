// libFuzzer target `secretcode`: the credential-code reader that `ballot cast` and `ballot import`
// apply to what a clerk types. Any text is refused with a CryptoInputError that never repeats it,
// or decodes to 32 bytes that encode to a code decoding to the same bytes; any 32 bytes encode to a
// code that decodes back to them, and that the stderr filter `SecretCode.redacted(in:)` hides in
// every spelling. Built by `Scripts/fuzz secretcode N` with Sources/PiaojueCrypto.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSecretCode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let text = String(decoding: bytes, as: UTF8.self)
    _ = SecretCode.redacted(in: text)
    do {
        let secret = try SecretCode.decode(text)
        precondition(secret.count == 32, "a decoded secret is not 32 bytes")
        let code = try SecretCode.encode(secret)
        precondition((try? SecretCode.decode(code)) == secret, "encode/decode round trip failed")
        precondition((try? SecretCode.decode(code.lowercased())) == secret, "lower case is not accepted")
    } catch {
        let message = "\(error)"
        let typed = text.filter { $0 != "-" && $0 != " " }
        precondition(typed.count < 8 || !message.contains(typed), "an error message repeats the code")
    }
    if bytes.count >= 32 {
        let secret = Array(bytes.prefix(32))
        guard let code = try? SecretCode.encode(secret) else { fatalError("32 bytes did not encode") }
        precondition(code.count == 55 + 10, "a code is 55 digits in 11 groups")
        precondition((try? SecretCode.decode(code)) == secret, "round trip of 32 bytes failed")
        for spelling in [code, code.lowercased(), code.replacingOccurrences(of: "-", with: ""),
                         code.replacingOccurrences(of: "-", with: " ")] {
            let shown = SecretCode.redacted(in: "第 3 行“\(spelling)”。Line 3: \(spelling).")
            precondition(!shown.contains(spelling), "redacted(in:) let a code through")
        }
    }
    if bytes.count >= SecretCode.shortEntropyBytes {
        guard let made = try? SecretCode.credential(entropy: Array(bytes.prefix(SecretCode.shortEntropyBytes))) else {
            fatalError("17 bytes did not make a short code")
        }
        precondition(made.code.count == 28 + 6, "a short code is 28 digits in 7 groups")
        precondition((try? SecretCode.decode(made.code)) == made.seed, "round trip of a short code failed")
        for spelling in [made.code, made.code.lowercased(), made.code.replacingOccurrences(of: "-", with: ""),
                         made.code.replacingOccurrences(of: "-", with: " ")] {
            let shown = SecretCode.redacted(in: "第 3 行“\(spelling)”。Line 3: \(spelling).")
            precondition(!shown.contains(spelling), "redacted(in:) let a short code through")
        }
    }
    return 0
}
