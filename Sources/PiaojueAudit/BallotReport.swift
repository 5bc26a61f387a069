public import PiaojueCrypto
public import PiaojueDomain

/// Builds the report model of a ballot session.
public enum BallotReport {
    /// Everything the report of a ballot session shows.
    public struct Source: Sendable {
        public var body: String
        public var opened: BallotSessionOpened
        public var batches: [CredentialsIssued]
        public var closed: SessionClosed?
        public var tally: TallyResult
        public var checkpoint: Checkpoint
        public var decidedAt: String

        public init(
            body: String, opened: BallotSessionOpened, batches: [CredentialsIssued], closed: SessionClosed?, tally: TallyResult,
            checkpoint: Checkpoint, decidedAt: String
        ) {
            self.body = body
            self.opened = opened
            self.batches = batches
            self.closed = closed
            self.tally = tally
            self.checkpoint = checkpoint
            self.decidedAt = decidedAt
        }
    }

    static func formText(_ form: BallotForm) -> String {
        switch form {
        case .approveOpposeAbstain: "赞成/反对/弃权，未标记的计为弃权 (approve-oppose-abstain)"
        case .approveOnly: "勾选，未勾选的计为不赞成 (approve-only)"
        case .eVoter: "电子表决器，未按键的单列为未按、不计票 (e-voter)"
        }
    }

    static func baseText(_ base: ThresholdBase) -> String {
        switch base {
        case .seated: "全体代表（实有代表）seated"
        case .present: "出席代表 present"
        case .valid: "有效票 valid ballots"
        case .none: "不设过半数，只按得票排序 none (rank only)"
        }
    }

