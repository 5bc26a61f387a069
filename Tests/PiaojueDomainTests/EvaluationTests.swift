import PiaojueDomain
import Testing

/// Stage 4 · 监督评议: the 镇海 classification (T16–T18), its base and strictness variants, void
/// ballots and sessions, and rectification flags — without a disk.
@Suite("Evaluation: rating classification")
struct EvaluationTests {
    /// `count` ballots that each rate one project P1 with `mark` (nil: leave it unrated).
    static func ballots(_ counts: [(Mark?, Int)], project: String = "P1") -> [Choices] {
        counts.flatMap { mark, count in
            Array(repeating: mark.map { Choices([$0: [project]]) } ?? Choices(), count: count)
        }
    }

    static func input(
        satisfied: Int, basic: Int, dissatisfied: Int, abstain: Int = 0, unrated: Int = 0, seated: Int,
        present: Int? = nil, rules: EvaluationRules = .standard, extra: [Choices] = []
    ) -> RatingTallyInput {
        let cast = ballots([(.satisfied, satisfied), (.basic, basic), (.dissatisfied, dissatisfied), (.abstain, abstain), (nil, unrated)]) + extra
        return RatingTallyInput(
            session: "R1", projects: ["P1"], rules: rules, seated: seated, present: present ?? seated, issued: present ?? seated,
            returned: cast.count, ballots: cast)
    }

    struct RuleCase: Sendable, CustomTestStringConvertible {
        let name: String
        let satisfied: Int
        let basic: Int
        let dissatisfied: Int
        let base: Int
        let expected: RatingClass
        let rate: Ratio?
        var testDescription: String { "\(name): \(satisfied)/\(basic)/\(dissatisfied) of \(base) → \(expected.rawValue)" }
    }

    static let ruleCases: [RuleCase] = [
        RuleCase(name: "T16", satisfied: 182, basic: 10, dissatisfied: 1, base: 193, expected: .satisfied, rate: Ratio(192, 193)),
        RuleCase(name: "T17", satisfied: 10, basic: 5, dissatisfied: 5, base: 20, expected: .basicallySatisfied, rate: Ratio(15, 20)),
        RuleCase(name: "T18", satisfied: 4, basic: 6, dissatisfied: 10, base: 20, expected: .unsatisfied, rate: Ratio(10, 20)),
    ]

    @Test("T16–T18: the 镇海 rule with base = all raters entitled, strict", arguments: ruleCases)
    func ruleTable(_ rule: RuleCase) throws {
        let result = RatingTally.decide(Self.input(
            satisfied: rule.satisfied, basic: rule.basic, dissatisfied: rule.dissatisfied, seated: rule.base))
        #expect(result.status == .decided)
        #expect(result.baseCount == rule.base)
        #expect(result.valid == rule.base)
        let rating = try #require(result.projects.first)
        #expect(rating.satisfied == rule.satisfied)
        #expect(rating.basic == rule.basic)
        #expect(rating.dissatisfied == rule.dissatisfied)
        #expect(rating.abstain == 0)
        #expect(rating.classification == rule.expected)
        #expect(rating.rate == rule.rate)
        #expect(rating.rectify == (rule.expected == .unsatisfied))
        #expect(result.rectify == (rule.expected == .unsatisfied ? ["P1"] : []))
    }

    @Test("T16: the rate is exactly 192/193, shown as 99.48%")
    func t16Rate() throws {
        let result = RatingTally.decide(Self.input(satisfied: 182, basic: 10, dissatisfied: 1, seated: 193))
        let rating = try #require(result.projects.first)
        let rate = try #require(rating.rate)
        #expect(rate.numerator == 192 && rate.denominator == 193)
        #expect(rate.percentText == "99.48%")
        let satisfiedRate = try #require(rating.satisfiedRate)
        #expect(satisfiedRate == Ratio(182, 193))
        #expect(satisfiedRate.percentText == "94.30%")
        let output = RatingTallyOutput(result)
        let shown = try #require(output.projects.first?.rate)
        #expect(abs(shown - 0.9948) < 0.0001)
        #expect(output.projects.first?.classification == "满意")
    }

