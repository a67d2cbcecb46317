/// A hand-written recursive-descent parser. Each parse function is named after its rule in
/// `Grammar/centreql.lark` and opens with that rule as a comment.
///
/// On a syntax error it records a diagnostic and skips to the end of the statement (panic mode),
/// so one script run reports every independent error.
public struct Parser {
    private let source: SourceText
    private var tokens: [Token]
    private var current = 0
    public private(set) var diagnostics: [Diagnostic] = []

    /// Thrown to unwind to the statement being parsed; the diagnostic is already recorded.
    private struct Panic: Error {}

    public init(_ source: SourceText) {
        self.source = source
        let (tokens, diagnostics) = Lexer.tokenize(source)
        self.tokens = tokens
        self.diagnostics = diagnostics
    }

    /// Parses a whole script into statements, each with the syntax errors found in it. A statement
    /// with errors has no tree; the others can still be checked and run.
    public static func parse(_ source: SourceText) -> [ParsedStatement] {
        var parser = Parser(source)
        let lexical = parser.diagnostics
        parser.diagnostics = []
        var units = parser.script()
        // Lexical errors belong to the statement whose text holds them (or stand alone between statements).
        for diagnostic in lexical {
            if let index = units.firstIndex(where: { $0.extent.start <= diagnostic.range.start && diagnostic.range.start <= $0.extent.end }) {
                units[index].diagnostics.append(diagnostic)
                units[index].statement = nil
            } else {
                let position = units.firstIndex { $0.extent.start > diagnostic.range.start } ?? units.count
                units.insert(ParsedStatement(statement: nil, diagnostics: [diagnostic], extent: diagnostic.range), at: position)
            }
        }
        for index in units.indices {
            units[index].diagnostics.sort { $0.range.start < $1.range.start }
            // A habit from SQL or another language explains the errors it causes, with a fix that works.
            if !units[index].diagnostics.isEmpty, !units[index].diagnostics.contains(where: { $0.code == "E112" }),
               let habits = Habits.diagnostics(in: source, extent: units[index].extent) {
                units[index].diagnostics = habits
            }
        }
        return units
    }

    /// Parses text that must hold exactly one statement, or returns every diagnostic found.
    public static func parseScript(_ source: SourceText) -> (script: Script, diagnostics: [Diagnostic]) {
        let units = parse(source)
        return (Script(statements: units.compactMap(\.statement)), units.flatMap(\.diagnostics))
    }

    // script: separator* (statement (separator+ statement)*)? separator*
    mutating func script() -> [ParsedStatement] {
        var units: [ParsedStatement] = []
        skipSeparators()
        while !check(.end) {
            let start = peek().range.start
            let before = diagnostics.count
            var statement: Statement?
            do {
                statement = try self.statement()
                if !check(.end) { try expectSeparator() }
            } catch {
                synchronize()
            }
            let length = peek().range.start - start
            if diagnostics.count == before, length > Self.maximumStatementLength {
                diagnostics.append(.statementTooLong(length, limit: Self.maximumStatementLength, range: SourceRange(start, start + 1)))
            }
            let found = Array(diagnostics[before...])
            units.append(ParsedStatement(statement: found.isEmpty ? statement : nil, diagnostics: found,
                                         extent: SourceRange(start, peek().range.start)))
            skipSeparators()
        }
        return units
    }

    // statement: let_statement | param_statement | explain_statement | trace_statement | pipeline
    mutating func statement() throws -> Statement {
        // SQL habits: `SELECT … FROM …` and the like get a message that shows the pipeline. Most
        // statements start with a table's name: they pass the first test without a copy or a scan.
        if SQLHabits.mayStart(peek()) {
            let end = tokens[current...].firstIndex { [.newline, .semicolon, .end].contains($0.kind) } ?? tokens.count
            if let sql = SQLHabits.diagnostic(tokens[current..<end]) {
                current = end
                throw fail(sql)
            }
        }
        if check(.let) { return try letStatement() }
        if check(.param) { return try paramStatement() }
        if check(.explain) { return try explainStatement() }
        if check(.trace) { return try traceStatement() }
        let pipeline = try pipeline()
        return Statement(kind: .query(pipeline), range: pipeline.range)
    }

