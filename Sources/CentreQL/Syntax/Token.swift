/// A lexeme with its kind and where it came from. Tokens are plain values, as in *Crafting Interpreters*.
public struct Token: Sendable, Hashable {
    public let kind: TokenKind
    /// The source text of the token.
    public let lexeme: String
    /// For string literals the decoded value; for parameters the name without `$`.
    public let value: String
    public let range: SourceRange
}

public enum TokenKind: String, Sendable, Hashable, CaseIterable {
    // Literals and names
    case identifier, integer, decimal, string, parameter
    /// `@2019-12-31`; its value is the text after `@`.
    case date
    // Punctuation
    case pipe = "|", leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
    case comma = ",", dot = ".", colon = ":", semicolon = ";", assign = "="
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case coalesce = "??"
    // Keywords
    case `let`, param, explain, trace, follow, `where`, select, derive, group, agg, sort, asc, desc, take, count, distinct
    case append, except, intersect, explode, unpivot, into, pivot, by, chart
    case join, left, `as`, on, and, or, not, `in`, contains, starts_with, ends_with, matches
    case `true`, `false`, null
    case `if`, then, `else`
    // Structure
    case newline, end

    /// The reserved words, by spelling: every case spelt as a word, except the kinds of literal and name.
    static let keywords: [String: TokenKind] = {
        let words = allCases.filter { $0.rawValue.first!.isLetter && !nonWords.contains($0) }
        return Dictionary(uniqueKeysWithValues: words.map { ($0.rawValue, $0) })
    }()

    /// The kinds that stand for literals, names and structure rather than a spelling of their own.
    static let nonWords: Set<TokenKind> = [.identifier, .integer, .decimal, .string, .parameter, .date, .newline, .end]

    public var isKeyword: Bool { Self.keywords[rawValue] == self }

    /// Spelt by punctuation characters rather than letters (`|`, `==`, `??`).
    var isPunctuation: Bool {
        switch self {
        case .pipe, .leftParen, .rightParen, .leftBracket, .rightBracket, .comma, .dot, .colon, .semicolon, .assign,
             .plus, .minus, .star, .slash, .percent, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .coalesce:
            true
        default: false
        }
    }

    /// The keyword spelt by `scalars`, if any, found without making a string: the lexer asks this of
    /// every name it reads. Keywords are short lowercase ASCII words, packed 5 bits a letter into an
    /// integer and looked up in a small open-addressed table.
    static func keyword(spelt scalars: ArraySlice<Unicode.Scalar>) -> TokenKind? {
        guard let key = packedKeyword(scalars) else { return nil }
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 57)
        while let (stored, kind) = keywordTable[slot] {
            if stored == key { return kind }
            slot = (slot + 1) & (keywordTable.count - 1)
        }
        return nil
    }

    /// `a`–`z` and `_` as 1–27, five bits each; nil for anything longer than 12 or spelt otherwise.
    private static func packedKeyword<S: Collection<Unicode.Scalar>>(_ scalars: S) -> UInt64? {
        guard scalars.count <= 12 else { return nil }
        var key: UInt64 = 0
        for scalar in scalars {
            let v = scalar.value
            let code: UInt64
            if v >= 97, v <= 122 { code = UInt64(v - 96) } else if v == 95 { code = 27 } else { return nil }
            key = key << 5 | code
        }
        return key
    }

    private static let keywordTable: [(UInt64, TokenKind)?] = {
        var table = [(UInt64, TokenKind)?](repeating: nil, count: 128)
        for (spelling, kind) in keywords {
            let key = packedKeyword(spelling.unicodeScalars)!
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 57)
            while table[slot] != nil { slot = (slot + 1) & (table.count - 1) }
            table[slot] = (key, kind)
        }
        return table
    }()

    /// How the token is named in messages: `'|'`, `keyword 'where'`, `a string`.
    var description: String {
        switch self {
        case .identifier: return "a name"
        case .integer: return "a whole number"
        case .decimal: return "a decimal number"
        case .string: return "a string"
        case .parameter: return "a parameter"
        case .date: return "a date"
        case .newline: return "the end of the line"
        case .end: return "the end of the input"
        default: return isKeyword ? "keyword '\(rawValue)'" : "'\(rawValue)'"
        }
    }
}
