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
            try forEachRecord(in: Array(text.utf8)) { fields, line in
                records.append(Record(fields: (0..<fields.count).map(fields.string), line: line))
            }
        } catch {
            throw error as! Problem  // the body cannot throw, so only the reader's problems arrive here
        }
        return records
    }

    /// One record's fields as bytes, valid only while the record is handed over: the loader reads
    /// a number from its bytes and makes a string only of text.
    struct Fields {
        fileprivate let bytes: UnsafeBufferPointer<UInt8>
        /// A quoted field's text, its doubled quotes made single.
        fileprivate let unquoted: UnsafeBufferPointer<UInt8>
        fileprivate let ranges: [(quoted: Bool, range: Range<Int>)]

        var count: Int { ranges.count }

        subscript(i: Int) -> UnsafeBufferPointer<UInt8> {
            let (quoted, range) = ranges[i]
            return UnsafeBufferPointer(rebasing: (quoted ? unquoted : bytes)[range])
        }

        func string(_ i: Int) -> String { String(decoding: self[i], as: UTF8.self) }
    }

    /// Calls `body` with the fields and starting line of each record, skipping empty lines.
    static func forEachRecord<E: Error>(in bytes: [UInt8], _ body: (Fields, Int) throws(E) -> Void) throws -> Void {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var ranges: [(quoted: Bool, range: Range<Int>)] = []
        var unquoted: [UInt8] = []
        var line = 1
        try bytes.withUnsafeBufferPointer { bytes in
            while index < bytes.count {
                let recordLine = line
                ranges.removeAll(keepingCapacity: true)
                unquoted.removeAll(keepingCapacity: true)
                var atRecordEnd = false
                while !atRecordEnd {
                    if index < bytes.count, bytes[index] == quote {
                        // A quoted field: "" is a quote; commas and line breaks are text.
                        let startLine = line
                        let start = unquoted.count
                        index += 1
                        while true {
                            guard index < bytes.count else { throw Problem.unterminatedQuote(line: startLine) }
                            let byte = bytes[index]
                            index += 1
                            if byte == quote {
                                if index < bytes.count, bytes[index] == quote { unquoted.append(quote); index += 1 } else { break }
                            } else {
                                if byte == lf { line += 1 }
                                unquoted.append(byte)
                            }
                        }
                        ranges.append((true, start..<unquoted.count))
                        guard index >= bytes.count || bytes[index] == comma || bytes[index] == cr || bytes[index] == lf else {
                            throw Problem.textAfterQuote(line: line)
                        }
                    } else {
                        let start = index
                        while index < bytes.count, bytes[index] != comma, bytes[index] != cr, bytes[index] != lf { index += 1 }
                        ranges.append((false, start..<index))
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
                if ranges.count == 1 && ranges[0].range.isEmpty { continue }
                try unquoted.withUnsafeBufferPointer { unquoted in
                    try body(Fields(bytes: bytes, unquoted: unquoted, ranges: ranges), recordLine)
                }
            }
        }
    }
}
