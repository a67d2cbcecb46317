/// Runs a script and turns each statement's outcome into text for standard output (results) or
/// standard error (diagnostics), as the command-line runner prints them.
public struct ScriptRunner {
    public var format: OutputFormat
    public var tableOptions: TableOptions
    public var useColor: Bool

    public init(format: OutputFormat = .table, tableOptions: TableOptions = TableOptions(), useColor: Bool = false) {
        self.format = format
        self.tableOptions = tableOptions
        self.useColor = useColor
    }

    public enum Output {
        case result(String)
        case error(String)
    }

    /// Runs every statement; returns whether all of them succeeded.
    @discardableResult
    public func run(_ source: SourceText, in engine: inout Engine, displayName: String? = nil,
                    emit: (Output) -> Void) -> Bool {
        var succeeded = true
        let renderer = DiagnosticRenderer(source: source, displayName: displayName, useColor: useColor)
        engine.run(source) { result in
            switch result.outcome {
            case .rows(let rows):
                emit(.result(format.render(rows, options: tableOptions)))
            case .failed(let diagnostics):
                succeeded = false
                for diagnostic in diagnostics { emit(.error(renderer.render(diagnostic))) }
            case .defined:
                break
            }
            for note in result.notes { emit(.error(renderer.render(note))) }
        }
        return succeeded
    }
}
