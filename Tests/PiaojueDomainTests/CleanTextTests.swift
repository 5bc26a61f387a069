import Foundation
import PiaojueDomain
import PiaojueTestSupport
import Testing

/// Ids and free text (``CleanText``): what is stored, what is refused and how a refusal shows what
/// was typed.
@Suite struct CleanTextTests {
    @Test(arguments: [("Ｄ００２", "D002"), (" D002\u{3000}", "D002"), ("Ｐ１２", "P12"), ("Ｓ１", "S1"), ("D002", "D002"), ("代表一", "代表一")])
    func idsAreStoredNFKCNormalised(_ typed: String, _ stored: String) throws {
        #expect(try CleanText.id(typed, field: "代表编号 deputy id") == stored)
    }

    @Test(arguments: [
        "D002\u{200B}", "\u{200B}D002", "D0\u{200C}02", "D0\u{200D}02", "\u{FEFF}D002", "D0\u{00AD}02", "D002\u{202E}", "D002\u{2066}",
        "D002\u{1B}", "D\u{7F}002", "D002\u{9B}", "D002\u{FE0F}", "D002\u{E000}", "D\u{2060}002",
    ])
    func anIDWithAnInvisibleOrControlCharacterIsRefused(_ typed: String) {
        #expect {
            try CleanText.id(typed, field: "代表编号 deputy id")
        } throws: { error in
            guard let failure = error as? InputFailure, case let .invisibleInID(field, id, _) = failure else { return false }
            // The message shows the character as a code point, never the character itself.
            return field == "代表编号 deputy id" && id.contains("<U+") && failure.code == "input.invisible-in-id"
                && !failure.description.unicodeScalars.contains { CleanText.isInvisible($0) }
        }
    }

    @Test(arguments: ["D 002", "D\u{00A0}002", "D\u{3000}002", "D\t002", "D\u{2028}002", "D002\u{85}"])
    func anIDWithASpaceInsideIsRefused(_ typed: String) {
        #expect(throws: InputFailure.self) { try CleanText.id(typed, field: "会期编号 session") }
        #expect(CleanText.idProblem(typed).map { if case .space = $0 { true } else { false } } == true)
    }

    /// An id over 64 characters is refused showing only its first 7: what is typed as an id may
    /// be a credential code, which no message repeats.
    @Test func anIDOverSixtyFourCharactersIsRefusedShowingOnlyItsStart() throws {
        #expect(try CleanText.id(String(repeating: "Ａ", count: 64), field: "会期 session") == String(repeating: "A", count: 64))
        let code = String(repeating: "K7Q2-", count: 13) + "K7Q2"
        #expect(throws: InputFailure.idTooLong(field: "会期 session", start: "K7Q2-K7", length: 69, limit: 64)) {
            try CleanText.id(code, field: "会期 session")
        }
        let failure = InputFailure.idTooLong(field: "会期 session", start: "K7Q2-K7", length: 69, limit: 64)
        #expect(failure.code == "input.id-too-long" && failure.exitStatus == 2 && !failure.description.contains("K7Q2-K7Q"))
    }

    @Test func lookAlikesAreEqualAfterNFKCAndCaseFolding() {
        #expect(CleanText.lookAlikeKey("D002") == CleanText.lookAlikeKey("d002"))
        #expect(CleanText.lookAlikeKey("D002") == CleanText.lookAlikeKey("Ｄ００２"))
        #expect(CleanText.lookAlikeKey("D002") == CleanText.lookAlikeKey("ｄ００２"))
        #expect(CleanText.lookAlikeKey("Straße") == CleanText.lookAlikeKey("STRASSE"))
        #expect(CleanText.lookAlikeKey("D002") != CleanText.lookAlikeKey("D020"))
        #expect(CleanText.lookAlike(of: "d002", in: ["D001", "D002"]) == "D002")
        #expect(CleanText.lookAlike(of: "D002", in: ["D001", "D002"]) == nil)
        #expect(CleanText.lookAlike(of: "D003", in: ["D001", "D002"]) == nil)
    }

    @Test(arguments: [
        ("路灯\u{1B}[31m红", "input.control-character"), ("路灯\u{7}", "input.control-character"), ("路灯\u{7F}", "input.control-character"),
        ("路灯\u{9B}31m", "input.control-character"), ("路灯\u{85}", "input.control-character"), ("路灯\u{0}", "input.control-character"),
        ("路灯\r改写", "input.bare-carriage-return"), ("路灯\n改写", "input.line-break"), ("路灯\r\n改写", "input.line-break"),
    ])
    func aSingleLineTextWithAControlIsRefused(_ text: String, _ code: String) {
        #expect {
            try CleanText.text(text, field: "项目名称 title")
        } throws: { error in
            guard let failure = error as? InputFailure else { return false }
            return failure.code == code && failure.description.hasPrefix("项目名称 title")
                && !failure.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        }
    }

    @Test func tabsAreTextAndLineBreaksAreTextWhereAFieldSpansLines() throws {
        #expect(try CleanText.text("路灯\t照明", field: "项目名称 title") == "路灯\t照明")
        #expect(try CleanText.text("第一行\r\n第二行\n第三行", field: "建设内容 content", multiline: true) == "第一行\n第二行\n第三行")
        #expect(throws: InputFailure.self) { try CleanText.text("第一行\r第二行", field: "建设内容 content", multiline: true) }
        #expect(throws: InputFailure.self) { try CleanText.text("第一行\n\u{1B}[2J", field: "建设内容 content", multiline: true) }
        #expect(try CleanText.text(nil as String?, field: "实施地点 location") == nil)
        // Invisible format characters are not controls: an emoji sequence with a joiner is text.
        #expect(try CleanText.text("👩\u{200D}🔧 维修", field: "说明 note") == "👩\u{200D}🔧 维修")
    }

    @Test func aLongTextIsShownAroundTheCharacterRefused() {
        let text = String(repeating: "甲", count: 100) + "\u{1B}[31m" + String(repeating: "乙", count: 100)
        let failure = Result(catching: { () throws(InputFailure) in try CleanText.text(text, field: "建设内容 content") }).failure
        guard case let .controlCharacter(field: _, text: shown, character: character)? = failure else {
            Issue.record("not refused")
            return
        }
        #expect(shown.contains("<U+001B>[31m"))
        #expect(shown.count < 60)
        #expect(character == "U+001B ESCAPE")
    }

    @Test func printableTextKeepsLinesAndTabsAndShowsControls() {
        #expect(CleanText.printable("P1\t路灯\u{1B}[31m红\n") == "P1\t路灯<U+001B>[31m红\n")
        #expect(CleanText.printable("a\rb") == "a<U+000D>b")
        #expect(CleanText.printable("a,b\r\nc,d\r\n") == "a,b\r\nc,d\r\n")
        #expect(CleanText.printable("普通文字") == "普通文字")
    }

    @Test func aRosterRefusesLookAlikesNamingBoth() {
        let deputies = [Deputy(id: "D001", name: "甲"), Deputy(id: "D002", name: "乙"), Deputy(id: "Ｄ００２", name: "丙")]
        #expect(throws: RosterRefusal.lookAlikeID(file: "r.csv", line: 4, id: "Ｄ００２", existing: "D002", firstLine: 3)) {
            try RosterRules.validate(deputies, lines: [2, 3, 4], file: "r.csv")
        }
        let cased = [Deputy(id: "D002", name: "乙"), Deputy(id: "d002", name: "丙")]
        #expect(throws: RosterRefusal.lookAlikeID(file: "r.csv", line: 3, id: "d002", existing: "D002", firstLine: 2)) {
            try RosterRules.validate(cased, lines: [2, 3], file: "r.csv")
        }
        let hidden = [Deputy(id: "D002", name: "乙"), Deputy(id: "D002\u{200B}", name: "丁")]
        #expect(throws: RosterRefusal.invisibleInID(file: "r.csv", line: 3, id: "D002<U+200B>", character: "U+200B ZERO WIDTH SPACE")) {
            try RosterRules.validate(hidden, lines: [2, 3], file: "r.csv")
        }
    }

    @Test func aRosterIsStoredWithNormalisedIDs() throws {
        let cleaned = try RosterRules.validate([Deputy(id: "Ｄ００１", name: "甲"), Deputy(id: "D002", name: "乙")], lines: [2, 3], file: "r.csv")
        #expect(cleaned.map(\.id) == ["D001", "D002"])
    }

    @Test func aCheckInOfALookAlikeNamesTheDeputyOnTheRoster() {
        let refusal = SessionRefusal(.lookAlikeOnRoster(deputy: "d001", onRoster: "D001"), shape: .vote)
        #expect(refusal.code == "ballot.look-alike-on-roster")
        #expect(refusal.exitStatus == 2)
        #expect(refusal.description.contains("d001") && refusal.description.contains("D001"))
    }

    @Test func idListsAreSplitCheckedAndNormalised() throws {
        #expect(try IDList.parse("Ｐ１，Ｐ２、P3 P4", field: "项目编号 proposal id") == ["P1", "P2", "P3", "P4"])
        #expect(throws: InputFailure.self) { try IDList.parse(["P1", "P2\u{200B}"], field: "项目编号 proposal id") }
    }

    @Test func aProposalIsCheckedFieldByField() throws {
        let clean = Proposal(title: "路灯", category: "市政建设", content: "第一行\r\n第二行", proposer: Proposer(name: "王芳"))
        #expect(try clean.checkedText().content == "第一行\n第二行")
        var dirty = clean
        dirty.proposer = Proposer(name: "王\u{1B}]0;x\u{7}芳")
        #expect {
            try dirty.checkedText()
        } throws: { error in
            (error as? InputFailure).map { if case .controlCharacter(field: "建议人 proposer", _, _) = $0 { true } else { false } } == true
        }
    }

    /// The ASCII shortcuts (no Unicode tables) give exactly what the Unicode definitions give.
    @Test func asciiShortcutsAgreeWithTheUnicodeDefinitions() {
        for value in UInt32(0)..<0x80 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let category = scalar.properties.generalCategory
            let invisible = [.control, .format, .privateUse, .surrogate].contains(category) || scalar.properties.isDefaultIgnorableCodePoint
            let space = [.spaceSeparator, .lineSeparator, .paragraphSeparator].contains(category) || scalar.properties.isWhitespace
            #expect(CleanText.isInvisible(scalar) == invisible, "U+\(String(value, radix: 16))")
            #expect(CleanText.isSpace(scalar) == space, "U+\(String(value, radix: 16))")
        }
        var ids = (0x21...0x7E).map { String(UnicodeScalar(UInt8($0))) }
        var random = SplitMix(seed: 2026)
        for _ in 0..<500 {
            var id = ""
            for _ in 0..<Int.random(in: 1...12, using: &random) {
                id.unicodeScalars.append(UnicodeScalar(UInt8.random(in: 0x21...0x7E, using: &random)))
            }
            ids.append(id)
        }
        for id in ids {
            let unicode = id.precomposedStringWithCompatibilityMapping.folding(options: [.caseInsensitive], locale: nil)
                .precomposedStringWithCompatibilityMapping
            #expect(CleanText.lookAlikeKey(id) == unicode, "\(id)")
            #expect(CleanText.normalizedID(id) == id.precomposedStringWithCompatibilityMapping, "\(id)")
        }
    }

}

extension Result {
    /// The error, if any.
    fileprivate var failure: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}
