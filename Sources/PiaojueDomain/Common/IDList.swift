/// Lists of ids as clerks type them: `P1,P2`, `P1 P2`, `P1；P2`, `P1、P2`, on the command line, in
/// a paper-ballot cell or a check-in file. The one splitter every input uses.
public enum IDList {
    /// The separators: ASCII and full-width commas and semicolons, the enumeration comma, whitespace.
    public static func isSeparator(_ character: Character) -> Bool {
        ",，;；、".contains(character) || character.isWhitespace
    }

    /// The ids in `text`, in order, empty pieces dropped.
    public static func split(_ text: String) -> [String] {
        text.split(whereSeparator: { isSeparator($0) }).map(String.init)
    }

    /// The ids of several arguments, each possibly a list itself.
    public static func split(_ values: [String]) -> [String] {
        values.flatMap { split($0) }
    }
}

extension IDList {
    /// The ids in `text`, in order, each checked and normalised by ``CleanText/id(_:field:)``
    /// (`Ｐ１，Ｐ２` is `P1`, `P2`; an id holding an invisible character is refused).
    public static func parse(_ text: String, field: String) throws(InputFailure) -> [String] {
        var ids: [String] = []
        for piece in split(text) { ids.append(try CleanText.id(piece, field: field)) }
        return ids
    }

    /// The ids of several arguments, each possibly a list itself, checked and normalised.
    public static func parse(_ values: [String], field: String) throws(InputFailure) -> [String] {
        var ids: [String] = []
        for value in values { ids.append(contentsOf: try parse(value, field: field)) }
        return ids
    }
}
