import ArgumentParser
import PiaojueDomain
import PiaojueServices
import PiaojueLedger

extension Piaojue {
    /// `piaojue roster`: the seated deputies.
    struct Roster: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "roster",
            abstract: "代表名册 The seated roster (实有代表).",
            discussion: """
                The roster's seated count (suspended deputies included) is the base of the quorum and, \
                by default, of the majority; every session freezes the roster it uses.

                Example:
                  piaojue roster import deputies.csv
                  piaojue roster list
                """,
            subcommands: [Import.self, List.self])

        @OptionGroup var global: GlobalOptions

        struct Import: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "import",
                abstract: "导入代表名册 Import the deputies CSV (id,name[,delegation][,status]).",
                discussion: """
                    Status is seated (在任, default) or suspended (暂停): suspended deputies count as seated \
                    for the quorum but cannot check in. A later import replaces the roster for later sessions.

                    Example:
                      piaojue roster import deputies.csv
                      piaojue roster import 代表名册.csv --encoding gb18030
                    """)

            @OptionGroup var global: GlobalOptions
            @Argument(help: "代表名册 CSV 文件 The deputies CSV file.") var file: String
            @Option(help: "文件编码 utf-8 (default) | gb18030.") var encoding = "utf-8"

            func validate() throws { _ = try encodingChoice(encoding) }

            func run() throws {
                let event = try RosterService.importRoster(path: file, encoding: try encodingChoice(encoding), workspace: global.workspace())
                struct Result: Encodable {
                    let seated: Int
                    let imported: Int
                    let suspended: Int
                    let rosterHash: String
                }
                let suspended = event.deputies.filter { $0.status == .suspended }.count
                global.emit(Result(seated: event.seated, imported: event.deputies.count, suspended: suspended, rosterHash: event.rosterHash)) {
                    "已导入代表名册：实有代表 \(event.seated) 名（其中暂停职务 \(suspended) 名）。Roster imported: \(event.seated) seated."
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list",
                abstract: "查看代表名册 Show the roster.",
                discussion: "Example:\n  piaojue roster list --json")

            @OptionGroup var global: GlobalOptions

            func run() throws {
                let ledger = try global.workspace().openForReading()
                let roster = try ledger.read { try RosterService.current($0) }
                guard let roster else {
                    throw RuleRefusal("尚未导入代表名册，请先运行 `piaojue roster import FILE`。No roster imported yet.")
                }
                struct Result: Encodable {
                    let deputies: [Deputy]
                    let seated: Int
                }
                global.emit(Result(deputies: roster.deputies, seated: roster.seated)) {
                    (["编号 id\t姓名 name\t代表团 delegation\t状态 status"] + roster.deputies.map {
                        "\($0.id)\t\($0.name)\t\($0.delegation ?? "")\t\($0.status == .seated ? "在任" : "暂停")"
                    } + ["实有代表 seated: \(roster.seated)"]).joined(separator: "\n")
                }
            }
        }
    }
}

/// The `--encoding` word as a choice, or a usage error naming it.
func encodingChoice(_ word: String) throws -> TextEncodingChoice {
    guard let choice = TextEncodingChoice(word: word) else {
        throw ValidationError("文件编码 --encoding “\(word)” 无效，应为 utf-8 或 gb18030。Unknown --encoding \"\(word)\".")
    }
    return choice
}
