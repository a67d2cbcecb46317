/// Turns a checked pipeline into a plan. It chooses how to find the source rows (an index when the
/// leading `where` has a selective term on an indexed column), fuses `sort | take` into a top-N,
/// and writes down each choice for `explain`.
struct Planner {
    let store: Store
    let parameters: [String: Value]
    /// Off, every query scans and every join is a nested loop: the tests (and the fuzzer) compare both
    /// ways to show that indexes and hash joins never change an answer.
    var usesIndexes = true
    /// Whether to write the plan down in words (for `explain`); running a query does not need it.
    var explains = false
    /// The rows' scope when they reach the first stage: the table's unless set (the stages of
    /// `group … (…)` start from the rows before the group).
    var firstStageScope: Scope?

    /// An index is worth using when it leaves at most this share of the table.
    static let selectivity = 0.5

    func plan(_ pipeline: BoundPipeline) -> Plan {
        // Most pipelines read no other pipeline as a list: planned as they are, nothing rebuilt.
        guard pipeline.mayReadPipelines, Subqueries.occur(in: pipeline) else { return planStages(pipeline) }
        let (pipeline, subqueries) = Subqueries.extract(pipeline)
        var plan = planStages(pipeline)
        plan.subplans = subqueries.map(planStages)
        for (number, subplan) in plan.subplans.enumerated() where explains {
            plan.explanation.append("LIST \(number + 1) (a pipeline read as a list: run once before the rows are read, its values hashed)")
            plan.explanation += subplan.explanation.map { "  " + $0 }
        }
        return plan
    }

