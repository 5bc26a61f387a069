import ArgumentParser
import PiaojueServices
import PiaojueWeb

extension Piaojue {
    /// `piaojue witness`: the county's C2SP witness of its townships' ledgers.
    struct Witness: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "witness",
            abstract: "见证人 Witness the townships' ledgers: cosign each checkpoint once it is proven consistent.",
            discussion: """
                A witness (C2SP tlog-witness v1.0.0, cosignature/v1) keeps its own Ed25519 key and SQLite \
                state in its own directory: --dir, else $PIAOJUE_WITNESS_DIR, else ./witness. Once it has \
                cosigned a checkpoint, the township can no longer present another history of that size \
                without the witness refusing it and keeping both as evidence (see docs/federation.md).

                Example:
                  piaojue witness init --name county.example/witness
                  piaojue witness add-log --origin 某某镇人大 --vkey '某某镇人大+1a2b3c4d+AU…'
                  piaojue witness serve --listen 127.0.0.1:7380
                  piaojue witness cosign 见证请求.txt --out 见证回复.txt
                  piaojue witness evidence 某某镇人大
                """,
            subcommands: [
                Init.self, AddLog.self, AddKey.self, RetireKey.self, List.self, Serve.self, Cosign.self, Evidence.self,
            ])
    }
}

/// `--dir`, shared by every witness command.
struct WitnessDirectoryOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("见证人目录 The witness directory (default $PIAOJUE_WITNESS_DIR or ./witness).", valueName: "dir"))
    var dir: String?

    var resolved: String { WitnessService.directory(dir) }
}

extension Piaojue.Witness {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "新建见证人 Create a witness: a new key and an empty state; prints its verifier key.",
            discussion: """
                Refuses when the directory already holds a witness key or state. The verifier key \
                (--json: vkey) goes into the logs' witness lists and into tlog-policy files.

                Example:
                  piaojue witness init --name county.example/witness --dir 见证人
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var location: WitnessDirectoryOption
        @Option(help: "见证人名称（签名密钥名，不含空格和 +）The witness's name (a note key name).") var name: String

        func run() throws {
            let identity = try WitnessService.initialize(name: name, directory: location.resolved)
            global.emit(identity) {
                """
                已创建见证人 \(identity.name)：\(identity.dir)
                验证密钥 Verifier key: \(identity.vkey)
                信任策略中写作 In a tlog-policy: witness <名称 name> \(identity.vkey)
                """
            }
        }
    }

    struct AddLog: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-log",
            abstract: "信任一个日志 Trust a log: its origin and its first verifier key.",
            discussion: """
                VKEY is the log's signed-note verifier key, name+hexkeyid+base64(type ‖ key), type 0x01 \
                (Ed25519). A log is never removed; rotate its keys with add-key and retire-key.

                Example:
                  piaojue witness add-log --origin 某某镇人大 --vkey '某某镇人大+1a2b3c4d+AU…'
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var location: WitnessDirectoryOption
        @Option(help: "日志标识（检查点第一行）The log's origin line.") var origin: String
        @Option(help: "日志的验证密钥 The log's verifier key.") var vkey: String

