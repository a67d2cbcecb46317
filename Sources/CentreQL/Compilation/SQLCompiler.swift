/// Compiles a checked pipeline to one SQL statement, for SQLite or PostgreSQL, that means exactly
/// what the pipeline means.
///
/// Each stage becomes a CTE named after it (`s1_where`, `s2_select`, …) selecting from the one
/// before, so the SQL reads in the pipeline's order. Rows of a table carry its columns as they are
/// stored (an entity joined in, as `alias.column`). Every CTE carries `_ord`, the row's place in
/// CentreQL's order (table order, then `sort`; first appearance for `group` and `distinct`), and
/// the final SELECT orders by it. How CentreQL's rules are kept:
/// - `==` and `!=` are two-valued (`IS` / `IS NOT DISTINCT FROM`); `<` and the text predicates are
///   false, not null, when a side is null; `and`, `or` and `not` treat null as false.
/// - A figure is two columns, the amount and `<name>_qualifier` ('' exact, 近, 余, 约, 近余);
///   arithmetic and `sum` combine qualifiers as CentreQL does.
/// - Links are correlated subqueries on the id, so a to-many link never multiplies rows.
/// - Parameters stay parameters (`?` or `$1`); no value is ever pasted into the text.
/// - `/` always gives a decimal and dividing by zero gives null; nulls sort last (first with
///   `desc`); text sorts by code point.
/// What a dialect cannot say is a compile error (E601) naming the construct, never wrong SQL.
public enum SQLDialect: String, Sendable, CaseIterable {
    case sqlite, postgres
}

/// A query compiled to SQL: the text, the parameters its placeholders stand for (`?1`/`$1` is the first), and the
/// columns it returns (a figure as two SQL columns: amount, then qualifier).
public struct CompiledQuery: Sendable {
    public let sql: String
    public let parameters: [String]
    public let columns: [ResultColumn]
    /// The checker's notes on the statement, shown as the in-memory engine shows them.
    public var notes: [Diagnostic] = []

    public init(sql: String, parameters: [String], columns: [ResultColumn]) {
        self.sql = sql
        self.parameters = parameters
        self.columns = columns
    }

    /// One result row from an engine's SQL columns: `field(i, type)` reads SQL column `i` as a value
    /// of `type` (null if it is NULL); a figure takes two columns, its amount and its qualifier.
    public func row(_ field: (Int32, ValueType) throws -> Value) rethrows -> [Value] {
        var index: Int32 = 0
        var row: [Value] = []
        for column in columns {
            if column.type == .figure {
                let amount = try field(index, .decimal).number
                let qualifier = try field(index + 1, .string)
                let text = if case .string(let q) = qualifier { q } else { "" }
                row.append(amount.map { .figure(Figure($0, Qualifier(rawValue: text) ?? .about)) } ?? .null)
                index += 2
            } else {
                row.append(try field(index, column.type))
                index += 1
            }
        }
        return row
    }
}

struct SQLCompiler {
    let dialect: SQLDialect
    /// What the dialect spells its own way.
    let rules: any DialectRules
    let range: SourceRange
    private(set) var parameters: [String] = []
    private var ctes: [String] = []
    private var aliases = 0
    /// In `derive` and `select`, where an aggregate ranges over all the rows and window functions
    /// read their order: what goes inside each `OVER (…)` before its ORDER BY (a PARTITION BY, or
    /// nothing). Nil in `group`, where aggregates are the group's.
    private var window: String?

    /// The schema the tables the query reads belong to.
    let catalog: Catalog

    init(dialect: SQLDialect, catalog: Catalog, range: SourceRange) {
        self.dialect = dialect
        self.catalog = catalog
        self.rules = dialect.rules
        self.range = range
    }

    /// An expression in SQL; a figure also has the SQL of its qualifier.
    struct SQL {
        var text: String
        var qualifier: String?
        init(_ text: String, qualifier: String? = nil) { self.text = text; self.qualifier = qualifier }
    }

    /// How a row's slots read in the current SELECT: the CTE's alias and the scope of its rows.
    struct Row {
        let alias: String
        let scope: Scope
    }

    mutating func compile(_ pipeline: BoundPipeline) throws(Diagnostic) -> CompiledQuery {
        let (previous, scope) = try chain(pipeline, prefix: "")
        // Each column under the name the user gave it; the order column is read from the CTE by its
        // qualified name, so a result column the user named `_ord` cannot stand in for it.
        let output = zip(Self.columns(of: scope), Self.columns(of: scope, mangled: false)).map { sql, shown in
            sql.sql == shown.sql ? quoted(sql.sql) : quoted(sql.sql) + " AS " + quoted(shown.sql)
        }
        let sql = "WITH\n" + ctes.joined(separator: ",\n") + "\nSELECT " + output.joined(separator: ", ")
            + "\nFROM \(previous)\nORDER BY \(previous)._ord"
        return CompiledQuery(sql: sql, parameters: parameters,
                             columns: scope.outputColumns.map { ResultColumn(name: $0.name, type: $0.type) })
    }

