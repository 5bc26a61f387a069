/// Counting a vote by the frozen rules: pure functions, exhaustively tested (T7–T14).
public enum VoteTally {
    /// Why a ballot is void (废票), or nil when it is valid.
    /// A mark that is not a vote mark (满意 on a vote ballot) voids the ballot, as a vote mark does
    /// on a rating ballot: a ballot carries only the marks of its form.
    public static func voidReason(_ choices: Choices, seats: Int, rules: BallotRules) -> String? {
        if choices.hasRepeatedID { return "同一项目标记了两次 / a candidate marked twice" }
        for mark in Mark.allCases where !SessionShape.vote.marks.contains(mark) && !choices[mark].isEmpty {
            return "“\(mark.chinese)”不是表决选项 / \(mark.rawValue) is not a vote mark"
        }
        if rules.overmarkVoidsBallot, choices[.approve].count > seats {
            return "赞成 \(choices[.approve].count) 项超过应选数 \(seats) / more approvals than seats"
        }
        return nil
    }

    /// Per-candidate counts over the valid ballots. Unmarked is 弃权, except on e-voter ballots
    /// where it is 未按 (not pressed) and counts as no vote (T10, T14).
    public static func count(
        ballots: [Choices], candidates: [String], seats: Int, rules: BallotRules
    ) -> (counts: [CandidateCount], valid: Int, invalid: Int) {
        var counter = VoteCounter(candidates: candidates, seats: seats, rules: rules)
        for ballot in ballots { counter.add(ballot) }
        return (counter.counts, counter.valid, counter.invalid)
    }

    /// The threshold base: seated, present or valid; nil for rank-only.
    public static func base(_ rules: BallotRules, seated: Int, present: Int, valid: Int) -> Int? {
        switch rules.thresholdBase {
        case .seated: seated
        case .present: present
        case .valid: valid
        case .none: nil
        }
    }

    /// Whether `approve` passes 过半数 of `base` (strict: more than half, T11).
    public static func passes(_ approve: Int, base: Int?, strict: Bool) -> Bool {
        guard let base else { return true }
        return strict ? approve * 2 > base : approve * 2 >= base
    }

    /// The least 赞成 that passes, for the report's threshold line.
    public static func minimumToPass(base: Int?, strict: Bool) -> Int {
        guard let base else { return 0 }
        return strict ? base / 2 + 1 : (base + 1) / 2
    }

    /// The one ranking every place uses — the decision, the 公告, the reports, the audit: most 赞成
    /// first, ties in ballot (list) order. `counts` are in ballot order, as a tally records them.
    public static func ranked(_ counts: [CandidateCount]) -> [CandidateCount] {
        counts.enumerated().sorted { a, b in
            a.element.approve != b.element.approve ? a.element.approve > b.element.approve : a.offset < b.offset
        }.map(\.element)
    }

    /// Decides a counted round: void when more returned than issued (T7); else eligibility (T11),
    /// rank by 赞成, a tie across the last seat goes to a runoff (T12), a shortfall by policy (T13),
    /// the budget cap skipping what no longer fits.
    public static func decide(_ input: TallyInput) -> TallyResult {
        var counter = VoteCounter(candidates: input.candidates.map(\.id), seats: input.seats, rules: input.rules)
        for ballot in input.ballots { counter.add(ballot) }
        return decide(input, counter: counter)
    }

