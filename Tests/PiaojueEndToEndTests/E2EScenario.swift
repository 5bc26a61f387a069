import Foundation
import PiaojueTestSupport
import Testing

/// A congress driven through the real `piaojue` binary in a temporary directory, as a clerk would.
final class E2EScenario: @unchecked Sendable {
    // Safe: each test owns its scenario and uses it from one thread.
    let directory = TemporaryDirectory("piaojue-e2e")
    var binary: PiaojueBinary
    private var slipCounter = 0
    /// The sealed codes of each session (printed for every seated deputy, not yet handed out), in
    /// the order they will be drawn.
    private var sealed: [String: [String]] = [:]

    /// A new ledger with a roster of `seated` deputies D001…; `suspended` of them (the last ones)
    /// are suspended.
    init(seated: Int, suspended: Int = 0, now: String? = "2025-01-15") throws {
        binary = PiaojueBinary(directory: directory.url, now: now)
        try binary.ok(["init", "--body", "测试县人民代表大会", "--level", "county"])
        var csv = "id,name,delegation,status\n"
        for n in 1...seated {
            csv += "\(Self.deputy(n)),代表\(n),第\(n % 5 + 1)代表团,\(n > seated - suspended ? "suspended" : "seated")\n"
        }
        try write("deputies.csv", csv)
        try binary.ok(["roster", "import", "deputies.csv"])
    }

    static func deputy(_ n: Int) -> String { String(format: "D%03d", n) }

    /// `code` with its 21st character changed: the checksum no longer holds.
    static func mistyped(_ code: String) -> String { CredentialCodes.mistyped(code) }

    /// A session of 3 candidates for 2 seats with every one of `seated` deputies present and given
    /// a credential: the scenario, the session and the codes.
    static func issuedSession(seated: Int) throws -> (E2EScenario, String, [String]) {
        let congress = try E2EScenario(seated: seated)
        let list = try congress.shortlist(seats: 2, try congress.proposals(3))
        let session = try congress.open(list: list)
        try congress.checkin(session, 1...seated)
        let codes = try congress.issue(session)
        #expect(codes.count == seated)
        return (congress, session, codes)
    }

