import Foundation
import PiaojueAudit
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueTestSupport
import Testing

/// The body-key holder's forgeries, one per class of field (docs/audit-format.md §5): each rewrites
/// what a decision rests on, then re-chains, re-signs every body entry, signs a new checkpoint and
/// makes tally.json, ballots.csv and both reports again — so every integrity check (1–11) passes,
/// and `audit verify` must still fail, at the history check that names the field.
///
/// With `PIAOJUE_EXPORT_BUNDLES=DIR` every forged bundle is also written to `DIR/forged-NAME`, for
/// Scripts/test to hand the independent verifier (which must fail each of them too).
@Suite struct ForgeryTests {
    struct Forgery: Sendable, CustomTestStringConvertible {
        let name: String
        /// The history check (12–30) that must fail.
        let check: Int
        let bundle: Which
        let forge: @Sendable (inout Forger, HallScenario) throws -> Void

        enum Which: Sendable { case vote, rating }

        var testDescription: String { name }
    }

    static let forgeries: [Forgery] = [
        Forgery(name: "ledger-init-key-name", check: 13, bundle: .vote) { forger, _ in
            try forger.payload(0) { $0["keyName"] = .string("piaojue/另一个机关") }
            forger.origin = "piaojue/另一个机关"
        },
        Forgery(name: "roster-seated", check: 14, bundle: .vote) { forger, _ in
            try forger.payload(try forger.index(of: "roster.import")) { $0.setInteger("seated", 20) }
        },
        Forgery(name: "screening-decision", check: 15, bundle: .vote) { forger, _ in
            try forger.payload(try forger.index(of: "collect.screen")) {
                $0["decision"] = .string("reject")
                $0["reason"] = .string("不具备实施条件")
            }
        },
        Forgery(name: "list-seats", check: 16, bundle: .vote) { forger, _ in
            try forger.payload(try forger.index(of: "collect.shortlist")) { $0.setInteger("seats", 4) }
        },
        Forgery(name: "opening-seats", check: 16, bundle: .vote) { forger, _ in
            try forger.payload(try forger.index(of: "ballot.open", session: "S1")) { $0.setInteger("seats", 4) }
        },
        Forgery(name: "runoff-budget-committed", check: 16, bundle: .vote) { forger, _ in
            try forger.payload(try forger.index(of: "ballot.open", session: "S2")) { $0.setInteger("budgetCommitted", 0) }
        },
        Forgery(name: "checkin-stranger", check: 17, bundle: .vote) { forger, _ in
            try forger.payload(try forger.index(of: "session.checkin", session: "S1")) {
                $0.setIDs("deputies", $0.ids("deputies") + ["D099"])
                $0.setInteger("present", $0.integer("present") + 1)
            }
        },
        Forgery(name: "runoff-carried-checkin", check: 12, bundle: .vote) { forger, _ in
            try forger.payload(try forger.index(of: "session.checkin", session: "S2")) {
                $0.setIDs("deputies", Array($0.ids("deputies").dropLast()))
                $0.setInteger("present", $0.integer("present") - 1)
            }
        },
        Forgery(name: "issue-handed-out", check: 18, bundle: .vote) { forger, _ in
            try forger.payload(try forger.index(of: "session.issue", session: "S1")) { $0.setInteger("handedOut", 12) }
        },
        Forgery(name: "import-void-count", check: 23, bundle: .vote) { forger, _ in
            try forger.payload(try forger.index(of: "session.import", session: "S1")) { $0.setInteger("void", 0) }
        },
        Forgery(name: "close-returned", check: 24, bundle: .vote) { forger, _ in
            try forger.payload(try forger.index(of: "session.close", session: "S1")) { $0.setInteger("recorded", 11) }
        },
        Forgery(name: "tally-chosen", check: 26, bundle: .vote) { forger, _ in
            try forger.payload(try forger.index(of: "ballot.tally", session: "S2")) { $0.setIDs("chosen", ["P4"]) }
        },
        Forgery(name: "tally-count", check: 25, bundle: .vote) { forger, _ in
            try forger.payload(try forger.index(of: "ballot.tally", session: "S1")) { $0.setInteger("valid", 12) }
        },
        Forgery(name: "tally-reason", check: 26, bundle: .vote) { forger, _ in
            try forger.payload(try forger.index(of: "ballot.tally", session: "S1")) { $0["reason"] = nil }
        },
        Forgery(name: "tally-skipped", check: 26, bundle: .vote) { forger, _ in
            try forger.payload(try forger.index(of: "ballot.tally", session: "S1")) { $0["skipped"] = .array([]) }
        },
        Forgery(name: "ballot-mark-list-dropped", check: 22, bundle: .vote) { forger, hall in
            let n = try forger.index(of: "session.cast", session: "S1")
            try forger.payload(n) { payload in
                var choices = payload["choices"]?.objectValue ?? JSONObject()
                choices["abstain"] = nil
                payload["choices"] = .object(choices)
            }
            try forger.resignBallot(n, code: try hall.code(of: forger.entries[n]))
        },
        Forgery(name: "ballot-out-of-order", check: 22, bundle: .vote) { forger, hall in
            let n = try forger.index(of: "session.cast", session: "S1") { $0["choices"]?["approve"]?.arrayValue?.count ?? 0 >= 2 }
            try forger.payload(n) { payload in
                var choices = payload["choices"]?.objectValue ?? JSONObject()
                choices.setIDs("approve", choices.ids("approve").reversed())
                payload["choices"] = .object(choices)
            }
            try forger.resignBallot(n, code: try hall.code(of: forger.entries[n]))
        },
        Forgery(name: "paper-relabelled-electronic", check: 23, bundle: .vote) { forger, hall in
            let n = try forger.index(of: "session.paper", session: "S1")
            forger.entries[n]["kind"] = .string("session.cast")
            try forger.payload(n) { $0["via"] = .string("electronic") }
            try forger.resignBallot(n, code: try hall.code(of: forger.entries[n]))
        },
        Forgery(name: "time-backwards", check: 12, bundle: .vote) { forger, _ in
            let n = try forger.index(of: "ballot.tally", session: "S1")
            forger.entries[n]["time"] = .string("2024-01-01T00:00:00Z")
        },
        Forgery(name: "unknown-kind", check: 12, bundle: .vote) { forger, _ in
            let n = try forger.index(of: "session.close", session: "S1")
            var note = forger.entries[n]
            note["kind"] = .string("session.note")
            forger.entries.insert(note, at: n)
        },
        Forgery(name: "late-checkin-removed", check: 18, bundle: .vote) { forger, _ in
            let checkins = forger.entries.indices.filter {
                forger.entries[$0]["kind"]?.stringValue == "session.checkin" && forger.entries[$0]["payload"]?["session"]?.stringValue == "S1"
            }
            guard checkins.count == 2 else { throw FixtureError("S1 has two check-ins") }
            forger.entries.remove(at: checkins[1])
        },
        Forgery(name: "plan-never-chosen", check: 30, bundle: .rating) { forger, _ in
            try forger.payload(try forger.index(of: "implement.plan")) { $0["project"] = .string("P5") }
        },
        Forgery(name: "adjust-without-decision", check: 30, bundle: .rating) { forger, _ in
            try forger.payload(try forger.index(of: "implement.adjust")) { $0["decision"] = .string("") }
        },
        Forgery(name: "changed-milestones-out-of-date-order", check: 30, bundle: .rating) { forger, _ in
            let major = try forger.index(of: "implement.adjust") { $0["adjustment"]?.stringValue == "major-change" }
            try forger.payload(major) { payload in
                var changes = payload["changes"]?.objectValue ?? JSONObject()
                var milestones = changes["milestones"]?.arrayValue ?? []
                guard milestones.count == 2, var first = milestones[0].objectValue, var second = milestones[1].objectValue else { return }
                (first["date"], second["date"]) = (second["date"], first["date"])
                milestones = [.object(first), .object(second)]
                changes["milestones"] = .array(milestones)
                payload["changes"] = .object(changes)
            }
        },
        Forgery(name: "rating-project-never-chosen", check: 27, bundle: .rating) { forger, _ in
            try forger.payload(try forger.index(of: "evaluate.open")) { payload in
                var header = payload["header"]?.objectValue ?? JSONObject()
                header.setIDs("items", header.ids("items") + ["P5"])
                payload["header"] = .object(header)
            }
        },
        Forgery(name: "rating-class", check: 28, bundle: .rating) { forger, _ in
            try forger.payload(try forger.index(of: "evaluate.tally")) { payload in
                var projects = payload["projects"]?.arrayValue ?? []
                if var first = projects.first?.objectValue {
                    first["class"] = .string("满意")
                    first["rectify"] = .bool(false)
                    projects[0] = .object(first)
                }
                payload["projects"] = .array(projects)
                payload.setIDs("rectify", [])
            }
        },
        Forgery(name: "rectification-unflagged", check: 29, bundle: .rating) { forger, _ in
            try forger.payload(try forger.index(of: "evaluate.rectify")) { $0["project"] = .string("P3") }
        },
    ]

