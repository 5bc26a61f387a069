import Foundation
import PiaojueCrypto
import PiaojueTestSupport
import Testing

/// Signatures and hashes exchanged with the `openssl` command, as a verifier by hand uses it:
/// `pkeyutl -rawin -digest sm3 -pkeyopt distid:1234567812345678` and `dgst -sm3`.
@Suite struct OpenSSLCLIInteropTests {
    struct Run {
        let status: Int32
        let output: String
    }

    static func openssl(_ arguments: [String], in directory: URL) throws -> Run {
        let run = try Tool.run(["openssl"] + arguments, in: directory)
        return Run(status: run.status, output: run.output)
    }

    static let distid = ["-pkeyopt", "distid:1234567812345678"]

    @Test func swiftSignaturesVerifyWithTheCLIOnlyWithTheDistinguishingID() throws {
        let directory = TemporaryDirectory("sm2-cli")
        let key = try SM2PrivateKey.generate(using: SeededRandom(seed: "cli"))
        try key.publicKey.pem().write(toFile: directory.path("pub.pem"), atomically: true, encoding: .utf8)
        let message = Array("piaojue/某县人大\n7\nq6Ur5d2w9OjJ8/n2aTqvQhGvvtSuzdN6O5dBG8X6NbQ=\n".utf8)
        try Data(message).write(to: directory.url.appendingPathComponent("note.txt"))
        try Data(try key.sign(message)).write(to: directory.url.appendingPathComponent("sig.der"))
        let verify = ["pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "note.txt", "-sigfile", "sig.der", "-digest", "sm3"]
        let withID = try Self.openssl(verify + Self.distid, in: directory.url)
        #expect(withID.status == 0, "\(withID.output)")
        #expect(withID.output.contains("Signature Verified Successfully"))
        // The trap: OpenSSL 3.0 without the ID computes another Z_A, and the signature fails.
        let withoutID = try Self.openssl(verify, in: directory.url)
        #expect(withoutID.status != 0, "\(withoutID.output)")
    }

    @Test func cliSignaturesVerifyInSwift() throws {
        let directory = TemporaryDirectory("sm2-cli")
        let generated = try Self.openssl(["genpkey", "-algorithm", "SM2", "-out", "key.pem"], in: directory.url)
        try #require(generated.status == 0, "\(generated.output)")
        let key = try SM2PrivateKey(pem: String(contentsOfFile: directory.path("key.pem"), encoding: .utf8))
        let publicOut = try Self.openssl(["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"], in: directory.url)
        try #require(publicOut.status == 0)
        #expect(try SM2PublicKey(pem: String(contentsOfFile: directory.path("pub.pem"), encoding: .utf8)) == key.publicKey)
        for (n, message) in [[], Array("abc".utf8), try SeededRandom(seed: "cli message").bytes(3000)].enumerated() {
            try Data(message).write(to: directory.url.appendingPathComponent("m\(n)"))
            let signed = try Self.openssl(
                ["pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-in", "m\(n)", "-digest", "sm3"] + Self.distid + ["-out", "s\(n)"],
                in: directory.url)
            try #require(signed.status == 0, "\(signed.output)")
            let signature = [UInt8](try Data(contentsOf: directory.url.appendingPathComponent("s\(n)")))
            #expect(key.publicKey.isValidSignature(signature, for: message), "message \(n)")
            #expect(!key.publicKey.isValidSignature(signature, for: message + [1]))
        }
        // A key Swift wrote signs in the CLI too.
        try key.pemPKCS8().write(toFile: directory.path("swift-key.pem"), atomically: true, encoding: .utf8)
        try Data("x".utf8).write(to: directory.url.appendingPathComponent("x"))
        let signed = try Self.openssl(
            ["pkeyutl", "-sign", "-inkey", "swift-key.pem", "-rawin", "-in", "x", "-digest", "sm3"] + Self.distid + ["-out", "sx"],
            in: directory.url)
        try #require(signed.status == 0, "\(signed.output)")
        #expect(key.publicKey.isValidSignature([UInt8](try Data(contentsOf: directory.url.appendingPathComponent("sx"))), for: Array("x".utf8)))
    }

    @Test func sm3MatchesDgst() throws {
        let directory = TemporaryDirectory("sm3-cli")
        let data = try SeededRandom(seed: "dgst").bytes(10_000)
        try Data(data).write(to: directory.url.appendingPathComponent("data"))
        let run = try Self.openssl(["dgst", "-sm3", "-r", "data"], in: directory.url)
        try #require(run.status == 0, "\(run.output)")
        #expect(run.output.hasPrefix(Encoding.hex(SM3.hash(data)) + " "))
    }
}
