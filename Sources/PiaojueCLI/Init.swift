import ArgumentParser
import PiaojueServices

extension Piaojue {
    /// `piaojue init`: a new ledger and body key.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "新建账本与机关签名密钥 Create the ledger and the body's key (Ed25519, or SM2 with --crypto gm).",
            discussion: """
                Creates the ledger (SQLite) and the key file (mode 0600) at the --db and --key paths. \
                Refuses to overwrite either. Keep the key file secret and backed up: it signs every \
                body entry and checkpoint.

                --crypto gm makes a 国密 ledger: SM2 signatures (SM3, ID 1234567812345678) and SM3 \
                hashes, fixed for the ledger's life. --also-ed25519 (gm only) creates an Ed25519 key \
                too, beside the SM2 key (body.key → body.ed25519.key), so that every checkpoint also \
                carries a standard Ed25519 signature line, first.

                Example:
                  piaojue init --body 某某县第十八届人民代表大会 --level county
                  piaojue init --body 某某县第十八届人民代表大会 --level county --crypto gm --also-ed25519
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: "机关名称 The congress, e.g. 某某县人民代表大会.")
        var body: String

        @Option(help: "级别 township (乡镇) | county (县) | city (市).")
        var level: Level

        @Option(help: "密码算法套件 standard (Ed25519 + SHA-256) | gm (国密 SM2 + SM3).")
        var crypto: String = "standard"

        @Flag(name: .customLong("also-ed25519"), help: "国密账本的检查点另加 Ed25519 签名 A gm ledger's checkpoints also carry an Ed25519 signature.")
        var alsoEd25519 = false

        func run() throws {
            let workspace = try global.workspace()
            let created = try SetupService.initialize(
                body: body, level: try level.get(), crypto: crypto, alsoEd25519: alsoEd25519, settings: workspace.settings)
            let second = created.ed25519Key.map { path in
                "\nEd25519 检查点密钥 Ed25519 checkpoint key (mode 0600): \(path)\nEd25519 公钥 Ed25519 public key: \(created.ed25519PublicKey ?? "")"
            } ?? ""
            global.emit(created) {
                """
                已创建账本 Ledger created: \(created.db)
                机关 Body: \(created.body)（\(created.level)）
                签名密钥 Key (mode 0600): \(created.key)
                密码套件 Crypto suite: \(created.crypto)
                公钥 Public key: \(created.publicKey)
                检查点名称 Checkpoint origin: \(created.keyName)
                """ + second
            }
        }
    }
}
