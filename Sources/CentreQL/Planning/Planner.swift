/// Turns a checked pipeline into a plan. For now it only fuses `sort | take` into a top-N;
/// index selection will live here too.
enum Planner {
    static func plan(_ pipeline: BoundPipeline) -> Plan {
        var operators: [Plan.Operator] = []
        for stage in pipeline.stages {
            switch stage {
            case .filter(let condition): operators.append(.filter(condition))
            case .project(let fields): operators.append(.project(fields))
            case .extend(let fields, let replacing): operators.append(.extend(fields, replacing: replacing))
            case .aggregate(let keys, let aggregates): operators.append(.hashAggregate(keys: keys, aggregates: aggregates))
            case .sort(let keys): operators.append(.sort(keys))
            case .limit(let count):
                if case .sort(let keys)? = operators.last {
                    operators[operators.count - 1] = .topN(keys, count: count)
                } else {
                    operators.append(.limit(count))
                }
            case .count: operators.append(.count)
            case .distinct: operators.append(.distinct)
            case .join(let table, let condition): operators.append(.nestedLoopJoin(table: table, condition: condition))
            }
        }
        return Plan(table: pipeline.sourceTable, operators: operators, scope: pipeline.scope)
    }
}