    /// ``decide(_:)`` from ballots already counted one by one (the input's `ballots` are ignored),
    /// so that a verifier can stream a session of any size.
    public static func decide(_ input: TallyInput, counter: VoteCounter) -> TallyResult {
        let rules = input.rules
        let counted = (counts: counter.counts, valid: counter.valid, invalid: counter.invalid)
        var result = TallyResult(
            session: input.session, list: input.list, round: input.round, form: rules.form, status: .decided,
            seated: input.seated, present: input.present, issued: input.issued, returned: input.returned,
            recorded: counter.valid + counter.invalid, valid: counted.valid, invalid: counted.invalid,
            notReturned: max(0, input.issued - input.returned), seats: input.seats, thresholdBase: rules.thresholdBase,
            thresholdStrict: rules.thresholdStrict, threshold: 0, candidates: counted.counts, chosen: [], runoff: [],
            runoffSeats: 0, notChosen: [], shortfall: 0, skipped: [], reason: nil, note: nil)
        let base = base(rules, seated: input.seated, present: input.present, valid: counted.valid)
        result.threshold = minimumToPass(base: base, strict: rules.thresholdStrict)

        if ReturnedRule.voidsRound(returned: input.returned, issued: input.issued, excessReturnedVoidsRound: rules.excessReturnedVoidsRound) {
            result.status = .void
            result.reason = .excessReturned
            return result
        }

        for n in result.candidates.indices {
            result.candidates[n].eligible = passes(result.candidates[n].approve, base: base, strict: rules.thresholdStrict)
        }
        let budgets = Dictionary(uniqueKeysWithValues: input.candidates.map { ($0.id, $0.budget ?? 0) })
        let eligible = ranked(result.candidates).filter(\.eligible)
        var chosen: [String] = []
        var spent = input.budgetCommitted
        var runoff: [String] = []
        var runoffSeats = 0
        var tieUnresolved = false
        var budgetTie = false
        var index = 0
        while index < eligible.count, chosen.count < input.seats {
            let votes = eligible[index].approve
            var group: [String] = []
            while index < eligible.count, eligible[index].approve == votes {
                group.append(eligible[index].id)
                index += 1
            }
            if let cap = rules.budgetCap {
                let fitting = group.filter { spent + (budgets[$0] ?? 0) <= cap }
                for id in group where !fitting.contains(id) {
                    result.skipped.append(SkippedCandidate(id: id, budget: budgets[id] ?? 0, committed: spent))
                }
                group = fitting
            }
            let remaining = input.seats - chosen.count
            if group.count <= remaining {
                // With a cap, a whole group that fits individually must also fit together.
                if let cap = rules.budgetCap, group.count > 1, spent + group.reduce(0, { $0 + (budgets[$1] ?? 0) }) > cap {
                    if input.round < rules.maxRounds {
                        runoff = group
                        runoffSeats = min(remaining, group.count - 1)
                        budgetTie = true
                    } else {
                        tieUnresolved = true
                    }
                    break
                }
                chosen.append(contentsOf: group)
                spent += group.reduce(0) { $0 + (budgets[$1] ?? 0) }
            } else {
                if input.round < rules.maxRounds {
                    runoff = group
                    runoffSeats = remaining
                } else {
                    tieUnresolved = true
                }
                break
            }
        }
        result.chosen = chosen
        result.runoff = runoff
        result.runoffSeats = runoffSeats
        for n in result.candidates.indices { result.candidates[n].chosen = chosen.contains(result.candidates[n].id) }
        let open = input.seats - chosen.count - runoffSeats
        result.shortfall = max(0, open)
        if !runoff.isEmpty {
            result.status = .runoffRequired
            result.reason = budgetTie ? .budgetTie : .tieAtCutoff
        } else if result.shortfall > 0 {
            let others = input.candidates.map(\.id).filter { !chosen.contains($0) && !result.skipped.map(\.id).contains($0) }
            if tieUnresolved {
                result.reason = .tieRoundLimit
            } else if rules.shortfall == .revoteRemaining, input.round < rules.maxRounds, !others.isEmpty {
                result.status = .runoffRequired
                result.runoff = others
                result.runoffSeats = result.shortfall
                result.reason = .shortfallRevote
            } else {
                result.reason = .shortfallVacant
            }
        }
        let pending = Set(result.runoff)
        result.notChosen = input.candidates.map(\.id).filter { !chosen.contains($0) && !pending.contains($0) }
        return result
    }
}

/// Counts ballots one at a time: validity by the frozen rules, then 赞成/反对/弃权 per candidate.
public struct VoteCounter: Sendable {
    public let candidates: [String]
    public let seats: Int
    public let rules: BallotRules
    private let position: [String: Int]
    private var approve: [Int]
    private var oppose: [Int]
    private var abstain: [Int]
    public private(set) var valid = 0
    public private(set) var invalid = 0