    private func planStages(_ pipeline: BoundPipeline) -> Plan {
        let table = store.tables[pipeline.sourceTable]
        var stages = pipeline.stages[...]
        // The `where` stages right after the source can be answered, in part, by an index.
        var leading: [Conjunct] = []
        while case .where(let conjuncts)? = stages.first?.stage {
            leading += conjuncts
            stages = stages.dropFirst()
        }
        var explanation = Explanation(isWritten: explains)
        var lineOf: [Int] = []  // each operator's line of the explanation (-1 when none is written)
        var filterTexts: [Int: [String]] = [:]  // each filter's parts as written (when explaining)
        var operators: [Plan.Operator] = []
        var access = Plan.Access.fullScan
        var residual = leading
        if usesIndexes, let (lookup, used) = bestLookup(for: leading, in: table), Double(lookup.estimate) <= Double(table.rowCount) * Self.selectivity {
            access = .index(lookup)
            residual = leading.enumerated().filter { !used.contains($0.offset) }.map(\.element)
            let kind = table.indexes[lookup.index]?.isOrdered == true ? "ORDERED INDEX" : (lookup.index == IndexLookup.idIndex ? "ID INDEX" : "HASH INDEX")
            let columns = table.indexes[lookup.index]?.schema.columns.joined(separator: ", ") ?? lookup.index
            explanation.add("SEARCH \(table.schema.name) USING \(kind) ON \(table.schema.name)(\(columns)) "
                + "(\(lookup.terms.joined(separator: " and "))) ~\(lookup.estimate) of \(table.rowCount) rows")
        } else {
            explanation.add("SCAN \(table.schema.name) (\(table.rowCount) rows)")
        }
        if !residual.isEmpty {
            operators.append(.where(.all(residual)))
            explanation.add("FILTER " + residual.map(\.text).joined(separator: " and "))
            if explains { filterTexts[0] = residual.map(\.text) }
            if explains { lineOf.append(explanation.lines.count - 1) }
        }
        for index in stages.indices {
            let checked = stages[index]
            // How many slots the rows have when they reach this stage.
            let input = index > 0 ? pipeline.stages[index - 1].scope : firstStageScope ?? Scope.table(pipeline.sourceTable, in: store.catalog)
            let inputWidth = input.fields.count
            // Every operator the stage made has a line (a derive with a window makes several operators).
            defer { while explains, operators.count > lineOf.count { lineOf.append(explanation.lines.count - 1) } }
            // The stage's words after its name, for the explanation (worked out only when one is written).
            var words: String { checked.text.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? "" }
            switch checked.stage {
            case .where(let conjuncts):
                operators.append(.where(.all(conjuncts)))
                explanation.add("FILTER " + words)
                if explains { filterTexts[operators.count - 1] = conjuncts.map(\.text) }
            case .select(let fields):
                if let (parts, rewritten) = Self.windowParts(of: fields, width: inputWidth) {
                    operators.append(.window(parts: parts, fields: rewritten, replacing: nil))
                    explanation.add("SELECT " + words + Self.windowNote(parts) + links(in: fields.map(\.expression)))
                } else {
                    operators.append(.select(fields))
                    // A chart is a select of what it draws; the drawing happens when the rows are shown.
                    explanation.add("SELECT " + (checked.name == .chart ? fields.map(\.name).joined(separator: ", ") + " (the rows chart \(words) draws)" : words)
                        + links(in: fields.map(\.expression)))
                }
            case .derive(let fields, let replacing):
                // A field with window parts is a stage of its own: its parts see the fields before it.
                var width = inputWidth
                var plain: [(BoundField, Int?)] = []
                var parts: [BoundExpression] = []
                for (field, slot) in zip(fields, replacing) {
                    if let (found, rewritten) = Self.windowParts(of: [field], width: width) {
                        if !plain.isEmpty { operators.append(.derive(plain.map(\.0), replacing: plain.map(\.1))) }
                        plain = []
                        operators.append(.window(parts: found, fields: rewritten, replacing: [slot]))
                        parts += found
                    } else {
                        plain.append((field, slot))
                    }
                    if slot == nil { width += 1 }
                }
                if !plain.isEmpty { operators.append(.derive(plain.map(\.0), replacing: plain.map(\.1))) }
                explanation.add("DERIVE " + words + (parts.isEmpty ? "" : Self.windowNote(parts)) + links(in: fields.map(\.expression)))
            case .group(let keys, let aggregates):
                operators.append(.group(keys: keys, aggregates: aggregates))
                explanation.add("GROUP " + words + links(in: (keys + aggregates).map(\.expression)))
            case .unpivot(let kept, let columns, let names, let type):
                operators.append(.unpivot(kept: kept, columns: columns, names: names, type: type, scope: input))
                explanation.add("UNPIVOT " + words + " (a row for each listed column's value that is not null)")
            case .explode(let field, let replacing):
                operators.append(.explode(field, replacing: replacing))
                explanation.add("EXPLODE " + words + " (a row for each element)" + links(in: [field.expression]))
            case .combine(let operation, let other):
                // `except` and `intersect` ask only whether a row is among the other's: each of its
                // rows once is enough, found by distinct's own strategy before any is hashed.
                let plan = planStages(operation == .append ? other : Self.distinctRows(of: other))
                if operation != .append {
                    // Each row once first, by distinct's own strategy (the codes of selected text
                    // columns, when it can): only the distinct rows are then looked up in the other's.
                    operators.append(.distinct(plannedDistinct(input)))
                    explanation.add("DISTINCT (each row once, before \(operation.rawValue))")
                    if explains { lineOf.append(explanation.lines.count - 1) }
                }
                operators.append(.combine(operation, plan: plan, scope: input))
                explanation.add(operation.rawValue.uppercased() + (operation == .append
                    ? " (the rows of the pipeline below, as values; after these)"
                    : " (the rows of the pipeline below, each once, as values; whole rows compared by hashing)"))
                for line in plan.explanation { explanation.add("  " + line) }
            case .groupEach(let keys, let inner, let kept):
                // The group's rows are not the table's: no index, and no rewrite that assumes them.
                var planner = self
                planner.usesIndexes = false
                planner.firstStageScope = input
                let plan = planner.planStages(BoundPipeline(sourceTable: pipeline.sourceTable, stages: inner, scope: inner.last?.scope ?? checked.scope))
                // Stages that keep groups apart and cannot fail run once over all the groups.
                let together = plan.operators.allSatisfy(\.keepsGroupsApart)
                operators.append(.groupEach(keys: keys, plan: plan, keptKeys: kept, together: together))
                let keyText = keys.map(\.name).joined(separator: ", ")
                explanation.add("GROUP \(keyText) (each group's rows, in the order groups first appear, through the stages below, "
                    + (together ? "all groups at once, each stage keeping them apart)" : "group by group)"))
                if explains { lineOf.append(explanation.lines.count - 1) }  // its line is this one, not its stages' last
                for line in plan.explanation.dropFirst() { explanation.add("  " + line) }
            case .sort(let keys):
                operators.append(.sort(keys))
                explanation.add("SORT " + words)
            case .take(let count):
                if case .sort(let keys)? = operators.last {
                    operators[operators.count - 1] = .topN(keys, count: count)
                    explanation.replaceLast { "TOP \(words) BY " + $0.dropFirst(5) + " (keeps only the first rows while sorting)" }
                } else {
                    operators.append(.take(count))
                    explanation.add("TAKE " + words)
                }
            case .count:
                operators.append(.count)
                explanation.add("COUNT")
            case .distinct:
                operators.append(.distinct(plannedDistinct(input)))
                explanation.add("DISTINCT")
            case .join(let joined, let condition, let keepsUnmatched):
                // Equalities between a side that reads only the joined row and one that reads only
                // the rows so far make a hash join; without one, every pair must be tried. The
                // nested loop stops at a pair's first false conjunct, so only equalities before any
                // conjunct that may fail (an overflow) are keys: then a pair that is never tried
                // could not have failed either, and no plan turns an answer into an error.
                let slot = checked.scope.fields.count - 1
                var probe: [BoundExpression] = [], build: [BoundExpression] = [], residual: [BoundExpression] = []
                var keying = true
                let unmatched = keepsUnmatched ? "; a row without a match kept once, its joined columns null" : ""
                for conjunct in condition.conjuncts {
                    if keying, case .binary(.equal, let a, let b, _) = conjunct.node {
                        let (sa, sb) = (a.referencedSlots, b.referencedSlots)
                        if sa == [slot], !sb.contains(slot) { build.append(a); probe.append(b); continue }
                        if sb == [slot], !sa.contains(slot) { build.append(b); probe.append(a); continue }
                    }
                    if conjunct.canFail { keying = false }
                    residual.append(conjunct)
                }
                if build.isEmpty || !usesIndexes {
                    operators.append(.nestedLoopJoin(table: joined, condition: condition, keepsUnmatched: keepsUnmatched))
                    explanation.add("JOIN " + words + " (nested loop over \(store.tables[joined].rowCount) rows each: no equality between the two sides)" + unmatched)
                } else {
                    // A key that is the joined table's id needs no hash table: the id index has it.
                    let idColumn = store.tables[joined].schema.columnIndex("id")
                    let idKey = build.contains { $0.canFail } ? nil : build.firstIndex {
                        if case .column(.slot(slot), joined, idColumn) = $0.node { true } else { false }
                    }
                    operators.append(.hashJoin(table: joined, probe: probe, build: build, condition: condition,
                                               residual: residual.isEmpty ? nil : .all(residual.map { Conjunct(expression: $0, text: "") }), idKey: idKey,
                                               keepsUnmatched: keepsUnmatched))
                    let equalities = "\(build.count) \(build.count == 1 ? "equality" : "equalities")"
                    explanation.add("JOIN " + words + (idKey != nil
                        ? " (hash join on \(equalities), the candidates found by the id index of \(store.tables[joined].schema.name): nothing hashed)"
                        : " (hash join on \(equalities), \(store.tables[joined].rowCount) rows hashed once)") + unmatched)
                }
            }
        }
        // Rewrites that keep the rows as row numbers longer (off with the other choices, to compare
        // answers). `final` follows each operator to its place in the plan that runs.
        var final: [Int?] = explains ? Array(operators.indices) : []
        if usesIndexes, let inlining = DeriveInlining.inline(operators, scope: pipeline.scope) {
            operators = inlining.operators
            for index in inlining.removed where explains { explanation.append(" (not stored: computed where it is read)", toLine: lineOf[index]) }
            var shift = 0
            final = final.indices.map { index in
                if inlining.removed.contains(index) { shift += 1; return nil }
                return index - shift
            }
        }
        if usesIndexes, let pushed = SelectPushdown.push(operators) {
            // The select at `at` and the `count` stages after it trade places.
            let (at, count) = (pushed.select, pushed.moved)
            for index in final.indices {
                guard let position = final[index] else { continue }
                if position == at {
                    final[index] = at + count
                    explanation.append(" (made after the stages below it, which read its expressions on the table's rows)", toLine: lineOf[index])
                } else if position > at, position <= at + count {
                    final[index] = position - 1
                    explanation.append(" (before the select)", toLine: lineOf[index])
                }
            }
            operators = pushed.operators
        }
        let lineAt: [Int: Int] = explains ? Dictionary(final.indices.compactMap { index in final[index].map { ($0, lineOf[index]) } },
                                                       uniquingKeysWith: { first, _ in first }) : [:]
        let rows = if case .index(let lookup) = access { lookup.estimate } else { table.rowCount }
        // A table's rows are different rows when its ids are (the store refuses an id twice); the rows
        // of a group inside `group … (…)` may be any rows.
        let rowsAreDistinct = firstStageScope == nil && table.schema.columnIndex("id") != nil
        let marked = choosePhysicalOperators(&operators, rows: rows, rowsAreDistinct: rowsAreDistinct, marksLinks: pipeline.mayFilterLinks,
                                             explanation: &explanation, lineAt: lineAt)
        for index in filterTexts.keys {
            guard let position = final[index], case .where = operators[position] else { continue }
            explanation.append(Self.filterNote, toLine: lineOf[index])
        }
        var plan = Plan(table: pipeline.sourceTable, access: access, operators: operators, scope: pipeline.scope, explanation: explanation.lines)
        plan.markedConditions = marked
        return plan
    }

