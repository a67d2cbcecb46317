/// A statement written in SQL, as people who know SQL (or sqlite3, psql, DuckDB) type it: recognised
/// by its first word, and, for a plain `SELECT … FROM … [WHERE …] [ORDER BY …] [LIMIT …]`, shown as
/// the same question in CentreQL (the fix-it). Anything else gets the shape of a pipeline.
enum SQLHabits {
    /// Words that start an SQL statement and never a CentreQL one.
    static let starts: Set<String> = ["select", "with", "insert", "update", "delete", "create", "drop", "alter",
                                      "pragma", "show", "describe", "attach", "vacuum"]

    /// Whether a statement starting with this token could be SQL (cheap: no copy for a lower-case name).
    static func mayStart(_ token: Token) -> Bool {
        guard token.kind == .identifier || token.kind == .select else { return false }
        return starts.contains(token.lexeme) || token.lexeme.utf8.first.map { (0x41...0x5A).contains($0) } == true
    }

    /// The diagnostic for a statement that starts like SQL, or nil.
    static func diagnostic(_ tokens: ArraySlice<Token>) -> Diagnostic? {
        guard let first = tokens.first, starts.contains(first.lexeme.lowercased()) else { return nil }
        let words = tokens.map { $0.lexeme.lowercased() }
        // `select` alone is a CentreQL stage written first; with FROM after it, it is SQL.
        if words[0] == "select", !words.contains("from") { return nil }
        let range = first.range.to(tokens.last!.range)
        return .writtenInSQL(verb: first.lexeme.uppercased(), translation: words[0] == "select" ? translate(Array(tokens)) : nil, range: range)
    }

    /// The common subset of SQL's SELECT as a pipeline, or nil for anything else (joins, unions,
    /// subqueries, CASE, OFFSET). `SELECT [DISTINCT] items FROM table [WHERE c] [GROUP BY keys
    /// [HAVING c]] [ORDER BY keys] [LIMIT n]` becomes `table | where c | group keys agg … | where c |
    /// sort keys | take n` with a select where the items need one; COUNT(*) and the other aggregates
    /// are named as CentreQL names them (`n`, `sum_members`) unless the SQL names them with AS.
    static func translate(_ tokens: [Token]) -> String? {
        var tokens = tokens
        while tokens.last?.kind == .semicolon { tokens.removeLast() }
        guard let query = Query(tokens) else { return nil }
        return query.pipeline()
    }

    /// A SELECT split into its clauses (tokens at bracket depth 0 decide where each starts).
    private struct Query {
        var items: [ArraySlice<Token>] = []
        var isDistinct = false
        var table = ""
        var alias: String?
        var condition: ArraySlice<Token>?
        var keys: [ArraySlice<Token>] = []
        var having: ArraySlice<Token>?
        var order: [ArraySlice<Token>] = []
        var limit: String?

