import Foundation
import Testing
@testable import CentreQL

@Suite struct StorageTests {
    func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "centreql-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func exportThenLoadGivesTheSameAnswers() throws {
        let directory = temporaryDirectory()
        try CSVLoader.export(.builtIn, to: directory)
        let loaded = try CSVLoader.load(directory: directory)
        for (a, b) in zip(Store.builtIn.tables, loaded.tables) {
            #expect(a.rowCount == b.rowCount)
            #expect(a.columns.map(Array.init) == b.columns.map(Array.init), "\(a.schema.name)")
        }
        var engine = Engine(store: loaded)
        #expect(try engine.query("centres | where town == \"吴泾镇\" | select count(projects), volunteers").rows ==
            [[.int(21), .figure(Figure(18000, .moreThan))]])
    }

    @Test func realWorldCSVDetails() throws {
        let text = "\u{FEFF}field,value\r\n\"a,b\",\"line\nbreak \"\"quoted\"\"\"\r\nplain,\r\n\r\n\r\n"
        let rows = try CSVLoader.parse(text, schema: Catalog.provenance, file: "provenance.csv")
        #expect(rows.count == 2)
        #expect(rows[0].values["field"] == .string("a,b"))
        #expect(rows[0].values["value"] == .string("line\nbreak \"quoted\""))
        #expect(rows[1].values["value"] == .null)
        #expect(rows[1].line == 4)
    }

    @Test(arguments: [
        ("field,value\nx\n", 2, "expected 2 fields, found 1"),
        ("field,valu\n", 1, "no column 'valu' (did you mean 'value'?)"),
        ("field\n", 1, "lacks the column 'value'"),
        ("field,value\n\"open,x\n", 2, "never closed"),
    ])
    func badFilesAreRefusedWithLineAndReason(_ text: String, _ line: Int, _ reason: String) {
        #expect {
            _ = try CSVLoader.parse(text, schema: Catalog.provenance, file: "p.csv")
        } throws: { error in
            guard let error = error as? DataError else { return false }
            return error.line == line && error.reason.contains(reason)
        }
    }

    @Test func badValuesDuplicateIdsAndBrokenLinksRefuseTheWholeFolder() throws {
        let directory = temporaryDirectory()
        try CSVLoader.export(.builtIn, to: directory)
        let awards = directory + "/awards.csv"
        let original = try String(contentsOfFile: awards, encoding: .utf8)

        func expectRefusal(_ text: String, _ fragment: String, line: Int) throws {
            try text.write(toFile: awards, atomically: true, encoding: .utf8)
            #expect {
                _ = try CSVLoader.load(directory: directory)
            } throws: { error in
                guard let error = error as? DataError else { return false }
                return error.reason.contains(fragment) && error.line == line && error.file?.hasSuffix("awards.csv") == true
            }
        }
        let lines = original.components(separatedBy: "\r\n")
        try expectRefusal(lines.prefix(2).joined(separator: "\r\n") + "\r\n" + lines[1] + "\r\n", "id 1 appears twice", line: 3)
        try expectRefusal(lines[0] + "\r\n" + lines[1].replacingOccurrences(of: ",2019,", with: ",二〇一九,") + "\r\n", "is not an int", line: 2)
        try expectRefusal(lines[0] + "\r\n" + lines[1].replacingOccurrences(of: "1,1,2019", with: "1,99,2019") + "\r\n", "centre_id 99 names no row", line: 2)
    }

    /// The files are read at once on every core; when several are wrong, the refusal is the one
    /// reading them in the catalog's order meets first, whichever finishes first.
    @Test func withSeveralFilesWrongTheFirstTablesRefusalIsReported() throws {
        let directory = temporaryDirectory()
        try CSVLoader.export(.builtIn, to: directory)
        for name in ["centres", "projects"] {
            let path = directory + "/\(name).csv"
            let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\r\n")
            try (lines.prefix(2) + [lines[1]]).joined(separator: "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        for _ in 0..<5 {
            #expect {
                _ = try CSVLoader.load(directory: directory)
            } throws: { error in
                (error as? DataError)?.file?.hasSuffix("centres.csv") == true && (error as? DataError)?.reason.contains("appears twice") == true
            }
        }
    }

    @Test func aMissingFileOrFolderIsRefused() {
        #expect(throws: DataError.self) { _ = try CSVLoader.load(directory: "/nonexistent/folder") }
    }

    /// An ordered index is sorted by a radix sort on each column's keys as integers; it must give
    /// the order of comparing the keys as values, ties in row order, for every kind of column:
    /// negative numbers, -0.0 beside 0.0, nulls left out, equal amounts told apart by their
    /// wording, text by code point, and several columns together.
    @Test func orderedIndexesSortAsValuesCompare() {
        var random = SystemRandomNumberGenerator()
        let n = 3000
        var nulls = NullMask()
        for row in 0..<n where row % 17 == 0 { nulls.setNull(row) }
        let ints = Column(int: (0..<n).map { _ in Int.random(in: -50...50, using: &random) } + [], nulls: nulls)
        let wide = Column(int: (0..<n).map { _ in Int.random(in: Int.min...Int.max, using: &random) }, nulls: NullMask())
        let decimals = Column(decimal: (0..<n).map { _ in [-0.0, 0.0, -1.5, 2.25, -1e300, 7].randomElement(using: &random)! }, nulls: nulls)
        let figures = Column(amounts: (0..<n).map { _ in Double(Int.random(in: -3...3, using: &random)) * 100 },
                             qualifiers: (0..<n).map { row in row % 13 == 0 ? Column.nullQualifier : UInt8.random(in: 0...4, using: &random) })
        let dictionary = ["b", "B", "a", "闵行区", "é", "e\u{301}", "", "Z"]
        let texts = Column(codes: (0..<n).map { _ in UInt32.random(in: 0...UInt32(dictionary.count), using: &random) }, dictionary: dictionary)
        for columns in [[ints], [wide], [decimals], [figures], [texts], [texts, ints], [figures, decimals], [ints, texts, figures]] {
            #expect(Index.sortedByRadix(columns, rowCount: n) == Index.sortedByValues(columns, rowCount: n))
        }
    }

    /// Whole numbers and exact figures are read from their bytes when they are plain digits; what
    /// that reads must be what reading the text as a value reads, and anything else is left to it.
    @Test func numbersReadFromBytesAgreeWithTheValueReader() {
        let texts = ["0", "-0", "007", "123456789012345", "1234567890123456", "-5", "5.0", " 5", "5 ", "+5", "1e3", "-",
                     "近100", "100余", "约7", "9999999999999999999", "12a", "١٢", "0x10", ""]
        for type in [ValueType.int, .figure] {
            for text in texts {
                let fast = Array(text.utf8).withUnsafeBufferPointer { CSVLoader.plainNumber($0, as: Column.Kind(type)) }
                let slow = CSVLoader.value(text, as: type)
                if let fast { #expect(fast == slow, "\(type) \(text)") }
            }
        }
        #expect(Array("42".utf8).withUnsafeBufferPointer { CSVLoader.plainNumber($0, as: .int) } == .int(42))
        #expect(Array("-42".utf8).withUnsafeBufferPointer { CSVLoader.plainNumber($0, as: .figure) } == nil)
    }

    @Test func linkIndexes() throws {
        let store = Store.builtIn
        let centres = Catalog.builtIn.tableIndex("centres")!, projects = Catalog.builtIn.tableIndex("projects")!
        let link = LinkPath(table: centres, name: "projects", target: projects, in: .builtIn)
        #expect(store.rows(link, from: 18).count == 21)   // 吴泾镇 is the 19th centre
        #expect(store.rows(link, from: 0).isEmpty)
    }
}
