/// The checked tree: names resolved to slots and columns, types known. The planner and the evaluator
/// only ever see this, never raw syntax.

/// A way to reach a table row from the current row.
indirect enum RowReference: Sendable, Hashable {
    /// The entity held in a slot of the row.
    case slot(Int)
    /// Follow a to-one link from another row reference.
    case follow(RowReference, LinkPath)
}

/// A resolved link: from which table, which of its links, to which table. The position and the
/// foreign-key column are resolved once here, so following a link per row needs no lookup by name.
struct LinkPath: Sendable, Hashable {
    let table: Int
    let name: String
    let target: Int
    /// Where the link is in its table's `links`.
    let position: Int
    /// For a to-one link: the column of `table` that holds the target's id.
    let foreignKey: Int?

    init(table: Int, name: String, target: Int, in catalog: Catalog) {
        let schema = catalog[table]
        self.table = table
        self.name = name
        self.target = target
        self.position = schema.links.firstIndex { $0.name == name }!
        if case .toOne(let column) = schema.links[position].kind {
            foreignKey = schema.columnIndex(column)
        } else {
            foreignKey = nil
        }
    }
}

/// A checked expression: what it computes, and the type the checker found for it. The SQL
/// compiler, the planner and the executor read `type`; none of them works a type out again.
struct BoundExpression: Sendable {
    var node: Node
    let type: ValueType

    init(_ node: Node, _ type: ValueType) {
        self.node = node
        self.type = type
    }

    /// A constant, of its value's own type.
    static func constant(_ value: Value) -> BoundExpression { BoundExpression(.constant(value), value.type) }

    /// The same type, another computation (the planner's rewrites keep what the checker found).
    func with(_ node: Node) -> BoundExpression { BoundExpression(node, type) }

    indirect enum Node: Sendable {
        case constant(Value)
        case slot(Int)
        case column(RowReference, table: Int, column: Int)
        case parameter(String)
        case list([BoundExpression])
        case negate(BoundExpression)
        case not(BoundExpression)
        case binary(BinaryOperator, BoundExpression, BoundExpression, range: SourceRange)
        /// A scalar function (the SQL it compiles to can depend on its arguments' types: `text(x)` of
        /// a whole number and of a decimal differ).
        case function(ScalarFunction, [BoundExpression], range: SourceRange)
        /// `text matches "literal"`, with the pattern compiled when the query was checked.
        case matches(BoundExpression, Pattern)
        /// An aggregate over the rows a to-many link reaches; `argument` and `filter` see the linked row in slot 0.
        /// `option` is an aggregate's literal setting: `percentile`'s fraction, `string_agg`'s separator (null for the others).
        case linkAggregate(AggregateFunction, from: RowReference, link: LinkPath, argument: BoundExpression?, filter: BoundExpression?, option: Value = .null)
        /// An aggregate over the rows of a group (only inside `group … agg`).
        case groupAggregate(AggregateFunction, argument: BoundExpression?, filter: BoundExpression?, option: Value = .null)
        /// A number where a figure is expected (`volunteers ?? 0`): the exact figure of that amount, so
        /// every value of a figure column is a figure (in JSON, an object in every row).
        case exactFigure(BoundExpression)
        /// A link's condition, as the planner leaves it when it is worked out for every row of the
        /// linked table before the query runs: its verdict for the linked row (slot 0) is entry `i` of
        /// the plan's `markedConditions`. Only plans hold it; the checker never makes one.
        case marked(Int)
        /// A window function (`row_number()`, `lag(x, 2)`, …): `offset` is lag's and lead's rows, `keys`
        /// the last sort's keys (rank's ties). The planner computes it for all rows at once; the
        /// evaluator never meets one.
        case window(WindowFunction, argument: BoundExpression?, offset: Int, keys: [BoundSortKey], range: SourceRange)
        /// `(PIPELINE)` as a list: its one column's values. The planner makes it `.subqueryList`.
        case subquery(BoundPipeline)
        /// The values of the plan's subplan `i` (worked out before the query's rows are read).
        case subqueryList(Int)
        /// `if condition then a else b`: only the branch the condition picks is evaluated.
        case conditional(BoundExpression, then: BoundExpression, else: BoundExpression)
    }
}

