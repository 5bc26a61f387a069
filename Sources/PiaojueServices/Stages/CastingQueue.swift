import Dispatch
import Foundation
public import PiaojueDomain
import PiaojueCrypto
import PiaojueLedger
import Synchronization

/// The single writer of a server: group commit of the ballots cast through it.
///
/// Each caller prepares its own ballot on its own task — reads the code, derives the credential
/// key, checks the marks against the session and signs, on every core at once — and then waits.
/// One dedicated thread owns the ledger connection: it takes every ballot waiting (up to
/// ``maximumGroup``), appends them in one transaction through ``CastingTerminal`` (random order,
/// one shared time, one checkpoint signed after them, a `c2sp.org/tlog-proof@v1` proof each) and
/// answers each caller only after the commit. Ballots arriving while a group commits form the
/// next group, so the window is the commit itself: an idle server commits a lone ballot at once,
/// a busy one commits as many as arrived, and no caller waits on a timer.
///
/// The writer never waits for a client: a request reaches the queue only once its body has been
/// read and its ballot signed. It shares the server's one ledger connection with the reads of
/// ``PlenaryService`` (see ``SharedLedger``), one at a time.
public final class CastingQueue: Sendable {
    /// The most ballots appended in one transaction.
    public let maximumGroup: Int

    private struct Waiting: Sendable {
        let ballot: CastingTerminal.Prepared
        let answer: CheckedContinuation<Result<CastOutput, any Error>, Never>
    }

    private struct State: Sendable {
        var waiting: [Waiting] = []
        var stopping = false
        var stopped: [CheckedContinuation<Void, Never>] = []
        var finished = false
        /// Groups committed and ballots recorded, for the server's own figures (no times kept).
        var groups = 0
        var recorded = 0
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let views = Mutex<[String: SessionService.CastingView]>([:])
    private let ledger: SharedLedger
    /// Called on the writer thread after each commit (the big screen's live counts).
    private let committed: @Sendable () -> Void

    /// Starts the writer thread on `ledger`, which also serves the session views and the proofs of
    /// repeated ballots. `onCommit` is called on the writer thread after each commit.
    init(ledger: SharedLedger, maximumGroup: Int = 1024, onCommit: @escaping @Sendable () -> Void = {}) {
        self.ledger = ledger
        self.maximumGroup = max(1, maximumGroup)
        committed = onCommit
        let thread = Thread { [self] in run() }
        thread.name = "piaojue-writer"
        thread.start()
    }

    /// Casts one ballot and answers after the group holding it committed: its receipt, index and
    /// proof. A repeat of the ballot already recorded for this credential (a double tap, a network
    /// retry, also after a restart) is answered with the first one's receipt and a proof of it; a
    /// different ballot with a used credential is refused, and the first stands.
    public func cast(session: String, code: String, choices: Choices, shape: SessionShape) async throws -> CastOutput {
        let request = CastingTerminal.Request(session: session, code: code, choices: choices, shape: shape, repeatReturnsReceipt: true)
        let ballot = try CastingTerminal.prepare(request, view: try view(session: session, shape: shape))
        let result = await withCheckedContinuation { (answer: CheckedContinuation<Result<CastOutput, any Error>, Never>) in
            let accepted = state.withLock { state -> Bool in
                guard !state.stopping else { return false }
                state.waiting.append(Waiting(ballot: ballot, answer: answer))
                return true
            }
            if accepted {
                wake.signal()
            } else {
                answer.resume(returning: .failure(ServerRefusal.stopping))
            }
        }
        let output = try result.get()
        if output.proof != nil { return output }
        return try proveRepeat(output)
    }

