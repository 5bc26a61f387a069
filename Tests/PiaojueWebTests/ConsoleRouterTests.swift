import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import PiaojueDomain
import PiaojueServices
import PiaojueTestSupport
import PiaojueWeb
import Testing

/// The clerk's console through the router (no socket): the token, the login cookie, the CSRF
/// token on every state-changing request of a cookie session, and the refusals of each route.
@Suite struct ConsoleRouterTests {
    static let token = String(repeating: "ab", count: 32)

    /// The server of `console` on a free loopback port, plain HTTP.
    static func application(_ console: ConsoleService) throws -> some ApplicationProtocol {
        try PlenaryServer.application(
            plenary: console.plenary, console: console, address: ListenAddress(host: "127.0.0.1", port: 0), transport: .plain)
    }

    /// A vote of `seated` deputies opened on a frozen list, nobody checked in yet; the console over it.
    struct Desk: Sendable {
        let workspace: Workspace
        let session: String
        let console: ConsoleService
        /// Keeps the world's directory until the test ends.
        let keep: TemporaryDirectory

        init(seated: Int = 5, seed: String = "console-router") throws {
            let world = try ServiceWorld(seed: seed)
            try world.roster(seated)
            let list = try world.shortlist(seats: 2, try world.acceptedProposals(3))
            session = try world.open(list: list.list).session
            workspace = world.workspace
            keep = world.directory
            console = ConsoleService(plenary: try PlenaryService(workspace: world.workspace), token: ConsoleRouterTests.token)
        }

        var app: some ApplicationProtocol { get throws { try ConsoleRouterTests.application(console) } }

        func present() throws -> Int { try console.plenary.status(session: session).present }
    }