    @Test("T17: 10 of 20 is exactly half — not 满意; T18: 满意+基本满意 10 of 20 — not 基本满意")
    func exactlyHalfDoesNotPass() {
        #expect(RatingTally.threshold(base: 20, strict: true) == 11)
        #expect(RatingTally.classify(satisfied: 10, basic: 5, threshold: 11) == .basicallySatisfied)
        #expect(RatingTally.classify(satisfied: 4, basic: 6, threshold: 11) == .unsatisfied)
        #expect(RatingTally.classify(satisfied: 11, basic: 0, threshold: 11) == .satisfied)
        #expect(RatingTally.threshold(base: 193, strict: true) == 97)
        #expect(RatingTally.threshold(base: 193, strict: false) == 97)
    }

    @Test("Not strict: exactly half passes (T17 becomes 满意, T18 becomes 基本满意)")
    func notStrict() throws {
        var rules = EvaluationRules.standard
        rules.strict = false
        #expect(RatingTally.threshold(base: 20, strict: false) == 10)
        let t17 = RatingTally.decide(Self.input(satisfied: 10, basic: 5, dissatisfied: 5, seated: 20, rules: rules))
        #expect(t17.projects.first?.classification == .satisfied)
        let t18 = RatingTally.decide(Self.input(satisfied: 4, basic: 6, dissatisfied: 10, seated: 20, rules: rules))
        #expect(t18.projects.first?.classification == .basicallySatisfied)
        #expect(t18.rectify.isEmpty)
    }

    @Test("Base: seated, present or valid ballots change the class of the same counts")
    func bases() throws {
        // 30 seated, 24 present, 20 valid ballots: 11 满意, 2 基本满意, 7 不满意.
        func decide(_ base: RatingBase) -> RatingResult {
            var rules = EvaluationRules.standard
            rules.base = base
            return RatingTally.decide(Self.input(satisfied: 11, basic: 2, dissatisfied: 7, seated: 30, present: 24, rules: rules))
        }
        let seated = decide(.seated)
        #expect(seated.baseCount == 30 && seated.threshold == 16)
        #expect(seated.projects.first?.classification == .unsatisfied)
        let present = decide(.present)
        #expect(present.baseCount == 24 && present.threshold == 13)
        #expect(present.projects.first?.classification == .basicallySatisfied)
        let valid = decide(.valid)
        #expect(valid.baseCount == 20 && valid.threshold == 11)
        #expect(valid.projects.first?.classification == .satisfied)
        #expect(valid.projects.first?.rate == Ratio(13, 20))
    }

    @Test("An empty base passes nothing, strict or not")
    func emptyBase() {
        #expect(RatingTally.threshold(base: 0, strict: true) == 1)
        #expect(RatingTally.threshold(base: 0, strict: false) == 1)
        var rules = EvaluationRules.standard
        rules.base = .valid
        rules.strict = false
        let result = RatingTally.decide(RatingTallyInput(
            session: "R1", projects: ["P1"], rules: rules, seated: 10, present: 10, issued: 10, returned: 0, ballots: []))
        #expect(result.valid == 0)
        #expect(result.projects.first?.classification == .unsatisfied)
        #expect(result.projects.first?.rate == nil)
    }

    @Test("Unrated projects and explicit 弃权 both count as 弃权 on valid ballots")
    func unratedIsAbstain() throws {
        let result = RatingTally.decide(Self.input(satisfied: 12, basic: 3, dissatisfied: 1, abstain: 2, unrated: 2, seated: 20))
        let rating = try #require(result.projects.first)
        #expect(rating.abstain == 4)
        #expect(result.valid == 20)
        #expect(rating.classification == .satisfied)
        #expect(rating.rate == Ratio(15, 20))
    }

