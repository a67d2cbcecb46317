/// Resolves names and checks types: turns a syntax tree into a bound pipeline, or explains why not.
/// It collects every independent error in a statement rather than stopping at the first.
struct Checker {
    /// Named pipelines (`let`) and declared parameters, which persist across statements.
    let environment: Environment
    /// The schema names resolve against: the store's.
    let catalog: Catalog
    private(set) var diagnostics: [Diagnostic] = []
    /// What the statement runs with but a reader should know: comparisons the report's wording leaves open.
    private(set) var notes: [Diagnostic] = []
    private let source: SourceText
    /// The data the statement will run on, where there is some: the notes read its columns (a figure
    /// column's qualified figures, a text column's values and index). Nil, no note is written.
    var data: Store?
    /// Reads the values of a pipeline's one column from the store: `pivot` makes a column for each
    /// value of its key, so the values decide the result's shape when the query is checked. Nil
    /// where no data is at hand.
    var columnValues: ((BoundPipeline) throws -> [Value])?
    /// Where the stage being checked starts from and the stages before it (nil inside `group … (…)`).
    private var prefix: (source: Int, stages: [CheckedStage])?
    /// The most columns one pivot may make.
    static let maximumPivotColumns = 64
    /// Whether the stage being checked may be `chart`: only the last stage of a statement's own
    /// pipeline (a chart draws a result; inside a `let`, brackets or `group (…)` nothing is drawn).
    private var chartAllowed = false
    /// The chart the statement's last stage asked for.
    private var chart: ChartSpec?
    /// How many pipelines have been bound as lists (`.subquery`) so far.
    private var listsBound = 0
    /// How many link aggregates with a condition (`count(projects where …)`) have been bound so far.
    private var linkConditionsBound = 0

    init(environment: Environment, catalog: Catalog, source: SourceText) {
        self.environment = environment
        self.catalog = catalog
        self.source = source
    }

    /// Thrown when an expression cannot be bound; its diagnostic is already recorded.
    struct Failure: Error {}

    // MARK: Pipelines and stages

    /// The most stages one pipeline may have, with those of the `let`s it starts from: each `let`
    /// keeps its stages, so a chain of lets without a bound costs time and memory as its square.
    static let maximumStages = 1000

    /// Checks a pipeline; `allowsChart` when it is a statement's own (a query, explain or trace).
    mutating func check(_ pipeline: Pipeline, allowsChart: Bool = false) -> BoundPipeline? {
        var stages: [CheckedStage] = []
        var scope: Scope
        let sourceTable: Int
        let (listsBefore, linkConditionsBefore) = (listsBound, linkConditionsBound)
        var (inheritsLists, inheritsLinkConditions) = (false, false)
        if let named = environment.lets[pipeline.source.text] {
            guard let bound = named else { return nil }  // the let failed; its errors were reported then
            (sourceTable, stages, scope) = (bound.sourceTable, bound.stages, bound.scope)
            (inheritsLists, inheritsLinkConditions) = (bound.mayReadPipelines, bound.mayFilterLinks)
        } else if let table = catalog.tableIndex(pipeline.source.text) {
            (sourceTable, scope) = (table, .table(table, in: catalog))
        } else {
            let known = catalog.tableNames + environment.lets.keys.sorted()
            diagnostics.append(.unknownTable(pipeline.source.text, range: pipeline.source.range,
                                             suggestion: Suggestions.closest(to: pipeline.source.text, in: known), known: known))
            return nil
        }
        if stages.count + pipeline.stages.count > Self.maximumStages {
            diagnostics.append(.tooManyStages(stages.count + pipeline.stages.count, limit: Self.maximumStages, range: pipeline.source.range))
            return nil
        }
        stages.reserveCapacity(stages.count + pipeline.stages.count)
        chart = nil
        for (index, stage) in pipeline.stages.enumerated() {
            let saved = prefix
            prefix = (sourceTable, stages)
            chartAllowed = allowsChart && index == pipeline.stages.count - 1
            let bound = try? check(stage, in: &scope)
            prefix = saved  // before the append: still holding the stages, it would copy them all
            // After a failed stage the scope is unknown, so later stages cannot be checked meaningfully.
            guard let bound else { return nil }
            stages.append(CheckedStage(name: stage.name, stage: bound, text: source.text(of: stage.range), scope: scope))
        }
        var bound = BoundPipeline(sourceTable: sourceTable, stages: stages, scope: scope)
        bound.mayReadPipelines = inheritsLists || listsBound > listsBefore
        bound.mayFilterLinks = inheritsLinkConditions || linkConditionsBound > linkConditionsBefore
        if allowsChart { bound.chart = chart }
        return bound
    }

