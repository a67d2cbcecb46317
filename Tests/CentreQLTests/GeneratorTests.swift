import Foundation
import Testing
@testable import CentreQL

@Suite struct GeneratorTests {
    func generate(_ centres: Int, seed: UInt64 = 7) throws -> (String, Generator.Counts) {
        let directory = NSTemporaryDirectory() + "centreql-gen-\(UUID().uuidString)"
        return (directory, try Generator(centres: centres, seed: seed).write(to: directory))
    }

    @Test func theSameSeedGivesTheSameFiles() throws {
        let (a, _) = try generate(300)
        let (b, _) = try generate(300)
        let (c, _) = try generate(300, seed: 8)
        for table in ["centres", "awards", "projects"] {
            let first = try String(contentsOfFile: "\(a)/\(table).csv", encoding: .utf8)
            #expect(first == (try String(contentsOfFile: "\(b)/\(table).csv", encoding: .utf8)))
            #expect(first != (try String(contentsOfFile: "\(c)/\(table).csv", encoding: .utf8)))
        }
    }

    @Test func realisticShapesThatLoadAndQuery() throws {
        let (directory, counts) = try generate(2000)
        #expect(counts.centres == 2000)
        #expect((3000...5000).contains(counts.awards))       // about 2 per centre
        #expect((8000...12000).contains(counts.projects))    // about 5 per centre
        var engine = Engine(store: try CSVLoader.load(directory: directory))
        #expect(try engine.query("centres | select district | distinct | count").rows == [[.int(16)]])
        #expect(try engine.query("awards | select category | distinct | count").rows == [[.int(4)]])
        #expect(try engine.query("awards | where year < 2010 or year > 2025 or rank < 1 or rank > 10 | count").rows == [[.int(0)]])
        #expect(try engine.query("projects | select theme | distinct | count").rows == [[.int(12)]])
        // Figures carry qualifiers and are sometimes missing, as in the real report.
        #expect(try engine.query("centres | where volunteers == null | count").rows[0][0] != .int(0))
        #expect(try engine.query("centres | where qualifier(volunteers) == \"余\" | count").rows[0][0] != .int(0))
    }
}
