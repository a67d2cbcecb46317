/// A link's condition worked out for every row of its table before the operators run.
struct MarkedCondition: Sendable {
    let table: Int
    let condition: BoundExpression
}

/// How a query will run: how the source table's rows are found, then a list of operators, each
/// taking the rows of the one before. `explain` prints it.
struct Plan: Sendable {
    /// How the source rows are found.
    enum Access: Sendable {
        case fullScan
        /// Rows from an index, ascending, as a full scan would give them.
        case index(IndexLookup)
    }

    /// Named as the stages they run are (`where` is `.where` from syntax to plan); the physical
    /// choices the planner makes have names of their own (`topN`, `hashJoin`, `nestedLoopJoin`).
    enum Operator: Sendable {
        case `where`(BoundExpression)
        case select([BoundField])
        case derive([BoundField], replacing: [Int?])
        /// A `select` (`replacing` nil) or a one-field `derive` that reads window parts (window
        /// functions, aggregates over all rows): each part is computed for all rows first, into a
        /// slot after the input's (`fields` read slot `width + i` for part `i`), then the fields.
        case window(parts: [BoundExpression], fields: [BoundField], replacing: [Int?]?)
        /// `group KEYS (STAGES)`: `plan`'s operators over each group's rows (its access unused); with
        /// `together`, over all groups' rows at once, each operator keeping the groups apart.
        // Boxed (`indirect`): a plan or a scope inline would make every operator that large to copy.
        indirect case groupEach(keys: [BoundField], plan: Plan, keptKeys: [Int], together: Bool, strategy: GroupStrategy = .valueHash)
        /// `append`, `except`, `intersect`: the rows so far (of `scope`) and `plan`'s, as rows of values.
        indirect case combine(SetOperation, plan: Plan, scope: Scope)
        case explode(BoundField, replacing: Int?)
        /// `scope` is the rows' before it (a table's row is read as its columns).
        indirect case unpivot(kept: [Int], columns: [Int], names: [String], type: ValueType, scope: Scope)
        /// The planner chooses the strategy once the rewrites have settled the keys' expressions.
        case group(keys: [BoundField], aggregates: [BoundField], strategy: GroupStrategy = .valueHash)
        case sort([BoundSortKey])
        /// `sort` followed by `take`: keeps only the first N rows in order.
        case topN([BoundSortKey], count: BoundExpression)
        case take(BoundExpression)
        case count
        case distinct(DistinctStrategy = .valueHash)
        /// With `keepsUnmatched` (`join left`), a row without a match is kept once, with -1 as its joined row.
        case nestedLoopJoin(table: Int, condition: BoundExpression, keepsUnmatched: Bool = false)
        /// `probe[i] == build[i]` are conjuncts of `condition` (`build` reads only the joined row), and
        /// `residual` the others: pairs whose keys differ are never tried; the rest are checked.
        /// With `idKey`, `build[idKey]` is the joined table's id: its index finds the candidates.
        case hashJoin(table: Int, probe: [BoundExpression], build: [BoundExpression], condition: BoundExpression,
                      residual: BoundExpression?, idKey: Int? = nil, keepsUnmatched: Bool = false)

