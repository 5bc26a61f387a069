import Dispatch
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import PiaojueDomain
import PiaojueWitness
import Synchronization

/// `POST <prefix>/add-checkpoint` to a witness (C2SP tlog-witness v1.0.0), one request at a time,
/// waiting for the answer: plain HTTP or HTTPS through Foundation's URL loading.
enum WitnessHTTP {
    /// How long one request may take.
    static let timeout: TimeInterval = 30

    /// The add-checkpoint URL of `text`: a submission prefix (`http://host:7380`, as a tlog-policy
    /// names it) or the full URL `witness serve` prints (`…/add-checkpoint`).
    static func endpoint(_ text: String) throws(CosignRefusal) -> URL {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty, components.query == nil,
            components.fragment == nil
        else { throw .badURL(url: text) }
        var adjusted = components
        var path = components.path
        if !path.hasSuffix("/add-checkpoint") {
            while path.hasSuffix("/") { path.removeLast() }
            path += "/add-checkpoint"
        }
        adjusted.path = path
        guard let url = adjusted.url else { throw .badURL(url: text) }
        return url
    }

    /// Sends `body` and returns the answer as a response file would hold it.
    static func post(_ body: String, to url: URL, source: String) throws(CosignRefusal) -> WitnessResponseFile {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("text/plain; charset=utf-8", forHTTPHeaderField: "Content-Type")
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let answer = Answer()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            let value: Result<(status: Int, contentType: String, body: Data), Failure>
            if let data, let http = response as? HTTPURLResponse {
                value = .success((http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", data))
            } else {
                value = .failure(Failure(reason: error?.localizedDescription ?? "不是 HTTP 回复 not an HTTP answer"))
            }
            answer.value.withLock { $0 = value }
            done.signal()
        }
        task.resume()
        done.wait()
        switch answer.value.withLock({ $0 }) ?? .failure(Failure(reason: "没有回复 no answer")) {
        case let .failure(failure):
            throw .unreachable(source: source, reason: failure.reason)
        case let .success((status, contentType, data)):
            guard data.count <= AddCheckpointRequest.maximumBodyBytes, let text = String(data: data, encoding: .utf8) else {
                throw .badResponse(source: source, reason: "回复过长或不是 UTF-8 the answer is too long or not UTF-8")
            }
            return WitnessResponseFile(status: status, contentType: contentType, body: text)
        }
    }

    /// Why a request got no HTTP answer.
    struct Failure: Error, Sendable {
        let reason: String
    }

    /// The answer, set once by the session's delegate queue and read after the semaphore.
    final class Answer: Sendable {
        let value = Mutex<Result<(status: Int, contentType: String, body: Data), Failure>?>(nil)
    }
}
