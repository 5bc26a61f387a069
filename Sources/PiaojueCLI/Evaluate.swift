import ArgumentParser

extension Piaojue {
    /// `piaojue evaluate`: Stage 4 · 监督评议.
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "监督评议 Year-end satisfaction ratings.")
    }
}
