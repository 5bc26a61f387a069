public import PiaojueCrypto
public import PiaojueDomain

/// The log side of C2SP tlog-witness v1.0.0: the request for one checkpoint, what each answer
/// means, the 409 retry from the size the witness returns, and which cosignature lines to keep.
///
/// The transport is the caller's (HTTP, or a response file carried on a USB stick); nothing here
/// reads or writes anything.
public struct WitnessClient: Sendable {
    /// The log's checkpoint as its body signed it (the witness ignores other signature lines).
    public let note: SignedNote
    /// Its parsed text.
    public let checkpoint: CheckpointText
    /// The witnesses whose cosignatures are kept; empty to keep every well-formed cosignature/v1
    /// line unverified (the reader's policy checks them later).
    public let pinned: [CosignatureV1Verifier]
    /// The RFC 6962 consistency proof from a size to the checkpoint's, from the log's leaves.
    private let proof: @Sendable (Int) throws -> [[UInt8]]

    /// The most requests one submission makes (a first guess, then the witness's size, then two
    /// more if other submissions move the witness meanwhile).
    public static let maximumAttempts = 4

    /// A client for `note` (signed by the log), proving growth with `proof`.
    /// The log's verifier key, for the witness's `add-log` (named when the witness does not know the log).
    public let logVerifierKey: String

    /// A client for `note` (signed by the log whose vkey is `logVerifierKey`), proving growth with `proof`.
    public init(
        note: SignedNote, logVerifierKey: String, pinned: [CosignatureV1Verifier] = [],
        proof: @escaping @Sendable (Int) throws -> [[UInt8]]
    ) throws(CosignRefusal) {
        do { checkpoint = try CheckpointText(parsing: note.text) } catch {
            throw .badResponse(source: "checkpoint", reason: error.description)
        }
        self.note = note
        self.logVerifierKey = logVerifierKey
        self.pinned = pinned
        self.proof = proof
    }

    /// The witness keys of `vkeys` (cosignature/v1, `name+id+base64(0x04 ‖ key)`).
    public static func pinnedKeys(_ vkeys: [String]) throws(CosignRefusal) -> [CosignatureV1Verifier] {
        var keys: [CosignatureV1Verifier] = []
        for text in vkeys {
            do {
                keys.append(try CosignatureV1Verifier(try VerifierKey(parsing: text)))
            } catch {
                throw .badWitnessKey(vkey: text, reason: error.description)
            }
        }
        return keys
    }

    /// The request from `oldSize` (0 when nothing is known): the proof is empty from 0 and from
    /// the checkpoint's own size.
    public func request(from oldSize: Int) throws -> AddCheckpointRequest {
        let size = checkpoint.size
        let lines = oldSize == 0 || oldSize >= size ? [] : try proof(oldSize)
        return try AddCheckpointRequest(oldSize: min(oldSize, size), proof: lines, note: note)
    }

    /// What one answer means.
    public enum Outcome: Sendable, Equatable {
        /// 200: the cosignature lines to keep (verified against the pinned keys when there are any).
        case cosigned([SignedNote.Signature], verified: Bool)
        /// 409 with a size to retry from.
        case retry(from: Int)
    }

    /// The meaning of `answer` to the request from `oldSize`, from `source` (a URL or a file name).
    public func interpret(_ answer: WitnessResponseFile, sentFrom oldSize: Int, source: String) throws(CosignRefusal) -> Outcome {
        let size = checkpoint.size
        let reason = String(answer.body.prefix(300)).trimmingSpaces()
        switch answer.status {
        case 200:
            guard let lines = answer.cosignatures else {
                throw .badResponse(source: source, reason: "200 的正文不是签名行 the 200 body is not signature lines")
            }
            return try keep(lines, source: source)
        case 409:
            guard let latest = answer.latestSize else {
                throw .badResponse(source: source, reason: "409 的正文不是 text/x.tlog.size the 409 body is not a size")
            }
            if latest > size { throw .witnessAhead(source: source, witnessSize: latest, size: size) }
            if latest == oldSize {
                if oldSize == size { throw .splitView(source: source, size: size) }
                throw .badResponse(source: source, reason: "409 给出的正是所发送的大小 \(latest) a 409 naming the size sent")
            }
            return .retry(from: latest)
        case 404: throw .unknownLog(source: source, origin: checkpoint.origin, vkey: logVerifierKey)
        case 403: throw .untrustedKey(source: source, origin: checkpoint.origin)
        case 422: throw .inconsistent(source: source, oldSize: oldSize, size: size)
        default: throw .refused(source: source, status: answer.status, reason: reason)
        }
    }

    /// The lines of a 200 answer to keep: with pinned keys, those of a pinned witness, each of
    /// which must verify; without, every line shaped as a cosignature/v1 (72 signature bytes, a
    /// timestamp below 2^63). Lines of other keys or types are dropped, as signed-note says.
    public func keep(_ lines: [SignedNote.Signature], source: String) throws(CosignRefusal) -> Outcome {
        let text = Array(note.text.utf8)
        if pinned.isEmpty {
            let shaped = lines.filter { CosignatureV1.timestamp(of: $0.signature) != nil }
            guard !shaped.isEmpty else {
                throw .badResponse(source: source, reason: "没有 cosignature/v1 签名行 no cosignature/v1 line")
            }
            return .cosigned(shaped, verified: false)
        }
        var kept: [SignedNote.Signature] = []
        for line in lines {
            guard let key = pinned.first(where: { $0.keyName == line.keyName && $0.keyID == line.keyID }) else { continue }
            guard key.isValid(signature: line.signature, text: text) else {
                throw .badCosignature(source: source, witness: line.keyName)
            }
            kept.append(line)
        }
        guard !kept.isEmpty else { throw .noPinnedCosignature(source: source) }
        return .cosigned(kept, verified: true)
    }

    /// The result of one online submission.
    public struct Submission: Sendable, Equatable {
        /// The lines kept.
        public let lines: [SignedNote.Signature]
        /// Whether they were verified against pinned keys.
        public let verified: Bool
        /// The old size of the request that was cosigned.
        public let oldSize: Int
        /// Requests made (409 retries included).
        public let attempts: Int
    }

    /// Submits the checkpoint through `send` (the request body in, the answer out), starting
    /// from `oldSize` and retrying from the size each 409 names.
    public func submit(
        from oldSize: Int, source: String, send: (AddCheckpointRequest) throws(CosignRefusal) -> WitnessResponseFile
    ) throws(CosignRefusal) -> Submission {
        var old = oldSize
        for attempt in 1...Self.maximumAttempts {
            let body: AddCheckpointRequest
            do { body = try request(from: old) } catch {
                throw .badResponse(source: source, reason: "无法生成一致性证明 cannot make the proof: \(error)")
            }
            switch try interpret(try send(body), sentFrom: old, source: source) {
            case let .cosigned(lines, verified):
                return Submission(lines: lines, verified: verified, oldSize: old, attempts: attempt)
            case let .retry(from: size):
                old = size
            }
        }
        throw .tooManyConflicts(source: source)
    }
}
