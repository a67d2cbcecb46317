/// Regular expressions for `matches`, run by a Pike VM (Thompson's construction), so matching time
/// grows with the text times the pattern and never explodes: a pattern such as `(a*)*b` cannot hang a
/// query the way a backtracking engine can. It works on characters as a reader counts them.
///
/// Syntax: literals, `.`, `[…]` and `[^…]` with ranges, `\d \w \s` and their capitals, escapes
/// `\. \\ \n \t …`, groups `(…)` and `(?:…)`, `|`, `* + ?`, `{n}`, `{n,}`, `{n,m}` (lazy `?` accepted),
/// and the anchors `^` and `$`. A match may start anywhere unless the pattern starts with `^`.
struct Pattern: Sendable {
    enum Problem: Error, CustomStringConvertible {
        case message(String, at: Int)
        var description: String {
            switch self {
            case .message(let text, let position): "\(text) (at character \(position + 1) of the pattern)"
            }
        }
    }

    private enum Instruction: Sendable {
        case character(CharacterTest)
        case split(Int, Int)
        case jump(Int)
        case atStart
        case atEnd
        case match
    }

    fileprivate indirect enum CharacterTest: Sendable {
        case literal(Character)
        case any
        case digit, word, space
        case range(Character, Character)
        case set([CharacterTest], negated: Bool)
        case not(CharacterTest)

        func accepts(_ c: Character) -> Bool {
            switch self {
            case .literal(let l): return c == l
            case .any: return c != "\n"
            case .digit: return c.isASCII && c.isNumber
            case .word: return c == "_" || c.isLetter || c.isNumber
            case .space: return c.isWhitespace
            case .range(let low, let high): return low <= c && c <= high
            case .set(let items, let negated): return items.contains { $0.accepts(c) } != negated
            case .not(let test): return !test.accepts(c)
            }
        }
    }

    /// The largest program a pattern may compile to; `x{1000}{1000}` is refused rather than built.
    static let maximumSize = 20_000

    private let program: [Instruction]

    init(_ pattern: String) throws(Problem) {
        var parser = PatternParser(Array(pattern))
        let tree = try parser.parseAll()
        var program: [Instruction] = []
        try Self.emit(tree, into: &program)
        program.append(.match)
        self.program = program
    }

    /// Whether the pattern matches somewhere in `text`.
    func matches(_ text: String, interruption: Interruption? = nil) throws -> Bool {
        let characters = Array(text)
        var current: [Int] = []
        var onList = [Int](repeating: -1, count: program.count)
        func add(_ pc: Int, _ list: inout [Int], at position: Int, generation: Int) {
            guard onList[pc] != generation else { return }
            onList[pc] = generation
            switch program[pc] {
            case .jump(let target): add(target, &list, at: position, generation: generation)
            case .split(let a, let b):
                add(a, &list, at: position, generation: generation)
                add(b, &list, at: position, generation: generation)
            case .atStart: if position == 0 { add(pc + 1, &list, at: position, generation: generation) }
            case .atEnd: if position == characters.count { add(pc + 1, &list, at: position, generation: generation) }
            default: list.append(pc)
            }
        }
        for position in 0...characters.count {
            // A new thread starts at every position: the match may begin anywhere.
            add(0, &current, at: position, generation: position)
            if current.contains(where: { if case .match = program[$0] { true } else { false } }) { return true }
            guard position < characters.count else { break }
            try interruption?.checkpoint(position)  // a long text: Ctrl-C and the time limit still bind
            var next: [Int] = []
            for pc in current {
                if case .character(let test) = program[pc], test.accepts(characters[position]) {
                    add(pc + 1, &next, at: position + 1, generation: position + 1)
                }
            }
            current = next
        }
        return false
    }

    // MARK: Compiling

    fileprivate indirect enum Node {
        case empty
        case character(CharacterTest)
        case start, end
        case sequence([Node])
        case alternation([Node])
        case repeated(Node, min: Int, max: Int?)
    }

    private static func emit(_ node: Node, into program: inout [Instruction]) throws(Problem) {
        guard program.count < maximumSize else { throw .message("the pattern is too large", at: 0) }
        switch node {
        case .empty: break
        case .character(let test): program.append(.character(test))
        case .start: program.append(.atStart)
        case .end: program.append(.atEnd)
        case .sequence(let nodes): for n in nodes { try emit(n, into: &program) }
        case .alternation(let options):
            var jumps: [Int] = []
            for (index, option) in options.enumerated() {
                if index < options.count - 1 {
                    let split = program.count
                    program.append(.split(split + 1, 0))
                    try emit(option, into: &program)
                    jumps.append(program.count)
                    program.append(.jump(0))
                    program[split] = .split(split + 1, program.count)
                } else {
                    try emit(option, into: &program)
                }
            }
            for j in jumps { program[j] = .jump(program.count) }
        case .repeated(let inner, let min, let max):
            for _ in 0..<min { try emit(inner, into: &program) }
            if let max {
                // Each optional copy may be skipped to the end.
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(program.count)
                    program.append(.split(program.count + 1, 0))
                    try emit(inner, into: &program)
                }
                for s in splits { program[s] = .split(s + 1, program.count) }
            } else {
                let loop = program.count
                program.append(.split(loop + 1, 0))
                try emit(inner, into: &program)
                program.append(.jump(loop))
                program[loop] = .split(loop + 1, program.count)
            }
        }
    }
}