    // let_statement: "let" NAME "=" pipeline
    mutating func letStatement() throws -> Statement {
        let keyword = advance()
        let name = try expectName("a name for the result, as in `let minhang = centres | where …`")
        try expect(.assign, "'=' after the name")
        let pipeline = try pipeline()
        return Statement(kind: .let(name, pipeline), range: keyword.range.to(pipeline.range))
    }

    // param_statement: "param" NAME ":" NAME ["=" expression]
    mutating func paramStatement() throws -> Statement {
        let keyword = advance()
        let name = try expectName("a parameter name, as in `param district: string = \"徐汇区\"`")
        try expect(.colon, "':' and a type (string, int, decimal or bool)")
        let type = try expectName("a type: string, int, decimal or bool")
        var defaultValue: Expression?
        if match(.assign) { defaultValue = try expression() }
        return Statement(kind: .param(name, type: type, defaultValue: defaultValue),
                         range: keyword.range.to(defaultValue?.range ?? type.range))
    }

    // trace_statement: "trace" pipeline ["follow" expression]
    mutating func traceStatement() throws -> Statement {
        let keyword = advance()
        let pipeline = try pipeline(followable: true)
        let condition = match(.follow) ? try expression() : nil
        return Statement(kind: .trace(pipeline, follow: condition), range: keyword.range.to(condition?.range ?? pipeline.range))
    }

    // explain_statement: "explain" pipeline
    mutating func explainStatement() throws -> Statement {
        let keyword = advance()
        let pipeline = try pipeline()
        return Statement(kind: .explain(pipeline), range: keyword.range.to(pipeline.range))
    }

    // pipeline: NAME ("|" stage)*
    mutating func pipeline(inBrackets: Bool = false, followable: Bool = false) throws -> Pipeline {
        let source = try expectName("a table to start from, such as centres, awards or projects")
        var stages: [Stage] = []
        while match(.pipe) {
            stages.append(try deeper { try $0.stage() })
        }
        if !(inBrackets ? check(.rightParen) : isAtStatementEnd || followable && check(.follow)) {
            throw fail(.expectedPipe(found: peek().kind.description, range: peek().range))
        }
        return Pipeline(source: source, stages: stages, range: source.range.to(stages.last?.range ?? source.range))
    }