    /// A pipeline's stages as CTEs named `<prefix>s<n>_<stage>`, each selecting from the one
    /// before; the last one's name and the scope of its rows. A pipeline inside another (`in (…)`,
    /// `append (…)`) has a prefix of its own.
    private mutating func chain(_ pipeline: BoundPipeline, prefix: String) throws(Diagnostic) -> (String, Scope) {
        // An inner pipeline's aggregates are its own, whatever stage of the outer one holds it.
        let outer = window
        window = nil
        defer { window = outer }
        let table = catalog[pipeline.sourceTable]
        var scope = Scope.table(pipeline.sourceTable, in: catalog)
        var previous = "\(prefix)s0_\(table.name)"
        // Table order: by id, or for a table without ids, the order rows were inserted in.
        let order = table.columnIndex("id") != nil ? "t.id" : rules.insertionOrder
        ctes.append("\(previous) AS (\n  SELECT \(order) AS _ord, t.*\n  FROM \(table.name) AS t\n)")
        for (number, checked) in pipeline.stages.enumerated() {
            // Named by the stage's kind, never by its text: no identifier the compiler writes comes from the user.
            let name = "\(prefix)s\(number + 1)_\(checked.name.rawValue)"
            let body = try stage(checked.stage, from: previous, scope: scope, output: checked.scope)
            ctes.append("\(name) AS (\n\(body)\n)")
            previous = name
            scope = checked.scope
        }
        return (previous, scope)
    }

    // MARK: Stages

