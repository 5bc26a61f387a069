import Foundation
public import Hummingbird
import NIOCore
import PiaojueDomain
public import PiaojueServices
import ServiceLifecycle

/// The plenary hall's routes: the booth, the big screen, and the JSON API both use.
///
/// Every handler parses, calls ``PlenaryService`` and renders; the rules stay in the domain. No
/// handler logs anything: not a code, not a source address, not an arrival time.
public enum PlenaryRoutes {
    /// The largest request body read; larger ones are answered 413 (a ballot is a few hundred bytes).
    public static let maximumBodyBytes = 16 * 1024
    /// How long a request body may take to arrive before it is answered 408.
    public static let bodySeconds = 10

    /// Adds every plenary route to `router`.
    public static func add(to router: Router<WebRequestContext>, plenary: PlenaryService) {
        router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/booth"]) }
        router.get("/healthz") { _, _ in
            plenary.isHealthy()
                ? Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
                : Response(status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ledger unavailable\n")))
        }
        for asset in PlenaryAssets.all {
            router.get(RouterPath(asset.path)) { _, _ in
                Response(
                    status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "max-age=300"],
                    body: .init(byteBuffer: ByteBuffer(string: asset.text)))
            }
        }

        router.get("/booth") { request, _ in
            page {
                guard let session = try request.uri.queryParameters.get("session") ?? plenary.openSession() else {
                    return PlenaryPages.waiting(kind: .booth)
                }
                return PlenaryPages.booth(try plenary.ballot(session: session))
            }
        }
        router.get("/screen") { request, _ in
            page {
                guard let session = try request.uri.queryParameters.get("session") ?? plenary.latestSession() else {
                    return PlenaryPages.waiting(kind: .screen)
                }
                let ballot = try plenary.ballot(session: session)
                if let announcement = try plenary.announcement(session: session) {
                    return PlenaryPages.announcement(announcement, ballot: ballot)
                }
                return PlenaryPages.screen(ballot, status: try plenary.status(session: session))
            }
        }

        router.get("/api/v1/booth") { _, _ in
            api(typed: []) {
                guard let session = try plenary.openSession() else { throw RequestFailure.noOpenSession }
                return try json(plenary.ballot(session: session))
            }
        }
        router.get("/api/v1/sessions/:id") { _, context in
            api(typed: []) { try json(plenary.status(session: try context.parameters.require("id"))) }
        }
        router.get("/api/v1/sessions/:id/events") { request, context in
            api(typed: []) {
                try events(
                    session: try context.parameters.require("id"), plenary: plenary, once: request.uri.queryParameters.get("once") == "1")
            }
        }
        router.post("/api/v1/ballots") { request, _ in
            var typed: [String] = []
            return await api(typed: typed) {
                let body = try await readJSON(request, as: BallotBody.self)
                typed = body.typed
                guard let session = body.session else { throw RequestFailure.missingField(field: "session") }
                guard let code = body.credential, !code.trimmingSpaces().isEmpty else { throw RequestFailure.noCredential }
                let output = try await plenary.castVote(
                    session: session, code: code.trimmingSpaces(), approve: body.approve ?? [], oppose: body.oppose ?? [],
                    abstain: body.abstain ?? [])
                return try json(output)
            }
        }
        router.post("/api/v1/ratings") { request, _ in
            var typed: [String] = []
            return await api(typed: typed) {
                let body = try await readJSON(request, as: RatingBody.self)
                typed = body.typed
                guard let session = body.session else { throw RequestFailure.missingField(field: "session") }
                guard let code = body.credential, !code.trimmingSpaces().isEmpty else { throw RequestFailure.noCredential }
                var grades: [String: Mark] = [:]
                for (project, word) in body.rate ?? [:] {
                    guard let mark = Mark(word: word), SessionShape.rating.marks.contains(mark) else {
                        throw RequestFailure.badGrade(project: project, grade: word)
                    }
                    grades[project] = mark
                }
                return try json(try await plenary.castRating(session: session, code: code.trimmingSpaces(), grades: grades))
            }
        }
        router.post("/api/v1/qr") { request, _ in
            await api(typed: []) {
                let text = String(decoding: try await readBody(request, limit: 4_096), as: UTF8.self)
                guard let svg = PlenaryService.qrCode(text, label: "回执证明二维码 Receipt proof QR code") else {
                    throw RequestFailure.tooLarge(limit: 2_953)
                }
                return Response(
                    status: .ok, headers: [.contentType: "image/svg+xml", .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(string: svg)))
            }
        }
    }

    // MARK: Bodies

    struct BallotBody: Decodable {
        let session: String?
        let credential: String?
        let approve: [String]?
        let oppose: [String]?
        let abstain: [String]?

        var typed: [String] { [credential, session].compactMap { $0 } + (approve ?? []) + (oppose ?? []) + (abstain ?? []) }
    }

    struct RatingBody: Decodable {
        let session: String?
        let credential: String?
        let rate: [String: String]?

        var typed: [String] { [credential, session].compactMap { $0 } + (rate ?? [:]).flatMap { [$0.key, $0.value] } }
    }

