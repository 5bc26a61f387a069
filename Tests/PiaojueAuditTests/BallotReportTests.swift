import Foundation
import PiaojueAudit
import PiaojueCrypto
import PiaojueDomain
import PiaojueTestSupport
import Testing

/// `BallotReport` and `ReportRenderer`: the 主席团公告 names the chosen projects in rank order, ties
/// in ballot order, and the page and the Markdown show the frozen rules and how to verify.
@Suite struct BallotReportTests {
    static let checkpoint = Checkpoint(origin: "piaojue/测试县人大", size: 42, root: [UInt8](repeating: 0xAB, count: 32))

    /// A session over P1…P`n` for `seats`, decided from `approvals` (赞成 per candidate) by
    /// `voters` ballots, every one of `seated` present.
    static func source(
        approvals: [Int], seats: Int, seated: Int = 10, voters: Int = 10, returned: Int? = nil, rules: BallotRules = .standard,
        batches: [Int] = [10], titles: [String]? = nil
    ) -> BallotReport.Source {
        let ids = approvals.indices.map { "P\($0 + 1)" }
        let candidates = ids.enumerated().map { n, id in
            Candidate(id: id, title: titles?[n] ?? "项目\(n + 1)", category: "市政建设", budget: nil, unit: nil, location: nil)
        }
        let header = SessionHeader(
            session: "S1", shape: .vote, items: ids, seated: seated, rosterEntry: 1, rosterHash: "roster-hash", quorum: rules.quorum)
        let opened = BallotSessionOpened(
            session: "S1", header: header, list: "L1", listHash: "list-hash", candidates: candidates, seats: seats, round: 1, parent: nil,
            budgetCommitted: 0, rulesName: "default", rules: rules, rulesHash: "rules-hash", scrutineers: ["总监票人甲", "监票人乙"])
        let ballots = BallotSets.approvals(approvals, voters: voters, seats: seats).map { Choices([.approve: $0]) }
        let issued = batches.reduce(0, +)
        let tally = VoteTally.decide(TallyInput(
            session: "S1", list: "L1", round: 1, seats: seats, candidates: candidates, rules: rules, seated: seated, present: seated,
            issued: issued, returned: returned ?? voters, budgetCommitted: 0, ballots: ballots))
        let credentialBatches = batches.enumerated().map { n, count in
            CredentialsIssued(session: "S1", batch: n + 1, count: count, credentials: [], present: seated, seated: seated)
        }
        return BallotReport.Source(
            body: "测试县人民代表大会", opened: opened, batches: credentialBatches,
            closed: SessionClosed(session: "S1", issued: issued, recorded: voters, returned: returned ?? voters), tally: tally,
            checkpoint: checkpoint, decidedAt: "2025-01-15T03:00:00Z")
    }

    @Test func theAnnouncementNamesTheChosenInRankOrderTiesInBallotOrder() throws {
        // P2 has the most 赞成; P1 and P3 tie below it and are both chosen: P1 first, as on the ballot.
        let source = Self.source(approvals: [6, 8, 6, 1], seats: 3)
        #expect(source.tally.chosen == ["P2", "P1", "P3"])
        let model = BallotReport.model(source)
        #expect(model.title == "测试县人民代表大会民生实事项目票决结果公告")
        #expect(model.subtitle.contains("会期 Session S1 · 第 1 轮 · 2025-01-15"))
        #expect(model.announcement[0].hasPrefix("2025-01-15，测试县人民代表大会以无记名投票方式对 4 个民生实事候选项目进行票决"))
        #expect(model.announcement[1] == "按得票多少为序，下列项目当选为民生实事项目：1. 项目2（P2，赞成 8 票）；2. 项目1（P1，赞成 6 票）；3. 项目3（P3，赞成 6 票）。")
        #expect(model.announcement[2].hasSuffix("Chosen in rank order: P2, P1, P3."))
        #expect(model.announcement[3] == "特此公告。测试县人民代表大会主席团")
        #expect(model.bars.map(\.id) == ["P2", "P1", "P3", "P4"])
        #expect(model.bars.map(\.outcome) == ["当选 chosen", "当选 chosen", "当选 chosen", "未过半数"])
        #expect(model.bars.map(\.highlighted) == [true, true, true, false])
        #expect(model.bars[0].segments.map(\.count) == [8, 0, 2])
        #expect(model.threshold?.count == 6)
        #expect(model.scale == 10)
        #expect(model.notes.isEmpty)
        #expect(model.checkpointSize == 42)
        #expect(model.checkpointRootHex == String(repeating: "ab", count: 32))
        #expect(model.checkpointRootBase64 == Encoding.base64([UInt8](repeating: 0xAB, count: 32)))
        let facts = Dictionary(model.facts, uniquingKeysWith: { first, _ in first })
        #expect(facts["实有代表 Seated"] == "10")
        #expect(facts["法定人数 Quorum"] == "2/3，至少 7 名")
        #expect(facts["发出 Issued"] == "10（1 批 batches）")
        #expect(facts["结果 Status"] == "decided")
        let rules = Dictionary(model.rules, uniquingKeysWith: { first, _ in first })
        #expect(rules["规则指纹 Rules SHA-256"] == "rules-hash")
        #expect(rules["监票人 Scrutineers"] == "总监票人甲、监票人乙")
        #expect(rules["候选名单 List"] == "L1（候选 4，应选 3）")

        let html = ReportRenderer.html(model)
        let markdown = ReportRenderer.markdown(model)
        for text in [html, markdown] {
            let first = try #require(text.range(of: "1. 项目2（P2"))
            let second = try #require(text.range(of: "2. 项目1（P1"))
            let third = try #require(text.range(of: "3. 项目3（P3"))
            #expect(first.lowerBound < second.lowerBound && second.lowerBound < third.lowerBound)
            #expect(text.contains(String(repeating: "ab", count: 32)))
            #expect(text.contains("piaojue audit verify ."))
        }
        #expect(markdown.contains("| P2 | 项目2 | 8 | 0 | 2 | 当选 chosen |"))
        #expect(markdown.contains("| P4 | 项目4 | 1 | 0 | 9 | 未过半数 |"))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("http://") || html.contains("http://www.w3.org/2000/svg"))
    }