        init?(_ tokens: [Token]) {
            let words = tokens.map { $0.kind == .string ? "" : $0.lexeme.lowercased() }
            guard words.first == "select" else { return nil }
            // Anything past the subset: no translation rather than a wrong one.
            let refused: Set<String> = ["join", "union", "intersect", "except", "offset", "case", "exists", "over", "with", "cast", "into"]
            if words.dropFirst().contains(where: { refused.contains($0) || $0 == "select" }) { return nil }
            var clauses: [(name: String, start: Int)] = []
            var depth = 0
            for (i, word) in words.enumerated() {
                if tokens[i].kind == .leftParen { depth += 1 } else if tokens[i].kind == .rightParen { depth -= 1 }
                guard depth == 0 else { continue }
                let next = i + 1 < words.count ? words[i + 1] : ""
                switch word {
                case "select", "from", "where", "having", "limit": clauses.append((word, i + 1))
                case "group" where next == "by", "order" where next == "by": clauses.append((word, i + 2))
                default: break
                }
            }
            func body(_ index: Int) -> ArraySlice<Token> {
                let end = index + 1 < clauses.count ? clauses[index + 1].start - (["group", "order"].contains(clauses[index + 1].name) ? 2 : 1) : tokens.count
                return tokens[clauses[index].start..<max(clauses[index].start, end)]
            }
            // Each clause at most once, in SQL's order.
            let sequence = ["select", "from", "where", "group", "having", "order", "limit"]
            let names = clauses.map(\.name)
            guard names.count == Set(names).count, names == sequence.filter(names.contains), names.starts(with: ["select", "from"]) else { return nil }
            for (index, clause) in clauses.enumerated() {
                let part = body(index)
                switch clause.name {
                case "select":
                    var list = part
                    if list.first?.lexeme.lowercased() == "distinct" { isDistinct = true; list = list.dropFirst() }
                    items = Self.split(list)
                case "from":
                    guard let first = part.first, first.kind == .identifier, part.count <= 3 else { return nil }
                    table = first.lexeme
                    if part.count > 1 { alias = part.last!.lexeme }
                    if part.count == 3, part[part.startIndex + 1].lexeme.lowercased() != "as" { return nil }
                    if part.count == 2, part.last!.kind != .identifier { return nil }
                case "where": condition = part
                case "group": keys = Self.split(part)
                case "having": having = part
                case "order": order = Self.split(part)
                default:
                    guard part.count == 1, part.first!.kind == .integer else { return nil }
                    limit = part.first!.lexeme
                }
            }
            if items.contains(where: \.isEmpty) || keys.contains(where: \.isEmpty) || order.contains(where: \.isEmpty) { return nil }
        }

        /// Parts of a list at bracket depth 0.
        static func split(_ tokens: ArraySlice<Token>) -> [ArraySlice<Token>] {
            var parts: [ArraySlice<Token>] = []
            var depth = 0, start = tokens.startIndex
            for i in tokens.indices {
                if tokens[i].kind == .leftParen { depth += 1 } else if tokens[i].kind == .rightParen { depth -= 1 }
                if depth == 0, tokens[i].kind == .comma { parts.append(tokens[start..<i]); start = i + 1 }
            }
            parts.append(tokens[start..<tokens.endIndex])
            return parts
        }

        func pipeline() -> String? {
            var translator = ExpressionTranslator(table: table, alias: alias)
            var stages = [table]
            if let condition {
                guard let text = translator.translate(condition) else { return nil }
                stages.append("where " + text)
            }
            // Each item as (name, expression), `*` as nil.
            var fields: [(name: String?, text: String)?] = []
            for item in items {
                if item.count == 1, item.first!.kind == .star { fields.append(nil); continue }
                var expression = item, name: String?
                let n = item.count
                if n >= 3, item[item.endIndex - 2].lexeme.lowercased() == "as", item.last!.kind == .identifier {
                    name = item.last!.lexeme
                    expression = item.dropLast(2)
                }
                guard let text = translator.translate(expression) else { return nil }
                fields.append((name, text))
            }
            let grouped = !keys.isEmpty || !translator.aggregates.isEmpty
            // An item's name where SQL gave one; an aggregate's own name; a column's name.
            func named(_ field: (name: String?, text: String)) -> String {
                field.name ?? translator.aggregates.first { $0.text == field.text }?.name ?? field.text
            }
            if grouped {
                guard !fields.contains(where: { $0 == nil }) else { return nil }
                var keyTexts: [String] = []
                for key in keys {
                    guard let text = translator.translate(key) else { return nil }
                    keyTexts.append(text)
                }
                // The aggregates SQL named take its names.
                for case let field? in fields {
                    if let name = field.name, let i = translator.aggregates.firstIndex(where: { $0.text == field.text }) { translator.aggregates[i].name = name }
                }
                var havingText: String?
                if let having {
                    guard let text = translator.translate(having) else { return nil }
                    havingText = text
                }
                let orderKeys = order.map { translator.sortKey($0, fields: fields.compactMap { $0 }) }
                if orderKeys.contains(where: { $0 == nil }) { return nil }
                // Every item is a key or an aggregate.
                for case let field? in fields where !keyTexts.contains(field.text) && !translator.aggregates.contains(where: { $0.text == field.text }) {
                    return nil
                }
                let aggregates = translator.aggregates.map { "\($0.name) = \($0.text)" }
                if keyTexts.isEmpty, aggregates == ["n = count()"], fields.count == 1, fields[0]?.name == nil, having == nil, order.isEmpty {
                    return (stages + ["count"]).joined(separator: " | ")
                }
                stages.append("group " + keyTexts.joined(separator: ", ") + (keyTexts.isEmpty ? "" : " ") + "agg " + aggregates.joined(separator: ", "))
                if let havingText {
                    stages.append("where " + translator.replacingAggregates(havingText))
                }
                if !orderKeys.isEmpty { stages.append("sort " + orderKeys.map { translator.replacingAggregates($0!) }.joined(separator: ", ")) }
                let shown = fields.compactMap { $0 }.map(named)
                if shown != keyTexts + translator.aggregates.map(\.name) { stages.append("select " + shown.joined(separator: ", ")) }
                if isDistinct { stages.append("distinct") }
                if let limit { stages.append("take " + limit) }
                return stages.joined(separator: " | ")
            }
            if !order.isEmpty {
                var keys: [String] = []
                for key in order {
                    guard let text = translator.sortKey(key, fields: fields.compactMap { $0 }) else { return nil }
                    keys.append(text)
                }
                stages.append("sort " + keys.joined(separator: ", "))
            }
            if !fields.contains(where: { $0 == nil }) {
                stages.append("select " + fields.map { field in
                    let field = field!
                    return field.name.map { "\($0) = \(field.text)" } ?? field.text
                }.joined(separator: ", "))
            } else if fields.count > 1 {
                return nil  // `*` beside other items
            }
            if isDistinct { stages.append("distinct") }
            if let limit { stages.append("take " + limit) }
            return stages.joined(separator: " | ")
        }
    }

