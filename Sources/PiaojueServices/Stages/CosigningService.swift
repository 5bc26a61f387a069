import Foundation
import PiaojueAudit
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueWitness

/// The log side of witnessing (`audit witness`): the ledger's latest checkpoint sent to county
/// witnesses with the consistency proof from each witness's size (C2SP tlog-witness v1.0.0),
/// online or through request and response files; the cosignatures kept with the checkpoint, so
/// that every later bundle of it carries them after the body's signature.
public enum CosigningService {
    /// Where the witnesses are and which of their keys to trust.
    public struct Witnesses: Sendable {
        /// `--url`, repeatable: submission prefixes or full add-checkpoint URLs.
        public var urls: [String]
        /// `--witness`, repeatable: cosignature/v1 vkeys whose lines are kept, each verified.
        public var keys: [String]
        /// `--policy`: its witnesses' keys are pinned too, and its witness URLs used when no
        /// `--url` is given.
        public var policyPath: String?

        /// The witnesses from the command line.
        public init(urls: [String] = [], keys: [String] = [], policyPath: String? = nil) {
            self.urls = urls
            self.keys = keys
            self.policyPath = policyPath
        }

        /// The pinned keys and the URLs to send to; refused (exit 2) before anything is sent.
        func resolve() throws -> (pinned: [CosignatureV1Verifier], urls: [(text: String, url: URL)]) {
            var pinned = try WitnessClient.pinnedKeys(keys)
            var urls = urls
            if let policyPath {
                let policy = try TrustAnchors.policy(policyPath)
                for witness in policy.witnesses {
                    if let key = witness.verifier as? CosignatureV1Verifier, !pinned.contains(where: { $0.verifierKey == key.verifierKey }) {
                        pinned.append(key)
                    }
                }
                if self.urls.isEmpty { urls = policy.witnesses.compactMap(\.url) }
            }
            return (pinned, try urls.map { text throws(CosignRefusal) in (text, try WitnessHTTP.endpoint(text)) })
        }
    }

    /// `audit witness --url URL…`: sends the latest checkpoint (signing one of every entry first
    /// when the ledger has grown past it) to every witness, retrying from the size a 409 names, and
    /// stores every cosignature kept. A witness that refuses is reported (`ok` false, exit 1); the
    /// others' cosignatures are stored all the same.
    public static func submit(to witnesses: Witnesses, workspace: Workspace) throws -> WitnessingOutput {
        let (pinned, urls) = try witnesses.resolve()
        guard !urls.isEmpty else { throw CosignRefusal.noWitness }
        let (ledger, checkpoint) = try currentCheckpoint(workspace)
        let client = try client(ledger, checkpoint, pinned: pinned)
        let earlier = try ledger.read { try $0.cosignatures() }
        var answers: [WitnessAnswerOutput] = []
        for (text, url) in urls {
            // Start from the size this witness last cosigned (0 the first time: its 409 names it).
            let start = earlier.filter { $0.source == text && $0.size <= checkpoint.size }.map(\.size).max() ?? 0
            do {
                let submission = try client.submit(from: start, source: text) { request throws(CosignRefusal) in
                    try WitnessHTTP.post(request.body, to: url, source: text)
                }
                let stored = try ledger.write { try $0.storeCosignatures(submission.lines, size: checkpoint.size, source: text) }
                answers.append(WitnessAnswerOutput(
                    source: text, ok: true, cosignatures: submission.lines.map(\.line), verified: submission.verified,
                    oldSize: submission.oldSize, attempts: submission.attempts, stored: stored))
            } catch let refusal as CosignRefusal {
                answers.append(WitnessAnswerOutput(source: text, ok: false, code: refusal.code, message: refusal.description))
            }
        }
        return try output(ledger, checkpoint, client: client, answers: answers)
    }

    /// `audit witness --request-out FILE [--old N]`: writes the add-checkpoint request of the latest
    /// checkpoint for a witness reached offline. Without `--old` the proof starts at the largest
    /// size a pinned witness (or, with none pinned, any witness) cosigned before, else at 0.
    public static func writeRequest(to path: String, oldSize: Int?, witnesses: Witnesses, workspace: Workspace) throws -> WitnessRequestOutput {
        try OutputPaths.checkNewFile(path)
        let (pinned, _) = try witnesses.resolve()
        let (ledger, checkpoint) = try currentCheckpoint(workspace)
        let client = try client(ledger, checkpoint, pinned: pinned)
        let old: Int
        if let oldSize {
            guard oldSize >= 0, oldSize <= checkpoint.size else { throw CosignRefusal.oldTooLarge(old: oldSize, size: checkpoint.size) }
            old = oldSize
        } else {
            let names = Set(pinned.map(\.keyName))
            old = try ledger.read { try $0.cosignatures() }
                .filter { $0.size <= checkpoint.size && (names.isEmpty || names.contains($0.signature.keyName)) }
                .map(\.size).max() ?? 0
        }
        let request = try client.request(from: old)
        try OutputPaths.writeNewFile(path, Array(request.body.utf8))
        return WitnessRequestOutput(
            request: path, origin: client.checkpoint.origin, size: checkpoint.size, root: Encoding.hex(checkpoint.root),
            oldSize: request.oldSize, proofLines: request.proof.count, vkey: client.logVerifierKey)
    }

