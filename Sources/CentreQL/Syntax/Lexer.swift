/// Turns source text into tokens: a switch over character classes, in the manner of Lua's `llex.c`.
///
/// Newlines end statements, so the lexer emits them, except where a statement clearly goes on:
/// inside brackets, next to a `|` (a line that ends with `|` or whose next line starts with one),
/// and after a `,` (a list of fields or keys laid out over lines: no statement ends with a comma).
public struct Lexer {
    private let source: SourceText
    /// The source's scalars, held here: read through `source` at every character, the array was
    /// retained and released each time.
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var bracketDepth = 0
    private(set) var tokens: [Token] = []
    private(set) var diagnostics: [Diagnostic] = []
    /// True when the text ended inside a string literal (the REPL uses this to ask for more input).
    private(set) var endsInsideString = false

    public init(_ source: SourceText) {
        self.source = source
        self.scalars = source.scalars
        tokens.reserveCapacity(source.scalars.count / 3 + 2)
    }

    /// Lexes the whole text: the tokens (always ending with `.end`) and any lexical errors.
    public static func tokenize(_ source: SourceText) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(source)
        lexer.run()
        return (joiningContinuationLines(lexer.tokens), lexer.diagnostics)
    }

    /// The raw tokens (newlines kept), the lexical errors and whether the text ends inside a string:
    /// what completion and highlighting need.
    static func scan(_ source: SourceText) -> (tokens: [Token], diagnostics: [Diagnostic], endsInsideString: Bool) {
        var lexer = Lexer(source)
        lexer.run()
        return (lexer.tokens, lexer.diagnostics, lexer.endsInsideString)
    }

    /// Whether the text is an unfinished statement: an open bracket or string, or a trailing `|`.
    public static func isIncomplete(_ text: String) -> Bool {
        var lexer = Lexer(SourceText(text))
        lexer.run()
        if lexer.endsInsideString || lexer.bracketDepth > 0 { return true }
        let meaningful = lexer.tokens.filter { $0.kind != .newline && $0.kind != .end }
        return meaningful.last?.kind == .pipe || meaningful.last?.kind == .comma
    }

    private mutating func run() {
        if position < scalars.count, scalars[position] == "\u{FEFF}" { position += 1 }  // byte-order mark
        while position < scalars.count {
            scanToken()
        }
        add(.end, from: position)
    }

    private mutating func scanToken() {
        let start = position
        let c = advance()
        switch c {
        case " ", "\t", "\r", "\u{3000}":
            break
        case "\n":
            if bracketDepth == 0 { add(.newline, from: start) }
        case "#":
            while let next = peek(), next != "\n" { position += 1 }
        case "(", "[":
            bracketDepth += 1
            add(c == "(" ? .leftParen : .leftBracket, from: start)
        case ")", "]":
            bracketDepth = max(0, bracketDepth - 1)
            add(c == ")" ? .rightParen : .rightBracket, from: start)
        case "|": add(.pipe, from: start)
        case ",": add(.comma, from: start)
        case ".": add(.dot, from: start)
        case ":": add(.colon, from: start)
        case ";": add(.semicolon, from: start)
        case "+": add(.plus, from: start)
        case "-": add(.minus, from: start)
        case "*": add(.star, from: start)
        case "/": add(.slash, from: start)
        case "%": add(.percent, from: start)
        case "=": add(match("=") ? .equal : .assign, from: start)
        case "<": add(match("=") ? .lessEqual : .less, from: start)
        case ">": add(match("=") ? .greaterEqual : .greater, from: start)
        case "!":
            if match("=") {
                add(.notEqual, from: start)
            } else {
                diagnostics.append(.unexpectedCharacter("!", range: SourceRange(start, position), suggestion: "not"))
            }
        case "?":
            if match("?") {
                add(.coalesce, from: start)
            } else {
                diagnostics.append(.unexpectedCharacter("?", range: SourceRange(start, position), suggestion: "??"))
            }
        case "\"", "'":
            scanString(quote: c, closing: c, start: start)
        case "\u{201C}", "\u{2018}", "「", "『":  // “ ‘ 「 『: read the string so the rest of the line still parses
            let closing: Unicode.Scalar = switch c { case "\u{201C}": "\u{201D}"; case "\u{2018}": "\u{2019}"; case "「": "」"; default: "』" }
            scanString(quote: c, closing: closing, start: start)
        case "$":
            scanParameter(start: start)
        case "@":
            scanDate(start: start)
        default:
            if c.isASCIIDigit {
                scanNumber(start: start)
            } else if c.isIdentifierStart {
                scanIdentifier(start: start)
            } else if var ascii = Self.fullwidthEquivalents[c] {
                // `＝＝`, `！＝`, `＜＝`: one operator, so one error with one fix (not one per character).
                if let next = peek(), let second = Self.fullwidthEquivalents[next] ?? (next.isASCII ? String(next) : nil),
                   let pair = TokenKind(rawValue: ascii + second), pair.rawValue.count == 2, !pair.isKeyword {
                    position += 1
                    ascii += second
                }
                var text = source.slice(start..<position)
                if text.unicodeScalars.count == 1 { text = String(c) }
                diagnostics.append(.unexpectedCharacter(text, range: SourceRange(start, position), suggestion: ascii))
                // Read it as the ASCII it stands for, so the rest of the statement still parses.
                if let kind = TokenKind(rawValue: ascii) {
                    if kind == .leftParen || kind == .leftBracket { bracketDepth += 1 }
                    if kind == .rightParen || kind == .rightBracket { bracketDepth = max(0, bracketDepth - 1) }
                    add(kind, from: start)
                }
            } else {
                diagnostics.append(.unexpectedCharacter(String(c), range: SourceRange(start, position), suggestion: nil))
            }
        }
    }

    /// Fullwidth punctuation that a Chinese input method types in place of the ASCII a query needs.
    static let fullwidthEquivalents: [Unicode.Scalar: String] = [
        "｜": "|", "（": "(", "）": ")", "，": ",", "＝": "=", "：": ":", "；": ";", "【": "[", "】": "]",
        "＞": ">", "＜": "<", "！": "!", "＄": "$", "＂": "\"", "＃": "#", "。": ".",
    ]

    private mutating func scanString(quote: Unicode.Scalar, closing: Unicode.Scalar, start: Int) {
        var value = String.UnicodeScalarView()
        while true {
            guard let c = peek(), c != "\n" else {
                endsInsideString = true
                diagnostics.append(.unterminatedString(range: SourceRange(start, position)))
                add(.string, from: start, value: String(value))
                return
            }
            position += 1
            if c == closing { break }
            if c == "\\" {
                let escapeStart = position - 1
                guard let e = peek() else { continue }
                position += 1
                switch e {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                case "\\", "\"", "'": value.append(e)
                case "u":
                    if let scalar = scanUnicodeEscape() {
                        value.append(scalar)
                    } else {
                        diagnostics.append(.invalidEscape(source.slice(escapeStart..<position), range: SourceRange(escapeStart, position)))
                    }
                default:
                    diagnostics.append(.invalidEscape("\\\(e)", range: SourceRange(escapeStart, position)))
                }
            } else {
                value.append(c)
            }
        }
        if quote != "\"" && quote != "'" {
            diagnostics.append(.curlyQuotes(range: SourceRange(start, position), value: String(value)))
        }
        add(.string, from: start, value: String(value))
    }

    /// `\u{4E2D}`: one to six hex digits in braces.
    private mutating func scanUnicodeEscape() -> Unicode.Scalar? {
        guard match("{") else { return nil }
        var digits = ""
        while let c = peek(), c.properties.isASCIIHexDigit, digits.count < 6 {
            digits.unicodeScalars.append(c)
            position += 1
        }
        guard match("}"), let code = UInt32(digits, radix: 16) else { return nil }
        return Unicode.Scalar(code)
    }

    private mutating func scanParameter(start: Int) {
        let nameStart = position
        while let c = peek(), c.isIdentifierContinue { position += 1 }
        if position == nameStart {
            diagnostics.append(.parameterNeedsName(range: SourceRange(start, position)))
        }
        add(.parameter, from: start, value: source.slice(nameStart..<position))
    }

    /// `@2019-12-31`: `@`, then the date's digits and dashes, read whole so that a wrong one is one
    /// error naming the date, not a date and some arithmetic.
    private mutating func scanDate(start: Int) {
        let bodyStart = position
        while let c = peek(), c.isASCIIDigit || c == "-" { position += 1 }
        // `@2019-12-31-7` is a date minus 7: a valid date ends after its ten characters.
        if position - bodyStart > 10, CalendarDate.days(reading: Substring(source.slice(bodyStart..<bodyStart + 10))) != nil {
            position = bodyStart + 10
        }
        let body = source.slice(bodyStart..<position)
        guard CalendarDate.days(reading: Substring(body)) != nil else {
            diagnostics.append(.invalidDate(source.slice(start..<position), range: SourceRange(start, position)))
            add(.date, from: start, value: "1970-01-01")  // read as a date, so the rest still parses
            return
        }
        add(.date, from: start, value: body)
    }

    private mutating func scanNumber(start: Int) {
        while let c = peek(), c.isASCIIDigit || c == "_" { position += 1 }
        var kind = TokenKind.integer
        if peek() == ".", let next = peek(1), next.isASCIIDigit {
            kind = .decimal
            position += 1
            while let c = peek(), c.isASCIIDigit || c == "_" { position += 1 }
        }
        let text = source.slice(start..<position)
        let digits = String(text.filter { $0 != "_" })
        if kind == .integer, Int(digits) == nil {
            diagnostics.append(.integerTooLarge(text, range: SourceRange(start, position)))
        }
        add(kind, from: start, value: digits)
    }

    private mutating func scanIdentifier(start: Int) {
        while let c = peek(), c.isIdentifierContinue { position += 1 }
        if let keyword = TokenKind.keyword(spelt: scalars[start..<position]) {
            add(keyword, from: start, lexeme: keyword.rawValue)  // the spelling is the kind's own: no slice
        } else {
            add(.identifier, from: start)
        }
    }

    // MARK: Helpers

    private mutating func advance() -> Unicode.Scalar {
        defer { position += 1 }
        return scalars[position]
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        position + ahead < scalars.count ? scalars[position + ahead] : nil
    }

    private mutating func match(_ expected: Unicode.Scalar) -> Bool {
        guard peek() == expected else { return false }
        position += 1
        return true
    }

    private mutating func add(_ kind: TokenKind, from start: Int, value: String? = nil, lexeme: String? = nil) {
        // Punctuation typed in ASCII is spelt as its kind (a fullwidth one keeps its own text).
        let lexeme = lexeme ?? (kind.isPunctuation && scalars[start].isASCII ? kind.rawValue : source.slice(start..<position))
        tokens.append(Token(kind: kind, lexeme: lexeme, value: value ?? lexeme, range: SourceRange(start, position)))
    }

    /// Drops the newlines that do not end a statement: repeated ones, leading ones, those just
    /// before or after a `|`, so that a pipeline can be laid out one stage per line, and those
    /// after a `,`, so that a long list of fields can go on over lines.
    static func joiningContinuationLines(_ tokens: [Token]) -> [Token] {
        if !tokens.contains(where: { $0.kind == .newline }) { return tokens }  // one line: nothing to join
        var result: [Token] = []
        result.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() {
            if token.kind == .newline {
                let previous = result.last?.kind
                if previous == nil || previous == .newline || previous == .pipe || previous == .comma { continue }
                var next = index + 1
                while next < tokens.count, tokens[next].kind == .newline { next += 1 }
                if next < tokens.count, tokens[next].kind == .pipe { continue }
            }
            result.append(token)
        }
        return result
    }
}

extension Unicode.Scalar {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    var isIdentifierStart: Bool {
        // ASCII first: most queries are mostly ASCII, and Unicode properties cost a table lookup.
        if isASCII { return self == "_" || ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
        return properties.isAlphabetic && Lexer.fullwidthEquivalents[self] == nil
    }
    var isIdentifierContinue: Bool { isIdentifierStart || isASCIIDigit }
}
