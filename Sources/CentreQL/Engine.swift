import Synchronization

/// The engine's façade. The whole pipeline is `run(_:)`: parse the script into statements, then for
/// each one check it (syntax tree → bound tree), plan it (bound tree → plan) and execute it (plan → rows).
///
/// ```swift
/// var engine = Engine()                       // the built-in data
/// let result = try engine.query("centres | where district_en == \"Minhang\" | select name")
/// print(result.columns.map(\.name), result.rows)
/// ```
public struct Engine: Sendable {
    public var store: Store {
        // A `let` was bound against the tables of the old schema; under another it would name wrong columns.
        didSet { if store.catalog != oldValue.catalog { environment.lets = [:] } }
    }
    public private(set) var environment = Environment()
    /// Set it to let another thread or a signal handler stop a running query.
    public var cancellation: Cancellation?
    /// The longest a query may run (`--timeout`); past it the query stops with E406.
    public var timeLimit: Duration?
    /// The most rows a `join` may produce before it stops with E407: past this a query is almost
    /// surely missing its condition, and its rows would exhaust memory before anyone could read them.
    public var joinRowLimit = Engine.defaultJoinRowLimit
    public static let defaultJoinRowLimit = 5_000_000
    /// Whether the planner may use indexes and hash joins (turned off to compare answers with and without them).
    public var usesIndexes = true
    /// Whether the executor computes expressions through kernels, a batch at a time (off only to compare answers).
    var usesKernels = true
    /// `--param NAME=TEXT` values as typed; a `param` declaration reads its value from here first.
    private var parameterTexts: [String: String]

    public init(store: Store = .builtIn, parameters: [String: String] = [:]) {
        self.store = store
        self.parameterTexts = parameters
        for (name, text) in parameters {
            environment.parameters[name] = Self.inferredParameter(text)
        }
    }

    /// Runs every statement of a script in order, handing each outcome to `report` as soon as it is
    /// known. A statement that fails does not stop the ones after it; a cancellation (Ctrl-C) does.
    public mutating func run(_ source: SourceText, report: (StatementResult) -> Void) {
        for parsed in Parser.parse(source) {
            guard parsed.diagnostics.isEmpty, let statement = parsed.statement else {
                report(StatementResult(extent: parsed.extent, outcome: .failed(parsed.diagnostics)))
                continue
            }
            var notes: [Diagnostic] = []
            let outcome = run(statement, in: source, notes: &notes)
            report(StatementResult(extent: parsed.extent, outcome: outcome, notes: notes))
            // The statement that was cancelled is the last one run.
            if case .failed(let diagnostics) = outcome, diagnostics.contains(where: { $0.code == "E405" }) { break }
        }
    }

    /// Runs a script and returns the rows of its last query, or throws every diagnostic it produced.
    public mutating func query(_ text: String) throws(QueryError) -> ResultSet {
        let source = SourceText(text)
        var last: ResultSet?
        var diagnostics: [Diagnostic] = []
        run(source) { result in
            switch result.outcome {
            case .rows(let rows): last = rows
            case .failed(let found): diagnostics += found
            case .defined: break
            }
        }
        if !diagnostics.isEmpty { throw QueryError(diagnostics: diagnostics, source: source) }
        return last ?? ResultSet(columns: [], rows: [])
    }

    /// A statement after the front end: what running, compiling to SQL and preparing all start from.
    private enum Bound {
        /// A `let` or `param`: it has taken effect in the session.
        case defined(String)
        case query(BoundPipeline)
        case explain(BoundPipeline)
        /// With the condition of `follow`, bound on the source's rows.
        case trace(BoundPipeline, follow: Conjunct?)
        case failed([Diagnostic])
    }

    /// The one front end: a parsed statement checked against the session (syntax tree → bound
    /// tree). `let` and `param` take effect here, whatever the statement is then used for.
    private mutating func bind(_ statement: Statement, in source: SourceText) -> Bound {
        switch statement.kind {
        case .let(let name, let pipeline):
            var checker = makeChecker(source)
            let bound = checker.check(pipeline)
            environment.lets[name.text] = .some(bound)
            return checker.diagnostics.isEmpty ? .defined(name.text) : .failed(checker.diagnostics)
        case .param(let name, let typeName, let defaultValue):
            var checker = makeChecker(source)
            switch declareParameter(name, typeName: typeName, defaultValue: defaultValue, checker: &checker) {
            case .failed(let diagnostics): return .failed(diagnostics)
            default: return .defined(name.text)
            }
        case .explain(let pipeline):
            let checked = bind(pipeline, in: source)
            if case .query(let bound) = checked { return .explain(bound) }
            return checked
        case .trace(let pipeline, let condition):
            let checked = bind(pipeline, in: source)
            guard case .query(let bound) = checked else { return checked }
            guard let condition else { return .trace(bound, follow: nil) }
            var checker = makeChecker(source)
            guard let expression = try? checker.bind(condition, in: .table(bound.sourceTable, in: store.catalog)) else {
                return .failed(checker.diagnostics)
            }
            guard expression.type == .bool || expression.type == .null else {
                return .failed([.conditionNotBoolean(stage: "follow", type: expression.type, range: condition.range)])
            }
            return .trace(bound, follow: Conjunct(expression: expression, text: source.text(of: condition.range)))
        case .query(let pipeline):
            return bind(pipeline, in: source)
        }
    }