struct BoundField: Sendable {
    let name: String
    let expression: BoundExpression
    var type: ValueType { expression.type }
}

struct BoundSortKey: Sendable {
    let expression: BoundExpression
    let isDescending: Bool
    /// The key's type (text sorts by code point, which SQL must be told).
    var type: ValueType { expression.type }
}

/// One part of a `where` condition joined by `and`, with its source text (for explain).
struct Conjunct: Sendable {
    let expression: BoundExpression
    let text: String
}

/// One checked stage, with the scope of the rows it produces.
/// Each case is named as its stage is written.
enum BoundStage: Sendable {
    /// Rows for which every conjunct is true.
    case `where`([Conjunct])
    case select([BoundField])
    /// Adds fields; a field whose name already exists replaces that slot (`replacing[i]`).
    case derive([BoundField], replacing: [Int?])
    case group(keys: [BoundField], aggregates: [BoundField])
    /// `group KEYS (STAGES)`: the stages over each group's rows (window functions within the
    /// group), the groups in the order their first row appears. The result is `keptKeys` (the keys
    /// the stages' rows do not already have a column for), then the stages' rows.
    case groupEach(keys: [BoundField], stages: [CheckedStage], keptKeys: [Int])
    case sort([BoundSortKey])
    case take(BoundExpression)
    case count
    case distinct
    case join(table: Int, condition: BoundExpression, keepsUnmatched: Bool)
    /// Each row (as values: its `kept` columns, then the name and value of each of `columns`, by
    /// position among the output columns), once per listed column whose value is not null.
    case unpivot(kept: [Int], columns: [Int], names: [String], type: ValueType)
    /// Each row once per element of its list, the element in slot `replacing` (or a new last slot).
    case explode(BoundField, replacing: Int?)
    /// `append`, `except` or `intersect` with another pipeline's rows, as rows of values.
    indirect case combine(SetOperation, BoundPipeline)
}

enum SetOperation: String, Sendable {
    case append, except, intersect
}

/// A checked stage with the text the user wrote for it (explain prints it) and the shape of the
/// rows it produces.
struct CheckedStage: Sendable {
    /// The stage as written (SQL names each stage's CTE after it).
    let name: StageName
    let stage: BoundStage
    let text: String
    let scope: Scope
}

/// A checked pipeline: where it starts, its stages, and what its rows look like at the end.
struct BoundPipeline: Sendable {
    let sourceTable: Int
    let stages: [CheckedStage]
    let scope: Scope
    /// The checker's notes on the statement (how the report's wording was read).
    var notes: [Diagnostic] = []
    /// What the last stage, `chart`, asks to draw (only a statement's own pipeline has one).
    var chart: ChartSpec?
    /// False when the checker knows no stage reads a pipeline as a list, so the planner need not
    /// look (true, the safe answer, for a pipeline put together elsewhere).
    var mayReadPipelines = true
    /// Likewise for a link aggregate with a condition, which the planner may work out for all rows at once.
    var mayFilterLinks = true
}

extension BoundExpression {
    /// `a and b and c` as one expression (true when there are none), as a balanced tree: thousands of
    /// conditions (a chain of `let`s each adding a `where`) stay a few levels deep, where a chain of
    /// `and`s as deep as they are many overflowed the stack when evaluated.
    static func all(_ conjuncts: [Conjunct]) -> BoundExpression {
        func all(_ part: ArraySlice<Conjunct>) -> BoundExpression {
            if part.count == 1 { return part.first!.expression }
            let middle = part.startIndex + part.count / 2
            return BoundExpression(.binary(.and, all(part[..<middle]), all(part[middle...]), range: SourceRange(0, 0)), .bool)
        }
        return conjuncts.isEmpty ? .constant(.bool(true)) : all(conjuncts[...])
    }
}

extension RowReference {
    /// The slot of the row it starts from.
    var baseSlot: Int {
        switch self {
        case .slot(let slot): slot
        case .follow(let base, _): base.baseSlot
        }
    }
}

