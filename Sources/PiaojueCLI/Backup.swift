import ArgumentParser

extension Piaojue {
    /// `piaojue backup`.
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "在线备份账本 Back up the ledger while in use.")
    }
}
