import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import PiaojueCrypto
import PiaojueQR
import PiaojueServices
import PiaojueTestSupport
import PiaojueWeb
import Testing

/// The QR code of a receipt's proof (libqrencode), the self-signed certificate of
/// `serve --tls-self-signed`, HTTPS with it, and a server that stops.
@Suite struct ReceiptQRAndTLSTests {
    @Test(arguments: [1, 100, 1_200, 2_900])
    func aQRCodeHoldsTheTextAtTheSmallestVersion(bytes count: Int) throws {
        let text = String(repeating: "a", count: count)
        let code = try #require(QRCode(text: text))
        #expect(code.width == 17 + 4 * code.version)
        #expect(code.dark.count == code.width * code.width)
        // The three finder patterns: dark corners, a light separator after seven modules.
        for (x, y) in [(0, 0), (code.width - 1, 0), (0, code.width - 1)] { #expect(code.isDark(x: x, y: y)) }
        #expect(!code.isDark(x: 7, y: 0))
        let svg = code.svg(label: "回执 <proof>")
        #expect(svg.contains("viewBox=\"0 0 \(code.width + 8) \(code.width + 8)\""))
        #expect(svg.contains("aria-label=\"回执 &lt;proof&gt;\""))
        #expect(!svg.contains("style="))
    }

    @Test func moreThanAQRCodeHoldsIsNoCode() {
        #expect(QRCode(text: String(repeating: "a", count: 3_000)) == nil)
        #expect(QRCode(text: "") == nil)
        // A longer text gets a weaker correction, never a failure while it fits.
        let small = QRCode(bytes: Array("x".utf8), correction: .high)
        #expect(small?.version == 1)
    }

    @Test func aSelfSignedCertificateNamesItsHostsAndHasAFingerprint() throws {
        let made = try SelfSignedCertificate(
            hosts: ["192.168.1.20", "hall.local"], notBefore: Date(timeIntervalSince1970: 1_750_000_000), days: 365,
            random: SeededRandom(seed: "tls"))
        #expect(made.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(made.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let pairs = made.fingerprint.split(separator: ":")
        #expect(pairs.count == 32 && pairs.allSatisfy { $0.count == 2 })
        #expect(ServeSetup.fingerprint(ofCertificatePEM: made.certificatePEM) == made.fingerprint)
    }

    @Test func httpsWithTheSelfSignedCertificate() async throws {
        let world = try ServiceWorld(seed: "tls-serve")
        let files = try ServeSetup.selfSigned(hosts: ["127.0.0.1"], workspace: world.workspace)
        #expect(files.created)
        let attributes = try FileManager.default.attributesOfItem(atPath: files.keyPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // A second run keeps the certificate, so the fingerprint the tablets trust does not change.
        let again = try ServeSetup.selfSigned(hosts: ["127.0.0.1"], workspace: world.workspace)
        #expect(!again.created && again.fingerprint == files.fingerprint)
        let plenary = try PlenaryService(workspace: world.workspace)
        let app = try PlenaryServer.application(
            plenary: plenary, address: ListenAddress(host: "127.0.0.1", port: 0),
            transport: .tls(certificatePath: files.certificatePath, keyPath: files.keyPath))
        try await app.test(.ahc(.https)) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[HTTPField.Name("Strict-Transport-Security")!] == "max-age=31536000")
        }
        withExtendedLifetime(world) {}
    }

    @Test func aStoppedServerTakesNoBallot() async throws {
        let world = try ServiceWorld(seed: "stopped")
        let vote = try world.issuedVote()
        let plenary = try PlenaryService(workspace: world.workspace)
        _ = try await plenary.castVote(session: vote.session, code: vote.codes[0], approve: ["P1"], oppose: [], abstain: [])
        await plenary.finish()
        await #expect(throws: ServerRefusal.stopping) {
            try await plenary.castVote(session: vote.session, code: vote.codes[1], approve: ["P1"], oppose: [], abstain: [])
        }
        #expect(try world.entries(kinds: ["session.cast"]).count == 1)
    }

    @Test func aNonLoopbackAddressNeedsTLS() throws {
        let world = try ServiceWorld(seed: "remote")
        let plenary = try PlenaryService(workspace: world.workspace)
        #expect(throws: ServeFailure.needsTLS(address: "0.0.0.0:8080")) {
            try PlenaryServer.serve(plenary: plenary, address: ListenAddress(host: "0.0.0.0", port: 8080), transport: .plain) { _ in }
        }
        withExtendedLifetime(world) {}
    }
}
