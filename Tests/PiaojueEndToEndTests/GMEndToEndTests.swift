import Foundation
import PiaojueTestSupport
import Testing

/// `init --crypto gm [--also-ed25519]` through the built binary: the keys, their files, a refused
/// suite name, and a checkpoint that carries both signature lines.
@Suite struct GMEndToEndTests {
    @Test func initGMWithAnEd25519KeyCreatesBothPrivateKeys() throws {
        let directory = TemporaryDirectory("piaojue-e2e-gm")
        let piaojue = PiaojueBinary(directory: directory.url)
        let json = try piaojue.ok(["init", "--body", "某某县人民代表大会", "--level", "county", "--crypto", "gm", "--also-ed25519", "--json"]).json()
        #expect(json["crypto"] as? String == "gm")
        #expect(Data(base64Encoded: try need(json["publicKey"] as? String, "publicKey"))?.count == 65)
        #expect(Data(base64Encoded: try need(json["ed25519PublicKey"] as? String, "ed25519PublicKey"))?.count == 32)
        for name in ["piaojue.sqlite.key", "piaojue.sqlite.ed25519.key"] {
            var info = stat()
            #expect(stat(directory.path(name), &info) == 0, "\(name)")
            #expect(info.st_mode & 0o777 == 0o600, "\(name)")
        }
        let checkpoint = try piaojue.ok(["audit", "checkpoint", "--sign", "--json"]).json()
        let note = try need(checkpoint["note"] as? String, "note")
        #expect(note.split(separator: "\n").filter { $0.hasPrefix("— ") }.count == 2)
        #expect(try piaojue.run(["audit", "verify"]).status == 0)
        // Writing without the Ed25519 key is refused, naming its file.
        try FileManager.default.removeItem(atPath: directory.path("piaojue.sqlite.ed25519.key"))
        let refused = try piaojue.run(["audit", "checkpoint", "--sign"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("piaojue.sqlite.ed25519.key"))
    }

    @Test(arguments: [["--crypto", "sm9"], ["--crypto", ""], ["--also-ed25519"]])
    func aBadSuiteIsAUsageErrorAndCreatesNothing(_ options: [String]) throws {
        let directory = TemporaryDirectory("piaojue-e2e-gm")
        let result = try PiaojueBinary(directory: directory.url).run(["init", "--body", "某某县人大", "--level", "county"] + options)
        #expect(result.status == 2)
        #expect(result.stderr.contains(options.count == 2 ? "--crypto" : "--also-ed25519"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }
}
