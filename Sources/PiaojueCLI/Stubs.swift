import ArgumentParser

extension Piaojue {
    /// `piaojue implement`: Stage 3 · 组织实施.
    struct Implement: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "组织实施 Implementation plans, progress and decided adjustments.")
    }

    /// `piaojue evaluate`: Stage 4 · 监督评议.
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "监督评议 Year-end satisfaction ratings.")
    }

    /// `piaojue backup`.
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "在线备份账本 Back up the ledger while in use.")
    }
}
