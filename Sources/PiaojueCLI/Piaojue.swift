import ArgumentParser

/// The `piaojue` command: the four stages of 民生实事项目人大代表票决制 over one verifiable ledger.
struct Piaojue: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "piaojue",
        abstract: "票决 Piaojue — 民生实事项目人大代表票决制：征集、票决、实施、测评，一本可核验的账本。",
        discussion: """
            People propose, deputies decide by secret ballot, the government delivers, the congress \
            supervises — every step one signed entry in an append-only ledger anyone can verify.

            Global options go anywhere: --db PATH (default $PIAOJUE_DB or ./piaojue.sqlite), \
            --key PATH (default $PIAOJUE_KEY or <db>.key), --json. Rules presets are read from \
            $PIAOJUE_CONFIG (default ./Config); the default preset is built in. $PIAOJUE_NOW \
            (YYYY-MM-DD) fixes today's date, for entering a meeting's records afterwards.
            Exit status: 0 done; 1 refused by a rule or verification failed; 2 bad usage or input.
            Shell completion: piaojue --generate-completion-script bash|zsh|fish.

            Example:
              piaojue init --body 某某县人民代表大会 --level county
              piaojue roster import deputies.csv
              piaojue collect import 建议项目汇总.csv
              piaojue ballot open --list L1
              piaojue help ballot cast
            """,
        version: Piaojue.version,
        groupedSubcommands: [
            CommandGroup(name: "准备 Setup", subcommands: [Init.self, Roster.self]),
            CommandGroup(name: "1 征集初定 Collection", subcommands: [Collect.self]),
            CommandGroup(name: "2 审议票决 Ballot", subcommands: [Ballot.self]),
            CommandGroup(name: "会场 Plenary hall", subcommands: [Serve.self]),
            CommandGroup(name: "公开核验 Audit", subcommands: [Audit.self]),
            CommandGroup(name: "3 组织实施 Implementation", subcommands: [Implement.self]),
            CommandGroup(name: "4 监督评议 Evaluation", subcommands: [Evaluate.self]),
            CommandGroup(name: "账本 Ledger", subcommands: [Log.self, Backup.self]),
            CommandGroup(name: "联邦 Federation", subcommands: [Witness.self, Rollup.self]),
        ])

    @OptionGroup var global: GlobalOptions

    init() {}
}
