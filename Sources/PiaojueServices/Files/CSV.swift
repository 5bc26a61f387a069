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
    public static func parse(_ text: String, name: String) throws(FileFailure) -> CSVTable {
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

        func finishField() throws(FileFailure) {
            guard field.count <= maximumFieldBytes else {
                throw .fieldTooLong(file: name, line: recordLine, column: fields.count + 1, bytes: field.count, limit: maximumFieldBytes)
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
                throw .nulByte(file: name, line: line)
            }
            if field.count > maximumFieldBytes {
                throw .fieldTooLong(file: name, line: recordLine, column: fields.count + 1, bytes: field.count, limit: maximumFieldBytes)
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
                    throw .misplacedQuote(file: name, line: line)
                }
                field.removeAll()
                inQuotes = true
                quotedField = true
            default:
                if afterQuote, byte != 0x20 {
                    throw .textAfterQuote(file: name, line: line)
                }
                if !afterQuote { field.append(byte) }
            }
            index += 1
        }
        if inQuotes {
            throw .unclosedQuote(file: name, line: recordLine)
        }
        if !field.isEmpty || !fields.isEmpty || quotedField {
            try finishField()
            finishRecord()
        }
        guard let headerRow = records.first else {
            throw .empty(file: name)
        }
        let header = headerRow.fields.map { $0.trimmingSpaces() }
        let rows = Array(records.dropFirst())
        for row in rows where row.fields.count != header.count {
            throw .fieldCount(file: name, line: row.line, fields: row.fields.count, header: header.count)
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