    /// `audit witness --response FILE [--request FILE] [--request-out NEXT]`: reads what a witness
    /// answered offline (`witness cosign`). A 200 stores the cosignatures with the checkpoint of
    /// the request (`--request`), else — with pinned keys — the stored checkpoint they verify
    /// over, newest first, else the latest. A 409 writes the next request from the size it names
    /// when `--request-out` is given; either way it is reported as `cosign.retry-from`.
    public static func readResponse(
        _ path: String, request requestPath: String?, retryOut: String?, witnesses: Witnesses, workspace: Workspace
    ) throws -> WitnessingOutput {
        let text = String(decoding: try FileInput.read(path, limit: AddCheckpointRequest.maximumBodyBytes + 1024), as: UTF8.self)
        guard let answer = WitnessResponseFile(parsing: text) else {
            throw CosignRefusal.badResponse(source: path, reason: "不是 `status N`、`content-type T`、空行、正文 not a response file")
        }
        if let retryOut { try OutputPaths.checkNewFile(retryOut) }
        let (pinned, _) = try witnesses.resolve()
        let ledger = try workspace.openForReading()
        let stored = try ledger.read { try $0.checkpoints() }
        guard let latest = stored.last else { throw AuditFailure.noCheckpoint }
        var candidates = [latest]
        var sentFrom = -1
        if let requestPath {
            let bytes = try FileInput.read(requestPath, limit: AddCheckpointRequest.maximumBodyBytes)
            let request: AddCheckpointRequest
            do { request = try AddCheckpointRequest(parsing: bytes) } catch {
                throw CosignRefusal.badResponse(source: requestPath, reason: error.description)
            }
            guard let match = stored.first(where: { $0.size == request.checkpoint.size && (try? SignedNote(parsing: $0.note))?.text == request.note.text })
            else { throw CosignRefusal.requestNotHere(path: requestPath) }
            candidates = [match]
            sentFrom = request.oldSize
        } else if !pinned.isEmpty, answer.status == 200 {
            candidates = stored.reversed()
        }
        var failure: CosignRefusal?
        for checkpoint in candidates {
            let client = try client(ledger, checkpoint, pinned: pinned)
            do {
                switch try client.interpret(answer, sentFrom: sentFrom, source: path) {
                case let .cosigned(lines, verified):
                    let count = try ledger.write { try $0.storeCosignatures(lines, size: checkpoint.size, source: path) }
                    let item = WitnessAnswerOutput(
                        source: path, ok: true, cosignatures: lines.map(\.line), verified: verified,
                        oldSize: sentFrom >= 0 ? sentFrom : nil, attempts: 1, stored: count)
                    return try output(ledger, checkpoint, client: client, answers: [item])
                case let .retry(from: size):
                    if let retryOut { try OutputPaths.writeNewFile(retryOut, Array(try client.request(from: size).body.utf8)) }
                    throw CosignRefusal.retryFrom(source: path, size: size, request: retryOut ?? "")
                }
            } catch let refusal as CosignRefusal {
                // Over an older checkpoint the pinned lines may verify: only those refusals try on.
                guard case .badCosignature = refusal else { throw refusal }
                failure = failure ?? refusal
            }
        }
        throw failure ?? CosignRefusal.noPinnedCosignature(source: path)
    }

    // MARK: Helpers

    /// The ledger and its latest checkpoint, signing one of every entry first (with the body key,
    /// reason `audit.checkpoint`) when entries were appended after the latest.
    static func currentCheckpoint(_ workspace: Workspace) throws -> (Ledger, StoredCheckpoint) {
        let ledger = try workspace.openForReading()
        let (latest, count) = try ledger.read { reader in (try reader.latestCheckpoint(), try reader.count()) }
        if let latest, latest.size == count { return (ledger, latest) }
        let writing = try workspace.openForWriting()
        return (writing, try writing.write { try $0.signCheckpoint(reason: "audit.checkpoint") })
    }

    /// A client for `checkpoint`, whose proofs come from the ledger's first `size` leaves.
    static func client(_ ledger: Ledger, _ checkpoint: StoredCheckpoint, pinned: [CosignatureV1Verifier]) throws -> WitnessClient {
        let note: SignedNote
        do { note = try SignedNote(parsing: checkpoint.note) } catch {
            throw LedgerError.corrupt(path: ledger.path, detail: "checkpoint \(checkpoint.size): \(error.description)")
        }
        let leaves = try ledger.read { try $0.leafHashes(count: checkpoint.size) }
        let identity = ledger.identity
        let vkey = try VerifierKey(keyName: identity.keyName, publicKey: identity.publicKey).description
        return try WitnessClient(note: note, logVerifierKey: vkey, pinned: pinned) { old in
            try Merkle.consistencyProof(oldSize: old, leaves: leaves[...], suite: identity.suite)
        }
    }

    static func output(_ ledger: Ledger, _ checkpoint: StoredCheckpoint, client: WitnessClient, answers: [WitnessAnswerOutput]) throws -> WitnessingOutput {
        WitnessingOutput(
            ok: !answers.isEmpty && answers.allSatisfy(\.ok), origin: client.checkpoint.origin, size: checkpoint.size,
            root: Encoding.hex(checkpoint.root), vkey: client.logVerifierKey, witnesses: answers,
            checkpoint: try ledger.read { try $0.cosignedNote(checkpoint) })
    }
}