    private mutating func stage(_ stage: BoundStage, from previous: String, scope: Scope, output: Scope) throws(Diagnostic) -> String {
        let row = Row(alias: "p", scope: scope)
        let all = Self.columns(of: scope).map { "p." + quoted($0.sql) }.joined(separator: ", ")
        switch stage {
        case .where(let conjuncts):
            let condition = try truth(.all(conjuncts), row)
            return "  SELECT p.*\n  FROM \(previous) AS p\n  WHERE \(condition)"

        case .select(let fields):
            window = ""
            defer { window = nil }
            return "  SELECT p._ord, " + (try fieldList(fields, row)) + "\n  FROM \(previous) AS p"

        case .derive(let fields, let replacing):
            if let table = scope.primaryTable,
               fields.enumerated().contains(where: { replacing[$0.offset] == nil && catalog[table].columnIndex($0.element.name) != nil }) {
                throw unsupported("a derived column named like a column of \(catalog[table].name) (give it another name)")
            }
            window = ""
            defer { window = nil }
            var kept: [String] = []
            for (slot, field) in scope.fields.enumerated() where !replacing.contains(slot) {
                kept += Self.columns(of: scope.replacing(fields: [field], primary: slot == scope.primary ? 0 : nil)).map { "p." + quoted($0.sql) }
            }
            // All fields are one SELECT over the rows before: a field that reads an earlier one of
            // this derive reads its expression instead, and a slot given twice keeps the last.
            var derived: [Int: BoundExpression] = [:]
            var targets: [Int] = []
            var last: [Int: BoundField] = [:]
            var width = scope.fields.count
            for (field, replaced) in zip(fields, replacing) {
                let target = replaced ?? width
                if replaced == nil { width += 1 }
                let expression = DeriveInlining.substitute(field.expression, derived) ?? field.expression
                derived[target] = expression
                if last[target] == nil { targets.append(target) }
                last[target] = BoundField(name: field.name, expression: expression)
            }
            return "  SELECT p._ord, " + (kept + [try fieldList(targets.map { last[$0]! }, row)]).joined(separator: ", ") + "\n  FROM \(previous) AS p"

        case .group(let keys, let aggregates):
            // Each key is compiled once: selected under its name, and grouped on (with its qualifier).
            var keyColumns: [String] = []
            var selectedKeys: [String] = []
            for key in keys {
                let value = try expression(key.expression, row)
                keyColumns.append(value.text)
                selectedKeys.append(select(value, as: key))
                if let qualifier = value.qualifier { keyColumns.append(qualifier) }
            }
            let selected = (selectedKeys + (aggregates.isEmpty ? [] : [try fieldList(aggregates, row)])).joined(separator: ", ")
            return "  SELECT MIN(p._ord) AS _ord, \(selected)\n  FROM \(previous) AS p"
                + (keyColumns.isEmpty ? "" : "\n  GROUP BY " + keyColumns.joined(separator: ", "))

        case .sort(let keys):
            var order = try orderTerms(keys, row)
            order.append("p._ord")
            return "  SELECT ROW_NUMBER() OVER (ORDER BY \(order.joined(separator: ", "))) AS _ord, \(all)\n  FROM \(previous) AS p"

        case .take(let count):
            var n = try expression(count, row).text
            // As in memory, a count below 0 or null takes nothing (SQLite's LIMIT -1 is "no limit").
            if case .constant(.int(let literal)) = count.node { n = String(max(0, literal)) } else {
                n = "COALESCE(\(rules.greatest("0", n)), 0)"
            }
            return "  SELECT p.*\n  FROM \(previous) AS p\n  ORDER BY p._ord\n  LIMIT \(n)"

        case .groupEach:
            throw unsupported("a pipeline per group (group … (…))")

        case .explode:
            throw unsupported("explode (a list as rows)")

        case .unpivot(let kept, let columns, let names, let type):
            // Each output column's SQL columns (a figure's amount and qualifier), in and out.
            func perColumn(_ scope: Scope) -> [[(sql: String, type: ValueType)]] {
                var grouped: [[(sql: String, type: ValueType)]] = []
                var pendingQualifier = false
                for column in Self.columns(of: scope) {
                    if pendingQualifier { grouped[grouped.count - 1].append(column); pendingQualifier = false; continue }
                    grouped.append([column])
                    pendingQualifier = column.type == .figure
                }
                return grouped
            }
            let (inputs, outputs) = (perColumn(scope), perColumn(output))
            var branches: [String] = []
            for (number, (column, name)) in zip(columns, names).enumerated() {
                var items = zip(kept, outputs).flatMap { k, out in zip(inputs[k], out).map { "p.\(quoted($0.sql)) AS \(quoted($1.sql))" } }
                items.append("\(try stringLiteral(name).text) AS \(quoted(outputs[kept.count][0].sql))")
                let source = inputs[column], value = outputs[kept.count + 1]
                let amount = "p.\(quoted(source[0].sql))"
                items.append((type == .decimal && source[0].type == .int ? "CAST(\(amount) AS \(realType))" : amount) + " AS \(quoted(value[0].sql))")
                if type == .figure { items.append((source.count > 1 ? "p.\(quoted(source[1].sql))" : "''") + " AS \(quoted(value[1].sql))") }
                branches.append("SELECT p._ord AS _o, \(number) AS _i, " + items.joined(separator: ", ") + " FROM \(previous) AS p WHERE \(amount) IS NOT NULL")
            }
            let list = outputs.flatMap { $0 }.map { "u." + quoted($0.sql) }.joined(separator: ", ")
            return "  SELECT ROW_NUMBER() OVER (ORDER BY u._o, u._i) AS _ord, \(list)\n  FROM (" + branches.joined(separator: "\n        UNION ALL ") + ") AS u"

        case .combine(let operation, let other):
            let (otherName, otherScope) = try chain(other, prefix: nextPrefix())
            let outputs = Self.columns(of: output).map { quoted($0.sql) }
            // Both sides under the output's names, column by column (the checker matched them).
            let mine = zip(Self.columns(of: scope), outputs).map { "p.\(quoted($0.sql)) AS \($1)" }.joined(separator: ", ")
            let theirs = zip(Self.columns(of: otherScope), outputs).map { "q.\(quoted($0.sql)) AS \($1)" }.joined(separator: ", ")
            let list = outputs.map { "u." + $0 }.joined(separator: ", ")
            if operation == .append {
                return "  SELECT ROW_NUMBER() OVER (ORDER BY u._part, u._o) AS _ord, \(list)\n  FROM (SELECT 0 AS _part, p._ord AS _o, \(mine) FROM \(previous) AS p"
                    + "\n        UNION ALL SELECT 1, q._ord, \(theirs) FROM \(otherName) AS q) AS u"
            }
            let same = outputs.map { rules.same("v." + $0, "u." + $0) }.joined(separator: " AND ")
            return "  SELECT MIN(u._ord) AS _ord, \(list)\n  FROM (SELECT p._ord, \(mine) FROM \(previous) AS p) AS u"
                + "\n  WHERE \(operation == .except ? "NOT " : "")EXISTS (SELECT 1 FROM (SELECT \(theirs) FROM \(otherName) AS q) AS v WHERE \(same))"
                + "\n  GROUP BY \(list)"

        case .count:
            return "  SELECT 1 AS _ord, COUNT(*) AS \(quoted("count"))\n  FROM \(previous) AS p"

        case .distinct:
            return "  SELECT MIN(p._ord) AS _ord, \(all)\n  FROM \(previous) AS p\n  GROUP BY \(all)"

        case .join(let table, let condition, let keepsUnmatched):
            guard let joined = output.fields.last else { throw unsupported("this join") }
            let alias = nextAlias()
            let on = try truth(condition, Row(alias: "p", scope: output), joinedAlias: alias)
            var columns: [String] = []
            for column in catalog[table].columns {
                let names = column.type == .figure ? [column.name, column.name + "_qualifier"] : [column.name]
                for name in names { columns.append("\(alias).\(quoted(name)) AS \(quoted(Self.sqlName(joined.name) + "." + name))") }
            }
            return "  SELECT ROW_NUMBER() OVER (ORDER BY p._ord, \(alias).id) AS _ord, \(all), " + columns.joined(separator: ", ")
                + "\n  FROM \(previous) AS p\n  \(keepsUnmatched ? "LEFT JOIN" : "JOIN") \(catalog[table].name) AS \(alias) ON \(on)"
        }
    }

    /// The ORDER BY terms of sort keys: nulls last (sorted on `x IS NULL` first, false before
    /// true; `desc` turns both round, putting nulls first, as CentreQL does), text by code point.
    private mutating func orderTerms(_ keys: [BoundSortKey], _ row: Row) throws(Diagnostic) -> [String] {
        var order: [String] = []
        for key in keys {
            let compiled = try expression(key.expression, row)
            let value = compiled.text
            order.append("(\(value) IS NULL)" + (key.isDescending ? " DESC" : ""))
            order.append(ordered(value, key.type) + (key.isDescending ? " DESC" : ""))
            if let qualifier = compiled.qualifier { order.append(wording(qualifier) + (key.isDescending ? " DESC" : "")) }
        }
        return order
    }

