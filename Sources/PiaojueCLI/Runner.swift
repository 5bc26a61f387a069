import ArgumentParser
import Foundation
import PiaojueDomain
import PiaojueServices

/// Runs `piaojue` and maps every failure to one sentence on stderr (or one JSON error object with
/// `--json`) and the documented exit status.
public enum PiaojueMain {
    /// Parses `arguments`, runs the command, returns the exit status (0, 1 or 2).
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Int32 {
        let wantsJSON = arguments.contains("--json")
        let command: any ParsableCommand
        do {
            command = try Piaojue.parseAsRoot(arguments)
        } catch {
            let code = Piaojue.exitCode(for: error)
            let message = Piaojue.fullMessage(for: error)
            if code == .success {
                Output.line(message)
                return 0
            }
            report(UsageFailure.invalid(message: message), json: wantsJSON)
            return 2
        }
        do {
            var runnable = command
            try runnable.run()
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch let failure as any ClerkFacingError {
            report(failure, json: wantsJSON)
            return failure.exitStatus
        } catch {
            // Help and version requests, and parser errors raised while running.
            let message = Piaojue.fullMessage(for: error)
            if Piaojue.exitCode(for: error) == .success {
                Output.line(message)
                return 0
            }
            report(UsageFailure.invalid(message: message.isEmpty ? "\(error)" : message), json: wantsJSON)
            return 2
        }
    }

    /// Prints `failure`: its sentence, or with `--json` the error object.
    static func report(_ failure: any ClerkFacingError, json: Bool) {
        if json {
            Output.jsonError(ErrorOutput(failure, message: failure.description))
        } else {
            Output.error(failure.description)
        }
    }
}

/// The command line itself was used wrongly (exit 2): an unknown option, a missing value, two
/// options that exclude each other.
enum UsageFailure: StageRefusal, Equatable {
    case invalid(message: String)
    case exclusive(options: [String])
    case needsOne(options: [String])
    case rate(item: String)
    case grade(item: String, grade: String)
    case year(year: Int)
    case limit
    case noCredential

    var plainCaseName: String? {
        switch self {
        case .limit: "limit"
        case .noCredential: "noCredential"
        default: nil
        }
    }
    var codePrefix: String { "usage" }
    var exitStatus: Int32 { 2 }

    var description: String {
        switch self {
        case let .invalid(message): return message
        case let .exclusive(options):
            let both = options.joined(separator: " / ")
            return "\(both) 只能选一个。Give one of \(both), not both."
        case let .needsOne(options):
            let list = options.joined(separator: " | ")
            return "请在 \(list) 中选择且只选择一项。Give exactly one of \(list)."
        case let .rate(item): return "--rate “\(item)” 应写成 项目编号=评价，如 P1=满意。--rate \"\(item)\" must be PROJECT=GRADE, e.g. P1=满意."
        case let .grade(item, grade):
            return "--rate “\(item)” 的评价“\(grade)”无效，应为 满意、基本满意、不满意 或 弃权。Unknown grade \"\(grade)\"."
        case let .year(year): return "测评年度 --year \(year) 无效，应为四位年份，如 2024。--year \(year) is not a year."
        case .limit: return "--limit 必须至少为 1。--limit must be at least 1."
        case .noCredential:
            return "没有读到凭证码：请在提示后输入，或从标准输入给出一行凭证码（脚本可用 --credential）。No credential code was read from standard input."
        }
    }
}
