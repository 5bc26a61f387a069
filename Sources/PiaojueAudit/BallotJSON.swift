import PiaojueCrypto
import PiaojueDomain

/// Ballot payloads `{session, choices}` built and read straight as JSON values (no Codable), in one
/// place for the writer, the tally and the verifier: a ledger holds a million of them.
public enum BallotJSON {
    /// The payload a credential signs.
    public static func payload(session: String, choices: Choices) -> JSONValue {
        var marks = JSONObject()
        for mark in Mark.allCases {
            if let ids = choices.marks[mark] { marks[mark.rawValue] = .array(ids.map { .string($0) }) }
        }
        return .object(JSONObject(["session": .string(session), "choices": .object(marks)]))
    }

    /// The choices of a ballot payload, or nil when it is not one.
    public static func choices(_ payload: JSONValue) -> Choices? {
        guard let object = payload["choices"]?.objectValue else { return nil }
        var marks: [Mark: [String]] = [:]
        for member in object.members {
            guard let mark = Mark(rawValue: member.key), let items = member.value.arrayValue else { return nil }
            var ids: [String] = []
            ids.reserveCapacity(items.count)
            for item in items {
                guard let id = item.stringValue else { return nil }
                ids.append(id)
            }
            marks[mark] = ids
        }
        return Choices(marks)
    }
}
