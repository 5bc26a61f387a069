import Foundation
import PiaojueCrypto
import PiaojueTestSupport
import Testing

/// The vectors of docs/gm-format.md (`Tests/Fixtures/vectors/gm/piaojue-gm.json`, written by
/// `Scripts/gm-vectors`, checked independently by `Scripts/gm-crosscheck vectors`): everything but
/// the signatures is recomputed and must come out the same; the signatures must verify.
@Suite struct GMFormatVectorTests {
    let vectors: [String: Any]
    init() throws {
        let url = TestPaths.fixtures.appendingPathComponent("vectors/gm/piaojue-gm.json")
        vectors = try need(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any], "vectors")
    }

    func section(_ name: String) throws -> [String: Any] { try need(vectors[name] as? [String: Any], name) }
    func string(_ section: [String: Any], _ key: String) throws -> String { try need(section[key] as? String, key) }
    func hex(_ section: [String: Any], _ key: String) throws -> [UInt8] { try need(Encoding.unhex(try string(section, key)), key) }
    func base64(_ section: [String: Any], _ key: String) throws -> [UInt8] { try need(Encoding.unbase64(try string(section, key)), key) }

    @Test func sm2KeyIDAndSignature() throws {
        let sm2 = try section("sm2")
        let keyName = try need(vectors["keyName"] as? String, "keyName")
        let key = try SigningKey(suite: .gm, credentialSecret: try hex(sm2, "credentialSecretHex"))
        #expect(try SM2PrivateKey(derivingFrom: try hex(sm2, "credentialSecretHex")).scalarBytes == (try hex(sm2, "scalarHex")))
        #expect(key.verifyingKey.rawBytes == (try hex(sm2, "publicKeyHex")))
        #expect(key.verifyingKey.base64 == (try string(sm2, "publicKeyBase64")))
        #expect(try key.verifyingKey.pem() == (try string(sm2, "publicKeyPEM")))
        #expect(SM2.za(publicKey: try SM2PublicKey(rawBytes: key.verifyingKey.rawBytes)) == (try hex(sm2, "zaHex")))
        #expect(key.verifyingKey.isValidSignature(try base64(sm2, "signatureBase64"), for: try base64(sm2, "messageBase64")))
        #expect(SignedNote.keyID(keyName: keyName, publicKey: key.verifyingKey) == (try hex(sm2, "keyIDHex")))
        #expect(try VerifierKey(keyName: keyName, publicKey: key.verifyingKey).description == (try string(sm2, "vkey")))
        let ed = try section("ed25519")
        let edKey = try SigningKey(suite: .standard, credentialSecret: try hex(ed, "seedHex"))
        #expect(edKey.verifyingKey.base64 == (try string(ed, "publicKeyBase64")))
        #expect(SignedNote.keyID(keyName: keyName, publicKey: edKey.verifyingKey) == (try hex(ed, "keyIDHex")))
        #expect(try VerifierKey(keyName: keyName, publicKey: edKey.verifyingKey).description == (try string(ed, "vkey")))
    }

    @Test func sm3TreeAndCheckpoints() throws {
        let merkle = try section("merkle")
        let inputs = try need(merkle["leafInputs"] as? [String], "leafInputs")
        let leaves = inputs.map { CryptoSuite.gm.leafHash(Array($0.utf8)) }
        #expect(leaves.map { Encoding.hex($0) } == (try need(merkle["leafHashesHex"] as? [String], "leafHashesHex")))
        let root = Merkle.root(leaves, suite: .gm)
        #expect(root == (try hex(merkle, "rootHex")))
        #expect(CryptoSuite.gm.emptyRoot == (try hex(merkle, "emptyRootHex")))

        let keyName = try need(vectors["keyName"] as? String, "keyName")
        let checkpoint = try section("checkpoint")
        #expect(Checkpoint(origin: keyName, size: 3, root: root).text == (try string(checkpoint, "text")))
        let sm2 = try NoteVerifierRegistry.logKeysWithSM2.verifier(parsing: try string(try section("sm2"), "vkey"))
        let ed25519 = try NoteVerifierRegistry.logKeysWithSM2.verifier(parsing: try string(try section("ed25519"), "vkey"))
        #expect(sm2 is SM2NoteVerifier && ed25519 is Ed25519NoteVerifier)
        let single = try SignedNote(parsing: try string(checkpoint, "sm2Note"))
        #expect(single.isSigned(by: sm2) && !single.isSigned(by: ed25519))
        let dual = try SignedNote(parsing: try string(checkpoint, "dualNote"))
        #expect(dual.isSigned(by: sm2) && dual.isSigned(by: ed25519))
        #expect(dual.signatures.first?.keyID == ed25519.keyID)
        #expect(dual.verify(with: [sm2, ed25519]) == .verified(dual.signatures))
    }

    /// The synthetic bundle of `Scripts/gm-vectors bundle`: its checkpoint, root and signatures.
    @Test func syntheticBundle() throws {
        let base = TestPaths.fixtures.appendingPathComponent("vectors/gm/bundle")
        func text(_ name: String) throws -> String { try String(contentsOf: base.appendingPathComponent(name), encoding: .utf8) }
        let body = try VerifyingKey(pem: try text("body.pub.pem"))
        let ed25519 = try VerifyingKey(pem: try text("body.ed25519.pub.pem"))
        #expect(body.suite == .gm && ed25519.suite == .standard)
        let note = try SignedNote(parsing: try text("checkpoint"))
        let checkpoint = try Checkpoint(text: note.text)
        #expect(note.isSigned(by: body, keyName: checkpoint.origin) && note.isSigned(by: ed25519, keyName: checkpoint.origin))
        let lines = try text("ledger.jsonl").split(separator: "\n").map { Array($0.utf8) }
        #expect(lines.count == checkpoint.size)
        var frontier = MerkleFrontier(suite: .gm)
        for line in lines { frontier.append(leafHash: CryptoSuite.gm.leafHash(line)) }
        #expect(frontier.root == checkpoint.root)
        for line in lines {
            let entry = try JSONValue.parse(line)
            let signer = try need(Encoding.unbase64(try need(entry["signer"]?.stringValue, "signer")), "signer base64")
            let signature = try need(Encoding.unbase64(try need(entry["sig"]?.stringValue, "sig")), "sig base64")
            let message: [UInt8]
            if entry["kind"]?.stringValue == "session.cast" {
                message = try need(entry["payload"], "payload").canonicalBytes
            } else {
                var object = try need(entry.objectValue, "entry")
                object["sig"] = nil
                message = JSONValue.object(object).canonicalBytes
            }
            #expect(CryptoSuite.gm.isValidSignature(signature, publicKey: signer, message: message))
        }
    }
}
