import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import PiaojueWeb
import Testing

/// The plenary routes through the Hummingbird router (no socket): every route, every answer and
/// error code, the headers every page carries.
@Suite struct PlenaryRouterTests {
    /// A vote of 5 seated deputies, 3 candidates for 2 seats, every deputy given a credential.
    struct Hall: Sendable {
        let workspace: Workspace
        let vote: ServiceWorld.Vote
        let plenary: PlenaryService
        /// Keeps the world's directory until the test ends.
        let keep: TemporaryDirectory

        init(seated: Int = 5, candidates: Int = 3, seats: Int = 2, rules: Rules? = nil, crypto: String = "standard") throws {
            let world = try ServiceWorld(seed: "plenary-router", crypto: crypto)
            vote = try world.issuedVote(seated: seated, candidates: candidates, seats: seats, rules: rules)
            workspace = world.workspace
            keep = world.directory
            plenary = try PlenaryService(workspace: world.workspace)
        }

        func close() throws { _ = try SessionService.close(session: session, returned: nil, workspace: workspace) }
        func tally() throws { _ = try BallotService.tally(session: session, workspace: workspace) }
        func ballots() throws -> Int { try workspace.openForReading().read { try $0.count(kind: Ballot.kind) } }

        var app: some ApplicationProtocol { get throws { try PlenaryRouterTests.app(plenary) } }
        var codes: [String] { vote.codes }
        var session: String { vote.session }
    }