    public init(candidates: [String], seats: Int, rules: BallotRules) {
        self.candidates = candidates
        self.seats = seats
        self.rules = rules
        position = Dictionary(candidates.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        approve = Array(repeating: 0, count: candidates.count)
        oppose = approve
        abstain = approve
    }

    /// Counts one ballot: void (over-marked, a candidate marked twice, an unknown id, a mark that is
    /// not a vote mark) or valid. Each id is looked up once, into the codes of ``add(marks:conflict:)``.
    public mutating func add(_ ballot: Choices) {
        var codes = [UInt8](repeating: 0, count: candidates.count)
        var conflict = false
        for (mark, ids) in ballot.marks {
            for id in ids {
                guard let n = position[id], codes[n] == 0 else {
                    conflict = true
                    continue
                }
                codes[n] = mark.code
            }
        }
        add(marks: codes, conflict: conflict)
    }

    /// Counts one ballot given as a mark code per candidate (0 unmarked, 1 赞成, 2 反对, 3 弃权;
    /// any other code is a mark of another form and voids the ballot), `conflict` when an id was
    /// marked twice or is not a candidate. The same result as ``add(_:)`` on the same ballot.
    public mutating func add(marks: [UInt8], conflict: Bool) {
        guard !conflict, marks.count == candidates.count, marks.allSatisfy({ $0 <= 3 }) else {
            invalid += 1
            return
        }
        var approvals = 0
        for mark in marks where mark == 1 { approvals += 1 }
        if rules.overmarkVoidsBallot, approvals > seats {
            invalid += 1
            return
        }
        valid += 1
        for (n, mark) in marks.enumerated() {
            switch mark {
            case 1: approve[n] += 1
            case 2: oppose[n] += 1
            case 3: abstain[n] += 1
            default: break
            }
        }
    }

    /// The per-candidate counts so far; unmarked is 弃权, or 未按 on e-voter ballots.
    public var counts: [CandidateCount] {
        candidates.indices.map { n in
            let unmarked = valid - approve[n] - oppose[n] - abstain[n]
            switch rules.form {
            case .eVoter:
                return CandidateCount(id: candidates[n], approve: approve[n], oppose: oppose[n], abstain: abstain[n], notPressed: unmarked)
            case .approveOpposeAbstain, .approveOnly:
                return CandidateCount(id: candidates[n], approve: approve[n], oppose: oppose[n], abstain: abstain[n] + unmarked, notPressed: nil)
            }
        }
    }
}

/// Everything a tally needs, read from the session's entries.
public struct TallyInput: Sendable {
    public var session: String
    public var list: String
    public var round: Int
    public var seats: Int
    public var candidates: [Candidate]
    public var rules: BallotRules
    public var seated: Int
    public var present: Int
    public var issued: Int
    public var returned: Int
    public var budgetCommitted: Int64
    public var ballots: [Choices]

    public init(
        session: String, list: String, round: Int, seats: Int, candidates: [Candidate], rules: BallotRules, seated: Int,
        present: Int, issued: Int, returned: Int, budgetCommitted: Int64, ballots: [Choices]
    ) {
        self.session = session
        self.list = list
        self.round = round
        self.seats = seats
        self.candidates = candidates
        self.rules = rules
        self.seated = seated
        self.present = present
        self.issued = issued
        self.returned = returned
        self.budgetCommitted = budgetCommitted
        self.ballots = ballots
    }
}

/// One candidate's counts.
public struct CandidateCount: Codable, Sendable, Equatable {
    public var id: String
    public var approve: Int
    public var oppose: Int
    public var abstain: Int
    /// 未按 (e-voter form only).
    public var notPressed: Int?
    public var eligible = false
    public var chosen = false

    public init(id: String, approve: Int, oppose: Int, abstain: Int, notPressed: Int?) {
        self.id = id
        self.approve = approve
        self.oppose = oppose
        self.abstain = abstain
        self.notPressed = notPressed
    }
}

/// A candidate passed over by the budget cap: its budget did not fit on top of what the projects
/// chosen before it (and the earlier rounds of its list) had taken.
public struct SkippedCandidate: Codable, Sendable, Equatable {
    public var id: String
    /// `over-budget` (format 2); a sentence in ledgers of format 1.
    public var reason: String
    /// The candidate's budget, and the total already taken when it was reached (format 2).
    public var budget: Int64?
    public var committed: Int64?

    /// A candidate over the cap (format 2).
    public init(id: String, budget: Int64, committed: Int64) {
        self.id = id
        self.reason = Self.overBudget
        self.budget = budget
        self.committed = committed
    }

