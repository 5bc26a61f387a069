import PiaojueCrypto
import Testing
import Foundation

@Suite struct SignedNoteTests {
    let key: Ed25519PrivateKey
    init() throws { key = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "note")) }

    @Test func checkpointSignsParsesAndVerifies() throws {
        let checkpoint = Checkpoint(origin: "piaojue/某县人大", size: 7, root: SHA256.hash([1, 2, 3]))
        let note = try checkpoint.signed(with: key)
        let text = note.serialized
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6)
        #expect(lines[3].isEmpty)
        #expect(lines[4].hasPrefix("— piaojue/某县人大 "))
        let parsed = try SignedNote(parsing: text)
        #expect(parsed == note)
        #expect(parsed.isSigned(by: key.publicKey, keyName: checkpoint.origin))
        #expect(try Checkpoint(text: parsed.text) == checkpoint)
        let other = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "other"))
        #expect(!parsed.isSigned(by: other.publicKey, keyName: checkpoint.origin))
        #expect(!parsed.isSigned(by: key.publicKey, keyName: "piaojue/other"))
    }

    @Test func keyIDFollowsC2SP() throws {
        let id = SignedNote.keyID(keyName: "example", publicKey: key.publicKey)
        #expect(id == Array(SHA256.hash(Array("example".utf8) + [0x0a, 0x01] + key.publicKey.rawBytes).prefix(4)))
    }

    @Test(arguments: [
        "origin\n3\nAAAA\n\n— origin AAAA\n", "origin\n3\n\n", "origin\n03\nroot\n\n— o x\n",
        "no blank line\n— origin AAAA\n", "a\nb\nc\n\n— a AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ])
    func malformedNotesAreRejected(_ text: String) {
        let parsed = try? SignedNote(parsing: text)
        let checkpoint = parsed.flatMap { try? Checkpoint(text: $0.text) }
        #expect(checkpoint == nil || parsed?.isSigned(by: key.publicKey, keyName: "origin") == false)
    }

    @Test func checkpointTextRules() {
        #expect(throws: CryptoInputError.self) { try Checkpoint(text: "o\n1\n") }
        #expect(throws: CryptoInputError.self) { try Checkpoint(text: "o\n-1\n" + Encoding.base64(SHA256.hash([])) + "\n") }
        #expect(throws: CryptoInputError.self) { try Checkpoint(text: "o\n1\n" + Encoding.base64(SHA256.hash([])) + "\nextra\n") }
    }

    @Test func secretCodesRoundTripAndCatchTypos() throws {
        let random = SeededRandom(seed: "codes")
        for _ in 0..<50 {
            let secret = try random.bytes(32)
            let code = try SecretCode.encode(secret)
            #expect(code.count == 55 + 10)
            #expect(try SecretCode.decode(code) == secret)
            #expect(try SecretCode.decode(code.lowercased().replacingOccurrences(of: "-", with: " ")) == secret)
            var chars = Array(code)
            let position = chars.firstIndex { $0 != "-" && $0 != "7" } ?? 0
            chars[position] = chars[position] == "7" ? "8" : "7"
            #expect(throws: CryptoInputError.self) { try SecretCode.decode(String(chars)) }
        }
        #expect(throws: CryptoInputError.self) { try SecretCode.decode("ABC") }
        #expect(throws: CryptoInputError.self) { try SecretCode.decode(String(repeating: "U", count: 55)) }
    }

    /// The vector was computed by an independent Python script from the format in the type's
    /// documentation (bytes 0x00…0x10; base32 of the first 130 bits, SHA-256 check and seed).
    @Test func shortCodeVector() throws {
        let made = try SecretCode.credential(entropy: Array(0..<17))
        #expect(made.code == "000G-40R4-0M30-E209-185G-R38E-1WGK")
        #expect(Encoding.hex(made.seed) == "289654d59126a1c051d297732037bd93ffd0321534ddd256406fcbde63f1a19c")
        #expect(try SecretCode.decode(made.code) == made.seed)
        #expect(try SecretCode.decode("000g 40r4 0m30 e209 185g r38e 1wgk") == made.seed)
    }

    @Test func shortCodesRoundTripCatchTyposAndAreHidden() throws {
        let random = SeededRandom(seed: "short codes")
        var caught = 0
        for _ in 0..<200 {
            let made = try SecretCode.credential(entropy: try random.bytes(SecretCode.shortEntropyBytes))
            #expect(made.code.count == 28 + 6)
            #expect(try SecretCode.decode(made.code) == made.seed)
            #expect(try SecretCode.decode(made.code.lowercased().replacingOccurrences(of: "-", with: " ")) == made.seed)
            var chars = Array(made.code)
            let position = chars.firstIndex { $0 != "-" && $0 != "7" } ?? 0
            chars[position] = chars[position] == "7" ? "8" : "7"
            if (try? SecretCode.decode(String(chars))) == nil { caught += 1 }
            for spelling in [made.code, made.code.lowercased(), made.code.replacingOccurrences(of: "-", with: ""),
                             made.code.replacingOccurrences(of: "-", with: " "), String(chars)] {
                let shown = SecretCode.redacted(in: "第 3 行“\(spelling)”。Line 3: \(spelling).")
                #expect(!shown.contains(spelling), "\(spelling)")
            }
        }
        // Two check digits hold 10 bits: about one typo in a thousand passes them.
        #expect(caught >= 195)
        // Both forms are read: the long codes of ledgers written before still work.
        let long = try SecretCode.encode(Array(repeating: 9, count: 32))
        #expect(try SecretCode.decode(long) == Array(repeating: 9, count: 32))
        #expect(throws: CryptoInputError.self) { try SecretCode.credential(entropy: Array(repeating: 1, count: 16)) }
        // Base64 keys, receipts and plain prose are left alone.
        for plain in ["11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "公钥 Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo+w==",
                      String(repeating: "ab12", count: 16), "this will help make sure your plan goes well today"] {
            #expect(SecretCode.redacted(in: plain) == plain, "\(plain)")
        }
    }
}
