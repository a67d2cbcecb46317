/// The rows between two operators, held column by column: one vector per slot of the checker's
/// scope. A slot that holds a table's row (the scanned table's, a joined table's) is a vector of row
/// numbers, so the table's columns are read only when an expression asks for them; a computed slot
/// is a vector of values. Every operator takes a relation and gives one: there is one executor, and
/// the first stages of a query are not a separate path.
struct Relation: Sendable {
    enum Slot: Sendable {
        /// Row numbers of a table.
        case rows([Int])
        case values([Value])

        var count: Int {
            switch self {
            case .rows(let r): r.count
            case .values(let v): v.count
            }
        }

        subscript(position: Int) -> Value {
            switch self {
            case .rows(let r): .int(r[position])
            case .values(let v): v[position]
            }
        }

        func gathering(_ positions: [Int]) -> Slot {
            switch self {
            case .rows(let r): .rows(positions.map { r[$0] })
            case .values(let v): .values(positions.map { v[$0] })
            }
        }

        func prefix(_ n: Int) -> Slot {
            switch self {
            case .rows(let r): .rows(Array(r.prefix(n)))
            case .values(let v): .values(Array(v.prefix(n)))
            }
        }
    }

    var slots: [Slot]
    /// How many rows (a relation without slots, as `group` with no keys has before its aggregates, still has rows).
    var count: Int

    init(slots: [Slot], count: Int) {
        self.slots = slots
        self.count = count
    }

    /// A table's rows, by number: where every query starts.
    init(tableRows rows: [Int]) {
        self.init(slots: [.rows(rows)], count: rows.count)
    }

    /// Rows of values, as a plan's result is given (the inverse of `rows`).
    init(rows: [[Value]], width: Int) {
        self.init(slots: (0..<width).map { slot in .values(rows.map { $0[slot] }) }, count: rows.count)
    }

    /// The rows at `positions`, in that order.
    func gathering(_ positions: [Int]) -> Relation {
        Relation(slots: slots.map { $0.gathering(positions) }, count: positions.count)
    }

    /// A join's rows: the rows at `lefts`, each with the joined table's row `rights[i]` in a new slot.
    func joining(_ lefts: [Int], _ rights: [Int]) -> Relation {
        Relation(slots: slots.map { $0.gathering(lefts) } + [.rows(rights)], count: lefts.count)
    }

    func prefix(_ n: Int) -> Relation {
        n >= count ? self : Relation(slots: slots.map { $0.prefix(n) }, count: n)
    }

    /// Writes the row at `position` into `buffer` (which has a place per slot), for the evaluator.
    func fill(_ buffer: inout [Value], at position: Int) {
        for slot in slots.indices { buffer[slot] = slots[slot][position] }
    }

    /// A buffer the size of a row.
    var rowBuffer: [Value] { [Value](repeating: .null, count: slots.count) }

    /// The row at `position` as `group`, `distinct` and the set operations tell rows apart.
    func key(at position: Int) -> RowKey {
        slots.count == 1 ? RowKey(slots[0][position]) : RowKey(values: row(position))
    }

    /// The row at `position` as values (a table row as its row number).
    func row(_ position: Int) -> [Value] { slots.map { $0[position] } }

    /// Every row as values: the plan's result.
    var rows: [[Value]] { (0..<count).map(row) }

    /// The rows as a result shows them, a slot per output column of `scope`: each table row as its
    /// columns (a left join's missing row, -1, as nulls). The result, `append`/`except`/`intersect`
    /// and `unpivot` all read rows this way.
    func shown(_ scope: Scope, store: Store) -> Relation {
        guard scope.fields.contains(where: \.isEntity) else { return self }
        var rowsOf: [Int: [Int]] = [:]
        let shown = scope.outputLayout.map { column -> Slot in
            switch column.source {
            case .value(let slot): return slots[slot]
            case .column(let slot, let index):
                guard case .entity(let table) = scope.fields[slot].kind else { return slots[slot] }
                let rows = rowsOf[slot] ?? {
                    let rows: [Int] = switch slots[slot] {
                    case .rows(let rows): rows
                    case .values(let values): values.map { if case .int(let row) = $0 { row } else { -1 } }
                    }
                    rowsOf[slot] = rows
                    return rows
                }()
                let values = store.tables[table].columns[index]
                return .values(rows.map { $0 < 0 ? .null : values[$0] })
            }
        }
        return Relation(slots: shown, count: count)
    }

    /// The positions of every row, in order.
    var positions: Range<Int> { 0..<count }

    /// Consecutive ranges of `size` positions (the last may be shorter).
    func batches(of size: Int) -> some Sequence<Range<Int>> {
        stride(from: 0, to: count, by: max(1, size)).lazy.map { $0..<Swift.min($0 + Swift.max(1, size), self.count) }
    }
}
