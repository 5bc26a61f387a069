import PiaojueDomain
import PiaojueWorkbook
import Testing

/// Addresses, exact numbers and date serials: the rules under every cell.
@Suite struct CellValueTests {
    @Test(arguments: [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"), (702, "ZZ"), (703, "AAA"), (16_384, "XFD")])
    func columnLetters(column: Int, letters: String) {
        #expect(CellAddress.letters(column: column) == letters)
        #expect(CellAddress("\(letters)7") == CellAddress(row: 7, column: column))
        #expect(CellAddress("$\(letters.lowercased())$7")?.column == column)
    }

    @Test func referencesOutsideASheetAreNone() {
        for text in ["", "A", "7", "A0", "A01", "XFE1", "AAAA1", "A1048577", "1A", "A-1", "A 1", "Ä1"] {
            #expect(CellAddress(text) == nil, "\(text)")
        }
        #expect(CellAddress("XFD1048576") == CellAddress(row: 1_048_576, column: 16_384))
        #expect(CellRange("H1:A1")?.description == "A1:H1")
        #expect(CellRange("B2")?.description == "B2")
        #expect(CellRange("A1:B")?.description == nil)
        #expect(CellRange("A1:H1")?.contains(CellAddress(row: 1, column: 5)) == true)
        #expect(CellRange("A1:H1")?.contains(CellAddress(row: 2, column: 5)) == false)
    }

    @Test(arguments: [
        ("6513.3", "6513.3"), ("6513.30", "6513.3"), ("0.30000000000000004", "0.3"), ("6513.3000000000002", "6513.3"),
        ("1.2E+7", "12000000"), ("1.23456789012346E+017", "123456789012346000"), ("123456789012345678", "123456789012346000"),
        ("-5", "-5"), ("-0", "0"), ("0", "0"), ("000", "0"), ("0.05", "0.05"), ("1E-3", "0.001"), ("+7", "7"), (".5", "0.5"),
        ("9.9999999999999999", "10"), ("99999999999999999", "100000000000000000"), ("2860", "2860"), ("45991.354166666664", "45991.3541666667"),
    ])
    func numbersShowAsExcelShowsThem(literal: String, text: String) throws {
        let number = try #require(DecimalNumber(literal: literal))
        #expect(number.text == text)
        #expect(number.literal == literal)
    }

    @Test func wholeNumbersAreExact() {
        #expect(DecimalNumber(literal: "1200000")?.wholeNumber == 1_200_000)
        #expect(DecimalNumber(literal: "1.2E+6")?.wholeNumber == 1_200_000)
        #expect(DecimalNumber(literal: "-42")?.wholeNumber == -42)
        #expect(DecimalNumber(literal: "6513.3")?.wholeNumber == nil)
        #expect(DecimalNumber(literal: "1E+30")?.wholeNumber == nil)
    }

    @Test func notNumbers() {
        for text in ["", "-", ".", "1.2.3", "1,5", "1e", "NaN", "INF", "1E+500", "0x10", " 1", "１２", String(repeating: "9", count: 65)] {
            #expect(DecimalNumber(literal: text) == nil, "\(text)")
        }
    }

    static func serial(_ literal: String, _ system: WorkbookDate.System = .from1900, _ style: WorkbookDate.Style = .date) -> String? {
        DecimalNumber(literal: literal).flatMap { WorkbookDate(serial: $0, system: system, style: style)?.text }
    }

    @Test func serialsOfThe1900System() {
        #expect(Self.serial("1") == "1900-01-01")
        #expect(Self.serial("59") == "1900-02-28")
        #expect(Self.serial("60") == nil, "1900-02-29 never was")
        #expect(Self.serial("61") == "1900-03-01")
        #expect(Self.serial("25569") == "1970-01-01")
        #expect(Self.serial("45991") == "2025-11-30")
        #expect(Self.serial("2958465") == "9999-12-31")
        #expect(Self.serial("2958466") == nil)
        #expect(Self.serial("0") == nil)
        #expect(Self.serial("-1") == nil)
        #expect(Self.serial("45991.5", .from1900, .dateTime) == "2025-11-30 12:00:00")
        #expect(Self.serial("45991.999999999", .from1900, .dateTime) == "2025-12-01")
        #expect(Self.serial("45991.75", .from1900, .date) == "2025-11-30", "a date format shows the day")
        #expect(Self.serial("45962", .from1900, .yearMonth) == "2025-11")
        #expect(Self.serial("0.5", .from1900, .time) == "12:00:00")
        #expect(Self.serial("1.25", .from1900, .time) == "30:00:00")
    }

    @Test func serialsOfThe1904System() {
        #expect(Self.serial("0", .from1904) == "1904-01-01")
        #expect(Self.serial("1", .from1904) == "1904-01-02")
        #expect(Self.serial("44529", .from1904) == "2025-11-30")
        #expect(Self.serial("-1", .from1904) == nil)
    }

    @Test(arguments: [
        ("yyyy-mm-dd", WorkbookDate.Style.date), ("yyyy\\-mm\\-dd", .date), ("m/d/yyyy", .date), ("d-mmm-yy", .date),
        ("yyyy\"年\"m\"月\"d\"日\"", .date), ("yyyy\"年\"m\"月\"", .yearMonth), ("mmm-yy", .yearMonth), ("h:mm", .time),
        ("hh:mm:ss", .time), ("mm:ss", .time), ("[h]:mm:ss", .time), ("yyyy-mm-dd hh:mm", .dateTime), ("[$-804]yyyy\"年\"m\"月\"d\"日\";@", .date),
        ("[DBNum1][$-804]yyyy\"年\"m\"月\"d\"日\"", .date), ("上午/下午h\"时\"mm\"分\"", .time), ("yyyy/m/d h:mm AM/PM", .dateTime),
        ("e\"年\"m\"月\"d\"日\"", .date),
    ])
    func dateFormatsAreDates(code: String, style: WorkbookDate.Style) {
        #expect(WorkbookDate.Style(formatCode: code) == style, "\(code)")
    }

    @Test(arguments: ["General", "0", "0.00", "#,##0", "#,##0.00 \"元\"", "0.0%", "0.00E+00", "@", "\"yyyy\"0", "[Red]-0.00", "0.0\\万", "_(* #,##0_)", "General;[Red]-General"])
    func numberFormatsAreNotDates(code: String) {
        #expect(WorkbookDate.Style(formatCode: code) == nil, "\(code)")
    }

    @Test func builtInFormatIDs() {
        for id in [14, 15, 16, 22, 27, 30, 31, 36, 50, 57, 58] { #expect(WorkbookDate.Style(builtinFormat: id) != nil, "\(id)") }
        for id in [18, 19, 20, 21, 45, 46, 47, 32, 33] { #expect(WorkbookDate.Style(builtinFormat: id) == .time, "\(id)") }
        for id in [0, 1, 2, 3, 4, 9, 10, 11, 12, 37, 49] { #expect(WorkbookDate.Style(builtinFormat: id) == nil, "\(id)") }
        #expect(WorkbookDate.Style(builtinFormat: 31) == .date)
        #expect(WorkbookDate.Style(builtinFormat: 57) == .yearMonth)
    }
}
