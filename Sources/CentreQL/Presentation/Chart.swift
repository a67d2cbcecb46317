import Foundation

/// What `chart KIND …` draws. The stage itself is a `select` of its label and value (so SQL, JSON and
/// CSV get the data); the kind travels with the result and only the formats for people draw it.
public enum ChartKind: String, Sendable, CaseIterable {
    /// One horizontal bar per row (`hbar` is the same, for those who look for it by that name).
    case bar, hbar
    /// One vertical column per row, labels underneath.
    case column
    /// How many values fall in each of N equal ranges.
    case histogram
    /// Y against X, the points joined in X's order.
    case line
    /// The values in one line of block characters.
    case spark

    /// How it is written (help, errors).
    public var usage: String {
        switch self {
        case .bar, .hbar, .column: "chart \(rawValue) LABEL, VALUE"
        case .histogram: "chart histogram VALUE [bins N]"
        case .line: "chart line X, Y"
        case .spark: "chart spark VALUE"
        }
    }

    /// How many expressions follow the kind: a label (or X) and a value, or a value alone.
    var fieldCount: Int {
        switch self {
        case .bar, .hbar, .column, .line: 2
        case .histogram, .spark: 1
        }
    }
}

/// A chart as the result carries it: its kind, and for a histogram the number of bins asked for.
public struct ChartSpec: Sendable, Equatable {
    public let kind: ChartKind
    public let bins: Int?
    /// The most bins a histogram may ask for (more than a terminal has lines to show).
    static let maximumBins = 200
}

/// Draws a chart's rows as text with Unicode block characters: labels aligned by display width
/// (Chinese takes two columns), the longest bar as wide as the line allows, each value written as
/// the table writes it (a figure with its wording, `18000余`), and a null listed as missing rather
/// than drawn as 0. Deterministic for a given width, so charts appear in `check` blocks.
struct ChartRenderer {
    let spec: ChartSpec
    let result: ResultSet
    /// The line width to fill; scripts and `check` blocks use 80.
    let width: Int
    /// The most bars or columns drawn (`.maxrows`); nil draws all.
    let maxRows: Int?

    static let defaultWidth = 80
    private static let eighthsAcross = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    private static let eighthsUp = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    init(spec: ChartSpec, result: ResultSet, options: TableOptions) {
        self.spec = spec
        self.result = result
        self.width = max(40, options.maxLineWidth ?? Self.defaultWidth)
        self.maxRows = options.maxRows
    }

    func render() -> String {
        let lines: [String]
        if result.rows.isEmpty { return title() + "\nno rows to draw" }
        switch spec.kind {
        case .bar, .hbar: lines = bars(labelled(), title: title())
        case .column: lines = columns()
        case .histogram: lines = histogram()
        case .line: lines = lineChart()
        case .spark: lines = spark()
        }
        return lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n")
    }

    /// What `--format csv|json` writes: the rows drawn (for a histogram, its bins).
    var data: ResultSet {
        guard spec.kind == .histogram else { return ResultSet(columns: result.columns, rows: result.rows) }
        let bins = histogramBins()
        return ResultSet(columns: [ResultColumn(name: "from", type: .decimal), ResultColumn(name: "to", type: .decimal),
                                  ResultColumn(name: "count", type: .int)],
                         rows: bins.counts.enumerated().map { [.decimal(bins.edge($0)), .decimal(bins.edge($0 + 1)), .int($1)] })
    }

    // MARK: Pieces every kind uses

    private struct Item {
        let label: String
        let value: Double?
        let text: String
    }

    private static func text(_ value: Value) -> String {
        TerminalText.escapingControlCharacters(value.description)
    }

    /// The rows as (label, value) pairs: column 0 the label, column 1 the value.
    private func labelled() -> [Item] {
        result.rows.map { row in
            Item(label: DisplayWidth.truncate(Self.text(row[0]), to: max(6, width / 3)), value: row[1].number, text: Self.text(row[1]))
        }
    }

