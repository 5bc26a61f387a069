/// 双人录入: two counters enter the same pile of paper ballots independently; every ballot where
/// their readings differ (or one of them lacks it) is shown to the scrutineer (监票人), who settles
/// it with one reading or the other, or with a new one. Only a batch without an open difference is
/// ready to import.
///
/// Ballots are keyed by a value the caller derives from the code on the paper (its credential's
/// public key), so that two spellings of one code are one ballot; the key never leaves this type
/// in a message.
public struct DoubleEntry: Codable, Sendable, Equatable {
    /// One of the two counters.
    public enum Counter: String, Codable, Sendable, CaseIterable {
        case a = "A"
        case b = "B"

        /// The counter's name on the page.
        public var label: String { "录入员 \(rawValue) Counter \(rawValue)" }
    }

    /// How the scrutineer settles a difference.
    public enum Settlement: Sendable, Equatable {
        /// Counter A read it right.
        case takeA
        /// Counter B read it right.
        case takeB
        /// Both were wrong: the scrutineer's own reading of the paper.
        case reading(PaperReading)
    }

    /// One ballot where the readings differ, for the scrutineer: each side's reading, nil where
    /// that counter has not entered the ballot.
    public struct Difference: Sendable, Equatable {
        /// The ballot's key.
        public let key: String
        /// Counter A's reading.
        public let a: PaperReading?
        /// Counter B's reading.
        public let b: PaperReading?
    }

    /// The session the pile belongs to.
    public let session: String
    /// Each counter's readings by ballot key.
    public private(set) var a: [String: PaperReading] = [:]
    public private(set) var b: [String: PaperReading] = [:]
    /// The scrutineer's settlements by ballot key.
    public private(set) var settled: [String: PaperReading] = [:]
    /// Ballot keys in the order they were first entered (by either counter).
    public private(set) var order: [String] = []

    /// An empty pile of `session`.
    public init(session: String) { self.session = session }

    /// Readings of `counter` so far.
    public func readings(of counter: Counter) -> [String: PaperReading] { counter == .a ? a : b }

    /// Records `reading` by `counter`. A counter enters each ballot once: a second reading of the
    /// same ballot by the same counter is refused unless `replacing` (the counter corrects an entry).
    /// A new reading reopens a settled ballot: the scrutineer settles it again.
    public mutating func enter(_ reading: PaperReading, key: String, by counter: Counter, replacing: Bool = false) throws(CountingRefusal) {
        let existing = readings(of: counter)[key]
        if existing != nil, !replacing, existing != reading {
            throw .alreadyEntered(counter: counter.rawValue, position: position(of: key))
        }
        if !order.contains(key) { order.append(key) }
        switch counter {
        case .a: a[key] = reading
        case .b: b[key] = reading
        }
        if existing != reading { settled[key] = nil }
    }

    /// Every ballot not yet agreed: the readings differ or one side lacks the ballot, and the
    /// scrutineer has not settled it. In the order the ballots were first entered.
    public var differences: [Difference] {
        order.compactMap { key in
            guard settled[key] == nil, a[key] == nil || a[key] != b[key] else { return nil }
            return Difference(key: key, a: a[key], b: b[key])
        }
    }

    /// Ballots both counters read the same way, or settled.
    public var agreed: Int { order.count - differences.count }

    /// Settles the difference on ballot `key`.
    public mutating func settle(_ key: String, with settlement: Settlement) throws(CountingRefusal) {
        guard order.contains(key) else { throw .unknownBallot(session: session) }
        let chosen: PaperReading?
        switch settlement {
        case .takeA: chosen = a[key]
        case .takeB: chosen = b[key]
        case let .reading(reading):
            // The scrutineer ticks the marks; the code is the one the counters scanned.
            chosen = PaperReading(code: a[key]?.code ?? b[key]?.code ?? reading.code, marks: reading.choices.marks)
        }
        guard let chosen else {
            throw .nothingToTake(counter: settlement == .takeA ? Counter.a.rawValue : Counter.b.rawValue, position: position(of: key))
        }
        settled[key] = chosen
    }

    /// Whether the pile may be imported: at least one ballot and no open difference.
    public var isReconciled: Bool { !order.isEmpty && differences.isEmpty }

    /// The agreed reading of every ballot, in the order entered; refused while a difference is open.
    public func reconciled() throws(CountingRefusal) -> [PaperReading] {
        guard !order.isEmpty else { throw .nothingEntered(session: session) }
        let open = differences.count
        guard open == 0 else { throw .notReconciled(session: session, differences: open) }
        return order.compactMap { settled[$0] ?? a[$0] }
    }

    /// A ballot's place in the pile (1-based), as the pages number them.
    public func position(of key: String) -> Int { (order.firstIndex(of: key) ?? order.count) + 1 }
}

/// One paper ballot as read: the code printed on it and its marks as they stand on the paper —
/// several marks for one item (void), more 赞成 than seats (void) and no mark at all (blank)
/// included. Ids under each mark are kept sorted, so two equal readings compare equal.
public struct PaperReading: Codable, Sendable, Equatable {
    /// The code as typed or scanned.
    public let code: String
    /// The marks; each list sorted, empty lists dropped.
    public let choices: Choices

    /// A reading of `code` with `marks`.
    public init(code: String, marks: [Mark: [String]]) {
        self.code = code
        var normalised: [Mark: [String]] = [:]
        for (mark, ids) in marks where !ids.isEmpty { normalised[mark] = ids.sorted() }
        choices = Choices(normalised)
    }

    /// Whether no item is marked (a blank ballot).
    public var isBlank: Bool { choices.allMarkedIDs.isEmpty }
}

/// Why the double entry of paper ballots refuses something. Codes `counting.*`.
public enum CountingRefusal: StageRefusal, Equatable {
    /// The counter entered this ballot already, with other marks.
    case alreadyEntered(counter: String, position: Int)
    /// The settlement names a reading that counter never entered.
    case nothingToTake(counter: String, position: Int)
    /// No such ballot in the pile.
    case unknownBallot(session: String)
    /// Differences remain: nothing is imported.
    case notReconciled(session: String, differences: Int)
    /// Nothing has been entered for the session.
    case nothingEntered(session: String)
    /// The counter is neither A nor B.
    case unknownCounter(counter: String)

    public var codePrefix: String { "counting" }

    public var exitStatus: Int32 {
        switch self {
        case .unknownCounter, .unknownBallot: 2
        default: 1
        }
    }

    public var description: String {
        switch self {
        case let .alreadyEntered(counter, position):
            "录入员 \(counter) 已录入过这张选票（第 \(position) 张），且标记不同；如需更正请勾选“更正”后再录入。Counter \(counter) already entered this ballot (no. \(position)) with other marks; tick “correct” to replace it."
        case let .nothingToTake(counter, position):
            "录入员 \(counter) 没有录入第 \(position) 张选票，不能采用其录入。Counter \(counter) did not enter ballot no. \(position)."
        case let .unknownBallot(session):
            "会期 \(session) 的录入中没有这张选票。There is no such ballot in the entries of session \(session)."
        case let .notReconciled(session, differences):
            "会期 \(session) 的双人录入还有 \(differences) 张选票不一致，须由监票人逐张核定后才能导入；未导入任何选票。\(differences) ballots of session \(session) still differ between the two counters: settle each before importing; nothing was imported."
        case let .nothingEntered(session):
            "会期 \(session) 尚未录入任何纸质选票。No paper ballot has been entered for session \(session)."
        case let .unknownCounter(counter):
            "录入员应为 A 或 B，而不是“\(counter)”。The counter is A or B, not \(counter)."
        }
    }
}