    /// The physical choices made once the rewrites have settled each operator's expressions: each
    /// group's and distinct's strategy (a derived key inlined is a column again), the join's pairs,
    /// and the links' conditions worked out for every linked row. `rows` is about how many rows the
    /// access gives: an array of groups is worth its size for that many; after a join, whose rows
    /// cannot be told in advance, only a small one is. Returns the marked conditions.
    private func choosePhysicalOperators(_ operators: inout [Plan.Operator], rows: Int, rowsAreDistinct: Bool, marksLinks: Bool, explanation: inout Explanation,
                                         lineAt: [Int: Int]) -> [MarkedCondition] {
        var rows = rows
        var marked: [MarkedCondition] = []
        for position in operators.indices {
            if usesIndexes, rows > 0, marksLinks {
                let before = marked.count
                if let replaced = operators[position].replacingExpressions({ markLinkConditions($0, rows: rows, into: &marked) }) {
                    operators[position] = replaced
                }
                if marked.count > before { explanation.append(Self.markedNote, toLine: lineAt[position]) }
            }
            switch operators[position] {
            case .group(let keys, let aggregates, _):
                let strategy = GroupStrategy.choose(for: keys, store: store, rows: rows)
                operators[position] = .group(keys: keys, aggregates: aggregates, strategy: strategy)
                explanation.append(strategy.explanation, toLine: lineAt[position])
            case .groupEach(let keys, let plan, let kept, let together, _):
                // Each row's group found as `group … agg` finds it.
                let strategy = GroupStrategy.choose(for: keys, store: store, rows: rows)
                operators[position] = .groupEach(keys: keys, plan: plan, keptKeys: kept, together: together, strategy: strategy)
                explanation.append(strategy.explanation, toLine: lineAt[position])
            case .distinct(let planned):
                let strategy: DistinctStrategy
                if case .shownValues = planned {
                    strategy = planned
                } else if rowsAreDistinct, operators[..<position].allSatisfy(\.keepsRowNumbers) {
                    strategy = .tableRows
                } else if position > 0, operators[..<(position - 1)].allSatisfy(\.keepsRowNumbers),
                          case .select(let fields) = operators[position - 1], let coded = CodedKeys(fields, store: store) {
                    strategy = .codes(CodeLookup(coded, rows: rows))
                } else {
                    strategy = .valueHash
                }
                operators[position] = .distinct(strategy)
                explanation.append(strategy.explanation, toLine: lineAt[position])
            case .hashJoin:
                rows = 0
            case .nestedLoopJoin:
                rows = 0
            default: break
            }
        }
        return marked
    }

