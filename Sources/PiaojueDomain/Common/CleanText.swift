// Foundation only for Unicode normalisation (NFKC) and case folding, which the standard library
// does not offer; nothing here reads a file or a clock.
import Foundation

/// The one rule for what an id or a free-text field may hold, used by every parser (files and the
/// command line) before anything reaches the ledger.
///
/// - An **id** (deputy, proposal, candidate, project, session, milestone, problem) is stored
///   NFKC-normalised, so that `Ｄ００２` typed on a full-width keyboard is `D002`; it may hold no
///   invisible or control character (Unicode Cc, Cf — zero-width spaces and joiners, U+FEFF, the
///   soft hyphen, bidirectional controls — default-ignorable or private-use characters) and no
///   space. Two ids are **look-alikes** when they are equal after NFKC and case folding (`d002`,
///   `Ｄ００２` and `D002`): a new id that is a look-alike of an existing one is refused.
/// - A **free-text** field (titles, content, names, units, notes, reasons, references …) may hold
///   no C0 control but tab (and line feed where the field is multi-line), no DEL, no C1 control
///   (U+0080–U+009F) and no carriage return that does not end a line (CRLF becomes LF).
public enum CleanText {
    /// The first character that makes an id or a text unacceptable, and why.
    public enum Problem: Sendable, Equatable {
        /// An invisible or control character in an id.
        case invisible(Unicode.Scalar)
        /// A space of any kind inside an id.
        case space(Unicode.Scalar)
        /// A C0 or C1 control character or DEL in a text.
        case control(Unicode.Scalar)
        /// A line break in a single-line field.
        case lineBreak
        /// A carriage return not followed by a line feed.
        case bareCarriageReturn
    }

    // MARK: Ids

