import ArgumentParser
import PiaojueServices

extension Piaojue.Audit {
    /// `audit witness`: the log side of witnessing.
    struct WitnessCheckpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "witness",
            abstract: "请县级见证人副署 Get the latest checkpoint cosigned by witnesses; later bundles carry the cosignatures.",
            discussion: """
                Sends the latest checkpoint (a checkpoint of every entry is signed first when the ledger \
                has grown past it) with the consistency proof from each witness's size, C2SP tlog-witness \
                v1.0.0; on 409 it retries from the size the witness names. The cosignatures are stored \
                with the checkpoint: every bundle published at that checkpoint carries them after the \
                body's signature. --witness (or --policy) pins the witness keys: their lines are \
                verified before anything is stored, other lines dropped; without a pinned key the lines \
                are kept unverified, for the reader's policy to check. Offline (a USB stick): \
                --request-out writes the request for `piaojue witness cosign`; --response reads its \
                answer back (--request names the request it answers; with a 409, --request-out writes \
                the next request from the size the witness names).

                Example:
                  piaojue audit witness --url http://127.0.0.1:7380 --witness 'county.example/witness+5e6f7a8b+BK…'
                  piaojue audit witness --policy 县见证策略.txt
                  piaojue audit witness --request-out 见证请求.txt
                  piaojue audit witness --response 见证回复.txt --request 见证请求.txt
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("见证人地址（可重复）The witness's URL or submission prefix (repeatable).", valueName: "url"))
        var url: [String] = []
        @Option(help: ArgumentHelp("固定见证人的验证密钥（可重复）Pin a witness's cosignature/v1 vkey (repeatable).", valueName: "vkey"))
        var witness: [String] = []
        @Option(help: "C2SP tlog-policy 文件：固定其中见证人的密钥，未给 --url 时向其地址提交 Pin the policy's witnesses; send to their URLs when no --url is given.")
        var policy: String?
        @Option(name: .customLong("request-out"), help: "离线：写出见证请求文件 Offline: write the add-checkpoint request to this new file.")
        var requestOut: String?
        @Option(help: "离线：见证人回复文件 Offline: read the witness's response file.") var response: String?
        @Option(help: "离线：该回复所答的请求文件 Offline: the request file the response answers.") var request: String?
        @Option(help: "离线请求的旧大小（默认：此前副署过的最大大小）The old size of an offline request (default: the largest cosigned before).")
        var old: Int?

        func validate() throws {
            if response != nil, !url.isEmpty { throw ValidationError("--url 与 --response 只能给一个 Give --url or --response, not both.") }
            if requestOut != nil, !url.isEmpty { throw ValidationError("--url 与 --request-out 只能给一个 Give --url or --request-out, not both.") }
            if request != nil, response == nil { throw ValidationError("--request 需与 --response 同用 --request goes with --response.") }
            if old != nil, requestOut == nil || response != nil { throw ValidationError("--old 只用于 --request-out --old goes with --request-out alone.") }
        }

        func run() throws {
            let witnesses = CosigningService.Witnesses(urls: url, keys: witness, policyPath: policy)
            let workspace = try global.workspace()
            if let response {
                let result = try CosigningService.readResponse(
                    response, request: request, retryOut: requestOut, witnesses: witnesses, workspace: workspace)
                global.emit(result) { render(result) }
                if !result.ok { throw ExitCode(1) }
            } else if let requestOut {
                let written = try CosigningService.writeRequest(to: requestOut, oldSize: old, witnesses: witnesses, workspace: workspace)
                global.emit(written) {
                    """
                    已写出见证请求 \(written.request)：检查点 \(written.origin) 大小 \(written.size)，自大小 \(written.oldSize) 的一致性证明 \(written.proofLines) 行。
                    Request written: checkpoint of \(written.size) entries, proof from \(written.oldSize).
                    请在县里执行 At the county: piaojue witness cosign \(written.request) --out 见证回复.txt
                    本日志的验证密钥 This log's vkey: \(written.vkey)
                    """
                }
            } else {
                let result = try CosigningService.submit(to: witnesses, workspace: workspace)
                global.emit(result) { render(result) }
                if !result.ok { throw ExitCode(1) }
            }
        }

        func render(_ result: WitnessingOutput) -> String {
            var lines = ["检查点 Checkpoint \(result.origin) 大小 size \(result.size)，根 root \(result.root.prefix(16))…"]
            for answer in result.witnesses {
                if answer.ok {
                    let checked = answer.verified ? "已核验 verified" : "未固定见证人密钥，未核验 not verified (no pinned key)"
                    lines.append("- \(answer.source)：已副署 cosigned（\(checked)），新存 \(answer.stored) 行 stored \(answer.stored)")
                    for line in answer.cosignatures { lines.append("    \(line)") }
                } else {
                    lines.append("- \(answer.source)：未副署 NOT cosigned：\(answer.code ?? "")：\(answer.message ?? "")")
                }
            }
            lines.append(result.ok
                ? "此后发布的公开包的 checkpoint 文件都带有这些副署。Bundles published at this checkpoint carry the cosignatures."
                : "有见证人未副署。A witness did not cosign.")
            lines.append("本日志的验证密钥 This log's vkey: \(result.vkey)")
            return lines.joined(separator: "\n")
        }
    }
}
