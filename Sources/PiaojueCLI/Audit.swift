import ArgumentParser
import Foundation
import PiaojueServices

extension Piaojue {
    /// `piaojue audit`: publish and verify.
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "公开与核验 Publish the tally audit and verify it, offline.",
            discussion: """
                A bundle holds the ledger up to a signed checkpoint, the body's public key, the tally \
                and the report; anyone can check it without this database (see docs/audit-format.md).

                Example:
                  piaojue audit publish S1 --out 公开包-S1
                  piaojue audit verify 公开包-S1
                  piaojue audit check-receipt 公开包-S1 3f9c…e1
                  piaojue audit witness --url http://县见证人:7380 --witness 'county.example/witness+…'
                  piaojue audit verify
                """,
            subcommands: [Publish.self, Verify.self, Prove.self, CheckReceipt.self, Checkpoint.self, Consistency.self, WitnessCheckpoint.self])

        @OptionGroup var global: GlobalOptions
    }
}

extension Piaojue.Audit {
    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish",
            abstract: "公开计票审计包 Write the audit bundle of a tallied session.",
            discussion: """
                Writes ledger.jsonl, checkpoint, body.pub.pem, tally.json, ballots.csv, report.html and \
                report.md into DIR (new or empty). Post report.html as the 公告; give the whole folder \
                to anyone who wants to check it.

                Example:
                  piaojue audit publish S1 --out 公开包-S1
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "会期 Session.") var session: SessionID
        @Option(help: "输出目录（新建或空目录）Output directory (new or empty).") var out: String

        func run() throws {
            let session = try self.session.get()
            let published = try AuditService.publish(session: session, directory: out, workspace: global.workspace())
            global.emit(published) {
                """
                已公开会期 \(session) 的计票审计包：\(published.dir)
                账本 \(published.size) 条，默克尔根 \(published.root)
                公告 Report: \(published.dir)/report.html
                核验 Verify: piaojue audit verify \(published.dir)
                """
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "核验账本或公开包 Verify the live ledger (no DIR) or a published bundle.",
            discussion: """
                Every check is numbered and named with a one-line result; exit status 0 only when all \
                pass, 1 when any fails (unreadable or truncated content included).

