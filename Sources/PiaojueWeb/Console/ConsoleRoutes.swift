import Foundation
public import Hummingbird
import HTTPTypes
import NIOCore
import PiaojueDomain
public import PiaojueServices

/// The clerk's console under `/console`: a token login (cookie) or `Authorization: Bearer TOKEN`,
/// a CSRF token on every state-changing request of a login session, and the session's steps in
/// pipeline order. Every handler parses, calls ``ConsoleService`` and renders: a page, or for a
/// bearer request (or `Accept: application/json`) the named output as JSON. Every refusal shows
/// the sentence the command line prints, with its code.
public enum ConsoleRoutes {
    /// The login session's cookie.
    static let cookieName = "piaojue-console"
    /// The largest console request body read (a form; a check-in of a whole roster fits).
    static let maximumFormBytes = 256 * 1024

    /// Adds the console's routes to `router`; `secure`: the server runs TLS (the cookie is `Secure`).
    public static func add(to router: Router<WebRequestContext>, console: ConsoleService, secure: Bool) {
        for asset in ConsoleAssets.all {
            router.get(RouterPath(asset.path)) { _, _ in
                Response(
                    status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "max-age=300"],
                    body: .init(byteBuffer: ByteBuffer(string: asset.text)))
            }
        }
        router.get("/console/login") { _, _ in html(ConsolePages.login(error: nil)) }
        router.post("/console/login") { request, context in
            let form: [String: [String]]
            do { form = try await readForm(request) } catch { return failure(error, request, context) { ConsolePages.login(error: $0) } }
            let token = form["token"]?.first?.trimmingSpaces() ?? ""
            do {
                let login = try console.access.login(token: token)
                var cookie = "\(cookieName)=\(login.session); Path=/console; HttpOnly; SameSite=Strict"
                if secure { cookie += "; Secure" }
                var headers: HTTPFields = [.location: "/console", .cacheControl: "no-store"]
                headers[.setCookie] = cookie
                return Response(status: .seeOther, headers: headers)
            } catch {
                let (_, output) = PlenaryRoutes.classify(error, typed: [token])
                return html(ConsolePages.login(error: output), status: .unauthorized)
            }
        }