    /// The body, at most `limit` bytes, arrived within ``bodySeconds``.
    static func readBody(_ request: Request, limit: Int) async throws -> [UInt8] {
        let body = request.body
        let buffer = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                do { return try await body.collect(upTo: limit) } catch is NIOTooManyBytesError { throw RequestFailure.tooLarge(limit: limit) }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(bodySeconds))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else { throw RequestFailure.tooSlow(seconds: bodySeconds) }
            return buffer
        }
        return Array(buffer.readableBytesView)
    }

    /// The body decoded from JSON as `T`; sent as `application/json`.
    static func readJSON<T: Decodable>(_ request: Request, as type: T.Type) async throws -> T {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("application/json") else { throw RequestFailure.contentType(found: contentType) }
        let bytes = try await readBody(request, limit: maximumBodyBytes)
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let DecodingError.typeMismatch(expected, context) where !context.codingPath.isEmpty {
            throw RequestFailure.badField(field: fieldName(context.codingPath), expected: expectedName(expected))
        } catch let DecodingError.valueNotFound(expected, context) where !context.codingPath.isEmpty {
            throw RequestFailure.badField(field: fieldName(context.codingPath), expected: expectedName(expected))
        } catch {
            throw RequestFailure.notJSON
        }
    }

    static func fieldName(_ path: [any CodingKey]) -> String {
        path.map(\.stringValue).joined(separator: ".")
    }

    static func expectedName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "文本 a string"
        case is [String].Type: "文本数组 an array of strings"
        case is [String: String].Type: "对象 an object of strings"
        default: "正确的类型 of another type"
        }
    }

    // MARK: Answers

    /// A JSON answer: the named output, as `--json` prints it.
    static func json(_ value: some Encodable) throws -> Response {
        let data = try JSONRendering.encode(value)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Runs an API handler; every failure becomes `{"error": {"code", "message", …}}` with its status.
    static func api(typed: @autoclosure () -> [String], _ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            return errorResponse(error, typed: typed())
        }
    }

    static func api(typed: [String], _ body: () throws -> Response) -> Response {
        do {
            return try body()
        } catch {
            return errorResponse(error, typed: typed)
        }
    }

    /// A page; a failure becomes an error page with the same sentence and status as the API's.
    static func page(_ body: () throws -> String) -> Response {
        do {
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: try body())))
        } catch {
            let (status, output) = classify(error, typed: [])
            return Response(
                status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: PlenaryPages.error(output.message))))
        }
    }

    static func errorResponse(_ error: any Error, typed: [String]) -> Response {
        let (status, output) = classify(error, typed: typed)
        let data = (try? JSONRendering.encode(output))
            ?? Data("{\"error\":{\"code\":\"server.internal\",\"message\":\"cannot encode the error\"}}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The HTTP status and error object of a failure: bad input 400 (413, 408, 415 for the body
    /// itself), an unknown session or page 404, a rule refusal 409, a stopping server or a busy
    /// ledger 503, anything else 500.
    static func classify(_ error: any Error, typed: [String]) -> (HTTPResponse.Status, ErrorOutput) {
        guard let failure = error as? any ClerkFacingError else {
            let output = ErrorOutput(code: "server.internal", message: Secrets.scrubbed("服务器内部错误。Internal error: \(error)", typed: typed), exitStatus: 1)
            return (.internalServerError, output)
        }
        let output = ErrorOutput(scrubbing: failure, typed: typed)
        let status: HTTPResponse.Status
        switch failure {
        case RequestFailure.tooLarge: status = .contentTooLarge
        case RequestFailure.tooSlow: status = .requestTimeout
        case RequestFailure.contentType: status = .unsupportedMediaType
        case RequestFailure.noOpenSession: status = .notFound
        case is ServerRefusal: status = .serviceUnavailable
        default:
            if failure.code.hasSuffix(".not-opened") {
                status = .notFound
            } else if failure.code.hasPrefix("ledger.") {
                status = .serviceUnavailable
            } else {
                status = failure.exitStatus == 2 ? .badRequest : .conflict
            }
        }
        return (status, output)
    }

    // MARK: The big screen's events

    /// Server-sent events of one session's standing: one `status` event at once, another whenever
    /// it changes (after each commit of this server's writer, and at least every two seconds for
    /// what other processes record), a comment every fifteen seconds to keep the connection open.
    /// Ends on graceful shutdown, and after an hour (the browser reconnects by itself); with
    /// `once`, after the first event (for scripts and tests).
    static func events(session: String, plenary: PlenaryService, once: Bool = false) throws -> Response {
        let first = try JSONRendering.encode(plenary.status(session: session))
        let body = ResponseBody { writer in
            if once {
                try await writer.write(ByteBuffer(string: event(first)))
                try await writer.finish(nil)
                return
            }
            var last = first
            var seen = plenary.changeCount
            let clock = ContinuousClock()
            var lastRead = clock.now
            var lastWrite = clock.now
            let end = clock.now.advanced(by: .seconds(3_600))
            try await writer.write(ByteBuffer(string: "retry: 2000\n" + event(first)))
            while !Task.isCancelled, !Task.isShuttingDownGracefully, clock.now < end {
                try await Task.sleep(for: .milliseconds(250))
                let count = plenary.changeCount
                if count != seen || clock.now - lastRead >= .seconds(2) {
                    seen = count
                    lastRead = clock.now
                    if let data = try? JSONRendering.encode(plenary.status(session: session)), data != last {
                        last = data
                        lastWrite = clock.now
                        try await writer.write(ByteBuffer(string: event(data)))
                        continue
                    }
                }
                if clock.now - lastWrite >= .seconds(15) {
                    lastWrite = clock.now
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"], body: body)
    }

    static func event(_ data: Data) -> String { "event: status\ndata: \(String(decoding: data, as: UTF8.self))\n\n" }
}
