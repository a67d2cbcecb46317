/// The ways a result can be written: for people (`table`, `line`, `markdown`) and for programs
/// (`csv`, `json`, `jsonl`, which standard tools read back exactly).
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, json, jsonl, markdown, line

    public func render(_ result: ResultSet, options: TableOptions = TableOptions()) -> String {
        // A trace is text for people and structure for tools; the other formats give its summary.
        if let trace = result.trace {
            switch self {
            case .table: return trace.renderText(options: options)
            case .json, .jsonl: return trace.renderJSON()
            default: return OutputFormat.render(self)(trace.summary, options: options)
            }
        }
        // A chart is drawn for people; the other formats give the rows it is drawn from.
        if let chart = result.chart {
            let drawing = ChartRenderer(spec: chart, result: result, options: options)
            if self == .table { return drawing.render() }
            return render(drawing.data, options: options)
        }
        return switch self {
        case .table: TableFormatter(options: options).render(result)
        case .csv: CSVFormatter.render(result, escaping: options.toTerminal, headers: options.showsHeaders)
        case .json: JSONFormatter.render(result, linePerRow: false)
        case .jsonl: JSONFormatter.render(result, linePerRow: true)
        case .markdown: MarkdownFormatter.render(result, nullText: options.nullText)
        case .line: LineFormatter.render(result, nullText: options.nullText)
        }
    }
}

public struct TableOptions: Sendable {
    /// Rows shown before "… N not shown"; nil shows all.
    public var maxRows: Int?
    /// Cells wider than this are cut with "…"; nil never cuts.
    public var maxColumnWidth: Int?
    /// The width of the terminal: the widest columns are cut until a line fits; nil never cuts.
    public var maxLineWidth: Int?
    /// How `null` is written in the formats for people (`.nullvalue`); CSV always leaves it empty,
    /// so that what it writes loads back.
    public var nullText = "null"
    /// Whether tables and CSV start with the column names (`.headers`).
    public var showsHeaders = true
    /// Colour (ANSI) for `null`, so it cannot be mistaken for the text "null".
    public var colorsNull = false
    /// Whether the text goes to a terminal: then CSV, too, shows control characters in data as
    /// escapes instead of sending them (the formats for people always do; JSON escapes them itself).
    public var toTerminal = false

    public init(maxRows: Int? = nil, maxColumnWidth: Int? = nil, maxLineWidth: Int? = nil, colorsNull: Bool = false,
                toTerminal: Bool = false) {
        self.maxRows = maxRows
        self.maxColumnWidth = maxColumnWidth
        self.maxLineWidth = maxLineWidth
        self.colorsNull = colorsNull
        self.toTerminal = toTerminal
    }
}

/// psql's aligned format: a header, a rule, the rows, and a row count. Numbers are right-aligned,
/// widths are display widths, so Chinese text lines up.
struct TableFormatter {
    let options: TableOptions

