/// `select` on the table's own rows, then `where`, `sort` or `take` on what it selected: those stages
/// run before the `select`, on the table's rows, reading the selected expressions themselves
/// (`centres | select id, n = count(projects) | where n > 6` counts for every centre but makes rows
/// only for the ones kept, and stays on row numbers, where the filter is taken a batch at a time).
///
/// Only when no selected field can fail: the `select` would have computed them for every row, and an
/// error in a row the stage drops must not disappear. `distinct` and `group` stay after it.
enum SelectPushdown {
    /// The operators with the stages moved, the select's index before the move, and how many stages
    /// moved from after it to before it; nil when none move.
    static func push(_ operators: [Plan.Operator]) -> (operators: [Plan.Operator], select: Int, moved: Int)? {
        guard let at = operators.firstIndex(where: { !$0.keepsRowNumbers }), at + 1 < operators.count,
              operators[at + 1].keepsRowNumbers, case .select(let fields) = operators[at],
              fields.allSatisfy({ !$0.expression.canFail }) else { return nil }
        let selected = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($0.offset, $0.element.expression) })
        var moved: [Plan.Operator] = []
        var next = at + 1
        while next < operators.count {
            let op = operators[next]
            switch op {
            case .where, .sort, .topN, .take:
                guard let rewritten = DeriveInlining.substitute(op, selected) else { break }
                moved.append(rewritten)
                next += 1
                continue
            default:
                break
            }
            break
        }
        guard !moved.isEmpty else { return nil }
        return (Array(operators[..<at]) + moved + [operators[at]] + Array(operators[next...]), at, moved.count)
    }
}