    @Test func equalVotesKeepBallotOrderEvenWhenALaterIdSortsFirst() {
        // P10 and P2 as text sort "P10" < "P2"; the ballot puts P2 first, and so must the report.
        var source = Self.source(approvals: [0, 7, 0, 0, 0, 0, 0, 0, 0, 7], seats: 2)
        #expect(source.tally.chosen == ["P2", "P10"])
        source.body = "乡人大"
        let model = BallotReport.model(source)
        #expect(model.bars.prefix(2).map(\.id) == ["P2", "P10"])
        #expect(model.announcement[1].contains("1. 项目2（P2，赞成 7 票）；2. 项目10（P10，赞成 7 票）"))
    }

    @Test func aVoidRoundIsAnnouncedAsVoid() {
        let model = BallotReport.model(Self.source(approvals: [8, 7, 1], seats: 2, returned: 11))
        #expect(model.announcement.count == 2)
        #expect(model.announcement[0].contains("发出选票 10 张，收回 11 张，收回票数多于发出票数，本轮投票无效，须重新投票。"))
        #expect(model.announcement[1] == "Session S1: 11 ballots returned for 10 issued; the round is void and must be held again.")
        #expect(model.notes.count == 1)
    }

    @Test func aTieAcrossTheLastSeatShowsTheRunoff() {
        let model = BallotReport.model(Self.source(approvals: [8, 6, 6], seats: 2))
        #expect(model.bars.map(\.outcome) == ["当选 chosen", "再次投票 runoff", "再次投票 runoff"])
        #expect(model.notes.first?.contains("A tie across the last seat") == true)
    }

    @Test func laterBatchesAndTheEVoterFormAreShown() {
        var rules = BallotRules.standard
        rules.form = .eVoter
        let model = BallotReport.model(Self.source(approvals: [8, 7, 1], seats: 2, rules: rules, batches: [7, 3]))
        #expect(model.notes.contains { $0.contains("凭证分 2 批发放（7、3 张）") })
        #expect(model.bars[0].segments.map(\.label) == ["赞成 approve", "反对 oppose", "弃权 abstain", "未按 not pressed"])
        let rulesRows = Dictionary(model.rules, uniquingKeysWith: { first, _ in first })
        #expect(rulesRows["选票样式 Form"] == "电子表决器，未按键的单列为未按、不计票 (e-voter)")
    }

    @Test func withoutAThresholdThereIsNoMajorityLine() {
        var rules = BallotRules.standard
        rules.thresholdBase = .none
        let model = BallotReport.model(Self.source(approvals: [3, 2, 1], seats: 2, rules: rules))
        #expect(model.threshold == nil)
        #expect(model.bars.map(\.outcome) == ["当选 chosen", "当选 chosen", "未当选"])
    }

    @Test func titlesAreEscapedInThePage() {
        let model = BallotReport.model(Self.source(approvals: [8, 7, 1], seats: 2, titles: ["<script>alert(1)</script>", "A&B", "\"引号\""]))
        let html = ReportRenderer.html(model)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("A&amp;B"))
    }

    @Test func theMerkleScriptIsTheOneTheBundleShips() {
        #expect(ReportRenderer.merkleScript.contains("hashlib.sha256(b\"\\x00\" + line.rstrip(b\"\\n\"))"))
        #expect(ReportRenderer.verifyCommands.last == "piaojue audit verify .")
    }
}
