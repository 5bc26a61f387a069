import Foundation
import PiaojueCrypto
import PiaojueTestSupport
import PiaojueWitness
import Synchronization

/// A log of our own for the witness tests: an origin, an Ed25519 key, leaves, checkpoints and
/// consistency proofs (through PiaojueCrypto's RFC 9162 code).
struct TestLog {
    let origin: String
    var key: Ed25519PrivateKey
    var leaves: [[UInt8]]

    init(origin: String = "township.example/a", seed: String = "log", size: Int = 64) throws {
        self.origin = origin
        key = try Ed25519PrivateKey.generate(using: SeededRandom(seed: seed))
        leaves = (0..<size).map { Merkle.leafHash(Array("\(origin) leaf \($0)".utf8)) }
    }

    var vkey: String { Self.vkey(origin, key) }

    static func vkey(_ name: String, _ key: Ed25519PrivateKey) -> String {
        "\(name)+\(Encoding.hex(SignedNote.keyID(keyName: name, publicKey: key.publicKey)))+\(Encoding.base64([0x01] + key.publicKey.rawBytes))"
    }

    func root(_ size: Int) -> [UInt8] { Merkle.root(leaves[..<size]) }

    func text(_ size: Int, root: [UInt8]? = nil) -> String {
        "\(origin)\n\(size)\n\(Encoding.base64(root ?? self.root(size)))\n"
    }

    /// The checkpoint of the first `size` leaves (or with `root`), signed by `key` (default: the log's).
    func checkpoint(_ size: Int, root: [UInt8]? = nil, key: Ed25519PrivateKey? = nil) throws -> String {
        try SignedNote.sign(text: text(size, root: root), keyName: origin, key: key ?? self.key).serialized
    }

    func proof(_ old: Int, _ new: Int) throws -> [[UInt8]] {
        old == 0 || old == new ? [] : try Merkle.consistencyProof(oldSize: old, leaves: leaves[..<new])
    }

    /// An add-checkpoint body from `old` to `size`, with the right proof unless `proof` is given.
    func request(old: Int, size: Int, proof: [[UInt8]]? = nil, root: [UInt8]? = nil, key: Ed25519PrivateKey? = nil) throws -> [UInt8] {
        let lines = try proof ?? self.proof(old, size)
        let body = "old \(old)\n" + lines.map { Encoding.base64($0) + "\n" }.joined() + "\n" + (try checkpoint(size, root: root, key: key))
        return Array(body.utf8)
    }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let seconds = Mutex<Double>(1_760_000_000)
    var now: @Sendable () -> Date { { Date(timeIntervalSince1970: self.seconds.withLock { $0 }) } }
    func advance(_ by: Double) { seconds.withLock { $0 += by } }
    var posix: UInt64 { UInt64(seconds.withLock { $0 }) }
}

/// A witness in a temporary directory trusting one test log.
struct WitnessFixture {
    let directory: TemporaryDirectory
    let clock = TestClock()
    let witness: Witness
    let log: TestLog
    let vkey: VerifierKey

    init(log: TestLog? = nil) throws {
        directory = TemporaryDirectory("witness")
        vkey = try Witness.create(
            name: "county.example/witness", directory: directory.path("w"), clock: clock.now,
            random: SeededRandom(seed: "witness"))
        witness = try Witness.open(directory: directory.path("w"), clock: clock.now)
        self.log = try log ?? TestLog()
        try witness.addLog(origin: self.log.origin, vkey: self.log.vkey)
    }

    var witnessPublicKey: Ed25519PublicKey {
        get throws { try Ed25519PublicKey(rawBytes: vkey.keyMaterial) }
    }

    /// Everything a request could change: each log's state, its cosigned checkpoints and evidence.
    func snapshot() throws -> [String] {
        try witness.logs().flatMap { log -> [String] in
            var lines = ["\(log.origin) \(log.size.map(String.init) ?? "-") \(log.root.map { Encoding.hex($0) } ?? "-") \(log.keys.count)"]
            lines += try witness.cosigned(origin: log.origin).map { "\($0.id) \($0.note.serialized) \($0.cosignature.line)" }
            lines += try witness.evidence(origin: log.origin).map { "\($0.kind) \($0.refused.serialized)" }
            return lines
        }
    }
}
