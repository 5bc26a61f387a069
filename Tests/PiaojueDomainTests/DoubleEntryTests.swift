import PiaojueDomain
import Testing

/// 双人录入: the differences between two counters, the scrutineer's settlements, readiness.
@Suite struct DoubleEntryTests {
    static func reading(_ code: String, approve: [String] = [], oppose: [String] = []) -> PaperReading {
        PaperReading(code: code, marks: [.approve: approve, .oppose: oppose])
    }

    @Test func equalReadingsAgreeWhateverTheOrderOfTheirIDs() throws {
        var pile = DoubleEntry(session: "S1")
        try pile.enter(Self.reading("c1", approve: ["P2", "P1"]), key: "k1", by: .a)
        try pile.enter(Self.reading("c1", approve: ["P1", "P2"]), key: "k1", by: .b)
        #expect(pile.differences.isEmpty)
        #expect(pile.isReconciled)
        #expect(try pile.reconciled() == [Self.reading("c1", approve: ["P1", "P2"])])
    }

    @Test func aDifferenceAndAOneSidedBallotAreShownAndBlockTheImport() throws {
        var pile = DoubleEntry(session: "S1")
        try pile.enter(Self.reading("c1", approve: ["P1"]), key: "k1", by: .a)
        try pile.enter(Self.reading("c1", oppose: ["P1"]), key: "k1", by: .b)
        try pile.enter(Self.reading("c2"), key: "k2", by: .a)
        #expect(pile.differences.map(\.key) == ["k1", "k2"])
        #expect(pile.differences[1].b == nil)
        #expect(!pile.isReconciled)
        #expect(throws: CountingRefusal.notReconciled(session: "S1", differences: 2)) { try pile.reconciled() }
        #expect(throws: CountingRefusal.nothingToTake(counter: "B", position: 2)) { try pile.settle("k2", with: .takeB) }
        try pile.settle("k1", with: .takeB)
        try pile.settle("k2", with: .takeA)
        #expect(try pile.reconciled() == [Self.reading("c1", oppose: ["P1"]), Self.reading("c2")])
    }

    @Test func theScrutineersOwnReadingKeepsTheScannedCode() throws {
        var pile = DoubleEntry(session: "S1")
        try pile.enter(Self.reading("c1", approve: ["P1"]), key: "k1", by: .a)
        try pile.enter(Self.reading("c1", approve: ["P2"]), key: "k1", by: .b)
        try pile.settle("k1", with: .reading(PaperReading(code: "", marks: [.approve: ["P1", "P2"]])))
        #expect(try pile.reconciled() == [Self.reading("c1", approve: ["P1", "P2"])])
    }

    @Test func aCounterEntersABallotOnceUnlessCorrecting() throws {
        var pile = DoubleEntry(session: "S1")
        try pile.enter(Self.reading("c1", approve: ["P1"]), key: "k1", by: .a)
        try pile.enter(Self.reading("c1", approve: ["P1"]), key: "k1", by: .a)
        #expect(throws: CountingRefusal.alreadyEntered(counter: "A", position: 1)) {
            try pile.enter(Self.reading("c1", oppose: ["P1"]), key: "k1", by: .a)
        }
        try pile.enter(Self.reading("c1", oppose: ["P1"]), key: "k1", by: .a, replacing: true)
        #expect(pile.readings(of: .a)["k1"] == Self.reading("c1", oppose: ["P1"]))
    }

    @Test func aNewReadingReopensASettledBallot() throws {
        var pile = DoubleEntry(session: "S1")
        try pile.enter(Self.reading("c1", approve: ["P1"]), key: "k1", by: .a)
        try pile.settle("k1", with: .takeA)
        #expect(pile.isReconciled)
        try pile.enter(Self.reading("c1", oppose: ["P1"]), key: "k1", by: .b)
        #expect(pile.differences.map(\.key) == ["k1"])
    }

    @Test func nothingEnteredIsNotReady() {
        let pile = DoubleEntry(session: "S1")
        #expect(!pile.isReconciled)
        #expect(throws: CountingRefusal.nothingEntered(session: "S1")) { try pile.reconciled() }
        #expect(CountingRefusal.notReconciled(session: "S1", differences: 1).code == "counting.not-reconciled")
    }
}
