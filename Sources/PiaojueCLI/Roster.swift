import ArgumentParser
import PiaojueDomain
import PiaojueServices

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
                abstract: "导入代表名册 Import the deputies CSV or .xlsx (id,name[,delegation][,status]).",
                discussion: """
                    Status is seated (在任, default) or suspended (暂停): suspended deputies count as seated \
                    for the quorum but cannot check in. A later import replaces the roster for later sessions. \
                    An .xlsx workbook (told by its bytes) is read from its first sheet or --sheet; its header \
                    row may sit below title rows.

                    Example:
                      piaojue roster import deputies.csv
                      piaojue roster import 代表名册.csv --encoding gb18030
                      piaojue roster import 代表名册.xlsx --sheet 代表名册
                    """)

            @OptionGroup var global: GlobalOptions
            @Argument(help: "代表名册 CSV 或 .xlsx 文件 The deputies CSV or .xlsx file.") var file: String
            @Option(help: "文件编码 utf-8 (default) | gb18030.") var encoding = Encoding(argument: "utf-8").orUTF8
            @Option(help: "工作簿中的工作表（.xlsx；默认第一张）The sheet of an .xlsx workbook (default: the first).") var sheet: String?

            func run() throws {
                let event = try RosterService.importRoster(path: file, encoding: try encoding.get(), sheet: sheet, workspace: global.workspace())
                let output = RosterImportOutput(event)
                global.emit(output) {
                    "已导入代表名册：实有代表 \(output.seated) 名（其中暂停职务 \(output.suspended) 名）。Roster imported: \(output.seated) seated."
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
                let roster = try RosterService.current(workspace: global.workspace())
                global.emit(RosterListOutput(roster)) {
                    (["编号 id\t姓名 name\t代表团 delegation\t状态 status"] + roster.deputies.map {
                        "\($0.id)\t\($0.name)\t\($0.delegation ?? "")\t\($0.status == .seated ? "在任" : "暂停")"
                    } + ["实有代表 seated: \(roster.seated)"]).joined(separator: "\n")
                }
            }
        }
    }
}
