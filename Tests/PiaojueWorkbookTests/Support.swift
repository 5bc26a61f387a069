import Foundation
import PiaojueTestSupport
import PiaojueWorkbook

/// The workbook fixtures of Tests/Fixtures/xlsx and Tests/Fixtures/bad/xlsx.
enum Fixtures {
    static let xlsx = TestPaths.fixtures.appendingPathComponent("xlsx")
    static let bad = TestPaths.fixtures.appendingPathComponent("bad/xlsx")

    /// The bytes of `name` in Tests/Fixtures/xlsx.
    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: xlsx.appendingPathComponent(name)))
    }

    /// The workbook `name` of Tests/Fixtures/xlsx, opened.
    static func workbook(_ name: String, limits: WorkbookLimits = .standard) throws -> Workbook {
        try Workbook(bytes: bytes(name), file: name, limits: limits)
    }

    /// The names in a fixture folder, sorted, without the README and the scripts.
    static func names(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasSuffix(".md") && !$0.hasSuffix(".py") }.sorted()
    }
}

extension Worksheet {
    /// Column B's value by column A's label, for the label/value fixtures.
    var labelled: [String: CellValue] {
        var out: [String: CellValue] = [:]
        for row in rows {
            guard case let .text(label)? = row.value(column: 1), let value = row.value(column: 2) else { continue }
            out[label] = value
        }
        return out
    }
}

/// The failure `body` throws, or nil when it throws none (or another kind of error).
func failure(_ body: () throws -> Void) -> WorkbookFailure? {
    do {
        try body()
        return nil
    } catch let failure as WorkbookFailure {
        return failure
    } catch {
        return nil
    }
}

extension CellValue {
    /// A number cell from its literal (an error value, which no test expects, if it is none).
    static func n(_ literal: String) -> CellValue {
        DecimalNumber(literal: literal).map { .number($0) } ?? .error("not a literal: \(literal)")
    }
}

extension DecimalNumber {
    /// A number from a literal the test knows to be one.
    static func literal(_ text: String) -> DecimalNumber {
        guard let number = DecimalNumber(literal: text) else { preconditionFailure("not a number literal: \(text)") }
        return number
    }
}
