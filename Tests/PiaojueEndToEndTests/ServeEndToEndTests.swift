import Foundation
import PiaojueTestSupport
import Testing

/// `piaojue serve` refusals, as a user meets them: nothing is served in clear beyond loopback, the
/// TLS files go together, and the server needs its ledger. (The running server is driven over a
/// socket by Scripts/browser-test, Scripts/crash-test-serve and Scripts/bench-serve.)
@Suite struct ServeEndToEndTests {
    @Test(arguments: [
        (["serve", "--listen", "0.0.0.0:0"], "serve.needs-tls"),
        (["serve", "--listen", "192.168.1.20:8443"], "serve.needs-tls"),
        (["serve", "--tls-cert", "cert.pem"], "serve.tls-pair"),
        (["serve", "--tls-self-signed", "--tls-key", "key.pem"], "usage.invalid"),
        (["serve", "--listen", "hall:port"], "server.bad-address"),
    ])
    func refusedBeforeListening(arguments: [String], code: String) throws {
        let workspace = try CLIWorkspace()
        let result = try workspace.piaojue.run(["--json"] + arguments)
        #expect(result.status == 2, "\(result.stderr)")
        let error = try JSONSerialization.jsonObject(with: Data(result.stderr.utf8)) as? [String: Any]
        #expect((error?["error"] as? [String: Any])?["code"] as? String == code, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.directory.path("piaojue.sqlite.tls-cert.pem")))
    }

    @Test func aServerNeedsItsLedger() throws {
        let directory = TemporaryDirectory("piaojue-serve-e2e")
        let piaojue = PiaojueBinary(directory: directory.url)
        let result = try piaojue.run(["serve"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("piaojue.sqlite"))
    }
}
