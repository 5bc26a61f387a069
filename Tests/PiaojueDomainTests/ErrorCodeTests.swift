import Foundation
import PiaojueDomain
import PiaojueTestSupport
import Testing

/// Error codes are stable: derived from case names, listed in docs/cli.md (Scripts/error-codes
/// writes the table and Scripts/test checks it), carried with their values as details.
@Suite struct ErrorCodeTests {
    static let documented: Set<String> = {
        let text = (try? String(contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/cli.md"), encoding: .utf8)) ?? ""
        var codes: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let parts = line.split(separator: "`")
            if parts.count > 1 { codes.insert(String(parts[1])) }
        }
        return codes
    }()

    static let samples: [any ClerkFacingError] = [
        InputFailure.amount(text: "x", why: "y"), InputFailure.impossibleDate(text: "2025-02-30", year: 2025, month: 2, day: 30),
        RosterRefusal.badID(file: "f", line: 2, id: "a b"), RosterRefusal.noRoster, CollectionRefusal.missingRef,
        CollectionRefusal.notContested(candidates: 10, seats: 10), SessionRefusal(.noQuorum(seated: 120, present: 79, needed: 80, quorum: "2/3"), shape: .vote),
        SessionRefusal(.noQuorum(seated: 20, present: 1, needed: 14, quorum: "2/3"), shape: .rating), SessionRefusal(.noDeputies, shape: .vote),
        BallotRefusal.roundLimit(maxRounds: 3), ImplementationRefusal.needsDecision(kind: "terminate", body: "人大常委会"),
        ImplementationRefusal.emptyNote, EvaluationRefusal.noRaters, RulesFailure.syntax(source: "r.toml", line: 2, column: 1, detail: "x"),
        FileFailure.notUTF8(file: "f.csv", line: 3), FileFailure.declaredGB18030ButUTF8(file: "f.csv"), FileFailure.outputMissing,
        SetupFailure.bodyName, AuditFailure.noCheckpoint,
    ]

    @Test func codesAreDocumented() {
        #expect(Self.documented.count > 200)
        for sample in Self.samples {
            #expect(Self.documented.contains(sample.code), "\(sample.code) is not listed in docs/cli.md")
            #expect(sample.code.range(of: #"^[a-z]+\.[a-z0-9-]+$"#, options: .regularExpression) != nil, "\(sample.code)")
        }
    }

    @Test func codesReadAsKebabCase() {
        #expect(FileFailure.notUTF8(file: "f", line: 1).code == "file.not-utf8")
        #expect(FileFailure.declaredGB18030ButUTF8(file: "f").code == "file.declared-gb18030-but-utf8")
        #expect(RosterRefusal.badID(file: "f", line: 1, id: "x").code == "roster.bad-id")
        #expect(CollectionRefusal.missingRef.code == "collect.missing-ref")
        #expect(SessionRefusal(.noDeputies, shape: .rating).code == "evaluate.no-deputies")
        #expect(ErrorReflection.kebabCase("noQuorum") == "no-quorum")
    }

    @Test func detailsAreTheNamedValues() {
        let refusal = SessionRefusal(.noQuorum(seated: 120, present: 79, needed: 80, quorum: "2/3"), shape: .vote)
        #expect(refusal.details == ["seated": .number(120), "present": .number(79), "needed": .number(80), "quorum": .text("2/3")])
        #expect(CollectionRefusal.unknownCategory(category: "x", categories: ["a", "b"]).details["categories"] == .texts(["a", "b"]))
        let located = LocatedFailure(file: "p.csv", line: 7, column: "投资估算", underlying: InputFailure.amount(text: "abc", why: "x"))
        #expect(located.code == "input.amount")
        #expect(located.details["line"] == .number(7))
        #expect(located.details["file"] == .text("p.csv"))
    }
}