    private mutating func check(_ stage: Stage, in scope: inout Scope) throws -> BoundStage {
        switch stage.kind {
        case .where(let condition):
            // Each part joined by `and` is bound on its own, so the planner can match parts to indexes.
            return .where(try conjuncts(of: condition).map { part in
                let bound = try bind(part, in: scope)
                guard bound.type == .bool || bound.type == .null else {
                    throw fail(.conditionNotBoolean(stage: "where", type: bound.type, range: part.range))
                }
                return Conjunct(expression: bound, text: source.text(of: part.range))
            })

        case .select(let fields):
            let bound = try bindFields(fields, in: scope, startingWith: [], mode: .window)
            scope = scope.replacing(fields: bound.map { .init(name: $0.name, kind: .value($0.type)) })
            return .select(bound)

        case .derive(let fields):
            var replacing: [Int?] = []
            var bound: [BoundField] = []
            var next = scope
            for field in fields {
                let one = try bindField(field, in: next, mode: .window)
                bound.append(one)
                if let slot = next.valueSlot(named: one.name) {
                    replacing.append(slot)
                    next.fields[slot].kind = .value(one.type)
                } else {
                    replacing.append(nil)
                    next.fields.append(.init(name: one.name, kind: .value(one.type)))
                }
            }
            scope = next
            return .derive(bound, replacing: replacing)

        case .group(let keys, let aggregates):
            let boundKeys = try bindFields(keys, in: scope, startingWith: [])
            var boundAggregates: [BoundField] = []
            var names = boundKeys.map(\.name)
            var failures = 0
            for field in aggregates {
                do {
                    let bound = try bind(field.expression, in: scope, mode: .groupAggregate)
                    let name = fieldName(field)
                    if names.contains(name) {
                        diagnostics.append(.duplicateColumn(name, range: field.name?.range ?? field.expression.range))
                        failures += 1
                    }
                    names.append(name)
                    boundAggregates.append(BoundField(name: name, expression: bound))
                } catch {
                    failures += 1
                }
            }
            if failures > 0 { throw Failure() }
            scope = scope.replacing(fields: (boundKeys + boundAggregates).map { .init(name: $0.name, kind: .value($0.type)) })
            scope.ordering = .lost(by: "group")
            return .group(keys: boundKeys, aggregates: boundAggregates)

        case .chart(let name, let fields, let setting):
            guard chartAllowed else { throw fail(.chartNotLast(range: stage.keyword)) }
            guard let kind = ChartKind(rawValue: name.text) else {
                throw fail(.unknownChartKind(name.text, range: name.range))
            }
            guard fields.count == kind.fieldCount else { throw fail(.chartFields(kind, count: fields.count, range: stage.range)) }
            let bound = try bindFields(fields, in: scope, startingWith: [])
            // The value (and a line's X, when it is a number or a date) is what is drawn to scale.
            guard let value = bound.last, value.type.isNumeric || value.type == .null else {
                throw fail(.chartValueNotNumber(bound.last!.name, type: bound.last!.type, kind: kind, range: fields.last!.expression.range))
            }
            var binCount: Int?
            if let (word, bins) = setting {
                guard word.text == "bins" else { throw fail(.unknownChartSetting(word.text, range: word.range)) }
                guard kind == .histogram else { throw fail(.chartBins(kind, range: word.range)) }
                guard case .integer(let n) = bins.kind, (1...ChartSpec.maximumBins).contains(n) else {
                    throw fail(.chartBinCount(limit: ChartSpec.maximumBins, range: bins.range))
                }
                binCount = n
            }
            chart = ChartSpec(kind: kind, bins: binCount)
            scope = scope.replacing(fields: bound.map { .init(name: $0.name, kind: .value($0.type)) })
            return .select(bound)

        case .pivot(let key, let aggregates, let by):
            let boundKey = try bind(key, in: scope)
            let keyType = boundKey.type
            if case .list = keyType { throw fail(.cannotSort(type: keyType, range: key.range)) }
            let keys = try bindFields(by, in: scope, startingWith: [])
            var bound: [(BoundField, Expression)] = []
            for field in aggregates {
                let expression = try bind(field.expression, in: scope, mode: .groupAggregate)
                bound.append((BoundField(name: fieldName(field), expression: expression), field.expression))
            }
            guard let prefix, let columnValues else { throw fail(.pivotWithoutData(range: stage.keyword)) }
            // The key's distinct values, from the rows as they reach this stage.
            let one = scope.replacing(fields: [.init(name: "key", kind: .value(keyType))])
            let probe = BoundPipeline(sourceTable: prefix.source, stages: prefix.stages + [
                CheckedStage(name: .select, stage: .select([BoundField(name: "key", expression: boundKey)]), text: "select", scope: one),
                CheckedStage(name: .distinct, stage: .distinct, text: "distinct", scope: one),
            ], scope: one)
            let found: [Value]
            do { found = try columnValues(probe) } catch let diagnostic as Diagnostic { throw fail(diagnostic) }
            let values = found.filter { !$0.isNull }.sorted { Value.compare($0, $1) < 0 }
            guard values.count * bound.count <= Self.maximumPivotColumns else {
                throw fail(.pivotTooWide(values.count * bound.count, limit: Self.maximumPivotColumns, range: key.range))
            }
            // With no `by` and no value there would be a result without columns.
            if keys.isEmpty && values.isEmpty { throw fail(.pivotWithoutColumns(range: key.range)) }
            var names = keys.map(\.name)
            var columns: [BoundField] = []
            for value in values {
                let condition = BoundExpression(.binary(.equal, boundKey, .constant(value), range: key.range), .bool)
                for (field, _) in bound {
                    let name = bound.count == 1 ? value.description : "\(field.name)_\(value.description)"
                    if names.contains(name) { throw fail(.duplicateColumn(name, range: key.range)) }
                    names.append(name)
                    // Each aggregate of the field over the rows whose key is this value.
                    let expression = field.expression.replacing { part in
                        guard case .groupAggregate(let function, let argument, let filter, let option) = part.node else { return nil }
                        let both = filter.map { BoundExpression(.binary(.and, $0, condition, range: key.range), .bool) } ?? condition
                        return part.with(.groupAggregate(function, argument: argument, filter: both, option: option))
                    }
                    columns.append(BoundField(name: name, expression: expression))
                }
            }
            scope = scope.replacing(fields: (keys + columns).map { .init(name: $0.name, kind: .value($0.type)) })
            scope.ordering = .lost(by: "pivot")
            return .group(keys: keys, aggregates: columns)

        case .unpivot(let columns, let name, let value):
            let outputs = scope.outputColumns
            var listed: [Int] = []
            var type = ValueType.null
            for column in columns {
                guard let index = outputs.firstIndex(where: { $0.name == column.text }) else {
                    let known = outputs.map(\.name)
                    throw fail(.unknownColumn(column.text, table: nil, range: column.range,
                                              suggestion: Suggestions.closest(to: column.text, in: known), known: known))
                }
                guard let unified = type.unified(with: outputs[index].type) else {
                    throw fail(.functionArgumentType(StageName.unpivot.usage, position: listed.count + 1, expected: type.description,
                                                     found: outputs[index].type, range: column.range))
                }
                type = unified
                listed.append(index)
            }
            let kept = outputs.indices.filter { !listed.contains($0) }
            var names = kept.map { outputs[$0].name }
            for new in [name, value] {
                if names.contains(new.text) { throw fail(.duplicateColumn(new.text, range: new.range)) }
                names.append(new.text)
            }
            scope = scope.replacing(fields: kept.map { .init(name: outputs[$0].name, kind: .value(outputs[$0].type)) }
                                    + [.init(name: name.text, kind: .value(.string)), .init(name: value.text, kind: .value(type))])
            return .unpivot(kept: kept, columns: listed, names: columns.map(\.text), type: type)

        case .explode(let written):
            let field = try bindField(written, in: scope)
            guard case .list(let element) = field.type else {
                throw fail(.explodeNeedsList(type: field.type, range: written.expression.range))
            }
            if let slot = scope.valueSlot(named: field.name) {
                scope.fields[slot].kind = .value(element)
                return .explode(field, replacing: slot)
            }
            scope.fields.append(.init(name: field.name, kind: .value(element)))
            return .explode(field, replacing: nil)

        case .append(let other), .except(let other), .intersect(let other):
            let operation: SetOperation = stage.name == .append ? .append : (stage.name == .except ? .except : .intersect)
            guard let right = check(other) else { throw Failure() }
            let (mine, theirs) = (scope.outputColumns, right.scope.outputColumns)
            var fields: [Scope.Field] = []
            for index in 0..<max(mine.count, theirs.count) {
                guard index < mine.count, index < theirs.count, mine[index].name == theirs[index].name,
                      let type = mine[index].type == theirs[index].type ? mine[index].type
                        : (mine[index].type == .null ? theirs[index].type : (theirs[index].type == .null ? mine[index].type : nil)) else {
                    throw fail(.combinedColumns(operation.rawValue, position: index + 1, mine: index < mine.count ? mine[index] : nil,
                                                theirs: index < theirs.count ? theirs[index] : nil, range: other.range))
                }
                fields.append(.init(name: mine[index].name, kind: .value(type)))
            }
            scope = scope.replacing(fields: fields)
            if operation != .append { scope.ordering = .lost(by: operation.rawValue) }
            return .combine(operation, right)

        case .groupEach(let keys, let stages):
            chartAllowed = false
            let boundKeys = try bindFields(keys, in: scope, startingWith: [])
            // The stages see a group's rows as the rows before the group, in the same order.
            var inner = scope
            var checked: [CheckedStage] = []
            let saved = prefix
            prefix = nil  // a pivot's columns would differ from group to group
            defer { prefix = saved }
            for stage in stages {
                let bound = try check(stage, in: &inner)
                checked.append(CheckedStage(name: stage.name, stage: bound, text: source.text(of: stage.range), scope: inner))
            }
            let names = Set(inner.outputColumns.map(\.name))
            let kept = boundKeys.indices.filter { !names.contains(boundKeys[$0].name) }
            var fields = kept.map { Scope.Field(name: boundKeys[$0].name, kind: .value(boundKeys[$0].type)) }
            fields += inner.fields
            scope = scope.replacing(fields: fields, primary: inner.primary.map { $0 + kept.count })
            scope.ordering = .lost(by: "group")
            return .groupEach(keys: boundKeys, stages: checked, keptKeys: kept)

        case .sort(let keys):
            var bound: [BoundSortKey] = []
            for key in keys {
                let expression = try bind(key.expression, in: scope)
                if case .list = expression.type { throw fail(.cannotSort(type: expression.type, range: key.expression.range)) }
                bound.append(BoundSortKey(expression: expression, isDescending: key.isDescending))
            }
            scope.ordering = .sorted(keys)
            return .sort(bound)

        case .take(let count):
            let bound = try bind(count, in: Scope(catalog))
            guard bound.type == .int else { throw fail(.takeNeedsCount(type: bound.type, range: count.range)) }
            if case .constant(.int(let n)) = bound.node, n < 0 { throw fail(.takeNegative(range: count.range)) }
            return .take(bound)

        case .count:
            scope = scope.replacing(fields: [.init(name: "count", kind: .value(.int))])
            return .count

        case .distinct:
            scope.ordering = .lost(by: "distinct")
            return .distinct

        case .join(let table, let pipeline, let alias, let condition, let keepsUnmatched):
            // A `let` or a pipeline: its rows must still be a table's; the join is then that table's,
            // kept to the pipeline's rows by their ids.
            var rows: BoundPipeline?
            if pipeline != nil || environment.lets[table.text] != nil {
                let written = pipeline ?? Pipeline(source: table, stages: [], range: table.range)
                guard let bound = check(written) else { throw Failure() }
                guard bound.scope.fields.count == 1, case .entity(let joinedTable) = bound.scope.fields[0].kind,
                      catalog[joinedTable].columnIndex("id") != nil else {
                    throw fail(.joinedPipelineNotRows(source.text(of: written.range), range: written.range))
                }
                rows = bound
            }
            let tableName = rows.map { catalog[$0.sourceTable].name } ?? table.text
            guard let index = catalog.tableIndex(tableName) else {
                let known = catalog.tableNames + environment.lets.keys.sorted()
                throw fail(.unknownTable(table.text, range: table.range,
                                         suggestion: Suggestions.closest(to: table.text, in: known), known: known))
            }
            let name = alias?.text ?? table.text
            if scope.fields.contains(where: { $0.name == name }) || scope.primaryTable.map({ catalog[$0].columnIndex(name) != nil || catalog[$0].link(name) != nil }) == true {
                throw fail(.joinNameTaken(name, range: alias?.range ?? table.range))
            }
            var joined = scope
            joined.fields.append(.init(name: name, kind: .entity(table: index)))
            var bound = try bind(condition, in: joined)
            guard bound.type == .bool || bound.type == .null else {
                throw fail(.conditionNotBoolean(stage: "join … on", type: bound.type, range: condition.range))
            }
            if let rows, let id = catalog[index].columnIndex("id") {
                // … and the joined row is one of the pipeline's: its id in the list of their ids.
                let ids = scope.replacing(fields: [.init(name: "id", kind: .value(.int))])
                let idColumn = { (slot: Int) in BoundExpression(.column(.slot(slot), table: index, column: id), .int) }
                let select = CheckedStage(name: .select, stage: .select([BoundField(name: "id", expression: idColumn(0))]),
                                          text: "select id", scope: ids)
                listsBound += 1
                let list = BoundExpression(.subquery(BoundPipeline(sourceTable: rows.sourceTable, stages: rows.stages + [select], scope: ids)), .list(.int))
                let member = BoundExpression(.binary(.in, idColumn(joined.fields.count - 1), list, range: condition.range), .bool)
                bound = BoundExpression(.binary(.and, bound, member, range: condition.range), .bool)
            }
            scope = joined
            return .join(table: index, condition: bound, keepsUnmatched: keepsUnmatched)
        }
    }

