/// What each part of a statement is, for colouring it as it is typed. It reads the engine's own
/// lexer, so the colours can never disagree with what the parser will see.
public enum SyntaxHighlighting {
    public enum Kind: Sendable, Hashable {
        case keyword, function, string, number, parameter, comment
        /// What cannot stand as typed: an unclosed string, a bracket without its partner, a
        /// character the language does not use.
        case problem
    }

    /// A run of Unicode scalars (offsets into the text's scalars) and what it is.
    public struct Span: Sendable, Hashable {
        public let range: Range<Int>
        public let kind: Kind
    }

    /// The spans of `text` in order, not overlapping; what they leave out is plain.
    public static func spans(of text: String) -> [Span] {
        let source = SourceText(text)
        let (tokens, diagnostics, _) = Lexer.scan(source)
        var spans: [Span?] = []  // nil: a bracket whose partner was found
        // Brackets not yet closed: their kind and their span's index. A bracket is marked a
        // problem until its partner comes, so an unclosed one stays marked.
        var open: [(kind: TokenKind, span: Int)] = []
        var previousEnd = 0
        for (index, token) in tokens.enumerated() where token.kind != .end && token.kind != .newline {
            spans += comments(in: source.scalars, from: previousEnd, to: token.range.start) as [Span?]
            previousEnd = token.range.end
            let range = token.range.start..<token.range.end
            switch token.kind {
            case .string: spans.append(Span(range: range, kind: .string))
            case .integer, .decimal, .date: spans.append(Span(range: range, kind: .number))
            case .parameter: spans.append(Span(range: range, kind: .parameter))
            case .identifier:
                let next = tokens[(index + 1)...].first { $0.kind != .newline }
                if next?.kind == .leftParen { spans.append(Span(range: range, kind: .function)) }
            case .leftParen, .leftBracket:
                open.append((token.kind, spans.count))
                spans.append(Span(range: range, kind: .problem))
            case .rightParen, .rightBracket:
                let partner: TokenKind = token.kind == .rightParen ? .leftParen : .leftBracket
                if let last = open.last, last.kind == partner {
                    open.removeLast()
                    spans[last.span] = nil
                } else {
                    spans.append(Span(range: range, kind: .problem))
                }
            default:
                if token.kind.isKeyword { spans.append(Span(range: range, kind: .keyword)) }
            }
        }
        spans += comments(in: source.scalars, from: previousEnd, to: source.scalars.count)
        // What the lexer refused: an unclosed string, a stray character.
        for diagnostic in diagnostics where diagnostic.code == "E001" || diagnostic.code == "E002" {
            let range = diagnostic.range.start..<max(diagnostic.range.end, diagnostic.range.start + 1)
            spans.removeAll { $0?.range.overlaps(range) ?? false }
            spans.append(Span(range: range, kind: .problem))
        }
        return spans.compactMap { $0 }.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// A `#` between tokens starts a comment that runs to the end of its line.
    private static func comments(in scalars: [Unicode.Scalar], from start: Int, to end: Int) -> [Span] {
        var result: [Span] = []
        var position = start
        while position < end {
            if scalars[position] == "#" {
                var stop = position
                while stop < end, scalars[stop] != "\n" { stop += 1 }
                result.append(Span(range: position..<stop, kind: .comment))
                position = stop
            }
            position += 1
        }
        return result
    }
}
