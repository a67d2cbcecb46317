/// `select` and `derive`: each field's values for every row through its kernels, a column at a time.
/// When a field's kernels throw, the stage is taken again row by row, each row's fields in order,
/// as the evaluator alone would (so the error is the first row's first failing field).
extension Executor {
    func select(_ fields: [BoundField], from relation: Relation) throws -> Relation {
        if let slots = try? fields.map({ try column($0.expression, over: relation) }) {
            return Relation(slots: slots, count: relation.count)
        }
        var rows: [[Value]] = []
        rows.reserveCapacity(relation.count)
        try rowByRow(relation, relation.positions) { _, row in
            rows.append(try fields.map { try evaluator.evaluate($0.expression, row) })
        }
        return Relation(rows: rows, width: fields.count)
    }

    /// A later field may read an earlier one: each is added to the relation before the next is computed.
    func derive(_ fields: [BoundField], replacing: [Int?], on relation: Relation) throws -> Relation {
        var result = relation
        do {
            for (field, slot) in zip(fields, replacing) {
                let values = try column(field.expression, over: result)
                if let slot { result.slots[slot] = values } else { result.slots.append(values) }
            }
            return result
        } catch {
            var rows: [[Value]] = []
            rows.reserveCapacity(relation.count)
            try rowByRow(relation, relation.positions) { _, row in
                var row = row
                for (field, slot) in zip(fields, replacing) {
                    let value = try evaluator.evaluate(field.expression, row)
                    if let slot { row[slot] = value } else { row.append(value) }
                }
                rows.append(row)
            }
            return Relation(rows: rows, width: relation.slots.count + replacing.filter { $0 == nil }.count)
        }
    }
}
