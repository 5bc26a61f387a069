import ArgumentParser

extension Piaojue {
    /// `piaojue implement`: Stage 3 · 组织实施.
    struct Implement: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "组织实施 Implementation plans, progress and decided adjustments.")
    }
}
