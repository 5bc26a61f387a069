import Foundation
import PiaojueAudit
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// `LedgerAudit.verify` on clean ledgers: every check passes, in a fixed order under fixed names.
@Suite struct LedgerAuditTests {
    /// The stream's integrity checks (the same in `BundleAudit`).
    static let streamCheckNames = [
        "条目格式与规范 JSON / entries well-formed and canonical (RFC 8785)",
        "序号连续 / index sequence 0…n−1",
        "哈希链 / hash chain (prev = previous leaf hash)",
        "创建条目与机关公钥 / first entry and body key",
        "机关签名 / body signatures on body entries",
        "选票凭证签名 / ballot credential signatures",
    ]

    /// The storage, schema, checkpoint and trust checks of a live ledger (7–11).
    static let storageCheckNames = [
        "账本存储与索引列 / stored leaf hashes, index columns and issued-credentials table",
        "账本结构 / the schema is exactly what the migrations create (no foreign trigger, view, index or table)",
        "检查点签名 / stored checkpoints signed by the body (C2SP signed note)",
        "检查点记录 / stored checkpoints: size, root, frontier, time and reason re-derived (RFC 9162)",
        "信任的机关公钥 / the body key trusted (--trusted-key, or the ledger's own, with its fingerprint)",
    ]

    /// The history replay's checks (12–30 in both modes).
    static let sessionCheckNames = [
        "条目种类、时间与格式 / known entry kinds, times never going back, the payload format",
        "账本创建条目 / ledger.init: body, level, key name and format derived",
        "名册 / rosters and raters' lists valid, counts and hashes re-derived",
        "征集初定 / every proposal, import, screening, approval and candidate list re-derived",
        "会期开启 / every session opening re-derived: list, round, seats, budget committed, roster, rules frozen before the first credential",
        "签到 / every check-in re-derived: seated deputies of the frozen roster, counts",
        "发放凭证 / every issue and handout re-derived: quorum, one slip per deputy present, keys sorted and never reused",
        "每张选票由本会期发放的凭证签署 / every ballot signed by a credential issued in its session",
        "一证一票 / one ballot per credential, no more ballots than slips handed out",
        "投票在发放之后、结束之前 / ballots only while the session is open",
        "选票格式 / every ballot of its session's form, its medium signed (electronic ballots in ballot order)",
        "纸质选票录入 / every paper import summary re-derived: count, void ballots, file",
        "结束投票 / every close re-derived: issued, recorded, returned; returned ≤ issued or the round void",
        "重新计票与记录一致 / re-tally from the ballots equals the recorded counts",
        "当选结果符合冻结规则 / every decision re-derived by the frozen rules",
        "测评会期 / every rating session re-derived: projects chosen and eligible, raters, rules frozen",
        "测评等次 / every rating re-derived from its ballots by the frozen rules",
        "整改 / every rectification re-derived from a flagged rating",
        "组织实施 / every plan, progress report, problem and adjustment re-derived",
    ]

    /// The last check: checkpoints given with `--checkpoint`.
    static let pinnedCheckName = "外部检查点 / pinned checkpoints (--checkpoint) extended by this ledger"

    static let checkNames = streamCheckNames + storageCheckNames + sessionCheckNames + [pinnedCheckName]


