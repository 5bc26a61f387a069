public import ArgumentParser
import Foundation
import PiaojueCrypto
import PiaojueServices

/// Options every command accepts, before or after the subcommand name.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("账本文件 The ledger file (default $PIAOJUE_DB or ./piaojue.sqlite).", valueName: "path"))
    public var db: String?

    @Option(name: .long, help: ArgumentHelp("机关签名密钥 The body's key file (default $PIAOJUE_KEY or <db>.key).", valueName: "path"))
    public var key: String?

    @Flag(name: .long, help: "输出一个 JSON 对象 Print one JSON object on stdout instead of text.")
    public var json = false

    public init() {}

    /// The settings these options and the environment name.
    func workspace() throws -> Workspace {
        Workspace(settings: try Settings.fromEnvironment(db: db, key: key))
    }

    /// Prints `value` as JSON when --json is given, else the text.
    func emit<T: Encodable>(_ value: T, text: () -> String) {
        if json {
            Output.json(value)
        } else {
            Output.line(text())
        }
    }
}

/// Writing to stdout.
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func json<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            let data = try encoder.encode(value)
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } catch {
            FileHandle.standardError.write(Data("piaojue: cannot encode JSON output: \(error)\n".utf8))
        }
    }

    /// One message on stderr. A credential code never reaches the terminal or a log through it,
    /// whatever error carried it (see ``SecretCode/redacted(in:)``).
    static func error(_ text: String) {
        FileHandle.standardError.write(Data("piaojue: \(SecretCode.redacted(in: text))\n".utf8))
    }
}
