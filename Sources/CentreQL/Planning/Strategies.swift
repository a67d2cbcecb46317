/// How a `group` finds each row's group, chosen by the planner and shown by `explain`: the executor
/// follows it and decides nothing while the query runs.
enum GroupStrategy: Sendable {
    /// No keys: every row is in the one group (which exists even when there are no rows).
    case ungrouped
    /// Every key a text column or a whole-number column of a small range (of the row or through
    /// to-one links): the columns' codes combined into one number, told apart in an array or hashed.
    case codes(CodeLookup)
    /// Any other keys: their values are hashed (one value identity, `Value`'s `==` and hash).
    case valueHash

    /// The strategy for these keys over at most `rows` rows.
    static func choose(for keys: [BoundField], store: Store, rows: Int) -> GroupStrategy {
        if keys.isEmpty { return .ungrouped }
        guard let coded = CodedKeys(keys, store: store) else { return .valueHash }
        return .codes(CodeLookup(coded, rows: rows))
    }

    var lookup: CodeLookup? { if case .codes(let lookup) = self { lookup } else { nil } }

    /// What `explain` says of it.
    var explanation: String {
        switch self {
        case .ungrouped: " (one group: no keys)"
        case .codes(let lookup): " (by the keys' \(lookup.words("into")))"
        case .valueHash: " (hash aggregate on the key values)"
        }
    }
}

/// How `distinct` finds repeated rows, chosen by the planner and shown by `explain`.
enum DistinctStrategy: Sendable {
    /// The rows are still the table's own rows, each a different one: nothing to do.
    case tableRows
    /// Right after a `select` of text columns on the table's rows: the distinct rows are found by
    /// the columns' dictionary codes, and only those rows are made.
    case codes(CodeLookup)
    /// Any other rows: their values are hashed.
    case valueHash
    /// Rows holding a row of a table without ids, which may repeat: hashed by the columns the rows show.
    case shownValues(Scope)

    var lookup: CodeLookup? { if case .codes(let lookup) = self { lookup } else { nil } }

    var explanation: String {
        switch self {
        case .tableRows: " (nothing to do: each row is a different row of the table)"
        case .codes(let lookup): " (by the selected columns' \(lookup.words("in")), before the select makes rows)"
        case .valueHash: " (hash of the rows' values)"
        case .shownValues: " (hash of the rows' column values: a table without ids may repeat a row)"
        }
    }
}