    // stage: where_stage | select_stage | derive_stage | group_stage | sort_stage
    //      | take_stage | count_stage | distinct_stage | join_stage
    mutating func stage() throws -> Stage {
        let keyword = peek()
        let kind: Stage.Kind
        guard let name = keyword.kind.stage else { throw fail(.unknownStage(keyword.lexeme, range: keyword.range)) }
        advance()
        switch name {
        case .where:
            kind = .where(try expression())                       // where_stage: "where" expression
        case .select:
            kind = .select(try fields())                          // select_stage: "select" fields
        case .derive:
            kind = .derive(try fields())                          // derive_stage: "derive" fields
        case .group:
            // group_stage: "group" (fields ["agg" fields] | "agg" fields | fields "(" stage ("|" stage)* ")")
            readingGroupKeys = true
            let keys = check(.agg) ? [] : try fields()
            readingGroupKeys = false
            if !keys.isEmpty, check(.leftParen) {
                let open = advance()
                var stages = [try deeper { try $0.stage() }]
                while match(.pipe) { stages.append(try deeper { try $0.stage() }) }
                try expect(.rightParen, "')' to close the pipeline each group's rows go through (opened at column \(source.location(of: open.range.start).column))")
                kind = .groupEach(keys: keys, stages: stages)
            } else {
                let aggregates = match(.agg) ? try fields() : []
                kind = .group(keys: keys, aggregates: aggregates)
            }
        case .sort:
            // sort_stage: "sort" sort_key ("," sort_key)*
            var keys = [try sortKey()]
            while match(.comma) { keys.append(try sortKey()) }
            kind = .sort(keys)
        case .take:
            kind = .take(try expression())                        // take_stage: "take" expression
        case .count:
            kind = .count                                         // count_stage: "count"
        case .distinct:
            kind = .distinct                                      // distinct_stage: "distinct"
        case .chart:
            // chart_stage: "chart" NAME fields [NAME expression]
            let kindName = try expectName("the kind of chart: " + ChartKind.allCases.map(\.rawValue).joined(separator: ", "))
            let fields = try fields()
            var setting: (Name, Expression)?
            if check(.identifier) {
                let name = Name(text: advance().lexeme, range: previous.range)
                setting = (name, try expression())
            }
            kind = .chart(kind: kindName, fields: fields, setting: setting)
        case .pivot:
            // pivot_stage: "pivot" expression "agg" fields ["by" fields]
            let key = try expression()
            try expect(.agg, "'agg' and the aggregates each new column holds, as in pivot kind agg n = count() by category")
            let aggregates = try fields()
            kind = .pivot(key: key, aggregates: aggregates, by: match(.by) ? try fields() : [])
        case .unpivot:
            // unpivot_stage: "unpivot" NAME ("," NAME)* "into" NAME "," NAME
            var columns = [try expectName("a column to turn into rows")]
            while match(.comma) { columns.append(try expectName("a column to turn into rows")) }
            try expect(.into, "'into' and the two new columns' names, as in unpivot teams, stations into measure, value")
            let name = try expectName("a name for the column that holds each column's name")
            try expect(.comma, "',' and a name for the column that holds the values")
            kind = .unpivot(columns: columns, name: name, value: try expectName("a name for the column that holds the values"))
        case .explode:
            // explode_stage: "explode" NAME "=" expression
            let field = try self.field()
            guard field.name != nil else {
                throw fail(.expected("a name for the elements, as in explode partner = split(partners, \"、\")", found: "an expression", range: field.expression.range))
            }
            kind = .explode(field)
        case .append, .except, .intersect:
            // append_stage: "append" "(" pipeline ")"   (and except_stage, intersect_stage)
            let other = try parenthesizedPipeline("the pipeline whose rows to \(name.rawValue), in brackets: \(name.rawValue) (projects | select name)")
            kind = name == .append ? .append(other) : (name == .except ? .except(other) : .intersect(other))
        case .join:
            // join_stage: "join" ["left"] (NAME | "(" pipeline ")") ["as" NAME] "on" expression
            let keepsUnmatched = match(.left)
            let pipeline = check(.leftParen) ? try parenthesizedPipeline("(") : nil
            let table = try pipeline.map(\.source) ?? expectName("a table to join, such as awards")
            let alias = match(.as) ? try expectName("a name for the joined rows") : nil
            try expect(.on, "'on' and the condition that pairs rows")
            kind = .join(table: table, pipeline: pipeline, alias: alias, condition: try expression(), keepsUnmatched: keepsUnmatched)
        }
        return Stage(name: name, kind: kind, keyword: keyword.range, range: keyword.range.to(previous.range))
    }

    // fields: field ("," field)*
    mutating func fields() throws -> [Field] {
        var result = [try field()]
        while match(.comma) { result.append(try field()) }
        return result
    }

    // field: [NAME "="] expression
    mutating func field() throws -> Field {
        if check(.identifier), peek(1).kind == .assign {
            let name = Name(text: advance().lexeme, range: previous.range)
            advance()
            return Field(name: name, expression: try expression())
        }
        if peek().kind.isKeyword, peek(1).kind == .assign {  // `select if = 1`: say why the name is refused
            throw fail(.reservedWord(peek().lexeme, expected: "a column name", range: peek().range))
        }
        return Field(name: nil, expression: try expression())
    }

    // sort_key: expression ["asc" | "desc"]
    mutating func sortKey() throws -> SortKey {
        let expression = try expression()
        if match(.desc) { return SortKey(expression: expression, isDescending: true) }
        _ = match(.asc)
        return SortKey(expression: expression, isDescending: false)
    }

