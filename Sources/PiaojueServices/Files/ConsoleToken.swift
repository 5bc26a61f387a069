import Foundation
import PiaojueCrypto
public import PiaojueDomain
import Synchronization

/// The clerk's console token: 32 random bytes as 64 hex digits, kept beside the ledger in
/// `<db>.console-token`, mode 0600, created without following a symbolic link and never over an
/// existing file (as the slips file is). `piaojue serve` makes it on its first run and prints it
/// once; `serve --new-console-token` replaces it.
public enum ConsoleToken {
    /// The token file of a ledger.
    public static func path(workspace: Workspace) -> String { workspace.settings.databasePath + ".console-token" }

    /// The token and whether it was made now (and must be shown to the clerk once).
    public struct Prepared: Sendable, Equatable {
        /// The token itself.
        public let token: String
        /// Whether this run made it.
        public let created: Bool
        /// Where it is kept.
        public let path: String
    }

    /// The token beside the ledger: the one kept there, else a new one; with `rotate`, always a
    /// new one replacing the old (every console login of the old token ends with the server).
    /// A token file that others may read, or that is not a token, is refused.
    public static func prepare(workspace: Workspace, rotate: Bool) throws -> Prepared {
        let path = path(workspace: workspace)
        if !rotate, let existing = try read(path) { return Prepared(token: existing, created: false, path: path) }
        let token = Encoding.hex(try workspace.settings.random.bytes(32))
        let temporary = path + ".writing-\(getpid())"
        unlink(temporary)
        try write(token, to: temporary, reported: path)
        if rotate {
            guard rename(temporary, path) == 0 else {
                let why = String(cString: strerror(errno))
                unlink(temporary)
                throw FileFailure.writeFailed(path: path, why: why)
            }
        } else {
            // Never over a file that appeared meanwhile.
            guard link(temporary, path) == 0 else {
                let why = String(cString: strerror(errno))
                unlink(temporary)
                throw FileFailure.cannotCreate(path: path, why: why)
            }
            unlink(temporary)
        }
        return Prepared(token: token, created: true, path: path)
    }

    /// The token kept at `path`, nil when there is no file; refused when the file is a symbolic
    /// link, readable by others, or not a token.
    static func read(_ path: String) throws -> String? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw ConsoleRefusal.unsafeTokenFile(path: path, why: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw ConsoleRefusal.unsafeTokenFile(path: path, why: "not a regular file")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw ConsoleRefusal.unsafeTokenFile(path: path, why: "mode \(String(info.st_mode & 0o777, radix: 8)), not 600")
        }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
        let text = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count == 64, Encoding.unhex(text) != nil else {
            throw ConsoleRefusal.unsafeTokenFile(path: path, why: "not a console token")
        }
        return text
    }

    static func write(_ token: String, to path: String, reported: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileFailure.cannotCreate(path: reported, why: String(cString: strerror(errno))) }
        let bytes = Array((token + "\n").utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0 else {
            unlink(path)
            throw FileFailure.writeFailed(path: reported, why: String(cString: strerror(errno)))
        }
    }
}

/// Who may use the console: the holder of the token, directly (`Authorization: Bearer`, for
/// scripts) or through a login session (a cookie), each session with its own CSRF token.
///
/// Only SHA-256 hashes of the token and of each session id are kept; every comparison of a secret
/// runs in time independent of where the values differ. Sessions live in memory: a restart of
/// the server logs every clerk out. At most ``maximumSessions`` at once (the oldest goes first).
public final class ConsoleAccess: Sendable {
    /// Login sessions kept at once.
    public static let maximumSessions = 64

    private let tokenHash: [UInt8]
    private let random: any RandomSource
    private struct Login: Sendable {
        let sessionHash: [UInt8]
        let csrf: String
    }
    private let logins = Mutex<[Login]>([])

    /// Access for `token`, new session ids and CSRF tokens drawn from `random`.
    init(token: String, random: any RandomSource) {
        tokenHash = SHA256.hash(Array(token.utf8))
        self.random = random
    }

    /// Whether `token` is the console token.
    public func accepts(token: String) -> Bool { Self.same(SHA256.hash(Array(token.utf8)), tokenHash) }