    /// A window function over the rows in their order (`_ord`), within the partition if any.
    private mutating func windowFunction(_ function: WindowFunction, argument: BoundExpression?, offset: Int, keys: [BoundSortKey],
                                         _ row: Row) throws(Diagnostic) -> SQL {
        let partition = window ?? ""
        let inOrder = "OVER (\(partition)ORDER BY \(row.alias)._ord)"
        let value = try argument.map { (argument) throws(Diagnostic) in try expression(argument, row) }
        let v = value?.text ?? "NULL"
        switch function {
        case .row_number: return SQL("ROW_NUMBER() \(inOrder)")
        case .rank, .dense_rank:
            // In table order every row is its own rank.
            guard !keys.isEmpty else { return SQL("ROW_NUMBER() \(inOrder)") }
            let terms = try orderTerms(keys, row).joined(separator: ", ")
            return SQL("\(function == .rank ? "RANK" : "DENSE_RANK")() OVER (\(partition)ORDER BY \(terms))")
        case .lag, .lead:
            let name = function == .lag ? "LAG" : "LEAD"
            return SQL("\(name)(\(v), \(offset)) \(inOrder)", qualifier: value?.qualifier.map { "\(name)(\($0), \(offset)) \(inOrder)" })
        case .running_sum, .running_count, .running_avg, .running_min, .running_max:
            if value?.qualifier != nil { throw unsupported("\(function.rawValue) of a figure (its qualifier)") }
            let frame = "OVER (\(partition)ORDER BY \(row.alias)._ord ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
            switch function {
            case .running_sum: return SQL("SUM(\(v)) \(frame)")
            case .running_count: return SQL("COUNT(\(v)) \(frame)")
            case .running_avg: return SQL("AVG(CAST(\(v) AS \(realType))) \(frame)")
            case .running_min: return SQL("MIN(\(ordered(v, argument?.type))) \(frame)")
            default: return SQL("MAX(\(ordered(v, argument?.type))) \(frame)")
            }
        }
    }

    private mutating func fieldList(_ fields: [BoundField], _ row: Row) throws(Diagnostic) -> String {
        var items: [String] = []
        for field in fields { items.append(select(try expression(field.expression, row), as: field)) }
        return items.joined(separator: ", ")
    }

    /// A compiled value under a field's name (a figure: its qualifier too, as `<name>_qualifier`).
    private func select(_ value: SQL, as field: BoundField) -> String {
        "\(value.text) AS \(quoted(Self.sqlName(field.name)))"
            + (field.type == .figure ? ", \(value.qualifier ?? "''") AS \(quoted(Self.sqlName(field.name) + "_qualifier"))" : "")
    }

    /// The SQL columns of a scope's rows, in output order: a value slot is its name, an entity slot
    /// its table's columns (prefixed with the slot's name unless it is the primary one); a figure
    /// also has `<name>_qualifier`. With `mangled`, value names as the CTEs carry them (`sqlName`).
    static func columns(of scope: Scope, mangled: Bool = true) -> [(sql: String, type: ValueType)] {
        func named(_ name: String, _ type: ValueType) -> [(sql: String, type: ValueType)] {
            [(name, type)] + (type == .figure ? [(name + "_qualifier", .string)] : [])
        }
        return scope.fields.enumerated().flatMap { slot, field -> [(sql: String, type: ValueType)] in
            switch field.kind {
            case .value(let type): return named(mangled ? sqlName(field.name) : field.name, type)
            case .entity(let table):
                let prefix = slot == scope.primary ? "" : (mangled ? sqlName(field.name) : field.name) + "."
                return scope.catalog[table].columns.flatMap { named(prefix + $0.name, $0.type) }
            }
        }
    }

    /// The name a value (or joined row) the user named `name` has inside the SQL, so that no two
    /// names meet there: the compiler's own columns are `_ord` and `<figure>_qualifier`; SQLite
    /// reads "true" and "false" as booleans even quoted (the fuzzer found `centres | select true`
    /// false there) and compares names without case, where CentreQL tells `True` from `true`. A name
    /// that starts with `_`, ends in `_qualifier`, is true or false, or has a capital letter is
    /// carried as `_f_` and the name with each capital written `^` and its small letter (`True` is
    /// `_f_^true`); names cannot hold `^`, so no two meet, with or without case.
    static func sqlName(_ name: String) -> String {
        let special = ["true", "false"].contains(name.lowercased()) || name.hasPrefix("_") || name.hasSuffix("_qualifier")
        let capitals = name.contains { $0.isUppercase }
        guard special || capitals else { return name }
        return "_f_" + name.map { $0.isUppercase ? "^" + $0.lowercased() : String($0) }.joined()
    }

    // MARK: Expressions

    /// A condition as SQL that is true or false, never null (CentreQL's `where` and `and`).
    private mutating func truth(_ expression: BoundExpression, _ row: Row, joinedAlias: String? = nil) throws(Diagnostic) -> String {
        "COALESCE(\(try self.expression(expression, row, joinedAlias: joinedAlias).text), \(falseLiteral))"
    }

