public import PiaojueCrypto
public import PiaojueDomain

/// A C2SP transparency-log trust policy (c2sp.org/tlog-policy): the known logs, the known
/// witnesses, and the quorum of cosignatures a checkpoint needs.
///
///     log <vkey> [<url>]
///     witness <name> <vkey> [<url>]
///     group <name> all|any|<k> <member>…
///     quorum <name>|none
///
/// Items are separated by spaces and tabs; empty lines and lines starting with `#` are ignored;
/// a group or the quorum may only name witnesses and groups defined on earlier lines; names are
/// opaque octet strings; exactly one quorum line. Parsing is pure: nothing is read or written.
public struct TlogPolicy: Sendable {
    /// A log the policy accepts.
    public struct Log: Sendable {
        /// The log's verifier key (its key name is the log's origin).
        public let verifier: any NoteVerifier
        /// The log's URL, if given.
        public let url: String?
    }

    /// A witness the policy knows.
    public struct Witness: Sendable {
        /// The witness's name in this policy.
        public let name: String
        /// Its cosigner key (cosignature/v1, type 0x04).
        public let verifier: any NoteVerifier
        /// Its submission prefix URL, if given.
        public let url: String?
    }

    /// The quorum rule: a tree of groups over witnesses.
    public indirect enum Rule: Sendable, Equatable {
        /// `quorum none`: no cosignature is needed.
        case none
        /// One witness's cosignature (the witness's index in ``TlogPolicy/witnesses``).
        case witness(name: String, index: Int)
        /// At least `threshold` of `members` must be met.
        case group(name: String, threshold: Int, members: [Rule])

        /// The rule's name in the policy (`none` for ``none``).
        public var name: String {
            switch self {
            case .none: "none"
            case let .witness(name, _), let .group(name, _, _): name
            }
        }
    }

    /// The logs, in file order.
    public let logs: [Log]
    /// The witnesses, in file order.
    public let witnesses: [Witness]
    /// The quorum rule.
    public let quorum: Rule

    /// The policy in `text`. `logKeys` and `witnessKeys` say which vkey types are accepted for
    /// `log` and `witness` lines (Ed25519 and cosignature/v1 by default).
    public init(
        parsing text: String, logKeys: NoteVerifierRegistry = .logKeys, witnessKeys: NoteVerifierRegistry = .cosignerKeys
    ) throws(PolicyFailure) {
        try self.init(parsing: Array(text.utf8), logKeys: logKeys, witnessKeys: witnessKeys)
    }

