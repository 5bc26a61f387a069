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

    /// The storage and checkpoint checks of a live ledger.
    static let storageCheckNames = [
        "账本存储与索引列 / stored leaf hashes and index columns",
        "检查点签名 / checkpoint signatures (C2SP signed note)",
        "检查点的默克尔根与大小 / checkpoint Merkle roots and sizes (RFC 9162)",
    ]

    /// What the standard observers check: sessions, then rating sessions.
    static let sessionCheckNames = [
        "票决办法先于凭证冻结 / rules, list and roster frozen before the first credential",
        "签到代表在名册且在任 / every check-in names a seated deputy on the frozen roster",
        "发放凭证时达到法定人数 / quorum at every issue, one credential per present deputy",
        "每张选票由本会期发放的凭证签署 / every ballot signed by a credential issued in its session",
        "一证一票 / one ballot per credential",
        "投票在发放之后、结束之前 / ballots only while the session is open",
        "收回不多于发出，否则本轮无效 / returned ≤ issued, else the round is void",
        "重新计票与记录一致 / re-tally from the ballots equals the recorded tally",
        "当选结果符合冻结规则 / chosen set follows the frozen rules",
        "测评会期的规则、项目与测评人冻结 / rating sessions: rules, projects and raters frozen",
        "测评等次由选票重新推导一致 / rating classes and rates re-derived from the ballots",
        "整改记录对应被标记整改的项目 / every rectification follows a flagged rating",
    ]

    static let checkNames = streamCheckNames + storageCheckNames + sessionCheckNames

    @Test func aWholeVotePassesEveryCheck() throws {
        let bundle = try PublishedBundle()
        let report = LedgerAudit.verify(try Ledger.open(at: bundle.world.settings.databasePath, readOnly: true))
        #expect(report.ok, "\(String(describing: report.firstFailure))")
        #expect(report.firstFailure == nil)
        #expect(report.checks.map(\.id) == Array(1...21))
        #expect(report.checks.map(\.name) == Self.checkNames)
        let entries = try bundle.world.entryCount() ?? 0
        #expect(report.checks[0].detail == "\(entries) 条全部为规范 JSON / all \(entries) entries canonical")
        #expect(report.checks[1].detail == "0…\(entries - 1) 连续 / contiguous")
        #expect(report.checks[5].detail == "5 张选票的凭证签名有效 / valid")
        #expect(report.checks[6].detail == "\(entries) 行的哈希与索引列一致 / all rows agree")
        #expect(report.checks[13].detail == "5 张选票，无一证多投 / no credential used twice")
        #expect(report.checks[16].detail == "1 次计票均可由选票重新得出 / all re-derived")
    }

    @Test func aNewLedgerPassesWithNothingToCheckYet() throws {
        let world = try ServiceWorld()
        let report = LedgerAudit.verify(try Ledger.open(at: world.settings.databasePath, readOnly: true))
        #expect(report.ok)
        #expect(report.checks.map(\.name) == Self.checkNames)
        #expect(report.checks[0].detail == "1 条全部为规范 JSON / all 1 entries canonical")
        #expect(report.checks[5].detail == "0 张选票的凭证签名有效 / valid")
        #expect(report.checks[7].detail == "1 个检查点均由机关签名 / all signed by the body")
    }

    @Test func withoutObserversOnlyIntegrityIsChecked() throws {
        let bundle = try PublishedBundle()
        let report = LedgerAudit.verify(try Ledger.open(at: bundle.world.settings.databasePath, readOnly: true), observers: [])
        #expect(report.ok)
        #expect(report.checks.map(\.name) == Self.streamCheckNames + Self.storageCheckNames)
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
        #expect(report.checks[18].detail == "1 个测评会期均已冻结 / all frozen")
        #expect(report.checks[19].detail == "1 次测评的等次与满意率均可由选票重新得出 / all re-derived")
        #expect(report.checks[20].detail == "1 条整改记录均对应被标记的项目 / all follow a flagged rating")
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