    private func conjuncts(of condition: Expression) -> [Expression] {
        if case .binary(.and, let left, let right) = condition.kind { return conjuncts(of: left) + conjuncts(of: right) }
        return [condition]
    }

    private mutating func bindFields(_ fields: [Field], in scope: Scope, startingWith names: [String], mode: Mode = .scalar) throws -> [BoundField] {
        var result: [BoundField] = []
        var names = names
        var failures = 0
        for field in fields {
            do {
                let bound = try bindField(field, in: scope, mode: mode)
                if names.contains(bound.name) {
                    diagnostics.append(.duplicateColumn(bound.name, range: field.name?.range ?? field.expression.range))
                    failures += 1
                }
                names.append(bound.name)
                result.append(bound)
            } catch {
                failures += 1
            }
        }
        if failures > 0 { throw Failure() }
        return result
    }

    private mutating func bindField(_ field: Field, in scope: Scope, mode: Mode = .scalar) throws -> BoundField {
        BoundField(name: fieldName(field), expression: try bind(field.expression, in: scope, mode: mode))
    }

    /// A field is called by its given name, or by its column's name (`centre.name` → `name`),
    /// or else by its text.
    private func fieldName(_ field: Field) -> String {
        if let name = field.name { return name.text }
        switch field.expression.kind {
        case .name(let name): return name
        case .member(_, let member): return member.text
        default: return source.text(of: field.expression.range)
        }
    }

