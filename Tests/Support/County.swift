import Foundation
public import PiaojueDomain
import PiaojueServices

/// A generated county: townships driven through the services, each with its own ledger, key and
/// seed, a vote that chooses its first projects, their implementation and a year-end rating —
/// published as the rating session's bundle (which holds the whole ledger). What each township
/// should give is computed here from its plan alone, never from the roll-up's code.
public enum County {
    /// The categories the proposals cycle through.
    public static let categories = ["市政建设", "科技教育", "医疗卫生", "乡村振兴", "社会保障"]

    /// What one township is made of, and what its bundle must give.
    public struct Plan: Sendable {
        /// 1, 2 …
        public let number: Int
        /// `测试县第N镇第十九届人民代表大会`.
        public let body: String
        public let seated: Int
        /// Candidates P1 … P`candidates` and seats; every deputy approves P1 … P`seats`, which are chosen.
        public let candidates: Int
        public let seats: Int

        /// A township's plan: `seated` deputies (default 7–11), 4–6 candidates, 2–3 seats.
        public init(number: Int, seated: Int? = nil) {
            self.number = number
            body = "测试县第\(number)镇第十九届人民代表大会"
            self.seated = seated ?? 7 + number % 5
            candidates = 4 + number % 3
            seats = 2 + number % 2
        }

        /// The checkpoint origin of its ledger.
        public var origin: String { "piaojue/" + body }

        /// The category of candidate `n` (1-based).
        public func category(_ n: Int) -> String { County.categories[(number + n) % County.categories.count] }

        /// The budget of candidate `n` in whole 元: (50 + 10 × number + n) 万, plus `number` 元 so
        /// that no two townships' sums coincide by accident.
        public func budget(_ n: Int) -> Int64 { Int64((50 + 10 * number + n) * 10_000 + number) }

        /// The chosen projects' ids.
        public var chosen: [String] { (1...seats).map { "P\($0)" } }

        /// What each chosen project becomes: P1 completed (100 %, 满意), P2 closed at 80 % (基本完成,
        /// 基本满意), P3 in progress at 40 % (未完成, 不满意).
        public func completion(_ id: String) -> CompletionClass {
            switch id {
            case "P1": .completed
            case "P2": .basicallyCompleted
            default: .notCompleted
            }
        }

        /// The rating every rater gives project `id`.
        public func rating(_ id: String) -> RatingClass {
            switch id {
            case "P1": .satisfied
            case "P2": .basicallySatisfied
            default: .unsatisfied
            }
        }

        /// The sum of the chosen projects' budgets.
        public var funds: Int64 { (1...seats).reduce(0) { $0 + budget($1) } }
    }

    /// Builds township `plan` in a fresh world, publishes its vote bundle (`S1`, before the
    /// implementation) into `voteBundle` when given and its rating bundle (`R1`, the whole ledger)
    /// into `bundle`; returns the world, for more steps (witnessing, forks).
    @discardableResult
    public static func build(_ plan: Plan, bundle: String, voteBundle: String? = nil) throws -> ServiceWorld {
        let world = try ServiceWorld(seed: "township-\(plan.number)", now: "2025-01-15T01:00:00Z", level: .township, body: plan.body)
        try world.roster(plan.seated)
        var csv = "项目名称,类别,建设内容,实施地点,投资估算,责任单位,建议人,征集渠道\n"
        for n in 1...plan.candidates {
            csv += "第\(plan.number)镇民生项目\(n),\(plan.category(n)),建设内容\(n),第\(n)村,\(plan.budget(n)),镇政府,代表\(n),代表建议\n"
        }
        let (imported, _) = try CollectionService.importFile(
            path: try world.write(world.freshName("proposals", "csv"), csv), encoding: .utf8, rules: world.rules,
            workspace: world.workspace)
        for event in imported {
            _ = try CollectionService.screen(id: event.id, decision: .accept, reason: nil, into: nil, note: nil, rules: world.rules, workspace: world.workspace)
        }
        let list = try world.shortlist(seats: plan.seats, imported.map(\.id))
        let session = try world.open(list: list.list).session
        try world.checkin(session, 1...plan.seated)
        let codes = try world.issue(session)
        try world.importPaper(session, codes.map { ServiceWorld.PaperRow($0, approve: plan.chosen) })
        try world.close(session)
        let tally = try world.tally(session)
        guard tally.chosen == plan.chosen else { throw MissingValue(description: "township \(plan.number) chose \(tally.chosen)") }
        if let voteBundle { _ = try AuditService.publish(session: session, directory: voteBundle, workspace: world.workspace) }

        try world.clock.set("2025-02-01T02:00:00Z")
        for id in plan.chosen {
            let request = PlanRequest(
                project: id, unit: "镇政府", leader: "镇长", budget: 1_000_000, deadline: try Day(parsing: "2025-12-31"),
                milestones: [(date: try Day(parsing: "2025-06-30"), text: "主体完工")])
            _ = try ImplementationService.plan(request, rules: world.rules, workspace: world.workspace)
        }
        try world.clock.set("2025-11-20T02:00:00Z")
        for id in plan.chosen {
            let (percent, final): (Int, Bool) =
                switch plan.completion(id) {
                case .completed: (100, true)
                case .basicallyCompleted: (80, true)
                case .notCompleted: (40, false)
                }
            _ = try ImplementationService.progress(
                project: id, percent: percent, spent: Int64(percent) * 10_000, note: nil, reached: percent == 100 ? [] : ["M1"],
                final: final, evidence: [], workspace: world.workspace)
        }

        try world.clock.set("2026-01-10T02:00:00Z")
        _ = try EvaluationService.open(selection: .year(2025), rules: world.rules, workspace: world.workspace)
        try world.checkin("R1", 1...plan.seated, shape: .rating)
        let raters = try world.issue("R1", shape: .rating)
        var marks: [Mark: [String]] = [:]
        for id in plan.chosen {
            let mark: Mark =
                switch plan.rating(id) {
                case .satisfied: .satisfied
                case .basicallySatisfied: .basic
                case .unsatisfied: .dissatisfied
                }
            marks[mark, default: []].append(id)
        }
        try world.importPaper("R1", raters.map { ServiceWorld.PaperRow($0, marks) }, shape: .rating)
        try world.close("R1", shape: .rating)
        _ = try EvaluationService.tally(session: "R1", workspace: world.workspace)
        _ = try AuditService.publish(session: "R1", directory: bundle, workspace: world.workspace)
        return world
    }
}
