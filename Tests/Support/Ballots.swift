import Foundation

/// Credential codes as tests meet them: read back from a slips file, or mistyped on purpose.
public enum CredentialCodes {
    /// The codes of a slips file: its lines that are neither comments nor blank.
    public static func read(slips path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// `code` with its 21st character changed: the checksum no longer holds.
    public static func mistyped(_ code: String) -> String {
        String(code.prefix(20)) + (code.dropFirst(20).first == "7" ? "8" : "7") + String(code.dropFirst(21))
    }
}

/// Ballot sets built to give known counts.
public enum BallotSets {
    /// Ballots that give candidate P(n+1) exactly `approvals[n]` 赞成 without exceeding `seats`
    /// approvals on any ballot (greedy: the emptiest ballots first). `seats` bounds nothing by
    /// itself; it documents the intent and the counts must allow it.
    public static func approvals(_ approvals: [Int], voters: Int, seats: Int) -> [[String]] {
        var ballots = Array(repeating: [String](), count: voters)
        for (n, count) in approvals.enumerated() {
            let targets = ballots.indices.sorted { (ballots[$0].count, $0) < (ballots[$1].count, $1) }.prefix(count)
            for index in targets { ballots[index].append("P\(n + 1)") }
        }
        return ballots
    }
}