    // MARK: Expressions

    enum Mode {
        /// An ordinary expression: aggregates only over links.
        case scalar
        /// Inside `group … agg`: aggregates without a link range over the group's rows.
        case groupAggregate
        /// Inside a group aggregate's argument: no further group aggregates.
        case insideAggregate
        /// A field of `derive` or `select`: an aggregate without a link ranges over all the rows (a
        /// group's, inside `group … (…)`), and window functions read the rows' order.
        case window
    }

    /// What a name or path refers to before it becomes a value.
    private enum Reference {
        case value(BoundExpression)
        /// One row of a table, reached through a slot or a to-one link.
        case row(RowReference, table: Int)
        /// The rows a to-many link reaches.
        case many(RowReference, LinkPath)
    }

    mutating func bind(_ expression: Expression, in scope: Scope, mode: Mode = .scalar) throws -> BoundExpression {
        switch expression.kind {
        case .integer(let i): return .constant(.int(i))
        case .decimal(let d): return .constant(.decimal(d))
        case .date(let days): return .constant(.date(days))
        case .string(let s): return .constant(.string(s))
        case .boolean(let b): return .constant(.bool(b))
        case .null: return .constant(.null)

        case .list(let items):
            var bound: [BoundExpression] = []
            var element = ValueType.null
            for item in items {
                let b = try bind(item, in: scope, mode: mode)
                guard let unified = element.unified(with: b.type) else {
                    throw fail(.mixedList(first: element, other: b.type, range: item.range))
                }
                element = unified
                bound.append(b)
            }
            return BoundExpression(.list(bound), .list(element))

        case .parameter(let name):
            guard let parameter = environment.parameters[name] else {
                throw fail(.unknownParameter(name, range: expression.range,
                                             suggestion: Suggestions.closest(to: name, in: environment.parameters.keys.sorted())))
            }
            guard parameter.value != nil else { throw fail(.parameterMissing(name, type: parameter.type, range: expression.range)) }
            return BoundExpression(.parameter(name), parameter.type)

        case .name, .member:
            if mode == .groupAggregate { throw fail(.columnOutsideAggregate(source.text(of: expression.range), range: expression.range)) }
            switch try reference(expression, in: scope) {
            case .value(let bound): return bound
            case .row(_, let table):
                throw fail(.rowUsedAsValue(source.text(of: expression.range), table: catalog[table], range: expression.range))
            case .many(_, let link):
                throw fail(.manyLinkUsedAsValue(source.text(of: expression.range), target: catalog[link.target], range: expression.range))
            }

        case .unary(.negate, let operand):
            let bound = try bind(operand, in: scope, mode: mode)
            guard bound.type.isNumeric || bound.type == .null else { throw fail(.operandType(op: "-", type: bound.type, range: operand.range)) }
            if case .constant(.int(let i)) = bound.node { return .constant(.int(-i)) }
            return bound.with(.negate(bound))

        case .unary(.not, let operand):
            let bound = try bind(operand, in: scope, mode: mode)
            guard bound.type == .bool || bound.type == .null else { throw fail(.operandType(op: "not", type: bound.type, range: operand.range)) }
            return BoundExpression(.not(bound), .bool)

        case .binary(let op, let left, let right):
            return try bindBinary(op, left, right, expression.range, in: scope, mode: mode)

        case .pipeline(let pipeline):
            // A list of one column's values, from a pipeline of its own (it sees nothing of this row).
            guard let bound = check(pipeline) else { throw Failure() }
            let columns = bound.scope.outputColumns
            guard columns.count == 1 else {
                throw fail(.pipelineListColumns(columns.map(\.name), range: expression.range))
            }
            listsBound += 1
            return BoundExpression(.subquery(bound), .list(columns[0].type))

        case .conditional(let condition, let then, let otherwise):
            let c = try bind(condition, in: scope, mode: mode)
            guard c.type == .bool || c.type == .null else { throw fail(.conditionNotBoolean(stage: "if", type: c.type, range: condition.range)) }
            let a = try bind(then, in: scope, mode: mode)
            let b = try bind(otherwise, in: scope, mode: mode)
            guard let type = a.type.unified(with: b.type) else {
                throw fail(.branchTypes(then: a.type, else: b.type, range: otherwise.range))
            }
            return BoundExpression(.conditional(c, then: Self.promoted(a, to: type), else: Self.promoted(b, to: type)), type)

        case .call(let name, let arguments, let filter):
            let function: ScalarFunction
            switch FunctionSignatures.callee(named: name.text) {
            case .window(let window)?:
                return try bindWindow(window, arguments, filter: filter, range: expression.range, in: scope, mode: mode)
            case .aggregate(let aggregate)?:
                return try bindAggregate(aggregate, name: name, arguments, filter: filter, range: expression.range, in: scope, mode: mode)
            case .scalar(let scalar)?:
                function = scalar
            case nil:
                throw fail(.unknownFunction(name.text, range: name.range, suggestion: Suggestions.closest(to: name.text, in: FunctionSignatures.allNames)))
            }
            if let filter { throw fail(.whereInScalarCall(function: name.text, range: filter.range)) }
            var bound: [BoundExpression] = []
            for argument in arguments { bound.append(try bind(argument, in: scope, mode: mode)) }
            let type = try FunctionSignatures.resultType(of: function, arguments: bound.map(\.type), call: expression, checker: &self)
            if function == .matches, case .constant(.string(let pattern)) = bound[1].node {
                return BoundExpression(.matches(bound[0], try compile(pattern, range: arguments[1].range)), type)
            }
            if function == .coalesce || function == .greatest || function == .least {
                bound = bound.map { Self.promoted($0, to: type) }
            }
            return BoundExpression(.function(function, bound, range: expression.range), type)
        }
    }

