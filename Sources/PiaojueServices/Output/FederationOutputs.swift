public import PiaojueDomain

/// One witness's answer to `audit witness`.
public struct WitnessAnswerOutput: Codable, Sendable, Equatable {
    /// The witness's URL, or the response file.
    public let source: String
    /// Whether it cosigned.
    public let ok: Bool
    /// The refusal's stable code, when it did not.
    public let code: String?
    /// The refusal's sentence, when it did not.
    public let message: String?
    /// The cosignature lines kept.
    public let cosignatures: [String]
    /// Whether they were verified against pinned witness keys (`--witness`, `--policy`).
    public let verified: Bool
    /// The old size of the request that was cosigned.
    public let oldSize: Int?
    /// Requests made (409 retries included).
    public let attempts: Int
    /// Lines newly stored with the checkpoint.
    public let stored: Int

    init(
        source: String, ok: Bool, code: String? = nil, message: String? = nil, cosignatures: [String] = [], verified: Bool = false,
        oldSize: Int? = nil, attempts: Int = 0, stored: Int = 0
    ) {
        self.source = source
        self.ok = ok
        self.code = code
        self.message = message
        self.cosignatures = cosignatures
        self.verified = verified
        self.oldSize = oldSize
        self.attempts = attempts
        self.stored = stored
    }
}

/// `audit witness --url …` and `audit witness --response FILE`: the checkpoint sent and what
/// each witness answered; `ok` only when every witness cosigned.
public struct WitnessingOutput: Codable, Sendable, Equatable {
    public let ok: Bool
    /// The checkpoint: origin, size and root (lowercase hex).
    public let origin: String
    public let size: Int
    public let root: String
    /// The log's verifier key (`witness add-log --vkey`, a tlog-policy's `log` line).
    public let vkey: String
    public let witnesses: [WitnessAnswerOutput]
    /// The checkpoint as later bundles carry it: the body's signature, then every cosignature stored.
    public let checkpoint: String
}

/// `audit witness --request-out FILE`: the add-checkpoint request written for a witness offline.
public struct WitnessRequestOutput: Codable, Sendable, Equatable {
    /// The request file.
    public let request: String
    public let origin: String
    public let size: Int
    /// Lowercase hex.
    public let root: String
    /// The size the consistency proof starts from.
    public let oldSize: Int
    public let proofLines: Int
    /// The log's verifier key.
    public let vkey: String
}

/// One bundle the roll-up left out, and why.
public struct RollupFailureOutput: Codable, Sendable, Equatable {
    /// The bundle directory as given.
    public let dir: String
    /// Its checkpoint, when the file could be read.
    public let checkpoint: CheckpointReference?
    /// `verification` (a check failed), `inconsistent` (another bundle of the township disagrees)
    /// or `figures` (verified, but an entry the roll-up reads does not decode).
    public let reason: String
    /// The first failing check (verification), or the bundles it disagrees with.
    public let check: CheckOutput?
    public let inconsistentWith: [String]

    /// Why it was left out, Chinese first, as the reports print it.
    public var explanation: String { RollupReport.failureText(self) }
}

/// A bundle whose township is counted from a later bundle that extends it.
public struct RollupSupersededOutput: Codable, Sendable, Equatable {
    public let dir: String
    public let checkpoint: CheckpointReference
    /// The bundle counted instead.
    public let supersededBy: String
}

/// One township counted by the roll-up.
public struct RollupTownshipOutput: Codable, Sendable, Equatable {
    /// The bundle directory as given.
    public let dir: String
    /// The witnesses (policy names) whose cosignatures of the checkpoint verified; empty without a policy.
    public let cosignedBy: [String]
    public let figures: TownshipFigures
}

/// `rollup`: the county report, also written as `rollup.json`.
public struct RollupOutput: Codable, Sendable, Equatable {
    /// True when every bundle verified and no two disagreed.
    public let ok: Bool
    /// The output directory.
    public let out: String
    public let bundles: Int
    /// The policy file, when given, and its quorum.
    public let policy: String?
    public let quorum: String?
    /// 全县N个乡镇票决出项目M个，资金达X万元.
    public let sentence: String
    public let county: CountyTotals
    public let townships: [RollupTownshipOutput]
    public let superseded: [RollupSupersededOutput]
    public let failed: [RollupFailureOutput]
    /// The files written.
    public let files: [String]
}