    private mutating func expression(_ expression: BoundExpression, _ row: Row, joinedAlias: String? = nil) throws(Diagnostic) -> SQL {
        switch expression.node {
        case .constant(let value):
            return try literal(value)
        case .parameter(let name):
            // Numbered placeholders, one number per parameter: a parameter may appear more than once
            // in the text (`starts_with` reads its argument twice).
            if !parameters.contains(name) { parameters.append(name) }
            let number = parameters.firstIndex(of: name)! + 1
            let type = switch expression.type {
            case .int: "BIGINT"
            case .decimal: "DOUBLE PRECISION"
            case .bool: "BOOLEAN"
            case .date: "DATE"
            default: "TEXT"
            }
            return SQL(rules.placeholder(number, type: type))
        case .slot(let slot):
            let field = row.scope.fields[slot]
            let name = Self.sqlName(field.name)
            return SQL("\(row.alias).\(quoted(name))", qualifier: expression.type == .figure ? "\(row.alias).\(quoted(name + "_qualifier"))" : nil)
        case .column(let reference, let table, let column):
            return try self.column(reference, table: table, column: column, row, joinedAlias: joinedAlias)
        case .list:
            throw unsupported("a list value outside `in`")
        case .negate(let operand):
            let value = try self.expression(operand, row, joinedAlias: joinedAlias)
            return SQL("(-\(value.text))", qualifier: value.qualifier)
        case .not(let operand):
            return SQL("(NOT \(try truth(operand, row, joinedAlias: joinedAlias)))")
        case .binary(let op, let left, let right, _):
            return try binary(op, left, right, row, joinedAlias: joinedAlias)
        case .function(let function, let arguments, _):
            return try call(function, arguments, row, joinedAlias: joinedAlias)
        case .matches:
            throw unsupported("a regular expression (matches)")
        case .linkAggregate(let function, let from, let link, let argument, let filter, let option):
            return try linkAggregate(function, from: from, link: link, argument: argument, filter: filter, option: option, row, joinedAlias: joinedAlias)
        case .groupAggregate(let function, let argument, let filter, let option):
            return try groupAggregate(function, argument: argument, filter: filter, option: option, row, joinedAlias: joinedAlias)
        case .marked:
            throw unsupported("a plan's marked condition")  // plans hold it; SQL is compiled from the bound tree
        case .subquery, .subqueryList:
            throw unsupported("a pipeline as a list outside `in`")
        case .window(let function, let argument, let offset, let keys, _):
            return try windowFunction(function, argument: argument, offset: offset, keys: keys, row)
        case .conditional(let condition, let then, let otherwise):
            let test = try truth(condition, row, joinedAlias: joinedAlias)
            let (a, b) = (try self.expression(then, row, joinedAlias: joinedAlias), try self.expression(otherwise, row, joinedAlias: joinedAlias))
            let qualifier = a.qualifier == nil && b.qualifier == nil ? nil
                : "(CASE WHEN \(test) THEN \(a.qualifier ?? "NULL") ELSE \(b.qualifier ?? "NULL") END)"
            return SQL("(CASE WHEN \(test) THEN \(a.text) ELSE \(b.text) END)", qualifier: qualifier)
        case .exactFigure(let number):
            let value = try self.expression(number, row, joinedAlias: joinedAlias)
            return SQL("CAST(\(value.text) AS \(realType))", qualifier: "(CASE WHEN \(value.text) IS NULL THEN NULL ELSE '' END)")
        }
    }

    private func literal(_ value: Value) throws(Diagnostic) -> SQL {
        switch value {
        case .null: return SQL("NULL")
        case .bool(let b): return SQL(b ? trueLiteral : falseLiteral)
        case .int(let i): return SQL(String(i))
        case .decimal(let d): return SQL(d.isFinite ? "\(d)" : "NULL")
        case .string(let s): return try stringLiteral(s)
        case .figure(let f): return SQL("\(f.amount)", qualifier: "'\(f.qualifier.rawValue)'")
        case .list: throw unsupported("a list value outside `in`")
        case .date: return SQL(rules.date(value.description))
        }
    }

    /// A text literal that means the same text whatever the server's settings (the dialect's rules).
    private func stringLiteral(_ text: String) throws(Diagnostic) -> SQL {
        guard let literal = rules.text(text) else { throw unsupported("text containing the NUL character (U+0000)") }
        return SQL(literal)
    }

    /// A column of a row reached from the current one: read directly, or through to-one links as
    /// subqueries on the id (one row at most, so nothing is multiplied).
    private mutating func column(_ reference: RowReference, table: Int, column: Int, _ row: Row, joinedAlias: String?) throws(Diagnostic) -> SQL {
        let schema = catalog[table].columns[column]
        let qualifierName = schema.name + "_qualifier"
        switch reference {
        case .slot(let slot):
            let field = row.scope.fields[slot]
            if let joinedAlias, slot == row.scope.fields.count - 1 {  // the row being joined: a table alias
                return SQL("\(joinedAlias).\(quoted(schema.name))", qualifier: schema.type == .figure ? "\(joinedAlias).\(quoted(qualifierName))" : nil)
            }
            let prefix = slot == row.scope.primary ? "" : Self.sqlName(field.name) + "."
            return SQL("\(row.alias).\(quoted(prefix + schema.name))",
                       qualifier: schema.type == .figure ? "\(row.alias).\(quoted(prefix + qualifierName))" : nil)
        case .follow(let base, let link):
            guard let foreignKey = link.foreignKey else { throw unsupported("this link") }
            let key = try self.column(base, table: link.table, column: foreignKey, row, joinedAlias: joinedAlias).text
            let alias = nextAlias()
            let target = catalog[link.target].name
            let quote = quoted
            let read = { (name: String) in "(SELECT \(alias).\(quote(name)) FROM \(target) AS \(alias) WHERE \(alias).id = \(key))" }
            return SQL(read(schema.name), qualifier: schema.type == .figure ? read(qualifierName) : nil)
        }
    }