    public static func model(_ source: Source) -> ReportModel {
        let tally = source.tally
        let opened = source.opened
        let titles = Dictionary(uniqueKeysWithValues: opened.candidates.map { ($0.id, $0.title) })
        let approvals = Dictionary(uniqueKeysWithValues: tally.candidates.map { ($0.id, $0.approve) })
        let date = String(source.decidedAt.prefix(10))
        var announcement: [String] = []
        switch tally.status {
        case .void:
            announcement.append("\(date)，\(source.body)对民生实事候选项目进行票决（会期 \(tally.session)）。发出选票 \(tally.issued) 张，收回 \(tally.returned) 张，收回票数多于发出票数，本轮投票无效，须重新投票。")
            announcement.append("Session \(tally.session): \(tally.returned) ballots returned for \(tally.issued) issued; the round is void and must be held again.")
        case .decided, .runoffRequired:
            let chosen = tally.chosen.enumerated().map { n, id in
                "\(n + 1). \(titles[id] ?? id)（\(id)，赞成 \(approvals[id] ?? 0) 票）"
            }
            announcement.append("\(date)，\(source.body)以无记名投票方式对 \(opened.candidates.count) 个民生实事候选项目进行票决（会期 \(tally.session)，第 \(tally.round) 轮，应选 \(tally.seats) 项）。实有代表 \(tally.seated) 名，出席 \(tally.present) 名，符合法定人数。发出选票 \(tally.issued) 张，收回 \(tally.returned) 张，其中有效票 \(tally.valid) 张，无效票 \(tally.invalid) 张。")
            announcement.append(chosen.isEmpty ? "本轮没有项目当选。" : "按得票多少为序，下列项目当选为民生实事项目：" + chosen.joined(separator: "；") + "。")
            announcement.append("Session \(tally.session) (round \(tally.round), \(tally.seats) seats): \(tally.present) of \(tally.seated) deputies present; \(tally.issued) ballots issued, \(tally.returned) returned, \(tally.valid) valid, \(tally.invalid) invalid. Chosen in rank order: \(tally.chosen.isEmpty ? "none" : tally.chosen.joined(separator: ", ")).")
            announcement.append("特此公告。\(source.body)主席团")
        }
        var notes: [String] = []
        if let explanation = tally.explanation(maxRounds: opened.rules.maxRounds) { notes.append(explanation) }
        for skipped in tally.skipped {
            notes.append("\(skipped.id) \(titles[skipped.id] ?? "")：\(skipped.explanation(cap: opened.rules.budgetCap))")
        }
        if let closed = source.closed {
            for discrepancy in closed.discrepancies ?? [] { notes.append("核对不符 Discrepancy：" + discrepancy.sentence(closed)) }
        }
        if source.batches.count > 1 {
            let sizes = source.batches.map { String($0.count) }.joined(separator: "、")
            notes.append("凭证分 \(source.batches.count) 批发放（\(sizes) 张）；后到代表所在批次的匿名范围较小。Credentials were issued in \(source.batches.count) batches (\(sizes)); later batches have a smaller anonymity set.")
        }
        let notPressed = tally.form == .eVoter
        let bars = tally.ranked.map { count -> ReportModel.Bar in
            var segments: [(label: String, count: Int, color: String)] = [
                ("赞成 approve", count.approve, "#2e7d32"), ("反对 oppose", count.oppose, "#c62828"), ("弃权 abstain", count.abstain, "#9e9e9e"),
            ]
            if notPressed { segments.append(("未按 not pressed", count.notPressed ?? 0, "#d7ccc8")) }
            let outcome = count.chosen ? "当选 chosen" : tally.runoff.contains(count.id) ? "再次投票 runoff" : count.eligible ? "未当选" : "未过半数"
            return ReportModel.Bar(id: count.id, title: titles[count.id] ?? count.id, segments: segments, outcome: outcome, highlighted: count.chosen)
        }
        let threshold: (count: Int, label: String)? = tally.thresholdBase == .none ? nil :
            (tally.threshold, "过半数线：赞成须达 \(tally.threshold) 票 / majority line: \(tally.threshold) approvals")
        let facts: [(String, String)] = [
            ("实有代表 Seated", String(tally.seated)), ("出席 Present", String(tally.present)),
            ("法定人数 Quorum", "\(opened.rules.quorum)，至少 \(opened.rules.quorum.minimumCount(of: tally.seated)) 名"),
            ("发出 Issued", "\(tally.issued)（\(source.batches.count) 批 batches）"), ("收回 Returned", String(tally.returned)),
            ("未收回 Not returned", String(tally.notReturned)), ("有效 Valid", String(tally.valid)), ("无效 Invalid (废票)", String(tally.invalid)),
            ("结果 Status", tally.status.rawValue), ("空缺 Shortfall", String(tally.shortfall)),
        ]
        var rules: [(String, String)] = [
            ("规则名称 Preset", opened.rulesName), ("候选名单 List", "\(opened.list)（候选 \(opened.candidates.count)，应选 \(opened.seats)）"),
            ("选票样式 Form", formText(opened.rules.form)),
            ("过半数基数 Threshold base", baseText(opened.rules.thresholdBase) + (opened.rules.thresholdStrict ? "，须超过半数 strict" : "，达到半数即可")),
            ("多选作废 Over-marked void", opened.rules.overmarkVoidsBallot ? "是 yes" : "否 no"),
            ("收回多于发出 Excess returned", opened.rules.excessReturnedVoidsRound ? "本轮无效 voids the round" : "照常计票"),
            ("并列 Tie", "再次投票，最多 \(opened.rules.maxRounds) 轮 runoff, at most \(opened.rules.maxRounds) rounds"),
            ("不足额 Shortfall", opened.rules.shortfall == .leaveVacant ? "空缺 leave vacant" : "就剩余名额再次投票 revote remaining"),
            ("资金上限 Budget cap", opened.rules.budgetCap.map { Money.display($0) } ?? "无 none"),
            ("规则指纹 Rules SHA-256", opened.rulesHash), ("名单指纹 List SHA-256", opened.listHash), ("名册指纹 Roster SHA-256", opened.header.rosterHash),
        ]
        if !opened.scrutineers.isEmpty { rules.append(("监票人 Scrutineers", opened.scrutineers.joined(separator: "、"))) }
        if let parent = opened.parent { rules.append(("上一轮 Previous round", parent)) }
        return ReportModel(
            body: source.body, title: "\(source.body)民生实事项目票决结果公告",
            subtitle: "Result of the people's-livelihood projects vote · 会期 Session \(tally.session) · 第 \(tally.round) 轮 · \(date)",
            announcement: announcement, facts: facts, rules: rules, bars: bars, threshold: threshold,
            scale: max(tally.valid, tally.threshold, 1), chartTitle: "各候选项目得票 Votes per candidate", notes: notes,
            checkpointOrigin: source.checkpoint.origin, checkpointSize: source.checkpoint.size,
            checkpointRootBase64: Encoding.base64(source.checkpoint.root), checkpointRootHex: Encoding.hex(source.checkpoint.root),
            generated: "检查点 checkpoint \(source.checkpoint.size)")
    }
}
