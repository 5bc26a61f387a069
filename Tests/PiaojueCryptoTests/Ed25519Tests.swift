import Foundation
import PiaojueCrypto
import PiaojueTestSupport
import Testing

struct WycheproofCase: Sendable, CustomTestStringConvertible {
    let id: Int
    let publicKey: [UInt8]
    let message: [UInt8]
    let signature: [UInt8]
    let valid: Bool
    let comment: String
    var testDescription: String { "tcId \(id) \(valid ? "valid" : "invalid") \(comment)" }

    static func load() throws -> [WycheproofCase] {
        let url = TestPaths.vectors.appendingPathComponent("ed25519/wycheproof_ed25519_test.json")
        let root = try need(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any], "root")
        let groups = try need(root["testGroups"] as? [[String: Any]], "testGroups")
        var cases: [WycheproofCase] = []
        for group in groups {
            let key = try need((group["publicKey"] as? [String: Any])?["pk"] as? String, "pk")
            for test in try need(group["tests"] as? [[String: Any]], "tests") {
                cases.append(WycheproofCase(
                    id: try need(test["tcId"] as? Int, "tcId"),
                    publicKey: try need(Encoding.unhex(key), "key hex"),
                    message: try need(Encoding.unhex(try need(test["msg"] as? String, "msg")), "msg hex"),
                    signature: try need(Encoding.unhex(try need(test["sig"] as? String, "sig")), "sig hex"),
                    valid: (test["result"] as? String) == "valid",
                    comment: test["comment"] as? String ?? ""))
            }
        }
        return cases
    }
}

@Suite struct Ed25519Tests {
    @Test func wycheproofHasAll151Cases() throws {
        #expect(try WycheproofCase.load().count == 151)
    }

    @Test(arguments: try WycheproofCase.load())
    func wycheproof(_ testCase: WycheproofCase) throws {
        let key = try Ed25519PublicKey(rawBytes: testCase.publicKey)
        #expect(key.isValidSignature(testCase.signature, for: testCase.message) == testCase.valid)
    }

    @Test func rfc8032TestVector1SignsExactly() throws {
        // RFC 8032 §7.1, TEST 1: a known seed, the empty message, the published signature.
        let seed = try #require(Encoding.unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        let key = try Ed25519PrivateKey(seed: seed)
        #expect(Encoding.hex(key.publicKey.rawBytes) == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        let signature = try key.sign([])
        #expect(Encoding.hex(signature) == "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
    }

    @Test func signVerifyAndTamper() throws {
        let key = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "sign"))
        let message = Array("赞成 P1".utf8)
        let signature = try key.sign(message)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        var bent = message
        bent[0] ^= 1
        #expect(!key.publicKey.isValidSignature(signature, for: bent))
        #expect(!key.publicKey.isValidSignature(Array(signature.dropLast()), for: message))
    }

    @Test func pemRoundTrip() throws {
        let key = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "pem"))
        let privatePEM = try key.pemPKCS8()
        #expect(privatePEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let reread = try Ed25519PrivateKey(pem: privatePEM)
        #expect(reread.publicKey == key.publicKey)
        let publicPEM = try key.publicKey.pem()
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(try Ed25519PublicKey(pem: publicPEM) == key.publicKey)
        #expect(throws: (any Error).self) { try Ed25519PublicKey(pem: "not a key") }
        #expect(throws: (any Error).self) { try Ed25519PrivateKey(pem: publicPEM) }
    }

    @Test func seededRandomIsDeterministicAndSystemRandomIsNot() throws {
        #expect(try SeededRandom(seed: "a").bytes(40) == SeededRandom(seed: "a").bytes(40))
        #expect(try SeededRandom(seed: "a").bytes(32) != SeededRandom(seed: "b").bytes(32))
        #expect(try SystemRandom().bytes(32) != SystemRandom().bytes(32))
    }

    @Test func sha256KnownAnswers() {
        #expect(Encoding.hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Encoding.hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
