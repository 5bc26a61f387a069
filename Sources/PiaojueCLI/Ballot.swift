import ArgumentParser
import PiaojueDomain
import PiaojueServices

extension Piaojue {
    /// `piaojue ballot`: Stage 2 · 审议票决.
    struct Ballot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ballot",
            abstract: "审议票决 Secret-ballot voting sessions with rule-exact counting.",
            discussion: """
                Order: open → checkin → issue → cast / import → close → tally (→ runoff).

                Example:
                  piaojue ballot open --list L1
                  piaojue ballot checkin S1 --present 签到名单.txt
                  piaojue ballot issue S1 --out S1-凭证.txt
                  piaojue ballot cast S1 --credential XXXXX-XXXXX-… --approve P1,P2 --oppose P8
                  piaojue ballot import S1 纸质选票.csv
                  piaojue ballot close S1 --returned 180
                  piaojue ballot tally S1
                """,
            subcommands: [Open.self, Checkin.self, Issue.self, Cast.self, Import.self, Close.self, Tally.self, Runoff.self, Status.self])

        @OptionGroup var global: GlobalOptions
    }
}

extension Piaojue.Ballot {
    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "open",
            abstract: "通过并冻结票决办法 Adopt and freeze the voting rules for a candidate list.",
            discussion: """
                The rules, the candidate list hash and the seated roster hash are frozen in one entry; \
                nothing about them can change afterwards (a change means a new session).

                Example:
                  piaojue ballot open --list L1 --scrutineer 张总监票人 --scrutineer 李监票人
                  piaojue ballot open --list L2 --rules e-voter
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var rulesOption: RulesOption
        @Option(help: "候选名单编号 The candidate list (L1 …).") var list: ListID
        @Option(help: "监票人 A scrutineer named for the session (repeatable).") var scrutineer: [String] = []

        func run() throws {
            let workspace = try global.workspace()
            let opened = try BallotService.open(list: try list.get(), rules: try workspace.rules(rulesOption.rules), scrutineers: scrutineer, workspace: workspace)
            global.emit(SessionOpenOutput(opened)) {
                """
                会期 \(opened.session) 已开启：候选名单 \(opened.list)，候选 \(opened.candidates.count) 项，应选 \(opened.seats) 项；实有代表 \(opened.header.seated) 名。
                票决办法“\(opened.rulesName)”已冻结（\(opened.rulesHash.prefix(16))…）。Session \(opened.session) opened; rules frozen.
                下一步 Next: piaojue ballot checkin \(opened.session) --present 签到名单.txt
                """
            }
        }
    }

    struct Checkin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkin",
            abstract: "代表签到 Record attendance (public) and report the quorum.",
            discussion: """
                Example:
                  piaojue ballot checkin S1 --deputy D001 D002 D003
                  piaojue ballot checkin S1 --present 签到名单.txt   (one deputy id a line)
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "会期 Session (S1 …).") var session: SessionID
        @Option(parsing: .upToNextOption, help: "代表编号 Deputy ids.") var deputy: [String] = []
        @Option(help: "签到文件，每行一个代表编号 A file with one deputy id a line.") var present: String?

        func run() throws { try SessionCommands.checkin(session: try session.get(), deputies: deputy, presentFile: present, shape: .vote, global: global) }
    }

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue",
            abstract: "发放匿名凭证 Issue the secret credentials: one printed per seated deputy, handed to those present.",
            discussion: """
                Refused without quorum. The first issue prints a credential for every seated deputy into \
                FILE (mode 0600), as paper ballots are printed for all; the deputies present each draw \
                one at random, the rest are sealed for late arrivals. Run it again after late check-ins to \
                record the sealed slips handed out (no file then). The ledger records only the public keys \
                and how many slips were handed out, never who holds which.

                Example:
                  piaojue ballot issue S1 --out S1-凭证.txt
                  piaojue ballot checkin S1 --deputy D077 && piaojue ballot issue S1
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "会期 Session.") var session: SessionID
        @Option(help: "凭证文件（首次发放时必需，不能已存在）The slips file to write at the first issue (must not exist).") var out: String?

        func run() throws { try SessionCommands.issue(session: try session.get(), out: out, shape: .vote, global: global) }
    }

    struct Cast: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cast",
            abstract: "投票 Cast one ballot with a credential.",
            discussion: """
                Without --credential the code is read from standard input (not echoed on a terminal): \
                a code on the command line is visible to every local user in the process list and stays \
                in the shell history, so --credential is for scripts only. Unmarked candidates count as \
                弃权 (未按 on e-voter ballots). Prints a receipt and a proof (--proof-out FILE keeps it as a \
                .tlog-proof file): `audit check-receipt` and `audit verify --checkpoint` check it later. \
                The receipt points to a public ballot — anyone can read every receipt's marks in \
                ballots.csv — so showing it proves that the ballot was counted, not who cast it.

                Example:
                  piaojue ballot cast S1 --approve P1,P2,P3 --oppose P4 --abstain P5 --proof-out 回执.tlog-proof
                  piaojue ballot cast S1 --credential XXXXX-XXXXX-… --approve P1,P2   (scripts)
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "会期 Session.") var session: SessionID
        @Option(help: "凭证码（省略时从标准输入读取）The credential code (default: read from standard input).") var credential: String?
        @Option(help: "赞成 Candidate ids, comma-separated.") var approve: [ProposalIDs] = []
        @Option(help: "反对 Candidate ids, comma-separated.") var oppose: [ProposalIDs] = []
        @Option(help: "弃权 Candidate ids, comma-separated.") var abstain: [ProposalIDs] = []
        @Option(help: "把回执证明写入文件 Write the receipt's tlog-proof to this new file.") var proofOut: String?

        func run() throws {
            let code = try CredentialInput.code(credential)
            let typed = [code, session.text] + (approve + oppose + abstain).map(\.text) + (proofOut.map { [$0] } ?? [])
            let result = try CredentialInput.scrubbing(typed: typed) {
                if let proofOut { try AuditService.checkProofPath(proofOut) }
                let choices = Choices([.approve: try approve.ids(), .oppose: try oppose.ids(), .abstain: try abstain.ids()])
                let result = try SessionService.cast(
                    session: try session.get(), code: code, choices: choices, shape: .vote, workspace: global.workspace())
                if let proofOut, let proof = result.proof { try AuditService.writeProofText(proof, to: proofOut) }
                return result
            }
            global.emit(result) {
                (result.void
                    ? "注意：赞成多于应选数，这张选票已记入账本，按规则作为废票，不计入任何候选项目。Note: more approvals than seats — the ballot is recorded and counts void.\n"
                    : "")
                    + "投票成功。回执 Receipt: \(result.receipt)（第 \(result.index) 条 / entry \(result.index)）\n回执指向一张公开的选票：任何人都能在 ballots.csv 中看到每张回执的选票内容，因此出示回执只能证明选票已计入，不能证明是谁投的。请保存回执（及证明文件），日后可用 `piaojue audit check-receipt` 核对。\nThe receipt points to a public ballot: it proves the ballot was counted, not who cast it."
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "录入纸质选票 Enter paper ballots (CSV or .xlsx credential,approve,oppose,abstain).",
            discussion: """
                Ids within a cell are separated by ';'. Over-marked ballots and ballots marking a \
                candidate twice are recorded as void; an unknown id or credential refuses the whole \
                file, naming the line.

                Example:
                  piaojue ballot import S1 纸质选票.csv
                  piaojue ballot import S1 纸质选票.xlsx --sheet 第一计票组
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "会期 Session.") var session: SessionID
        @Argument(help: "选票 CSV 或 .xlsx The ballots CSV or .xlsx.") var file: String
        @Option(help: "工作簿中的工作表（.xlsx；默认第一张）The sheet of an .xlsx workbook (default: the first).") var sheet: String?

        @Option(help: "把这批选票的证明写入文件 Write the batch's tlog-proof to this new file.") var proofOut: String?

        func run() throws {
            try SessionCommands.importPaper(session: try session.get(), file: file, sheet: sheet, proofOut: proofOut, shape: .vote, global: global)
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "close",
            abstract: "结束投票 End casting; record the ballots returned.",
            discussion: """
                --returned is the number of paper ballots counted from the box (default: the ballots \
                recorded). It is recorded even when more than issued; the tally then voids the round.

                Example:
                  piaojue ballot close S1 --returned 289
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "会期 Session.") var session: SessionID
        @Option(parsing: .unconditional, help: "收回票数 Ballots returned.") var returned: Int?

        func run() throws { try SessionCommands.close(session: try session.get(), returned: returned, shape: .vote, global: global) }
    }

    struct Tally: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tally",
            abstract: "计票 Count and decide by the frozen rules.",
            discussion: """
                --csv writes the candidates in rank order with their counts and outcome for Excel; \
                --xlsx FILE also writes that table as an .xlsx workbook to a new file.

                Example:
                  piaojue ballot tally S1
                  piaojue ballot tally S1 --json > tally.json
                  piaojue ballot tally S1 --xlsx 计票结果.xlsx
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "会期 Session.") var session: SessionID
        @Flag(help: "输出 CSV（可用 Excel 打开）Write CSV for Excel.") var csv = false
        @Option(help: "另写一份 .xlsx 工作簿（新文件）Also write an .xlsx workbook to this new file.") var xlsx: String?

        func run() throws {
            if csv && global.json { throw UsageFailure.exclusive(options: ["--csv", "--json"]) }
            let session = try self.session.get()
            let workspace = try global.workspace()
            let result = try BallotService.tally(session: session, workspace: workspace)
            let context = try LedgerQueries.announcementContext(session: session, workspace: workspace)
            if let xlsx { try SpreadsheetExport.writeTally(result, titles: context.titles, to: xlsx) }
            if csv {
                Output.line(CSV.document(header: TallyTable.header, rows: TallyTable.rows(result, titles: context.titles)))
                return
            }
            global.emit(result) { TallyText.announcement(result, context: context) }
        }
    }

    struct Runoff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "runoff",
            abstract: "再次投票 A new session among the tied candidates for the seats left.",
            discussion: "Attendance carries over; new credentials are issued.\n\nExample:\n  piaojue ballot runoff S1")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "需要再次投票的会期 The session whose tally needs a runoff.") var session: SessionID

        func run() throws {
            let session = try self.session.get()
            let opened = try BallotService.runoff(session: session, workspace: global.workspace())
            global.emit(RunoffOutput(opened)) {
                "会期 \(opened.session)（第 \(opened.round) 轮）已开启：在 \(opened.header.items.joined(separator: "、")) 中选出 \(opened.seats) 项。出席情况沿用 \(session)，请重新发放凭证。\nRunoff \(opened.session) opened; issue new credentials: piaojue ballot issue \(opened.session) --out FILE"
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "会期进度 Where a session stands.",
            discussion: "Example:\n  piaojue ballot status S1")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "会期 Session.") var session: SessionID

        func run() throws {
            let session = try self.session.get()
            let status = try BallotService.status(session: session, workspace: global.workspace())
            let state = status.state
            global.emit(BallotStatusOutput(opened: status.opened, state: state, tally: status.tally)) {
                """
                会期 \(session)：候选名单 \(status.opened.list)，第 \(status.opened.round) 轮，应选 \(status.opened.seats) 项
                出席 \(state.present.count) / 实有 \(state.header.seated)（法定人数 \(state.quorumNeeded)：\(state.quorumReached ? "已达到" : "未达到")）
                已发凭证 \(state.issued) 张（\(state.batches.count) 批），已投 \(state.recorded) 张；\(state.isClosed ? "已结束投票" : "投票进行中")\(status.tally.map { "；计票结果：\($0.status.rawValue)" } ?? "")
                """
            }
        }
    }
}
