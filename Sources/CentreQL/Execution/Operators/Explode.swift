/// `explode NAME = LIST`: each row once for each element of its list, in the list's order, the
/// element in the named slot; a row whose list is empty or null is not kept.
extension Executor {
    func explode(_ relation: Relation, _ list: BoundExpression, replacing: Int?) throws -> Relation {
        let lists = try column(list, over: relation)
        var positions: [Int] = []
        var elements: [Value] = []
        for position in relation.positions {
            try interruption.checkpoint(position)
            guard case .list(let items) = lists[position] else { continue }
            for item in items {
                positions.append(position)
                elements.append(item)
            }
        }
        var result = relation.gathering(positions)
        if let replacing { result.slots[replacing] = .values(elements) } else { result.slots.append(.values(elements)) }
        return result
    }
}

/// `unpivot COLUMN, … into NAME, VALUE`: each row, as the values a result shows, once for each
/// listed column whose value is not null, with the column's name and its value (a number where
/// the value column holds figures or decimals made one, so the column has one type).
extension Executor {
    func unpivot(_ relation: Relation, scope: Scope, kept: [Int], columns: [Int], names: [String], type: ValueType) throws -> Relation {
        let values = relation.shown(scope, store: store)
        var positions: [Int] = [], measures: [Value] = [], amounts: [Value] = []
        for position in values.positions {
            try interruption.checkpoint(position)
            for (column, name) in zip(columns, names) {
                let value = values.slots[column][position]
                guard !value.isNull else { continue }
                positions.append(position)
                measures.append(.string(name))
                amounts.append(Self.promoted(value, to: type))
            }
        }
        let rows = values.gathering(positions)
        return Relation(slots: kept.map { rows.slots[$0] } + [.values(measures), .values(amounts)], count: positions.count)
    }

    /// A value as a column of `type` holds it (a whole number in a decimal column is a decimal,
    /// a number in a figure column an exact figure), as the checker's promotions do.
    static func promoted(_ value: Value, to type: ValueType) -> Value {
        switch (value, type) {
        case (.int(let n), .decimal): .decimal(Double(n))
        case (.int, .figure), (.decimal, .figure): value.number.map { .figure(Figure($0, .exact)) } ?? value
        default: value
        }
    }
}