    /// SQL expressions in CentreQL's spelling: `=` is `==`, `<>` is `!=`, `IS [NOT] NULL` is
    /// `== null` (`!= null`), `LIKE` is contains / starts_with / ends_with (or matches, for other
    /// patterns), `BETWEEN a AND b` two comparisons, `IN (…)` a list in square brackets, `||` is `+`,
    /// aggregates as CentreQL's (collected in `aggregates`, named), strings in double quotes.
    struct ExpressionTranslator {
        let table: String
        let alias: String?
        var aggregates: [(name: String, text: String)] = []

        static let aggregateNames: Set<String> = ["count", "sum", "avg", "min", "max"]

        /// `ORDER BY key [ASC|DESC]`: by position (ORDER BY 2), by an item's name, or by an expression.
        mutating func sortKey(_ tokens: ArraySlice<Token>, fields: [(name: String?, text: String)]) -> String? {
            var key = tokens
            var direction = ""
            if let last = key.last?.lexeme.lowercased(), last == "asc" || last == "desc" {
                direction = last == "desc" ? " desc" : ""
                key = key.dropLast()
            }
            if key.count == 1, key.first!.kind == .integer, let position = Int(key.first!.lexeme) {
                guard (1...fields.count).contains(position) else { return nil }
                let field = fields[position - 1]
                return (field.name ?? aggregates.first { $0.text == field.text }?.name ?? field.text) + direction
            }
            guard let text = translate(key) else { return nil }
            if let field = fields.first(where: { $0.name == text }) {
                // A name SQL gave: grouped, it is the column's name; otherwise its expression.
                return (aggregates.contains { $0.name == text } ? text : field.text) + direction
            }
            return text + direction
        }

        /// Aggregate calls in a HAVING or ORDER BY replaced by the names of the group's columns.
        func replacingAggregates(_ text: String) -> String {
            aggregates.reduce(text) { $0.replacingOccurrences(of: $1.text, with: $1.name) }
        }

