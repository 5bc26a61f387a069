import PiaojueCrypto
import PiaojueTestSupport
import PiaojueWitness
import Testing

/// c2sp.org/tlog-policy: parsing, quorum evaluation, malformed policies.
@Suite struct TlogPolicyTests {
    /// Six witnesses X1…X3, Y1…Y3 and a log, as in the specification's example.
    struct Keys {
        let log: TestLog
        let witnesses: [String: Ed25519PrivateKey]

        init() throws {
            log = try TestLog(origin: "township.example/a", seed: "policy-log")
            var witnesses: [String: Ed25519PrivateKey] = [:]
            for name in ["X1", "X2", "X3", "Y1", "Y2", "Y3"] {
                witnesses[name] = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "witness-\(name)"))
            }
            self.witnesses = witnesses
        }

        func vkey(_ name: String) throws -> String {
            try CosignatureV1.verifierKey(keyName: "\(name).example/w", publicKey: key(name).publicKey).description
        }

        func key(_ name: String) throws -> Ed25519PrivateKey { try #require(witnesses[name]) }

        /// The specification's example policy, with real keys.
        func examplePolicy() throws -> String {
            """
            log \(log.vkey)

            witness X1 \(try vkey("X1"))
            witness X2 \(try vkey("X2"))
            witness X3 \(try vkey("X3"))
            group X-witnesses 2 X1 X2 X3

            witness Y1 \(try vkey("Y1"))
            witness Y2 \(try vkey("Y2")) https://y2.example/
            witness Y3 \(try vkey("Y3"))
            group Y-witnesses any Y1 Y2 Y3

            group X-and-Y all X-witnesses Y-witnesses
            quorum X-and-Y

            """
        }

        /// The log's checkpoint cosigned by `names`.
        func note(cosignedBy names: [String]) throws -> SignedNote {
            let note = try SignedNote(parsing: log.checkpoint(8))
            let lines = try names.map { name in
                try CosignatureV1.sign(text: note.text, timestamp: 1_700_000_000, keyName: "\(name).example/w", key: key(name))
            }
            return note.appending(lines)
        }
    }

    @Test func exampleParses() throws {
        let keys = try Keys()
        let policy = try TlogPolicy(parsing: keys.examplePolicy())
        #expect(policy.logs.count == 1)
        #expect(policy.witnesses.map(\.name) == ["X1", "X2", "X3", "Y1", "Y2", "Y3"])
        #expect(policy.witnesses[4].url == "https://y2.example/")
        #expect(policy.quorum.name == "X-and-Y")
        guard case let .group(_, threshold, members) = policy.quorum else { Issue.record("not a group"); return }
        #expect(threshold == 2)
        #expect(members.map(\.name) == ["X-witnesses", "Y-witnesses"])
    }

    @Test(arguments: [
        (["X1", "X2", "Y1"], true), (["X1", "X3", "Y3"], true), (["X1", "X2", "X3", "Y1", "Y2", "Y3"], true),
        (["X1", "Y1", "Y2"], false), (["X1", "X2"], false), (["Y1", "Y2", "Y3"], false), ([], false),
    ])
    func quorumFollowsTheGroups(_ cosigners: [String], _ valid: Bool) throws {
        let keys = try Keys()
        let policy = try TlogPolicy(parsing: keys.examplePolicy())
        let verdict = policy.evaluate(try keys.note(cosignedBy: cosigners))
        #expect(verdict.quorumMet == valid)
        #expect(verdict.ok == valid)
        #expect(verdict.cosignedBy == cosigners)
        #expect(verdict.log == .signed(by: [keys.log.origin]))
    }

    @Test func unknownCosignaturesAreIgnoredAndForgedOnesFail() throws {
        let keys = try Keys()
        let policy = try TlogPolicy(parsing: keys.examplePolicy())
        var note = try keys.note(cosignedBy: ["X1", "X2", "Y1"])
        let stranger = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "stranger"))
        note = note.appending([try CosignatureV1.sign(text: note.text, timestamp: 5, keyName: "stranger.example/w", key: stranger)])
        #expect(policy.evaluate(note).ok)
        // X3's name and key ID, another key's signature: a forgery of a known witness.
        let forged = try CosignatureV1.sign(text: note.text, timestamp: 5, keyName: "X3.example/w", key: stranger)
        let x3ID = CosignatureV1.keyID(keyName: "X3.example/w", publicKey: try keys.key("X3").publicKey)
        let line = try SignedNote.Signature(keyName: "X3.example/w", keyID: x3ID, bytes: forged.signature)
        let verdict = policy.evaluate(note.appending([line]))
        #expect(verdict.quorumMet)
        #expect(verdict.invalidCosignatures == ["X3"])
        #expect(!verdict.ok)
    }

    @Test func aCosignatureOverAnotherCheckpointDoesNotCount() throws {
        let keys = try Keys()
        let policy = try TlogPolicy(parsing: keys.examplePolicy())
        let other = try SignedNote(parsing: keys.log.checkpoint(9))
        let moved = try keys.note(cosignedBy: ["X1", "X2", "Y1"]).signatures.dropFirst()
        let verdict = policy.evaluate(other.appending(Array(moved)))
        #expect(!verdict.quorumMet)
        #expect(verdict.invalidCosignatures == ["X1", "X2", "Y1"])
    }

    @Test func logSignatureIsRequiredWhenLogsAreListed() throws {
        let keys = try Keys()
        let policy = try TlogPolicy(parsing: keys.examplePolicy())
        let stranger = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "stranger"))
        let unsigned = try SignedNote(parsing: keys.log.checkpoint(8, key: stranger))
        let witnessed = try keys.note(cosignedBy: ["X1", "X2", "Y1"]).signatures.dropFirst()
        let verdict = policy.evaluate(unsigned.appending(Array(witnessed)))
        #expect(verdict.log == .unsigned)
        #expect(!verdict.ok)
        // Without log lines the caller knows the log from elsewhere.
        let noLogs = try TlogPolicy(parsing: "witness A \(try keys.vkey("X1"))\nquorum A\n")
        #expect(noLogs.evaluate(try keys.note(cosignedBy: ["X1"])).ok)
        #expect(noLogs.evaluate(try keys.note(cosignedBy: ["X1"])).log == .notChecked)
    }

    @Test func quorumNoneNeedsNoCosignature() throws {
        let keys = try Keys()
        let policy = try TlogPolicy(parsing: "# no witnesses yet\nlog \(keys.log.vkey)\nquorum none")
        #expect(policy.quorum == .none)
        #expect(policy.evaluate(try keys.note(cosignedBy: [])).ok)
    }

    @Test func whitespaceCommentsAndTabs() throws {
        let keys = try Keys()
        let text = "  # comment\n\t\nwitness\tA  \(try keys.vkey("X1"))  \n  witness B \(try keys.vkey("X2"))\ngroup G\t1 A B\n  quorum G  \n"
        let policy = try TlogPolicy(parsing: text)
        #expect(policy.evaluate(try keys.note(cosignedBy: ["X2"])).quorumMet)
    }

    /// Each malformed policy is refused, naming its line.
    @Test(arguments: MalformedPolicy.allCases)
    func malformedPoliciesAreRefused(_ malformed: MalformedPolicy) throws {
        let keys = try Keys()
        let text = try malformed.text(keys)
        let error = #expect(throws: PolicyFailure.self) { try TlogPolicy(parsing: text) }
        switch (error, malformed.line) {
        case (.missingQuorum?, 0): break
        case let (.malformed(line, reason)?, expected):
            #expect(line == expected, "\(reason)")
            #expect(error?.code == "policy.malformed")
            #expect(error?.description.contains("第 \(expected) 行") == true)
        default: Issue.record("\(String(describing: error)) for a failure expected at line \(malformed.line)")
        }
    }

    enum MalformedPolicy: CaseIterable, CustomTestStringConvertible, Sendable {
        case noQuorum, twoQuorums, quorumUndefined, memberUndefined, memberAfterUse, memberTwice, thresholdZero,
            thresholdAboveMembers, thresholdLeadingZero, groupWithoutMembers, redefinedName, noneAsName,
            noneAsMember, duplicateWitnessKey, duplicateLogKey, logKeyAsWitness, witnessKeyAsLog, unknownKeyword,
            controlCharacter, trailingComment, quorumWithTwoNames, witnessWithoutKey

        var line: Int {
            switch self {
            case .noQuorum: 0
            case .twoQuorums, .duplicateWitnessKey, .redefinedName: 3
            case .duplicateLogKey: 2
            case .quorumUndefined, .memberUndefined, .memberAfterUse, .memberTwice, .thresholdZero, .thresholdAboveMembers,
                .thresholdLeadingZero, .groupWithoutMembers, .noneAsMember, .quorumWithTwoNames:
                2
            case .noneAsName, .logKeyAsWitness, .witnessKeyAsLog, .unknownKeyword, .controlCharacter, .trailingComment,
                .witnessWithoutKey:
                1
            }
        }

        func text(_ keys: Keys) throws -> String {
            let a = "witness A \(try keys.vkey("X1"))"
            switch self {
            case .noQuorum: return "\(a)\n"
            case .twoQuorums: return "\(a)\nquorum A\nquorum A\n"
            case .quorumUndefined: return "\(a)\nquorum B\n"
            case .memberUndefined: return "\(a)\ngroup G any A B\nquorum G\n"
            case .memberAfterUse: return "\(a)\ngroup G any A B\nwitness B \(try keys.vkey("X2"))\nquorum G\n"
            case .memberTwice: return "\(a)\ngroup G 1 A A\nquorum G\n"
            case .thresholdZero: return "\(a)\ngroup G 0 A\nquorum G\n"
            case .thresholdAboveMembers: return "\(a)\ngroup G 2 A\nquorum G\n"
            case .thresholdLeadingZero: return "\(a)\ngroup G 01 A\nquorum G\n"
            case .groupWithoutMembers: return "\(a)\ngroup G any\nquorum A\n"
            case .redefinedName: return "\(a)\nwitness B \(try keys.vkey("X2"))\ngroup A any B\nquorum A\n"
            case .noneAsName: return "witness none \(try keys.vkey("X1"))\nquorum none\n"
            case .noneAsMember: return "\(a)\ngroup G any A none\nquorum G\n"
            case .duplicateWitnessKey: return "\(a)\nwitness B \(try keys.vkey("X2"))\nwitness C \(try keys.vkey("X1"))\nquorum A\n"
            case .duplicateLogKey: return "log \(keys.log.vkey)\nlog \(keys.log.vkey) https://a.example/\nquorum none\n"
            case .logKeyAsWitness: return "witness A \(keys.log.vkey)\nquorum A\n"
            case .witnessKeyAsLog: return "log \(try keys.vkey("X1"))\nquorum none\n"
            case .unknownKeyword: return "monitor A \(try keys.vkey("X1"))\nquorum none\n"
            case .controlCharacter: return "\(a)\r\nquorum A\n"
            case .trailingComment: return "\(a) https://a.example/ # the first\nquorum A\n"
            case .quorumWithTwoNames: return "\(a)\nquorum A A\n"
            case .witnessWithoutKey: return "witness A\nquorum none\n"
            }
        }

        var testDescription: String { "\(self)" }
    }
}
