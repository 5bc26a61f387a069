import Foundation
import PiaojueAudit
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// `BallotJSON` (the payload a credential signs, read back), `BallotScanner` (the fast reader of
/// ballot lines, which must agree with the full parser) and `BundleWriter.ballotsCSV`.
@Suite struct BallotJSONTests {
    @Test func thePayloadIsCanonicalAndReadsBack() throws {
        let choices = Choices([.oppose: ["P3"], .approve: ["P1", "P2"], .abstain: []])
        let payload = BallotJSON.payload(session: "S1", via: .electronic, choices: choices)
        #expect(String(decoding: payload.canonicalBytes, as: UTF8.self)
            == #"{"choices":{"abstain":[],"approve":["P1","P2"],"oppose":["P3"]},"session":"S1","via":"electronic"}"#)
        #expect(BallotJSON.via(payload) == .electronic)
        #expect(BallotJSON.choices(payload) == choices)
        // Marks not given are left out, not written empty.
        let rating = BallotJSON.payload(session: "R1", via: .paper, choices: Choices([.satisfied: ["P1"]]))
        #expect(String(decoding: rating.canonicalBytes, as: UTF8.self) == #"{"choices":{"satisfied":["P1"]},"session":"R1","via":"paper"}"#)
        // The payload is what the ledger's Ballot decodes.
        #expect(try PayloadCoding.decode(Ballot.self, from: payload) == Ballot(session: "S1", via: .electronic, choices: choices))
    }

    @Test(arguments: [
        #"{"session":"S1"}"#, #"{"choices":{"yes":["P1"]},"session":"S1"}"#, #"{"choices":{"approve":"P1"},"session":"S1"}"#,
        #"{"choices":{"approve":[1]},"session":"S1"}"#, #"{"choices":[],"session":"S1"}"#,
    ])
    func whatIsNotABallotReadsAsNone(_ text: String) throws {
        #expect(BallotJSON.choices(try JSONValue.parse(Array(text.utf8))) == nil)
    }

    /// A ballot line as the ledger stores it, with a stand-in signature.
    static func line(_ payload: String) -> [UInt8] {
        Array((#"{"index":7,"kind":"session.cast","payload":"# + payload + #","prev":"AA==","sig":"AA==","signer":"AA==","time":"2025-01-15T01:00:00Z"}"#).utf8)
    }

    static func marks(_ scanner: BallotScanner, _ line: [UInt8], count: Int) -> (BallotScanner.Outcome, [UInt8]) {
        var marks = [UInt8](repeating: 9, count: count)
        let outcome = scanner.scan(line, into: &marks)
        return (outcome, marks)
    }

    @Test func theScannerReadsMarksStraightFromTheLine() {
        let scanner = BallotScanner(items: ["P1", "P2", "P3"])
        let (outcome, marks) = Self.marks(scanner, Self.line(#"{"choices":{"approve":["P1"],"oppose":["P3"]},"session":"S1"}"#), count: 3)
        #expect(outcome == .scanned(conflict: false))
        #expect(marks == [Mark.approve.code, 0, Mark.oppose.code])
        let (blank, none) = Self.marks(scanner, Self.line(#"{"choices":{},"session":"S1"}"#), count: 3)
        #expect(blank == .scanned(conflict: false))
        #expect(none == [0, 0, 0])
        let (empty, cleared) = Self.marks(scanner, Self.line(#"{"choices":{"abstain":[],"approve":["P2"]},"session":"S1"}"#), count: 3)
        #expect(empty == .scanned(conflict: false))
        #expect(cleared == [0, Mark.approve.code, 0])
    }

    @Test func aDoubleMarkOrAnIdNotOnTheBallotIsAConflict() {
        let scanner = BallotScanner(items: ["P1", "P2"])
        #expect(Self.marks(scanner, Self.line(#"{"choices":{"approve":["P1"],"oppose":["P1"]},"session":"S1"}"#), count: 2).0 == .scanned(conflict: true))
        #expect(Self.marks(scanner, Self.line(#"{"choices":{"approve":["P1","P1"]},"session":"S1"}"#), count: 2).0 == .scanned(conflict: true))
        #expect(Self.marks(scanner, Self.line(#"{"choices":{"approve":["P9"]},"session":"S1"}"#), count: 2).0 == .scanned(conflict: true))
    }

    @Test(arguments: [
        #"{"choices":{"approve":["P\u0031"]},"session":"S1"}"#, #"{"choices":{"yes":["P1"]},"session":"S1"}"#,
        #"{"choices":{"approve":"P1"},"session":"S1"}"#,
    ])
    func anythingUnexpectedIsLeftToTheFullParser(_ payload: String) {
        let scanner = BallotScanner(items: ["P1", "P2"])
        #expect(Self.marks(scanner, Self.line(payload), count: 2).0 == .unreadable)
        #expect(Self.marks(scanner, Array(#"{"kind":"roster.import"}"#.utf8), count: 2).0 == .unreadable)
    }

    @Test func theScannerAgreesWithTheParserOnEveryBallotOfASession() throws {
        let world = try ServiceWorld()
        let vote = try world.issuedVote(seated: 5)
        try world.importPaper(vote.session, [
            ServiceWorld.PaperRow(vote.codes[0], approve: ["P1", "P2"], oppose: ["P3"]),
            ServiceWorld.PaperRow(vote.codes[1], approve: ["P1"], oppose: ["P1"]),
            ServiceWorld.PaperRow(vote.codes[2]),
        ])
        try world.cast(vote.session, vote.codes[3], abstain: ["P2"])
        let scanner = BallotScanner(items: ["P1", "P2", "P3"])
        let entries = try world.entries(kinds: [Ballot.kind, Ballot.paperKind])
        #expect(entries.count == 4)
        for entry in entries {
            let choices = try #require(BallotJSON.choices(try entry.fields().payload))
            var marks = [UInt8](repeating: 0, count: 3)
            let outcome = scanner.scan(entry.line, into: &marks)
            #expect(outcome == .scanned(conflict: choices.hasRepeatedID))
            if !choices.hasRepeatedID {
                let expected = ["P1", "P2", "P3"].map { id in Mark.allCases.first { choices[$0].contains(id) }?.code ?? 0 }
                #expect(marks == expected)
            }
        }
    }

    @Test func ballotsCSVHasOneRowPerBallotAndShowsBothMarksOfAVoidOne() {
        let csv = BundleWriter.ballotsCSV(items: ["P1", "P2", "P3"], ballots: [
            (receipt: "aa", choices: Choices([.approve: ["P1"], .oppose: ["P3"]])),
            (receipt: "bb", choices: Choices([.approve: ["P2"], .abstain: ["P2"]])),
            (receipt: "cc", choices: Choices()),
        ])
        // A byte order mark and CRLF line ends, as Excel opens it.
        #expect(csv == "\u{FEFF}receipt,P1,P2,P3\r\naa,赞成,,反对\r\nbb,,赞成+弃权,\r\ncc,,,\r\n")
    }
}
