public import Hummingbird
public import PiaojueServices

/// The witness's routes: C2SP tlog-witness v1.0.0 `POST <prefix>/add-checkpoint`.
///
/// Plain HTTP is the norm for witnesses: requests carry no secret and everything they carry or
/// answer is signed, so TLS adds no integrity; serving beyond loopback is allowed with
/// `--allow-remote` (or behind a TLS-terminating proxy or a C2SP https-bastion).
public enum WitnessRoutes {
    /// The largest request body read; larger ones get 413 (a checkpoint request is a few hundred bytes).
    public static let maximumBodyBytes = 64 * 1024

    /// Adds the witness routes to `router` under `prefix` (the submission prefix; empty for the root).
    public static func add(to router: Router<WebRequestContext>, endpoint: WitnessEndpoint, prefix: String = "") {
        router.post(RouterPath(prefix + "/add-checkpoint")) { request, _ -> Response in
            // Collecting more than the limit throws NIOTooManyBytesError, which Hummingbird answers 413.
            let buffer = try await request.body.collect(upTo: maximumBodyBytes)
            let reply = await endpoint.addCheckpoint(Array(buffer.readableBytesView))
            return Response(
                status: HTTPResponse.Status(code: reply.status),
                headers: [.contentType: reply.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body)))
        }
    }

    /// A router holding only the witness routes.
    public static func router(endpoint: WitnessEndpoint) -> Router<WebRequestContext> {
        let router = Router(context: WebRequestContext.self)
        add(to: router, endpoint: endpoint)
        return router
    }
}

/// `witness serve`: the witness routes at one address until SIGTERM or SIGINT.
public enum WitnessServer {
    /// The default address: loopback, the port litewitness also uses.
    public static let defaultAddress = ListenAddress(host: "127.0.0.1", port: 7380)

    /// Serves `endpoint` at `address`, blocking until stopped. A non-loopback address is refused
    /// unless `allowRemote`.
    public static func serve(
        endpoint: WitnessEndpoint, address: ListenAddress, allowRemote: Bool,
        onStarted: @escaping @Sendable (ListenAddress) -> Void
    ) throws {
        guard address.isLoopback || allowRemote else {
            throw WebFailure.remoteRefused(address: address.description, flag: "--allow-remote")
        }
        try WebServer.runBlocking {
            try await WebServer.run(
                address: address, serverName: "piaojue-witness",
                routes: { WitnessRoutes.add(to: $0, endpoint: endpoint) }, onStarted: onStarted)
        }
    }
}
