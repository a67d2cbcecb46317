/// What `trace PIPELINE` shows: for the source and each stage in order, its text, the rows going
/// in and coming out, the columns after it, and its first rows, so a student sees what each stage
/// does to the rows. Plain text in tables (and so in `check` blocks), structured in JSON.
public struct Trace: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        /// The source table (or let) or the stage, as written.
        public let text: String
        /// Rows in (nil for the source) and out.
        public let rowsIn: Int?
        public let rowsOut: Int
        /// The first rows after the step (its columns, and as many rows as the trace keeps).
        public let first: ResultSet
        /// With `follow`: what became of each followed row at this step, one line each.
        public var followed: [String] = []
    }

    public let steps: [Step]
    /// How many rows of each step are kept.
    public static let rowsShown = 3

    /// The summary as rows: one per step (what CSV and the other formats show); with `follow`, what
    /// became of the followed rows as one more column.
    var summary: ResultSet {
        let follows = steps.contains { !$0.followed.isEmpty }
        return ResultSet(columns: [ResultColumn(name: "step", type: .int), ResultColumn(name: "stage", type: .string),
                                   ResultColumn(name: "rows_in", type: .int), ResultColumn(name: "rows_out", type: .int),
                                   ResultColumn(name: "columns", type: .string)] + (follows ? [ResultColumn(name: "followed", type: .string)] : []),
                         rows: steps.enumerated().map { index, step in
                             [.int(index + 1), .string(step.text), step.rowsIn.map { .int($0) } ?? .null, .int(step.rowsOut),
                              .string(step.first.columns.map(\.name).joined(separator: ", "))]
                                 + (follows ? [.string(step.followed.joined(separator: "; "))] : [])
                         })
    }

    func renderText(options: TableOptions) -> String {
        var lines: [String] = []
        var previousColumns: [String]?
        for (index, step) in steps.enumerated() {
            let counts = step.rowsIn.map { "\($0) → \(step.rowsOut) rows" } ?? "\(step.rowsOut) rows"
            lines.append("\(index + 1). \(step.text)   [\(counts)]")
            let columns = step.first.columns.map(\.name)
            lines.append("   columns: " + (columns == previousColumns ? "as before" : columns.joined(separator: ", ")))
            for line in step.followed { lines.append("   ▸ " + TerminalText.escapingControlCharacters(line)) }
            previousColumns = columns
            if step.rowsOut > 0 {
                var shown = options
                shown.maxRows = nil
                shown.maxLineWidth = options.maxLineWidth.map { max(20, $0 - 3) }  // the tables are indented
                let table = TableFormatter(options: shown).render(step.first).split(separator: "\n").dropLast().map { "   " + $0 }
                lines += table
                if step.rowsOut > step.first.rows.count { lines.append("   … \(step.rowsOut - step.first.rows.count) more") }
            }
            lines.append("")
        }
        return lines.dropLast().joined(separator: "\n")
    }

    func renderJSON() -> String {
        let objects = steps.map { step in
            "{\"stage\":" + JSONFormatter.string(step.text) + ",\"rows_in\":" + (step.rowsIn.map(String.init) ?? "null")
                + ",\"rows_out\":\(step.rowsOut),\"columns\":[" + step.first.columns.map { JSONFormatter.string($0.name) }.joined(separator: ",")
                + "],\"followed\":[" + step.followed.map { JSONFormatter.string($0) }.joined(separator: ",")
                + "],\"first_rows\":[" + (step.first.rows.isEmpty ? "" : JSONFormatter.render(step.first, linePerRow: true).replacingAll("\n", with: ",")) + "]}"
        }
        return "[\n" + objects.map { "  " + $0 }.joined(separator: ",\n") + "\n]"
    }
}
