public import Foundation
import PiaojueCrypto
import PiaojueDomain
import PiaojueWitness
import Synchronization

/// The county's witness: create it, trust logs, answer add-checkpoint requests (over HTTP through
/// ``WitnessEndpoint`` or offline from a file), show its state and its split-view evidence.
///
/// The witness lives in a directory of its own (`witness.key`, `witness.sqlite`), never beside a
/// ledger: `--dir`, else `$PIAOJUE_WITNESS_DIR`, else `./witness`.
public enum WitnessService {
    /// The directory named by `argument`, else `$PIAOJUE_WITNESS_DIR`, else `witness`.
    public static func directory(_ argument: String?) -> String {
        if let argument, !argument.isEmpty { return argument }
        if let environment = ProcessInfo.processInfo.environment["PIAOJUE_WITNESS_DIR"], !environment.isEmpty {
            return environment
        }
        return "witness"
    }

    /// The protocol version the witness speaks.
    public static var protocolVersion: String { Witness.protocolVersion }

    /// Who a witness is.
    public struct Identity: Sendable, Encodable {
        /// Its name (the key name of its cosignatures).
        public let name: String
        /// Its cosigner verifier key, `name+id+base64(0x04 ‖ key)`, for policies and logs.
        public let vkey: String
        /// Its directory.
        public let dir: String
        /// The protocol it speaks.
        public let `protocol`: String
    }

    /// One trusted log as the commands show it.
    public struct LogSummary: Sendable, Encodable {
        /// One key of the log.
        public struct Key: Sendable, Encodable {
            public let vkey: String
            public let active: Bool
            public let added: String
            /// When it was retired (null while active).
            public let retired: String?

            enum CodingKeys: String, CodingKey { case vkey, active, added, retired }

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(vkey, forKey: .vkey)
                try container.encode(active, forKey: .active)
                try container.encode(added, forKey: .added)
                try container.encode(retired, forKey: .retired)
            }
        }

        public let origin: String
        /// The latest cosigned size, nil before the first cosignature.
        public let size: Int?
        /// The latest cosigned root (base64), nil before the first cosignature.
        public let root: String?
        public let keys: [Key]
        /// Distinct checkpoints cosigned.
        public let cosigned: Int
        /// Refused conflicting checkpoints kept as evidence.
        public let evidence: Int