    @Test(arguments: Self.forgeries)
    func aForgeryByTheKeyHolderFailsAtTheCheckThatNamesIt(_ forgery: Forgery) throws {
        let hall = try HallScenario.shared.get()
        let source = forgery.bundle == .vote ? hall.voteBundle : hall.ratingBundle
        #expect(BundleAudit.verify(directory: source).ok, "the untouched bundle verifies")
        var forger = try Forger(bundle: source, key: try hall.bodyKey())
        try forgery.forge(&forger, hall)
        let directory = TemporaryDirectory("forged")
        let forged = directory.path(forgery.name)
        try forger.write(to: forged)
        let report = BundleAudit.verify(directory: forged)
        let failing = report.checks.filter { !$0.ok }
        #expect(!report.ok)
        // The forgery is whole: files, key, checkpoint, script, form, chain and signatures all pass.
        #expect(failing.allSatisfy { $0.id >= 12 }, "\(failing.map { "\($0.id) \($0.detail)" })")
        #expect(failing.contains { $0.id == forgery.check }, "\(failing.map { "\($0.id) \($0.detail)" })")
        try Self.export(forged, as: "forged-\(forgery.name)")
    }

    /// Copies a bundle to `$PIAOJUE_EXPORT_BUNDLES/NAME` when that is set.
    static func export(_ bundle: String, as name: String) throws {
        guard let root = ProcessInfo.processInfo.environment["PIAOJUE_EXPORT_BUNDLES"], !root.isEmpty else { return }
        let target = root + "/" + name
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: bundle, toPath: target)
    }
}

extension HallScenario {
    /// The code a ballot entry was signed with (the forger kept them all).
    func code(of entry: JSONObject) throws -> String {
        guard let signer = entry["signer"]?.stringValue else { throw FixtureError("a ballot without signer") }
        for code in codes.values.flatMap({ $0 }) {
            var secret = try SecretCode.decode(code)
            defer { Ed25519PrivateKey.cleanse(&secret) }
            if try Ed25519PrivateKey(seed: secret).publicKey.base64 == signer { return code }
        }
        throw FixtureError("no code for \(signer)")
    }
}
