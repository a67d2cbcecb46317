/// Tab completion driven by the engine's own lexer, parser, checker and catalog: what may come
/// next at the cursor, from the tokens before it and the scope of the pipeline so far.
public struct Completion: Sendable, Equatable {
    /// How many Unicode scalars before the cursor a candidate replaces.
    public let replacing: Int
    /// Full replacements, sorted.
    public let candidates: [String]
    /// Whether there were more than these (values of a large column are offered up to a limit).
    public let isTruncated: Bool

    public init(replacing: Int, candidates: [String], isTruncated: Bool = false) {
        self.replacing = replacing
        self.candidates = candidates
        self.isTruncated = isTruncated
    }

    /// The most values of a column offered at once.
    public static let valueLimit = 500

    public static let none = Completion(replacing: 0, candidates: [])
}

extension Engine {
    /// Completions for the statement text before the cursor (earlier lines of a statement included).
    public func completions(before text: String) -> Completion {
        Completer(engine: self, text: text).complete()
    }
}

struct Completer {
    let engine: Engine
    let source: SourceText
    let tokens: [Token]
    let endsInsideString: Bool

    private var catalog: Catalog { engine.store.catalog }

    init(engine: Engine, text: String) {
        self.engine = engine
        self.source = SourceText(text)
        let scanned = Lexer.scan(source)
        // Only the current statement matters: drop everything up to its last separator.
        var tokens = Array(scanned.tokens.dropLast())  // .end
        if let separator = tokens.lastIndex(where: { $0.kind == .semicolon || ($0.kind == .newline && !Self.continues(tokens, after: $0)) }) {
            tokens.removeSubrange(...separator)
        }
        self.tokens = tokens.filter { $0.kind != .newline }
        self.endsInsideString = scanned.endsInsideString
    }

    /// A newline continues the statement when a `|` is next to it.
    private static func continues(_ tokens: [Token], after newline: Token) -> Bool {
        guard let index = tokens.firstIndex(of: newline) else { return false }
        let before = tokens[..<index].last { $0.kind != .newline }
        let after = tokens[(index + 1)...].first { $0.kind != .newline }
        return before?.kind == .pipe || after?.kind == .pipe
    }

    static let stages = StageName.names
    static let functions = FunctionSignatures.allNames

    func complete() -> Completion {
        if endsInsideString, let string = tokens.last, string.kind == .string {
            // Closed with the quote it was opened with ('…' with ', "…" with ", “…” with ”).
            let closing = switch string.lexeme.unicodeScalars.first {
            case "'": "'"
            case "\u{201C}": "\u{201D}"
            case "\u{2018}": "\u{2019}"
            default: "\""
            }
            return values(for: Array(tokens.dropLast()), typed: string.value, closing: closing)
        }
        var before = tokens
        var typed = ""
        if let last = tokens.last, last.range.end == source.scalars.count,
           last.kind == .identifier || last.kind.isKeyword || last.kind == .parameter {
            typed = last.kind == .parameter ? last.value : last.lexeme
            before.removeLast()
            if last.kind == .parameter {
                return match(typed, engine.environment.parameters.keys.map { $0 })
            }
        }
        return match(typed, candidates(after: before))
    }

    private func match(_ typed: String, _ words: [String]) -> Completion {
        let found = Set(words.filter { $0.hasPrefix(typed) })
        return Completion(replacing: typed.unicodeScalars.count, candidates: found.sorted())
    }

    /// The words that may follow an operand, by the stage it is in: `asc`/`desc` only in `sort`,
    /// `agg` only in `group`, `on` and `as` only in `join` (the parser refuses them elsewhere).
    private func operators(in before: [Token]) -> [String] {
        let stage = before.last { [.where, .select, .derive, .group, .sort, .take, .join, .agg, .chart].contains($0.kind) }?.kind
        var always = ["and", "or", "in", "contains", "starts_with", "ends_with", "matches"]
        // Inside an `if` still open: the word it waits for.
        let count = { (kind: TokenKind) in before.filter { $0.kind == kind }.count }
        if count(.if) > count(.then) { always.append("then") } else if count(.then) > count(.else) { always.append("else") }
        switch stage {
        case .sort?: return always + ["asc", "desc"]
        case .group?: return always + ["agg"]
        case .join?: return always + ["on", "as"]
        case .take?: return []
        case .chart?: return always + (before.contains { $0.lexeme == "histogram" } ? ["bins"] : [])
        default: return always
        }
    }

    /// What may follow these tokens.
    private func candidates(after before: [Token]) -> [String] {
        guard let previous = before.last else {
            return catalog.tableNames + engine.environment.letNames + ["let", "param", "explain", "trace"]
        }
        // After `explain`, what starts any query.
        if previous.kind == .explain || previous.kind == .trace, before.count == 1 { return catalog.tableNames + engine.environment.letNames }
        switch previous.kind {
        case .pipe: return Self.stages
        case .join: return catalog.tableNames
        case .chart: return ChartKind.allCases.map(\.rawValue)
        case .assign where before.count == 3 && before[0].kind == .let: return catalog.tableNames + engine.environment.letNames
        case .dot:
            let path = pathBefore(before.dropLast())
            return table(for: path, in: scope(before)).map { catalog[$0].columns.map(\.name) + catalog[$0].links.map(\.name) } ?? []
        case .let, .param, .as, .colon:
            return previous.kind == .colon ? ValueType.declarable.keys.sorted() : []
        case .identifier, .integer, .decimal, .string, .date, .rightParen, .rightBracket, .true, .false, .null, .parameter, .count, .distinct:
            if before.count == 1 { return [] }  // just after the source: a `|` comes next
            // Just after `chart KIND`: the label or value, a column.
            if before.count >= 2, before[before.count - 2].kind == .chart { return scope(before).visibleNames + Self.functions }
            return operators(in: before)
        default:
            let scope = scope(before)
            return scope.visibleNames + Self.functions + ["true", "false", "null", "not", "if"]
        }
    }