    /// The pipeline with a `distinct` after its stages.
    private static func distinctRows(of pipeline: BoundPipeline) -> BoundPipeline {
        if case .distinct? = pipeline.stages.last?.stage { return pipeline }
        var scope = pipeline.scope
        scope.ordering = .lost(by: "distinct")
        var result = BoundPipeline(sourceTable: pipeline.sourceTable, stages: pipeline.stages + [
            CheckedStage(name: .distinct, stage: .distinct, text: "distinct", scope: scope),
        ], scope: scope)
        (result.mayReadPipelines, result.mayFilterLinks) = (pipeline.mayReadPipelines, pipeline.mayFilterLinks)
        return result
    }

    /// A distinct over rows of `scope` before the physical choice: rows holding a row of a table
    /// without ids (which may repeat) must be compared by their columns, whatever is chosen later.
    private func plannedDistinct(_ scope: Scope) -> DistinctStrategy {
        let repeatable = scope.fields.contains { if case .entity(let t) = $0.kind { store.catalog[t].columnIndex("id") == nil } else { false } }
        return repeatable ? .shownValues(scope) : .valueHash
    }

    static let markedNote = " (each link's condition worked out once for every row of its table, 1024 rows at a time)"

    /// A link's aggregate with a condition, over about `rows` starting rows: when these reach a tenth
    /// of the link's rows or more, and the condition cannot fail and reads only the linked row, it
    /// is worked out for every linked row at once, a batch at a time, instead of row by row for
    /// each starting row (an error-free condition gives the same verdicts either way).
    private func markLinkConditions(_ expression: BoundExpression, rows: Int,
                                    into marked: inout [MarkedCondition]) -> BoundExpression? {
        guard case .linkAggregate(let function, let from, let link, let argument, let filter?, let option) = expression.node,
              rows * 10 >= store.tables[link.table].rowCount, !filter.canFail, filter.referencedSlots.isSubset(of: [0]) else { return nil }
        if case .marked = filter.node { return nil }
        marked.append(MarkedCondition(table: link.target, condition: filter))
        return expression.with(.linkAggregate(function, from: from, link: link, argument: argument,
                                              filter: BoundExpression(.marked(marked.count - 1), .bool), option: option))
    }

