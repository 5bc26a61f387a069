import ArgumentParser
import PiaojueDomain
import PiaojueServices

extension Piaojue {
    /// `piaojue evaluate`: Stage 4 · 监督评议.
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate",
            abstract: "监督评议 Year-end satisfaction ratings (满意 / 基本满意 / 不满意) by secret ballot.",
            discussion: """
                Rating sessions use the same anonymous credentials as ballot sessions.
                Order: open → checkin → issue → cast / import → close → tally (→ rectify → open again: 再测评).

                Example:
                  piaojue evaluate open --year 2025
                  piaojue evaluate checkin R1 --present 签到名单.txt
                  piaojue evaluate issue R1 --out R1-凭证.txt
                  piaojue evaluate import R1 纸质测评票.csv
                  piaojue evaluate close R1
                  piaojue evaluate tally R1
                  piaojue evaluate rectify P6 --what 返修破损路面 --unit 县城市管理局 --by 2026-06-30
                """,
            subcommands: [Open.self, Checkin.self, Issue.self, Cast.self, Import.self, Close.self, Tally.self, Rectify.self, Status.self])

        @OptionGroup var global: GlobalOptions
    }
}

extension Piaojue.Evaluate {
    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "open",
            abstract: "开启测评 Open a rating session over chosen projects.",
            discussion: """
                --year takes every project chosen by a vote tallied in that year; --projects names them. \
                Raters are the seated roster, or the people of --roster FILE (常委会组成人员, CSV \
                id,name[,delegation][,status]). The evaluation rules (base, strictness, rectification \
                trigger) are frozen with the session. A project rated again after its rectification is \
                marked 再测评.

                Example:
                  piaojue evaluate open --year 2024
                  piaojue evaluate open --projects P3,P7 --roster 常委会组成人员.csv
                  piaojue evaluate open --year 2024 --rules 测评办法.toml
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var rulesOption: RulesOption
        @Option(parsing: .unconditional, help: "测评年度：该年票决确定的项目 The year whose chosen projects are rated.") var year: Int?
        @Option(parsing: .upToNextOption, help: "项目编号，逗号分隔 Project ids, comma-separated.") var projects: [ProjectIDs] = []
        @Option(help: "测评人员名单（常委会组成人员）CSV 或 .xlsx The raters' roster, when not the seated deputies.") var roster: String?
        @Option(help: "名单文件编码 utf-8 (default) | gb18030.") var encoding = Encoding(argument: "utf-8").orUTF8
        @Option(help: "名单工作簿中的工作表（.xlsx；默认第一张）The sheet of a roster workbook (default: the first).") var sheet: String?

        func run() throws {
            let ids = try projects.ids()
            guard (year == nil) != ids.isEmpty else { throw UsageFailure.needsOne(options: ["--year YYYY", "--projects IDS"]) }
            if let year, !(1000...9999).contains(year) { throw UsageFailure.year(year: year) }
            let workspace = try global.workspace()
            let selection: EvaluationService.Selection = year.map { .year($0) } ?? .projects(ids)
            let opened = try EvaluationService.open(
                selection: selection, rules: try workspace.rules(rulesOption.rules), rosterPath: roster,
                rosterEncoding: try encoding.get(), rosterSheet: sheet, workspace: workspace)
            global.emit(RatingOpenOutput(opened)) {
                var lines = [
                    "测评会期 \(opened.session) 已开启\(opened.year.map { "（\($0) 年度）" } ?? "")：测评项目 \(opened.projects.count) 项；测评人员为\(opened.raters.chinese) \(opened.header.seated) 名。Rating session \(opened.session) opened."
                ]
                for project in opened.projects {
                    lines.append("  \(project.id)  \(project.title)\(project.unit.map { "（\($0)）" } ?? "")\(project.rerate ? "  再测评 re-rating after rectification" : "")")
                }
                lines.append("测评办法“\(opened.rulesName)”已冻结（\(opened.rulesHash.prefix(16))…）。Rules frozen.")
                lines.append("下一步 Next: piaojue evaluate checkin \(opened.session) --present 签到名单.txt")
                return lines.joined(separator: "\n")
            }
        }
    }

    struct Checkin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkin",
            abstract: "测评人员签到 Record attendance (public) and report the quorum.",
            discussion: """
                Example:
                  piaojue evaluate checkin R1 --deputy D001 D002 D003
                  piaojue evaluate checkin R1 --present 签到名单.txt   (one id a line)
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "测评会期 Rating session (R1 …).") var session: SessionID
        @Option(parsing: .upToNextOption, help: "测评人员编号 Rater ids.") var deputy: [String] = []
        @Option(help: "签到文件，每行一个编号 A file with one id a line.") var present: String?

        func run() throws {
            try SessionCommands.checkin(session: try session.get(), deputies: deputy, presentFile: present, shape: .rating, global: global)
        }
    }

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue",
            abstract: "发放匿名凭证 Issue the secret credentials: one printed per rater, handed to those present.",
            discussion: """
                Refused without quorum. The first issue prints a credential for every rater entitled into \
                FILE (mode 0600); those present each draw one at random, the rest are sealed for late \
                arrivals (run issue again after their check-in; no file then).

                Example:
                  piaojue evaluate issue R1 --out R1-凭证.txt
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "测评会期 Rating session.") var session: SessionID
        @Option(help: "凭证文件（首次发放时必需，不能已存在）The slips file to write at the first issue (must not exist).") var out: String?

        func run() throws { try SessionCommands.issue(session: try session.get(), out: out, shape: .rating, global: global) }
    }

    struct Cast: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cast",
            abstract: "测评投票 Cast one rating ballot with a credential.",
            discussion: """
                --rate PROJECT=GRADE, repeatable (or comma-separated pairs); GRADE is 满意, 基本满意, 不满意 or 弃权 (or satisfied, \
                basic, dissatisfied, abstain). Projects not rated count as 弃权. Prints a receipt.

                Example:
                  piaojue evaluate cast R1 --credential XXXXX-XXXXX-… --rate P1=满意 --rate P2=基本满意 --rate P3=不满意
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "测评会期 Rating session.") var session: SessionID
        @Option(help: "凭证码（省略时从标准输入读取）The credential code (default: read from standard input).") var credential: String?
        @Option(help: ArgumentHelp("项目=评价 PROJECT=满意|基本满意|不满意|弃权 (repeatable).", valueName: "project=grade")) var rate: [String] = []
        @Option(help: "把回执证明写入文件 Write the receipt's tlog-proof to this new file.") var proofOut: String?

        /// The marks of `--rate`, each PROJECT=GRADE.
        func choices() throws -> Choices {
            var marks: [Mark: [String]] = [:]
            for item in rate.flatMap({ $0.split(whereSeparator: { ",，".contains($0) }).map(String.init) }) {
                let parts = item.split(whereSeparator: { $0 == "=" || $0 == "＝" }).map { $0.trimmingSpaces() }
                guard parts.count == 2, !parts[0].isEmpty else { throw UsageFailure.rate(item: item) }
                guard let mark = Mark(word: parts[1]), SessionShape.rating.marks.contains(mark) else {
                    throw UsageFailure.grade(item: item, grade: parts[1])
                }
                marks[mark, default: []].append(try CleanText.id(parts[0], field: ProjectKind.field))
            }
            return Choices(marks)
        }

        func run() throws {
            let code = try CredentialInput.code(credential)
            let result = try CredentialInput.scrubbing(typed: [code, session.text] + rate + (proofOut.map { [$0] } ?? [])) {
                if let proofOut { try AuditService.checkProofPath(proofOut) }
                let result = try SessionService.cast(
                    session: try session.get(), code: code, choices: try choices(), shape: .rating, workspace: global.workspace())
                if let proofOut, let proof = result.proof { try AuditService.writeProofText(proof, to: proofOut) }
                return result
            }
            global.emit(result) {
                "测评票已投出。回执 Receipt: \(result.receipt)（第 \(result.index) 条 / entry \(result.index)）\n回执指向一张公开的测评票：任何人都能在 ballots.csv 中看到每张回执的内容，因此出示回执只能证明测评票已计入，不能证明是谁投的。\nThe receipt points to a public ballot: it proves the ballot was counted, not who cast it."
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "录入纸质测评票 Enter paper rating ballots (CSV credential,satisfied,basic,dissatisfied,abstain).",
            discussion: """
                Chinese headers 凭证码,满意,基本满意,不满意,弃权 are accepted; ids within a cell are \
                separated by ';'. A ballot marking a project twice is recorded as void; an unknown id or \
                credential refuses the whole file, naming the line.

                Example:
                  piaojue evaluate import R1 纸质测评票.csv
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "测评会期 Rating session.") var session: SessionID
        @Argument(help: "测评票 CSV 或 .xlsx The ballots CSV or .xlsx.") var file: String
        @Option(help: "工作簿中的工作表（.xlsx；默认第一张）The sheet of an .xlsx workbook (default: the first).") var sheet: String?

        @Option(help: "把这批选票的证明写入文件 Write the batch's tlog-proof to this new file.") var proofOut: String?

        func run() throws {
            try SessionCommands.importPaper(session: try session.get(), file: file, sheet: sheet, proofOut: proofOut, shape: .rating, global: global)
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "close",
            abstract: "结束测评投票 End casting; record the ballots returned.",
            discussion: """
                --returned is the number of paper ballots counted from the box (default: the ballots \
                recorded). More returned than issued makes the rating void at the tally.

                Example:
                  piaojue evaluate close R1
                  piaojue evaluate close R1 --returned 193
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "测评会期 Rating session.") var session: SessionID
        @Option(parsing: .unconditional, help: "收回票数 Ballots returned.") var returned: Int?

        func run() throws { try SessionCommands.close(session: try session.get(), returned: returned, shape: .rating, global: global) }
    }
}
