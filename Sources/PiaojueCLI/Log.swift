import ArgumentParser
import PiaojueServices

extension Piaojue {
    /// `piaojue log`: the entries, newest last.
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log",
            abstract: "查看账本条目 List ledger entries, newest last.",
            discussion: """
                Example:
                  piaojue log --kind collect.submit --limit 20
                  piaojue log --session S1 --json
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: "只看某类条目 Only entries of this kind (prefix match: collect, ballot, session …).")
        var kind: String?

        @Option(help: "只看某个会期 Only entries of this session (S1, R1 …).")
        var session: SessionID?

        @Option(parsing: .unconditional, help: "只显示最后 N 条 Only the last N entries.")
        var limit: Int?

        func run() throws {
            if let limit, limit < 1 { throw UsageFailure.limit }
            let log = try LedgerQueries.log(kind: kind, session: try session.value(), limit: limit, workspace: global.workspace())
            global.emit(log) {
                log.entries.map { "#\($0.index)  \($0.time)  \($0.kind)  \($0.summary)" }.joined(separator: "\n")
            }
        }
    }
}