    static let bearer: HTTPFields = [.authorization: "Bearer \(token)", .accept: "application/json"]
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func errorCode(_ response: TestResponse) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    /// Logs in with the token; returns the cookie header and the CSRF token of the session page.
    static func login(_ client: some TestClientProtocol) async throws -> (cookie: String, csrf: String) {
        let response = try await client.execute(
            uri: "/console/login", method: .post, headers: form, body: ByteBuffer(string: "token=\(token)"))
        #expect(response.status == .seeOther)
        #expect(response.headers[.location] == "/console")
        let setCookie = try #require(response.headers[.setCookie])
        #expect(setCookie.contains("HttpOnly"))
        #expect(setCookie.contains("SameSite=Strict"))
        #expect(!setCookie.contains("Secure"))
        let cookie = String(try #require(setCookie.split(separator: ";").first))
        let page = try await client.execute(uri: "/console", method: .get, headers: [.cookie: cookie])
        #expect(page.status == .ok)
        let html = String(buffer: page.body)
        let marker = "name=\"csrf\" value=\""
        let start = try #require(html.range(of: marker)).upperBound
        let csrf = String(html[start...].prefix(64))
        return (cookie, csrf)
    }

    @Test func withoutTheTokenTheConsoleIsClosedButTheBoothIsNot() async throws {
        let desk = try Desk()
        try await (try desk.app).test(.router) { client in
            let browser = try await client.execute(uri: "/console", method: .get)
            #expect(browser.status == .seeOther)
            #expect(browser.headers[.location] == "/console/login")
            let script = try await client.execute(uri: "/console", method: .get, headers: [.accept: "application/json"])
            #expect(script.status == .unauthorized)
            #expect(Self.errorCode(script) == "console.unauthorized")
            let post = try await client.execute(
                uri: "/console/sessions/\(desk.session)/checkin", method: .post, headers: Self.form, body: ByteBuffer(string: "deputy=D001"))
            #expect(post.status == .unauthorized)
            let wrong = try await client.execute(
                uri: "/console", method: .get, headers: [.authorization: "Bearer nottoken", .accept: "application/json"])
            #expect(wrong.status == .unauthorized)
            #expect(Self.errorCode(wrong) == "console.wrong-token")
            let badLogin = try await client.execute(
                uri: "/console/login", method: .post, headers: Self.form, body: ByteBuffer(string: "token=guess"))
            #expect(badLogin.status == .unauthorized)
            #expect(String(buffer: badLogin.body).contains("控制台口令不正确"))
            #expect(badLogin.headers[.setCookie] == nil)
            let booth = try await client.execute(uri: "/booth", method: .get)
            #expect(booth.status == .ok)
            let screen = try await client.execute(uri: "/screen", method: .get)
            #expect(screen.status == .ok)
            let loginPage = try await client.execute(uri: "/console/login", method: .get)
            #expect(loginPage.status == .ok)
            #expect(!String(buffer: loginPage.body).contains("style="))
        }
        #expect(try desk.present() == 0)
    }

    @Test func aCookieSessionMustSendItsCSRFToken() async throws {
        let desk = try Desk()
        try await (try desk.app).test(.router) { client in
            let (cookie, csrf) = try await Self.login(client)
            var headers = Self.form
            headers[.cookie] = cookie
            let uri = "/console/sessions/\(desk.session)/checkin"
            let missing = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: "deputy=D001"))
            #expect(missing.status == .forbidden)
            #expect(String(buffer: missing.body).contains("console.csrf-missing"))
            let wrong = try await client.execute(
                uri: uri, method: .post, headers: headers, body: ByteBuffer(string: "deputy=D001&csrf=\(String(repeating: "0", count: 64))"))
            #expect(wrong.status == .forbidden)
            #expect(String(buffer: wrong.body).contains("console.csrf-wrong"))
            #expect(try desk.present() == 0)
            let accepted = try await client.execute(
                uri: uri, method: .post, headers: headers, body: ByteBuffer(string: "deputy=D001&deputy=D002&csrf=\(csrf)"))
            #expect(accepted.status == .ok)
            #expect(String(buffer: accepted.body).contains("签到 2 人"))
            #expect(try desk.present() == 2)
            var header = headers
            header[HTTPField.Name("X-CSRF-Token")!] = csrf
            let viaHeader = try await client.execute(uri: uri, method: .post, headers: header, body: ByteBuffer(string: "deputy=D003"))
            #expect(viaHeader.status == .ok)
            #expect(try desk.present() == 3)
            // Logged out, the cookie opens nothing.
            let out = try await client.execute(uri: "/console/logout", method: .post, headers: headers, body: ByteBuffer(string: "csrf=\(csrf)"))
            #expect(out.status == .seeOther)
            let after = try await client.execute(uri: "/console", method: .get, headers: [.cookie: cookie])
            #expect(after.status == .seeOther)
        }
    }

    @Test func aBearerRequestNeedsNoCSRFTokenAndGetsJSON() async throws {
        let desk = try Desk()
        try await (try desk.app).test(.router) { client in
            var headers = Self.bearer
            headers[.contentType] = "application/x-www-form-urlencoded"
            let overview = try await client.execute(uri: "/console", method: .get, headers: Self.bearer)
            #expect(overview.status == .ok)
            #expect((try Self.object(overview)["sessions"] as? [Any])?.count == 1)
            let checkin = try await client.execute(
                uri: "/console/sessions/\(desk.session)/checkin", method: .post, headers: headers, body: ByteBuffer(string: "delegation=第2代表团"))
            #expect(checkin.status == .ok)
            #expect(try Self.object(checkin)["added"] as? Int == 1)
            let page = try await client.execute(uri: "/console/sessions/\(desk.session)", method: .get, headers: Self.bearer)
            #expect(page.status == .ok)
        }
    }

    @Test func everyRefusalIsTheCommandLinesSentenceAndCode() async throws {
        let desk = try Desk()
        try await (try desk.app).test(.router) { client in
            var headers = Self.bearer
            headers[.contentType] = "application/x-www-form-urlencoded"
            let base = "/console/sessions/\(desk.session)"
            let cases: [(String, HTTPRequest.Method, String, HTTPResponse.Status, String)] = [
                ("/checkin", .post, "deputy=D999", .badRequest, "ballot.not-on-roster"),
                ("/issue", .post, "", .conflict, "ballot.no-quorum"),
                ("/close", .post, "returned=many", .badRequest, "console.not-a-number"),
                ("/tally", .post, "", .conflict, "ballot.not-closed"),
                ("/runoff", .post, "", .conflict, "ballot.tally-first"),
                ("/publish", .post, "", .conflict, "audit.not-tallied"),
                ("/slips", .get, "", .notFound, "console.no-slips"),
                ("/paper", .get, "", .notFound, "console.no-slips"),
                ("/slips/destroy", .post, "", .notFound, "console.no-slips"),
                ("/bundle.zip", .get, "", .notFound, "console.not-published"),
                ("/count/C", .get, "", .badRequest, "counting.unknown-counter"),
                ("/count/A", .post, "code=ABC", .badRequest, "ballot.mistyped-code"),
                ("/import", .post, "", .conflict, "counting.nothing-entered"),
                ("/reconcile", .post, "key=nothing&take=A", .badRequest, "counting.unknown-ballot"),
            ]
            for (path, method, body, status, code) in cases {
                let response = try await client.execute(
                    uri: base + path, method: method, headers: method == .get ? Self.bearer : headers, body: ByteBuffer(string: body))
                #expect(response.status == status, "\(path)")
                #expect(Self.errorCode(response) == code, "\(path)")
            }
            let huge = try await client.execute(
                uri: base + "/checkin", method: .post, headers: headers, body: ByteBuffer(string: "deputy=" + String(repeating: "D", count: 300_000)))
            #expect(huge.status == .contentTooLarge)
            #expect(Self.errorCode(huge) == "request.too-large")
            let unknown = try await client.execute(uri: "/console/sessions/S9", method: .get, headers: Self.bearer)
            #expect(unknown.status == .notFound)
            #expect(Self.errorCode(unknown) == "ballot.not-opened")
            let openAgain = try await client.execute(uri: "/console/sessions", method: .post, headers: headers, body: ByteBuffer(string: "list=L9"))
            #expect(openAgain.status.code >= 400)
            // A browser sees the same sentence on the session's page.
            let (cookie, csrf) = try await Self.login(client)
            var browser = Self.form
            browser[.cookie] = cookie
            let page = try await client.execute(
                uri: base + "/checkin", method: .post, headers: browser, body: ByteBuffer(string: "deputy=D999&csrf=\(csrf)"))
            #expect(page.status == .badRequest)
            let html = String(buffer: page.body)
            #expect(html.contains("ballot.not-on-roster"))
            #expect(html.contains("role=\"alert\""))
            #expect(!html.contains("style="))
        }
        #expect(try desk.present() == 0)
    }

    @Test func aWholeSessionRunsFromTheConsole() async throws {
        let desk = try Desk()
        let path = desk.workspace.settings.databasePath
        try await (try desk.app).test(.router) { client in
            var headers = Self.bearer
            headers[.contentType] = "application/x-www-form-urlencoded"
            let base = "/console/sessions/\(desk.session)"
            func post(_ suffix: String, _ body: String = "") async throws -> TestResponse {
                try await client.execute(uri: base + suffix, method: .post, headers: headers, body: ByteBuffer(string: body))
            }
            #expect(try await post("/checkin", "deputy=D001 D002 D003 D004 D005").status == .ok)
            let issued = try await post("/issue")
            #expect(issued.status == .ok)
            let slips = path + ".slips-\(desk.session).txt"
            let attributes = try FileManager.default.attributesOfItem(atPath: slips)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let codes = try CredentialCodes.read(slips: slips)
            #expect(codes.count == 5)
            // The print page: one card per code, each with its QR code and the code in text.
            let (cookie, csrf) = try await Self.login(client)
            let print = try await client.execute(uri: base + "/slips", method: .get, headers: [.cookie: cookie])
            #expect(print.status == .ok)
            let html = String(buffer: print.body)
            #expect(html.components(separatedBy: "<li class=\"slip\">").count - 1 == 5)
            #expect(html.components(separatedBy: "<svg").count - 1 == 5)
            #expect(html.contains("/assets/print.css"))
            let paper = try await client.execute(uri: base + "/paper", method: .get, headers: [.cookie: cookie])
            #expect(String(buffer: paper.body).components(separatedBy: "<article class=\"paper\"").count - 1 == 5)
            // Counted twice, with one difference on the third ballot.
            for counter in ["A", "B"] {
                for (n, code) in codes.enumerated() {
                    let marks = counter == "B" && n == 2 ? "oppose=P1" : "approve=P1&approve=P2"
                    let code = code.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? code
                    #expect(try await post("/count/\(counter)", "code=\(code)&\(marks)").status == .ok)
                }
            }
            let standing = try Self.object(try await client.execute(uri: base + "/reconcile", method: .get, headers: Self.bearer))
            let differences = try #require(standing["differences"] as? [[String: Any]])
            #expect(differences.count == 1)
            let notYet = try await post("/import")
            #expect(notYet.status == .conflict)
            #expect(Self.errorCode(notYet) == "counting.not-reconciled")
            let key = try #require(differences.first?["key"] as? String)
            let encodedKey = key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key
            #expect(try await post("/reconcile", "key=\(encodedKey)&take=A").status == .ok)
            let imported = try await post("/import")
            #expect(imported.status == .ok)
            #expect(try Self.object(imported)["imported"] as? Int == 5)
            #expect(try await post("/close", "returned=5").status == .ok)
            let tally = try await post("/tally")
            #expect(tally.status == .ok)
            #expect(try Self.object(tally)["chosen"] as? [String] == ["P1", "P2"])
            #expect(try await post("/publish").status == .ok)
            let zip = try await client.execute(uri: base + "/bundle.zip", method: .get, headers: Self.bearer)
            #expect(zip.status == .ok)
            #expect(zip.headers[.contentType] == "application/zip")
            #expect(Array(zip.body.readableBytesView.prefix(2)) == [0x50, 0x4B])
            // Printed — destroyed: no page shows a code again.
            var browser = Self.form
            browser[.cookie] = cookie
            let destroyed = try await client.execute(
                uri: base + "/slips/destroy", method: .post, headers: browser, body: ByteBuffer(string: "csrf=\(csrf)"))
            #expect(destroyed.status == .ok)
            #expect(!FileManager.default.fileExists(atPath: slips))
            let gone = try await client.execute(uri: base + "/slips", method: .get, headers: [.cookie: cookie])
            #expect(gone.status == .notFound)
            let session = String(buffer: try await client.execute(uri: base, method: .get, headers: [.cookie: cookie]).body)
            for code in codes { #expect(!session.contains(code)) }
        }
    }

    // MARK: Rating sessions

    /// A decided vote of 2025-01-15 (P1 and P2 chosen) by 5 deputies, the clock at 2026-01-10; the console over it.
    struct RatingDesk: Sendable {
        let workspace: Workspace
        let console: ConsoleService
        /// Keeps the world's directory until the test ends.
        let keep: TemporaryDirectory

        init() throws {
            let world = try ServiceWorld(seed: "console-rating-router", now: "2025-01-15T01:00:00Z")
            try world.decidedVote(seated: 5)
            try world.clock.set("2026-01-10T02:00:00Z")
            workspace = world.workspace
            keep = world.directory
            console = ConsoleService(plenary: try PlenaryService(workspace: world.workspace), token: ConsoleRouterTests.token)
        }

        var app: some ApplicationProtocol { get throws { try ConsoleRouterTests.application(console) } }

        /// The sessions opened so far.
        func sessions() throws -> Int { try console.overview().sessions.count }
    }

    @Test func aRatingSessionIsOpenedOnlyWithTheTokenAndTheCSRFToken() async throws {
        let desk = try RatingDesk()
                try await (try desk.app).test(.router) { client in
            let anonymous = try await client.execute(
                uri: "/console/ratings", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .accept: "application/json"],
                body: ByteBuffer(string: "projects=P1"))
            #expect(anonymous.status == .unauthorized)
            #expect(Self.errorCode(anonymous) == "console.unauthorized")
            let (cookie, csrf) = try await Self.login(client)
            let overview = String(buffer: try await client.execute(uri: "/console", method: .get, headers: [.cookie: cookie]).body)
            #expect(overview.contains("action=\"/console/ratings\""))
            #expect(overview.contains("value=\"P1\"") && overview.contains("value=\"P2\"") && !overview.contains("value=\"P3\""))
            var headers = Self.form
            headers[.cookie] = cookie
            let missing = try await client.execute(uri: "/console/ratings", method: .post, headers: headers, body: ByteBuffer(string: "projects=P1"))
            #expect(missing.status == .forbidden)
            #expect(String(buffer: missing.body).contains("console.csrf-missing"))
            #expect(try desk.sessions() == 1)
            let opened = try await client.execute(
                uri: "/console/ratings", method: .post, headers: headers, body: ByteBuffer(string: "projects=P1&projects=P2&rules=default&csrf=\(csrf)"))
            #expect(opened.status == .seeOther)
            #expect(opened.headers[.location] == "/console/sessions/R1")
            let page = try await client.execute(uri: "/console/sessions/R1", method: .get, headers: [.cookie: cookie])
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("测评会期 R1"))
            #expect(html.contains("action=\"/console/sessions/R1/checkin\""))
            #expect(!html.contains("/count/A"))
            // The refusal of `evaluate open`: a project in an open rating session is not taken again.
            let again = try await client.execute(
                uri: "/console/ratings", method: .post, headers: headers, body: ByteBuffer(string: "projects=P1&csrf=\(csrf)"))
            #expect(again.status == .conflict)
            let refusal = String(buffer: again.body)
            #expect(refusal.contains("evaluate.in-open-session"))
            #expect(refusal.contains("role=\"alert\""))
        }
    }

    @Test func aRatingSessionRunsFromTheConsoleWithTheCommandLinesRefusals() async throws {
        let desk = try RatingDesk()
        let path = desk.workspace.settings.databasePath
        try await (try desk.app).test(.router) { client in
            var headers = Self.bearer
            headers[.contentType] = "application/x-www-form-urlencoded"
            func post(_ uri: String, _ body: String = "") async throws -> TestResponse {
                try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
            }
            let notChosen = try await post("/console/ratings", "projects=P3")
            #expect(notChosen.status == .conflict)
            #expect(Self.errorCode(notChosen) == "evaluate.not-chosen")
            let badYear = try await post("/console/ratings", "year=twenty")
            #expect(badYear.status == .badRequest)
            #expect(Self.errorCode(badYear) == "console.not-a-number")
            let opened = try await post("/console/ratings", "year=2025")
            #expect(try Self.object(opened)["session"] as? String == "R1")
            let base = "/console/sessions/R1"
            let noQuorum = try await post(base + "/issue")
            #expect(noQuorum.status == .conflict)
            #expect(Self.errorCode(noQuorum) == "evaluate.no-quorum")
            let notClosed = try await post(base + "/tally")
            #expect(Self.errorCode(notClosed) == "evaluate.not-closed")
            #expect(Self.errorCode(try await post(base + "/runoff")) == "ballot.wrong-shape")
            #expect(Self.errorCode(try await post(base + "/count/A", "code=ABC")) == "console.rating-session")
            #expect(try await post(base + "/checkin", "deputy=D001 D002 D003 D004 D005").status == .ok)
            #expect(try await post(base + "/issue").status == .ok)
            let codes = try CredentialCodes.read(slips: path + ".slips-R1.txt")
            #expect(codes.count == 5)
            let (cookie, _) = try await Self.login(client)
            let paper = String(buffer: try await client.execute(uri: base + "/paper", method: .get, headers: [.cookie: cookie]).body)
            #expect(paper.components(separatedBy: "<article class=\"paper\"").count - 1 == 5)
            #expect(paper.contains("“满意”“基本满意”“不满意”“弃权”"))
            for code in codes {
                _ = try await desk.console.plenary.castRating(session: "R1", code: code, grades: ["P1": .satisfied, "P2": .basic])
            }
            #expect(try await post(base + "/close").status == .ok)
            let tally = try await post(base + "/tally")
            #expect(tally.status == .ok)
            #expect(try Self.object(tally)["valid"] as? Int == 5)
            #expect(try await post(base + "/publish").status == .ok)
            let page = try await client.execute(uri: base, method: .get, headers: Self.bearer)
            let object = try Self.object(page)
            #expect(object["published"] as? Bool == true)
            #expect((object["tally"] as? [String: Any])?["status"] as? String == "decided")
            let zip = try await client.execute(uri: base + "/bundle.zip", method: .get, headers: Self.bearer)
            #expect(zip.status == .ok)
        }
    }
}
