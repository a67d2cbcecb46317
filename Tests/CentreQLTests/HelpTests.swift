import Testing
@testable import CentreQL

@Suite struct HelpTests {
    @Test func everyStageAndFunctionHasATopic() {
        let names = Set(HelpTopics.all.map(\.name))
        for word in StageName.names + ["let", "param", "explain"] {
            #expect(names.contains(word), "no help for \(word)")
        }
        for f in ScalarFunction.allCases { #expect(names.contains(f.rawValue)) }
        for f in AggregateFunction.allCases { #expect(names.contains(f.rawValue)) }
    }

    @Test(arguments: HelpTopics.all.indices)
    func exampleRuns(_ index: Int) throws {
        let topic = HelpTopics.all[index]
        let name = topic.name
        #expect(diagnosticCodes(topic.example) == [])
        var engine = Engine()
        #expect(try !engine.query(topic.example).rows.isEmpty, "the example of \(name) returns no rows")
    }
}