    private mutating func binary(_ op: BinaryOperator, _ left: BoundExpression, _ right: BoundExpression, _ row: Row,
                                 joinedAlias: String?) throws(Diagnostic) -> SQL {
        let l = try expression(left, row, joinedAlias: joinedAlias)
        let r = op == .in ? SQL("") : try expression(right, row, joinedAlias: joinedAlias)
        let isOrdering = op.isComparison && op != .equal && op != .notEqual
        let (a, b) = isOrdering ? (ordered(l.text, left.type), ordered(r.text, right.type)) : (l.text, r.text)
        let no = falseLiteral
        let never = { (condition: String) in SQL("COALESCE(\(condition), \(no))") }
        // A figure's wording decides between equal amounts (`Qualifier.order`), as in memory.
        if op.isComparison, l.qualifier != nil || r.qualifier != nil {
            let (p, q) = (wording(l.qualifier), wording(r.qualifier))
            switch op {
            case .equal: return SQL("(\(rules.same(a, b)) AND \(p) = \(q))")
            case .notEqual: return SQL("(\(rules.notSame(a, b)) OR \(p) <> \(q))")
            default:
                let symbol = op.rawValue
                return never("(\(a) \(symbol.prefix(1)) \(b) OR (\(a) = \(b) AND \(p) \(symbol) \(q)))")
            }
        }
        switch op {
        case .and: return SQL("(COALESCE(\(a), \(falseLiteral)) AND COALESCE(\(b), \(falseLiteral)))")
        case .or: return SQL("(COALESCE(\(a), \(falseLiteral)) OR COALESCE(\(b), \(falseLiteral)))")
        case .equal: return SQL(rules.same(a, b))
        case .notEqual: return SQL(rules.notSame(a, b))
        case .less: return never("(\(a) < \(b))")
        case .lessEqual: return never("(\(a) <= \(b))")
        case .greater: return never("(\(a) > \(b))")
        case .greaterEqual: return never("(\(a) >= \(b))")
        case .in:
            if case .subquery(let inner) = right.node {
                let (name, scope) = try chain(inner, prefix: nextPrefix())
                let columns = Self.columns(of: scope)
                guard let column = columns.first else { throw unsupported("this list") }
                var same = rules.same("q." + quoted(column.sql), a)
                if l.qualifier != nil || column.type == .figure {
                    same += " AND \(wording(l.qualifier)) = \(wording(column.type == .figure ? "q." + quoted(columns[1].sql) : nil))"
                }
                return SQL("EXISTS (SELECT 1 FROM \(name) AS q WHERE \(same))")
            }
            guard case .list(let items) = right.node, !items.contains(where: { if case .constant(.null) = $0.node { true } else { false } }) else {
                throw unsupported("`in` with null in the list")
            }
            var parts: [String] = []
            for item in items { parts.append(try expression(item, row, joinedAlias: joinedAlias).text) }
            // The list's numbers are exact: a qualified figure is none of them.
            let exact = l.qualifier.map { " AND \(wording($0)) = \(Qualifier.exact.order)" } ?? ""
            return items.isEmpty ? SQL(falseLiteral) : never("(\(a) IN (\(parts.joined(separator: ", ")))\(exact))")
        case .contains:
            return never(rules.contains(a, b))
        case .startsWith:
            return never("(substr(\(a), 1, length(\(b))) = \(b))")
        case .endsWith:
            return never(rules.endsWith(a, b))
        case .matches:
            throw unsupported("a regular expression (matches)")
        case .coalesce:
            let qualifier = l.qualifier.map { "CASE WHEN \(a) IS NULL THEN \(r.qualifier ?? "''") ELSE \($0) END" }
            return SQL("COALESCE(\(a), \(b))", qualifier: qualifier)
        case .concatenate:
            return SQL("(\(a) || \(b))")
        case .add, .subtract, .multiply:
            let symbol = op.rawValue
            let qualifier = l.qualifier != nil || r.qualifier != nil ? combined(l.qualifier ?? "''", r.qualifier ?? "''") : nil
            return SQL("(\(a) \(symbol) \(b))", qualifier: qualifier)
        case .divide:
            let qualifier = l.qualifier != nil || r.qualifier != nil ? combined(l.qualifier ?? "''", r.qualifier ?? "''") : nil
            return SQL("(CAST(\(a) AS \(realType)) / NULLIF(\(b), 0))", qualifier: qualifier)
        case .remainder:
            return SQL("(\(a) % NULLIF(\(b), 0))")
        case .addDays:
            return SQL(rules.addingDays(a, b))
        case .subtractDays:
            return SQL(rules.addingDays(a, "(-\(b))"))
        case .daysBetween:
            return SQL(rules.daysBetween(a, b))
        }
    }

    /// CentreQL's qualifier of a sum or difference: agreeing ones survive, exact gives way, others say 约.
    private func combined(_ a: String, _ b: String) -> String {
        "(CASE WHEN \(a) IS NULL OR \(b) IS NULL THEN NULL WHEN \(a) = \(b) OR \(b) = '' THEN \(a) WHEN \(a) = '' THEN \(b) ELSE '约' END)"
    }

