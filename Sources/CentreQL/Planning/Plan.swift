/// How a query will run: a source and a list of operators, each taking the rows of the one before.
struct Plan: Sendable {
    enum Operator: Sendable {
        case filter(BoundExpression)
        case project([BoundField])
        case extend([BoundField], replacing: [Int?])
        case hashAggregate(keys: [BoundField], aggregates: [BoundField])
        case sort([BoundSortKey])
        /// `sort` followed by `take`: keeps only the first N rows in order.
        case topN([BoundSortKey], count: BoundExpression)
        case limit(BoundExpression)
        case count
        case distinct
        case nestedLoopJoin(table: Int, condition: BoundExpression)
    }

    /// The table scanned first.
    let table: Int
    let operators: [Operator]
    /// The shape of the rows the plan produces.
    let scope: Scope
}