    /// A whole number where the result is a decimal becomes a decimal (through `amount`), so every
    /// value of a decimal column is a decimal: `x ?? 0` with a decimal x gives 0.0, not 0.
    /// Likewise a number where the result is a figure becomes an exact figure.
    static func promoted(_ expression: BoundExpression, to result: ValueType) -> BoundExpression {
        switch (expression.type, result) {
        case (.int, .decimal): return BoundExpression(.function(.amount, [expression], range: SourceRange(0, 0)), .decimal)
        case (.int, .figure), (.decimal, .figure):
            if case .constant(let value) = expression.node, let amount = value.number { return .constant(.figure(Figure(amount, .exact))) }
            return BoundExpression(.exactFigure(expression), .figure)
        default: return expression
        }
    }

    private mutating func bindBinary(_ op: BinaryOperator, _ left: Expression, _ right: Expression, _ range: SourceRange,
                                     in scope: Scope, mode: Mode) throws -> BoundExpression {
        let l = try bind(left, in: scope, mode: mode)
        let r: BoundExpression
        do {
            r = try bind(right, in: scope, mode: mode)
        } catch {
            explainUnquotedValue(compared: l, with: right)
            throw error
        }
        let (lt, rt) = (l.type, r.type)
        let condition = BoundExpression(.binary(op, l, r, range: range), .bool)
        // Written only for an error: the message's text costs more than binding the operator.
        func mismatch() -> Diagnostic { .operandTypes(op: op.rawValue, left: lt, right: rt, range: range) }
        switch op {
        case .and, .or:
            for (side, type) in [(left, lt), (right, rt)] where type != .bool && type != .null {
                throw fail(.operandType(op: op.rawValue, type: type, range: side.range))
            }
            return condition
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            guard lt.unified(with: rt) != nil else {
                if lt == .string || rt == .string, lt.isNumeric || rt.isNumeric {
                    throw fail(.compareTextWithNumber(left: lt, right: rt, range: range))
                }
                if Set([lt, rt]) == [.string, .date] {
                    // Text written as a date: point at it, with the date literal as the fix.
                    let text = lt == .string ? left : right
                    if case .string(let s) = text.kind, CalendarDate.days(reading: Substring(s)) != nil {
                        throw fail(.compareDateWithText(left: lt, right: rt, range: text.range, fixIt: "@" + s))
                    }
                    throw fail(.compareDateWithText(left: lt, right: rt, range: range, fixIt: nil))
                }
                throw fail(mismatch())
            }
            if case .list = lt.unified(with: rt), op != .equal, op != .notEqual { throw fail(mismatch()) }
            noteOpenComparisons(op, l, r, range: range)
            noteUnheldTexts(l, [right])
            noteUnheldTexts(r, [left])
            return condition
        case .in:
            guard case .list(let element) = rt else {
                if rt == .null { return condition }
                throw fail(.inNeedsList(type: rt, range: right.range))
            }
            guard lt.unified(with: element) != nil else { throw fail(mismatch()) }
            if case .list(let items) = right.kind { noteUnheldTexts(l, items) }
            return condition
        case .contains, .startsWith, .endsWith, .matches:
            for (side, type) in [(left, lt), (right, rt)] where type != .string && type != .null {
                throw fail(.textOperand(op: op.rawValue, type: type, range: side.range))
            }
            if op == .matches, case .constant(.string(let pattern)) = r.node {
                return BoundExpression(.matches(l, try compile(pattern, range: right.range)), .bool)
            }
            return condition
        case .coalesce:
            guard let type = lt.unified(with: rt) else { throw fail(mismatch()) }
            return BoundExpression(.binary(op, Self.promoted(l, to: type), Self.promoted(r, to: type), range: range), type)
        case .add where lt == .string || rt == .string, .concatenate:
            guard (lt == .string || lt == .null) && (rt == .string || rt == .null) else { throw fail(mismatch()) }
            return BoundExpression(.binary(.concatenate, l, r, range: range), .string)
        case .add where lt == .date || rt == .date, .subtract where lt == .date || rt == .date, .addDays, .subtractDays, .daysBetween:
            return try bindDayArithmetic(op, l, r, range: range, mismatch: mismatch())
        case .multiply where lt == .date || rt == .date, .divide where lt == .date || rt == .date,
             .remainder where lt == .date || rt == .date:
            throw fail(.dateArithmetic(op: op.rawValue, left: lt, right: rt, range: range))
        case .add, .subtract, .multiply, .divide, .remainder:
            guard (lt.isNumeric || lt == .null) && (rt.isNumeric || rt == .null) else { throw fail(mismatch()) }
            if op == .remainder, lt != .int && lt != .null || rt != .int && rt != .null { throw fail(mismatch()) }
            let numeric = lt.unified(with: rt) ?? .null
            let type: ValueType = op == .divide && numeric == .int ? .decimal : (numeric == .null ? .int : numeric)
            return BoundExpression(.binary(op, l, r, range: range), type)
        }
    }