    private func title() -> String {
        result.columns.count == 2 ? "\(result.columns[1].name) by \(result.columns[0].name)" : result.columns[0].name
    }

    /// A short number for axes and bin edges: whole numbers without a point, others to 4 figures.
    static func short(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
        return String(format: "%.4g", number)
    }

    /// The rows past `maxRows`, as a last line.
    private func cut<T>(_ items: [T]) -> (shown: [T], more: String?) {
        guard let maxRows, items.count > maxRows else { return (items, nil) }
        return (Array(items.prefix(maxRows)), "… \(items.count - maxRows) more not shown")
    }

    // MARK: Bars

    /// One line per item: `label │████▍ value`. Negative values grow left of the axis.
    private func bars(_ all: [Item], title: String) -> [String] {
        let (items, more) = cut(all)
        let labelWidth = items.map { DisplayWidth.of($0.label) }.max() ?? 0
        let textWidth = items.map { DisplayWidth.of($0.text) }.max() ?? 0
        let area = max(10, width - labelWidth - textWidth - 3)
        let values = items.compactMap(\.value)
        let high = max(0, values.max() ?? 0), low = min(0, values.min() ?? 0)
        let span = high - low
        let left = span > 0 ? Int((Double(area) * -low / span).rounded()) : 0
        let right = area - left
        var lines = [title]
        for item in items {
            var line = DisplayWidth.pad(item.label, to: labelWidth) + " "
            guard let value = item.value else {
                lines.append(line + String(repeating: " ", count: left) + "│ missing (null)")
                continue
            }
            if value < 0 {
                let cells = Int((Double(left) * value / low).rounded())
                line += String(repeating: " ", count: left - cells) + String(repeating: "█", count: cells) + "│"
            } else {
                line += String(repeating: " ", count: left) + "│"
                var eighths = high > 0 ? Int((Double(right * 8) * value / high).rounded()) : 0
                if value > 0 { eighths = max(eighths, 1) }  // a small value stays visible
                line += String(repeating: "█", count: eighths / 8) + Self.eighthsAcross[eighths % 8]
            }
            lines.append(line + " " + item.text)
        }
        return lines + (more.map { [$0] } ?? [])
    }

    // MARK: Columns

    /// One column per item, eight lines high, values and labels underneath; when they do not fit
    /// the line, bars instead.
    private func columns() -> [String] {
        let (items, more) = cut(labelled().map { Item(label: DisplayWidth.truncate($0.label, to: 8), value: $0.value, text: $0.text) })
        let slots = items.map { max(2, DisplayWidth.of($0.label), DisplayWidth.of($0.text)) }
        guard slots.reduce(0, { $0 + $1 + 1 }) <= width else {
            return bars(labelled(), title: title() + " (as bars: \(items.count) columns do not fit in \(width))")
        }
        let height = 8
        let values = items.compactMap(\.value)
        let high = max(0, values.max() ?? 0), low = min(0, values.min() ?? 0)
        let below = high - low > 0 ? Int((Double(height) * -low / (high - low)).rounded()) : 0
        let above = height - below
        func cell(_ item: Item, _ slot: Int, row: Int) -> String {
            // Rows 0..<above stand for (0, high], top first; rows after the axis for [low, 0).
            guard let value = item.value else { return String(repeating: " ", count: slot) }
            let mark: String
            if row < above {
                let step = high / Double(above)
                let bottom = Double(above - row - 1) * step
                let filled = step > 0 ? (value - bottom) / step : 0
                mark = Self.eighthsUp[min(8, max(0, Int((filled * 8).rounded())))]
            } else {
                let step = -low / Double(below)
                let top = -Double(row - above) * step
                mark = value < 0 && value <= top - step / 2 ? "█" : " "
            }
            return String(repeating: mark, count: slot)
        }
        var lines = [title()]
        for row in 0..<height {
            if row == above { lines.append(slots.map { String(repeating: "─", count: $0) }.joined(separator: "─")) }
            lines.append(zip(items, slots).map { cell($0, $1, row: row) }.joined(separator: " "))
        }
        if below == 0 { lines.append(slots.map { String(repeating: "─", count: $0) }.joined(separator: "─")) }
        lines.append(zip(items, slots).map { DisplayWidth.pad($0.label, to: $1) }.joined(separator: " "))
        lines.append(zip(items, slots).map { DisplayWidth.pad($0.value == nil ? "null" : $0.text, to: $1, alignRight: false) }.joined(separator: " "))
        let missing = items.filter { $0.value == nil }.map(\.label)
        if !missing.isEmpty { lines.append("missing (null): " + missing.joined(separator: ", ")) }
        return lines + (more.map { [$0] } ?? [])
    }