    func path(_ name: String) -> String { directory.path(name) }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: directory.url.appendingPathComponent(name))
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> RunResult { try binary.run(arguments) }

    @discardableResult
    func ok(_ arguments: [String]) throws -> RunResult { try binary.ok(arguments) }

    func json(_ arguments: [String]) throws -> [String: Any] { try binary.ok(arguments + ["--json"]).json() }

    /// Number of ledger entries.
    func entryCount() throws -> Int {
        try need(try json(["log"])["entries"] as? [Any], "entries").count
    }

    /// `count` accepted proposals P1…, imported in one file; budgets in 万 when given.
    @discardableResult
    func proposals(_ count: Int, budgetsWan: [Int]? = nil) throws -> [String] {
        var csv = "项目名称,类别,建设内容,实施地点,投资估算,责任单位,建议人,征集渠道\n"
        for n in 1...count {
            let budget = budgetsWan.map { "\($0[n - 1])万" } ?? "\(100 + n)万"
            csv += "民生项目\(n),市政建设,建设内容\(n),第\(n)街道,\(budget),县住建局,代表\(n),代表建议\n"
        }
        try write("proposals.csv", csv)
        let ids = try need(try json(["collect", "import", "proposals.csv"])["ids"] as? [String], "ids")
        for id in ids { try ok(["collect", "screen", id, "--accept"]) }
        return ids
    }

    /// Both default approval steps, then a frozen list; returns its id.
    func shortlist(seats: Int, _ ids: [String], rules: String? = nil) throws -> String {
        try ok(["collect", "approve", "--step", "政府常务会议", "--ref", "常务会议纪要〔2025〕1号"])
        try ok(["collect", "approve", "--step", "党委审定", "--ref", "常委会〔2025〕2号"])
        let rulesArgs = rules.map { ["--rules", $0] } ?? []
        return try need(try json(["collect", "shortlist", "--seats", String(seats)] + rulesArgs + ids)["list"] as? String, "list")
    }

    func open(list: String, rules: String? = nil) throws -> String {
        let rulesArgs = rules.map { ["--rules", $0] } ?? []
        return try need(try json(["ballot", "open", "--list", list] + rulesArgs)["session"] as? String, "session")
    }

    /// Checks in deputies `numbers` (D001 … style) through a --present file.
    @discardableResult
    func checkin(_ session: String, _ numbers: ClosedRange<Int>, command: String = "ballot") throws -> [String: Any] {
        try write("present-\(session).txt", numbers.map(Self.deputy).joined(separator: "\n") + "\n")
        return try json([command, "checkin", session, "--present", "present-\(session).txt"])
    }

    /// Issues credentials and returns the codes handed out. The first issue prints one code per
    /// seated deputy and hands out one per deputy present (the first ones of the file; the rest
    /// stay sealed); a later one hands out sealed codes to the deputies checked in since.
    func issue(_ session: String, command: String = "ballot") throws -> [String] {
        slipCounter += 1
        let name = "slips-\(session)-\(slipCounter).txt"
        let result = try json([command, "issue", session, "--out", name])
        let count = try need(result["count"] as? Int, "count")
        if sealed[session] == nil {
            sealed[session] = try CredentialCodes.read(slips: path(name))
        }
        let pool = sealed[session] ?? []
        sealed[session] = Array(pool.dropFirst(count))
        return Array(pool.prefix(count))
    }

    /// The codes still sealed in `session` (printed, not handed out).
    func sealedCodes(_ session: String) -> [String] { sealed[session] ?? [] }

    /// One electronic ballot; returns the receipt.
    @discardableResult
    func cast(_ session: String, _ code: String, approve: [String] = [], oppose: [String] = [], abstain: [String] = []) throws -> String {
        var arguments = ["ballot", "cast", session, "--credential", code]
        if !approve.isEmpty { arguments += ["--approve", approve.joined(separator: ",")] }
        if !oppose.isEmpty { arguments += ["--oppose", oppose.joined(separator: ",")] }
        if !abstain.isEmpty { arguments += ["--abstain", abstain.joined(separator: ",")] }
        return try need(try json(arguments)["receipt"] as? String, "receipt")
    }

    /// Paper ballots in one file: (code, approve, oppose, abstain).
    func importPaper(_ session: String, _ rows: [(String, [String], [String], [String])], command: String = "ballot") throws -> [String: Any] {
        try json([command, "import", session, try writePaper(session, rows)])
    }

    /// Paper ballots (code, approve, oppose, abstain) written as a sheet; its file name.
    func writePaper(_ session: String, _ rows: [(String, [String], [String], [String])]) throws -> String {
        var csv = "credential,approve,oppose,abstain\n"
        for row in rows {
            csv += "\(row.0),\(row.1.joined(separator: ";")),\(row.2.joined(separator: ";")),\(row.3.joined(separator: ";"))\n"
        }
        slipCounter += 1
        let name = "paper-\(session)-\(slipCounter).csv"
        try write(name, csv)
        return name
    }

    func close(_ session: String, returned: Int? = nil) throws -> [String: Any] {
        try json(["ballot", "close", session] + (returned.map { ["--returned", String($0)] } ?? []))
    }

    func tally(_ session: String) throws -> [String: Any] { try json(["ballot", "tally", session]) }

    /// Per-candidate counts of a tally, by id.
    static func counts(_ tally: [String: Any]) throws -> [String: [String: Any]] {
        let list = try need(tally["candidates"] as? [[String: Any]], "candidates")
        return Dictionary(uniqueKeysWithValues: list.map { ($0["id"] as? String ?? "", $0) })
    }

    /// Ballots that give candidate P(n+1) exactly `approvals[n]` 赞成 without exceeding `seats`
    /// approvals on any ballot (greedy: the emptiest ballots first).
    static func approvalBallots(_ approvals: [Int], voters: Int, seats: Int) -> [[String]] {
        BallotSets.approvals(approvals, voters: voters, seats: seats)
    }
}
