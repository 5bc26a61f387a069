import ArgumentParser
import PiaojueDomain
import PiaojueServices

extension Piaojue {
    /// `piaojue collect`: Stage 1 · 征集初定.
    struct Collect: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "collect",
            abstract: "征集初定 Collect and screen proposals into a frozen candidate list.",
            discussion: """
                Order: submit/import → list → screen → approve (each step) → shortlist.

                Example:
                  piaojue collect import 建议项目汇总.csv
                  piaojue collect screen P14 --reject 个别单位或个人诉求 --note "仅惠及一户"
                  piaojue collect approve --step 政府常务会议 --ref "县政府第42次常务会议纪要"
                  piaojue collect approve --step 党委审定 --ref "县委常委会〔2024〕31号"
                  piaojue collect shortlist --seats 10 P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 P11 P12
                """,
            subcommands: [Submit.self, Import.self, List.self, Screen.self, Approve.self, Shortlist.self, Reserve.self])

        @OptionGroup var global: GlobalOptions
    }
}

/// `--rules FILE|PRESET`, shared by commands that apply the rules file.
struct RulesOption: ParsableArguments {
    @Option(help: ArgumentHelp("规则文件或预设名 Rules file or preset (default, equal-slate, rank-only, e-voter).", valueName: "file"))
    var rules: String?
}
