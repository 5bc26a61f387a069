import Foundation
public import Hummingbird
import Logging
public import PiaojueDomain
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Where a server listens: `HOST:PORT` (`[::1]:PORT` for IPv6). Port 0 picks a free port.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host name or address, without brackets.
    public let host: String
    /// The TCP port (0: any free port).
    public let port: Int

    /// An address from its parts.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// An address read from `HOST:PORT`.
    public init(parsing text: String) throws(WebFailure) {
        guard let colon = text.lastIndex(of: ":") else { throw .badAddress(text) }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(where: { $0 == "[" || $0 == "]" || $0.isWhitespace }),
            portText.allSatisfy(\.isASCII), let port = Int(portText), String(port) == portText, (0...65_535).contains(port)
        else { throw .badAddress(text) }
        self.init(host: host, port: port)
    }

    /// Whether the address is on this machine only: `localhost`, 127.0.0.0/8 or `::1`.
    public var isLoopback: Bool {
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { part in
            part.allSatisfy(\.isASCII) && Int(part).map { (0...255).contains($0) && String($0) == part } == true
        }
    }

    /// `HOST:PORT`, with brackets around an IPv6 host.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A server that cannot start.
public enum WebFailure: ClerkFacingError, Equatable {
    /// The listen address is not `HOST:PORT`.
    case badAddress(String)
    /// A non-loopback address was asked for without the flag that allows it.
    case remoteRefused(address: String, flag: String)
    /// The socket could not be bound or the server failed.
    case cannotServe(address: String, detail: String)

    public var exitStatus: Int32 { 2 }

    public var code: String {
        switch self {
        case .badAddress: "server.bad-address"
        case .remoteRefused: "server.remote-refused"
        case .cannotServe: "server.cannot-serve"
        }
    }

    public var details: ErrorDetails {
        switch self {
        case let .badAddress(address): ["address": .text(address)]
        case let .remoteRefused(address, flag): ["address": .text(address), "flag": .text(flag)]
        case let .cannotServe(address, detail): ["address": .text(address), "detail": .text(detail)]
        }
    }

    public var description: String {
        switch self {
        case let .badAddress(address):
            "监听地址“\(address)”应写成 HOST:PORT，如 127.0.0.1:7380。The listen address \(address) is not HOST:PORT."
        case let .remoteRefused(address, flag):
            "\(address) 不是本机回环地址；确需对外提供服务请加 \(flag)。\(address) is not a loopback address; pass \(flag) to serve it."
        case let .cannotServe(address, detail):
            "无法在 \(address) 提供服务：\(detail)。Cannot serve at \(address): \(detail)."
        }
    }
}

/// The request context of every Piaojue route.
public struct WebRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The CSRF token of the console login session the request came with (set by the console's gate).
    var consoleCSRF: String?
    /// Whether the request carried the console token itself (`Authorization: Bearer`).
    var consoleBearer = false
    /// The urlencoded form of a console request, read by the gate (name → values, in order).
    var consoleForm: [String: [String]] = [:]

    /// A context for one request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// Starting and stopping a server: one Hummingbird application at one address, stopped gracefully
/// (in-flight requests finish) on SIGTERM or SIGINT through swift-service-lifecycle.
public enum WebServer {
    /// Runs the router `routes` fills at `address` until SIGTERM or SIGINT. `onStarted` gets the
    /// address actually bound (the real port when `address.port` is 0).
    public static func run(
        address: ListenAddress, serverName: String, routes: (Router<WebRequestContext>) -> Void,
        onStarted: @escaping @Sendable (ListenAddress) -> Void
    ) async throws(WebFailure) {
        let router = Router(context: WebRequestContext.self)
        routes(router)
        var logger = Logger(label: serverName)
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: serverName),
            onServerRunning: { channel in
                onStarted(ListenAddress(host: address.host, port: channel.localAddress?.port ?? address.port))
            },
            logger: logger)
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            throw .cannotServe(address: address.description, detail: "\(error)")
        }
    }

    /// Runs `operation` to its end from synchronous code (the command line), blocking this thread.
    public static func runBlocking(_ operation: @escaping @Sendable () async throws -> Void) throws {
        final class Outcome: Sendable {
            let result = Mutex<Result<Void, any Error>>(.success(()))
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await operation() } catch { outcome.result.withLock { $0 = .failure(error) } }
            done.signal()
        }
        done.wait()
        try outcome.result.withLock { $0 }.get()
    }
}
