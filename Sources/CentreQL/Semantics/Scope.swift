/// What a stage can see: the slots of a row, by name. A slot holds either a value or a reference to
/// a table row (an entity), whose columns and links the checker can then resolve.
struct Scope: Sendable {
    struct Field: Sendable {
        enum Kind: Sendable, Hashable {
            case value(ValueType)
            /// Holds the row index of a row of the catalog's table `table`.
            case entity(table: Int)
        }
        var name: String
        var kind: Kind
    }

    /// The schema the entities' tables belong to.
    let catalog: Catalog
    var fields: [Field]
    /// The entity whose columns are visible unqualified (the source table, until `select` or `group`).
    var primary: Int?
    /// The order the rows are in, which window functions read.
    var ordering: Ordering = .table

    enum Ordering: Sendable {
        /// The table's own order (or the order a join keeps).
        case table
        /// The last `sort`'s keys, as written (`rank()` compares rows by them).
        case sorted([SortKey])
        /// No order any more: the stage that lost it (`group`, `distinct`).
        case lost(by: String)
    }

    init(_ catalog: Catalog, fields: [Field] = [], primary: Int? = nil) {
        self.catalog = catalog
        self.fields = fields
        self.primary = primary
    }

    static func table(_ index: Int, in catalog: Catalog) -> Scope {
        Scope(catalog, fields: [Field(name: catalog[index].name, kind: .entity(table: index))], primary: 0)
    }

    /// The same catalog with other fields (what `select` and `group` leave).
    func replacing(fields: [Field], primary: Int? = nil) -> Scope {
        var scope = Scope(catalog, fields: fields, primary: primary)
        scope.ordering = ordering
        return scope
    }

    func valueSlot(named name: String) -> Int? {
        fields.lastIndex { $0.name == name && !$0.isEntity }
    }

    func entitySlot(named name: String) -> Int? {
        fields.lastIndex { $0.name == name && $0.isEntity && $0.name != primaryTableName }
    }

    var primaryTable: Int? {
        guard let primary, case .entity(let table) = fields[primary].kind else { return nil }
        return table
    }

    private var primaryTableName: String? { primary.map { fields[$0].name } }

    /// Every name a user could write here, for did-you-mean and for listing what is available.
    var visibleNames: [String] {
        var names: [String] = []
        if let table = primaryTable {
            names += catalog[table].columns.map(\.name) + catalog[table].links.map(\.name)
        }
        for (slot, field) in fields.enumerated() where slot != primary && !names.contains(field.name) {
            names.append(field.name)
        }
        return names
    }

    /// The columns a query ending in this scope shows: an entity expands into its table's columns.
    var outputColumns: [(name: String, type: ValueType)] { outputLayout.map { ($0.name, $0.type) } }

    /// One column a query ending in this scope shows, and where its values are.
    struct OutputColumn {
        enum Source { case value(slot: Int), column(slot: Int, column: Int) }
        let name: String
        let type: ValueType
        let source: Source
    }

    /// The shown columns, in order: an entity expands into its table's columns (the primary one
    /// unprefixed), except that a value named like a primary column (`derive town = district`)
    /// takes that column's place, so no result has two columns of one name.
    var outputLayout: [OutputColumn] {
        let shadowing = primaryTable.map { table in
            Dictionary(fields.enumerated().compactMap { slot, field in
                field.isEntity || catalog[table].columnIndex(field.name) == nil ? nil : (field.name, slot)
            }, uniquingKeysWith: { _, last in last })
        } ?? [:]
        return fields.enumerated().flatMap { slot, field -> [OutputColumn] in
            switch field.kind {
            case .value(let type):
                return shadowing[field.name] == nil ? [OutputColumn(name: field.name, type: type, source: .value(slot: slot))] : []
            case .entity(let table):
                let prefix = slot == primary ? "" : field.name + "."
                return catalog[table].columns.enumerated().map { index, column in
                    if slot == primary, let value = shadowing[column.name], case .value(let type) = fields[value].kind {
                        return OutputColumn(name: column.name, type: type, source: .value(slot: value))
                    }
                    return OutputColumn(name: prefix + column.name, type: column.type, source: .column(slot: slot, column: index))
                }
            }
        }
    }
}

extension Scope.Field {
    var isEntity: Bool { if case .entity = kind { true } else { false } }
}