    @Test func aWholeVotePassesEveryCheck() throws {
        let bundle = try PublishedBundle()
        let report = LedgerAudit.verify(try Ledger.open(at: bundle.world.settings.databasePath, readOnly: true))
        #expect(report.ok, "\(String(describing: report.firstFailure))")
        #expect(report.firstFailure == nil)
        #expect(report.checks.map(\.id) == Array(1...31))
        #expect(report.checks.map(\.name) == Self.checkNames)
        let entries = try bundle.world.entryCount() ?? 0
        #expect(report.checks[0].detail == "\(entries) 条全部为规范 JSON / all \(entries) entries canonical")
        #expect(report.checks[1].detail == "0…\(entries - 1) 连续 / contiguous")
        #expect(report.checks[5].detail == "5 张选票的凭证签名有效 / valid")
        #expect(report.checks[6].detail == "\(entries) 行的哈希与索引列一致 / all rows agree")
        #expect(report.checks[19].detail == "5 张选票，无一证多投，不多于发出的凭证 / no credential used twice")
        #expect(report.checks[24].detail == "1 次计票均可由选票重新得出 / all re-derived")
        let key = try Ed25519PublicKey(pem: try String(contentsOfFile: bundle.file("body.pub.pem"), encoding: .utf8))
        #expect(report.checks[10].detail.contains(KeyFingerprint.text(rawKey: key.rawBytes)))
    }

    @Test func aNewLedgerPassesWithNothingToCheckYet() throws {
        let world = try ServiceWorld()
        let report = LedgerAudit.verify(try Ledger.open(at: world.settings.databasePath, readOnly: true))
        #expect(report.ok)
        #expect(report.checks.map(\.name) == Self.checkNames)
        #expect(report.checks[0].detail == "1 条全部为规范 JSON / all 1 entries canonical")
        #expect(report.checks[5].detail == "0 张选票的凭证签名有效 / valid")
        #expect(report.checks[7].detail == "与迁移脚本建立的结构完全相同 / exactly the migrations' schema")
        #expect(report.checks[8].detail == "1 个检查点均由机关签名 / all signed by the body")
    }

    @Test func withoutObserversOnlyIntegrityIsChecked() throws {
        let bundle = try PublishedBundle()
        let report = LedgerAudit.verify(try Ledger.open(at: bundle.world.settings.databasePath, readOnly: true), observers: [])
        #expect(report.ok)
        #expect(report.checks.map(\.name) == Self.streamCheckNames + Self.storageCheckNames)
        #expect(report.checks.count == 11)
    }

    @Test func ratingSessionsAndRectificationsAreReDerived() throws {
        let world = try ServiceWorld(now: "2025-01-15T01:00:00Z")
        try world.decidedVote()
        try world.clock.set("2026-01-10")
        _ = try EvaluationService.open(selection: .year(2025), rules: world.rules, workspace: world.workspace)
        try world.checkin("R1", 1...5, shape: .rating)
        let codes = try world.issue("R1", shape: .rating)
        for code in codes { try world.rate("R1", code, [.satisfied: ["P1"], .dissatisfied: ["P2"]]) }
        try world.close("R1", shape: .rating)
        #expect(try EvaluationService.tally(session: "R1", workspace: world.workspace).rectify == ["P2"])
        _ = try EvaluationService.rectify(project: "P2", what: "整改", unit: "县住建局", due: try Day(parsing: "2026-06-30"), workspace: world.workspace)
        let report = LedgerAudit.verify(try Ledger.open(at: world.settings.databasePath, readOnly: true))
        #expect(report.ok, "\(String(describing: report.firstFailure))")
        #expect(report.checks[26].detail == "1 个测评会期均可重新推导 / all re-derived")
        #expect(report.checks[27].detail == "1 次测评的等次与满意率均可由选票重新得出 / all re-derived")
        #expect(report.checks[28].detail == "1 条整改记录均对应被标记的项目 / all follow a flagged rating")
    }

    @Test func aReportIsOkOnlyWithChecksThatAllPass() {
        #expect(!VerificationReport(checks: []).ok)
        let pass = Check(id: 1, name: "a", ok: true, detail: "")
        let fail = Check(id: 2, name: "b", ok: false, detail: "why")
        #expect(VerificationReport(checks: [pass]).ok)
        #expect(!VerificationReport(checks: [pass, fail]).ok)
        #expect(VerificationReport(checks: [pass, fail, Check(id: 3, name: "c", ok: false, detail: "")]).firstFailure == fail)
    }
}
