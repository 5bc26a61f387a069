import Foundation
import PiaojueCrypto
import PiaojueTestSupport
import Testing

/// GB/T 32918.5-2017 (= GM/T 0003.5-2012) Appendix A: the worked signature example on the
/// recommended curve, ID "1234567812345678", message "message digest".
enum StandardExample {
    static let scalar = hex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
    static let publicKey = hex(
        "04" + "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
            + "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13")
    static let message = Array("message digest".utf8)
    static let za = hex("B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3")
    static let e = hex("F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640")
    static let r = hex("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3")
    static let s = hex("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA")
    /// DER SEQUENCE{r, s}: both have the top bit set, so both INTEGERs carry a leading zero (72 bytes).
    static let der = hex("3046" + "022100F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
        + "022100B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA")

    static func hex(_ text: String) -> [UInt8] { Encoding.unhex(text) ?? [] }
}

/// Spellings of the standard signature that are not its one DER form, each of which must fail.
enum BadSignature: String, CaseIterable, CustomTestStringConvertible {
    case longFormLength, trailingByte, trailingByteInside, paddedInteger, negativeInteger, zeroR, rEqualsOrder
    case sEqualsOrder, wrongOuterTag, wrongIntegerTag, indefiniteLength, empty, rawConcatenation, truncated

    var testDescription: String { rawValue }

    var bytes: [UInt8] {
        let der = StandardExample.der
        let r = Array(der[2..<37])  // 02 21 00 F5…
        let s = Array(der[37...])
        let order = SM2.order
        switch self {
        case .longFormLength: return [0x30, 0x81, 0x46] + der.dropFirst(2)
        case .trailingByte: return der + [0x00]
        case .trailingByteInside: return [0x30, 0x47] + der.dropFirst(2) + [0x00]
        case .paddedInteger: return [0x30, 0x47, 0x02, 0x22, 0x00] + r.dropFirst(2) + s
        case .negativeInteger: return [0x30, 0x45, 0x02, 0x20] + r.dropFirst(3) + s
        case .zeroR: return [0x30, 0x26, 0x02, 0x01, 0x00] + s
        case .rEqualsOrder: return [0x30, 0x46, 0x02, 0x21, 0x00] + order + s
        case .sEqualsOrder: return [0x30, 0x46] + r + [0x02, 0x21, 0x00] + order
        case .wrongOuterTag: return [0x31] + der.dropFirst()
        case .wrongIntegerTag: return [0x30, 0x46, 0x03] + der.dropFirst(3)
        case .indefiniteLength: return [0x30, 0x80] + der.dropFirst(2) + [0x00, 0x00]
        case .empty: return []
        case .rawConcatenation: return StandardExample.r + StandardExample.s
        case .truncated: return Array(der.dropLast())
        }
    }
}

@Suite struct SM2Tests {
    @Test func standardExampleKeyAndZ() throws {
        let key = try SM2PrivateKey(scalar: StandardExample.scalar)
        #expect(key.publicKey.rawBytes == StandardExample.publicKey)
        #expect(SM2.za(publicKey: key.publicKey) == StandardExample.za)
        #expect(SM3.hash(StandardExample.za + StandardExample.message) == StandardExample.e)
    }

    @Test func standardExampleSignatureVerifies() throws {
        let publicKey = try SM2PublicKey(rawBytes: StandardExample.publicKey)
        #expect(try SM2.derSignature(r: StandardExample.r, s: StandardExample.s) == StandardExample.der)
        #expect(publicKey.isValidSignature(StandardExample.der, for: StandardExample.message))
        #expect(!publicKey.isValidSignature(StandardExample.der, for: Array("message digest.".utf8)))
        for position in [4, 20, 40, 71] {
            var bent = StandardExample.der
            bent[position] ^= 0x01
            #expect(!publicKey.isValidSignature(bent, for: StandardExample.message), "bit flipped at \(position)")
        }
    }

    @Test(arguments: BadSignature.allCases)
    func nonCanonicalSignaturesAreRefused(_ bad: BadSignature) throws {
        let publicKey = try SM2PublicKey(rawBytes: StandardExample.publicKey)
        #expect(SM2.signatureComponents(bad.bytes) == nil)
        #expect(!publicKey.isValidSignature(bad.bytes, for: StandardExample.message))
        #expect(!CryptoSuite.gm.isWellFormedSignature(bad.bytes))
    }