    private mutating func call(_ function: ScalarFunction, _ arguments: [BoundExpression], _ row: Row,
                               joinedAlias: String?) throws(Diagnostic) -> SQL {
        let types = arguments.map(\.type)
        var values: [SQL] = []
        for argument in arguments { values.append(try expression(argument, row, joinedAlias: joinedAlias)) }
        let a = values.first?.text ?? "NULL"
        switch function {
        // CentreQL counts characters as a reader does and maps case by Unicode's rules; SQLite is
        // given these as its own functions (CentreQLSQLite registers them), PostgreSQL's differ.
        case .lower, .upper, .length:
            guard rules.hasCentreQLsTextFunctions else { throw unsupported("\(function.rawValue) (\(rules.name) counts and maps case differently outside ASCII)") }
            return SQL("\(function.rawValue)(\(a))")
        case .abs: return SQL("abs(\(a))", qualifier: values.first?.qualifier)
        case .round:
            // SQLite's round takes no negative digits: round to tens or hundreds by scaling.
            if arguments.count > 1, case .constant(.int(let digits)) = arguments[1].node, digits < 0 {
                let scale = "1e\(min(-digits, 308))"  // past 1e308 it would be infinity (and 0 × inf null); every finite value rounds to 0 there anyway
                return SQL("(round(CAST(\(a) AS \(realType)) / \(scale)) * \(scale))", qualifier: values.first?.qualifier)
            }
            guard arguments.count == 1 || { if case .constant = arguments[1].node { true } else { false } }() else {
                throw unsupported("round with digits that are not a literal")
            }
            let digits = values.count > 1 ? values[1].text : "0"
            return SQL("round(CAST(\(a) AS \(rules.roundingType)), \(digits))", qualifier: values.first?.qualifier)
        case .coalesce:
            // A figure's qualifier comes from the first argument that is present.
            let qualifier = values.contains { $0.qualifier != nil }
                ? "(CASE " + values.map { "WHEN \($0.text) IS NOT NULL THEN \($0.qualifier ?? "''") " }.joined() + "END)" : nil
            return SQL("COALESCE(" + values.map(\.text).joined(separator: ", ") + ")", qualifier: qualifier)
        case .qualifier:  // null for a missing figure, '' for an exact one or any other number
            return SQL(values.first?.qualifier ?? "(CASE WHEN \(a) IS NULL THEN NULL ELSE '' END)")
        case .amount: return SQL("CAST(\(a) AS \(realType))")
        case .contains, .starts_with, .ends_with:
            let op: BinaryOperator = function == .contains ? .contains : (function == .starts_with ? .startsWith : .endsWith)
            return try binary(op, arguments[0], arguments[1], row, joinedAlias: joinedAlias)
        case .matches: throw unsupported("a regular expression (matches)")
        case .replace:
            return SQL("replace(\(a), \(values[1].text), \(values[2].text))")
        case .slice:
            guard rules.hasCentreQLsTextFunctions else { throw unsupported("slice (\(rules.name) counts characters differently outside ASCII)") }
            return SQL("centreql_slice(" + values.map(\.text).joined(separator: ", ") + ")")
        case .trim:
            let characters = try stringLiteral(String(String.UnicodeScalarView(ScalarFunctions.whiteSpace))).text
            return SQL(rules.trim(a, characters))
        case .text:
            switch types[0] {
            case .string, .null: return SQL(a)
            case .int: return SQL("CAST(\(a) AS TEXT)")
            case .bool: return SQL("(CASE WHEN \(a) THEN 'true' WHEN NOT \(a) THEN 'false' END)")
            case .date: return SQL(rules.dateText(a))
            case .decimal, .figure, .list: throw unsupported("text of \(types[0].withArticle) (SQL writes numbers its own way)")
            }
        case .split: throw unsupported("split (a list as a value)")
        case .date: return SQL(types[0] == .date ? a : rules.date(readingStartOf: a))
        case .year, .month, .day: return SQL(rules.datePart(function, of: a))
        case .greatest, .least:
            if values.contains(where: { $0.qualifier != nil }) { throw unsupported("\(function.rawValue) of figures (their qualifiers)") }
            let texts = zip(values, types).map { types.contains(.string) && $1 != .null ? rules.byCodePoint($0.text) : $0.text }
            return SQL(rules.extreme(greatest: function == .greatest, texts))
        }
    }

    /// An aggregate over the rows a to-many link reaches: a subquery over the target table.
    private mutating func linkAggregate(_ function: AggregateFunction, from: RowReference, link: LinkPath, argument: BoundExpression?,
                                        filter: BoundExpression?, option: Value, _ row: Row, joinedAlias: String?) throws(Diagnostic) -> SQL {
        guard case .toMany(let column) = catalog[link.table].links[link.position].kind,
              let idColumn = catalog[link.table].columnIndex("id") else { throw unsupported("this link") }
        let id = try self.column(from, table: link.table, column: idColumn, row, joinedAlias: joinedAlias).text
        let alias = nextAlias()
        let target = catalog[link.target].name
        let linked = Row(alias: alias, scope: .table(link.target, in: catalog))
        var conditions = ["\(alias).\(quoted(column)) = \(id)"]
        if let filter { conditions.append(try truth(filter, linked)) }
        let value = try argument.map { (argument) throws(Diagnostic) in try expression(argument, linked) }
        let from = "FROM \(target) AS \(alias) WHERE " + conditions.joined(separator: " AND ")
        return try aggregate(function, value, of: argument?.type, option: option, order: "\(alias).id", from: from)
    }

