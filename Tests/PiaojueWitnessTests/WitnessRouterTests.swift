import Foundation
import Hummingbird
import HummingbirdTesting
import PiaojueCrypto
import PiaojueServices
import PiaojueTestSupport
import PiaojueWeb
import PiaojueWitness
import Testing

/// `POST /add-checkpoint` through the Hummingbird router, every status code.
@Suite struct WitnessRouterTests {
    struct Setup {
        let directory = TemporaryDirectory("witness-router")
        let clock = TestClock()
        let log: TestLog
        let endpoint: WitnessEndpoint

        init() throws {
            log = try TestLog()
            let path = directory.path("w")
            _ = try WitnessService.initialize(name: "county.example/witness", directory: path, clock: clock.now)
            _ = try WitnessService.addLog(origin: log.origin, vkey: log.vkey, directory: path)
            endpoint = try WitnessService.endpoint(directory: path, clock: clock.now)
        }
    }

    func post(_ client: some TestClientProtocol, _ body: [UInt8], uri: String = "/add-checkpoint") async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, body: ByteBuffer(bytes: body))
    }

    @Test func everyStatusCode() async throws {
        let setup = try Setup()
        let log = setup.log
        let app = Application(router: WitnessRoutes.router(endpoint: setup.endpoint))
        try await app.test(.router) { client in
            // 200 with the cosignature line.
            let ok = try await post(client, log.request(old: 0, size: 8))
            #expect(ok.status == .ok)
            #expect(ok.headers[.contentType] == "text/plain; charset=utf-8")
            let body = String(buffer: ok.body)
            let line = try SignedNote.Signature(parsingLine: body.dropLast())
            let verifier = try CosignatureV1Verifier(VerifierKey(parsing: setup.endpoint.vkey))
            #expect(verifier.isValid(signature: line.signature, text: Array(log.text(8).utf8)))
            // 400: malformed, and old size above the checkpoint size.
            #expect(try await post(client, Array("old 0\n".utf8)).status == .badRequest)
            #expect(try await post(client, log.request(old: 9, size: 8, proof: [])).status == .badRequest)
            // 403: no trusted signature.
            let stranger = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "stranger"))
            #expect(try await post(client, log.request(old: 8, size: 16, key: stranger)).status == .forbidden)
            // 404: unknown origin.
            #expect(try await post(client, TestLog(origin: "other", seed: "o").request(old: 0, size: 2)).status == .notFound)
            // 409 with the size as text/x.tlog.size, then a retry from it.
            let conflict = try await post(client, log.request(old: 0, size: 16))
            #expect(conflict.status == .conflict)
            #expect(conflict.headers[.contentType] == "text/x.tlog.size")
            let size = String(buffer: conflict.body)
            #expect(size == "8\n")
            let retry = try await post(client, log.request(old: try #require(Int(size.dropLast())), size: 16))
            #expect(retry.status == .ok)
            // 409 for a split view.
            let split = try await post(client, log.request(old: 16, size: 16, root: SHA256.hash([1])))
            #expect(split.status == .conflict)
            #expect(String(buffer: split.body) == "16\n")
            // 422: a proof that does not verify.
            #expect(try await post(client, log.request(old: 16, size: 20, proof: [SHA256.hash([2])])).status == .unprocessableContent)
            // 413: a body over the limit.
            let huge = [UInt8](repeating: 65, count: WitnessRoutes.maximumBodyBytes + 1)
            #expect(try await post(client, huge).status == .contentTooLarge)
            // Other paths and methods are not the witness's.
            #expect(try await post(client, log.request(old: 16, size: 20), uri: "/other").status == .notFound)
            let get = try await client.execute(uri: "/add-checkpoint", method: .get)
            #expect(get.status != .ok)
        }
        let state = try WitnessService.list(directory: setup.directory.path("w"))
        #expect(state.logs.first?.size == 16)
        #expect(state.logs.first?.evidence == 2)
    }

    @Test func concurrentRequestsForOneLogNeverRollBack() async throws {
        let setup = try Setup()
        let log = setup.log
        _ = await setup.endpoint.addCheckpoint(try log.request(old: 0, size: 8))
        // Many racing requests from size 8: exactly one wins, the rest get 409 naming a size ≥ 8.
        let bodies = try (9...40).map { try log.request(old: 8, size: $0) }
        let replies = await withTaskGroup(of: WitnessService.Reply.self) { group in
            for body in bodies { group.addTask { await setup.endpoint.addCheckpoint(body) } }
            var replies: [WitnessService.Reply] = []
            for await reply in group { replies.append(reply) }
            return replies
        }
        #expect(replies.filter { $0.status == 200 }.count == 1)
        #expect(replies.filter { $0.status == 409 }.count == bodies.count - 1)
        let state = try WitnessService.list(directory: setup.directory.path("w"))
        let size = try #require(state.logs.first?.size)
        #expect(size > 8)
        #expect(replies.filter { $0.status == 409 }.allSatisfy { $0.body == "\(size)\n" })
    }

    @Test func listenAddresses() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:7380") == ListenAddress(host: "127.0.0.1", port: 7380))
        #expect(try ListenAddress(parsing: "[::1]:0") == ListenAddress(host: "::1", port: 0))
        #expect(try ListenAddress(parsing: "localhost:80").isLoopback)
        #expect(try ListenAddress(parsing: "127.8.9.10:80").isLoopback)
        #expect(try !ListenAddress(parsing: "0.0.0.0:80").isLoopback)
        #expect(try !ListenAddress(parsing: "192.168.1.2:80").isLoopback)
        #expect(try !ListenAddress(parsing: "127.0.0.1.example:80").isLoopback)
        for bad in ["127.0.0.1", ":80", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:08", "a b:80"] {
            #expect(throws: WebFailure.badAddress(bad)) { try ListenAddress(parsing: bad) }
        }
        #expect(throws: WebFailure.remoteRefused(address: "0.0.0.0:7380", flag: "--allow-remote")) {
            let setup = try Setup()
            try WitnessServer.serve(endpoint: setup.endpoint, address: ListenAddress(host: "0.0.0.0", port: 7380), allowRemote: false) { _ in }
        }
    }
}
