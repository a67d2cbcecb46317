/// Reads RFC 4180 CSV as people really have it: an optional byte-order mark, CRLF or LF line ends,
/// quoted fields holding commas, quotes and line breaks, and trailing empty lines.
///
/// It works on UTF-8 bytes and hands over one record at a time: every delimiter is ASCII, which
/// never occurs inside a multi-byte UTF-8 character, so no decoding is needed to split, and a
/// million-row file is never held as a million arrays of strings.
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
        var records: [Record] = []
        do {
            try forEachRecord(in: Array(text.utf8)) { fields, line in records.append(Record(fields: fields, line: line)) }
        } catch {
            throw error as! Problem  // the body cannot throw, so only the reader's problems arrive here
        }
        return records
    }

    /// Calls `body` with the fields and starting line of each record, skipping empty lines.
    static func forEachRecord<E: Error>(in bytes: [UInt8], _ body: ([String], Int) throws(E) -> Void) throws -> Void {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var fields: [String] = []
        var line = 1
        while index < bytes.count {
            let recordLine = line
            fields.removeAll(keepingCapacity: true)
            var atRecordEnd = false
            while !atRecordEnd {
                if index < bytes.count, bytes[index] == quote {
                    // A quoted field: "" is a quote; commas and line breaks are text.
                    let startLine = line
                    var field: [UInt8] = []
                    index += 1
                    while true {
                        guard index < bytes.count else { throw Problem.unterminatedQuote(line: startLine) }
                        let byte = bytes[index]
                        index += 1
                        if byte == quote {
                            if index < bytes.count, bytes[index] == quote { field.append(quote); index += 1 } else { break }
                        } else {
                            if byte == lf { line += 1 }
                            field.append(byte)
                        }
                    }
                    fields.append(String(decoding: field, as: UTF8.self))
                    guard index >= bytes.count || bytes[index] == comma || bytes[index] == cr || bytes[index] == lf else {
                        throw Problem.textAfterQuote(line: line)
                    }
                } else {
                    let start = index
                    while index < bytes.count, bytes[index] != comma, bytes[index] != cr, bytes[index] != lf { index += 1 }
                    fields.append(String(decoding: bytes[start..<index], as: UTF8.self))
                }
                // What ends the field: a comma (another field follows), a line end, or the end of the input.
                if index < bytes.count, bytes[index] == comma {
                    index += 1
                } else {
                    if index < bytes.count, bytes[index] == cr { index += 1 }
                    if index < bytes.count, bytes[index] == lf { index += 1 }
                    line += 1
                    atRecordEnd = true
                }
            }
            if !(fields.count == 1 && fields[0].isEmpty) { try body(fields, recordLine) }
        }
    }
}
