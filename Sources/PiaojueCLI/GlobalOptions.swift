import ArgumentParser
import Foundation
import PiaojueDomain
import PiaojueServices

/// Options every command accepts, before or after the subcommand name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("账本文件 The ledger file (default $PIAOJUE_DB or ./piaojue.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("机关签名密钥 The body's key file (default $PIAOJUE_KEY or <db>.key).", valueName: "path"))
    var key: String?

    @Flag(name: .long, help: "输出一个 JSON 对象 Print one JSON object on stdout instead of text.")
    var json = false

    init() {}

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

/// Writing to stdout and stderr. Nothing printed on stderr ever holds a credential code, and no
/// text printed ever holds a terminal control sequence (``CleanText/printable(_:)``: a title
/// recorded before the input rules held one is shown as `<U+001B>`).
enum Output {
    static func line(_ text: String) {
        let printable = CleanText.printable(text)
        FileHandle.standardOutput.write(Data((printable.hasSuffix("\n") ? printable : printable + "\n").utf8))
    }

    static func json<T: Encodable>(_ value: T) {
        do {
            let data = try JSONRendering.encode(value)
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } catch {
            FileHandle.standardError.write(Data("piaojue: cannot encode JSON output: \(error)\n".utf8))
        }
    }

    /// One message on stderr (see ``Secrets/redacted(_:)``).
    static func error(_ text: String) {
        FileHandle.standardError.write(Data("piaojue: \(CleanText.printable(Secrets.redacted(text)))\n".utf8))
    }

    /// An error as one JSON object on stderr: `{"error": {"code", "message", …details}}`, every text
    /// redacted like the sentence.
    static func jsonError(_ error: ErrorOutput) {
        do {
            let data = try JSONRendering.encode(error)
            FileHandle.standardError.write(Data(Secrets.redacted(String(decoding: data, as: UTF8.self)).utf8) + Data("\n".utf8))
        } catch {
            FileHandle.standardError.write(Data("{\"error\":{\"code\":\"internal.encoding\",\"message\":\"cannot encode the error\"}}\n".utf8))
        }
    }
}
