import Foundation
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport

/// A published bundle of a decided ballot session, built through the services, and ways to spoil
/// a copy of it.
struct PublishedBundle {
    let world: ServiceWorld
    let directory: String
    let vote: ServiceWorld.Vote
    /// The receipts of the session's ballots, in ledger order.
    let receipts: [String]
    let size: Int

    /// Five deputies, P1–P3 for 2 seats: four paper ballots and one electronic one, closed,
    /// tallied and published into `bundle/`.
    init(seed: String = "audit-tests") throws {
        world = try ServiceWorld(seed: seed)
        let issued = try world.issuedVote(seated: 5)
        let paper = try world.importPaper(issued.session, issued.codes.prefix(4).enumerated().map { n, code in
            ServiceWorld.PaperRow(code, approve: n < 3 ? ["P1", "P2"] : ["P2"], oppose: n == 3 ? ["P3"] : [])
        })
        guard paper.imported == 4 else { throw FixtureError("4 paper ballots imported, not \(paper.imported)") }
        let cast = try world.cast(issued.session, issued.codes[4], approve: ["P1"], abstain: ["P2"])
        try world.close(issued.session)
        let tally = try world.tally(issued.session)
        vote = ServiceWorld.Vote(list: issued.list, session: issued.session, codes: issued.codes, tally: tally)
        directory = world.path("bundle")
        size = try AuditService.publish(session: issued.session, directory: directory, workspace: world.workspace).size
        receipts = try world.entries(kinds: ["session.paper", "session.cast"]).sorted { $0.index < $1.index }.map(\.receipt)
        guard receipts.last == cast.receipt else { throw FixtureError("the electronic ballot is the last ballot") }
    }

    /// The path of a bundle file.
    func file(_ name: String) -> String { directory + "/" + name }

    /// The lines of `ledger.jsonl`, without their newlines.
    func ledgerLines() throws -> [String] {
        try String(contentsOfFile: file("ledger.jsonl"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }

    /// Replaces a bundle file's content.
    func replace(_ name: String, with text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
    }
}

/// A fixture that could not be built as intended.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