    // MARK: Expressions, lowest precedence first

    /// Deeper expressions are refused rather than risking the stack in the parser, checker or evaluator.
    public static let maximumDepth = 100
    /// Limits that turn runaway input into a clear error rather than runaway memory or time.
    public static let maximumListItems = 10_000
    public static let maximumStatementLength = 1_000_000
    private var nesting = 0
    /// In `group`'s keys, `category (sort …)` opens the per-group pipeline rather than calling `category`.
    private var readingGroupKeys = false

    // expression: or_expression
    mutating func expression() throws -> Expression {
        let result = try deeper { try $0.orExpression() }
        if result.depth > Self.maximumDepth { throw fail(.nestedTooDeeply(limit: Self.maximumDepth, range: result.range)) }
        return result
    }

    /// Every rule that calls itself goes through here, so no input can recurse past the limit.
    private mutating func deeper<T>(_ parse: (inout Parser) throws -> T) throws -> T {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maximumDepth { throw fail(.nestedTooDeeply(limit: Self.maximumDepth, range: peek().range)) }
        return try parse(&self)
    }

    // or_expression: and_expression ("or" and_expression)*
    mutating func orExpression() throws -> Expression {
        var left = try andExpression()
        while match(.or) { left = try binary(.or, left, try andExpression()) }
        return left
    }

    // and_expression: not_expression ("and" not_expression)*
    mutating func andExpression() throws -> Expression {
        var left = try notExpression()
        while match(.and) { left = try binary(.and, left, try notExpression()) }
        return left
    }

    // not_expression: "not" not_expression | comparison
    mutating func notExpression() throws -> Expression {
        if match(.not) {
            let keyword = previous
            let operand = try deeper { try $0.notExpression() }
            return Expression(kind: .unary(.not, operand), range: keyword.range.to(operand.range))
        }
        return try comparison()
    }

    // comparison: coalescing [(COMPARE | "not" "in") coalescing]
    mutating func comparison() throws -> Expression {
        let left = try coalescing()
        if check(.assign) {
            // `where district = "…"`: a common slip; report it and read it as `==` so checking goes on.
            diagnostics.append(.assignmentInComparison(range: peek().range))
            advance()
            return try binary(.equal, left, try coalescing())
        }
        let result: Expression
        if check(.not), peek(1).kind == .in {
            // `x not in [...]` reads as analysts write it (SQL, PRQL, Python): not (x in [...]).
            advance()
            advance()
            let inList = try binary(.in, left, try coalescing())
            result = try node(.unary(.not, inList), range: inList.range)
        } else {
            guard let op = Self.comparisonOperator(peek().kind) else { return left }
            advance()
            result = try binary(op, left, try coalescing())
        }
        if let chained = Self.comparisonOperator(peek().kind) {
            throw fail(.chainedComparison(chained.rawValue, range: peek().range))
        }
        return result
    }

    /// The comparison a token spells (a switch: a dictionary keyed by `TokenKind` hashes its raw
    /// string, and this is asked at every comparison level of every expression).
    static func comparisonOperator(_ kind: TokenKind) -> BinaryOperator? {
        switch kind {
        case .equal: .equal
        case .notEqual: .notEqual
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        case .in: .in
        case .contains: .contains
        case .starts_with: .startsWith
        case .ends_with: .endsWith
        case .matches: .matches
        default: nil
        }
    }

    // coalescing: additive ["??" coalescing]
    mutating func coalescing() throws -> Expression {
        let left = try additive()
        if match(.coalesce) { return try binary(.coalesce, left, try deeper { try $0.coalescing() }) }
        return left
    }

    // additive: multiplicative (("+" | "-") multiplicative)*
    mutating func additive() throws -> Expression {
        var left = try multiplicative()
        while check(.plus) || check(.minus) {
            let op: BinaryOperator = advance().kind == .plus ? .add : .subtract
            left = try binary(op, left, try multiplicative())
        }
        return left
    }

