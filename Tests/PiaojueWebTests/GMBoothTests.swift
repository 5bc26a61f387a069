import Foundation
import Hummingbird
import HummingbirdTesting
import PiaojueCrypto
import PiaojueLedger
import PiaojueServices
import Testing

/// The booth (`serve`) on a 国密 ledger: a ballot is answered with an SM3 receipt and a proof
/// against a checkpoint the SM2 body key signed.
@Suite struct GMBoothTests {
    @Test func aBallotOnAGMLedgerIsProvedWithSM3AndSM2() async throws {
        let hall = try PlenaryRouterTests.Hall(crypto: "gm")
        let identity = try hall.workspace.openForReading().identity
        #expect(identity.suite == .gm)
        try await (try hall.app).test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/ballots", method: .post, headers: PlenaryRouterTests.json,
                body: PlenaryRouterTests.ballot(hall.session, hall.codes[0], approve: ["P1"]))
            #expect(response.status == .ok)
            let answer = try PlenaryRouterTests.object(response)
            let receipt = try #require(answer["receipt"] as? String)
            let index = try #require(answer["index"] as? Int)
            let proof = try TlogProof(parsing: try #require(answer["proof"] as? String))
            let note = try SignedNote(parsing: proof.checkpoint)
            #expect(note.isSigned(by: identity.publicKey, keyName: identity.keyName))
            let checkpoint = try Checkpoint(text: note.text)
            let leaf = try #require(Encoding.unhex(receipt))
            #expect(Merkle.verifyInclusion(
                leafHash: leaf, index: index, size: checkpoint.size, proof: proof.proof, root: checkpoint.root, suite: .gm))
            #expect(!Merkle.verifyInclusion(
                leafHash: leaf, index: index, size: checkpoint.size, proof: proof.proof, root: checkpoint.root, suite: .standard)
                || checkpoint.size == 1)
        }
        try hall.close()
        try hall.tally()
        #expect(try hall.ballots() == 1)
    }
}