    /// A query's pipeline checked: it changes nothing in the session.
    private func bind(_ pipeline: Pipeline, in source: SourceText) -> Bound {
        var checker = makeChecker(source)
        guard var bound = checker.check(pipeline, allowsChart: true), checker.diagnostics.isEmpty else { return .failed(checker.diagnostics) }
        bound.notes = checker.notes
        return .query(bound)
    }

    /// A checker for this session, reading the store where a query's shape depends on its data (`pivot`).
    func makeChecker(_ source: SourceText) -> Checker {
        var checker = Checker(environment: environment, catalog: store.catalog, source: source)
        checker.data = store
        let (store, environment, usesIndexes, cancellation, timeLimit) = (store, environment, usesIndexes, cancellation, timeLimit)
        checker.columnValues = { pipeline in
            let parameters = environment.parameterValues
            let plan = Planner(store: store, parameters: parameters, usesIndexes: usesIndexes).plan(pipeline)
            let interruption = Interruption(cancellation: cancellation, timeLimit: timeLimit, range: SourceRange(0, 0))
            let executor = Executor(evaluator: Evaluator(store: store, parameters: parameters, interruption: interruption), interruption: interruption)
            return try executor.run(plan).map { $0.first ?? .null }
        }
        return checker
    }

    /// Bound tree → plan (the explanation written only when asked for).
    private func plan(_ bound: BoundPipeline, explaining: Bool = false) -> Plan {
        Planner(store: store, parameters: environment.parameterValues, usesIndexes: usesIndexes, explains: explaining).plan(bound)
    }

    private mutating func run(_ statement: Statement, in source: SourceText, notes: inout [Diagnostic]) -> StatementOutcome {
        let bound = bind(statement, in: source)
        if case .query(let pipeline) = bound { notes = pipeline.notes }
        if case .trace(let pipeline, _) = bound { notes = pipeline.notes }
        switch bound {
        case .failed(let diagnostics): return .failed(diagnostics)
        case .defined(let name): return .defined(name)
        case .explain(let bound):
            return .rows(ResultSet(columns: [ResultColumn(name: "plan", type: .string)], rows: plan(bound, explaining: true).explanation.map { [.string($0)] }))
        case .query(let bound):
            return outcome(range: statement.range) {
                var result = try execute(bound, range: statement.range)
                result.chart = bound.chart
                return result
            }
        case .trace(let bound, let condition):
            // The pipeline cut after each stage, each run on its own: what every stage leaves.
            return outcome(range: statement.range) {
                var steps: [Trace.Step] = []
                let source = store.catalog[bound.sourceTable].name
                let sourceScope = Scope.table(bound.sourceTable, in: store.catalog)
                let engine = self  // the follower keeps the function; the statement does not change the session
                func run(_ stages: [CheckedStage]) throws -> ResultSet {
                    try engine.execute(BoundPipeline(sourceTable: bound.sourceTable, stages: stages, scope: stages.last?.scope ?? sourceScope),
                                range: statement.range)
                }
                var results: [ResultSet] = []
                for count in 0...bound.stages.count {
                    let result = try run(Array(bound.stages.prefix(count)))
                    // Every row is kept only when rows are followed.
                    results.append(condition == nil ? ResultSet(columns: [], rows: []) : result)
                    let first = ResultSet(columns: result.columns, rows: Array(result.rows.prefix(Trace.rowsShown)))
                    steps.append(Trace.Step(text: count == 0 ? source : "| " + bound.stages[count - 1].text,
                                            rowsIn: steps.last?.rowsOut, rowsOut: result.rows.count, first: first))
                }
                if let condition {
                    let follower = TraceFollower(run: run, stages: bound.stages, sourceScope: sourceScope)
                    for (index, lines) in try follower.lines(results: results, condition: condition).enumerated() {
                        steps[index].followed = lines
                    }
                }
                var summary = Trace(steps: steps).summary
                summary.trace = Trace(steps: steps)
                return summary
            }
        }
    }

