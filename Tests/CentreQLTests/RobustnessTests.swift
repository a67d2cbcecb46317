import Testing
@testable import CentreQL

/// No input makes the engine crash: every corpus input, cut short at every point and with stray
/// characters dropped in, is run through the whole pipeline and its errors rendered as a user sees
/// them. A crash would end the test run.
@Suite struct RobustnessTests {
    static let inputs = ParserTests.cases.map(\.input) + CheckerTests.cases.map(\.input)
    static let noise: [String] = ["|", "(", ")", "[", "]", ",", ".", "\"", "'", "$", "#", "\n", "==", "where", "count(",
                                  "projects", "centre.", "agg", "闵", "“", "｜", "\\", "-", "9223372036854775807", "null", "??"]

    @Test func truncatedInputs() {
        var runs = 0
        for input in Self.inputs {
            let scalars = Array(input.unicodeScalars)
            for cut in 0...scalars.count {
                var text = String.UnicodeScalarView()
                text.append(contentsOf: scalars[..<cut])
                _ = renderedDiagnostics(String(text))
                runs += 1
            }
        }
        #expect(runs > 1000)
    }

    @Test func inputsWithStrayTokens() {
        var generator = SplitMix64(seed: 2019)  // deterministic, so a failure repeats
        for _ in 0..<2000 {
            var words = Self.inputs.randomElement(using: &generator)!.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                words.insert(Self.noise.randomElement(using: &generator)!, at: Int.random(in: 0...words.count, using: &generator))
            }
            if !words.isEmpty, Bool.random(using: &generator) { words.remove(at: Int.random(in: 0..<words.count, using: &generator)) }
            _ = renderedDiagnostics(words.joined(separator: " "))
        }
    }
}

/// Runs a script and renders every diagnostic, as the command prints them (the renderer, too, must
/// cope with any input: a span at the very end once crashed it, found by the fuzzer).
@discardableResult
func renderedDiagnostics(_ script: String) -> [String] {
    let source = SourceText(script)
    var engine = Engine()
    var rendered: [String] = []
    engine.run(source) { result in
        if case .failed(let diagnostics) = result.outcome { rendered += diagnostics.map(DiagnosticRenderer(source: source).render) }
    }
    return rendered
}
