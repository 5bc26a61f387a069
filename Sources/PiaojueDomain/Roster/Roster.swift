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

/// The roster rules: ids plain (no space, comma, semicolon, invisible or control character; at most
/// 64 characters), unique and not look-alikes of one another (equal after NFKC and case folding:
/// `D002`, `Ｄ００２` and `d002` are one id), names present.
public enum RosterRules {
    /// Checks a roster before it is recorded and returns it with every id NFKC-normalised (the form
    /// the ledger stores); `lines` give the file line of each deputy for messages, which name ids as
    /// the file wrote them.
    @discardableResult
    public static func validate(_ deputies: [Deputy], lines: [Int], file: String) throws(RosterRefusal) -> [Deputy] {
        guard !deputies.isEmpty else { throw .empty(file: file) }
        var seen: [String: (line: Int, id: String)] = [:]
        var cleaned: [Deputy] = []
        cleaned.reserveCapacity(deputies.count)
        for (n, deputy) in deputies.enumerated() {
            let line = n < lines.count ? lines[n] : n + 2
            let typed = deputy.id.trimmingSpaces()
            guard !typed.isEmpty else {
                throw .missingID(file: file, line: line)
            }
            switch CleanText.idProblem(typed) {
            case let .invisible(scalar):
                throw .invisibleInID(file: file, line: line, id: CleanText.shown(typed, around: scalar), character: CleanText.describe(scalar))
            case let .space(scalar):
                throw .badID(file: file, line: line, id: CleanText.shown(typed, around: scalar))
            default: break
            }
            let id = CleanText.normalizedID(typed)
            guard id.count <= CleanText.maximumIDLength, !id.contains(where: { $0 == "," || $0 == ";" }) else {
                throw .badID(file: file, line: line, id: typed.count > CleanText.maximumIDLength ? String(typed.prefix(CleanText.maximumIDLength)) + "…" : typed)
            }
            guard !deputy.name.trimmingSpaces().isEmpty else {
                throw .missingName(file: file, line: line)
            }
            let key = CleanText.lookAlikeKey(id)
            if let first = seen[key] {
                if first.id == typed {
                    throw .duplicateID(file: file, line: line, id: typed, firstLine: first.line)
                }
                throw .lookAlikeID(file: file, line: line, id: typed, existing: first.id, firstLine: first.line)
            }
            seen[key] = (line, typed)
            var clean = deputy
            clean.id = id
            cleaned.append(clean)
        }
        return cleaned
    }
}