        func run() throws {
            let log = try WitnessService.addLog(origin: origin, vkey: vkey, directory: location.resolved)
            global.emit(log) { "已信任日志 \(log.origin)，密钥 Trusting log \(log.origin) with key \(vkey)" }
        }
    }

    struct AddKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-key",
            abstract: "为日志增加密钥 Add a verifier key to a trusted log (key rotation).",
            discussion: """
                Example:
                  piaojue witness add-key --origin 某某镇人大 --vkey '某某镇人大+5e6f7a8b+AU…'
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var location: WitnessDirectoryOption
        @Option(help: "日志标识 The log's origin line.") var origin: String
        @Option(help: "新的验证密钥 The new verifier key.") var vkey: String

        func run() throws {
            let log = try WitnessService.addKey(origin: origin, vkey: vkey, directory: location.resolved)
            global.emit(log) { "日志 \(log.origin) 现有在用密钥 \(log.keys.filter(\.active).count) 个。\(log.origin) now has \(log.keys.filter(\.active).count) active keys." }
        }
    }

    struct RetireKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retire-key",
            abstract: "退役日志密钥 Retire a key of a trusted log: its signatures stop counting, for good.",
            discussion: """
                Example:
                  piaojue witness retire-key --origin 某某镇人大 --vkey '某某镇人大+1a2b3c4d+AU…'
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var location: WitnessDirectoryOption
        @Option(help: "日志标识 The log's origin line.") var origin: String
        @Option(help: "要退役的验证密钥 The verifier key to retire.") var vkey: String

        func run() throws {
            let log = try WitnessService.retireKey(origin: origin, vkey: vkey, directory: location.resolved)
            global.emit(log) { "已退役该密钥；日志 \(log.origin) 在用密钥 \(log.keys.filter(\.active).count) 个。Key retired; \(log.keys.filter(\.active).count) active keys left." }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "见证人状态 Show the witness and every log it trusts, with the latest cosigned size.",
            discussion: """
                Example:
                  piaojue witness list --json
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var location: WitnessDirectoryOption

        func run() throws {
            let listing = try WitnessService.list(directory: location.resolved)
            global.emit(listing) {
                var lines = [
                    "见证人 Witness \(listing.witness.name)（\(listing.witness.protocol)）",
                    "验证密钥 Verifier key: \(listing.witness.vkey)",
                    "受信任日志 \(listing.logs.count) 个 Trusted logs: \(listing.logs.count)",
                ]
                for log in listing.logs {
                    let state = log.size.map { "已副署到大小 \($0) cosigned up to size \($0), root \(log.root ?? "")" } ?? "尚未副署 not cosigned yet"
                    lines.append("- \(log.origin)：\(state)；副署 \(log.cosigned) 份，证据 \(log.evidence) 份 cosigned \(log.cosigned), evidence \(log.evidence)")
                    for key in log.keys {
                        lines.append("    \(key.active ? "在用 active " : "已退役 retired") \(key.vkey)")
                    }
                }
                return lines.joined(separator: "\n")
            }
        }
    }

    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "提供见证服务 Serve C2SP tlog-witness v1.0.0 at POST /add-checkpoint until SIGTERM.",
            discussion: """
                Plain HTTP, as witnesses usually are: every request and answer is signed, nothing is \
                secret. Loopback only unless --allow-remote (put a TLS proxy in front if you wish). Each \
                state change is durable before its answer. Stops gracefully on SIGTERM or Ctrl-C.

                Example:
                  piaojue witness serve --listen 127.0.0.1:7380
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var location: WitnessDirectoryOption
        @Option(help: ArgumentHelp("监听地址 Listen address (default 127.0.0.1:7380).", valueName: "host:port"))
        var listen: String?
        @Flag(help: "允许非回环地址 Allow a non-loopback listen address.") var allowRemote = false

        func run() throws {
            let address = try listen.map { text throws(WebFailure) in try ListenAddress(parsing: text) } ?? WitnessServer.defaultAddress
            let endpoint = try WitnessService.endpoint(directory: location.resolved)
            let json = global.json
            struct Started: Encodable {
                let url: String
                let name: String
                let vkey: String
                let `protocol`: String
            }
            try WitnessServer.serve(endpoint: endpoint, address: address, allowRemote: allowRemote) { bound in
                let started = Started(
                    url: "http://\(bound)/add-checkpoint", name: endpoint.name, vkey: endpoint.vkey,
                    protocol: WitnessService.protocolVersion)
                if json {
                    Output.json(started)
                } else {
                    Output.line(
                        """
                        见证人 \(started.name) 正在服务 Serving \(started.protocol) at \(started.url)
                        验证密钥 Verifier key: \(started.vkey)
                        按 Ctrl-C 或发送 SIGTERM 停止 Stop with Ctrl-C or SIGTERM.
                        """)
                }
            }
            if !json { Output.line("见证人已停止 Witness stopped.") }
        }
    }

    struct Cosign: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cosign",
            abstract: "离线副署 Answer an add-checkpoint request file offline (a township with no network).",
            discussion: """
                REQUEST is the add-checkpoint body (old N, proof lines, an empty line, the signed \
                checkpoint) as the log writes it. The response file holds `status N`, `content-type T`, \
                an empty line and the HTTP body: the cosignature line(s) on 200, the latest size on 409. \
                It is written in every case; exit status 1 when the witness refused (the code is printed).

                Example:
                  piaojue witness cosign 见证请求.txt --out 见证回复.txt
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var location: WitnessDirectoryOption
        @Argument(help: "请求文件 The request file.") var request: String
        @Option(help: "回复文件（新文件）The response file to write (must not exist).") var out: String

        func run() throws {
            let outcome = try WitnessService.cosign(requestFile: request, responseFile: out, directory: location.resolved)
            global.emit(outcome) {
                if outcome.status == 200 {
                    return "已副署，回复写入 \(outcome.out) Cosigned; the response is in \(outcome.out)\n" + outcome.cosignatures.joined(separator: "\n")
                }
                let retry = outcome.latest_size.map { "；请从大小 \($0) 重新生成请求 retry from size \($0)" } ?? ""
                return "见证人拒绝 Refused: \(outcome.status) \(outcome.code ?? "")\(retry)；回复写入 \(outcome.out)"
            }
            if outcome.status != 200 {
                Output.error("\(outcome.code ?? "witness.refused"): \(outcome.message ?? "")")
                throw ExitCode(1)
            }
        }
    }

    struct Evidence: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evidence",
            abstract: "分叉证据 Print the split views kept for a log: each refused checkpoint beside the cosigned one.",
            discussion: """
                same-size-other-root: two log-signed checkpoints of one size with different roots, a \
                proof by itself. inconsistent-proof: the log (or its client) sent a proof that does not \
                connect the checkpoint to the cosigned one. Both notes are printed in full for others to check.

                Example:
                  piaojue witness evidence 某某镇人大 --json
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var location: WitnessDirectoryOption
        @Argument(help: "日志标识 The log's origin line.") var origin: String

        func run() throws {
            let report = try WitnessService.evidence(origin: origin, directory: location.resolved)
            global.emit(report) {
                var lines = ["见证人 \(report.witness) 为日志 \(report.origin) 保存的分叉证据 \(report.evidence.count) 份 Split-view evidence kept: \(report.evidence.count)"]
                for (number, item) in report.evidence.enumerated() {
                    lines.append("")
                    lines.append("== \(number + 1). \(item.kind)，收到于 received \(item.received)，请求旧大小 old size \(item.old_size)")
                    lines.append("--- 被拒的日志签名检查点 refused, signed by the log ---")
                    lines.append(item.refused)
                    lines.append("--- 本见证人已副署的检查点 cosigned by this witness ---")
                    lines.append(item.cosigned)
                }
                return lines.joined(separator: "\n")
            }
        }
    }
}