    /// The reason code of format 2.
    public static let overBudget = "over-budget"
}

/// Why a round ended as it did beyond a plain decision — a code in the ledger (format 2); the
/// sentences are rendered from it and the tally's fields for display only.
public enum TallyReason: String, Codable, Sendable, CaseIterable {
    /// More ballots returned than issued: the round is void (T7).
    case excessReturned = "excess-returned"
    /// A tie across the last seat: a runoff among the tied for the seats left (T12).
    case tieAtCutoff = "tie-at-cutoff"
    /// A tied group whose projects each fit the budget cap but not all together: a runoff among
    /// them for one seat fewer than the group.
    case budgetTie = "budget-tie"
    /// Too few eligible and the rules say `revote-remaining`: a new round for the seats left (T13).
    case shortfallRevote = "shortfall-revote"
    /// Too few eligible: the seats left stay vacant (T13, `leave-vacant`, or no round left).
    case shortfallVacant = "shortfall-vacant"
    /// The round limit is reached with a tie: the seats left stay vacant.
    case tieRoundLimit = "tie-round-limit"
}

/// How a round ended.
public enum TallyStatus: String, Codable, Sendable {
    case decided
    case runoffRequired = "runoff-required"
    case void
}

/// `ballot.tally`: the counted and decided round, as `ballot tally --json` prints it.
public struct TallyResult: EntryPayload, Equatable {
    public static let kind = "ballot.tally"
    public var session: String
    public var list: String
    public var round: Int
    public var form: BallotForm
    public var status: TallyStatus
    public var seated: Int
    public var present: Int
    public var issued: Int
    public var returned: Int
    /// Ballot entries in the ledger.
    public var recorded: Int
    public var valid: Int
    public var invalid: Int
    /// Issued but not returned (T8).
    public var notReturned: Int
    public var seats: Int
    public var thresholdBase: ThresholdBase
    public var thresholdStrict: Bool
    /// The least 赞成 that passes (0 for rank-only).
    public var threshold: Int
    public var candidates: [CandidateCount]
    /// Chosen ids in rank order.
    public var chosen: [String]
    /// Ids that go to another round, and the seats left for them.
    public var runoff: [String]
    public var runoffSeats: Int
    /// Lost: to the reserve pool (T20).
    public var notChosen: [String]
    public var shortfall: Int
    public var skipped: [SkippedCandidate]
    /// Why the round ended as it did (format 2), or nil for a plain decision.
    public var reason: TallyReason?
    /// The same as a sentence (format 1 ledgers only; never written by format 2).
    public var note: String?

    /// The candidates in rank order (see ``VoteTally/ranked(_:)``).
    public var ranked: [CandidateCount] { VoteTally.ranked(candidates) }

    /// The decision without the prose of format 1 (`note`, the skipped reasons' sentences) and
    /// without the fields format 1 lacked: what a format-1 entry is compared by.
    public var withoutProse: TallyResult {
        var copy = self
        copy.note = nil
        copy.reason = nil
        copy.skipped = skipped.map { SkippedCandidate(id: $0.id, budget: 0, committed: 0) }
        return copy
    }
}

extension TallyResult {
    /// The sentence a 公告 and the command line show for ``reason`` (rendered from the fields,
    /// never stored); a format-1 entry shows its recorded `note`. `maxRounds` comes from the rules.
    public func explanation(maxRounds: Int) -> String? {
        if let note { return note }
        guard let reason else { return nil }
        switch reason {
        case .excessReturned:
            return "收回 \(returned) 张，多于发出的 \(issued) 张，本轮投票无效，须重新投票。More returned than issued: the round is void and must be held again."
        case .tieAtCutoff, .budgetTie:
            return "第 \(seats - runoffSeats + 1) 名起得票相同（\(runoff.joined(separator: "、"))），须就剩余 \(runoffSeats) 个名额再次投票。A tie across the last seat: a runoff among \(runoff.joined(separator: ", ")) for \(runoffSeats) seat(s)."
        case .tieRoundLimit:
            return "已达最多轮次 \(maxRounds)，仍有并列，剩余 \(shortfall) 个名额空缺。The round limit is reached with a tie; \(shortfall) seat(s) stay vacant."
        case .shortfallRevote:
            return "获得过半数赞成的项目不足 \(seats) 项，按规则就剩余 \(runoffSeats) 个名额再次投票。Too few eligible: a new round for \(runoffSeats) seat(s)."
        case .shortfallVacant:
            return "获得过半数赞成的项目只有 \(chosen.count) 项，按规则空缺 \(shortfall) 个名额。Only \(chosen.count) eligible: \(shortfall) seat(s) left vacant."
        }
    }
}

extension SkippedCandidate {
    /// Why it was skipped, as a sentence (format 1: the recorded sentence).
    public func explanation(cap: Int64?) -> String {
        guard reason == Self.overBudget, let budget, let committed else { return reason }
        return "超出可用资金：已选 \(Money.display(committed))，本项 \(Money.display(budget))，上限 \(Money.display(cap ?? 0)) / over the budget cap"
    }
}

extension RatingResult {
    /// The sentence shown for ``reason`` (format 1: the recorded `note`).
    public var explanation: String? {
        if let note { return note }
        guard reason == .excessReturned else { return nil }
        return "收回 \(returned) 张，多于发出的 \(issued) 张，本次测评无效，须重新测评。More returned than issued: the rating is void and must be held again."
    }
}