    /// A new login session for the holder of `token`: its id (the cookie) and its CSRF token.
    public func login(token: String) throws -> (session: String, csrf: String) {
        guard accepts(token: token) else { throw ConsoleRefusal.wrongToken }
        let session = Encoding.hex(try random.bytes(32))
        let csrf = Encoding.hex(try random.bytes(32))
        let login = Login(sessionHash: SHA256.hash(Array(session.utf8)), csrf: csrf)
        logins.withLock { list in
            if list.count >= Self.maximumSessions { list.removeFirst(list.count - Self.maximumSessions + 1) }
            list.append(login)
        }
        return (session, csrf)
    }

    /// The CSRF token of the login session `session`, nil when there is no such session.
    public func csrf(session: String) -> String? {
        let hash = SHA256.hash(Array(session.utf8))
        return logins.withLock { list in
            var found: String?
            for login in list where Self.same(login.sessionHash, hash) { found = login.csrf }
            return found
        }
    }

    /// Ends the login session `session`.
    public func logout(session: String) {
        let hash = SHA256.hash(Array(session.utf8))
        logins.withLock { list in list.removeAll { Self.same($0.sessionHash, hash) } }
    }

    /// Whether two texts are equal, compared in time that does not depend on where they differ.
    public static func sameSecret(_ a: String, _ b: String) -> Bool { same(SHA256.hash(Array(a.utf8)), SHA256.hash(Array(b.utf8))) }

    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}

/// Why the clerk's console refuses a request. Codes `console.*`.
public enum ConsoleRefusal: StageRefusal, Equatable {
    /// No token and no login session (401, or the login page for a browser).
    case unauthorized
    /// The token given is not the console token (401).
    case wrongToken
    /// A state-changing request of a login session without its CSRF token (403).
    case csrfMissing
    /// A state-changing request of a login session with another CSRF token (403).
    case csrfWrong
    /// The token file is a link, readable by others, or not a token.
    case unsafeTokenFile(path: String, why: String)
    /// The session's slips file is not there: never written by this console, or destroyed after printing.
    case noSlips(session: String)
    /// A session id that cannot name a file beside the ledger.
    case badSession(session: String)
    /// The session's audit bundle has not been published by this console.
    case notPublished(session: String)
    /// A form value that is not a number.
    case notANumber(field: String, value: String)
    /// A rating session asked for both by year and by projects (as `evaluate open`, one of them).
    case yearAndProjects
    /// A rating session where the console's step is for vote sessions only (double entry of paper ballots, runoff).
    case ratingSession(session: String)

    public var plainCaseName: String? {
        switch self {
        case .unauthorized: "unauthorized"
        case .wrongToken: "wrongToken"
        case .csrfMissing: "csrfMissing"
        case .csrfWrong: "csrfWrong"
        case .yearAndProjects: "yearAndProjects"
        default: nil
        }
    }
    public var codePrefix: String { "console" }

    public var exitStatus: Int32 {
        switch self {
        case .noSlips, .notPublished: 1
        default: 2
        }
    }

    public var description: String {
        switch self {
        case .unauthorized:
            "请先用控制台口令登录。Log in with the console token first."
        case .wrongToken:
            "控制台口令不正确。The console token is wrong."
        case .csrfMissing:
            "请求缺少表单校验码（CSRF），请从控制台页面重新提交。The request has no CSRF token: submit it again from the console page."
        case .csrfWrong:
            "表单校验码（CSRF）不符，请刷新控制台页面后重新提交。The CSRF token does not match: reload the console page and submit again."
        case let .unsafeTokenFile(path, why):
            "控制台口令文件 \(path) 不安全或已损坏（\(why)）：请删除后用 --new-console-token 重建。The console token file \(path) is unsafe or damaged (\(why)): delete it and pass --new-console-token."
        case let .noSlips(session):
            "会期 \(session) 的凭证文件不存在（未从控制台发放，或已在打印后销毁），不再显示任何凭证码。The slips file of session \(session) is not there (not issued from the console, or destroyed after printing): no code is shown again."
        case let .badSession(session):
            "会期编号“\(session)”无效。\(session) is not a session id."
        case let .notPublished(session):
            "会期 \(session) 的审计包尚未从控制台发布。The audit bundle of session \(session) has not been published from the console."
        case let .notANumber(field, value):
            "“\(field)”应为非负整数，而不是“\(value)”。\(field) must be a whole number, not \(value)."
        case .yearAndProjects:
            "测评年度与测评项目只能给出一项。Give either the year or the projects, not both."
        case let .ratingSession(session):
            "\(session) 是测评会期：此步骤只适用于票决会期，纸质测评票请用命令行 `piaojue evaluate import`。\(session) is a rating session: this step is for vote sessions only; enter paper rating ballots with `piaojue evaluate import`."
        }
    }
}
