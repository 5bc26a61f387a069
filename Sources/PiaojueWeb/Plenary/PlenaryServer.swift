import Foundation
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HTTPTypes
import Logging
import NIOCore
import NIOSSL
public import PiaojueServices
import ServiceLifecycle
import UnixSignals

/// `piaojue serve`: the booth, the big screen and the API over one ledger, until SIGTERM.
public enum PlenaryServer {
    /// The default address: loopback only.
    public static let defaultAddress = ListenAddress(host: "127.0.0.1", port: 8080)
    /// How long a connection may sit without a request before it is closed (a client that opens a
    /// connection and sends nothing, or sends its headers slowly, holds nothing for longer).
    public static let idleSeconds: Int64 = 30

    /// How the server is reached: plain HTTP (loopback only) or HTTPS with a certificate and key.
    public enum Transport: Sendable {
        case plain
        case tls(certificatePath: String, keyPath: String)
    }

    /// The router: the plenary routes, and the clerk's console when given, behind the security headers.
    public static func router(plenary: PlenaryService, console: ConsoleService? = nil, secure: Bool) -> Router<WebRequestContext> {
        let router = Router(context: WebRequestContext.self)
        router.add(middleware: SecurityHeaders(secure: secure))
        PlenaryRoutes.add(to: router, plenary: plenary)
        if let console { ConsoleRoutes.add(to: router, console: console, secure: secure) }
        return router
    }

    /// The application: the router on `transport` at `address`, the casting writer registered before
    /// the server, so that on SIGTERM the server stops taking requests first, the requests in flight
    /// get their answers, and then the writer commits what it holds and closes.
    public static func application(
        plenary: PlenaryService, console: ConsoleService? = nil, address: ListenAddress, transport: Transport,
        onStarted: @escaping @Sendable (ListenAddress) -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let http = HTTPServerBuilder.http1(configuration: .init(idleTimeout: .seconds(idleSeconds)))
        let server: HTTPServerBuilder
        switch transport {
        case .plain:
            server = http
        case let .tls(certificatePath, keyPath):
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
                let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
                var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
                tls.minimumTLSVersion = .tlsv12
                server = try .tls(http, tlsConfiguration: tls)
            } catch {
                throw ServeFailure.badTLS(detail: "\(error)")
            }
        }
        var logger = Logger(label: "piaojue-serve")
        // Hummingbird's request logger is not installed; at this level only server failures are
        // logged, and none of those lines holds a code, a source address or an arrival time.
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        let secure: Bool
        if case .tls = transport { secure = true } else { secure = false }
        return Application(
            router: router(plenary: plenary, console: console, secure: secure), server: server,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "piaojue"),
            services: [CastingWriter(plenary: plenary)],
            onServerRunning: { channel in
                onStarted(ListenAddress(host: address.host, port: channel.localAddress?.port ?? address.port))
            },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, blocking. A non-loopback address is refused without TLS.
    public static func serve(
        plenary: PlenaryService, console: ConsoleService? = nil, address: ListenAddress, transport: Transport,
        onStarted: @escaping @Sendable (ListenAddress) -> Void
    ) throws {
        if case .plain = transport, !address.isLoopback { throw ServeFailure.needsTLS(address: address.description) }
        let app = try application(plenary: plenary, console: console, address: address, transport: transport, onStarted: onStarted)
        try WebServer.runBlocking {
            do {
                try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
            } catch {
                throw WebFailure.cannotServe(address: address.description, detail: "\(error)")
            }
        }
    }
}

/// The casting writer as a lifecycle service: runs until graceful shutdown, then lets the writer
/// commit every group it holds before the process ends.
struct CastingWriter: Service {
    let plenary: PlenaryService

    func run() async throws {
        try? await gracefulShutdown()
        await plenary.finish()
    }
}

/// Headers on every answer: a strict Content-Security-Policy (scripts, styles and images from this
/// server only, no inline script or style, no frames, no form posts elsewhere), no MIME sniffing,
/// no referrer, no caching of pages and answers; HSTS under TLS.
struct SecurityHeaders<Context: RequestContext>: RouterMiddleware {
    let secure: Bool

    static var policy: String {
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let fields: [(String, String)] = [
            ("Content-Security-Policy", Self.policy), ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
            ("X-Frame-Options", "DENY"), ("Cross-Origin-Opener-Policy", "same-origin"), ("Cross-Origin-Resource-Policy", "same-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ] + (secure ? [("Strict-Transport-Security", "max-age=31536000")] : [])
        for (name, value) in fields {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        return response
    }
}
