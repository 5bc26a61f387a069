import Foundation
import PiaojueDomain
import PiaojueServices

/// Where a cast's credential code comes from: `--credential` (for scripts: the code is then
/// visible in the process list and the shell history) or standard input (the default: one line,
/// not echoed when it is a terminal).
enum CredentialInput {
    /// The code of `--credential`, else one line read from standard input.
    static func code(_ option: String?) throws -> String {
        if let option { return option }
        let terminal = isatty(STDIN_FILENO) == 1
        var saved = termios()
        if terminal {
            FileHandle.standardError.write(Data("凭证码 Credential code: ".utf8))
            tcgetattr(STDIN_FILENO, &saved)
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        }
        defer {
            if terminal {
                tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        guard let line = readLine(strippingNewline: true), !line.trimmingSpaces().isEmpty else { throw UsageFailure.noCredential }
        return line.trimmingSpaces()
    }

    /// Runs a cast, and scrubs its error of anything typed where a code could be (every option
    /// value and the code itself), so no seven-plus characters of a code are ever repeated.
    static func scrubbing<T>(typed: [String], _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as any ClerkFacingError {
            throw ScrubbedFailure(failure, typed: typed)
        }
    }
}

/// An error whose sentence and details were scrubbed of typed values; same code and exit status.
struct ScrubbedFailure: ClerkFacingError {
    let code: String
    let exitStatus: Int32
    let description: String
    let details: ErrorDetails

    init(_ failure: any ClerkFacingError, typed: [String]) {
        code = failure.code
        exitStatus = failure.exitStatus
        description = Secrets.scrubbed(failure.description, typed: typed)
        details = Secrets.scrubbed(failure.details, typed: typed)
    }
}
