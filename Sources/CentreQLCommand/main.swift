import CentreQL
var engine = Engine()
let text = CommandLine.arguments.dropFirst().joined(separator: " ")
engine.run(SourceText(text)) { r in
  switch r.outcome {
  case .rows(let rs): print(OutputFormat.table.render(rs))
  case .failed(let ds): for d in ds { print(DiagnosticRenderer(source: SourceText(text)).render(d)) }
  case .defined: break
  }
}
