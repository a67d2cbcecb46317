import Foundation
import Testing
@testable import CentreQL

/// Paths inside the repository, found from this file's location so tests run from any directory.
enum Repository {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func files(in folder: String, ending suffix: String) -> [String] {
        let directory = path(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { directory + "/" + $0 }
    }

    static func read(_ relative: String) -> String {
        (try? String(contentsOfFile: path(relative), encoding: .utf8)) ?? ""
    }
}

/// A test case from a corpus file: a header line after `===` and the input that follows.
struct CorpusCase: CustomTestStringConvertible, Sendable {
    let header: [String]
    let input: String
    let line: Int
    var testDescription: String { "line \(line): \(input.prefix(60))" }

    /// Splits a file of `=== HEADER` blocks; lines starting with `#` before the first block are comments.
    static func load(_ relative: String) -> [CorpusCase] {
        var cases: [CorpusCase] = []
        var header: [String]?
        var lines: [String] = []
        var start = 0
        func flush() {
            if let header { cases.append(CorpusCase(header: header, input: lines.joined(separator: "\n"), line: start)) }
        }
        for (number, line) in Repository.read(relative).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("=== ") {
                flush()
                header = line.dropFirst(4).split(separator: " ").map(String.init)
                lines = []
                start = number + 1
            } else if header != nil {
                lines.append(String(line))
            }
        }
        flush()
        return cases.map { CorpusCase(header: $0.header, input: $0.input.trimmingCharacters(in: .newlines), line: $0.line) }
    }
}

/// Runs a script on the built-in data and returns every diagnostic code, in order.
func diagnosticCodes(_ script: String, parameters: [String: String] = [:]) -> [String] {
    var engine = Engine(parameters: parameters)
    var codes: [String] = []
    engine.run(SourceText(script)) { result in
        if case .failed(let diagnostics) = result.outcome { codes += diagnostics.map(\.code) }
    }
    return codes
}

/// Runs a query on the built-in data and returns its rows as text.
func rows(_ script: String) throws -> [[String]] {
    var engine = Engine()
    return try engine.query(script).rows.map { $0.map(\.description) }
}