    /// A figure column compared with a number: the column's qualified figures for which the report's
    /// wording leaves the comparison open, named in one note with the verdict the engine's order gives.
    /// (Read from the whole column, whichever rows reach the comparison.)
    private mutating func noteOpenComparisons(_ op: BinaryOperator, _ left: BoundExpression, _ right: BoundExpression, range: SourceRange) {
        guard let data else { return }
        func figures(_ e: BoundExpression) -> [Figure]? {
            guard case .column(_, let table, let column) = e.node, e.type == .figure else { return nil }
            return data.tables[table].columns[column].qualifiedFigures
        }
        func number(_ e: BoundExpression) -> Double? {
            if case .constant(let value) = e.node, value.wording == .exact { return value.number }
            return nil
        }
        let (found, other, reading, figureFirst): ([Figure], Double, BinaryOperator, Bool)
        if let f = figures(left), let m = number(right) { (found, other, reading, figureFirst) = (f, m, op, true) }
        else if let f = figures(right), let m = number(left) { (found, other, reading, figureFirst) = (f, m, FigureWording.flipped(op), false) }
        else { return }
        let open = found.filter { FigureWording.leavesOpen(reading, $0, other) }
        guard !open.isEmpty else { return }
        let verdicts = open.map { figure in
            (figure, Value.compares(reading, .figure(figure), .decimal(other)))
        }
        let number = Value.formatNumber(other)
        // Each comparison as it was written, the figure in its place.
        notes.append(.openComparison(verdicts.map { (figureFirst ? "\($0.0) \(op.rawValue) \(number)" : "\(number) \(op.rawValue) \($0.0)", $0.1) }, range: range))
    }

    /// A text column compared with text literals (`==`, `!=`, `in [...]`): a note for each literal
    /// that no row of the column holds when a value close to it exists, as the likely meaning
    /// (`"闵行"` for `"闵行区"`). The statement still runs. Columns of more than
    /// `noteableValues` distinct values are not searched (a note is not worth a scan of a million).
    private mutating func noteUnheldTexts(_ column: BoundExpression, _ literals: [Expression]) {
        guard let data, case .column(_, let table, let index) = column.node, column.type == .string else { return }
        var values: [String]?  // read only for a literal that the index does not find
        for literal in literals {
            guard case .string(let text) = literal.kind, !text.isEmpty, !Self.holds(text, table: table, column: index, in: data) else { continue }
            if values == nil { values = Self.textValues(table: table, column: index, in: data) }
            guard let values, values.count <= Self.noteableValues,
                  !values.contains(where: { $0.unicodeScalars.elementsEqual(text.unicodeScalars) }) else { continue }
            // The closest by spelling, else the one value that contains it (a name written short).
            // By code points, as text is compared everywhere (Foundation's `contains` failed on NULs).
            let needle = Array(text.unicodeScalars)
            let containing = values.filter { value in
                let scalars = Array(value.unicodeScalars)
                return scalars.count >= needle.count && (0...(scalars.count - needle.count)).contains { scalars[$0..<($0 + needle.count)].elementsEqual(needle) }
            }
            guard let close = Suggestions.closest(to: text, in: values) ?? (containing.count == 1 ? containing[0] : nil) else { continue }
            notes.append(.unheldText(text, column: catalog[table].columns[index].name, table: catalog[table].name, suggestion: close, range: literal.range))
        }
    }

    static let noteableValues = 10_000

    /// A text column's distinct values.
    private static func textValues(table: Int, column: Int, in data: Store) -> [String] {
        data.tables[table].columns[column].stringCodes?.dictionary ?? []
    }

    /// Whether a row of the column holds the text, as the column's index says (false when it has
    /// none): a literal that is there costs a lookup, not a scan of the values.
    private static func holds(_ text: String, table: Int, column: Int, in data: Store) -> Bool {
        let table = data.tables[table]
        return table.indexes[table.schema.columns[column].name].map { $0.count(equalTo: [.string(text)]) > 0 } ?? false
    }

    /// `town == 吴泾镇`: the unknown name is a value of the text column it is compared with, so the
    /// unknown-column error becomes one that says to quote it, with the quoted value as the fix.
    private mutating func explainUnquotedValue(compared column: BoundExpression, with other: Expression) {
        guard case .name(let word) = other.kind, let last = diagnostics.last, last.code == "E202", last.range == other.range,
              let data, case .column(_, let table, let index) = column.node, column.type == .string,
              Self.textValues(table: table, column: index, in: data).contains(where: { $0.unicodeScalars.elementsEqual(word.unicodeScalars) }) else { return }
        diagnostics[diagnostics.count - 1] = .unquotedValue(word, column: catalog[table].columns[index].name, range: other.range)
    }

    /// `date ± days` (either side of `+`) is a date, `date - date` the whole days between them.
    private mutating func bindDayArithmetic(_ op: BinaryOperator, _ left: BoundExpression, _ right: BoundExpression,
                                            range: SourceRange, mismatch: Diagnostic) throws -> BoundExpression {
        let (lt, rt) = (left.type, right.type)
        let leftDays = lt == .int || lt == .null, rightDays = rt == .int || rt == .null
        switch op {
        case .add where lt == .date && rightDays, .addDays: return BoundExpression(.binary(.addDays, left, right, range: range), .date)
        case .add where leftDays && rt == .date: return BoundExpression(.binary(.addDays, right, left, range: range), .date)
        case .subtract where (lt == .date || lt == .null) && rt == .date, .daysBetween:
            return BoundExpression(.binary(.daysBetween, left, right, range: range), .int)
        case .subtract where lt == .date && rightDays, .subtractDays:
            return BoundExpression(.binary(.subtractDays, left, right, range: range), .date)
        default: throw fail(.dateArithmetic(op: op.rawValue, left: lt, right: rt, range: range))
        }
    }