    // multiplicative: unary (("*" | "/" | "%") unary)*
    mutating func multiplicative() throws -> Expression {
        var left = try unary()
        while check(.star) || check(.slash) || check(.percent) {
            let op: BinaryOperator = switch advance().kind {
            case .star: .multiply
            case .slash: .divide
            default: .remainder
            }
            left = try binary(op, left, try unary())
        }
        return left
    }

    // unary: "-" unary | postfix
    mutating func unary() throws -> Expression {
        if match(.minus) {
            let sign = previous
            let operand = try deeper { try $0.unary() }
            return Expression(kind: .unary(.negate, operand), range: sign.range.to(operand.range))
        }
        return try postfix()
    }

    // postfix: primary ("." NAME)*
    mutating func postfix() throws -> Expression {
        var base = try primary()
        while match(.dot) {
            let member = try expectName("a column name after '.'")
            base = try node(.member(base, member), range: base.range.to(member.range))
        }
        return base
    }

    // primary: INTEGER | DECIMAL | STRING | DATE | "true" | "false" | "null" | PARAMETER
    //        | list | conditional | call | NAME | "count" | "(" expression ")"
    mutating func primary() throws -> Expression {
        let token = peek()
        switch token.kind {
        case .integer:
            advance()
            return Expression(kind: .integer(Int(token.value) ?? Int.max), range: token.range)
        case .decimal:
            advance()
            return Expression(kind: .decimal(Double(token.value) ?? 0), range: token.range)
        case .string:
            advance()
            return Expression(kind: .string(token.value), range: token.range)
        case .date:
            advance()
            return Expression(kind: .date(CalendarDate.days(reading: Substring(token.value)) ?? 0), range: token.range)
        case .true, .false:
            advance()
            return Expression(kind: .boolean(token.kind == .true), range: token.range)
        case .null:
            advance()
            return Expression(kind: .null, range: token.range)
        case .parameter:
            advance()
            return Expression(kind: .parameter(token.value), range: token.range)
        case .leftBracket:
            return try list()
        case .if:
            return try conditional()
        case .leftParen where peek(1).kind == .identifier && peek(2).kind == .pipe:
            let pipeline = try parenthesizedPipeline("(")
            return Expression(kind: .pipeline(pipeline), range: pipeline.range)
        case .leftParen:
            advance()
            let inner = try expression()
            try expect(.rightParen, "')' to close the '(' at column \(source.location(of: token.range.start).column)")
            return Expression(kind: inner.kind, range: token.range.to(previous.range))
        case .identifier, .count, .contains, .starts_with, .ends_with, .matches:
            let opensPipeline = readingGroupKeys && peek(2).kind.stage != nil
            if peek(1).kind == .leftParen, !opensPipeline { return try call() }
            // `count` alone is the column the count stage makes (`centres | count | where count > 10`).
            if token.kind == .identifier || token.kind == .count {
                advance()
                return Expression(kind: .name(token.lexeme), range: token.range)
            }
            throw fail(.expectedExpression(found: token.kind.description, range: token.range))
        default:
            throw fail(.expectedExpression(found: token.kind.description, range: token.range))
        }
    }

    // "(" pipeline ")": a pipeline inside another (a stage's argument, or a list after `in`).
    mutating func parenthesizedPipeline(_ what: String) throws -> Pipeline {
        try expect(.leftParen, what)
        let open = previous
        let pipeline = try deeper { try $0.pipeline(inBrackets: true) }
        try expect(.rightParen, "')' to close the pipeline opened at column \(source.location(of: open.range.start).column)")
        return Pipeline(source: pipeline.source, stages: pipeline.stages, range: open.range.to(previous.range))
    }

    // conditional: "if" expression "then" expression "else" expression
    mutating func conditional() throws -> Expression {
        let keyword = advance()
        let condition = try expression()
        try expect(.then, "'then' and the value when the condition holds, as in `if teams > 50 then \"large\" else \"small\"`")
        let then = try expression()
        try expect(.else, "'else' and the value when the condition does not hold (write `else null` for none)")
        let otherwise = try deeper { try $0.expression() }
        return try node(.conditional(condition, then: then, else: otherwise), range: keyword.range.to(otherwise.range))
    }

