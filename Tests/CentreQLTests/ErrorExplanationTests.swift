import Foundation
import Testing
@testable import CentreQL

/// `explain-error`: every code the messages use is explained, every example fails with its code and
/// every fix runs on the built-in data.
@Suite struct ErrorExplanationTests {
    /// The codes the sources create diagnostics with.
    static let codesInSources: Set<String> = {
        let sources = Repository.root.appendingPathComponent("Sources/CentreQL")
        var codes = Set<String>()
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        let pattern = try! NSRegularExpression(pattern: #"code: "(E[0-9]{3})""#)
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try! String(contentsOf: file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                codes.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        return codes
    }()

    @Test func everyCodeIsExplainedOnce() {
        let explained = ErrorExplanation.all.map(\.code)
        #expect(Set(explained).count == explained.count)
        #expect(Self.codesInSources.count > 60)
        #expect(Self.codesInSources.subtracting(explained).sorted() == [])
        #expect(Set(explained).subtracting(Self.codesInSources).sorted() == [])
        // Each has a statement pair or says what causes it.
        for explanation in ErrorExplanation.all {
            #expect((explanation.example != nil && explanation.fixed != nil) || explanation.arises != nil, "\(explanation.code)")
        }
    }

    @Test(arguments: ErrorExplanation.all.filter { $0.example != nil })
    func exampleFailsWithItsCodeAndTheFixRuns(_ explanation: ErrorExplanation) {
        var engine = Engine()
        do {
            _ = try engine.query(explanation.example!)
            Issue.record("\(explanation.code)'s example ran: \(explanation.example!)")
        } catch {
            #expect(error.diagnostics.map(\.code).contains(explanation.code), "\(explanation.code): \(error.diagnostics.map(\.code))")
        }
        var fresh = Engine()
        #expect(throws: Never.self, "\(explanation.code)'s fix") { _ = try fresh.query(explanation.fixed!) }
    }

    @Test func textShowsMeaningExampleAndFix() {
        let text = ErrorExplanation.named("e202")!.text
        #expect(text.hasPrefix("E202: unknown column\n\n"))
        #expect(text.contains("Example (fails with E202):\n  centres | where distrct == \"闵行区\"\n\nFixed:\n  centres | where district == \"闵行区\""))
    }
}