    private mutating func bindAggregate(_ function: AggregateFunction, name: Name, _ arguments: [Expression], filter: Expression?,
                                        range: SourceRange, in scope: Scope, mode: Mode) throws -> BoundExpression {
        let option = try aggregateOption(function, arguments, range: range)
        let arguments = Array(arguments.prefix(1))
        // Over a to-many link: `count(projects)`, `sum(projects.members where kind == "联盟")`.
        if let argument = arguments.first, let (from, link, rest) = try manyPrefix(argument, in: scope) {
            let target = Scope.table(link.target, in: catalog)
            var boundArgument: BoundExpression?
            if let rest {
                boundArgument = try bind(rest, in: target, mode: .scalar)
            } else if function != .count && function != .exists {
                throw fail(.aggregateNeedsColumn(function.rawValue, link: link.name, target: catalog[link.target], range: argument.range))
            }
            let boundFilter = try filter.map { try bindCondition($0, in: target) }
            if boundFilter != nil { linkConditionsBound += 1 }
            let resultType = try aggregateType(function, argument: boundArgument?.type ?? .null, range: argument.range)
            return BoundExpression(.linkAggregate(function, from: from, link: link, argument: boundArgument, filter: boundFilter, option: option), resultType)
        }
        if let argument = arguments.first, try mentionsManyLink(argument, in: scope) {
            throw fail(.linkAggregateNeedsPath(function.rawValue, range: argument.range))
        }
        // Over the rows of a group (or, in derive and select, over all the rows).
        guard mode == .groupAggregate || mode == .window else {
            if mode == .insideAggregate { throw fail(.nestedAggregate(function.rawValue, range: range)) }
            throw fail(.aggregateOutsideGroup(function.rawValue, range: range, links: scope.primaryTable.map { catalog[$0].links.filter(\.isToMany).map(\.name) } ?? []))
        }
        var boundArgument: BoundExpression?
        if let argument = arguments.first {
            boundArgument = try bind(argument, in: scope, mode: .insideAggregate)
        } else if function != .count && function != .exists {
            throw fail(.aggregateNeedsArgument(function.rawValue, range: range))
        }
        let boundFilter = try filter.map { try bindCondition($0, in: scope) }
        let resultType = try aggregateType(function, argument: boundArgument?.type ?? .null, range: arguments.first?.range ?? range)
        return BoundExpression(.groupAggregate(function, argument: boundArgument, filter: boundFilter, option: option), resultType)
    }

    /// The literal setting of `percentile` (a fraction from 0 to 1) and `string_agg` (a separator),
    /// written as the call's second argument; null for the aggregates that take one argument.
    private mutating func aggregateOption(_ function: AggregateFunction, _ arguments: [Expression], range: SourceRange) throws -> Value {
        let takesOption = function == .percentile || function == .string_agg
        guard arguments.count == (takesOption ? 2 : min(arguments.count, 1)) else {
            throw fail(.aggregateArity(function.usage, range: arguments.count > (takesOption ? 2 : 1) ? arguments[takesOption ? 2 : 1].range : range))
        }
        guard takesOption else { return .null }
        let setting = arguments[1]
        switch (function, setting.kind) {
        case (.percentile, .decimal(let d)) where (0...1).contains(d): return .decimal(d)
        case (.percentile, .integer(let i)) where i == 0 || i == 1: return .decimal(Double(i))
        case (.string_agg, .string(let s)): return .string(s)
        default: throw fail(.aggregateOption(function.usage, range: setting.range))
        }
    }

    /// A window function: only where `derive` or `select` computes it, over rows in an order.
    private mutating func bindWindow(_ function: WindowFunction, _ arguments: [Expression], filter: Expression?, range: SourceRange,
                                     in scope: Scope, mode: Mode) throws -> BoundExpression {
        guard mode == .window else { throw fail(.windowOutsideProjection(function, range: range)) }
        if let filter { throw fail(.whereInScalarCall(function: function.rawValue, range: filter.range)) }
        if case .lost(let stage) = scope.ordering { throw fail(.windowWithoutOrder(function, after: stage, range: range)) }
        let arity = function.takesArgument ? (function == .lag || function == .lead ? 1...2 : 1...1) : 0...0
        guard arity.contains(arguments.count) else { throw fail(.functionArity(function.usage, count: arguments.count, range: range)) }
        var argument: BoundExpression?
        if let first = arguments.first { argument = try bind(first, in: scope, mode: .insideAggregate) }
        let type = argument?.type ?? .int
        var offset = 1
        if arguments.count == 2 {
            guard case .integer(let n) = arguments[1].kind, n >= 0 else {
                throw fail(.functionArgumentType(function.usage, position: 2, expected: "a whole number of rows written in the query", found: .null, range: arguments[1].range))
            }
            offset = n
        }
        var keys: [BoundSortKey] = []
        if function == .rank || function == .dense_rank, case .sorted(let sortKeys) = scope.ordering {
            // Ties are rows equal on the last sort's keys, read here, where the rows are now.
            for key in sortKeys {
                var probe = self
                guard let expression = try? probe.bind(key.expression, in: scope) else {
                    throw fail(.rankKeyGone(function.rawValue, key: source.text(of: key.expression.range), range: range))
                }
                keys.append(BoundSortKey(expression: expression, isDescending: key.isDescending))
            }
        }
        let resultType: ValueType
        switch function {
        case .row_number, .rank, .dense_rank, .running_count: resultType = .int
        case .lag, .lead, .running_min, .running_max:
            if case .list = type { throw fail(.aggregateType(function.rawValue, type: type, range: arguments[0].range)) }
            resultType = type
        case .running_sum, .running_avg:
            guard type.isNumeric || type == .null else { throw fail(.aggregateType(function.rawValue, type: type, range: arguments[0].range)) }
            resultType = function == .running_avg ? (type == .figure ? .figure : .decimal) : (type == .null ? .int : type)
        }
        return BoundExpression(.window(function, argument: argument, offset: offset, keys: keys, range: range), resultType)
    }

    private mutating func bindCondition(_ condition: Expression, in scope: Scope) throws -> BoundExpression {
        let bound = try bind(condition, in: scope)
        guard bound.type == .bool || bound.type == .null else { throw fail(.conditionNotBoolean(stage: "where", type: bound.type, range: condition.range)) }
        return bound
    }