    /// Stops taking ballots, commits the groups in flight, closes the writer; returns once done.
    public func finish() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let finished = state.withLock { state -> Bool in
                state.stopping = true
                if state.finished { return true }
                state.stopped.append(done)
                return false
            }
            if finished { done.resume() } else { wake.signal() }
        }
    }

    /// Groups committed and ballots recorded since the start.
    public var totals: (groups: Int, ballots: Int) { state.withLock { ($0.groups, $0.recorded) } }

    // MARK: The writer thread

    private func run() {
        while true {
            wake.wait()
            while true {
                let (group, stopping) = state.withLock { state -> ([Waiting], Bool) in
                    let count = min(state.waiting.count, maximumGroup)
                    let group = Array(state.waiting.prefix(count))
                    state.waiting.removeFirst(count)
                    return (group, state.stopping)
                }
                if group.isEmpty {
                    if stopping {
                        finishWriter()
                        return
                    }
                    break
                }
                commit(group)
            }
        }
    }

    private func commit(_ group: [Waiting]) {
        let outcomes: [(slot: Int, result: Result<CastOutput, any Error>)]
        do {
            outcomes = try ledger.record(group.enumerated().map { ($0.offset, $0.element.ballot) })
        } catch {
            // The transaction failed: nothing of the group was recorded; every caller hears so.
            for waiting in group { waiting.answer.resume(returning: .failure(error)) }
            return
        }
        var results = [Result<CastOutput, any Error>?](repeating: nil, count: group.count)
        var proofs: [String: String] = [:]
        var recorded = 0
        for outcome in outcomes {
            results[outcome.slot] = outcome.result
            if case let .success(output) = outcome.result, let proof = output.proof {
                proofs[output.receipt] = proof
                recorded += 1
            }
        }
        state.withLock {
            $0.groups += 1
            $0.recorded += recorded
        }
        if recorded > 0 { committed() }
        for (slot, waiting) in group.enumerated() {
            var result = results[slot] ?? .failure(ServerRefusal.unanswered)
            // A double tap within one group: the repeat gets the proof of the ballot it repeats.
            if case let .success(output) = result, output.proof == nil, let proof = proofs[output.receipt] {
                result = .success(CastOutput(receipt: output.receipt, index: output.index, proof: proof, void: output.void))
            }
            waiting.answer.resume(returning: result)
        }
    }

    private func finishWriter() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.finished = true
            defer { state.stopped = [] }
            return state.stopped
        }
        for done in waiting { done.resume() }
    }

    // MARK: Reading

    /// What casting needs of a session; read once per session (an opening never changes).
    private func view(session: String, shape: SessionShape) throws -> SessionService.CastingView {
        if let known = views.withLock({ $0[session] }), known.state.header.shape == shape { return known }
        let view = try ledger.read { try SessionService.castingView($0, session: session, shape: shape) }
        views.withLock { $0[session] = view }
        return view
    }

    /// A proof for a repeated ballot committed in an earlier group: against the latest checkpoint,
    /// which covers every committed ballot (each group signs one after its entries).
    private func proveRepeat(_ output: CastOutput) throws -> CastOutput {
        let proof = try ledger.read { reader -> String in
            guard let checkpoint = try reader.latestCheckpoint(), checkpoint.size > output.index else {
                throw ServerRefusal.unanswered
            }
            let path = try Merkle.inclusionProof(
                index: output.index, leaves: try reader.leafHashes(count: checkpoint.size)[...], suite: reader.identity.suite)
            return TlogProof(index: output.index, proof: path, checkpoint: checkpoint.note).text
        }
        return CastOutput(receipt: output.receipt, index: output.index, proof: proof, void: output.void)
    }
}

/// What the server itself refuses, apart from the rules.
public enum ServerRefusal: StageRefusal, Equatable {
    /// The server is stopping: the ballot was not recorded; cast again once it is back.
    case stopping
    /// A ballot the writer gave no outcome for (never expected): it was not acknowledged.
    case unanswered

    public var codePrefix: String { "server" }
    public var plainCaseName: String? {
        switch self {
        case .stopping: "stopping"
        case .unanswered: "unanswered"
        }
    }
    public var exitStatus: Int32 { 1 }

    public var description: String {
        switch self {
        case .stopping: "服务器正在停止，本张选票未记录，请稍后重投。The server is stopping; the ballot was not recorded, cast it again later."
        case .unanswered:
            "本张选票未得到确认；请用同一凭证再投一次，若已记录会得到同一回执。The ballot was not acknowledged; cast it again with the same code, and if it was recorded you get the same receipt."
        }
    }
}