extension BoundExpression {
    /// The slots of the row the expression reads (the planner sees which side of a join it needs).
    var referencedSlots: Set<Int> {
        switch node {
        case .constant, .parameter, .marked, .subquery, .subqueryList: []
        case .slot(let slot): [slot]
        case .column(let reference, _, _): [reference.baseSlot]
        case .list(let items): items.reduce(into: []) { $0.formUnion($1.referencedSlots) }
        case .negate(let x), .not(let x), .matches(let x, _), .exactFigure(let x): x.referencedSlots
        case .binary(_, let left, let right, _): left.referencedSlots.union(right.referencedSlots)
        case .function(_, let arguments, _): arguments.reduce(into: []) { $0.formUnion($1.referencedSlots) }
        case .conditional(let c, let a, let b): c.referencedSlots.union(a.referencedSlots).union(b.referencedSlots)
        case .window(_, let argument, _, let keys, _):
            keys.reduce(argument?.referencedSlots ?? []) { $0.union($1.expression.referencedSlots) }
        // A link's aggregate reads the linked rows (slot 0 of its own row) from its starting row.
        case .linkAggregate(_, let from, _, _, _, _): [from.baseSlot]
        // Only inside `group … agg`, which reads the group's rows: never part of a join condition.
        case .groupAggregate: []
        }
    }

    /// Whether evaluating it may stop the query with an error whatever plan runs it (a whole
    /// number's overflow, text past the limit, an aggregate's sum): the planner never lets a plan
    /// evaluate such a part where the plain way would not.
    var canFail: Bool {
        switch node {
        case .constant, .slot, .column, .parameter, .marked, .subqueryList: false
        case .subquery: true  // a pipeline of its own, which may fail
        case .list(let items): items.contains { $0.canFail }
        case .not(let x), .exactFigure(let x), .negate(let x): x.canFail  // -Int.min is a decimal, not an error
        case .matches: true
        case .linkAggregate(let function, _, _, let argument, let filter, _), .groupAggregate(let function, let argument, let filter, _):
            function.canFail || argument?.canFail == true || filter?.canFail == true
        case .binary(let op, let left, let right, _):
            switch op {
            // Whole numbers overflow; text is charged against the limits; a pattern can fail or time out.
            // (Division gives a decimal, and null for zero: it never fails.)
            case .add, .subtract, .multiply, .remainder, .concatenate, .matches: true
            default: left.canFail || right.canFail
            }
        case .function(let function, let arguments, _):
            function.canFail || arguments.contains { $0.canFail }
        case .conditional(let c, let a, let b): c.canFail || a.canFail || b.canFail
        case .window(let function, let argument, _, let keys, _):
            function == .running_sum || function == .running_avg || argument?.canFail == true || keys.contains { $0.expression.canFail }
        }
    }

    /// The expression with each part that `transform` rewrites replaced (looked at from the top:
    /// a part it rewrites is not looked into); the arguments and conditions of aggregates included.
    func replacing(_ transform: (BoundExpression) -> BoundExpression?) -> BoundExpression {
        replacedParts(transform) ?? self
    }

    /// As `replacing`, or nil when nothing was replaced: an unchanged tree is not built again.
    func replacedParts(_ transform: (BoundExpression) -> BoundExpression?) -> BoundExpression? {
        if let replaced = transform(self) { return replaced }
        func walk(_ e: BoundExpression) -> BoundExpression? { e.replacedParts(transform) }
        func all(_ items: [BoundExpression]) -> [BoundExpression]? {
            var result: [BoundExpression]?  // a new list only once an item changed
            for (i, item) in items.enumerated() {
                guard let replaced = walk(item) else { continue }
                if result == nil { result = items }
                result![i] = replaced
            }
            return result
        }
        return changedNode(walk, all).map(with)
    }