    /// Rows, or the error that stopped them.
    private func outcome(range: SourceRange, _ run: () throws -> ResultSet) -> StatementOutcome {
        do {
            return .rows(try run())
        } catch let diagnostic as Diagnostic {
            return .failed([diagnostic])
        } catch {
            return .failed([Diagnostic(code: "E499", message: "\(error)", range: range)])
        }
    }

    /// A checked pipeline planned and run over the store.
    private func execute(_ bound: BoundPipeline, range: SourceRange) throws -> ResultSet {
        let parameters = environment.parameterValues
        let plan = Planner(store: store, parameters: parameters, usesIndexes: usesIndexes).plan(bound)
        let interruption = Interruption(cancellation: cancellation, timeLimit: timeLimit, range: range)
        let executor = Executor(evaluator: Evaluator(store: store, parameters: parameters, interruption: interruption),
                                interruption: interruption,
                                joinRowLimit: joinRowLimit, usesKernels: usesKernels)
        return ResultSet(scope: plan.scope, relation: try executor.relation(of: plan), store: store)
    }

    private mutating func declareParameter(_ name: Name, typeName: Name, defaultValue: Expression?,
                                           checker: inout Checker) -> StatementOutcome {
        guard let type = ValueType.declarable[typeName.text] else {
            return .failed([.unknownType(typeName.text, range: typeName.range)])
        }
        var value: Value?
        if let text = parameterTexts[name.text] {
            guard let parsed = Self.parameterValue(text, as: type) else {
                environment.parameters[name.text] = (type, nil)  // declared, but without a usable value
                return .failed([.parameterValue(name.text, text: text, type: type, range: name.range)])
            }
            value = parsed
        } else if let defaultValue {
            guard let bound = try? checker.bind(defaultValue, in: Scope(store.catalog)) else {
                return .failed(checker.diagnostics)
            }
            guard case .constant(let constant) = bound.node else { return .failed([.parameterDefaultNotConstant(range: defaultValue.range)]) }
            guard type.unified(with: bound.type) == type else {
                return .failed([.parameterDefaultType(name.text, expected: type, found: bound.type, range: defaultValue.range)])
            }
            value = (type == .decimal ? constant.number.map { .decimal($0) } : nil) ?? constant
        }
        environment.parameters[name.text] = (type, value)
        return .defined(name.text)
    }

    /// Compiles each query of a script to SQL for `dialect`, handing each outcome to `report`;
    /// `let` and `param` statements take effect as they do when the script runs.
    public mutating func compileSQL(_ source: SourceText, dialect: SQLDialect, report: (SourceRange, SQLOutcome) -> Void) {
        for parsed in Parser.parse(source) {
            guard parsed.diagnostics.isEmpty, let statement = parsed.statement else {
                report(parsed.extent, .failed(parsed.diagnostics))
                continue
            }
            switch bind(statement, in: source) {
            case .failed(let diagnostics): report(parsed.extent, .failed(diagnostics))
            case .defined(let name): report(parsed.extent, .defined(name))
            case .explain: report(parsed.extent, .failed([.notExpressibleInSQL("explain", dialect: dialect, range: statement.range)]))
            case .trace: report(parsed.extent, .failed([.notExpressibleInSQL("trace", dialect: dialect, range: statement.range)]))
            case .query(let bound):
                var compiler = SQLCompiler(dialect: dialect, catalog: store.catalog, range: statement.range)
                do {
                    var compiled = try compiler.compile(bound)
                    compiled.notes = bound.notes
                    report(parsed.extent, .sql(compiled, parameters: environment.parameterValues))
                } catch {
                    report(parsed.extent, .failed([error]))
                }
            }
        }
    }

    /// Parses, checks and plans a query without running it: what the REPL pays before the first row.
    /// Returns the plan's explanation (written only when `explaining`), or nil when the query has errors.
    public func prepare(_ text: String, explaining: Bool = false) -> [String]? {
        let source = SourceText(text)
        guard let statement = Parser.parse(source).first?.statement, case .query(let pipeline) = statement.kind,
              case .query(let bound) = bind(pipeline, in: source) else { return nil }
        return plan(bound, explaining: explaining).explanation
    }

    /// Sets a parameter's value from text, keeping its declared type if it has one.
    public mutating func setParameter(_ name: String, text: String) -> Bool {
        parameterTexts[name] = text
        if let type = environment.parameters[name]?.type {
            guard let value = Self.parameterValue(text, as: type) else { return false }
            environment.parameters[name] = (type, value)
        } else {
            environment.parameters[name] = Self.inferredParameter(text)
        }
        return true
    }

    /// The parameters known now: name, type and value (nil when declared without one), by name.
    public var parameters: [(name: String, type: ValueType, value: Value?)] {
        environment.parameters.map { ($0.key, $0.value.type, $0.value.value) }.sorted { $0.name < $1.name }
    }