    @Test func derRoundTripsShortComponents() throws {
        let r = [UInt8](repeating: 0, count: 1) + [UInt8](repeating: 0x7f, count: 31)
        let s = [UInt8](repeating: 0, count: 31) + [0x05]
        let der = try SM2.derSignature(r: r, s: s)
        #expect(der == [0x30, 0x24, 0x02, 0x1f] + [UInt8](repeating: 0x7f, count: 31) + [0x02, 0x01, 0x05])
        let parsed = try #require(SM2.signatureComponents(der))
        #expect(parsed.r == r && parsed.s == s)
        #expect(throws: CryptoInputError.self) { try SM2.derSignature(r: SM2.order, s: s) }
        #expect(throws: CryptoInputError.self) { try SM2.derSignature(r: [0], s: s) }
    }

    @Test func signVerifyAndTamper() throws {
        let key = try SM2PrivateKey.generate(using: SeededRandom(seed: "sm2 sign"))
        for message in [[], Array("赞成 P1".utf8), try SeededRandom(seed: "long").bytes(5000)] {
            let first = try key.sign(message)
            let second = try key.sign(message)
            #expect(first != second, "a fresh k each time")
            for signature in [first, second] {
                #expect(SM2.signatureByteCounts.contains(signature.count))
                #expect(SM2.signatureComponents(signature) != nil)
                #expect(key.publicKey.isValidSignature(signature, for: message))
            }
            #expect(!key.publicKey.isValidSignature(first, for: message + [0]))
            let other = try SM2PrivateKey.generate(using: SeededRandom(seed: "someone else"))
            #expect(!other.publicKey.isValidSignature(first, for: message))
        }
    }

    @Test func signaturesAreDERSequencesOf70To72BytesNearlyAlways() throws {
        let key = try SM2PrivateKey.generate(using: SeededRandom(seed: "lengths"))
        var lengths: [Int: Int] = [:]
        for n in 0..<200 {
            let message = Array("ballot \(n)".utf8)
            let signature = try key.sign(message)
            lengths[signature.count, default: 0] += 1
            #expect(signature[0] == 0x30 && Int(signature[1]) == signature.count - 2)
        }
        #expect(lengths.keys.allSatisfy { (68...72).contains($0) }, "\(lengths)")
        #expect(lengths.filter { (70...72).contains($0.key) }.values.reduce(0, +) >= 190, "\(lengths)")
    }