    /// An aggregate over the rows of a group: `filter` becomes a CASE inside it.
    private mutating func groupAggregate(_ function: AggregateFunction, argument: BoundExpression?, filter: BoundExpression?,
                                         option: Value, _ row: Row, joinedAlias: String?) throws(Diagnostic) -> SQL {
        var value = try argument.map { (argument) throws(Diagnostic) in try expression(argument, row, joinedAlias: joinedAlias) }
        if let filter {
            let condition = try truth(filter, row, joinedAlias: joinedAlias)
            let inner = value ?? SQL("1")
            value = SQL("CASE WHEN \(condition) THEN \(inner.text) END", qualifier: inner.qualifier.map { "CASE WHEN \(condition) THEN \($0) END" })
        }
        return try aggregate(function, value, of: argument?.type, option: option, order: "\(row.alias)._ord", from: nil)
    }

    /// The aggregate itself; with `from`, as a scalar subquery over those rows. `order` is the
    /// rows' order, which `string_agg` follows.
    private func aggregate(_ function: AggregateFunction, _ value: SQL?, of type: ValueType?, option: Value, order: String,
                           from: String?) throws(Diagnostic) -> SQL {
        // Over all the rows of a derive or select: the aggregate as a window over them.
        let over = from == nil ? window.map { " OVER (\($0.trimmingSpaces()))" } ?? "" : ""
        if !over.isEmpty {
            if value?.qualifier != nil { throw unsupported("\(function.rawValue) of a figure over all rows (its qualifier)") }
            if [.count_distinct, .median, .percentile, .string_agg].contains(function) {
                throw unsupported("\(function.rawValue) over all rows in a derive or select")
            }
        }
        let wrap = { (text: String) in from.map { "(SELECT \(text) \($0))" } ?? text + over }
        let v = value?.text ?? "1"
        // The qualifier of a sum: '' when all are exact, the one qualifier they share, else 约.
        let summed = value?.qualifier.map { q in
            wrap("CASE WHEN COUNT(\(v)) = 0 THEN NULL WHEN COUNT(DISTINCT CASE WHEN \(v) IS NOT NULL THEN NULLIF(\(q), '') END) = 0 THEN '' "
                 + "WHEN COUNT(DISTINCT CASE WHEN \(v) IS NOT NULL THEN NULLIF(\(q), '') END) = 1 THEN MAX(CASE WHEN \(v) IS NOT NULL THEN NULLIF(\(q), '') END) ELSE '约' END")
        }
        switch function {
        case .count: return SQL(wrap("COUNT(\(v))"))
        case .exists: return SQL("(" + wrap("COUNT(\(v))") + " > 0)")
        case .sum: return SQL(wrap("SUM(\(v))"), qualifier: summed)
        case .avg: return SQL(wrap("AVG(CAST(\(v) AS \(realType)))"), qualifier: summed)
        case .min, .max:
            if value?.qualifier != nil { throw unsupported("min or max of a figure (its qualifier)") }
            return SQL(wrap("\(function == .min ? "MIN" : "MAX")(\(ordered(v, type)))"))
        case .count_distinct:
            if value?.qualifier != nil { throw unsupported("count_distinct of a figure (its qualifier)") }
            return SQL(wrap("COUNT(DISTINCT \(v))"))
        case .median, .percentile:
            let fraction = function == .median ? "0.5" : "\(option.number ?? 0.5)"
            guard let sql = rules.percentile("CAST(\(v) AS \(realType))", fraction) else {
                throw unsupported("\(function.rawValue) (\(rules.name) has no percentile function)")
            }
            return SQL(wrap(sql))
        case .string_agg:
            let separator = if case .string(let text) = option { try stringLiteral(text).text } else { "''" }
            guard let sql = rules.stringAgg(v, separator, orderedBy: order) else {
                throw unsupported("string_agg (\(rules.name) does not join text in a given order)")
            }
            return SQL(wrap(sql))
        }
    }

    // MARK: Helpers

    /// Text sorts by code point, as in memory.
    /// A figure's `Qualifier.order` from the SQL of its qualifier (a number that is not a figure, or
    /// null, is exact).
    private func wording(_ qualifier: String?) -> String {
        guard let qualifier else { return String(Qualifier.exact.order) }
        let cases = Qualifier.allCases.filter { $0 != .exact }.map { "WHEN '\($0.rawValue)' THEN \($0.order)" }.joined(separator: " ")
        return "(CASE \(qualifier) \(cases) ELSE \(Qualifier.exact.order) END)"
    }

    /// Text is ordered by code point, as in memory, whatever the server's collation: wherever text is
    /// ordered (`<`, min, max, a sort key), the value's type says so.
    private func ordered(_ value: String, _ type: ValueType?) -> String {
        type == .string ? rules.byCodePoint(value) : value
    }

    private var trueLiteral: String { rules.trueLiteral }
    private var falseLiteral: String { rules.falseLiteral }
    private var realType: String { rules.realType }

    func quoted(_ name: String) -> String { "\"" + name.replacingAll("\"", with: "\"\"") + "\"" }

    private var pipelines = 0
    private mutating func nextPrefix() -> String {
        pipelines += 1
        return "q\(pipelines)_"
    }

    private mutating func nextAlias() -> String {
        aliases += 1
        return "l\(aliases)"
    }

    private func unsupported(_ construct: String) -> Diagnostic {
        Diagnostic.notExpressibleInSQL(construct, dialect: dialect, range: range)
    }
}