    static func ballot(_ session: String, _ code: String, approve: [String] = [], oppose: [String] = [], abstain: [String] = []) -> ByteBuffer {
        let body: [String: any Sendable] = ["session": session, "credential": code, "approve": approve, "oppose": oppose, "abstain": abstain]
        return ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data())
    }

    static let json: HTTPFields = [.contentType: "application/json"]

    /// The server's application over `plenary`, as `serve` builds it (the router test never binds the address).
    static func app(_ plenary: PlenaryService) throws -> some ApplicationProtocol {
        try PlenaryServer.application(plenary: plenary, address: ListenAddress(host: "127.0.0.1", port: 0), transport: .plain)
    }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    static func errorCode(_ response: TestResponse) throws -> String? {
        (try object(response)["error"] as? [String: Any])?["code"] as? String
    }

    /// Checks a receipt's proof as a deputy's verifier would: the checkpoint is signed by the body
    /// and the receipt's leaf is included in its tree.
    static func verify(receipt: String, index: Int, proof text: String, body key: Ed25519PublicKey, origin: String) throws -> Checkpoint {
        let proof = try TlogProof(parsing: text)
        #expect(proof.index == index)
        let note = try SignedNote(parsing: proof.checkpoint)
        #expect(note.isSigned(by: key, keyName: origin))
        let checkpoint = try Checkpoint(text: note.text)
        let leaf = try #require(Encoding.unhex(receipt))
        #expect(Merkle.verifyInclusion(leafHash: leaf, index: index, size: checkpoint.size, proof: proof.proof, root: checkpoint.root))
        return checkpoint
    }

    func bodyKey(_ hall: Hall) throws -> (Ed25519PublicKey, String) {
        let identity = try hall.workspace.openForReading().identity
        return (try Ed25519PublicKey(rawBytes: identity.publicKey.rawBytes), identity.keyName)
    }

    @Test func healthzAnswersOnceTheLedgerIsOpen() async throws {
        let hall = try Hall()
        try await (try hall.app).test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == "ok\n")
        }
    }

    @Test func aServerNeedsItsLedgerAndKey() throws {
        let world = try ServiceWorld(seed: "no-ledger", level: nil)
        #expect(throws: (any Error).self) { try PlenaryService(workspace: world.workspace) }
    }

    @Test func boothShowsTheOpenBallotUnderAStrictPolicy() async throws {
        let hall = try Hall()
        try await (try hall.app).test(.router) { client in
            let page = try await client.execute(uri: "/booth", method: .get)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("data-session=\"\(hall.session)\""))
            for n in 1...3 { #expect(html.contains("民生项目\(n)")) }
            #expect(html.contains("应选 <strong>2</strong>"))
            // No inline script or style anywhere: every script and style is a file of the server.
            #expect(!html.contains("<script>"))
            #expect(!html.contains("style="))
            #expect(!html.contains("<style"))
            #expect(html.contains("<script src=\"/assets/booth.js\" defer></script>"))
            // Every radio button has a label; every group is named by its item's title.
            #expect(html.components(separatedBy: "type=\"radio\"").count - 1 == 9)
            #expect(html.components(separatedBy: "<label for=\"m-").count - 1 == 9)
            #expect(html.components(separatedBy: "role=\"radiogroup\" aria-labelledby=\"t-").count - 1 == 3)
            let policy = try #require(page.headers[HTTPField.Name("Content-Security-Policy")!])
            #expect(policy.contains("script-src 'self'"))
            #expect(policy.contains("style-src 'self'"))
            #expect(!policy.contains("unsafe-inline"))
            #expect(page.headers[.cacheControl] == "no-store")
            #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            // The assets, and their total size: the booth with all it loads stays under 150 KB.
            var total = html.utf8.count
            for asset in ["/assets/booth.css", "/assets/booth.js"] {
                let response = try await client.execute(uri: asset, method: .get)
                #expect(response.status == .ok)
                total += response.body.readableBytes
            }
            #expect(total < 150_000)
        }
    }

    @Test func aBoothWithNoOpenSessionWaits() async throws {
        let world = try ServiceWorld(seed: "waiting")
        let plenary = try PlenaryService(workspace: world.workspace)
        let app = try Self.app(plenary)
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/booth", method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("目前没有正在投票的会期"))
            let api = try await client.execute(uri: "/api/v1/booth", method: .get)
            #expect(api.status == .notFound)
            #expect(try Self.errorCode(api) == "request.no-open-session")
        }
        withExtendedLifetime(world) {}
    }

    @Test func aBallotIsAnsweredWithAReceiptAndAProofAfterItsCommit() async throws {
        let hall = try Hall()
        let (key, origin) = try bodyKey(hall)
        try await (try hall.app).test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/ballots", method: .post, headers: Self.json,
                body: Self.ballot(hall.session, hall.codes[0], approve: ["P1"], oppose: ["P2"]))
            #expect(response.status == .ok)
            let answer = try Self.object(response)
            let receipt = try #require(answer["receipt"] as? String)
            #expect(receipt.count == 64 && receipt.allSatisfy { "0123456789abcdef".contains($0) })
            let index = try #require(answer["index"] as? Int)
            let proof = try #require(answer["proof"] as? String)
            #expect(proof.hasPrefix("c2sp.org/tlog-proof@v1\nindex \(index)\n"))
            let checkpoint = try Self.verify(receipt: receipt, index: index, proof: proof, body: key, origin: origin)
            #expect(checkpoint.size == index + 1)

            // The same ballot again (a double tap, a retry): the same receipt, with a proof.
            let again = try await client.execute(
                uri: "/api/v1/ballots", method: .post, headers: Self.json,
                body: Self.ballot(hall.session, hall.codes[0], approve: ["P1"], oppose: ["P2"]))
            #expect(again.status == .ok)
            let repeated = try Self.object(again)
            #expect(repeated["receipt"] as? String == receipt)
            #expect(repeated["index"] as? Int == index)
            _ = try Self.verify(
                receipt: receipt, index: index, proof: try #require(repeated["proof"] as? String), body: key, origin: origin)

            // Another ballot with the used credential: 409, and the first stands.
            let other = try await client.execute(
                uri: "/api/v1/ballots", method: .post, headers: Self.json, body: Self.ballot(hall.session, hall.codes[0], approve: ["P3"]))
            #expect(other.status == .conflict)
            #expect(try Self.errorCode(other) == "ballot.already-voted")
            let status = try Self.object(try await client.execute(uri: "/api/v1/sessions/\(hall.session)", method: .get))
            #expect(status["cast"] as? Int == 1)
        }
        #expect(hall.plenary.totals.ballots == 1)
    }

    @Test func badInputIsRefusedWithTheCodesOfTheCommandLine() async throws {
        let hall = try Hall()
        let code = hall.codes[1]
        try await (try hall.app).test(.router) { client in
            func post(_ body: ByteBuffer, headers: HTTPFields = Self.json) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/ballots", method: .post, headers: headers, body: body)
            }
            let cases: [(ByteBuffer, HTTPFields, HTTPResponse.Status, String)] = [
                (ByteBuffer(string: "not json"), Self.json, .badRequest, "request.not-json"),
                (ByteBuffer(string: "[1,2]"), Self.json, .badRequest, "request.not-json"),
                (ByteBuffer(string: "{\"session\":\"\(hall.session)\"}"), Self.json, .badRequest, "request.no-credential"),
                (ByteBuffer(string: "{\"credential\":\"x\"}"), Self.json, .badRequest, "request.missing-field"),
                (ByteBuffer(string: "{\"session\":\"\(hall.session)\",\"credential\":\"\(code)\",\"approve\":\"P1\"}"), Self.json,
                 .badRequest, "request.bad-field"),
                (Self.ballot(hall.session, code, approve: ["P9"]), Self.json, .badRequest, "ballot.not-on-ballot"),
                (Self.ballot(hall.session, code, approve: ["P1"], oppose: ["P1"]), Self.json, .badRequest, "ballot.marked-twice"),
                (Self.ballot(hall.session, String(code.dropLast(3)) + "AAA", approve: ["P1"]), Self.json, .badRequest, "ballot.mistyped-code"),
                (Self.ballot("S9", code, approve: ["P1"]), Self.json, .notFound, "ballot.not-opened"),
                (Self.ballot(hall.session, code), [.contentType: "text/plain"], .unsupportedMediaType, "request.content-type"),
                (ByteBuffer(repeating: UInt8(ascii: " "), count: PlenaryRoutes.maximumBodyBytes + 1), Self.json, .contentTooLarge,
                 "request.too-large"),
            ]
            for (body, headers, status, expected) in cases {
                let response = try await post(body, headers: headers)
                #expect(response.status == status, "\(expected)")
                #expect(try Self.errorCode(response) == expected, "\(String(buffer: response.body))")
                // No answer repeats seven or more characters of the code.
                let text = String(buffer: response.body)
                for start in stride(from: 0, to: code.count - 8, by: 1) {
                    let piece = String(Array(code)[start..<start + 8])
                    #expect(!text.contains(piece))
                }
            }
            // Nothing was recorded, and the code still works.
            let ok = try await post(Self.ballot(hall.session, code, approve: ["P1", "P2"]))
            #expect(ok.status == .ok)
            #expect(try Self.object(ok)["void"] as? Bool == false)
            // Over-marked (the booth has warned and asked once more): recorded, answered as void.
            let over = try await post(Self.ballot(hall.session, hall.codes[2], approve: ["P1", "P2", "P3"]))
            #expect(over.status == .ok)
            #expect(try Self.object(over)["void"] as? Bool == true)
        }
    }

    @Test func aClosedSessionRefusesAndThenShowsItsTally() async throws {
        let hall = try Hall()
        try await (try hall.app).test(.router) { client in
            for code in hall.codes.prefix(3) {
                let response = try await client.execute(
                    uri: "/api/v1/ballots", method: .post, headers: Self.json, body: Self.ballot(hall.session, code, approve: ["P1", "P2"]))
                #expect(response.status == .ok)
            }
            let open = try Self.object(try await client.execute(uri: "/api/v1/sessions/\(hall.session)", method: .get))
            #expect(Set(open.keys) == ["session", "shape", "status", "seated", "present", "quorum", "quorumNeeded", "issued", "cast"])
            #expect(open["status"] as? String == "open")
            #expect(open["seated"] as? Int == 5)
            #expect(open["present"] as? Int == 5)
            #expect(open["issued"] as? Int == 5)
            #expect(open["cast"] as? Int == 3)

            try hall.close()
            let late = try await client.execute(
                uri: "/api/v1/ballots", method: .post, headers: Self.json, body: Self.ballot(hall.session, hall.codes[4], approve: ["P1"]))
            #expect(late.status == .conflict)
            #expect(try Self.errorCode(late) == "ballot.closed")
            let closed = try Self.object(try await client.execute(uri: "/api/v1/sessions/\(hall.session)", method: .get))
            #expect(closed["status"] as? String == "closed")
            #expect(closed["tally"] == nil)
            // The big screen before the tally: turnout, never a figure per candidate.
            let screen = String(buffer: try await client.execute(uri: "/screen", method: .get).body)
            #expect(screen.contains("id=\"cast\">3<"))
            #expect(!screen.contains("svg"))

            try hall.tally()
            let tallied = try Self.object(try await client.execute(uri: "/api/v1/sessions/\(hall.session)", method: .get))
            #expect(tallied["status"] as? String == "tallied")
            let tally = try #require(tallied["tally"] as? [String: Any])
            #expect(tally["chosen"] as? [String] == ["P1", "P2"])
            let result = String(buffer: try await client.execute(uri: "/screen", method: .get).body)
            #expect(result.contains("主席团"))
            #expect(result.contains("<svg"))
            #expect(!result.contains("style="))
            let events = try await client.execute(uri: "/api/v1/sessions/\(hall.session)/events?once=1", method: .get)
            #expect(events.headers[.contentType] == "text/event-stream; charset=utf-8")
            #expect(String(buffer: events.body).contains("\"status\":\"tallied\""))
        }
    }

    @Test func unknownSessionsAre404() async throws {
        let hall = try Hall()
        try await (try hall.app).test(.router) { client in
            let status = try await client.execute(uri: "/api/v1/sessions/S9", method: .get)
            #expect(status.status == .notFound)
            #expect(try Self.errorCode(status) == "ballot.not-opened")
            #expect(try await client.execute(uri: "/api/v1/sessions/S9/events", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/booth?session=S9", method: .get).status == .notFound)
        }
    }

    @Test func concurrentBallotsAreCommittedTogetherAndEachAnsweredWithItsGroupsCheckpoint() async throws {
        let hall = try Hall(seated: 40, candidates: 4, seats: 2)
        let (key, origin) = try bodyKey(hall)
        let session = hall.session
        let codes = hall.codes
        let answers = try await (try hall.app).test(.router) { client in
            try await withThrowingTaskGroup(of: (String, Int, String).self) { group in
                for (n, code) in codes.enumerated() {
                    group.addTask {
                        let response = try await client.execute(
                            uri: "/api/v1/ballots", method: .post, headers: Self.json,
                            body: Self.ballot(session, code, approve: n % 2 == 0 ? ["P1"] : ["P2"]))
                        #expect(response.status == .ok)
                        let answer = try Self.object(response)
                        return (try #require(answer["receipt"] as? String), try #require(answer["index"] as? Int), try #require(answer["proof"] as? String))
                    }
                }
                var all: [(String, Int, String)] = []
                for try await answer in group { all.append(answer) }
                return all
            }
        }
        #expect(answers.count == 40)
        #expect(Set(answers.map(\.0)).count == 40)
        var checkpoints: Set<Int> = []
        for (receipt, index, proof) in answers {
            checkpoints.insert(try Self.verify(receipt: receipt, index: index, proof: proof, body: key, origin: origin).size)
        }
        // One checkpoint per commit group, each proof against its own group's.
        let totals = hall.plenary.totals
        #expect(totals.ballots == 40)
        #expect(checkpoints.count == totals.groups)
        #expect(try hall.ballots() == 40)
    }

    @Test func ratingsUseTheSameBooth() async throws {
        let world = try ServiceWorld(seed: "plenary-ratings")
        let vote = try world.decidedVote(seated: 5)
        #expect(vote.tally?.chosen == ["P1", "P2"])
        try world.clock.set("2026-01-10T02:00:00Z")
        let opened = try EvaluationService.open(selection: .year(2025), rules: world.rules, rosterPath: nil, workspace: world.workspace)
        try world.checkin(opened.session, 1...5, shape: .rating)
        let codes = try world.issue(opened.session, shape: .rating)
        let plenary = try PlenaryService(workspace: world.workspace)
        let app = try Self.app(plenary)
        try await app.test(.router) { client in
            let page = String(buffer: try await client.execute(uri: "/booth", method: .get).body)
            #expect(page.contains("data-shape=\"rating\""))
            for word in ["满意", "基本满意", "不满意", "弃权"] { #expect(page.contains(">\(word)</label>")) }
            func rate(_ code: String, _ rate: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/ratings", method: .post, headers: Self.json,
                    body: ByteBuffer(string: "{\"session\":\"\(opened.session)\",\"credential\":\"\(code)\",\"rate\":{\(rate)}}"))
            }
            let ok = try await rate(codes[0], "\"P1\":\"满意\",\"P2\":\"basic\"")
            #expect(ok.status == .ok)
            let receipt = try Self.object(ok)["receipt"] as? String
            #expect(try Self.object(try await rate(codes[0], "\"P1\":\"满意\",\"P2\":\"basic\""))["receipt"] as? String == receipt)
            let bad = try await rate(codes[1], "\"P1\":\"很好\"")
            #expect(bad.status == .badRequest)
            #expect(try Self.errorCode(bad) == "request.bad-grade")
            let vote = try await client.execute(
                uri: "/api/v1/ballots", method: .post, headers: Self.json, body: Self.ballot(opened.session, codes[1], approve: ["P1"]))
            #expect(vote.status == .badRequest)
            #expect(try Self.errorCode(vote) == "ballot.wrong-shape")
        }
        withExtendedLifetime(world) {}
    }

    @Test func theQRCodeOfAProofIsAnSVGImage() async throws {
        let hall = try Hall()
        try await (try hall.app).test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/qr", method: .post, body: ByteBuffer(string: "c2sp.org/tlog-proof@v1\nindex 3\n"))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "image/svg+xml")
            let svg = String(buffer: response.body)
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(svg.contains("<path fill=\"#000\" d=\"M"))
            let tooLong = try await client.execute(uri: "/api/v1/qr", method: .post, body: ByteBuffer(repeating: 0x41, count: 4_000))
            #expect(tooLong.status == .contentTooLarge)
        }
    }
}