    /// The policy in the octets `bytes` (see ``init(parsing:logKeys:witnessKeys:)-(String,_,_)``).
    public init(
        parsing bytes: [UInt8], logKeys: NoteVerifierRegistry = .logKeys, witnessKeys: NoteVerifierRegistry = .cosignerKeys
    ) throws(PolicyFailure) {
        var logs: [Log] = []
        var witnesses: [Witness] = []
        var rules: [[UInt8]: Rule] = [:]
        var quorum: Rule?
        var logKeyMaterial: Set<[UInt8]> = []
        var witnessKeyMaterial: Set<[UInt8]> = []
        // A final line without its newline is accepted, as editors may leave it so.
        let lines = bytes.split(separator: 0x0a, omittingEmptySubsequences: false)
        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            if let bad = line.first(where: { $0 < 0x20 && $0 != 0x09 || $0 == 0x7f }) {
                throw .malformed(line: number, reason: "控制字符 0x\(Encoding.hex([bad])) 不允许 control character 0x\(Encoding.hex([bad]))")
            }
            let items = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 }).map { Array($0) }
            guard let keyword = items.first, keyword.first != UInt8(ascii: "#") else { continue }
            func text(_ item: [UInt8]) throws(PolicyFailure) -> String {
                guard let value = String(validating: item, as: UTF8.self) else {
                    throw .malformed(line: number, reason: "不是 UTF-8 not UTF-8")
                }
                return value
            }
            func newName(_ item: [UInt8]) throws(PolicyFailure) -> String {
                let name = String(decoding: item, as: UTF8.self)
                guard item != Array("none".utf8) else {
                    throw .malformed(line: number, reason: "名称 none 是预定义的 the name none is predefined")
                }
                guard rules[item] == nil else {
                    throw .malformed(line: number, reason: "名称 \(name) 已定义 \(name) is already defined")
                }
                return name
            }
            switch String(decoding: keyword, as: UTF8.self) {
            case "log":
                guard items.count == 2 || items.count == 3 else {
                    throw .malformed(line: number, reason: "应为 log <vkey> [<url>] expected log <vkey> [<url>]")
                }
                let verifier: any NoteVerifier
                do { verifier = try logKeys.verifier(parsing: try text(items[1])) } catch let error as PolicyFailure {
                    throw error
                } catch {
                    throw .malformed(line: number, reason: "日志密钥 log key: \(error)")
                }
                guard logKeyMaterial.insert(verifier.verifierKey.keyMaterial).inserted else {
                    throw .malformed(line: number, reason: "重复的日志公钥 duplicate log public key")
                }
                logs.append(Log(verifier: verifier, url: items.count == 3 ? try text(items[2]) : nil))
            case "witness":
                guard items.count == 3 || items.count == 4 else {
                    throw .malformed(line: number, reason: "应为 witness <name> <vkey> [<url>] expected witness <name> <vkey> [<url>]")
                }
                let name = try newName(items[1])
                let verifier: any NoteVerifier
                do { verifier = try witnessKeys.verifier(parsing: try text(items[2])) } catch let error as PolicyFailure {
                    throw error
                } catch {
                    throw .malformed(line: number, reason: "见证人密钥 witness key: \(error)")
                }
                guard witnessKeyMaterial.insert(verifier.verifierKey.keyMaterial).inserted else {
                    throw .malformed(line: number, reason: "重复的见证人公钥 duplicate witness public key")
                }
                rules[items[1]] = .witness(name: name, index: witnesses.count)
                witnesses.append(Witness(name: name, verifier: verifier, url: items.count == 4 ? try text(items[3]) : nil))
            case "group":
                guard items.count >= 4 else {
                    throw .malformed(line: number, reason: "应为 group <name> all|any|<k> <member>… expected group <name> all|any|<k> <member>…")
                }
                let name = try newName(items[1])
                var members: [Rule] = []
                var seen: Set<[UInt8]> = []
                for member in items[3...] {
                    guard let rule = rules[member] else {
                        throw .malformed(line: number, reason: "成员 \(String(decoding: member, as: UTF8.self)) 未在前面定义 member not defined on an earlier line")
                    }
                    guard seen.insert(member).inserted else {
                        throw .malformed(line: number, reason: "成员 \(String(decoding: member, as: UTF8.self)) 重复 member listed twice")
                    }
                    members.append(rule)
                }
                let threshold: Int
                switch String(decoding: items[2], as: UTF8.self) {
                case "all": threshold = members.count
                case "any": threshold = 1
                case let k:
                    guard k.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let value = Int(k),
                        String(value) == k, value >= 1, value <= members.count
                    else {
                        throw .malformed(line: number, reason: "门限“\(k)”应为 all、any 或 1…\(members.count) threshold must be all, any or 1…\(members.count)")
                    }
                    threshold = value
                }
                rules[items[1]] = .group(name: name, threshold: threshold, members: members)
            case "quorum":
                guard items.count == 2 else { throw .malformed(line: number, reason: "应为 quorum <name> expected quorum <name>") }
                guard quorum == nil else { throw .malformed(line: number, reason: "只能有一行 quorum only one quorum line") }
                if items[1] == Array("none".utf8) {
                    quorum = Rule.none
                } else {
                    guard let rule = rules[items[1]] else {
                        throw .malformed(line: number, reason: "quorum 的名称 \(String(decoding: items[1], as: UTF8.self)) 未在前面定义 not defined on an earlier line")
                    }
                    quorum = rule
                }
            case let other:
                throw .malformed(line: number, reason: "未知的行类型“\(other)” unknown line type \(other)")
            }
        }
        guard let quorum else { throw .missingQuorum }
        self.logs = logs
        self.witnesses = witnesses
        self.quorum = quorum
    }

    /// Whether `note` is valid under this policy: signed by one of the logs (when any is listed)
    /// and cosigned by a quorum of witnesses. Cosignatures of unknown keys are ignored; a
    /// cosignature line of a known witness that does not verify makes the note invalid.
    public func evaluate(_ note: SignedNote) -> PolicyVerdict {
        let logCheck: PolicyVerdict.LogCheck
        if logs.isEmpty {
            logCheck = .notChecked
        } else {
            switch note.verify(with: logs.map(\.verifier)) {
            case let .verified(lines): logCheck = .signed(by: lines.map(\.keyName))
            case .noKnownSignature: logCheck = .unsigned
            case let .invalidSignature(keyName): logCheck = .invalid(keyName: keyName)
            }
        }
        let message = Array(note.text.utf8)
        var cosigned = [Bool](repeating: false, count: witnesses.count)
        var forged: [String] = []
        for (index, witness) in witnesses.enumerated() {
            let lines = note.signatures.filter { $0.keyName == witness.verifier.keyName && $0.keyID == witness.verifier.keyID }
            for line in lines {
                if witness.verifier.isValid(signature: line.signature, text: message) {
                    cosigned[index] = true
                } else if !forged.contains(witness.name) {
                    forged.append(witness.name)
                }
            }
        }
        func met(_ rule: Rule) -> Bool {
            switch rule {
            case .none: true
            case let .witness(_, index): cosigned[index]
            case let .group(_, threshold, members): members.count(where: met) >= threshold
            }
        }
        return PolicyVerdict(
            log: logCheck, cosignedBy: witnesses.indices.filter { cosigned[$0] }.map { witnesses[$0].name },
            invalidCosignatures: forged, quorumMet: met(quorum))
    }
}

