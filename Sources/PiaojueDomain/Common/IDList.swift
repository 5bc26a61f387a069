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
