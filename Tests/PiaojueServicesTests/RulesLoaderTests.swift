import Foundation
import PiaojueDomain
import PiaojueServices
import PiaojueTestSupport
import Testing

/// The rules files: the shipped presets parse, the built-in default is the shipped file, and every
/// mistake is refused with a message naming the key.
@Suite struct RulesLoaderTests {
    static let rulesDirectory = TestPaths.config.appendingPathComponent("rules")

    /// Every preset shipped in `Config/rules`.
    static let presets: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: rulesDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".toml") }.sorted()
    }()

    @Test func theDefaultFileIsTheStandardRules() throws {
        let rules = try RulesLoader.load(path: Self.rulesDirectory.appendingPathComponent("default.toml").path)
        var expected = Rules.standard
        expected.name = rules.name
        #expect(rules == expected)
        #expect(rules.collection.approvalSteps == ["政府常务会议", "党委审定"])
        #expect(rules.collection.margin == .contested)
        #expect(rules.ballot.quorum == Ratio(2, 3))
    }

    @Test func thePresetsAreShipped() {
        #expect(Set(Self.presets).isSuperset(of: ["default.toml", "equal-slate.toml", "rank-only.toml", "e-voter.toml"]))
    }

    @Test(arguments: presets)
    func everyPresetParses(_ file: String) throws {
        let rules = try RulesLoader.load(path: Self.rulesDirectory.appendingPathComponent(file).path)
        #expect(rules.name == String(file.dropLast(".toml".count)))
        let resolved = try RulesLoader.resolve(rules.name, configDirectory: TestPaths.config.path)
        #expect(resolved == rules)
    }

    @Test func presetsDifferWhereTheirNamesSay() throws {
        func preset(_ name: String) throws -> Rules { try RulesLoader.resolve(name, configDirectory: TestPaths.config.path) }
        #expect(try preset("equal-slate").collection.margin == .equalAllowed)
        #expect(try preset("rank-only").ballot.thresholdBase == ThresholdBase.none)
        #expect(try preset("e-voter").ballot.form == .eVoter)
    }

    @Test func theBuiltInDefaultIsTheShippedFileByteForByte() throws {
        let file = try Data(contentsOf: Self.rulesDirectory.appendingPathComponent("default.toml"))
        #expect(Array(RulesLoader.builtinDefaultText.utf8) == [UInt8](file))
        #expect(RulesLoader.builtinDefault == (try RulesLoader.load(path: Self.rulesDirectory.appendingPathComponent("default.toml").path)))
    }

    @Test func withoutAConfigDirectoryTheBuiltInDefaultIsUsed() throws {
        let empty = TemporaryDirectory("piaojue-config")
        #expect(try RulesLoader.resolve(nil, configDirectory: empty.url.path) == RulesLoader.builtinDefault)
        #expect(try RulesLoader.resolve("default", configDirectory: empty.url.path) == RulesLoader.builtinDefault)
        #expect(throws: RulesFailure.unknownPreset(name: "no-such-preset", directory: empty.url.path)) {
            try RulesLoader.resolve("no-such-preset", configDirectory: empty.url.path)
        }
    }

    @Test(arguments: [
        ("colour = \"red\"\n", "colour"),
        ("[ballot]\nquorom = \"2/3\"\n", "ballot.quorom"),
        ("[collection]\nmargins = \"contested\"\n", "collection.margins"),
        ("[evaluation]\nbase = \"seated\"\nweight = 1\n", "evaluation.weight"),
        ("[tally]\nx = 1\n", "tally"),
        ("[ballot]\nquorum = 1.5\n", "ballot.quorum"),
        ("[ballot]\nquorum = \"3/2\"\n", "ballot.quorum"),
        ("[ballot]\nquorum = \"0/3\"\n", "ballot.quorum"),
        ("[ballot]\nquorum = \"two thirds\"\n", "ballot.quorum"),
        ("[ballot]\nmax_rounds = 0\n", "ballot.max_rounds"),
        ("[ballot]\nmax_rounds = \"3\"\n", "ballot.max_rounds"),
        ("[ballot]\nform = \"x\"\n", "ballot.form"),
        ("[ballot]\nthreshold_base = \"most\"\n", "ballot.threshold_base"),
        ("[ballot]\nthreshold_strict = \"yes\"\n", "ballot.threshold_strict"),
        ("[ballot]\nbudget_cap = \"-5万\"\n", "ballot.budget_cap"),
        ("[ballot]\nbudget_cap = 0\n", "ballot.budget_cap"),
        ("[collection]\nmargin = \"sometimes\"\n", "collection.margin"),
        ("[collection]\nrequired_fields = [\"colour\"]\n", "collection.required_fields"),
        ("[collection]\ncategories = []\n", "collection.categories"),
        ("[collection]\nminimum_ratio = \"1/2\"\n", "collection.minimum_ratio"),
        ("[collection]\napproval_steps = [\"党委审定\", \"党委审定\"]\n", "collection.approval_steps"),
        ("[evaluation]\nrectify_class = \"good\"\n", "evaluation.rectify_class"),
        ("[implementation]\nplan_deadline_days = 0\n", "implementation.plan_deadline_days"),
        ("name = \"\"\n", "name"),
        ("ballot = 3\n", "ballot"),
    ])
    func mistakesAreRefusedNamingTheKey(_ text: String, _ key: String) throws {
        let error = try #require(throws: RulesFailure.self) { try RulesLoader.parse(text, source: "mine.toml") }
        #expect(["rules.invalid-value", "rules.wrong-type", "rules.unknown-key"].contains(error.code))
        #expect(error.details["key"] == .text(key))
        #expect(error.description.contains(key), "\(error.description)")
        #expect(error.description.contains("mine.toml"))
    }

    @Test func aSyntaxErrorNamesTheLine() throws {
        let error = try #require(throws: RulesFailure.self) {
            try RulesLoader.parse("name = \"x\"\n[ballot\nquorum = \"2/3\"\n", source: "broken.toml")
        }
        #expect(error.code == "rules.syntax")
        #expect(error.details["line"] == .number(2))
        #expect(error.description.contains("broken.toml"))
        #expect(error.description.contains("第 2 行"), "\(error.description)")
    }

    @Test func aPartialFileKeepsTheOtherDefaults() throws {
        let rules = try RulesLoader.parse(
            "name = \"mine\"\n[collection]\nmargin = \"equal-allowed\"\nminimum_ratio = \"6/5\"\n[ballot]\nquorum = \"3/4\"\nbudget_cap = \"5000万\"\n",
            source: "mine.toml")
        #expect(rules.name == "mine")
        #expect(rules.collection.margin == .equalAllowed)
        #expect(rules.collection.minimumRatio == Ratio(6, 5))
        #expect(rules.ballot.quorum == Ratio(3, 4))
        #expect(rules.ballot.budgetCap == 50_000_000)
        #expect(rules.collection.categories == Rules.standard.collection.categories)
        #expect(rules.evaluation == Rules.standard.evaluation)
    }
}