        enum CodingKeys: String, CodingKey { case origin, size, root, keys, cosigned, evidence }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(origin, forKey: .origin)
            try container.encode(size, forKey: .size)
            try container.encode(root, forKey: .root)
            try container.encode(keys, forKey: .keys)
            try container.encode(cosigned, forKey: .cosigned)
            try container.encode(evidence, forKey: .evidence)
        }
    }

    /// The whole state of a witness.
    public struct Listing: Sendable, Encodable {
        public let witness: Identity
        public let logs: [LogSummary]
    }

    /// One piece of split-view evidence, both checkpoints in full.
    public struct EvidenceItem: Sendable, Encodable {
        /// `same-size-other-root` or `inconsistent-proof`.
        public let kind: String
        /// When the refused checkpoint arrived (UTC).
        public let received: String
        /// The old size its request named.
        public let old_size: Int
        /// The consistency proof its request carried (base64 hashes).
        public let proof: [String]
        /// The refused checkpoint with the log signatures that verified.
        public let refused: String
        /// The checkpoint this witness cosigned that it conflicts with, with the cosignature.
        public let cosigned: String
    }

    /// The evidence kept for one log.
    public struct EvidenceReport: Sendable, Encodable {
        public let origin: String
        public let witness: String
        public let evidence: [EvidenceItem]
    }

    /// The answer to one request, as HTTP carries it.
    public struct Reply: Sendable, Equatable {
        /// The HTTP status.
        public let status: Int
        /// The content type of the body.
        public let contentType: String
        /// The body.
        public let body: String
        /// The stable code of a refusal (nil for a 200).
        public let code: String?
        /// For a refusal or an internal failure, the one-sentence reason.
        public let message: String?

        static func from(_ answer: WitnessAnswer) -> Reply {
            switch answer {
            case .cosigned:
                Reply(status: answer.status, contentType: answer.contentType, body: answer.body, code: nil, message: nil)
            case let .refused(refusal):
                Reply(
                    status: answer.status, contentType: answer.contentType, body: answer.body, code: refusal.code,
                    message: refusal.description)
            }
        }

        static func internalFailure(_ failure: WitnessFailure) -> Reply {
            Reply(
                status: 500, contentType: WitnessAnswer.textContentType,
                body: "见证人内部错误，请稍后重试。Internal witness error; retry later.\n", code: failure.code,
                message: failure.description)
        }
    }

    /// The result of `witness cosign`: the answer, and where it was written.
    public struct CosignOutcome: Sendable, Encodable {
        public let status: Int
        public let code: String?
        public let message: String?
        /// The cosignature lines (200 only).
        public let cosignatures: [String]
        /// The size to retry from (409 only).
        public let latest_size: Int?
        public let out: String

        enum CodingKeys: String, CodingKey { case status, code, message, cosignatures, latest_size, out }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            try container.encode(code, forKey: .code)
            try container.encode(message, forKey: .message)
            try container.encode(cosignatures, forKey: .cosignatures)
            try container.encode(latest_size, forKey: .latest_size)
            try container.encode(out, forKey: .out)
        }
    }

    // MARK: Commands

    /// `witness init`: a new key and state in `directory`; refuses to overwrite either.
    public static func initialize(name: String, directory: String, clock: @escaping @Sendable () -> Date = { Date() }) throws -> Identity {
        let vkey = try Witness.create(name: name, directory: directory, clock: clock)
        return Identity(name: name, vkey: vkey.description, dir: directory, protocol: Witness.protocolVersion)
    }

    /// `witness add-log`: trusts `origin` with its first key.
    public static func addLog(origin: String, vkey: String, directory: String) throws -> LogSummary {
        summary(try Witness.open(directory: directory).addLog(origin: origin, vkey: vkey))
    }

    /// `witness add-key`: one more key for a trusted log (rotation).
    public static func addKey(origin: String, vkey: String, directory: String) throws -> LogSummary {
        summary(try Witness.open(directory: directory).addKey(origin: origin, vkey: vkey))
    }

    /// `witness retire-key`: a key of a trusted log stops counting.
    public static func retireKey(origin: String, vkey: String, directory: String) throws -> LogSummary {
        summary(try Witness.open(directory: directory).retireKey(origin: origin, vkey: vkey))
    }

    /// `witness list`: who the witness is and every log it trusts.
    public static func list(directory: String) throws -> Listing {
        let witness = try Witness.open(directory: directory)
        return Listing(witness: identity(witness), logs: try witness.logs().map(summary))
    }

    /// `witness evidence`: the split views kept for `origin`.
    public static func evidence(origin: String, directory: String) throws -> EvidenceReport {
        let witness = try Witness.open(directory: directory)
        let items = try witness.evidence(origin: origin).map { item in
            EvidenceItem(
                kind: item.kind.rawValue, received: timestamp(item.received), old_size: item.oldSize,
                proof: item.proof.map { Encoding.base64($0) }, refused: item.refused.serialized,
                cosigned: item.cosigned.cosignedNote.serialized)
        }
        return EvidenceReport(origin: origin, witness: witness.name, evidence: items)
    }

    /// `witness cosign`: answers the request in `requestFile` and writes the response file
    /// `responseFile` (never overwritten; checked before the state is touched).
    public static func cosign(
        requestFile: String, responseFile: String, directory: String, clock: @escaping @Sendable () -> Date = { Date() }
    ) throws -> CosignOutcome {
        guard !FileManager.default.fileExists(atPath: responseFile) else {
            throw WitnessFailure.outputExists(path: responseFile)
        }
        let body: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: requestFile))
            defer { try? handle.close() }
            // One byte past the limit is enough to tell a request that is too large.
            body = [UInt8](try handle.read(upToCount: AddCheckpointRequest.maximumBodyBytes + 1) ?? Data())
        } catch {
            throw WitnessFailure.unreadable(path: requestFile, detail: error.localizedDescription)
        }
        let witness = try Witness.open(directory: directory, clock: clock)
        let answer = try witness.addCheckpoint(body)
        do {
            try Data(answer.responseFile.utf8).write(to: URL(fileURLWithPath: responseFile), options: .withoutOverwriting)
        } catch {
            throw WitnessFailure.storage(detail: "cannot write \(responseFile): \(error.localizedDescription)")
        }
        let reply = Reply.from(answer)
        var lines: [String] = []
        if case let .cosigned(signatures) = answer { lines = signatures.map(\.line) }
        var latest: Int?
        if case let .refused(refusal) = answer { latest = refusal.latestSize }
        return CosignOutcome(
            status: reply.status, code: reply.code, message: reply.message, cosignatures: lines, latest_size: latest,
            out: responseFile)
    }

    /// The endpoint `witness serve` answers requests through.
    public static func endpoint(directory: String, clock: @escaping @Sendable () -> Date = { Date() }) throws -> WitnessEndpoint {
        try WitnessEndpoint(witness: Witness.open(directory: directory, clock: clock))
    }

    // MARK: Rendering helpers

    static func identity(_ witness: Witness) -> Identity {
        Identity(name: witness.name, vkey: witness.verifierKey.description, dir: witness.directory, protocol: Witness.protocolVersion)
    }

    static func summary(_ log: WitnessLog) -> LogSummary {
        LogSummary(
            origin: log.origin, size: log.size, root: log.root.map { Encoding.base64($0) },
            keys: log.keys.map {
                LogSummary.Key(vkey: $0.vkey, active: $0.retired == nil, added: timestamp($0.added), retired: $0.retired.map(timestamp))
            },
            cosigned: log.cosigned, evidence: log.evidence)
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

/// The witness behind `witness serve`: requests wait for their answer while one serial queue owns
/// the SQLite connection and answers them in batches, each batch one durable transaction (group
/// commit), so that no request holds the connection and no answer leaves before its commit.
public final class WitnessEndpoint: Sendable {
    /// The witness's name.
    public let name: String
    /// Its cosigner verifier key.
    public let vkey: String

    private struct Pending {
        var requests: [(body: [UInt8], reply: CheckedContinuation<WitnessService.Reply, Never>)] = []
        var draining = false
    }

    /// The witness object, touched only on `queue`.
    private final class Owned: @unchecked Sendable {
        // Safe: `witness` (its SQLite connection) is used only by blocks running on the endpoint's
        // serial queue, one at a time; nothing else holds a reference to it.
        let witness: Witness
        init(_ witness: Witness) { self.witness = witness }
    }

    /// The most requests answered in one transaction.
    static let batchLimit = 128

    private let owned: Owned
    private let queue = DispatchQueue(label: "piaojue.witness.writer")
    private let pending = Mutex(Pending())

    init(witness: Witness) {
        name = witness.name
        vkey = witness.verifierKey.description
        owned = Owned(witness)
    }

    /// Answers one add-checkpoint request body; a failure of the state is a 500.
    public func addCheckpoint(_ body: [UInt8]) async -> WitnessService.Reply {
        await withCheckedContinuation { continuation in
            let start = pending.withLock { state in
                state.requests.append((body, continuation))
                if state.draining { return false }
                state.draining = true
                return true
            }
            if start { queue.async { self.drain() } }
        }
    }

    private func drain() {
        while true {
            let batch = pending.withLock { state in
                let batch = Array(state.requests.prefix(Self.batchLimit))
                state.requests.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            let replies: [WitnessService.Reply]
            do {
                replies = try owned.witness.addCheckpoints(batch.map(\.body)).map(WitnessService.Reply.from)
            } catch {
                let reply = WitnessService.Reply.internalFailure(error)
                FileHandle.standardError.write(Data("piaojue witness: \(error.description)\n".utf8))
                replies = batch.map { _ in reply }
            }
            for (request, reply) in zip(batch, replies) { request.reply.resume(returning: reply) }
        }
    }
}
