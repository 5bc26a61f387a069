import ArgumentParser
import Foundation
import PiaojueServices
import PiaojueWeb

extension Piaojue {
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "会场服务 Serve the voting booth (/booth), the big screen (/screen) and the JSON API until SIGTERM.",
            discussion: """
                Listens on 127.0.0.1:8080 by default. Any other address is served over HTTPS only: give \
                --tls-cert and --tls-key (PEM files), or --tls-self-signed to make an ECDSA P-256 \
                certificate beside the ledger (<db>.tls-cert.pem, key <db>.tls-key.pem mode 0600, kept \
                for later runs) and print its SHA-256 fingerprint for the tablets to check. Ballots cast \
                together are committed together (one transaction, random order, one time, one \
                checkpoint) and each is answered only after its commit. Nothing is logged about a \
                ballot: no code, no source address, no arrival time. SIGTERM or Ctrl-C stops taking \
                requests, answers those in flight, commits and exits. The clerk's console (/console) \
                takes the console token: made on the first run beside the ledger (<db>.console-token, \
                mode 0600) and printed once; --new-console-token replaces it.

                Example:
                  piaojue serve
                  piaojue serve --listen 0.0.0.0:8443 --tls-self-signed
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("监听地址 Listen address (default 127.0.0.1:8080).", valueName: "host:port"))
        var listen: String?
        @Option(help: ArgumentHelp("HTTPS 证书 The TLS certificate chain (PEM).", valueName: "file")) var tlsCert: String?
        @Option(help: ArgumentHelp("HTTPS 私钥 The TLS private key (PEM).", valueName: "file")) var tlsKey: String?
        @Flag(help: "自签 HTTPS 证书 Make (or reuse) a self-signed certificate beside the ledger.") var tlsSelfSigned = false
        @Flag(help: "更换控制台口令 Replace the console token (<db>.console-token, mode 0600) and print the new one.")
        var newConsoleToken = false

        func validate() throws {
            if tlsSelfSigned, tlsCert != nil || tlsKey != nil {
                throw UsageFailure.exclusive(options: ["--tls-self-signed", "--tls-cert/--tls-key"])
            }
        }

        func run() throws {
            let address = try listen.map { text throws(WebFailure) in try ListenAddress(parsing: text) } ?? PlenaryServer.defaultAddress
            let workspace = try global.workspace()
            let files: ServeSetup.TLSFiles?
            switch (tlsCert, tlsKey, tlsSelfSigned) {
            case let (certificate?, key?, false): files = try ServeSetup.given(certificate: certificate, key: key)
            case (nil, nil, true): files = try ServeSetup.selfSigned(hosts: [address.host], workspace: workspace)
            case (nil, nil, false): files = nil
            default: throw ServeFailure.tlsPair
            }
            if files == nil, !address.isLoopback { throw ServeFailure.needsTLS(address: address.description) }
            let plenary = try PlenaryService(workspace: workspace)
            let token = try ConsoleToken.prepare(workspace: workspace, rotate: newConsoleToken)
            let console = ConsoleService(plenary: plenary, token: token.token)
            let transport: PlenaryServer.Transport = files.map { .tls(certificatePath: $0.certificatePath, keyPath: $0.keyPath) } ?? .plain
            let json = global.json
            try PlenaryServer.serve(plenary: plenary, console: console, address: address, transport: transport) { bound in
                let base = "\(files == nil ? "http" : "https")://\(bound)"
                let started = ServeOutput(
                    booth: base + "/booth", screen: base + "/screen", api: base + "/api/v1", fingerprint: files?.fingerprint,
                    certificate: files?.certificatePath, console: base + "/console", consoleToken: token.created ? token.token : nil,
                    consoleTokenFile: token.path)
                if json {
                    Output.json(started)
                } else {
                    var text = """
                        票决会场服务已启动 Serving the plenary hall:
                          投票 Booth:       \(started.booth)
                          大屏 Big screen:  \(started.screen)
                          接口 API:         \(started.api)
                          控制台 Console:   \(base)/console
                        """
                    if token.created {
                        text += "\n  控制台口令（仅显示这一次，另存于 \(token.path)）Console token, shown once (kept in \(token.path)):\n    \(token.token)"
                    } else {
                        text += "\n  控制台口令见 Console token in: \(token.path)"
                    }
                    if let files {
                        text += "\n  证书指纹 Certificate SHA-256: \(files.fingerprint)"
                        text += "\n  （请在平板上核对此指纹 Check this fingerprint on each tablet）\(files.created ? " — 新证书 new certificate: \(files.certificatePath)" : "")"
                    }
                    text += "\n按 Ctrl-C 或发送 SIGTERM 停止 Stop with Ctrl-C or SIGTERM."
                    Output.line(text)
                }
            }
            let totals = plenary.totals
            if !json { Output.line("会场服务已停止：本次共提交 \(totals.groups) 组、\(totals.ballots) 张选票。Stopped: \(totals.ballots) ballots in \(totals.groups) commits.") }
        }
    }
}
