/// `derive` on the table's own rows, computed where it is used: `awards | derive d = centre.district
/// | group d, category …` groups on `centre.district` itself, so the executor stays on row numbers
/// (no row of values is made for the derived column) and the grouping reads the link's column codes.
///
/// Only a `derive` whose fields cannot fail is folded in (moving a computation that may fail would
/// change which row's error is reported), and only while every stage after it, up to the `select`,
/// `group` or `count` that ends the table's rows, keeps them as row numbers. When the pipeline ends
/// with derived fields still in its rows, a final `select` of every field computes them once.
enum DeriveInlining {
    /// The operators with the foldable `extend`s removed and their fields substituted where they are
    /// read, and the indexes (in `operators`) of the `extend`s removed; nil when nothing is folded.
    static func inline(_ operators: [Plan.Operator], scope: Scope) -> (operators: [Plan.Operator], removed: [Int])? {
        // Which operators it may touch: from the start, over row numbers, up to one that ends them.
        var end = operators.count
        var ended = false  // by a select, group or count (else the rows end with derived fields in them)
        var sawExtend = false
        for (index, op) in operators.enumerated() {
            if op.keepsRowNumbers { continue }
            if case .derive(let fields, _) = op, fields.allSatisfy({ !$0.expression.canFail }) { sawExtend = true; continue }
            switch op {
            case .select, .group, .count: end = index + 1; ended = true
            default: return nil  // a join, a derive that may fail: rows of values from here on
            }
            break
        }
        guard sawExtend else { return nil }

        var derived: [Int: BoundExpression] = [:]  // slot → what it holds, in terms of the table's row
        var width = 1  // the rows are the table's row number alone
        var result: [Plan.Operator] = []
        var removed: [Int] = []
        for (index, op) in operators.enumerated() {
            guard index < end else { result.append(op); continue }
            switch op {
            case .derive(let fields, let replacing):
                for (field, slot) in zip(fields, replacing) {
                    guard let expression = substitute(field.expression, derived) else { return nil }
                    derived[slot ?? width] = expression
                    if slot == nil { width += 1 }
                }
                removed.append(index)
            default:
                guard let rewritten = substitute(op, derived) else { return nil }
                result.append(rewritten)
            }
        }
        if !ended {
            // The rows end with derived fields in them: compute each once, in the scope's layout.
            guard scope.fields.count == width else { return nil }
            let fields = scope.fields.indices.map { slot in
                BoundField(name: scope.fields[slot].name, expression: slot == 0 ? .slot(0) : derived[slot] ?? .constant(.null),
                           type: { if case .value(let type) = scope.fields[slot].kind { type } else { .int } }())
            }
            result.append(.select(fields))
        }
        return (result, removed)
    }

    static func substitute(_ op: Plan.Operator, _ derived: [Int: BoundExpression]) -> Plan.Operator? {
        func fields(_ list: [BoundField]) -> [BoundField]? {
            var result: [BoundField] = []
            for field in list {
                guard let e = substitute(field.expression, derived) else { return nil }
                result.append(BoundField(name: field.name, expression: e, type: field.type))
            }
            return result
        }
        func keys(_ list: [BoundSortKey]) -> [BoundSortKey]? {
            var result: [BoundSortKey] = []
            for key in list {
                guard let e = substitute(key.expression, derived) else { return nil }
                result.append(BoundSortKey(expression: e, isDescending: key.isDescending, type: key.type))
            }
            return result
        }
        switch op {
        case .where(let condition): return substitute(condition, derived).map { .where($0) }
        case .select(let list): return fields(list).map { .select($0) }
        case .group(let k, let a, _):
            guard let k = fields(k), let a = fields(a) else { return nil }
            return .group(keys: k, aggregates: a)
        case .sort(let list): return keys(list).map { .sort($0) }
        case .topN(let list, let count):
            guard let list = keys(list), let count = substitute(count, derived) else { return nil }
            return .topN(list, count: count)
        case .take(let count): return substitute(count, derived).map { .take($0) }
        case .count, .distinct: return op
        case .derive, .nestedLoopJoin, .hashJoin: return nil
        }
    }

    /// The expression with each derived slot replaced by what it holds; nil when a derived slot is
    /// used as a row (a link followed from it), which cannot be substituted.
    static func substitute(_ expression: BoundExpression, _ derived: [Int: BoundExpression]) -> BoundExpression? {
        func walk(_ e: BoundExpression) -> BoundExpression? {
            switch e {
            case .constant, .parameter, .marked: return e
            case .slot(let slot): return derived[slot] ?? e
            case .column(let reference, _, _), .linkAggregate(_, let reference, _, _, _):
                // The argument and filter of a link's aggregate read the linked row: left as they are.
                return derived[reference.baseSlot] == nil ? e : nil
            case .list(let items):
                var result: [BoundExpression] = []
                for item in items { guard let w = walk(item) else { return nil }; result.append(w) }
                return .list(result)
            case .negate(let x): return walk(x).map { .negate($0) }
            case .not(let x): return walk(x).map { .not($0) }
            case .exactFigure(let x): return walk(x).map { .exactFigure($0) }
            case .matches(let x, let pattern): return walk(x).map { .matches($0, pattern) }
            case .binary(let op, let l, let r, let range):
                guard let l = walk(l), let r = walk(r) else { return nil }
                return .binary(op, l, r, range: range)
            case .function(let function, let arguments, let range):
                var result: [BoundExpression] = []
                for argument in arguments { guard let w = walk(argument) else { return nil }; result.append(w) }
                return .function(function, result, range: range)
            case .groupAggregate(let function, let argument, let filter):
                // These read the group's rows, laid out as the rows before the group.
                var a: BoundExpression?, f: BoundExpression?
                if let argument { guard let w = walk(argument) else { return nil }; a = w }
                if let filter { guard let w = walk(filter) else { return nil }; f = w }
                return .groupAggregate(function, argument: a, filter: f)
            }
        }
        return walk(expression)
    }
}