    /// How every filter runs: its parts through kernels over batches of rows (`Kernels.swift`).
    static let filterNote = " (\(Executor.batchSize) rows at a time)"

    /// The plan in words, written only when asked for: building the strings costs more than planning.
    struct Explanation {
        let isWritten: Bool
        private(set) var lines: [String] = []

        init(isWritten: Bool) { self.isWritten = isWritten }

        mutating func add(_ line: @autoclosure () -> String) {
            if isWritten { lines.append(line()) }
        }

        mutating func append(_ text: String, toLine line: Int?) {
            if isWritten, let line, lines.indices.contains(line) { lines[line] += text }
        }

        mutating func replaceLast(_ rewrite: (String) -> String) {
            if isWritten, let last = lines.popLast() { lines.append(rewrite(last)) }
        }
    }

    // MARK: Choosing an index

    /// A term `column OP key` on the source table, where the key is known before the query runs.
    private struct Term {
        let conjunct: Int
        let column: Int
        let op: BinaryOperator
        let keys: [Value]
        let text: String
    }

    private func terms(_ conjuncts: [Conjunct]) -> [Term] {
        conjuncts.enumerated().compactMap { offset, conjunct -> Term? in
            guard case .binary(let op, let left, let right, _) = conjunct.expression.node else { return nil }
            if case .column(.slot(0), _, let column) = left.node, let keys = constants(right) {
                return Term(conjunct: offset, column: column, op: op, keys: keys, text: conjunct.text)
            }
            if case .column(.slot(0), _, let column) = right.node, let keys = constants(left), let flipped = op.flipped {
                return Term(conjunct: offset, column: column, op: flipped, keys: keys, text: conjunct.text)
            }
            return nil
        }
    }

    /// The value(s) of a literal, a parameter or a list of them.
    private func constants(_ expression: BoundExpression) -> [Value]? {
        switch expression.node {
        case .constant(let value) where !value.isNull: return [value]
        case .parameter(let name): return parameters[name].flatMap { $0.isNull ? nil : [$0] }
        case .list(let items):
            var values: [Value] = []
            for item in items {
                guard let value = constants(item), value.count == 1 else { return nil }
                values += value
            }
            return values
        default: return nil
        }
    }

    private func bestLookup(for conjuncts: [Conjunct], in table: Table) -> (IndexLookup, Set<Int>)? {
        let terms = terms(conjuncts)
        guard !terms.isEmpty else { return nil }
        var best: (IndexLookup, Set<Int>)?
        if let idColumn = table.schema.columnIndex("id"),
           let term = terms.first(where: { $0.column == idColumn && $0.op == .equal && $0.keys.count == 1 }), case .int = term.keys[0] {
            let lookup = IndexLookup(index: IndexLookup.idIndex, kind: .equal(term.keys), terms: [term.text], estimate: 0)
            best = (IndexLookup(index: lookup.index, kind: lookup.kind, terms: lookup.terms, estimate: lookup.count(in: table)), [term.conjunct])
        }
        for index in table.indexList where terms.contains(where: { $0.column == index.columns[0] }) {
            guard let candidate = lookup(index, terms: terms, table: table) else { continue }
            if best == nil || candidate.0.estimate < best!.0.estimate { best = candidate }
        }
        return best
    }

