public import PiaojueDomain

/// A CSV table: the header and the records, each with the file line it starts on (header = line 1).
public struct CSVTable: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// The file line where the record starts.
        public let line: Int
        public let fields: [String]
    }

    public let header: [String]
    public let rows: [Row]
}

/// RFC 4180 CSV reading and Excel-safe writing.
public enum CSV {
    /// The longest field accepted, in UTF-8 bytes (a clerk's cell never comes near it).
    public static let maximumFieldBytes = 65_536

    /// Parses `text` (from the file `name`). Quoted fields may hold commas, quotes ("") and newlines.
    /// Blank lines are skipped; every record must have as many fields as the header.
    public static func parse(_ text: String, name: String) throws(InputError) -> CSVTable {
        var records: [CSVTable.Row] = []
        var field: [UInt8] = []
        var fields: [String] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedField = false
        var afterQuote = false
        let bytes = Array(text.utf8)
        var index = 0

        func finishField() throws(InputError) {
            guard field.count <= maximumFieldBytes else {
                throw InputError("文件 \(name) 第 \(recordLine) 行第 \(fields.count + 1) 列过长（\(field.count) 字节，上限 \(maximumFieldBytes)）。Field \(fields.count + 1) on line \(recordLine) of \(name) is too long.")
            }
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quotedField = false
            afterQuote = false
        }
        func finishRecord() {
            let blank = fields.count == 1 && fields[0].trimmingSpaces().isEmpty && !quotedField
            if !blank { records.append(CSVTable.Row(line: recordLine, fields: fields)) }
            fields.removeAll()
        }

        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0 {
                throw InputError("文件 \(name) 第 \(line) 行含有 NUL 空字符，不是正常的表格文本。Line \(line) of \(name) contains a NUL byte.")
            }
            if field.count > maximumFieldBytes {
                throw InputError("文件 \(name) 第 \(recordLine) 行第 \(fields.count + 1) 列过长（超过 \(maximumFieldBytes) 字节）。Field \(fields.count + 1) on line \(recordLine) of \(name) is too long.")
            }
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 2
                        continue
                    }
                    inQuotes = false
                    afterQuote = true
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                try finishField()
            case 0x0D:
                break
            case 0x0A:
                try finishField()
                finishRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\""):
                guard field.allSatisfy({ $0 == 0x20 }), !afterQuote else {
                    throw InputError("文件 \(name) 第 \(line) 行的引号位置不对（引号应包住整个单元格）。A quote is misplaced on line \(line) of \(name).")
                }
                field.removeAll()
                inQuotes = true
                quotedField = true
            default:
                if afterQuote, byte != 0x20 {
                    throw InputError("文件 \(name) 第 \(line) 行的引号后面还有文字。Text follows a closing quote on line \(line) of \(name).")
                }
                if !afterQuote { field.append(byte) }
            }
            index += 1
        }
        if inQuotes {
            throw InputError("文件 \(name) 第 \(recordLine) 行的引号没有闭合。An opening quote on line \(recordLine) of \(name) is never closed.")
        }
        if !field.isEmpty || !fields.isEmpty || quotedField {
            try finishField()
            finishRecord()
        }
        guard let headerRow = records.first else {
            throw InputError("文件 \(name) 是空的，至少需要表头一行。\(name) is empty; it needs a header line.")
        }
        let header = headerRow.fields.map { $0.trimmingSpaces() }
        let rows = Array(records.dropFirst())
        for row in rows where row.fields.count != header.count {
            throw InputError("文件 \(name) 第 \(row.line) 行有 \(row.fields.count) 列，表头有 \(header.count) 列：请补齐空列或删去多余的逗号（内容本身含逗号时请用英文双引号括起）。Line \(row.line) of \(name) has \(row.fields.count) fields; the header has \(header.count): fill in or remove fields, and quote a value that holds a comma.")
        }
        return CSVTable(header: header, rows: rows)
    }

    /// One cell, safe to open in a spreadsheet (see ``SpreadsheetText``).
    public static func cell(_ value: String) -> String { SpreadsheetText.cell(value) }

    /// A whole CSV document for Excel (see ``SpreadsheetText``).
    public static func document(header: [String], rows: [[String]]) -> String {
        SpreadsheetText.document(header: header, rows: rows)
    }
}