    /// Whether `scalar` is invisible or a control character: general category Cc (control), Cf
    /// (format: U+200B–U+200F, U+202A–U+202E, U+2060–U+206F, U+FEFF, U+00AD …) or Co (private use),
    /// or a default-ignorable code point (variation selectors, U+034F, the Hangul fillers …).
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII: exactly the Cc controls (no ASCII character is Cf, Co or default-ignorable).
        if scalar.isASCII { return scalar.value < 0x20 || scalar.value == 0x7F }
        switch scalar.properties.generalCategory {
        case .control, .format, .privateUse, .surrogate: return true
        default: return scalar.properties.isDefaultIgnorableCodePoint
        }
    }

    /// Whether `scalar` is a space or a line or paragraph separator.
    public static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII: the space and the white-space controls U+0009–U+000D.
        if scalar.isASCII { return scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value) }
        switch scalar.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        default: return scalar.properties.isWhitespace
        }
    }

    /// The id as stored: spaces around it dropped, NFKC-normalised. It is not checked (see
    /// ``idProblem(_:)``).
    public static func normalizedID(_ text: String) -> String {
        nfkc(text.trimmingSpaces())
    }

    /// `text` in NFKC; ASCII, which NFKC leaves as it is, is returned without the Unicode tables.
    static func nfkc(_ text: String) -> String {
        isASCII(text) ? text : text.precomposedStringWithCompatibilityMapping
    }

    static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }

    /// What is wrong with `text` as an id (spaces around it are allowed and dropped), or nil.
    public static func idProblem(_ text: String) -> Problem? {
        let trimmed = text.trimmingSpaces()
        for scalar in trimmed.unicodeScalars {
            if isSpace(scalar) { return .space(scalar) }
            if isInvisible(scalar) { return .invisible(scalar) }
        }
        // NFKC may turn a visible character into a space (U+2000-style spaces are caught above; a
        // few compatibility forms decompose to a space plus a mark).
        for scalar in nfkc(trimmed).unicodeScalars where isSpace(scalar) || isInvisible(scalar) {
            return isSpace(scalar) ? .space(scalar) : .invisible(scalar)
        }
        return nil
    }

    /// The longest id accepted, in characters (a roster's ids are checked against the same).
    public static let maximumIDLength = 64

    /// The id `text` as stored (``normalizedID(_:)``); refused when it holds an invisible or control
    /// character or a space, or is longer than ``maximumIDLength`` (its message shows only the
    /// first 7 characters: something typed as an id may be a credential code). `field` names it
    /// in the message (`会期 session`, `代表编号 deputy id`).
    public static func id(_ text: String, field: String) throws(InputFailure) -> String {
        if let problem = idProblem(text) {
            switch problem {
            case let .space(scalar):
                throw .spaceInID(field: field, id: shown(text.trimmingSpaces(), around: scalar), character: describe(scalar))
            case let .invisible(scalar):
                throw .invisibleInID(field: field, id: shown(text.trimmingSpaces(), around: scalar), character: describe(scalar))
            default: break
            }
        }
        let id = normalizedID(text)
        guard id.count <= maximumIDLength else {
            throw .idTooLong(field: field, start: String(id.prefix(7)), length: id.count, limit: maximumIDLength)
        }
        return id
    }

    /// The form two ids are compared in for look-alikes: NFKC, case folded, NFKC again.
    public static func lookAlikeKey(_ id: String) -> String {
        // ASCII: NFKC leaves it as it is and case folding lowers A–Z only.
        if isASCII(id) { return id.lowercased() }
        return id.precomposedStringWithCompatibilityMapping.folding(options: [.caseInsensitive], locale: nil)
            .precomposedStringWithCompatibilityMapping
    }

    /// The first of `existing` that `id` is a look-alike of without being equal to it, or nil.
    public static func lookAlike(of id: String, in existing: some Sequence<String>) -> String? {
        let key = lookAlikeKey(id)
        return existing.first { $0 != id && lookAlikeKey($0) == key }
    }

    // MARK: Free text

    /// What is wrong with `text` as a free-text field, or nil. `multiline` allows line feeds
    /// (and CRLF line ends).
    public static func textProblem(_ text: String, multiline: Bool = false) -> Problem? {
        firstTextProblem(Array(text.unicodeScalars), multiline: multiline)?.problem
    }

    /// The first problem of a text and the position of its scalar.
    static func firstTextProblem(_ scalars: [Unicode.Scalar], multiline: Bool) -> (problem: Problem, at: Int)? {
        for (n, scalar) in scalars.enumerated() {
            switch scalar.value {
            case 0x09: continue
            case 0x0A:
                if !multiline { return (.lineBreak, n) }
            case 0x0D:
                guard n + 1 < scalars.count, scalars[n + 1] == "\n" else { return (.bareCarriageReturn, n) }
                if !multiline { return (.lineBreak, n) }
            case 0x00...0x1F, 0x7F...0x9F: return (.control(scalar), n)
            default: continue
            }
        }
        return nil
    }

    /// The free text `text` as stored (CRLF line ends as LF); refused when ``textProblem(_:multiline:)``
    /// finds a problem. `field` names it in the message (`项目名称 title`).
    public static func text(_ text: String, field: String, multiline: Bool = false) throws(InputFailure) -> String {
        let scalars = Array(text.unicodeScalars)
        if let (problem, at) = firstTextProblem(scalars, multiline: multiline) {
            let shown = visible(snippet(scalars, around: at))
            switch problem {
            case let .control(scalar): throw .controlCharacter(field: field, text: shown, character: describe(scalar))
            case .lineBreak: throw .lineBreak(field: field, text: shown)
            case .bareCarriageReturn: throw .bareCarriageReturn(field: field, text: shown)
            default: break
            }
        }
        guard multiline, text.unicodeScalars.contains("\r") else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where scalar != "\r" { out.append(scalar) }
        return String(out)
    }

    /// ``text(_:field:multiline:)`` for an optional value.
    public static func text(_ value: String?, field: String, multiline: Bool = false) throws(InputFailure) -> String? {
        guard let value else { return nil }
        let checked: String = try text(value, field: field, multiline: multiline)
        return checked
    }

    // MARK: Showing what was refused

    /// `text` with every invisible, control or unusual space character written as `<U+200B>`, so
    /// that a message shows what was typed and never sends a control sequence to the terminal.
    public static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\u{3000}" || !(isInvisible(scalar) || isSpace(scalar) || (0x80...0x9F).contains(scalar.value)) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "<" + codePoint(scalar) + ">"
            }
        }
        return out
    }

    /// `text` as a message shows it: the stretch around the first `scalar` (see ``visible(_:)``),
    /// so that a refused id or text of any length gives a short message.
    public static func shown(_ text: String, around scalar: Unicode.Scalar) -> String {
        let scalars = Array(text.unicodeScalars)
        return visible(snippet(scalars, around: scalars.firstIndex(of: scalar) ?? 0))
    }

    /// `U+200B ZERO WIDTH SPACE`, `U+001B ESCAPE`: the code point and, when known, its name.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        let name = scalar.properties.name ?? scalar.properties.nameAlias ?? controlNames[scalar.value]
        return codePoint(scalar) + (name.map { " " + $0 } ?? "")
    }

    /// The names of the control characters (Unicode gives them as aliases only).
    static let controlNames: [UInt32: String] = [
        0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "CHARACTER TABULATION", 0x0A: "LINE FEED",
        0x0B: "LINE TABULATION", 0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE",
        0x85: "NEXT LINE", 0x9B: "CONTROL SEQUENCE INTRODUCER", 0x9D: "OPERATING SYSTEM COMMAND",
    ]

    /// `text` fit for a terminal: every C0 control but tab and line feed, a carriage return that
    /// does not end a line, DEL and every C1 control written as `<U+001B>`. For output of what the
    /// ledger already holds (an entry recorded before these rules, a file name).
    public static func printable(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return text }
        var out = ""
        for (n, scalar) in scalars.enumerated() {
            switch scalar.value {
            case 0x09, 0x0A: out.unicodeScalars.append(scalar)
            case 0x0D where n + 1 < scalars.count && scalars[n + 1] == "\n": out.unicodeScalars.append(scalar)
            case 0x00...0x1F, 0x7F...0x9F: out += "<" + codePoint(scalar) + ">"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The text around position `at` (up to 24 characters before it and 8 after), for a message.
    static func snippet(_ scalars: [Unicode.Scalar], around at: Int) -> String {
        let start = max(0, at - 24)
        let end = min(scalars.count, at + 9)
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[start..<end])
        return (start > 0 ? "…" : "") + String(out) + (end < scalars.count ? "…" : "")
    }
}