        let group = router.group("/console").add(middleware: ConsoleGate(access: console.access))
        group.get("") { request, context in
            respond(request, context) { Answer(try console.overview()) { ConsolePages.overview($0, csrf: context.consoleCSRF) } }
        }
        group.post("/logout") { request, context in
            if let session = request.cookies[cookieName]?.value { console.access.logout(session: session) }
            var headers: HTTPFields = [.location: "/console/login", .cacheControl: "no-store"]
            headers[.setCookie] = "\(cookieName)=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict"
            return Response(status: .seeOther, headers: headers)
        }
        group.post("/sessions") { request, context in
            let form = context.consoleForm
            return respond(request, context) {
                let scrutineers = (form["scrutineers"]?.first ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingSpaces() }
                    .filter { !$0.isEmpty }
                let opened = try console.open(
                    list: form["list"]?.first ?? "", rules: form["rules"]?.first.flatMap { $0.isEmpty ? nil : $0 }, scrutineers: scrutineers)
                return Answer(opened, redirect: "/console/sessions/\(opened.session)")
            } failed: { output in
                ConsolePages.overview(try console.overview(), csrf: context.consoleCSRF, error: output)
            }
        }
        group.post("/ratings") { request, context in
            let form = context.consoleForm
            return respond(request, context) {
                let year = try yearField(form["year"]?.first)
                let projects = (form["projects"] ?? []).flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "，" || $0.isNewline }) }
                    .map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
                let opened = try console.openRating(
                    year: year, projects: projects, rules: form["rules"]?.first.flatMap { $0.isEmpty ? nil : $0 })
                return Answer(opened, redirect: "/console/sessions/\(opened.session)")
            } failed: { output in
                ConsolePages.overview(try console.overview(), csrf: context.consoleCSRF, error: output)
            }
        }
        group.get("/sessions/:id") { request, context in
            let id = try context.parameters.require("id")
            let query = request.uri.queryParameters.get("q")
            return respond(request, context) {
                if try console.shape(id) == .rating {
                    return Answer(try console.rating(id, query: query)) { ConsolePages.rating($0, csrf: context.consoleCSRF) }
                }
                return Answer(try console.session(id, query: query)) { ConsolePages.session($0, csrf: context.consoleCSRF) }
            }
        }
        sessionAction(group, "checkin", console) { id, form in
            let ids = (form["deputy"] ?? []).flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "，" || $0.isNewline }) }
                .map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
            let result = try console.checkin(session: id, deputies: ids, delegation: form["delegation"]?.first)
            return (result, "签到 \(result.added) 人；出席 \(result.present) / 实有 \(result.seated)。Checked in \(result.added).")
        }
        sessionAction(group, "issue", console) { id, _ in
            let result = try console.issue(session: id)
            let notice = result.slips.isEmpty
                ? "从密封凭证中再发出 \(result.count) 张，累计发出 \(result.issued) 张。Handed out \(result.count) sealed slips."
                : "印制凭证 \(result.printed) 张，发给出席代表 \(result.count) 张，密封 \(result.sealed) 张；请打开打印页。Printed \(result.printed) credentials: open the print page."
            return (result, notice)
        }
        sessionAction(group, "slips/destroy", console) { id, _ in
            try console.destroySlips(session: id)
            return (["destroyed": true], "凭证文件已销毁，不再显示任何凭证码。The slips file is destroyed.")
        }
        sessionAction(group, "close", console) { id, form in
            let text = form["returned"]?.first?.trimmingSpaces() ?? ""
            var returned: Int?
            if !text.isEmpty {
                guard let number = Int(text), number >= 0 else { throw ConsoleRefusal.notANumber(field: "收回选票数 returned", value: text) }
                returned = number
            }
            let result = try console.close(session: id, returned: returned)
            return (result, "投票已结束：发出 \(result.issued)，收回 \(result.returned)，记录 \(result.recorded)。Closed.")
        }
        sessionAction(group, "tally", console) { id, _ in
            if try console.shape(id) == .rating {
                let result = try console.ratingTally(session: id)
                return (result, "计票完成：\(ConsolePages.ratingWord(result.status))。Tallied.")
            }
            let result = try console.tally(session: id)
            return (result, "计票完成：\(ConsolePages.tallyWord(result.status))。Tallied.")
        }
        sessionAction(group, "runoff", console) { id, _ in
            let result = try console.runoff(session: id)
            return (result, "已开启另行投票会期 \(result.session)。Runoff session \(result.session) opened.")
        }
        sessionAction(group, "publish", console) { id, _ in
            let result = try console.publish(session: id)
            return (result, "审计包已发布（检查点 \(result.size)），可下载 .zip。Published.")
        }
        sessionAction(group, "import", console) { id, _ in
            let result = try console.importCounted(session: id)
            return (result, "已导入纸质选票 \(result.imported) 张（其中废票 \(result.void) 张），录入文件已删除。Imported \(result.imported) paper ballots.")
        }
        group.get("/sessions/:id/bundle.zip") { request, context in
            let id = try context.parameters.require("id")
            do {
                let zip = try console.bundleZip(session: id)
                return Response(
                    status: .ok,
                    headers: [.contentType: "application/zip", .contentDisposition: "attachment; filename=\"\(zip.name)\"", .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(bytes: zip.bytes)))
            } catch {
                return failure(error, request, context) { ConsolePages.error($0) }
            }
        }
        group.get("/sessions/:id/slips") { request, context in
            let id = try context.parameters.require("id")
            return respond(request, context) {
                let slips = try console.slips(session: id)
                return Answer(["session": slips.session, "codes": "\(slips.codes.count)"]) { _ in ConsolePages.slips(slips, csrf: context.consoleCSRF) }
            }
        }
        group.get("/sessions/:id/paper") { request, context in
            let id = try context.parameters.require("id")
            return respond(request, context) {
                let slips = try console.slips(session: id)
                return Answer(["session": slips.session, "codes": "\(slips.codes.count)"]) { _ in ConsolePages.paperBallots(slips) }
            }
        }
        group.get("/sessions/:id/count/:counter") { request, context in
            let id = try context.parameters.require("id")
            return respond(request, context) {
                let counter = try counterNamed(try context.parameters.require("counter"))
                return Answer(try console.counting(session: id)) { ConsolePages.count($0, counter: counter, csrf: context.consoleCSRF) }
            }
        }
        group.post("/sessions/:id/count/:counter") { request, context in
            let id = try context.parameters.require("id")
            let form = context.consoleForm
            let code = form["code"]?.first ?? ""
            var counter = DoubleEntry.Counter.a
            return respond(request, context, typed: [code]) {
                counter = try counterNamed(try context.parameters.require("counter"))
                let result = try console.enter(
                    session: id, counter: counter, code: code, marks: marks(form), replacing: form["replace"]?.first == "1")
                return Answer(result) {
                    ConsolePages.count($0, counter: counter, csrf: context.consoleCSRF, notice: "已录入第 \(counter == .a ? $0.a : $0.b) 张。Entered.")
                }
            } failed: { output in
                ConsolePages.count(try console.counting(session: id), counter: counter, csrf: context.consoleCSRF, error: output)
            }
        }
        group.get("/sessions/:id/reconcile") { request, context in
            let id = try context.parameters.require("id")
            return respond(request, context) {
                Answer(try console.counting(session: id)) { ConsolePages.reconcile($0, csrf: context.consoleCSRF) }
            }
        }
        group.post("/sessions/:id/reconcile") { request, context in
            let id = try context.parameters.require("id")
            let form = context.consoleForm
            return respond(request, context) {
                let key = form["key"]?.first ?? ""
                let settlement: DoubleEntry.Settlement
                switch form["take"]?.first ?? "" {
                case "A": settlement = .takeA
                case "B": settlement = .takeB
                default: settlement = .reading(PaperReading(code: "", marks: marks(form)))
                }
                let result = try console.settle(session: id, key: key, with: settlement)
                return Answer(result) { ConsolePages.reconcile($0, csrf: context.consoleCSRF, notice: "已核定。Settled.") }
            } failed: { output in
                ConsolePages.reconcile(try console.counting(session: id), csrf: context.consoleCSRF, error: output)
            }
        }
    }

    /// A POST on a session that changes it: `perform` parses and calls the service; the answer is
    /// the session's page with a notice (or the refusal), or the output as JSON.
    static func sessionAction(
        _ group: RouterGroup<WebRequestContext>, _ path: String, _ console: ConsoleService,
        _ perform: @escaping @Sendable (String, [String: [String]]) throws -> (any Encodable & Sendable, String)
    ) {
        group.post(RouterPath("/sessions/:id/" + path)) { request, context in
            let id = try context.parameters.require("id")
            let form = context.consoleForm
            return respond(request, context, typed: form["code"] ?? []) {
                let (value, notice) = try perform(id, form)
                return Answer(json: value, page: { try sessionPage(console, id, csrf: context.consoleCSRF, notice: notice) })
            } failed: { output in
                try sessionPage(console, id, csrf: context.consoleCSRF, error: output)
            }
        }
    }

    /// A session's page, vote or rating, with a notice or a refusal.
    static func sessionPage(_ console: ConsoleService, _ id: String, csrf: String?, notice: String? = nil, error: ErrorOutput? = nil) throws -> String {
        if try console.shape(id) == .rating {
            return ConsolePages.rating(try console.rating(id), csrf: csrf, notice: notice, error: error)
        }
        return ConsolePages.session(try console.session(id), csrf: csrf, notice: notice, error: error)
    }

    /// The `year` field of the rating form: empty for none, else a four-digit year.
    static func yearField(_ text: String?) throws -> Int? {
        let text = text?.trimmingSpaces() ?? ""
        guard !text.isEmpty else { return nil }
        guard let year = Int(text), (1000...9999).contains(year) else { throw ConsoleRefusal.notANumber(field: "测评年度 year", value: text) }
        return year
    }

    /// The marks of a counting or settling form: `approve`, `oppose`, `abstain`, each the ids ticked.
    static func marks(_ form: [String: [String]]) -> [Mark: [String]] {
        var marks: [Mark: [String]] = [:]
        for mark in SessionShape.vote.marks {
            let ids = (form[mark.rawValue] ?? []).map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
            if !ids.isEmpty { marks[mark] = ids }
        }
        return marks
    }

    static func counterNamed(_ text: String) throws -> DoubleEntry.Counter {
        guard let counter = DoubleEntry.Counter(rawValue: text.uppercased()) else { throw CountingRefusal.unknownCounter(counter: text) }
        return counter
    }

    // MARK: Answers

    /// What a handler produced: the output for JSON, and the page (or a redirect) for a browser.
    struct Answer {
        let json: any Encodable & Sendable
        let page: (() throws -> String)?
        let redirect: String?

        init<T: Encodable & Sendable>(_ value: T, page: @escaping (T) throws -> String) {
            json = value
            self.page = { try page(value) }
            redirect = nil
        }

        init(json: any Encodable & Sendable, page: @escaping () throws -> String) {
            self.json = json
            self.page = page
            redirect = nil
        }

        init(_ value: any Encodable & Sendable, redirect: String) {
            json = value
            page = nil
            self.redirect = redirect
        }
    }

    /// Whether the request wants JSON: a bearer request, or one that accepts `application/json`.
    static func wantsJSON(_ request: Request, _ context: WebRequestContext) -> Bool {
        context.consoleBearer || (request.headers[.accept] ?? "").contains("application/json")
    }

    static func respond(
        _ request: Request, _ context: WebRequestContext, typed: [String] = [], _ body: () throws -> Answer,
        failed: ((ErrorOutput) throws -> String)? = nil
    ) -> Response {
        do {
            let answer = try body()
            if wantsJSON(request, context) { return try PlenaryRoutes.json(answer.json) }
            if let redirect = answer.redirect { return Response(status: .seeOther, headers: [.location: redirect, .cacheControl: "no-store"]) }
            return html(try answer.page?() ?? "")
        } catch {
            return failure(error, request, context, typed: typed) { output in
                if let failed, let page = try? failed(output) { return page }
                return ConsolePages.error(output)
            }
        }
    }

    static func failure(
        _ error: any Error, _ request: Request, _ context: WebRequestContext, typed: [String] = [], page: (ErrorOutput) -> String
    ) -> Response {
        let (status, output) = classify(error, typed: typed)
        if wantsJSON(request, context) {
            var response = PlenaryRoutes.errorResponse(error, typed: typed)
            response.status = status
            return response
        }
        return html(page(output), status: status)
    }

    /// The plenary API's statuses, and 401 / 403 for the console's own refusals.
    static func classify(_ error: any Error, typed: [String]) -> (HTTPResponse.Status, ErrorOutput) {
        let (status, output) = PlenaryRoutes.classify(error, typed: typed)
        switch error {
        case ConsoleRefusal.unauthorized, ConsoleRefusal.wrongToken: return (.unauthorized, output)
        case ConsoleRefusal.csrfMissing, ConsoleRefusal.csrfWrong: return (.forbidden, output)
        case ConsoleRefusal.noSlips, ConsoleRefusal.notPublished: return (.notFound, output)
        default: return (status, output)
        }
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Reads an urlencoded form body: at most ``maximumFormBytes`` (else `413 request.too-large`),
    /// arrived within the plenary API's time limit (else `408 request.too-slow`).
    static func readForm(_ request: Request) async throws -> [String: [String]] {
        parseForm(String(decoding: try await PlenaryRoutes.readBody(request, limit: maximumFormBytes), as: UTF8.self))
    }

    /// `a=1&b=2&b=3` → `["a": ["1"], "b": ["2", "3"]]` (`+` is a space, `%XX` decoded).
    static func parseForm(_ text: String) -> [String: [String]] {
        var form: [String: [String]] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            guard !name.isEmpty else { continue }
            form[name, default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
        return form
    }
}

/// The console's gate: every route behind it needs the console token — as a bearer token, or a
/// login session's cookie. A state-changing request (anything but GET and HEAD) of a login
/// session must carry that session's CSRF token, in the form field `csrf` or the header
/// `X-CSRF-Token`; bearer requests need none (no browser sends a bearer token by itself). Without
/// a token: 401, or the login page for a browser's GET.
struct ConsoleGate: RouterMiddleware {
    typealias Context = WebRequestContext
    let access: ConsoleAccess
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let changes = request.method != .get && request.method != .head
        do {
            if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
                guard access.accepts(token: String(authorization.dropFirst(7)).trimmingSpaces()) else { throw ConsoleRefusal.wrongToken }
                context.consoleBearer = true
            } else if let session = request.cookies[ConsoleRoutes.cookieName]?.value, let csrf = access.csrf(session: session) {
                context.consoleCSRF = csrf
            } else {
                if !changes, !(request.headers[.accept] ?? "").contains("application/json") {
                    return Response(status: .seeOther, headers: [.location: "/console/login", .cacheControl: "no-store"])
                }
                throw ConsoleRefusal.unauthorized
            }
            if changes {
                let contentType = (request.headers[.contentType] ?? "").lowercased()
                if contentType.hasPrefix("application/x-www-form-urlencoded") {
                    context.consoleForm = try await ConsoleRoutes.readForm(request)
                }
                if let expected = context.consoleCSRF {
                    guard let sent = Self.csrfHeader.flatMap({ request.headers[$0] }) ?? context.consoleForm["csrf"]?.first, !sent.isEmpty else {
                        throw ConsoleRefusal.csrfMissing
                    }
                    guard ConsoleAccess.sameSecret(sent, expected) else { throw ConsoleRefusal.csrfWrong }
                }
            }
        } catch {
            return ConsoleRoutes.failure(error, request, context) { ConsolePages.error($0) }
        }
        return try await next(request, context)
    }
}
