import ArgumentParser
import PiaojueServices
import PiaojueCrypto

extension Piaojue {
    /// `piaojue init`: a new ledger and body key.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "新建账本与机关签名密钥 Create the ledger and the body's Ed25519 key.",
            discussion: """
                Creates the ledger (SQLite) and the key file (mode 0600) at the --db and --key paths. \
                Refuses to overwrite either. Keep the key file secret and backed up: it signs every \
                body entry and checkpoint.

                Example:
                  piaojue init --body 某某县第十八届人民代表大会 --level county
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: "机关名称 The congress, e.g. 某某县人民代表大会.")
        var body: String

        @Option(help: "级别 township (乡镇) | county (县) | city (市).")
        var level: String

        func validate() throws {
            guard BodyLevel(word: level) != nil else {
                throw ValidationError("级别 --level “\(level)” 无效，应为 township、county 或 city（乡镇、县、市）。Unknown --level \"\(level)\".")
            }
        }

        func run() throws {
            let workspace = try global.workspace()
            let created = try SetupService.initialize(body: body, level: BodyLevel(word: level) ?? .county, settings: workspace.settings)
            struct Result: Encodable {
                let body: String
                let level: String
                let publicKey: String
                let keyName: String
                let db: String
                let key: String
            }
            global.emit(Result(
                body: created.body, level: created.level.rawValue, publicKey: created.publicKey.base64, keyName: created.keyName,
                db: created.databasePath, key: created.keyPath)
            ) {
                """
                已创建账本 Ledger created: \(created.databasePath)
                机关 Body: \(created.body)（\(created.level.rawValue)）
                签名密钥 Key (mode 0600): \(created.keyPath)
                公钥 Public key: \(created.publicKey.base64)
                检查点名称 Checkpoint origin: \(created.keyName)
                """
            }
        }
    }
}
