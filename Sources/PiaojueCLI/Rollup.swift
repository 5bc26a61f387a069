import ArgumentParser
import PiaojueDomain
import PiaojueServices

extension Piaojue {
    /// `piaojue rollup`: the county roll-up of its townships' bundles.
    struct Rollup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rollup",
            abstract: "全县汇总 Verify every township bundle and write the county report.",
            discussion: """
                Each DIR is a township's published bundle (audit publish). Every bundle is verified in \
                full, as audit verify DIR does (with --policy, its checkpoint must carry the policy's \
                quorum of witness cosignatures), and its figures are read from the verified entries: \
                sessions, chosen projects with category and budget, implementation status, satisfaction. \
                Two bundles of one township must be one history (the later extends the earlier), else \
                both are left out; of two consistent ones the later is counted. OUTDIR (new or empty) \
                receives report.html (self-contained, a chart per township), report.md, rollup.csv, \
                rollup.json and rollup.xlsx (the CSV as a workbook); every figure names its checkpoint (origin, size, root). Exit status 1 when a \
                bundle failed or disagreed: it is listed with its first failing check and left out of \
                every total.

                Example:
                  piaojue rollup 公开包/* --out 全县汇总 --policy 县见证策略.txt
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "乡镇公开包目录 Township bundle directories.") var directories: [String] = []
        @Option(help: "输出目录（新建或空目录）Output directory (new or empty).") var out: String
        @Option(help: "C2SP tlog-policy 信任策略文件 A C2SP tlog-policy file the checkpoints must meet.") var policy: String?

        func run() throws {
            let result = try RollupService.rollup(directories: directories, out: out, policyPath: policy)
            global.emit(result) { render(result) }
            if !result.ok { throw ExitCode(1) }
        }

        func render(_ result: RollupOutput) -> String {
            var lines = [
                result.sentence + "。",
                "实施 Implementation：\(result.county.completionSentence)；测评 Satisfaction：\(result.county.satisfactionSentence)。",
                "公开包 \(result.bundles) 个：计入 \(result.townships.count) 个乡镇，取代 \(result.superseded.count) 个，未计入 \(result.failed.count) 个。Bundles \(result.bundles): \(result.townships.count) counted, \(result.superseded.count) superseded, \(result.failed.count) left out.",
            ]
            for failure in result.failed {
                lines.append("- 未计入 LEFT OUT \(failure.dir)：\(failure.explanation)")
            }
            lines.append("报告 Report: \(result.files.joined(separator: " "))")
            return lines.joined(separator: "\n")
        }
    }
}