    @Test("A ballot marking a project twice, with a vote mark, or an unknown id is void and counts for nobody")
    func voidBallots() throws {
        let void = [
            Choices([.satisfied: ["P1"], .dissatisfied: ["P1"]]),
            Choices([.satisfied: ["P1", "P1"]]),
            Choices([.approve: ["P1"]]),
            Choices([.satisfied: ["P9"]]),
        ]
        for ballot in void { #expect(RatingTally.voidReason(ballot, projects: ["P1"]) != nil) }
        #expect(RatingTally.voidReason(Choices([.satisfied: ["P1"]]), projects: ["P1"]) == nil)
        #expect(RatingTally.voidReason(Choices(), projects: ["P1"]) == nil)
        let result = RatingTally.decide(Self.input(satisfied: 10, basic: 0, dissatisfied: 0, seated: 20, extra: void))
        #expect(result.valid == 10)
        #expect(result.invalid == 4)
        #expect(result.recorded == 14)
        let rating = try #require(result.projects.first)
        #expect(rating.satisfied == 10 && rating.dissatisfied == 0 && rating.abstain == 0)
        #expect(rating.classification == .unsatisfied)
    }

    @Test("More returned than issued voids the session: nothing classified, nothing flagged")
    func voidSession() {
        let cast = Self.ballots([(.dissatisfied, 20)])
        let result = RatingTally.decide(RatingTallyInput(
            session: "R1", projects: ["P1"], rules: .standard, seated: 20, present: 20, issued: 20, returned: 21, ballots: cast))
        #expect(result.status == .void)
        #expect(result.reason == .excessReturned)
        #expect(result.note == nil)
        #expect(result.explanation?.contains("须重新测评") == true)
        #expect(result.projects.first?.classification == nil)
        #expect(result.projects.first?.rate == nil)
        #expect(result.rectify.isEmpty)
        #expect(RatingTallyOutput(result).status == "void")
    }

    @Test("Fewer returned than issued is valid; the difference is recorded")
    func notReturned() {
        let result = RatingTally.decide(RatingTallyInput(
            session: "R1", projects: ["P1"], rules: .standard, seated: 20, present: 20, issued: 20, returned: 18,
            ballots: Self.ballots([(.satisfied, 18)])))
        #expect(result.status == .decided)
        #expect(result.notReturned == 2)
        #expect(result.projects.first?.classification == .satisfied)
    }

    @Test("Rectification trigger: the class (default 不满意), a stricter class, or a rate floor")
    func rectificationFlags() throws {
        // P1 满意 with rate 16/20, P2 基本满意 with rate 15/20, P3 不满意.
        let cast = Array(repeating: Choices([.satisfied: ["P1"], .basic: ["P2"], .dissatisfied: ["P3"]]), count: 11)
            + Array(repeating: Choices([.basic: ["P2"], .satisfied: ["P3"]]), count: 4)
            + Array(repeating: Choices([.basic: ["P1"], .dissatisfied: ["P2"]]), count: 1)
            + Array(repeating: Choices([.dissatisfied: ["P1", "P2", "P3"]]), count: 4)
        func decide(_ rules: EvaluationRules) -> RatingResult {
            RatingTally.decide(RatingTallyInput(
                session: "R1", projects: ["P1", "P2", "P3"], rules: rules, seated: 20, present: 20, issued: 20, returned: 20,
                ballots: cast))
        }
        let standard = decide(.standard)
        #expect(standard.projects.map(\.classification) == [.satisfied, .basicallySatisfied, .unsatisfied])
        #expect(standard.projects.map(\.rate) == [Ratio(12, 20), Ratio(15, 20), Ratio(4, 20)])
        #expect(standard.rectify == ["P3"])

        var byClass = EvaluationRules.standard
        byClass.rectifyClass = .basicallySatisfied
        #expect(decide(byClass).rectify == ["P2", "P3"])

        var byRate = EvaluationRules.standard
        byRate.rectifyBelowRate = Ratio(70, 100)
        #expect(decide(byRate).rectify == ["P1", "P3"])
        byRate.rectifyBelowRate = Ratio(60, 100)
        #expect(decide(byRate).rectify == ["P3"])
    }

    @Test("The decision is deterministic: the same input gives the same result")
    func deterministic() {
        let input = Self.input(satisfied: 182, basic: 10, dissatisfied: 1, seated: 193)
        #expect(RatingTally.decide(input) == RatingTally.decide(input))
    }

    @Test("Percentages round half up to 0.01% by integer arithmetic")
    func percentText() throws {
        #expect(try #require(Ratio(1, 3)).percentText == "33.33%")
        #expect(try #require(Ratio(2, 3)).percentText == "66.67%")
        #expect(try #require(Ratio(20, 20)).percentText == "100.00%")
        #expect(try #require(Ratio(0, 7)).percentText == "0.00%")
        #expect(try #require(Ratio(1, 20000)).percentText == "0.01%")
    }
}
