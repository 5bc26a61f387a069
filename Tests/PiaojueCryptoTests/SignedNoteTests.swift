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
}
