public import PiaojueCrypto
public import PiaojueDomain

/// Builds the report model of a rating session.
public enum RatingReport {
    public static func model(
        body: String, opened: RatingSessionOpened, result: RatingResult, batches: Int, closed: SessionClosed? = nil,
        checkpoint: Checkpoint, decidedAt: String
    ) -> ReportModel {
        let date = String(decidedAt.prefix(10))
        let titles = Dictionary(uniqueKeysWithValues: opened.projects.map { ($0.id, $0.title) })
        var announcement: [String] = []
        if result.status == .void {
            announcement.append("\(date)，\(body)对民生实事项目进行满意度测评（会期 \(result.session)）。发出测评票 \(result.issued) 张，收回 \(result.returned) 张，收回多于发出，本次测评无效，须重新测评。")
        } else {
            let rows = result.projects.map { rating -> String in
                "\(titles[rating.id] ?? rating.id)（\(rating.id)）：满意 \(rating.satisfied)、基本满意 \(rating.basic)、不满意 \(rating.dissatisfied)，测评等次“\(rating.classification?.rawValue ?? "—")”，满意率 \(rating.rate?.percentText ?? "—")"
            }
            announcement.append("\(date)，\(body)以无记名投票方式对 \(result.projects.count) 个民生实事项目进行满意度测评（会期 \(result.session)\(opened.rerated.isEmpty ? "" : "，含再测评 \(opened.rerated.joined(separator: "、"))")）。应到 \(result.seated) 名，实到 \(result.present) 名；发出测评票 \(result.issued) 张，收回 \(result.returned) 张，有效 \(result.valid) 张，无效 \(result.invalid) 张。")
            announcement.append(rows.joined(separator: "；") + "。")
            if !result.rectify.isEmpty {
                let flagged = "测评等次为“\(opened.rules.rectifyClass.rawValue)”" + (opened.rules.rectifyBelowRate.map { "或满意率低于 \($0.percentText)" } ?? "")
                announcement.append("\(flagged)的项目须整改并再次测评：\(result.rectify.map { "\(titles[$0] ?? $0)（\($0)）" }.joined(separator: "、"))。")
            }
            announcement.append("Rating session \(result.session): \(result.valid) valid ballots of \(result.seated) raters; classes \(result.projects.map { "\($0.id) \($0.classification?.rawValue ?? "-")" }.joined(separator: ", ")).")
        }
        let bars = result.projects.map { rating -> ReportModel.Bar in
            ReportModel.Bar(
                id: rating.id, title: titles[rating.id] ?? rating.id,
                segments: [
                    ("满意 satisfied", rating.satisfied, "#2e7d32"), ("基本满意 basic", rating.basic, "#81c784"),
                    ("不满意 dissatisfied", rating.dissatisfied, "#c62828"), ("弃权 abstain", rating.abstain, "#bdbdbd"),
                ],
                outcome: "\(rating.classification?.rawValue ?? "—") \(rating.rate?.percentText ?? "")",
                highlighted: rating.classification == .satisfied)
        }
        var notes: [String] = []
        if let explanation = result.explanation { notes.append(explanation) }
        if let closed {
            for discrepancy in closed.discrepancies ?? [] { notes.append("核对不符 Discrepancy：" + discrepancy.sentence(closed)) }
        }
        for project in opened.projects where project.rerate {
            notes.append("\(project.id) \(project.title) 为再测评：上次测评 \(project.previousRating ?? "") 后已记录整改（第 \(project.rectification ?? 0) 条）。Re-rated after rectification.")
        }
        let baseText = switch result.base {
        case .seated: "应到测评人 \(result.baseCount) 名 / all \(result.baseCount) raters entitled"
        case .present: "实到 \(result.baseCount) 名 / \(result.baseCount) present"
        case .valid: "有效票 \(result.baseCount) 张 / \(result.baseCount) valid ballots"
        }
        return ReportModel(
            body: body, title: "\(body)民生实事项目满意度测评结果", subtitle: "Year-end satisfaction rating · 会期 Session \(result.session) · \(date)",
            announcement: announcement,
            facts: [
                ("应到 Raters entitled", String(result.seated)), ("实到 Present", String(result.present)),
                ("发出 Issued", "\(result.issued)（\(batches) 批）"), ("收回 Returned", String(result.returned)),
                ("有效 Valid", String(result.valid)), ("无效 Invalid", String(result.invalid)), ("结果 Status", result.status.rawValue),
            ],
            rules: [
                ("规则名称 Preset", opened.rulesName), ("测评人 Raters", opened.raters.rawValue),
                ("等次基数 Base", baseText + (result.strict ? "，须超过半数（恰好一半不通过）strict" : "")),
                ("等次规则 Rule", result.strict
                    ? "满意 > 基数/2 → 满意；否则 满意+基本满意 > 基数/2 → 基本满意；否则 不满意"
                    : "满意 ≥ 基数/2 → 满意；否则 满意+基本满意 ≥ 基数/2 → 基本满意；否则 不满意"),
                ("整改 Rectification", "等次为“\(opened.rules.rectifyClass.rawValue)”\(opened.rules.rectifyBelowRate.map { " 或满意率低于 \($0.percentText)" } ?? "")"),
                ("规则指纹 Rules SHA-256", opened.rulesHash), ("名册指纹 Roster SHA-256", opened.header.rosterHash),
            ],
            bars: bars,
            threshold: result.status == .void ? nil : (result.threshold, "过半数线：\(result.threshold) 票 / majority line: \(result.threshold)"),
            scale: max(result.valid, result.threshold, 1), chartTitle: "各项目测评票 Ratings per project", notes: notes,
            checkpointOrigin: checkpoint.origin, checkpointSize: checkpoint.size, checkpointRootBase64: Encoding.base64(checkpoint.root),
            checkpointRootHex: Encoding.hex(checkpoint.root), generated: "检查点 checkpoint \(checkpoint.size)")
    }
}
