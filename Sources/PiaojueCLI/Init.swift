import ArgumentParser
import PiaojueServices

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
        var level: Level

        func run() throws {
            let workspace = try global.workspace()
            let created = try SetupService.initialize(body: body, level: try level.get(), settings: workspace.settings)
            global.emit(created) {
                """
                已创建账本 Ledger created: \(created.db)
                机关 Body: \(created.body)（\(created.level)）
                签名密钥 Key (mode 0600): \(created.key)
                公钥 Public key: \(created.publicKey)
                检查点名称 Checkpoint origin: \(created.keyName)
                """
            }
        }
    }
}
