import Foundation
import PiaojueAudit
import PiaojueCrypto
import PiaojueDomain
public import PiaojueLedger

/// Publishing the tally audit, inclusion proofs of receipts, consistency between checkpoints.
public enum AuditService {
    public typealias Published = PublishOutput

    /// Writes the audit bundle of a tallied session into `directory` (new or empty): the ledger up
    /// to a freshly signed checkpoint, the checkpoint, the body key, tally.json, ballots.csv and the
    /// report in HTML and Markdown.
    /// `ledger`: an open ledger to use instead of opening one (the server's one connection).
    public static func publish(session: String, directory: String, workspace: Workspace, ledger given: Ledger? = nil) throws -> Published {
        let ledger = try given ?? workspace.openForWriting()
        // Everything that can refuse is checked before the directory is created.
        try ledger.read { reader in try checkPublishable(reader, session: session) }
        try AuditBundle.prepareDirectory(directory)
        let checkpoint = try ledger.write { try $0.signCheckpoint(reason: "audit.publish") }
        try ledger.read { reader in try BundleWriter.write(reader, session: session, checkpoint: checkpoint, into: directory) }
        return PublishOutput(dir: directory, size: checkpoint.size, root: Encoding.hex(checkpoint.root), session: session)
    }

    /// The documents of a tallied session at `checkpoint` (for the big screen), made as publishing
    /// makes them, from entry 0 and the session's own entries read by the index.
    static func documents(_ reader: LedgerReader, session: String, checkpoint: Checkpoint) throws -> SessionDocuments {
        let recorder = SessionRecorder(session: session)
        if let first = try reader.entry(at: 0) { recorder.observe(try first.fields(), leafHash: first.leafHash) }
        let kinds = [
            BallotSessionOpened.kind, RatingSessionOpened.kind, CredentialsIssued.kind, SessionClosed.kind, TallyResult.kind,
            RatingResult.kind,
        ]
        for entry in try reader.entries(kinds: kinds, session: session).sorted(by: { $0.index < $1.index }) {
            recorder.observe(try entry.fields(), leafHash: entry.leafHash)
        }
        return try SessionDocuments.make(recorder, checkpoint: checkpoint)
    }

    /// Refuses a session that was never opened or is not tallied yet.
    static func checkPublishable(_ reader: LedgerReader, session: String) throws {
        let pairs: [(opening: String, tally: String)] = [(BallotSessionOpened.kind, TallyResult.kind), (RatingSessionOpened.kind, RatingResult.kind)]
        for pair in pairs where try reader.latest(kind: pair.opening, session: session) != nil {
            guard try reader.latest(kind: pair.tally, session: session) != nil else { throw AuditFailure.notTallied(session: session) }
            return
        }
        throw AuditFailure.noSession(session: session)
    }

    // MARK: Receipts

    /// An inclusion proof of a ballot receipt.
    public struct Proof: Codable, Sendable {
        public let receipt: String
        public let index: Int
        public let size: Int
        public let root: String
        public let proof: [String]
        /// The signed checkpoint the proof is against.
        public let checkpoint: String
        public let kind: String
    }

    /// The inclusion proof of `receipt` against the latest checkpoint that covers it (signing one
    /// when none does). Refused (exit 1) when the receipt is not in the ledger.
    public static func prove(receipt: String, workspace: Workspace) throws -> Proof {
        guard let leaf = Encoding.unhex(receipt), leaf.count == 32 else {
            throw AuditFailure.badReceipt(text: receipt)
        }
        var ledger = try workspace.openForReading()
        var found = try ledger.read { reader -> (Int, String, StoredCheckpoint?)? in
            guard let index = try reader.index(ofLeaf: leaf), let entry = try reader.entry(at: index) else { return nil }
            return (index, entry.kind, try reader.latestCheckpoint().flatMap { $0.size > index ? $0 : nil })
        }
        guard let (index, kind, _) = found else {
            throw AuditFailure.receiptNotFound(receipt: receipt)
        }
        if found?.2 == nil {
            ledger = try workspace.openForWriting()
            _ = try ledger.write { try $0.signCheckpoint(reason: "audit.prove") }
            found = try ledger.read { reader in (index, kind, try reader.latestCheckpoint()) }
        }
        guard let checkpoint = found?.2 else { throw LedgerError.storage(detail: "no checkpoint") }
        let proof = try ledger.read { reader in
            try Merkle.inclusionProof(index: index, leaves: try reader.leafHashes(count: checkpoint.size)[...], suite: reader.identity.suite)
        }
        return Proof(
            receipt: Encoding.hex(leaf), index: index, size: checkpoint.size, root: Encoding.hex(checkpoint.root),
            proof: proof.map { Encoding.hex($0) }, checkpoint: checkpoint.note, kind: kind)
    }