    // list: "[" [expression ("," expression)* [","]] "]"
    mutating func list() throws -> Expression {
        let open = advance()
        var items: [Expression] = []
        while !check(.rightBracket) {
            guard items.count < Self.maximumListItems else { throw fail(.listTooLong(limit: Self.maximumListItems, range: peek().range)) }
            items.append(try expression())
            if !match(.comma) { break }
        }
        try expect(.rightBracket, "']' to close the list")
        return Expression(kind: .list(items), range: open.range.to(previous.range))
    }

    // call: FUNCTION "(" [arguments] ")"
    // arguments: expression ("," expression)* ["where" expression] | "where" expression
    mutating func call() throws -> Expression {
        let function = advance()
        advance()  // (
        var arguments: [Expression] = []
        var filter: Expression?
        if !check(.rightParen) && !check(.where) {
            arguments.append(try expression())
            while match(.comma) { arguments.append(try expression()) }
        }
        if match(.where) { filter = try expression() }
        try expect(.rightParen, "')' to close the call to \(function.lexeme)")
        return Expression(kind: .call(Name(text: function.lexeme, range: function.range), arguments, filter: filter),
                          range: function.range.to(previous.range))
    }

    // MARK: Token helpers: peek, advance, check, match, expect

    private func peek(_ ahead: Int = 0) -> Token { tokens[min(current + ahead, tokens.count - 1)] }
    private var previous: Token { tokens[max(current - 1, 0)] }
    /// Reads only the kind: a whole token copied out of the array retains its two strings.
    private func check(_ kind: TokenKind) -> Bool { tokens[min(current, tokens.count - 1)].kind == kind }
    private var isAtStatementEnd: Bool { check(.newline) || check(.semicolon) || check(.end) }

    @discardableResult
    private mutating func advance() -> Token {
        let token = peek()
        if current < tokens.count - 1 { current += 1 }
        return token
    }

    private mutating func match(_ kind: TokenKind) -> Bool {
        guard check(kind) else { return false }
        if current < tokens.count - 1 { current += 1 }
        return true
    }

    private mutating func expect(_ kind: TokenKind, _ what: String) throws {
        guard match(kind) else { throw fail(.expected(what, found: peek().kind.description, range: peek().range)) }
    }

    private mutating func expectName(_ what: String) throws -> Name {
        let token = peek()
        guard token.kind == .identifier else {
            if token.kind.isKeyword {
                throw fail(.reservedWord(token.lexeme, expected: what, range: token.range))
            }
            throw fail(.expected(what, found: token.kind.description, range: token.range))
        }
        advance()
        return Name(text: token.lexeme, range: token.range)
    }

    private mutating func expectSeparator() throws {
        guard isAtStatementEnd else { throw fail(.expectedPipe(found: peek().kind.description, range: peek().range)) }
    }

    private mutating func skipSeparators() {
        while check(.newline) || check(.semicolon) { advance() }
    }

    private mutating func fail(_ diagnostic: Diagnostic) -> Panic {
        diagnostics.append(diagnostic)
        return Panic()
    }

    /// Panic-mode recovery: skip to the next statement boundary.
    private mutating func synchronize() {
        while !isAtStatementEnd { advance() }
    }

    private mutating func binary(_ op: BinaryOperator, _ left: Expression, _ right: Expression) throws -> Expression {
        try node(.binary(op, left, right), range: left.range.to(right.range))
    }

    /// Builds a node, refusing one deeper than the limit: a long chain (1 + 1 + … or a.b.c…) grows
    /// the tree without recursing in the parser, but the checker, the evaluator and freeing the tree do recurse.
    private mutating func node(_ kind: Expression.Kind, range: SourceRange) throws -> Expression {
        let expression = Expression(kind: kind, range: range)
        if expression.depth > Self.maximumDepth { throw fail(.nestedTooDeeply(limit: Self.maximumDepth, range: range)) }
        return expression
    }
}