    /// d = 1 + (secret mod (n − 2)) at its edges, the expected scalars computed with Python integers.
    @Test(arguments: [
        ("0000000000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000001"),
        ("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54120",
            "fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54121"),
        ("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54121",
            "0000000000000000000000000000000000000000000000000000000000000001"),
        ("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123",
            "0000000000000000000000000000000000000000000000000000000000000003"),
        ("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "000000010000000000000000000000008dfc2094de39fad4ac440bf6c62abedf"),
        ("3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b7",
            "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8"),
    ])
    func credentialDerivation(_ secret: String, _ scalar: String) throws {
        let key = try SM2PrivateKey(derivingFrom: try #require(Encoding.unhex(secret)))
        #expect(Encoding.hex(key.scalarBytes) == scalar)
        #expect(try SM2PrivateKey(scalar: key.scalarBytes).publicKey == key.publicKey)
    }

    @Test func scalarOneGivesTheBasePoint() throws {
        let key = try SM2PrivateKey(derivingFrom: [UInt8](repeating: 0, count: 32))
        #expect(Encoding.hex(key.publicKey.rawBytes) == "04"
            + "32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7"
            + "bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0")
    }

    @Test func scalarsOutsideOneToOrderMinusTwoAreRefused() throws {
        let order = SM2.order
        var minusOne = order
        minusOne[31] -= 1
        var minusTwo = order
        minusTwo[31] -= 2
        for bad in [[UInt8](repeating: 0, count: 32), minusOne, order, [UInt8](repeating: 0xff, count: 32), [1], []] {
            #expect(throws: CryptoInputError.self) { try SM2PrivateKey(scalar: bad) }
        }
        _ = try SM2PrivateKey(scalar: minusTwo)
        #expect(throws: CryptoInputError.self) { try SM2PrivateKey(derivingFrom: [1, 2, 3]) }
    }

    @Test func publicKeysMustBeUncompressedPointsOnTheCurve() throws {
        var offCurve = StandardExample.publicKey
        offCurve[64] ^= 1
        var compressedTag = StandardExample.publicKey
        compressedTag[0] = 0x02
        for bad in [offCurve, compressedTag, Array(StandardExample.publicKey.dropLast()), [0x00], []] {
            #expect(throws: CryptoInputError.self) { try SM2PublicKey(rawBytes: bad) }
            #expect(!CryptoSuite.gm.isValidSignature(StandardExample.der, publicKey: bad, message: StandardExample.message))
        }
        #expect(CryptoSuite.gm.isValidSignature(StandardExample.der, publicKey: StandardExample.publicKey, message: StandardExample.message))
    }

    @Test func pemRoundTrip() throws {
        let key = try SM2PrivateKey.generate(using: SeededRandom(seed: "pem"))
        let privatePEM = try key.pemPKCS8()
        #expect(privatePEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let reread = try SM2PrivateKey(pem: privatePEM)
        #expect(reread.scalarBytes == key.scalarBytes && reread.publicKey == key.publicKey)
        let publicPEM = try key.publicKey.pem()
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(try SM2PublicKey(pem: publicPEM) == key.publicKey)
        // SubjectPublicKeyInfo: id-ecPublicKey, curve 1.2.156.10197.1.301, the 65-byte point.
        let body = publicPEM.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let der = try #require(Encoding.unbase64(body))
        #expect(Encoding.hex(der.prefix(27)) == "3059301306072a8648ce3d020106082a811ccf5501822d03420004")
        #expect(Array(der.suffix(65)) == key.publicKey.rawBytes)

        let ed25519 = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "pem"))
        #expect(throws: (any Error).self) { try SM2PublicKey(pem: try ed25519.publicKey.pem()) }
        #expect(throws: (any Error).self) { try SM2PrivateKey(pem: try ed25519.pemPKCS8()) }
        #expect(throws: (any Error).self) { try Ed25519PublicKey(pem: publicPEM) }
        #expect(throws: (any Error).self) { try Ed25519PrivateKey(pem: privatePEM) }
        #expect(throws: (any Error).self) { try SM2PrivateKey(pem: publicPEM) }
        #expect(throws: (any Error).self) { try SM2PublicKey(pem: "not a key") }
    }

    @Test func opensslMadeSignaturesVerify() throws {
        let vectors = try OpenSSLVectors.load()
        let key = try SM2PublicKey(pem: vectors.publicKeyPEM)
        #expect(try SM2PublicKey(pem: vectors.publicKeyCompressedPEM) == key)
        try #require(vectors.signatures.count == 4)
        for vector in vectors.signatures {
            #expect(key.isValidSignature(vector.signature, for: vector.message) == vector.valid)
            #expect(SM2.signatureComponents(vector.signature) != nil)
        }
    }

    @Test func oneKeySignsAndVerifiesOnEveryCoreAtOnce() throws {
        let key = try SM2PrivateKey.generate(using: SeededRandom(seed: "threads"))
        let messages = (0..<256).map { Array("ballot \($0)".utf8) }
        let signatures = Parallel.map(messages, minimumChunk: 8) { try? key.sign($0) }
        let valid = Parallel.map(Array(zip(messages, signatures)), minimumChunk: 8) { pair in
            pair.1.map { key.publicKey.isValidSignature($0, for: pair.0) } ?? false
        }
        #expect(valid.allSatisfy { $0 })
        // Keys built from raw bytes on every core at once (copies of one shared template).
        let raw = key.publicKey.rawBytes
        let fromRaw = Parallel.map(Array(zip(messages, signatures)), minimumChunk: 8) { pair in
            pair.1.map { CryptoSuite.gm.isValidSignature($0, publicKey: raw, message: pair.0) } ?? false
        }
        #expect(fromRaw.allSatisfy { $0 })
    }
}

/// `Tests/Fixtures/vectors/gm/openssl-sm2.json`: signatures made by the openssl CLI.
struct OpenSSLVectors {
    struct Signature {
        let message: [UInt8]
        let signature: [UInt8]
        let valid: Bool
    }

    let publicKeyPEM: String
    let publicKeyCompressedPEM: String
    let signatures: [Signature]

    static func load() throws -> OpenSSLVectors {
        let url = TestPaths.fixtures.appendingPathComponent("vectors/gm/openssl-sm2.json")
        let root = try need(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any], "root")
        let list = try need(root["signatures"] as? [[String: Any]], "signatures")
        return OpenSSLVectors(
            publicKeyPEM: try need(root["publicKeyPEM"] as? String, "publicKeyPEM"),
            publicKeyCompressedPEM: try need(root["publicKeyCompressedPEM"] as? String, "publicKeyCompressedPEM"),
            signatures: try list.map { item in
                Signature(
                    message: try need(Encoding.unbase64(try need(item["message"] as? String, "message")), "message base64"),
                    signature: try need(Encoding.unbase64(try need(item["signature"] as? String, "signature")), "signature base64"),
                    valid: try need(item["valid"] as? Bool, "valid"))
            })
    }
}
