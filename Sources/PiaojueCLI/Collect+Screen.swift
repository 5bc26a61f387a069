import ArgumentParser
import PiaojueDomain
import PiaojueServices

extension Piaojue.Collect {
    /// `collect screen`: accept, reject with a negative-list reason, or merge.
    struct Screen: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "screen",
            abstract: "筛选论证 Accept, reject (negative-list reason) or merge a proposal.",
            discussion: """
                Reject reasons come from the rules file's 负面清单 (give the text or its number); \
                add free text with --note. Merging keeps both proposers on the target.

                Example:
                  piaojue collect screen P3 --accept
                  piaojue collect screen P7 --reject 个别单位或个人诉求 --note "仅惠及一户"
                  piaojue collect screen P9 --merge-into P4
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var rulesOption: RulesOption
        @Argument(help: "建议项目编号 Proposal id.") var id: ProposalID
        @Flag(help: "采纳 Accept.") var accept = false
        @Option(help: "不予采纳的理由（负面清单）Reject with this negative-list reason.") var reject: String?
        @Option(name: .customLong("merge-into"), help: "并入另一项目 Merge into this proposal.") var mergeInto: ProposalID?
        @Option(help: "说明 Free-text note.") var note: String?

        func run() throws {
            guard [accept, reject != nil, mergeInto != nil].filter({ $0 }).count == 1 else {
                throw UsageFailure.needsOne(options: ["--accept", "--reject REASON", "--merge-into ID2"])
            }
            let id = try self.id.get()
            let mergeInto = try self.mergeInto.value()
            let workspace = try global.workspace()
            let rules = try workspace.rules(rulesOption.rules)
            let decision: ProposalScreened.Decision = accept ? .accept : reject != nil ? .reject : .merge
            let result = try CollectionService.screen(
                id: id, decision: decision, reason: reject, into: mergeInto, note: note, rules: rules, workspace: workspace)
            global.emit(ScreenOutput(event: result.event, status: result.status)) {
                switch decision {
                case .accept: "\(id) 已采纳。Accepted."
                case .reject: "\(id) 不予采纳，理由：\(result.event.reason ?? "")。Rejected."
                case .merge: "\(id) 已并入 \(result.event.into ?? "")，建议人一并保留。Merged; both proposers kept."
                }
            }
        }
    }

    /// `collect approve`: one approval step of the candidate list.
    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve",
            abstract: "候选名单审批环节 Record an approval step of the candidate list.",
            discussion: """
                Steps and their order come from the rules file (default: 政府常务会议, then 党委审定).

                Example:
                  piaojue collect approve --step 政府常务会议 --ref "县政府第12次常务会议纪要"
                  piaojue collect approve --step 党委审定 --ref "县委常委会〔2025〕3号"
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var rulesOption: RulesOption
        @Option(help: "审批环节 The step.") var step: String
        @Option(help: "会议文号或纪要 The meeting reference.") var ref: String

        func run() throws {
            let workspace = try global.workspace()
            let event = try CollectionService.approve(step: step, ref: ref, rules: try workspace.rules(rulesOption.rules), workspace: workspace)
            global.emit(ApproveOutput(event)) {
                "已记录审批环节“\(event.step)”（\(event.ref)），用于候选名单 \(event.list)。Approval step recorded."
            }
        }
    }

    /// `collect shortlist`: freeze the candidate list.
    struct Shortlist: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "shortlist",
            abstract: "冻结候选名单 Freeze the candidate list (its hash goes into the ledger).",
            discussion: """
                Refused when an approval step is missing (named), when a candidate was not accepted in \
                screening, or when the 差额 rule is broken. Accepted proposals left off go to the reserve pool.

                Example:
                  piaojue collect shortlist --seats 10 P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 P11 P12
                  piaojue collect shortlist --seats 15 --rules equal-slate P1 … P15
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var rulesOption: RulesOption
        @Option(parsing: .unconditional, help: "应选数 Seats (projects to choose).") var seats: Int
        @Argument(help: "候选项目编号 Candidate ids (spaces or commas).") var ids: [ProposalIDs] = []

        func run() throws {
            let workspace = try global.workspace()
            let event = try CollectionService.shortlist(
                seats: seats, ids: try ids.ids(), rules: try workspace.rules(rulesOption.rules), workspace: workspace)
            global.emit(ShortlistOutput(event)) {
                "候选名单 \(event.list) 已冻结：候选 \(event.candidates.count) 项，应选 \(event.seats) 项（\(event.candidates.map(\.id).joined(separator: ","))）。指纹 \(event.candidatesHash.prefix(16))…\nCandidate list \(event.list) frozen. Next: piaojue ballot open --list \(event.list)"
            }
        }
    }
}