        mutating func translate(_ tokens: ArraySlice<Token>) -> String? {
            var parts: [String] = []
            var operandStart = 0  // where the operand a LIKE, BETWEEN, IN or IS applies to begins
            let list = Array(tokens)
            var i = 0
            func word(_ j: Int) -> String { j < list.count && list[j].kind != .string ? list[j].lexeme.lowercased() : "" }
            func boundary() { operandStart = parts.count }
            while i < list.count {
                let token = list[i]
                let lower = word(i)
                switch token.kind {
                case .assign: parts.append("=="); boundary(); i += 1; continue
                case .less where word(i + 1) == ">": parts.append("!="); boundary(); i += 2; continue
                case .string: parts.append(Value.string(token.value).literalText); i += 1; continue
                case .pipe where list.indices.contains(i + 1) && list[i + 1].kind == .pipe: parts.append("+"); i += 2; continue
                case .comma: parts.append(","); boundary(); i += 1; continue
                case .leftParen: parts.append("("); boundary(); i += 1; continue
                case .equal, .notEqual, .lessEqual, .greater, .greaterEqual, .less, .plus, .minus, .star, .slash, .percent:
                    parts.append(token.lexeme); boundary(); i += 1; continue
                default: break
                }
                switch lower {
                case "and", "or":
                    parts.append(lower); boundary(); i += 1
                case "not" where word(i + 1) == "like" || word(i + 1) == "in" || word(i + 1) == "between":
                    // NOT LIKE / NOT BETWEEN: the positive form, negated; NOT IN is CentreQL's own.
                    if word(i + 1) == "in" { parts.append("not"); i += 1; continue }
                    let left = parts[operandStart...].joined(separator: " ")
                    parts.removeSubrange(operandStart...)
                    var rest = list[(i + 1)...]
                    guard let positive = translateOne(&rest, left: left) else { return nil }
                    parts.append("not (\(positive))")
                    i = rest.startIndex
                case "not":
                    parts.append("not"); boundary(); i += 1
                case "like", "between":
                    let left = parts[operandStart...].joined(separator: " ")
                    parts.removeSubrange(operandStart...)
                    var rest = list[i...]
                    guard let text = translateOne(&rest, left: left) else { return nil }
                    parts.append(text)
                    i = rest.startIndex
                case "in":
                    // IN (a, b) → in [a, b]
                    guard list.indices.contains(i + 1), list[i + 1].kind == .leftParen,
                          let close = list[(i + 1)...].firstIndex(where: { $0.kind == .rightParen }),
                          let items = translate(list[(i + 2)..<close][...]) else { return nil }
                    parts.append("in [\(items)]")
                    i = close + 1
                case "is":
                    let negated = word(i + 1) == "not"
                    guard word(i + (negated ? 2 : 1)) == "null" else { return nil }
                    parts.append(negated ? "!= null" : "== null")
                    i += negated ? 3 : 2
                case "null", "true", "false":
                    parts.append(lower); i += 1
                default:
                    guard [.identifier, .integer, .decimal, .count, .rightParen].contains(token.kind) else { return nil }
                    if token.kind == .rightParen { parts.append(")"); i += 1; continue }
                    // table.column or alias.column: the column.
                    if token.kind == .identifier, [table.lowercased(), alias?.lowercased()].contains(lower), list.indices.contains(i + 2), list[i + 1].kind == .dot {
                        i += 2
                        continue
                    }
                    if Self.aggregateNames.contains(lower), list.indices.contains(i + 1), list[i + 1].kind == .leftParen,
                       let close = Self.closing(list, from: i + 1) {
                        guard let aggregate = aggregate(lower, Array(list[(i + 2)..<close])) else { return nil }
                        parts.append(aggregate)
                        i = close + 1
                        continue
                    }
                    // A function's name in lower case (LOWER(x) → lower(x)); a column as written.
                    let isCall = list.indices.contains(i + 1) && list[i + 1].kind == .leftParen
                    parts.append(isCall ? lower : token.lexeme)
                    i += 1
                }
            }
            guard !parts.isEmpty else { return nil }
            return parts.joined(separator: " ")
                .replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")")
                .replacingOccurrences(of: " ,", with: ",")
                .replacingOccurrences(of: "[ ", with: "[")
        }

