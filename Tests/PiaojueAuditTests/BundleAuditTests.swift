import Foundation
import PiaojueAudit
import PiaojueCrypto
import PiaojueDomain
import PiaojueLedger
import PiaojueServices
import PiaojueTestSupport
import Testing

/// `BundleAudit`: a bundle written by `AuditService.publish` verifies offline, every kind of
/// tampering is caught by the check that names it, and receipts are proved from the bundle alone.
@Suite struct BundleAuditTests {
    /// The bundle's own checks, then the stream's and the sessions' (as `LedgerAudit` names them),
    /// then the two published documents.
    static let checkNames = [
        "公开包文件齐全 / bundle files present and readable",
        "信任的机关公钥 / the body key trusted (--trusted-key, or the bundle's own, with its fingerprint)",
        "检查点签名 / checkpoint signed by the trusted body key (C2SP signed note)",
        "检查点大小与默克尔根 / checkpoint size and Merkle root of ledger.jsonl (RFC 9162)",
        "merkle_root.py 与本程序所附相同 / merkle_root.py is the script this program ships",
    ] + LedgerAuditTests.streamCheckNames + LedgerAuditTests.sessionCheckNames + [
        "tally.json 与记录的计票一致 / tally.json is the recorded, re-derived tally",
        "ballots.csv 与账本中的选票一致 / ballots.csv lists the session's ballots",
        "report.md 公告与核验结果一致 / report.md states the verified result",
        "report.html 公告与核验结果一致 / report.html states the verified result",
        LedgerAuditTests.pinnedCheckName,
    ]

    @Test func aPublishedBundlePassesEveryCheck() throws {
        let bundle = try PublishedBundle()
        let report = BundleAudit.verify(directory: bundle.directory)
        #expect(report.ok, "\(String(describing: report.firstFailure))")
        #expect(report.checks.map(\.id) == Array(1...report.checks.count))
        #expect(report.checks.map(\.name) == Self.checkNames)
        #expect(report.checks.count == 35)
        #expect(report.checks[0].detail == "8 个文件均在 / all 8 files present")
        #expect(report.checks[1].detail.contains("not pinned: trusted the bundle's own body.pub.pem"))
        #expect(report.checks[10].detail == "5 张选票的凭证签名有效 / valid")
        #expect(report.checks[31].detail == "5 张选票逐张一致 / every ballot matches")
    }

    enum Tamper: String, CaseIterable, Sendable {
        case missingTally, otherKey, checkpointRoot, checkpointGarbage, ballotMark, droppedLastLine, unterminated, nonCanonical
        case swappedBallots, ballotsCSV, ballotsCSVUnterminated, tallyJSON