    private func lookup(_ index: Index, terms: [Term], table: Table) -> (IndexLookup, Set<Int>)? {
        let type = { (column: Int) in table.schema.columns[column].type }
        // Equality on every column but the last, then equality, a set or a range on the last.
        var prefix: [Value] = []
        var used: [Term] = []
        for column in index.columns.dropLast() {
            guard let term = terms.first(where: { $0.column == column && $0.op == .equal && fits($0.keys[0], type(column), index) }) else { return nil }
            prefix.append(term.keys[0])
            used.append(term)
        }
        let last = index.columns.last!
        let onLast = terms.filter { $0.column == last && fits($0.keys[0], type(last), index) }
        let kind: IndexLookup.Kind
        if let equal = onLast.first(where: { $0.op == .equal }) {
            used.append(equal)
            kind = .equal(prefix + equal.keys)
        } else if let set = onLast.first(where: { $0.op == .in }), index.columns.count == 1, set.keys.allSatisfy({ fits($0, type(last), index) }) {
            used.append(set)
            kind = .anyOf(set.keys)
        } else if index.isOrdered {
            var lower: (Value, Bool)?, upper: (Value, Bool)?
            for term in onLast {
                switch term.op {
                case .greater, .greaterEqual:
                    if lower == nil || Value.compare(term.keys[0], lower!.0) > 0 { lower = (term.keys[0], term.op == .greaterEqual) }
                case .less, .lessEqual:
                    if upper == nil || Value.compare(term.keys[0], upper!.0) < 0 { upper = (term.keys[0], term.op == .lessEqual) }
                default: continue
                }
                used.append(term)
            }
            guard lower != nil || upper != nil || !prefix.isEmpty else { return nil }
            kind = .range(prefix: prefix, lower: lower, upper: upper)
        } else {
            return nil
        }
        var lookup = IndexLookup(index: index.schema.name, kind: kind, terms: used.map(\.text), estimate: 0)
        lookup = IndexLookup(index: lookup.index, kind: kind, terms: lookup.terms, estimate: lookup.count(in: table))
        return (lookup, Set(used.map(\.conjunct)))
    }

    /// A hash index finds only keys of the column's own type (a string for a string column); an
    /// ordered one compares numbers across int, decimal and figure as `==` and `<` do.
    private func fits(_ key: Value, _ type: ValueType, _ index: Index) -> Bool {
        switch (key, type) {
        case (.string, .string), (.int, .int), (.bool, .bool): return true
        case (.int, _), (.decimal, _), (.figure, _): return index.isOrdered && type.isNumeric
        default: return false
        }
    }

    /// The window parts of the fields (window functions, and aggregates over all rows), each
    /// replaced by a read of slot `width + i`; nil when there are none.
    static func windowParts(of fields: [BoundField], width: Int) -> ([BoundExpression], [BoundField])? {
        func isPart(_ e: BoundExpression) -> Bool { switch e.node { case .window, .groupAggregate: true; default: false } }
        guard fields.contains(where: { $0.expression.containsNode(where: isPart) }) else { return nil }  // most have none: nothing rebuilt
        var parts: [BoundExpression] = []
        let rewritten = fields.map { field in
            BoundField(name: field.name, expression: field.expression.replacing { part in
                switch part.node {
                case .window, .groupAggregate:
                    parts.append(part)
                    return part.with(.slot(width + parts.count - 1))
                default: return nil
                }
            })
        }
        return parts.isEmpty ? nil : (parts, rewritten)
    }

    static func windowNote(_ parts: [BoundExpression]) -> String {
        " (\(parts.count == 1 ? "a window part" : "\(parts.count) window parts") computed over all the rows, in order, first)"
    }

    /// " (links: projects through their index)" when expressions aggregate over links.
    private func links(in expressions: [BoundExpression]) -> String {
        var names: [String] = []
        func walk(_ e: BoundExpression) {
            if case .linkAggregate(_, _, let link, _, _, _) = e.node, !names.contains(link.name) { names.append(link.name) }
            e.children.forEach(walk)
        }
        expressions.forEach(walk)
        return names.isEmpty ? "" : " (links: " + names.joined(separator: ", ") + " through the link index)"
    }
}

extension BinaryOperator {
    /// The operator with its sides swapped: `5 < x` is `x > 5`.
    var flipped: BinaryOperator? {
        switch self {
        case .equal: .equal
        case .less: .greater
        case .lessEqual: .greaterEqual
        case .greater: .less
        case .greaterEqual: .lessEqual
        default: nil
        }
    }
}