    // MARK: Histogram

    private struct Bins {
        let low: Double, step: Double
        var counts: [Int]
        let missing: Int
        /// Whole-number values: bins of whole numbers, labelled by the numbers they hold (`13–14`).
        var isWhole = false
        func edge(_ i: Int) -> Double { low + Double(i) * step }

        func label(_ i: Int) -> String {
            if step == 0 { return ChartRenderer.short(low) }
            if isWhole {
                let first = edge(i), last = edge(i + 1) - 1
                return first == last ? ChartRenderer.short(first) : "\(ChartRenderer.short(first))–\(ChartRenderer.short(last))"
            }
            return "[\(ChartRenderer.short(edge(i))), \(ChartRenderer.short(edge(i + 1)))\(i == counts.count - 1 ? "]" : ")")"
        }
    }

    /// Equal ranges from the smallest value to the largest (the last one closed): as many as asked,
    /// or Sturges' rule (log₂ n + 1, at most 20). Whole numbers are binned by whole numbers, so a
    /// bin never splits one (at most as many bins as there are numbers in the range).
    private func histogramBins() -> Bins {
        let values = result.rows.compactMap { $0[0].number }
        let missing = result.rows.count - values.count
        guard let low = values.min(), let high = values.max() else { return Bins(low: 0, step: 1, counts: [], missing: missing) }
        let asked = spec.bins ?? min(20, Int(log2(Double(values.count)).rounded(.up)) + 1)
        guard high > low else { return Bins(low: low, step: 0, counts: [values.count], missing: missing) }  // one value: one bin
        let isWhole = values.allSatisfy { $0 == $0.rounded() && abs($0) < 1e15 }
        let step = isWhole ? ((high - low + 1) / Double(asked)).rounded(.up) : (high - low) / Double(asked)
        let count = isWhole ? Int(((high - low + 1) / step).rounded(.up)) : asked
        var counts = [Int](repeating: 0, count: count)
        for value in values { counts[min(count - 1, Int((value - low) / step))] += 1 }
        return Bins(low: low, step: step, counts: counts, missing: missing, isWhole: isWhole)
    }

    private func histogram() -> [String] {
        let bins = histogramBins()
        if bins.counts.isEmpty { return [title(), "no values to draw: every one is missing (null)"] }
        let items = bins.counts.indices.map { i in
            Item(label: bins.label(i),
                        value: Double(bins.counts[i]), text: String(bins.counts[i]))
        }
        let values = result.rows.count - bins.missing
        var lines = bars(items, title: "\(result.columns[0].name): \(values) value\(values == 1 ? "" : "s") in \(items.count) bin\(items.count == 1 ? "" : "s")")
        if bins.missing > 0 { lines.append("missing (null): \(bins.missing) row\(bins.missing == 1 ? "" : "s")") }
        return lines
    }

    // MARK: Line

    /// Y against X on a grid ten lines high: `•` at each point, `·` joining them; X placed by value
    /// when it is a number or a date, else by row order.
    private func lineChart() -> [String] {
        let byValue = result.columns[0].type.isNumeric || result.columns[0].type == .date
        var points: [(x: Double, y: Double, row: Int)] = []
        var missing: [String] = []
        for (index, row) in result.rows.enumerated() {
            let x: Double? = byValue ? (row[0].number ?? { if case .date(let d) = row[0] { Double(d) } else { nil } }()) : Double(index)
            guard let x, let y = row[1].number else { missing.append(Self.text(row[0])); continue }
            points.append((x, y, index))
        }
        guard let first = points.min(by: { $0.x < $1.x }), let last = points.max(by: { $0.x < $1.x }) else {
            return [title(), "no points: every row's value is missing (null)"]
        }
        points.sort { $0.x < $1.x }
        let ys = points.map(\.y)
        let (low, high) = (ys.min()!, ys.max()!)
        let axisLabels = [Self.short(high), Self.short(low)]
        let labelWidth = axisLabels.map { DisplayWidth.of($0) }.max()!
        let height = 10, plotWidth = width - labelWidth - 2
        var grid = [[String]](repeating: [String](repeating: " ", count: plotWidth), count: height)
        func column(_ x: Double) -> Int { last.x > first.x ? Int(((x - first.x) / (last.x - first.x) * Double(plotWidth - 1)).rounded()) : plotWidth / 2 }
        func row(_ y: Double) -> Int { high > low ? height - 1 - Int(((y - low) / (high - low) * Double(height - 1)).rounded()) : height / 2 }
        for (a, b) in zip(points, points.dropFirst()) {
            let (c0, c1) = (column(a.x), column(b.x))
            guard c1 > c0 + 1 else { continue }
            for c in (c0 + 1)..<c1 {
                let y = a.y + (b.y - a.y) * Double(c - c0) / Double(c1 - c0)
                grid[row(y)][c] = "·"
            }
        }
        for point in points { grid[row(point.y)][column(point.x)] = "•" }
        var lines = [title()]
        for (r, cells) in grid.enumerated() {
            let label = r == 0 ? axisLabels[0] : r == height - 1 ? axisLabels[1] : ""
            lines.append(DisplayWidth.pad(label, to: labelWidth, alignRight: true) + " ┤" + cells.joined())
        }
        lines.append(String(repeating: " ", count: labelWidth) + " └" + String(repeating: "─", count: plotWidth))
        let (from, to) = (Self.text(result.rows[first.row][0]), Self.text(result.rows[last.row][0]))
        let gap = max(1, plotWidth - DisplayWidth.of(from) - DisplayWidth.of(to))
        lines.append(String(repeating: " ", count: labelWidth + 2) + from + (points.count > 1 ? String(repeating: " ", count: gap) + to : ""))
        if !missing.isEmpty { lines.append("missing (null): " + missing.joined(separator: ", ")) }
        return lines
    }

    // MARK: Sparkline

    /// The values in one line, lowest `▁` to highest `█`, a null as a space, then the range.
    private func spark() -> [String] {
        let values = result.rows.map { $0[0].number }
        let present = values.compactMap { $0 }
        guard let low = present.min(), let high = present.max() else { return ["\(result.columns[0].name): no values (every one is null)"] }
        let room = max(10, width - 40)
        let shown = values.prefix(room)
        let marks = shown.map { value -> String in
            guard let value else { return " " }
            let level = high > low ? Int(((value - low) / (high - low) * 7).rounded()) : 3
            return Self.eighthsUp[level + 1]
        }.joined()
        let lowText = Self.text(result.rows.first { $0[0].number == low }![0])
        let highText = Self.text(result.rows.first { $0[0].number == high }![0])
        var notes = ["min \(lowText)", "max \(highText)", "\(present.count) value\(present.count == 1 ? "" : "s")"]
        if present.count < values.count { notes.append("\(values.count - present.count) missing (null)") }
        if shown.count < values.count { notes.append("the first \(shown.count) shown") }
        return ["\(result.columns[0].name) " + marks + "  " + notes.joined(separator: ", ")]
    }
}