        /// The operator with `transform` applied to each of its expressions (`BoundExpression.replacing`),
        /// or nil when it changed none (planning every query must stay cheap).
        func replacingExpressions(_ transform: (BoundExpression) -> BoundExpression?) -> Operator? {
            // A new list only once something in it changed.
            func fields(_ list: [BoundField]) -> [BoundField]? {
                var result: [BoundField]?
                for (i, field) in list.enumerated() {
                    guard let e = field.expression.replacedParts(transform) else { continue }
                    if result == nil { result = list }
                    result![i] = BoundField(name: field.name, expression: e)
                }
                return result
            }
            func keys(_ list: [BoundSortKey]) -> [BoundSortKey]? {
                var result: [BoundSortKey]?
                for (i, key) in list.enumerated() {
                    guard let e = key.expression.replacedParts(transform) else { continue }
                    if result == nil { result = list }
                    result![i] = BoundSortKey(expression: e, isDescending: key.isDescending)
                }
                return result
            }
            switch self {
            case .where(let condition): return condition.replacedParts(transform).map { .where($0) }
            case .select(let list): return fields(list).map { .select($0) }
            case .derive(let list, let replacing): return fields(list).map { .derive($0, replacing: replacing) }
            case .group(let k, let a, let strategy):
                let (nk, na) = (fields(k), fields(a))
                return nk == nil && na == nil ? nil : .group(keys: nk ?? k, aggregates: na ?? a, strategy: strategy)
            case .sort(let list): return keys(list).map { .sort($0) }
            case .topN(let list, let count):
                let (nl, nc) = (keys(list), count.replacedParts(transform))
                return nl == nil && nc == nil ? nil : .topN(nl ?? list, count: nc ?? count)
            case .take(let count): return count.replacedParts(transform).map { .take($0) }
            case .count, .distinct: return nil
            // Its fields read the parts' slots: rewriting one would not rewrite the other.
            case .window, .groupEach, .combine, .unpivot: return nil
            case .explode(let field, let replacing): return fields([field]).map { .explode($0[0], replacing: replacing) }
            // A join keeps its condition as written: its keys and residual were chosen from it.
            case .nestedLoopJoin, .hashJoin: return nil
            }
        }

        /// Whether the rows after it are rows of the ones before it, unchanged (filtered, reordered,
        /// cut): over the scanned table, still its own rows, which the rewrites rely on.
        var keepsRowNumbers: Bool {
            switch self {
            case .where, .sort, .topN, .take, .distinct: true
            default: false
            }
        }
    }

    let table: Int
    let access: Access
    var operators: [Operator]
    /// Conditions of links' aggregates worked out for every row of their table before the operators
    /// run, 1024 rows at a time (`BoundExpression.marked(i)` reads entry `i`).
    var markedConditions: [MarkedCondition] = []
    /// Pipelines read as lists (`.subqueryList(i)` is entry `i`'s values), run before the rows are read.
    var subplans: [Plan] = []
    /// The shape of the rows the plan produces.
    let scope: Scope
    /// One line per step, in words (what `explain` shows).
    var explanation: [String]
}

/// A lookup in one index: equal keys, a set of keys, or a range after an equal prefix.
struct IndexLookup: Sendable {
    enum Kind: Sendable {
        case equal([Value])
        case anyOf([Value])
        case range(prefix: [Value], lower: (Value, Bool)?, upper: (Value, Bool)?)
    }
    let index: String
    let kind: Kind
    /// The conditions the lookup answers, as written.
    let terms: [String]
    /// How many rows it yields (exact: the planner asks the index).
    let estimate: Int

    /// The name of the index every table has on its id.
    static let idIndex = "id"

    func rows(in table: Table) -> [Int] {
        if index == Self.idIndex, case .equal(let key) = kind {
            guard case .int(let id)? = key.first, let row = table.row(withID: id) else { return [] }
            return [row]
        }
        guard let index = table.indexes[index] else { return [] }
        switch kind {
        case .equal(let key): return index.rows(equalTo: key)
        case .anyOf(let keys):
            return Array(Set(keys.flatMap { index.rows(equalTo: [$0]) })).sorted()
        case .range(let prefix, let lower, let upper): return index.rows(prefix: prefix, lower: lower, upper: upper)
        }
    }

    /// How many rows `rows(in:)` gives, without building the list (the planner's estimate).
    func count(in table: Table) -> Int {
        if index == Self.idIndex { return rows(in: table).count }
        guard let index = table.indexes[index] else { return 0 }
        switch kind {
        case .equal(let key): return index.count(equalTo: key)
        case .anyOf(let keys): return Set(keys).reduce(0) { $0 + index.count(equalTo: [$1]) }
        case .range(let prefix, let lower, let upper): return index.count(prefix: prefix, lower: lower, upper: upper)
        }
    }
}