        /// `LIKE 'pattern'` or `BETWEEN a AND b` after `left`, from the start of `rest` (which is
        /// left where the operator's operands end).
        private mutating func translateOne(_ rest: inout ArraySlice<Token>, left: String) -> String? {
            guard let op = rest.first?.lexeme.lowercased() else { return nil }
            rest = rest.dropFirst()
            if op == "like" {
                guard let pattern = rest.first, pattern.kind == .string else { return nil }
                rest = rest.dropFirst()
                return SQLHabits.like(left, pattern.value)
            }
            guard op == "between" else { return nil }
            // The low end runs to the AND that belongs to BETWEEN; the high end to the next AND/OR.
            guard let and = rest.firstIndex(where: { $0.lexeme.lowercased() == "and" }) else { return nil }
            let end = rest[(and + 1)...].firstIndex { ["and", "or"].contains($0.lexeme.lowercased()) || $0.kind == .rightParen } ?? rest.endIndex
            guard let low = translate(rest[..<and]), let high = translate(rest[(and + 1)..<end]) else { return nil }
            rest = rest[end...]
            return "(\(left) >= \(low) and \(left) <= \(high))"
        }

        /// COUNT(*) → count(), COUNT(DISTINCT x) → count_distinct(x), SUM(x) → sum(x), … named
        /// `n`, `n_x`, `sum_x`: `count` is a stage's name, not a column's.
        private mutating func aggregate(_ function: String, _ arguments: [Token]) -> String? {
            var arguments = arguments[...]
            var name = function == "count" ? "n" : function
            var call = function
            if function == "count", arguments.first?.lexeme.lowercased() == "distinct" {
                arguments = arguments.dropFirst()
                call = "count_distinct"
                name = "n_distinct"
            }
            let text: String
            if function == "count", arguments.count == 1, arguments.first!.kind == .star {
                text = "count()"
            } else {
                var inner = ExpressionTranslator(table: table, alias: alias)
                guard !arguments.isEmpty, let argument = inner.translate(arguments), inner.aggregates.isEmpty else { return nil }
                text = "\(call)(\(argument))"
                let simple = argument.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
                name += "_" + (simple ? argument : String(aggregates.count + 1))
            }
            if let found = aggregates.first(where: { $0.text == text }) { return found.text }
            while aggregates.contains(where: { $0.name == name }) { name += "_" }
            aggregates.append((name, text))
            return text
        }

        static func closing(_ tokens: [Token], from open: Int) -> Int? {
            var depth = 0
            for j in open..<tokens.count {
                if tokens[j].kind == .leftParen { depth += 1 } else if tokens[j].kind == .rightParen {
                    depth -= 1
                    if depth == 0 { return j }
                }
            }
            return nil
        }
    }

    /// `x LIKE 'p'` as CentreQL says it: `%a%` contains, `a%` starts_with, `%a` ends_with, `a`
    /// equality; other patterns (`_`, `%` inside) a regular expression with matches.
    static func like(_ left: String, _ pattern: String) -> String {
        let inner = String(pattern.drop { $0 == "%" }.reversed().drop { $0 == "%" }.reversed())
        if !inner.contains("%") && !inner.contains("_") {
            switch (pattern.hasPrefix("%"), pattern.hasSuffix("%") && !inner.isEmpty) {
            case (true, true): return "\(left) contains \(Value.string(inner).literalText)"
            case (false, true): return "\(left) starts_with \(Value.string(inner).literalText)"
            case (true, false): return "\(left) ends_with \(Value.string(inner).literalText)"
            case (false, false): return "\(left) == \(Value.string(inner).literalText)"
            }
        }
        var regex = "^"
        for character in pattern {
            switch character {
            case "%": regex += ".*"
            case "_": regex += "."
            case _ where "\\^$.|?*+()[]{}".contains(character): regex += "\\" + String(character)
            default: regex.append(character)
            }
        }
        return "\(left) matches \(Value.string(regex + "$").literalText)"
    }
}