/// Recursive descent over the pattern's characters.
private struct PatternParser {
    typealias Node = Pattern.Node
    let characters: [Character]
    var position = 0
    var depth = 0

    init(_ characters: [Character]) { self.characters = characters }

    mutating func parseAll() throws(Pattern.Problem) -> Node {
        let node = try alternation()
        if position < characters.count { throw .message("unmatched ')'", at: position) }
        return node
    }

    private mutating func alternation() throws(Pattern.Problem) -> Node {
        depth += 1
        defer { depth -= 1 }
        if depth > 50 { throw .message("groups are nested too deeply", at: position) }
        var options = [try sequence()]
        while peek() == "|" {
            position += 1
            options.append(try sequence())
        }
        return options.count == 1 ? options[0] : .alternation(options)
    }

    private mutating func sequence() throws(Pattern.Problem) -> Node {
        var items: [Node] = []
        while let c = peek(), c != "|", c != ")" {
            let atomStart = position
            var atom = try self.atom()
            while let q = peek(), q == "*" || q == "+" || q == "?" || q == "{" {
                guard case let (min, max)? = try quantifier() else { break }
                if case .start = atom { throw .message("nothing to repeat", at: atomStart) }
                if case .end = atom { throw .message("nothing to repeat", at: atomStart) }
                atom = .repeated(atom, min: min, max: max)
                if peek() == "?" { position += 1 }  // lazy: the same for a yes/no match
            }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    /// `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`; nil when `{` does not start a valid count (then it is literal).
    private mutating func quantifier() throws(Pattern.Problem) -> (Int, Int?)? {
        let start = position
        let c = characters[position]
        position += 1
        switch c {
        case "*": return (0, nil)
        case "+": return (1, nil)
        case "?": return (0, 1)
        default:
            var low = "", high = "", sawComma = false
            while let d = peek(), d != "}" {
                if d == "," && !sawComma { sawComma = true } else if d.isASCII && d.isNumber { if sawComma { high.append(d) } else { low.append(d) } } else { position = start; return nil }
                position += 1
            }
            guard peek() == "}", !low.isEmpty else { position = start; return nil }
            // A count too large for an Int is a count too large, not literal text.
            guard let min = Int(low), high.isEmpty || Int(high) != nil else { throw .message("repetition counts go up to 1000", at: start) }
            position += 1
            let max: Int? = sawComma ? (high.isEmpty ? nil : Int(high)) : min
            if let max, max < min { throw .message("{\(min),\(max)} has its numbers the wrong way round", at: start) }
            if min > 1000 || (max ?? 0) > 1000 { throw .message("repetition counts go up to 1000", at: start) }
            return (min, max)
        }
    }

    private mutating func atom() throws(Pattern.Problem) -> Node {
        let c = characters[position]
        position += 1
        switch c {
        case "(":
            if peek() == "?" {
                guard position + 1 < characters.count, characters[position + 1] == ":" else {
                    throw .message("only (?:…) groups are supported", at: position - 1)
                }
                position += 2
            }
            let inner = try alternation()
            guard peek() == ")" else { throw .message("'(' is never closed", at: characters.count) }
            position += 1
            return inner
        case "[": return .character(try characterClass())
        case ".": return .character(.any)
        case "^": return .start
        case "$": return .end
        case "\\": return .character(try escape(inClass: false))
        case "*", "+", "?": throw .message("nothing to repeat before '\(c)'", at: position - 1)
        default: return .character(.literal(c))
        }
    }

    private mutating func characterClass() throws(Pattern.Problem) -> Pattern.CharacterTest {
        let open = position - 1
        var negated = false
        if peek() == "^" { negated = true; position += 1 }
        var items: [Pattern.CharacterTest] = []
        var first = true
        while let c = peek(), c != "]" || first {
            first = false
            position += 1
            var low: Pattern.CharacterTest = c == "\\" ? try escape(inClass: true) : .literal(c)
            if peek() == "-", position + 1 < characters.count, characters[position + 1] != "]", case .literal(let from) = low {
                position += 1
                let toCharacter = characters[position]
                position += 1
                var to = toCharacter
                if toCharacter == "\\" {
                    guard case .literal(let escaped) = try escape(inClass: true) else { throw .message("a range must end in a character", at: position) }
                    to = escaped
                }
                guard from <= to else { throw .message("the range \(from)-\(to) is backwards", at: position - 1) }
                low = .range(from, to)
            }
            items.append(low)
        }
        guard peek() == "]" else { throw .message("'[' is never closed", at: open) }
        position += 1
        return .set(items, negated: negated)
    }

    private mutating func escape(inClass: Bool) throws(Pattern.Problem) -> Pattern.CharacterTest {
        guard let c = peek() else { throw .message("the pattern ends with a lone '\\'", at: position - 1) }
        position += 1
        switch c {
        case "d": return .digit
        case "D": return .not(.digit)
        case "w": return .word
        case "W": return .not(.word)
        case "s": return .space
        case "S": return .not(.space)
        case "n": return .literal("\n")
        case "t": return .literal("\t")
        case "r": return .literal("\r")
        default:
            if c.isLetter || c.isNumber { throw .message("unknown escape '\\\(c)'", at: position - 2) }
            return .literal(c)  // \. \\ \( \[ \| \* … stand for themselves
        }
    }

    private func peek() -> Character? { position < characters.count ? characters[position] : nil }
}
