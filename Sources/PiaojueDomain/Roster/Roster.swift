/// A deputy (代表) on the seated roster. Public: attendance is public, ballots are not.
public struct Deputy: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case seated
        /// 暂停代表职务: counts as seated (实有) for the quorum but does not vote.
        case suspended
    }

    public var id: String
    public var name: String
    /// 代表团 or electoral unit.
    public var delegation: String?
    public var status: Status

    public init(id: String, name: String, delegation: String? = nil, status: Status = .seated) {
        self.id = id
        self.name = name
        self.delegation = delegation
        self.status = status
    }
}

/// `roster.import`: the seated roster (实有代表), replacing any earlier one for later sessions.
public struct RosterImported: EntryPayload, Equatable {
    public static let kind = "roster.import"
    public var deputies: [Deputy]
    /// 实有代表: everyone on the roster, suspended included.
    public var seated: Int
    /// SHA-256 (hex) of the canonical JSON of `deputies`, frozen into each session that uses it.
    public var rosterHash: String
    public var file: String?

    public init(deputies: [Deputy], seated: Int, rosterHash: String, file: String?) {
        self.deputies = deputies
        self.seated = seated
        self.rosterHash = rosterHash
        self.file = file
    }
}

/// The roster rules: ids unique and non-empty, names non-empty.
public enum RosterRules {
    /// Checks a roster before it is recorded; `lines` give the file line of each deputy for messages.
    public static func validate(_ deputies: [Deputy], lines: [Int], file: String) throws(RosterRefusal) {
        guard !deputies.isEmpty else { throw .empty(file: file) }
        var seen: [String: Int] = [:]
        for (n, deputy) in deputies.enumerated() {
            let line = n < lines.count ? lines[n] : n + 2
            guard !deputy.id.trimmingSpaces().isEmpty else {
                throw .missingID(file: file, line: line)
            }
            guard deputy.id.count <= 64, !deputy.id.contains(where: { $0 == "," || $0 == ";" || $0.isWhitespace }) else {
                throw .badID(file: file, line: line, id: deputy.id)
            }
            guard !deputy.name.trimmingSpaces().isEmpty else {
                throw .missingName(file: file, line: line)
            }
            if let first = seen[deputy.id] {
                throw .duplicateID(file: file, line: line, id: deputy.id, firstLine: first)
            }
            seen[deputy.id] = line
        }
    }
}