    /// Whether `name` can be written as `$name`: letters, digits and `_`, not starting with a digit.
    public static func isParameterName(_ name: String) -> Bool {
        name.first.map { $0.isLetter || $0 == "_" } == true && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// Forgets one parameter (its declaration too); false when there is none of that name.
    public mutating func unsetParameter(_ name: String) -> Bool {
        parameterTexts[name] = nil
        return environment.parameters.removeValue(forKey: name) != nil
    }

    public mutating func clearParameters() {
        environment.parameters = [:]
        parameterTexts = [:]
    }

    /// An undeclared parameter's type follows its text: a whole number, a decimal, true/false, a date
    /// written as in a query (@2019-12-31), or else text.
    static func inferredParameter(_ text: String) -> (type: ValueType, value: Value?) {
        if text.hasPrefix("@"), let value = parameterValue(text, as: .date) { return (.date, value) }
        for type in [ValueType.int, .decimal, .bool] {
            if let value = parameterValue(text, as: type) { return (type, value) }
        }
        return (.string, .string(text))
    }

    static func parameterValue(_ text: String, as type: ValueType) -> Value? {
        switch type {
        case .string: return .string(text)
        case .int: return Int(text).map { .int($0) }
        case .decimal: return Value.decimal(reading: Substring(text)).map { .decimal($0) }
        case .bool: return text == "true" ? .bool(true) : (text == "false" ? .bool(false) : nil)
        case .date: return CalendarDate.days(reading: text.hasPrefix("@") ? text.dropFirst() : Substring(text)).map { .date($0) }
        default: return nil
        }
    }
}

public struct StatementResult: Sendable {
    /// Where the statement is in the script, up to the end of its line.
    public let extent: SourceRange
    public let outcome: StatementOutcome
    /// How the statement was read, shown after its result (notes never stop it).
    public var notes: [Diagnostic] = []
}

/// What compiling a statement to SQL gave.
public enum SQLOutcome: Sendable {
    /// The query's SQL, and the values its parameters have now.
    case sql(CompiledQuery, parameters: [String: Value])
    case defined(String)
    case failed([Diagnostic])
}

public enum StatementOutcome: Sendable {
    /// A query's rows.
    case rows(ResultSet)
    /// A `let` or `param` took effect.
    case defined(String)
    /// The statement was not run, or failed while running.
    case failed([Diagnostic])
}

/// A query's answer: named, typed columns and rows of values.
///
/// A query's values are kept column by column, as the executor computed them; the rows are made the
/// first time they are read (and kept), so a result that is counted, or passed on, is never copied
/// into an array per row.
public struct ResultSet: Sendable, Equatable {
    public let columns: [ResultColumn]
    public var rows: [[Value]] { storage.rows }
    /// How many rows, without making them.
    public var rowCount: Int { storage.count }
    /// For `trace`: every stage's rows, which the formats for people show instead of these summary rows.
    public var trace: Trace?
    /// For a pipeline ending in `chart`: what the formats for people draw from these rows.
    public var chart: ChartSpec?
    private let storage: Storage

    public init(columns: [ResultColumn], rows: [[Value]]) {
        self.columns = columns
        storage = Storage(rows: rows)
    }

    /// A plan's rows as a result: the table rows it carries by number expanded into their columns.
    init(scope: Scope, relation: Relation, store: Store) {
        self.columns = scope.outputColumns.map { ResultColumn(name: $0.name, type: $0.type) }
        let shown = relation.shown(scope, store: store)
        storage = Storage(columns: shown.slots.map { slot in
            if case .values(let values) = slot { return values }
            return (0..<shown.count).map { slot[$0] }
        }, count: shown.count)
    }

    public static func == (a: ResultSet, b: ResultSet) -> Bool {
        a.columns == b.columns && a.rowCount == b.rowCount && a.trace == b.trace && a.chart == b.chart && a.rows == b.rows
    }

    /// The values, as columns until the rows are first read, then as rows (the columns let go).
    private final class Storage: Sendable {
        enum Values { case columns([[Value]]), rows([[Value]]) }
        let count: Int
        private let values: Mutex<Values>

        init(rows: [[Value]]) {
            count = rows.count
            values = Mutex(.rows(rows))
        }

        init(columns: [[Value]], count: Int) {
            self.count = count
            values = Mutex(.columns(columns))
        }

        var rows: [[Value]] {
            values.withLock { values in
                switch values {
                case .rows(let rows): return rows
                case .columns(let columns):
                    let rows = (0..<count).map { row in columns.map { $0[row] } }
                    values = .rows(rows)
                    return rows
                }
            }
        }
    }
}

public struct ResultColumn: Sendable, Equatable {
    public let name: String
    public let type: ValueType
}
