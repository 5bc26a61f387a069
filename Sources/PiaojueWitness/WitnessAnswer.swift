public import PiaojueCrypto

/// What the witness answers one `add-checkpoint` request: the HTTP status, content type and body
/// of tlog-witness v1.0.0, the same on the network and in an offline response file.
public enum WitnessAnswer: Sendable, Equatable {
    /// 200: the cosignature line(s) of the witness over the checkpoint.
    case cosigned([SignedNote.Signature])
    /// 4xx: why it did not cosign.
    case refused(WitnessRefusal)

    /// The `Content-Type` of a 409 body (tlog-witness v1.0.0).
    public static let sizeContentType = "text/x.tlog.size"
    /// The `Content-Type` of every other body.
    public static let textContentType = "text/plain; charset=utf-8"

    /// The HTTP status code.
    public var status: Int {
        switch self {
        case .cosigned: 200
        case let .refused(refusal): refusal.httpStatus
        }
    }

    /// The content type of ``body``.
    public var contentType: String {
        if case let .refused(refusal) = self, refusal.latestSize != nil { return Self.sizeContentType }
        return Self.textContentType
    }

    /// The body: the signature lines (200), the latest size and a newline (409), else one sentence.
    public var body: String {
        switch self {
        case let .cosigned(lines): lines.map { $0.line + "\n" }.joined()
        case let .refused(refusal):
            if let size = refusal.latestSize { "\(size)\n" } else { refusal.description + "\n" }
        }
    }

    /// The offline response file: `status N`, `content-type T`, an empty line, then ``body``.
    public var responseFile: String {
        WitnessResponseFile(status: status, contentType: contentType, body: body).text
    }
}

/// The file `witness cosign` writes: the HTTP answer as text, so that a log can read a witness's
/// answer carried on a USB stick exactly as it would read it from the network.
///
///     status 200
///     content-type text/plain; charset=utf-8
///
///     — county.example/witness AAAA…
public struct WitnessResponseFile: Sendable, Equatable {
    /// The HTTP status.
    public let status: Int
    /// The content type of the body.
    public let contentType: String
    /// The body, byte for byte as the HTTP answer carries it.
    public let body: String

    /// A response from its parts.
    public init(status: Int, contentType: String, body: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// The file's text.
    public var text: String { "status \(status)\ncontent-type \(contentType)\n\n\(body)" }

    /// A response file read back; nil when it does not have that shape.
    public init?(parsing text: String) {
        let parts = text.split(separator: "\n", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[2].isEmpty, parts[0].hasPrefix("status "), parts[1].hasPrefix("content-type "),
            let status = Int(parts[0].dropFirst(7)), (100...599).contains(status)
        else { return nil }
        self.init(status: status, contentType: String(parts[1].dropFirst(13)), body: String(parts[3]))
    }

    /// For a 200 answer, its signature lines; nil for any other answer or a line that does not parse.
    public var cosignatures: [SignedNote.Signature]? {
        guard status == 200, body.hasSuffix("\n") else { return nil }
        var lines: [SignedNote.Signature] = []
        for line in body.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            guard let signature = try? SignedNote.Signature(parsingLine: line) else { return nil }
            lines.append(signature)
        }
        return lines.isEmpty ? nil : lines
    }

    /// For a 409 answer, the latest size the witness cosigned.
    public var latestSize: Int? {
        guard status == 409, contentType == WitnessAnswer.sizeContentType, body.hasSuffix("\n") else { return nil }
        let digits = body.dropLast()
        guard let size = Int(digits), size >= 0, String(size) == digits else { return nil }
        return size
    }
}
