import Foundation
import PiaojueTestSupport
import Testing

/// The help a newcomer reads: every command, group or leaf, shows an example; the root lists the
/// stages in pipeline order; shell completion scripts are generated.
@Suite("Help end to end")
struct HelpEndToEndTests {
    /// `piaojue [path] --help`.
    static func help(_ path: [String]) throws -> RunResult {
        let directory = TemporaryDirectory("piaojue-help")
        return try PiaojueBinary(directory: directory.url).run(path + ["--help"])
    }

    /// The subcommand names a help page lists under its `… SUBCOMMANDS:` headings.
    static func subcommands(in help: String) -> [String] {
        var names: [String] = []
        var inSection = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasSuffix("SUBCOMMANDS:") {
                inSection = true
                continue
            }
            guard inSection else { continue }
            if line.isEmpty {
                inSection = false
                continue
            }
            // An entry starts two spaces in with a lower-case name; wrapped abstracts are indented deeper.
            guard line.hasPrefix("  "), !line.hasPrefix("   "),
                let name = line.dropFirst(2).split(separator: " ").first,
                let first = name.first, first.isLowercase, first.isASCII
            else { continue }
            names.append(String(name))
        }
        return names
    }

    /// Every command path below the root with its help page, found by walking the help pages.
    static func commandTree() throws -> [(path: [String], help: RunResult)] {
        var found: [(path: [String], help: RunResult)] = []
        var queue: [[String]] = [[]]
        while !queue.isEmpty {
            let path = queue.removeFirst()
            let result = try help(path)
            if !path.isEmpty { found.append((path, result)) }
            for name in subcommands(in: result.stdout) { queue.append(path + [name]) }
        }
        return found
    }

    @Test func everySubcommandHasAnExample() throws {
        let tree = try Self.commandTree()
        let names = Set(tree.map { $0.path.joined(separator: " ") })
        // The walk found the tree, not a fragment of it.
        for expected in [
            "init", "roster import", "collect shortlist", "ballot cast", "ballot runoff", "audit check-receipt",
            "implement problem open", "implement adjust", "evaluate rectify", "log",
        ] {
            #expect(names.contains(expected), "the help tree lacks `\(expected)`: \(names.sorted())")
        }
        #expect(tree.count >= 50, "only \(tree.count) commands found")
        for (path, result) in tree {
            #expect(result.status == 0, "piaojue \(path.joined(separator: " ")) --help exited \(result.status)")
            #expect(result.stdout.contains("Example"), "piaojue \(path.joined(separator: " ")) --help shows no example")
        }
    }

    @Test func rootListsTheStagesInPipelineOrder() throws {
        let text = try Self.help([]).stdout
        let headings = ["准备 SETUP", "1 征集初定", "2 审议票决", "公开核验", "3 组织实施", "4 监督评议", "账本 LEDGER"]
        let positions = try headings.map { heading in
            try #require(text.range(of: heading), "root help lacks the group \(heading)").lowerBound
        }
        #expect(positions == positions.sorted(), "groups out of pipeline order")
        #expect(text.contains("Example"))
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScripts(shell: String) throws {
        let directory = TemporaryDirectory("piaojue-help")
        let result = try PiaojueBinary(directory: directory.url).run(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        for word in ["piaojue", "ballot", "evaluate", "check-receipt"] {
            #expect(result.stdout.contains(word), "the \(shell) completion script lacks \(word)")
        }
    }
}