/// What a policy says about one checkpoint.
public struct PolicyVerdict: Sendable, Equatable {
    /// The log signature check.
    public enum LogCheck: Sendable, Equatable {
        /// The policy lists no log: the caller knows the log from elsewhere.
        case notChecked
        /// Signed by the logs with these key names.
        case signed(by: [String])
        /// No signature of a listed log.
        case unsigned
        /// A signature of a listed log does not verify.
        case invalid(keyName: String)
    }

    /// The log signature check.
    public let log: LogCheck
    /// The witnesses (policy names) whose cosignature verifies.
    public let cosignedBy: [String]
    /// The witnesses with a cosignature line that does not verify.
    public let invalidCosignatures: [String]
    /// Whether the valid cosignatures meet the quorum.
    public let quorumMet: Bool

    /// Whether the checkpoint is valid under the policy.
    public var ok: Bool {
        switch log {
        case .notChecked, .signed: quorumMet && invalidCosignatures.isEmpty
        case .unsigned, .invalid: false
        }
    }
}

/// A policy file that cannot be used (exit status 2).
public enum PolicyFailure: ClerkFacingError, Equatable {
    /// Line `line` is malformed.
    case malformed(line: Int, reason: String)
    /// The policy has no quorum line.
    case missingQuorum

    public var exitStatus: Int32 { 2 }

    public var code: String {
        switch self {
        case .malformed: "policy.malformed"
        case .missingQuorum: "policy.no-quorum"
        }
    }

    public var details: ErrorDetails {
        switch self {
        case let .malformed(line, reason): ["line": .number(line), "reason": .text(reason)]
        case .missingQuorum: [:]
        }
    }

    public var description: String {
        switch self {
        case let .malformed(line, reason): "信任策略第 \(line) 行有误：\(reason)。Policy line \(line) is malformed: \(reason)."
        case .missingQuorum: "信任策略缺少 quorum 行。The policy has no quorum line."
        }
    }
}
