/// Renders a diagnostic the way compilers do: `FILE:LINE:COL: error[CODE]: message`, the source line,
/// a caret line under the exact span (measured in display columns, so Chinese text lines up), and the hint.
public struct DiagnosticRenderer: Sendable {
    public let source: SourceText
    /// The name shown before the line and column; defaults to the source's name; empty: none.
    public var displayName: String?
    public var useColor = false
    /// The widest source line shown whole; longer ones are cut around the span. On a terminal it is
    /// the terminal's width less the gutter, so the caret lands under the span, not under a wrap.
    public var lineWidth = 120

    public init(source: SourceText, displayName: String? = nil, useColor: Bool = false) {
        self.source = source
        self.displayName = displayName
        self.useColor = useColor
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        let start = source.location(of: diagnostic.range.start)
        let lineText = source.line(start.line)
        let lineEnd = start.offset - start.column + 1 + lineText.unicodeScalars.count
        let spanEnd = min(max(diagnostic.range.end, diagnostic.range.start + 1), max(lineEnd, start.offset + 1))
        let before = source.slice((start.offset - start.column + 1)..<start.offset)
        let spanned = source.slice(start.offset..<spanEnd)
        let gutter = String(start.line)
        let pad = String(repeating: " ", count: gutter.count)
        let after = source.slice(spanEnd..<max(spanEnd, lineEnd))  // a span at the end of the input starts past the line
        // A very long line (a pasted list, a generated query) is shown as a window around the span.
        let escaped = [before, spanned, after].map { TerminalText.escapingControlCharacters($0) }
        let isLong = DisplayWidth.of(escaped.joined()) > lineWidth
        let shown = isLong ? [DisplayWidth.truncateLeading(escaped[0], to: lineWidth / 3),
                              DisplayWidth.truncate(escaped[1], to: lineWidth / 3),
                              DisplayWidth.truncate(escaped[2], to: lineWidth / 3)] : escaped
        let shownLine = shown.joined()
        let indent = String(repeating: " ", count: DisplayWidth.of(shown[0]))
        let carets = String(repeating: "^", count: max(1, DisplayWidth.of(shown[1])))

        // Messages quote the source (names, values, files): shown, never obeyed, as the line is.
        let safe = { (text: String) in TerminalText.escapingControlCharacters(text, keepingLineBreaks: true) }
        let name = displayName ?? source.name
        var lines = ["\(name.isEmpty ? "" : safe(name) + ":")\(start.line):\(start.column): \(diagnostic.severity == .error ? paint("error[\(diagnostic.code)]", "1;31") : paint("note[\(diagnostic.code)]", "1;36")): \(safe(diagnostic.message))"]
        lines.append("\(pad) |")
        lines.append("\(gutter) | \(shownLine)")
        lines.append("\(pad) | \(indent)\(paint(carets, "1;31"))")
        if let hint = diagnostic.hint {
            lines.append("\(pad) = \(paint("help", "1;36")): \(safe(hint))")
        }
        // The fix-it applied to the line, when the span lies within it: the corrected text to copy.
        if let fixIt = diagnostic.fixIt, diagnostic.range.end <= lineEnd, !isLong {
            let after = source.slice(diagnostic.range.end..<lineEnd)
            let fixed = TerminalText.escapingControlCharacters(before + fixIt + after)
            lines.append("\(pad) = \(paint("fix", "1;32")): \(fixed)")
        }
        return lines.joined(separator: "\n")
    }

    private func paint(_ text: String, _ sgr: String) -> String {
        useColor ? "\u{1B}[\(sgr)m\(text)\u{1B}[0m" : text
    }
}
