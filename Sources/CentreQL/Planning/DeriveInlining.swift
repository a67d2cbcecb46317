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
                // Slot 0 holds the table's row, which has no value type.
                BoundField(name: scope.fields[slot].name, expression: slot == 0 ? BoundExpression(.slot(0), .null) : derived[slot] ?? .constant(.null))
            }
            result.append(.select(fields))
        }
        return (result, removed)
    }

    /// The operator with each derived slot replaced by what it holds; nil for a `derive` or a join
    /// (never folded into), or when a derived slot is used as a row.
    static func substitute(_ op: Plan.Operator, _ derived: [Int: BoundExpression]) -> Plan.Operator? {
        switch op {
        case .derive, .nestedLoopJoin, .hashJoin: return nil
        default: break
        }
        var usedAsRow = false
        let result = op.replacingExpressions { substitution($0, derived, usedAsRow: &usedAsRow) } ?? op
        return usedAsRow ? nil : result
    }

    /// The expression with each derived slot replaced by what it holds; nil when a derived slot is
    /// used as a row (a link followed from it), which cannot be substituted.
    static func substitute(_ expression: BoundExpression, _ derived: [Int: BoundExpression]) -> BoundExpression? {
        var usedAsRow = false
        let result = expression.replacing { substitution($0, derived, usedAsRow: &usedAsRow) }
        return usedAsRow ? nil : result
    }

    /// One step of the substitution, for `BoundExpression.replacing`.
    private static func substitution(_ e: BoundExpression, _ derived: [Int: BoundExpression], usedAsRow: inout Bool) -> BoundExpression? {
        switch e.node {
        case .slot(let slot): return derived[slot]
        case .column(let reference, _, _), .linkAggregate(_, let reference, _, _, _, _):
            // The argument and filter of a link's aggregate read the linked row: left as they are.
            if derived[reference.baseSlot] != nil { usedAsRow = true }
            return e
        default: return nil  // looked into (a group's aggregates read rows laid out as before the group)
        }
    }
}