                Example:
                  piaojue audit verify
                  piaojue audit verify --db 备份.sqlite
                  piaojue audit verify 公开包-S1
                  piaojue audit verify 公开包-S1 --trusted-key body.pub.pem --checkpoint 我的回执证明.txt
                  piaojue audit verify 公开包-S1 --policy 县见证策略.txt
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "公开包目录 A published bundle (omit to check the ledger).") var directory: String?
        @Option(
            name: .customLong("trusted-key"),
            help: "固定机关公钥：PEM 文件，或 32 字节公钥的 base64 Pin the body key: a PEM file or base64 of the 32 raw bytes (without it the bundle's own key is trusted, and the output says so).")
        var trustedKey: String?
        @Option(
            name: .customLong("checkpoint"),
            help: "此前收到的检查点或回执证明，账本必须延续它（可重复） A checkpoint or receipt proof received earlier that the ledger must extend (repeatable).")
        var checkpoints: [String] = []
        @Option(
            help: "C2SP tlog-policy 信任策略文件：检查点须带有其法定数的见证人副署 A C2SP tlog-policy file: the checkpoint must carry its quorum of witness cosignatures (one more check).")
        var policy: String?

        func run() throws {
            let report = try directory.map {
                try LedgerQueries.verifyBundle(directory: $0, trustedKey: trustedKey, checkpoints: checkpoints, policy: policy)
            } ?? LedgerQueries.verifyLedger(workspace: global.workspace(), trustedKey: trustedKey, checkpoints: checkpoints, policy: policy)
            global.emit(report) { render(report) }
            if !report.ok { throw ExitCode(1) }
        }

        func render(_ report: VerificationOutput) -> String {
            var lines = report.checks.map { check in
                "\(check.id). [\(check.ok ? "通过 ok" : "失败 FAIL")] \(check.name)：\(check.detail)"
            }
            lines.append(report.ok
                ? "核验通过：全部 \(report.checks.count) 项检查通过。Verification passed: all \(report.checks.count) checks."
                : "核验失败：第 \(report.firstFailure?.id ?? 0) 项未通过。Verification FAILED at check \(report.firstFailure?.id ?? 0).")
            return lines.joined(separator: "\n")
        }
    }

    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prove",
            abstract: "回执的包含证明 Inclusion proof of a receipt against a signed checkpoint.",
            discussion: """
                Exit status 1 when the receipt is not in the ledger. --out writes the proof as JSON.

                Example:
                  piaojue audit prove 3f9c…e1 --out 回执证明.json
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "回执（64 位十六进制）The receipt (64 hex digits).") var receipt: String
        @Option(help: "把证明写入文件 Write the proof to this file.") var out: String?

        func run() throws {
            let proof = try AuditService.prove(receipt: receipt, workspace: global.workspace())
            if let out { try AuditService.writeProof(proof, to: out) }
            global.emit(proof) {
                """
                回执在账本第 \(proof.index) 条（\(proof.kind)），包含于大小为 \(proof.size) 的已签名检查点。
                Receipt found at entry \(proof.index), included in the signed checkpoint of size \(proof.size).
                根 Root: \(proof.root)
                证明 Proof: \(proof.proof.joined(separator: " "))
                """
            }
        }
    }

    struct CheckReceipt: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-receipt",
            abstract: "离线核对回执 Offline: is this ballot in the bundle, and is the proof valid?",
            discussion: "Example:\n  piaojue audit check-receipt 公开包-S1 3f9c…e1\n  piaojue audit check-receipt 公开包-S1 我的回执证明.txt --trusted-key body.pub.pem")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "公开包目录 The bundle.") var directory: String
        @Argument(help: "回执（64 位十六进制），或投票时保存的回执证明文件 The receipt, or the proof file a cast wrote (--proof-out).") var receipt: String
        @Option(name: .customLong("trusted-key"), help: "固定机关公钥 Pin the body key (PEM file or base64).") var trustedKey: String?

        func run() throws {
            let check = try LedgerQueries.checkReceipt(directory: directory, receipt: receipt, trustedKey: trustedKey)
            global.emit(check) { (check.ok ? "通过 OK：" : "失败 FAIL：") + check.detail }
            if !check.ok { throw ExitCode(1) }
        }
    }

    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "输出签名检查点 Print the latest signed checkpoint (--sign: a new one covering every entry).",
            discussion: "Example:\n  piaojue audit checkpoint --sign > 2025-03-检查点.txt")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "签一个覆盖全部条目的新检查点 Sign a new checkpoint of the whole ledger.") var sign = false

        func run() throws {
            let checkpoint = try AuditService.checkpoint(fresh: sign, workspace: global.workspace())
            if global.json {
                Output.json(checkpoint)
            } else {
                FileHandle.standardOutput.write(Data(checkpoint.note.utf8))
            }
        }
    }

    struct Consistency: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "consistency",
            abstract: "证明新检查点延续旧检查点 Prove checkpoint NEW extends OLD (history never rewritten).",
            discussion: """
                Both must be signed by this body; the proof is computed from the ledger and verified.

                Example:
                  piaojue audit consistency 旧检查点.txt 新检查点.txt
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "旧检查点文件 The older checkpoint file.") var old: String
        @Argument(help: "新检查点文件 The newer checkpoint file.") var new: String

        func run() throws {
            let result = try AuditService.consistency(oldPath: old, newPath: new, workspace: global.workspace())
            global.emit(result) { (result.ok ? "一致 CONSISTENT：" : "不一致 INCONSISTENT：") + result.detail }
            if !result.ok { throw ExitCode(1) }
        }
    }
}