    private mutating func aggregateType(_ function: AggregateFunction, argument: ValueType, range: SourceRange) throws -> ValueType {
        switch function {
        case .count: return .int
        case .exists: return .bool
        case .min, .max:
            if case .list = argument { throw fail(.aggregateType(function.rawValue, type: argument, range: range)) }
            return argument
        case .sum, .avg:
            guard argument.isNumeric || argument == .null else { throw fail(.aggregateType(function.rawValue, type: argument, range: range)) }
            if function == .avg { return argument == .figure ? .figure : .decimal }
            return argument == .null ? .int : argument
        case .count_distinct:
            if case .list = argument { throw fail(.aggregateType(function.rawValue, type: argument, range: range)) }
            return .int
        case .median, .percentile:
            // Of figures, their amounts: a percentile has no place for a qualifier (the summary says so).
            guard argument.isNumeric || argument == .null else {
                throw fail(.aggregateType(function.rawValue, type: argument, range: range))
            }
            return .decimal
        case .string_agg:
            guard argument == .string || argument == .null else { throw fail(.aggregateType(function.rawValue, type: argument, range: range)) }
            return .string
        }
    }

    /// Splits `projects.members` into the to-many link `projects` and the rest, `members`, which is
    /// bound against the linked table. Returns nil when the expression does not start with such a link.
    private mutating func manyPrefix(_ expression: Expression, in scope: Scope) throws -> (RowReference, LinkPath, Expression?)? {
        switch expression.kind {
        case .name:
            if case .many(let from, let link)? = try? referenceQuietly(expression, in: scope) { return (from, link, nil) }
            return nil
        case .member(let base, let member):
            if let (from, link, rest) = try manyPrefix(base, in: scope) {
                let restExpression: Expression
                if let rest {
                    restExpression = Expression(kind: .member(rest, member), range: rest.range.to(member.range))
                } else {
                    restExpression = Expression(kind: .name(member.text), range: member.range)
                }
                return (from, link, restExpression)
            }
            // A to-many link reached through to-one links: `count(centre.projects)` from an award.
            if case .many(let from, let link)? = try? referenceQuietly(expression, in: scope) { return (from, link, nil) }
            return nil
        default:
            return nil
        }
    }

    /// Whether a to-many link appears anywhere inside an expression (`sum(projects.members ?? 0)`).
    private mutating func mentionsManyLink(_ expression: Expression, in scope: Scope) throws -> Bool {
        switch expression.kind {
        case .name, .member:
            return try manyPrefix(expression, in: scope) != nil
        case .call(_, let arguments, _):  // an aggregate's condition reads the linked rows, not these
            return try arguments.contains { try mentionsManyLink($0, in: scope) }
        default:
            return try expression.children.contains { try mentionsManyLink($0, in: scope) }
        }
    }

    /// Resolves without recording diagnostics (used to probe for a to-many link).
    private mutating func referenceQuietly(_ expression: Expression, in scope: Scope) throws -> Reference {
        let saved = diagnostics
        defer { diagnostics = saved }
        return try reference(expression, in: scope)
    }

    /// Resolves a name or a dotted path.
    private mutating func reference(_ expression: Expression, in scope: Scope) throws -> Reference {
        switch expression.kind {
        case .name(let name):
            if let slot = scope.valueSlot(named: name), case .value(let type) = scope.fields[slot].kind {
                return .value(BoundExpression(.slot(slot), type))
            }
            if let slot = scope.entitySlot(named: name), case .entity(let table) = scope.fields[slot].kind {
                return .row(.slot(slot), table: table)
            }
            if let primary = scope.primary, let table = scope.primaryTable,
               let found = member(name, of: .slot(primary), table: table) {
                return found
            }
            throw fail(unknownName(name, range: expression.range, in: scope))
        case .member(let base, let name):
            let resolved = try reference(base, in: scope)
            switch resolved {
            case .row(let row, let table):
                if let found = member(name.text, of: row, table: table) { return found }
                let schema = catalog[table]
                let known = schema.columns.map(\.name) + schema.links.map(\.name)
                throw fail(.unknownColumn(name.text, table: schema.name, range: name.range,
                                          suggestion: Suggestions.closest(to: name.text, in: known), known: known))
            case .many(_, let link):
                // Only reached outside an aggregate: `projects.name` names many values.
                throw fail(.manyLinkUsedAsValue(source.text(of: expression.range), target: catalog[link.target], range: expression.range))
            case .value(let value):
                throw fail(.memberOfValue(name.text, base: source.text(of: base.range), type: value.type, range: name.range))
            }
        default:
            return .value(try bind(expression, in: scope))
        }
    }

    private func member(_ name: String, of row: RowReference, table: Int) -> Reference? {
        let schema = catalog[table]
        if let column = schema.columnIndex(name) {
            return .value(BoundExpression(.column(row, table: table, column: column), schema.columns[column].type))
        }
        if let link = schema.link(name), let target = catalog.tableIndex(link.target) {
            let path = LinkPath(table: table, name: name, target: target, in: catalog)
            return link.isToMany ? .many(row, path) : .row(.follow(row, path), table: target)
        }
        return nil
    }

    private func unknownName(_ name: String, range: SourceRange, in scope: Scope) -> Diagnostic {
        let known = scope.visibleNames
        let tableName = scope.primaryTable.map { catalog[$0].name }
        if catalog.table(named: name) != nil {
            return .tableUsedAsColumn(name, range: range, in: tableName)
        }
        return .unknownColumn(name, table: tableName, range: range, suggestion: Suggestions.closest(to: name, in: known), known: known)
    }

    /// A literal pattern is compiled once, here, instead of once per row.
    private mutating func compile(_ pattern: String, range: SourceRange) throws -> Pattern {
        do {
            return try Pattern(pattern)
        } catch {
            throw fail(.invalidPattern(error.description, range: range))
        }
    }

    mutating func fail(_ diagnostic: Diagnostic) -> Failure {
        diagnostics.append(diagnostic)
        return Failure()
    }
}

/// What persists between statements: `let` pipelines and declared parameters with their values.
public struct Environment: Sendable {
    /// A `let` that failed to check maps to nil, so using it later does not repeat its errors.
    var lets: [String: BoundPipeline?] = [:]
    var parameters: [String: (type: ValueType, value: Value?)] = [:]

    public init() {}

    public var letNames: [String] { lets.keys.sorted() }
    public var parameterValues: [String: Value] { parameters.compactMapValues(\.value) }
}
