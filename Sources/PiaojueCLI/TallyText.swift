import PiaojueDomain
import PiaojueServices

/// The tally as a 主席团公告 (bilingual plain text).
enum TallyText {
    static func baseText(_ result: TallyResult) -> String {
        switch result.thresholdBase {
        case .seated: "全体代表 \(result.seated) 名 / all \(result.seated) seated deputies"
        case .present: "出席代表 \(result.present) 名 / \(result.present) present"
        case .valid: "有效票 \(result.valid) 张 / \(result.valid) valid ballots"
        case .none: "不设过半数要求（按得票排序）/ rank only"
        }
    }

    static func announcement(_ result: TallyResult, context: AnnouncementContext) -> String {
        let explanation = result.explanation(maxRounds: context.maxRounds)
        var lines: [String] = []
        lines.append("\(context.body)主席团公告 — 民生实事项目票决结果")
        lines.append("Announcement of the presidium: result of session \(result.session) (list \(result.list), round \(result.round))")
        lines.append("")
        lines.append("实有代表 \(result.seated) 名，出席 \(result.present) 名。发出选票 \(result.issued) 张，收回 \(result.returned) 张，有效 \(result.valid) 张，无效 \(result.invalid) 张\(result.notReturned > 0 ? "，未收回 \(result.notReturned) 张" : "")。")
        lines.append("Seated \(result.seated), present \(result.present); issued \(result.issued), returned \(result.returned), valid \(result.valid), invalid \(result.invalid).")
        if result.status == .void {
            lines.append("")
            lines.append("本轮投票无效 VOID：\(explanation ?? "")")
            return lines.joined(separator: "\n")
        }
        lines.append("过半数基数：\(baseText(result))\(result.thresholdBase == .none ? "" : "，须获赞成 \(result.threshold) 票以上 / at least \(result.threshold) approvals")。")
        lines.append("")
        let notPressed = result.form == .eVoter
        lines.append("编号\t赞成\t反对\t弃权\(notPressed ? "\t未按" : "")\t结果\t项目")
        for count in result.ranked {
            let outcome = count.chosen ? "当选" : result.runoff.contains(count.id) ? "再次投票" : count.eligible ? "未当选" : "未过半数"
            lines.append("\(count.id)\t\(count.approve)\t\(count.oppose)\t\(count.abstain)\(notPressed ? "\t\(count.notPressed ?? 0)" : "")\t\(outcome)\t\(context.titles[count.id] ?? "")")
        }
        lines.append("")
        let chosen = result.chosen.map { id in
            "\(id) \(context.titles[id] ?? "")（赞成 \(result.candidates.first { $0.id == id }?.approve ?? 0) 票）"
        }
        lines.append("当选项目（按得票多少排序）Chosen in rank order：" + (chosen.isEmpty ? "无 none" : chosen.joined(separator: "；")))
        for skipped in result.skipped { lines.append("因资金上限跳过 Skipped: \(skipped.id) — \(skipped.explanation(cap: context.budgetCap))") }
        if let explanation { lines.append(explanation) }
        if result.status == .runoffRequired { lines.append("下一步 Next: piaojue ballot runoff \(result.session)") }
        return lines.joined(separator: "\n")
    }
}
