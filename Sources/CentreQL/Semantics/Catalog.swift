/// The schema of the store: tables, their columns and the links between them.
public struct TableSchema: Sendable, Equatable, Codable {
    public let name: String
    public let summary: String
    public let columns: [ColumnSchema]
    public let links: [LinkSchema]
    /// Indexes built when the data is loaded (besides the id and link indexes every table has).
    public var indexes: [IndexSchema] = []
    /// Whether a folder of CSV files may leave this table out (it is then empty), as it may the
    /// description of where the data comes from.
    public var isOptional = false

    public init(name: String, summary: String = "", columns: [ColumnSchema], links: [LinkSchema] = [],
                indexes: [IndexSchema] = [], isOptional: Bool = false) {
        self.name = name
        self.summary = summary
        self.columns = columns
        self.links = links
        self.indexes = indexes
        self.isOptional = isOptional
    }

    public func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }
    public func link(_ name: String) -> LinkSchema? { links.first { $0.name == name } }
}

public struct ColumnSchema: Sendable, Equatable, Codable {
    public let name: String
    public let type: ValueType
    public let summary: String
    /// The values the column may hold besides null; a load with any other value is refused.
    public var domain: Domain = .any
    /// Where its values come from (nil: not stated, as for a user's own data).
    public var origin: Origin?
    /// For a figure column: the unit as the source words it (人, 人次, 场, …) and what the count
    /// covers (`cumulative`, `per year`, `as of …`); nil where the source does not say.
    public var unit: String?
    public var scope: String?

    public init(name: String, type: ValueType, summary: String = "", domain: Domain = .any,
                origin: Origin? = nil, unit: String? = nil, scope: String? = nil) {
        self.name = name
        self.type = type
        self.summary = summary
        self.domain = domain
        self.origin = origin
        self.unit = unit
        self.scope = scope
    }

    var domainIsAny: Bool { if case .any = domain { true } else { false } }
}

/// Where a column's values come from: the source's own words and figures, exactly as written, or
/// added by the data's authors (a number, a translation, a classification) by the rule it states.
public enum Origin: Sendable, Equatable, Codable {
    case source
    case added(rule: String)
}

/// The values a column admits: loading checks them, so a typo in a spreadsheet (a rank of 0, a
/// negative count, a misspelt town kind) is refused with its line instead of skewing answers.
public enum Domain: Sendable, Equatable, Codable {
    case any
    /// Whole numbers, or figures, no smaller than this.
    case atLeast(Int)
    case between(Int, Int)
    case oneOf([String])

    public func admits(_ value: Value) -> Bool {
        switch (self, value) {
        case (.any, _), (_, .null): true
        case (.atLeast(let low), .int(let n)): n >= low
        case (.atLeast(let low), .figure(let f)): f.amount >= Double(low)
        case (.between(let low, let high), .int(let n)): n >= low && n <= high  // (no range made: a schema read from a file may have them crossed)
        case (.oneOf(let allowed), .string(let text)): allowed.contains(text)
        default: false
        }
    }

    public var description: String {
        switch self {
        case .any: "any value"
        case .atLeast(let low): "at least \(low)"
        case .between(let low, let high): "between \(low) and \(high)"
        case .oneOf(let allowed): "one of " + allowed.joined(separator: ", ")
        }
    }
}

/// An index on one or more columns: hash for equality, ordered for ranges (and equality).
public struct IndexSchema: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable { case hash, ordered }
    public let columns: [String]
    public let kind: Kind

    public init(columns: [String], kind: Kind) {
        self.columns = columns
        self.kind = kind
    }

    public var name: String { columns.joined(separator: "_") }
}

/// A link from a row to the rows of another table that it names (or that name it).
public struct LinkSchema: Sendable, Equatable, Codable {
    public enum Kind: Sendable, Hashable, Codable {
        /// This row's `column` holds the id of one row of the target.
        case toOne(column: String)
        /// The target's rows whose `column` holds this row's id.
        case toMany(column: String)
    }
    public let name: String
    public let target: String
    public let kind: Kind

    public init(name: String, target: String, kind: Kind) {
        self.name = name
        self.target = target
        self.kind = kind
    }

    public var isToMany: Bool { if case .toMany = kind { true } else { false } }
}

/// The schema as a value: the tables a store holds, their columns, links, indexes and domains.
/// The checker, the loaders, completion, help and the SQL schema all read it from the store, so a
/// store with another schema (a test's small one, later a user's tables) needs no code of its own.
public struct Catalog: Sendable, Equatable {
    public let tables: [TableSchema]

    /// Checks that the tables fit together: names unique, links naming a table and an int column
    /// that exist, indexes on existing columns.
    public init(_ tables: [TableSchema]) throws(SchemaError) {
        func fail(_ reason: String) -> SchemaError { SchemaError(reason: reason) }
        var names = Set<String>()
        for table in tables {
            guard names.insert(table.name).inserted else { throw fail("two tables are named \(table.name)") }
            var columnNames = Set<String>()
            for column in table.columns where !columnNames.insert(column.name).inserted {
                throw fail("\(table.name) has two columns named \(column.name)")
            }
            if let id = table.columnIndex("id"), table.columns[id].type != .int { throw fail("\(table.name).id must be an int") }
            for column in table.columns {
                if case .between(let low, let high) = column.domain, low > high {
                    throw fail("\(table.name).\(column.name) must be between \(low) and \(high), which no value is")
                }
            }
            for index in table.indexes {
                for column in index.columns where table.columnIndex(column) == nil {
                    throw fail("the index \(index.name) of \(table.name) names no column \(column)")
                }
            }
        }
        for table in tables {
            for link in table.links {
                guard let target = tables.first(where: { $0.name == link.target }) else {
                    throw fail("the link \(table.name).\(link.name) names no table \(link.target)")
                }
                let (holder, column) = switch link.kind {
                case .toOne(let column): (table, column)
                case .toMany(let column): (target, column)
                }
                guard let c = holder.columnIndex(column), holder.columns[c].type == .int else {
                    throw fail("the link \(table.name).\(link.name) needs an int column \(holder.name).\(column)")
                }
                let idHolder = link.isToMany ? table : target
                guard idHolder.columnIndex("id") != nil else {
                    throw fail("the link \(table.name).\(link.name) needs an id column in \(idHolder.name)")
                }
            }
        }
        self.tables = tables
    }

    public func table(named name: String) -> TableSchema? { tables.first { $0.name == name } }
    public func tableIndex(_ name: String) -> Int? { tables.firstIndex { $0.name == name } }
    public var tableNames: [String] { tables.map(\.name) }
    subscript(table: Int) -> TableSchema { tables[table] }
}

public struct SchemaError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { "the schema is inconsistent: " + reason }
}