    func render(_ result: ResultSet) -> String {
        let shown = options.maxRows.map { Array(result.rows.prefix($0)) } ?? result.rows
        var cells = shown.map { row in row.map(cellText) }
        var headers = result.columns.map { fit(TerminalText.escapingControlCharacters($0.name)) }
        var widths = headers.map { DisplayWidth.of($0) }
        for row in cells {
            for (c, cell) in row.enumerated() { widths[c] = max(widths[c], DisplayWidth.of(cell)) }
        }
        var rightAligned = result.columns.map { $0.type.isNumeric }
        var isNull = shown.map { $0.map(\.isNull) }
        var hidden = 0
        if let limit = options.maxLineWidth, Self.lineWidth(widths) > limit {
            // As DuckDB shows a wide result: numbers are never cut and text only past a third of
            // the line; if the columns still do not fit, those in the middle give way to one `…`
            // column and the footer says how many are shown.
            let textCap = max(10, limit / 3)
            widths = widths.enumerated().map { rightAligned[$0] ? $1 : min($1, textCap) }
            let kept = Self.columnsShown(widths, into: limit)
            hidden = widths.count - kept.count
            if hidden > 0 {
                let elided = Self.insertingElision(kept, count: widths.count)
                func pick<T>(_ values: [T], _ gap: T) -> [T] { elided.map { $0.map { values[$0] } ?? gap } }
                widths = pick(widths, 1)
                headers = pick(headers, "…")
                rightAligned = pick(rightAligned, false)
                cells = cells.map { pick($0, "…") }
                isNull = isNull.map { pick($0, false) }
            }
            // A lone column wider than the line, or text past the cap, is cut with "…".
            widths = Self.fitting(widths, into: limit)
            headers = headers.enumerated().map { DisplayWidth.truncate($1, to: widths[$0]) }
            cells = cells.map { $0.enumerated().map { DisplayWidth.truncate($1, to: widths[$0]) } }
        }
        var lines: [String] = []
        if options.showsHeaders {
            lines.append(line(headers.enumerated().map { c, h in DisplayWidth.pad(h, to: widths[c], alignRight: rightAligned[c]) }))
            lines.append(widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+"))
        }
        for (r, row) in cells.enumerated() {
            lines.append(line(row.enumerated().map { c, cell in
                let padded = DisplayWidth.pad(cell, to: widths[c], alignRight: rightAligned[c])
                guard options.colorsNull, isNull[r][c] else { return padded }
                return padded.replacingAll(options.nullText, with: "\u{1B}[2m" + options.nullText + "\u{1B}[0m")
            }))
        }
        let count = result.rows.count
        var footer = "(\(count) \(count == 1 ? "row" : "rows")"
        if hidden > 0 { footer += ", \(result.columns.count) columns (\(result.columns.count - hidden) shown; .mode line shows all)" }
        footer += ")"
        if shown.count < count { footer += ", \(count - shown.count) not shown (.maxrows)" }
        lines.append(footer)
        return lines.joined(separator: "\n")
    }

    /// How wide a line of columns this wide is: a space before, ` | ` between.
    static func lineWidth(_ widths: [Int]) -> Int { widths.reduce(0, +) + 3 * widths.count - 1 }

    /// The columns that fit whole, taken from both ends in turn (first, last, second, …) with room
    /// kept for a `…` column between them; at least the first. In their order.
    static func columnsShown(_ widths: [Int], into limit: Int) -> [Int] {
        guard lineWidth(widths) > limit else { return Array(widths.indices) }
        var left: [Int] = [], right: [Int] = []
        var low = 0, high = widths.count - 1
        func width(with extra: Int) -> Int { lineWidth((left + right).map { widths[$0] } + [1, widths[extra]]) }
        var takeLeft = true
        while low <= high {
            let candidate = takeLeft ? low : high
            guard width(with: candidate) <= limit else { break }
            if takeLeft { left.append(low); low += 1 } else { right.insert(high, at: 0); high -= 1 }
            takeLeft.toggle()
        }
        return left.isEmpty ? [0] : left + right
    }

    /// The shown columns with nil where the hidden ones were (after the last of the left part).
    static func insertingElision(_ kept: [Int], count: Int) -> [Int?] {
        let split = kept.firstIndex { $0 > 0 && !kept.contains($0 - 1) } ?? kept.count
        return kept[..<split].map { Optional($0) } + [nil] + kept[split...].map { Optional($0) }
    }

    /// Narrows the widest columns until a line fits (no column below 3): every column wider than a
    /// cap is cut to it, the cap being the largest that fits, and the columns left to spare get one
    /// more. Found by bisection, so a 10 MB cell costs no more than a short one.
    static func fitting(_ widths: [Int], into limit: Int) -> [Int] {
        func total(_ cap: Int) -> Int { widths.reduce(0) { $0 + min($1, cap) } + 3 * widths.count - 1 }
        guard let widest = widths.max(), total(widest) > limit else { return widths }
        var low = 3, high = widest  // total(high) > limit; find the largest cap in [3, high) that fits
        guard total(low) <= limit else { return widths.map { min($0, 3) } }
        while high - low > 1 {
            let mid = (low + high) / 2
            if total(mid) <= limit { low = mid } else { high = mid }
        }
        var spare = limit - total(low)
        return widths.map { width in
            guard width > low else { return width }
            if spare > 0 { spare -= 1; return low + 1 }
            return low
        }
    }

    private func line(_ cells: [String]) -> String {
        (" " + cells.joined(separator: " | ")).trimmingTrailingSpaces()
    }

    private func cellText(_ value: Value) -> String {
        if value.isNull { return fit(TerminalText.escapingControlCharacters(options.nullText)) }
        return fit(TerminalText.escapingControlCharacters(value.description))
    }

    private func fit(_ text: String) -> String {
        options.maxColumnWidth.map { DisplayWidth.truncate(text, to: $0) } ?? text
    }
}

/// One `column = value` line per cell, rows separated by a blank line (sqlite3's `.mode line`).
enum LineFormatter {
    static func render(_ result: ResultSet, nullText: String = "null") -> String {
        let width = result.columns.map { DisplayWidth.of($0.name) }.max() ?? 0
        return result.rows.map { row in
            zip(result.columns, row).map { column, value in
                DisplayWidth.pad(column.name, to: width, alignRight: true) + " = "
                    + TerminalText.escapingControlCharacters(value.isNull ? nullText : value.description)
            }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}

/// RFC 4180: a header row; fields quoted when they hold a comma, quote or line break; null is empty.
enum CSVFormatter {
    static func render(_ result: ResultSet, escaping: Bool = false, headers: Bool = true) -> String {
        let shown: (String) -> String = escaping ? { TerminalText.escapingControlCharacters($0) } : { $0 }
        var lines = headers ? [result.columns.map { field(shown($0.name)) }.joined(separator: ",")] : []
        for row in result.rows {
            lines.append(row.map { $0.isNull ? "" : field(shown($0.description)) }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n")
    }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.hasPrefix(" ") || text.hasSuffix(" ") else {
            return text
        }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }
}

/// A JSON array of objects (or one object per line). A figure is an object with its amount and
/// qualifier, so an approximate number is never read back as an exact one.
enum JSONFormatter {
    static func render(_ result: ResultSet, linePerRow: Bool) -> String {
        let objects = result.rows.map { row in
            "{" + zip(result.columns, row).map { string($0.name) + ":" + value($1) }.joined(separator: ",") + "}"
        }
        if linePerRow { return objects.joined(separator: "\n") }
        return objects.isEmpty ? "[]" : "[\n" + objects.map { "  " + $0 }.joined(separator: ",\n") + "\n]"
    }

    static func value(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .decimal(let d): return d.isFinite ? Value.formatDecimal(d) : "null"
        case .string(let s): return string(s)
        case .figure(let f):
            guard f.amount.isFinite else { return "null" }  // JSON has no infinity or NaN
            return "{\"amount\":\(Value.formatNumber(f.amount)),\"qualifier\":" + (f.qualifier == .exact ? "null" : string(f.qualifier.rawValue)) + "}"
        case .list(let items): return "[" + items.map(Self.value).joined(separator: ",") + "]"
        case .date: return string(value.description)  // JSON has no dates: ISO 8601 text, as JavaScript reads it
        }
    }

    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // C0, DEL, C1 and the invisible format characters (bidi overrides among them) as \u
            // escapes: the JSON is the same text, and a terminal showing it obeys none of them.
            case _ where TerminalText.isHidden(scalar) && scalar.value <= 0xFFFF:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// A GitHub-flavoured Markdown table; `|` in cells is escaped.
enum MarkdownFormatter {
    static func render(_ result: ResultSet, nullText: String = "null") -> String {
        func cell(_ text: String) -> String {
            TerminalText.escapingControlCharacters(text).replacingAll("|", with: "\\|")
        }
        var lines = ["| " + result.columns.map { cell($0.name) }.joined(separator: " | ") + " |"]
        lines.append("|" + result.columns.map { $0.type.isNumeric ? " ---: |" : " --- |" }.joined())
        for row in result.rows {
            lines.append("| " + row.map { cell($0.isNull ? nullText : $0.description) }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// In one pass from the end (dropping one space at a time counted from the start: quadratic).
    func trimmingTrailingSpaces() -> String {
        guard let last = utf8.lastIndex(where: { $0 != 0x20 }) else { return "" }
        return String(self[...last])
    }
}
