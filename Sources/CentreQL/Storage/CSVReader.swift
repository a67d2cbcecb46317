/// Reads RFC 4180 CSV as people really have it: an optional byte-order mark, CRLF or LF line ends,
/// quoted fields holding commas, quotes and line breaks, and trailing empty lines.
struct CSVReader {
    struct Record {
        var fields: [String]
        /// The line the record starts on, 1-based.
        var line: Int
    }

    enum Problem: Error {
        case unterminatedQuote(line: Int)
        case textAfterQuote(line: Int)
    }

    static func records(in text: String) throws(Problem) -> [Record] {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1, recordLine = 1
        var index = scalars.startIndex
        var quoted = false, afterQuote = false, quoteStartLine = 0

        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            afterQuote = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(fields: fields, line: recordLine)) }
            fields = []
        }

        while index < scalars.endIndex {
            let c = scalars[index]
            index = scalars.index(after: index)
            if quoted {
                if c == "\"" {
                    if index < scalars.endIndex, scalars[index] == "\"" {
                        field.append("\"")
                        index = scalars.index(after: index)
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case ",":
                endField()
            case "\r":
                if index < scalars.endIndex, scalars[index] == "\n" { continue }
                endRecord(); line += 1; recordLine = line
            case "\n":
                endRecord(); line += 1; recordLine = line
            case "\"" where field.isEmpty && !afterQuote:
                quoted = true
                quoteStartLine = line
            default:
                if afterQuote { throw .textAfterQuote(line: line) }
                field.append(c)
            }
        }
        if quoted { throw .unterminatedQuote(line: quoteStartLine) }
        endRecord()
        return records
    }
}
