public import PiaojueDomain

/// An HTTP request the plenary API cannot read (exit status 2, answered 400 unless said otherwise).
/// Rule refusals are the stages' own (`ballot.already-voted` …), exactly as the command line has them.
public enum RequestFailure: StageRefusal, Equatable {
    /// The body is not a JSON object.
    case notJSON
    /// The body was not sent as `application/json` (415): a form posted from another site cannot cast.
    case contentType(found: String)
    /// The body is larger than the server reads (413).
    case tooLarge(limit: Int)
    /// The body did not arrive in time (408): a slow client is cut off, never waited for.
    case tooSlow(seconds: Int)
    /// A member the request needs is missing.
    case missingField(field: String)
    /// A member has the wrong type.
    case badField(field: String, expected: String)
    /// No credential code was sent.
    case noCredential
    /// A rating that is not 满意, 基本满意, 不满意 or 弃权.
    case badGrade(project: String, grade: String)
    /// No session is open for casting (404 from `GET /api/v1/booth`).
    case noOpenSession

    public var plainCaseName: String? {
        switch self {
        case .notJSON: "notJSON"
        case .noCredential: "noCredential"
        case .noOpenSession: "noOpenSession"
        default: nil
        }
    }
    public var codePrefix: String { "request" }
    public var exitStatus: Int32 { 2 }

    public var description: String {
        switch self {
        case .notJSON: "请求内容不是 JSON 对象。The request body is not a JSON object."
        case let .contentType(found):
            "请求须以 application/json 发送（收到 \(found)）。Send the body as application/json, not \(found)."
        case let .tooLarge(limit): "请求内容超过 \(limit) 字节。The request body is larger than \(limit) bytes."
        case let .tooSlow(seconds): "请求内容未在 \(seconds) 秒内送达。The request body did not arrive within \(seconds) seconds."
        case let .missingField(field): "请求缺少“\(field)”。The request has no \"\(field)\"."
        case let .badField(field, expected): "请求中的“\(field)”应为\(expected)。\"\(field)\" must be \(expected)."
        case .noCredential: "没有凭证码：请输入或扫描凭证上的码。No credential code was sent."
        case let .badGrade(project, grade):
            "项目 \(project) 的评价“\(grade)”无效，应为 满意、基本满意、不满意 或 弃权。Unknown grade \"\(grade)\" for \(project)."
        case .noOpenSession: "目前没有正在投票的会期。No session is open for casting."
        }
    }
}