        func apply(_ bundle: PublishedBundle) throws {
            var lines = try bundle.ledgerLines()
            let ballot = try #require(lines.firstIndex { $0.contains(#""kind":"session.paper""#) })
            switch self {
            case .missingTally: try FileManager.default.removeItem(atPath: bundle.file("tally.json"))
            case .otherKey:
                let other = try Ed25519PrivateKey.generate(using: SeededRandom(seed: "someone else"))
                try bundle.replace("body.pub.pem", with: try other.publicKey.pem())
            case .checkpointRoot:
                var checkpoint = try String(contentsOfFile: bundle.file("checkpoint"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                checkpoint[2] = Encoding.base64([UInt8](repeating: 9, count: 32))
                try bundle.replace("checkpoint", with: checkpoint.joined(separator: "\n"))
            case .checkpointGarbage: try bundle.replace("checkpoint", with: "garbage\n")
            case .ballotMark:
                lines[ballot] = lines[ballot].replacingOccurrences(of: #""approve":["P1","P2"]"#, with: #""approve":["P1","P3"]"#)
                try bundle.replace("ledger.jsonl", with: lines.joined(separator: "\n") + "\n")
            case .droppedLastLine: try bundle.replace("ledger.jsonl", with: lines.dropLast().joined(separator: "\n") + "\n")
            case .unterminated: try bundle.replace("ledger.jsonl", with: lines.joined(separator: "\n"))
            case .nonCanonical:
                lines[ballot] = lines[ballot].replacingOccurrences(of: #"{"index":"#, with: #"{ "index":"#)
                try bundle.replace("ledger.jsonl", with: lines.joined(separator: "\n") + "\n")
            case .swappedBallots:
                lines.swapAt(ballot, ballot + 1)
                try bundle.replace("ledger.jsonl", with: lines.joined(separator: "\n") + "\n")
            case .ballotsCSV:
                let csv = try String(contentsOfFile: bundle.file("ballots.csv"), encoding: .utf8)
                try bundle.replace("ballots.csv", with: csv.replacingOccurrences(of: "反对", with: "赞成"))
            case .ballotsCSVUnterminated:
                // Byte for byte (the file starts with a BOM, which reading it as a String drops).
                let csv = try Data(contentsOf: URL(fileURLWithPath: bundle.file("ballots.csv")))
                try csv.dropLast().write(to: URL(fileURLWithPath: bundle.file("ballots.csv")))
            case .tallyJSON:
                let json = try String(contentsOfFile: bundle.file("tally.json"), encoding: .utf8)
                try bundle.replace("tally.json", with: json.replacingOccurrences(of: #""valid":5"#, with: #""valid":6"#))
            }
        }

        /// The checks that fail, by id, with a phrase of the first one's finding: the entry it names
        /// (`{ballot}` is the first paper ballot's index) or what it found.
        var failing: [(id: Int, finding: String)] {
            switch self {
            case .missingTally:
                [(1, "tally.json is missing"), (32, "the session's opening is not in ledger.jsonl"), (33, "no session or checkpoint"), (34, "no session or checkpoint")]
            case .otherKey:
                [(3, "not a valid signature by the trusted key"), (9, "body.pub.pem differs from the key in entry 0"), (10, "no body key to check entry 1")]
            case .checkpointRoot:
                [(3, "not a valid signature by the trusted key"), (4, "the recomputed Merkle root differs"), (33, "report.md line"), (34, "report.html line")]
            case .checkpointGarbage: [(3, "not a well-formed signed checkpoint"), (4, "no usable checkpoint"), (33, "no session or checkpoint"), (34, "no session or checkpoint")]
            case .ballotMark:
                [
                    (4, "the recomputed Merkle root differs"), (8, "entry {next} does not chain to entry {ballot}"),
                    (11, "ballot entry {ballot} has an invalid credential signature"), (25, "re-tally of S1 differs from the record"),
                    (26, "the decision does not follow the frozen rules"), (32, "ballots.csv line 2 differs from the ledger's"),
                ]
            case .droppedLastLine:
                [(4, "the checkpoint covers 23 entries, ledger.jsonl has 22 lines"), (31, "no tally of S1"), (33, "no tally of S1"), (34, "no tally of S1")]
            case .unterminated: [(4, "the last line of ledger.jsonl is unterminated")]
            case .nonCanonical:
                [
                    (4, "the recomputed Merkle root differs"), (6, "entry {ballot} is not in canonical form"),
                    (8, "entry {next} does not chain to entry {ballot}"), (23, "fields differing from the re-derived entry: count"),
                    (24, "fields differing from the re-derived entry: discrepancies, paper, recorded"), (25, "re-tally of S1 differs from the record"),
                    (26, "the decision does not follow the frozen rules"), (32, "ballots.csv line 2 differs from the ledger's"),
                ]
            case .swappedBallots:
                [
                    (4, "the recomputed Merkle root differs"), (7, "line {ballot} holds index {next}"),
                    (8, "entry {ballot} does not chain to entry {previous}"), (32, "ballots.csv line 2 differs from the ledger's"),
                ]
            case .ballotsCSV: [(32, "ballots.csv line 1 differs from the ledger's")]
            case .ballotsCSVUnterminated: [(32, "ballots.csv's last line lacks its final line feed")]
            case .tallyJSON: [(31, "tally.json line 1 differs from the verified result")]
            }
        }
    }

    @Test(arguments: Tamper.allCases)
    func tamperingIsCaughtByTheCheckThatNamesIt(_ tamper: Tamper) throws {
        let bundle = try PublishedBundle()
        try tamper.apply(bundle)
        let report = BundleAudit.verify(directory: bundle.directory)
        #expect(!report.ok)
        let ballot = try #require(try bundle.world.entries(kinds: ["session.paper"]).first).index
        let failing = report.checks.filter { !$0.ok }
        #expect(failing.map(\.id) == tamper.failing.map(\.id), "\(failing.map { "\($0.id) \($0.detail)" })")
        #expect(report.firstFailure?.id == tamper.failing.first?.id)
        for (check, expected) in zip(failing, tamper.failing) {
            let finding = expected.finding.replacingOccurrences(of: "{ballot}", with: String(ballot))
                .replacingOccurrences(of: "{next}", with: String(ballot + 1)).replacingOccurrences(of: "{previous}", with: String(ballot - 1))
            #expect(check.detail.contains(finding), "check \(check.id): \(check.detail)")
            #expect(check.name == Self.checkNames[check.id - 1])
        }
    }

    // MARK: Receipts

    @Test func everyBallotReceiptIsProvedFromTheBundleAlone() throws {
        let bundle = try PublishedBundle()
        let checkpoint = try Checkpoint(text: try SignedNote(parsing: try String(contentsOfFile: bundle.file("checkpoint"), encoding: .utf8)).text)
        let entries = try bundle.world.entries(kinds: ["session.paper", "session.cast"])
        #expect(entries.count == 5)
        for entry in entries {
            let check = BundleAudit.checkReceipt(directory: bundle.directory, receipt: entry.receipt.uppercased())
            #expect(check.ok, "\(check.detail)")
            #expect(check.receipt == entry.receipt)
            #expect(check.index == entry.index)
            #expect(check.kind == entry.kind)
            #expect(check.size == bundle.size)
            #expect(check.detail.contains("entry \(entry.index) is included in the signed checkpoint"))
            let path = check.proof.compactMap(Encoding.unhex)
            #expect(path.count == check.proof.count)
            #expect(Merkle.verifyInclusion(leafHash: entry.leafHash, index: entry.index, size: checkpoint.size, proof: path, root: checkpoint.root))
        }
    }

    @Test func aReceiptThatCannotBeProvedSaysWhy() throws {
        let bundle = try PublishedBundle()
        let receipt = try #require(bundle.receipts.first)
        func check(_ text: String = receipt) -> BundleAudit.ReceiptCheck { BundleAudit.checkReceipt(directory: bundle.directory, receipt: text) }

        let short = check("abc")
        #expect(!short.ok)
        #expect(short.detail.contains("a receipt is 64 hex digits"))
        let absent = check(String(repeating: "0", count: 64))
        #expect(!absent.ok)
        #expect(absent.index == nil)
        #expect(absent.detail.contains("no entry with this receipt is in the bundle"))

        // ledger.jsonl shorter than the checkpoint: the entry is found, the proof cannot be made.
        let lines = try bundle.ledgerLines()
        try bundle.replace("ledger.jsonl", with: lines.dropLast().joined(separator: "\n") + "\n")
        let truncated = check()
        #expect(!truncated.ok)
        #expect(truncated.index != nil)
        #expect(truncated.detail.contains("ledger.jsonl does not match the checkpoint size"))
        try bundle.replace("ledger.jsonl", with: lines.joined(separator: "\n") + "\n")
        #expect(check().ok)

        let note = try String(contentsOfFile: bundle.file("checkpoint"), encoding: .utf8)
        var checkpointLines = note.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        checkpointLines[1] = String(bundle.size + 1)
        try bundle.replace("checkpoint", with: checkpointLines.joined(separator: "\n"))
        let forged = check()
        #expect(!forged.ok)
        #expect(forged.detail.contains("the checkpoint is not signed by the trusted key"))
        try bundle.replace("checkpoint", with: note)

        try FileManager.default.removeItem(atPath: bundle.file("body.pub.pem"))
        let keyless = check()
        #expect(!keyless.ok)
        #expect(keyless.detail.contains("the bundle lacks a readable key or checkpoint"))
    }
}