    /// Writes a proof as JSON to a new file (never replacing one, never through a symbolic link).
    public static func writeProof(_ proof: Proof, to path: String) throws {
        try OutputPaths.writeNewFile(path, Array(try AuditBundle.json(proof)))
    }

    /// Refuses a proof file path before anything is recorded (existing, a symbolic link, no
    /// writable directory).
    public static func checkProofPath(_ path: String) throws { try OutputPaths.checkNewFile(path) }

    /// Writes a `c2sp.org/tlog-proof@v1` text to a new file.
    public static func writeProofText(_ proof: String, to path: String) throws {
        try OutputPaths.writeNewFile(path, Array(proof.utf8))
    }

    // MARK: Checkpoints

    /// The latest stored checkpoint, or a new one covering every entry when `fresh`.
    public static func checkpoint(fresh: Bool, workspace: Workspace) throws -> CheckpointOutput {
        let stored: StoredCheckpoint
        let ledger: Ledger
        if fresh {
            ledger = try workspace.openForWriting()
            stored = try ledger.write { try $0.signCheckpoint(reason: "audit.checkpoint") }
        } else {
            ledger = try workspace.openForReading()
            guard let latest = try ledger.read({ try $0.latestCheckpoint() }) else {
                throw AuditFailure.noCheckpoint
            }
            stored = latest
        }
        let identity = ledger.identity
        let vkey = try VerifierKey(keyName: identity.keyName, publicKey: identity.publicKey).description
        return CheckpointOutput(size: stored.size, root: Encoding.hex(stored.root), note: stored.note, vkey: vkey)
    }

    public struct Consistency: Codable, Sendable {
        public let ok: Bool
        public let oldSize: Int
        public let newSize: Int
        public let oldRoot: String
        public let newRoot: String
        public let proof: [String]
        public let detail: String
    }

    /// Proves from the ledger that checkpoint NEW extends checkpoint OLD (the history was never
    /// rewritten): both signed by this body, and an RFC 9162 consistency proof between them.
    public static func consistency(oldPath: String, newPath: String, workspace: Workspace) throws -> Consistency {
        func load(_ path: String) throws -> (SignedNote, Checkpoint) {
            let text = String(decoding: try FileInput.read(path, limit: FileInput.maximumNoteBytes), as: UTF8.self)
            do {
                let note = try SignedNote(parsing: text)
                return (note, try Checkpoint(text: note.text))
            } catch {
                throw AuditFailure.notACheckpoint(path: path, why: "\(error)")
            }
        }
        let (oldNote, old) = try load(oldPath)
        let (newNote, new) = try load(newPath)
        let ledger = try workspace.openForReading()
        let identity = ledger.identity
        func result(_ ok: Bool, _ proof: [[UInt8]], _ detail: String) -> Consistency {
            Consistency(
                ok: ok, oldSize: old.size, newSize: new.size, oldRoot: Encoding.hex(old.root), newRoot: Encoding.hex(new.root),
                proof: proof.map { Encoding.hex($0) }, detail: detail)
        }
        for (note, checkpoint, path) in [(oldNote, old, oldPath), (newNote, new, newPath)] {
            guard checkpoint.origin == identity.keyName, note.isSigned(by: identity.publicKey, keyName: identity.keyName) else {
                return result(false, [], "\(path) 不是本机关签名的检查点 / \(path) is not signed by this body")
            }
        }
        guard old.size <= new.size else { return result(false, [], "OLD 比 NEW 大 / OLD is larger than NEW") }
        return try ledger.read { reader in
            let count = try reader.count()
            guard new.size <= count else {
                return result(false, [], "账本只有 \(count) 条，少于 NEW 的 \(new.size) 条：历史被截短 / the ledger is shorter than NEW")
            }
            let leaves = try reader.leafHashes(count: new.size)
            guard Merkle.root(leaves[...], suite: identity.suite) == new.root else {
                return result(false, [], "账本前 \(new.size) 条的根与 NEW 不符：历史被改写 / the ledger does not match NEW")
            }
            guard old.size > 0 else { return result(false, [], "OLD 为空树 / OLD is the empty tree") }
            let proof = try Merkle.consistencyProof(oldSize: old.size, leaves: leaves[...], suite: identity.suite)
            let ok = Merkle.verifyConsistency(
                oldSize: old.size, newSize: new.size, oldRoot: old.root, newRoot: new.root, proof: proof, suite: identity.suite)
            return result(ok, proof, ok
                ? "NEW（\(new.size) 条）包含 OLD（\(old.size) 条）的全部历史，未被改写 / NEW extends OLD"
                : "OLD 与 NEW 不一致：历史被改写 / OLD and NEW are inconsistent: history was rewritten")
        }
    }
}