    /// This node with its changed children, or nil when none changed.
    private func changedNode(_ walk: (BoundExpression) -> BoundExpression?, _ all: ([BoundExpression]) -> [BoundExpression]?) -> Node? {
        switch node {
        case .constant, .slot, .column, .parameter, .marked, .subquery, .subqueryList: return nil
        case .list(let items): return all(items).map { .list($0) }
        case .negate(let x): return walk(x).map { .negate($0) }
        case .not(let x): return walk(x).map { .not($0) }
        case .exactFigure(let x): return walk(x).map { .exactFigure($0) }
        case .matches(let x, let pattern): return walk(x).map { .matches($0, pattern) }
        case .binary(let op, let l, let r, let range):
            let (nl, nr) = (walk(l), walk(r))
            return nl == nil && nr == nil ? nil : .binary(op, nl ?? l, nr ?? r, range: range)
        case .function(let function, let arguments, let range): return all(arguments).map { .function(function, $0, range: range) }
        case .window(let function, let argument, let offset, let keys, let range):
            let a = argument.flatMap(walk)
            let k = keys.map { key in walk(key.expression).map { BoundSortKey(expression: $0, isDescending: key.isDescending) } }
            return a == nil && k.allSatisfy({ $0 == nil }) ? nil
                : .window(function, argument: a ?? argument, offset: offset, keys: zip(keys, k).map { $1 ?? $0 }, range: range)
        case .conditional(let c, let a, let b):
            let (nc, na, nb) = (walk(c), walk(a), walk(b))
            return nc == nil && na == nil && nb == nil ? nil : .conditional(nc ?? c, then: na ?? a, else: nb ?? b)
        case .linkAggregate(let function, let from, let link, let argument, let filter, let option):
            let (a, f) = (argument.flatMap(walk), filter.flatMap(walk))
            return a == nil && f == nil ? nil : .linkAggregate(function, from: from, link: link, argument: a ?? argument, filter: f ?? filter, option: option)
        case .groupAggregate(let function, let argument, let filter, let option):
            let (a, f) = (argument.flatMap(walk), filter.flatMap(walk))
            return a == nil && f == nil ? nil : .groupAggregate(function, argument: a ?? argument, filter: f ?? filter, option: option)
        }
    }

    /// The expressions directly inside this one (an aggregate's argument and condition included),
    /// for walks that look for one kind of part: a new case is added here, not to each walk.
    var children: [BoundExpression] {
        var found: [BoundExpression] = []
        _ = visitChildren { found.append($0); return false }
        return found
    }

    /// Whether `predicate` holds for this node or any below it, visited without building arrays of
    /// children (the planner asks this of every expression of every query).
    func containsNode(where predicate: (BoundExpression) throws -> Bool) rethrows -> Bool {
        if try predicate(self) { return true }
        return try visitChildren { try $0.containsNode(where: predicate) }
    }

    /// Hands each child to `visit` in order until it returns true; whether one did.
    private func visitChildren(_ visit: (BoundExpression) throws -> Bool) rethrows -> Bool {
        switch node {
        case .constant, .slot, .column, .parameter, .marked, .subquery, .subqueryList: return false
        case .list(let items), .function(_, let items, _): return try items.contains(where: visit)
        case .negate(let x), .not(let x), .matches(let x, _), .exactFigure(let x): return try visit(x)
        case .binary(_, let l, let r, _): return try visit(l) || visit(r)
        case .conditional(let c, let a, let b): return try visit(c) || visit(a) || visit(b)
        case .window(_, let argument, _, let keys, _):
            if let argument, try visit(argument) { return true }
            return try keys.contains { try visit($0.expression) }
        case .linkAggregate(_, _, _, let argument, let filter, _), .groupAggregate(_, let argument, let filter, _):
            if let argument, try visit(argument) { return true }
            if let filter, try visit(filter) { return true }
            return false
        }
    }

    /// The subplan whose values it is, for a `.subqueryList`.
    var subqueryIndex: Int? { if case .subqueryList(let index) = node { index } else { nil } }

    /// The parts of `a and b and c`.
    var conjuncts: [BoundExpression] {
        if case .binary(.and, let left, let right, _) = node { return left.conjuncts + right.conjuncts }
        return [self]
    }
}