    /// Inside a string compared with a column: that column's values, each with its closing quote.
    private func values(for before: [Token], typed: String, closing: String) -> Completion {
        var index = before.count - 1
        while index >= 0, [.leftBracket, .comma, .string].contains(before[index].kind) { index -= 1 }
        guard index >= 1, [.equal, .notEqual, .in, .contains, .starts_with, .ends_with, .less, .lessEqual, .greater, .greaterEqual]
            .contains(before[index].kind) else { return .none }
        let path = pathBefore(before[..<index])
        guard let column = path.last else { return .none }
        let scope = scope(before)
        let table: Int?
        if path.count == 1 {
            table = scope.primaryTable
        } else {
            table = self.table(for: Array(path.dropLast()), in: scope)
        }
        guard let table, let c = catalog[table].columnIndex(column) else { return .none }
        let data = engine.store.tables[table]
        var seen = Set<String>()
        var found: [String] = []
        for value in data.columns[c] {
            if case .string(let text) = value, text.hasPrefix(typed), seen.insert(text).inserted { found.append(text + closing) }
            if found.count > Completion.valueLimit { break }
        }
        let truncated = found.count > Completion.valueLimit
        return Completion(replacing: typed.unicodeScalars.count, candidates: Array(found.prefix(Completion.valueLimit)).sorted(), isTruncated: truncated)
    }

    /// The dotted names just before a position: `centre.town` → ["centre", "town"].
    private func pathBefore(_ tokens: ArraySlice<Token>) -> [String] {
        var names: [String] = []
        var index = tokens.endIndex - 1
        while index >= tokens.startIndex, tokens[index].kind == .identifier {
            names.insert(tokens[index].lexeme, at: 0)
            guard index - 1 >= tokens.startIndex, tokens[index - 1].kind == .dot else { break }
            index -= 2
        }
        return names
    }

    private func table(for path: [String], in scope: Scope) -> Int? {
        guard let first = path.first else { return nil }
        var table: Int?
        if let slot = scope.entitySlot(named: first), case .entity(let t) = scope.fields[slot].kind {
            table = t
        } else if let primary = scope.primaryTable, let link = catalog[primary].link(first) {
            table = catalog.tableIndex(link.target)
        }
        for name in path.dropFirst() {
            guard let current = table, let link = catalog[current].link(name) else { return nil }
            table = catalog.tableIndex(link.target)
        }
        return table
    }

    /// The scope at the cursor: the pipeline before the current stage, checked; inside an aggregate
    /// over a to-many link, the linked table; in a `join … on`, with the joined table's name.
    private func scope(_ before: [Token]) -> Scope {
        var start = 0
        if before.first?.kind == .let, before.count >= 3 { start = 3 }
        let lastPipe = before.lastIndex { $0.kind == .pipe } ?? before.count
        var scope = Scope(catalog)
        if start < lastPipe, start < before.count {
            let text = source.slice(before[start].range.start..<(lastPipe < before.count ? before[lastPipe].range.start : before[before.count - 1].range.end))
            let parsed = Parser.parse(SourceText(text))
            if let statement = parsed.first?.statement, case .query(let pipeline) = statement.kind {
                var checker = engine.makeChecker(SourceText(text))
                if let bound = checker.check(pipeline) { scope = bound.scope }
            }
        }
        let stage = before[min(lastPipe + 1, before.count)...]
        if stage.first?.kind == .join, stage.count >= 2, let table = catalog.tableIndex(stage[stage.startIndex + 1].lexeme) {
            let alias = stage.count >= 4 && stage[stage.startIndex + 2].kind == .as ? stage[stage.startIndex + 3].lexeme : stage[stage.startIndex + 1].lexeme
            scope.fields.append(.init(name: alias, kind: .entity(table: table)))
        }
        // Inside `count(projects where …`: the linked table's columns.
        var depth = 0
        for index in stride(from: before.count - 1, through: 0, by: -1) {
            switch before[index].kind {
            case .rightParen: depth += 1
            case .leftParen where depth > 0: depth -= 1
            case .leftParen:
                if index >= 1, AggregateFunction(rawValue: before[index - 1].lexeme) != nil, index + 1 < before.count,
                   before[index + 1].kind == .identifier, before.dropFirst(index + 2).contains(where: { $0.kind == .where }),
                   let primary = scope.primaryTable, let link = catalog[primary].link(before[index + 1].lexeme),
                   link.isToMany, let target = catalog.tableIndex(link.target) {
                    return .table(target, in: catalog)
                }
                return scope
            default: break
            }
        }
        return scope
    }
}
