import ArgumentParser
import Foundation
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger

/// Runs `piaojue` and maps every failure to one sentence on stderr and the documented exit status.
public enum PiaojueMain {
    /// Parses `arguments`, runs the command, returns the exit status (0, 1 or 2).
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Int32 {
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
            FileHandle.standardError.write(Data((SecretCode.redacted(in: message) + "\n").utf8))
            return 2
        }
        do {
            var runnable = command
            try runnable.run()
            return 0
        } catch {
            return report(error)
        }
    }

    /// Prints `error` and returns its exit status.
    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let failure as any ClerkFacingError:
            Output.error(failure.description)
            return failure.exitStatus
        case let failure as LedgerError:
            Output.error(failure.description)
            switch failure {
            case .credentialAlreadyUsed, .appendOnly: return 1
            default: return 2
            }
        case let exit as ExitCode:
            return exit.rawValue
        case let failure as ValidationError:
            Output.error(failure.message)
            return 2
        default:
            // Help and version requests, and parser errors raised while running.
            let message = Piaojue.fullMessage(for: error)
            if Piaojue.exitCode(for: error) == .success {
                Output.line(message)
                return 0
            }
            Output.error(message.isEmpty ? "\(error)" : message)
            return 2
        }
    }
}
