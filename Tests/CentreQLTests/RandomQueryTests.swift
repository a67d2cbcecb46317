import Foundation
import Testing
@testable import CentreQL

/// Thousands of seeded random queries, each run on the in-memory engine and, compiled to SQL, on
/// SQLite: the answers must agree. A disagreement is shrunk (stages dropped, conditions and
/// expressions simplified) to the smallest query that still shows it, and reported with its SQL.
@Suite struct RandomQueryTests {
    /// What a column holds, as far as generating well-typed expressions goes.
    enum Kind {
        case text, number, figure, bool, date

        /// Values to compare a computed column of this kind with.
        var samples: [String] {
            switch self {
            case .text: ["\"x\""]
            case .date: ["@2019-12-31", "@2020-01-05"]
            default: ["1", "100"]
            }
        }
    }

    struct Column {
        let name: String
        let kind: Kind
        /// Values worth comparing it with (drawn from the data).
        let samples: [String]
    }

    /// A query as a list of stages, so shrinking can drop or simplify them.
    struct Query: CustomStringConvertible {
        var source: String
        var stages: [String]
        var description: String { ([source] + stages).joined(separator: " | ") }
    }

    /// Generates queries over a store, keeping track of which columns each stage leaves.
    struct QueryGenerator {
        var random: SplitMix64
        let store: Store

        mutating func pick<T>(_ items: [T]) -> T { items[random.next(below: items.count)] }
        mutating func chance(_ percent: Int) -> Bool { random.next(below: 100) < percent }

        func columns(of table: String) -> [Column] {
            let data = store.table(named: table)!
            return data.schema.columns.compactMap { column in
                let kind: Kind
                switch column.type {
                case .string: kind = .text
                case .int, .decimal: kind = .number
                case .figure: kind = .figure
                case .bool: kind = .bool
                default: return nil
                }
                var samples: [String] = []
                for row in stride(from: 0, to: data.rowCount, by: max(1, data.rowCount / 7)) {
                    switch data.value(row: row, column: column.name) ?? .null {
                    case .string(let s): samples.append("\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\"")
                    case .int(let i): samples.append(String(i))
                    case .figure(let f): samples.append(Value.formatNumber(f.amount))
                    case .decimal(let d): samples.append(Value.formatNumber(d))
                    default: continue
                    }
                }
                return Column(name: column.name, kind: kind, samples: samples.isEmpty ? ["0"] : samples)
            }
        }

        mutating func condition(_ columns: [Column], depth: Int = 0) -> String {
            if depth < 2, chance(25) {
                let op = pick(["and", "or"])
                return "(\(condition(columns, depth: depth + 1)) \(op) \(condition(columns, depth: depth + 1)))"
            }
            if depth < 2, chance(8) { return "not (\(condition(columns, depth: depth + 1)))" }
            let column = pick(columns)
            let sample = pick(column.samples)
            switch column.kind {
            case .text:
                switch random.next(below: 6) {
                case 0: return "\(column.name) == \(sample)"
                case 1: return "\(column.name) != \(sample)"
                case 2: return "\(column.name) contains \(pick(["\"区\"", "\"镇\"", "\"街道\"", "\"a\"", "\"\""]))"
                case 3: return "\(column.name) starts_with \(pick(["\"闵\"", "\"上海\"", "\"B\"", "\"\""]))"
                case 4: return "\(column.name) in [\(sample), \(pick(column.samples))]"
                default: return "\(column.name) \(pick(["==", "!="])) null"
                }
            case .number, .figure:
                switch random.next(below: 4) {
                case 0: return "\(column.name) \(pick(["==", "!="])) null"
                default: return "\(column.name) \(pick(["<", "<=", ">", ">=", "==", "!="])) \(sample)"
                }
            case .bool:
                return pick([column.name, "not \(column.name)", "\(column.name) == null"])
            case .date:
                return pick(["\(column.name) \(pick(["<", "<=", ">", ">=", "==", "!="])) \(sample)", "\(column.name) == null",
                             "year(\(column.name)) == 2020"])
            }
        }

        mutating func expression(_ columns: [Column]) -> (String, Kind) {
            let column = pick(columns)
            switch column.kind {
            case .text:
                return pick([(column.name, .text), ("length(\(column.name))", .number), ("\(column.name) ?? \"-\"", .text),
                             ("lower(\(column.name))", .text), ("\(column.name) + \"!\"", .text),
                             // Text outside ASCII, where SQL's own length and case mapping differ from CentreQL's.
                             ("upper(\(column.name) + \"straße\")", .text), ("length(\(column.name) + \"e\\u{301}ǅ\")", .number),
                             ("$p + \(column.name)", .text), ("$p + $q", .text),
                             ("replace(\(column.name), \(pick(["\"区\"", "\"a\"", "\"\""])), \"-\")", .text), ("slice(\(column.name), \(random.next(below: 4) - 2), 3)", .text),
                             ("trim(\"　 \" + \(column.name))", .text), ("greatest(\(column.name), \"M\", null)", .text),
                             ("if \(column.name) contains \"镇\" then \(column.name) else \(pick(["\"-\"", "null"]))", .text),
                             ("lead(\(column.name))", .text), ("running_max(\(column.name))", .text),
                             // Dates: days added to a date, and text read as a date (February's 29th to 31st are not).
                             ("@2019-12-31 + length(\(column.name))", .date), ("date(\"2020-02-\" + text(length(\(column.name)) + 20))", .date),
                             ("if \(column.name) contains \"镇\" then @2020-02-29 else date(\(column.name) + \"2019-06-30\")", .date),
                             ("date(\"2019-12-31 \" + \(column.name))", .date)])
            case .number:
                return pick([(column.name, .number), ("\(column.name) + \(random.next(below: 10))", .number), ("\(column.name) * 2", .number),
                             ("\(column.name) / \(random.next(below: 3))", .number), ("\(column.name) ?? 0", .number), ("abs(\(column.name) - 5)", .number),
                             ("if \(column.name) > \(pick(column.samples)) then \(column.name) else \(pick(["0", "0.5", "null"]))", .number),
                             ("greatest(\(column.name), \(random.next(below: 10)))", .number), ("least(\(column.name), 5, null)", .number),
                             // Windows and aggregates over all rows, in the order of the last sort.
                             ("running_sum(\(column.name))", .number), ("lag(\(column.name), \(random.next(below: 3)))", .number),
                             ("\(column.name) - min(\(column.name))", .number), ("row_number()", .number), ("rank()", .number),
                             ("dense_rank() + count(\(column.name))", .number),
                             ("if \(column.name) > \(pick(column.samples)) then @2019-12-31 else @2020-03-15", .date)])
            case .figure:
                return pick([(column.name, .figure), ("amount(\(column.name))", .number), ("\(column.name) ?? 0", .figure),
                             ("\(column.name) + 1", .figure), ("qualifier(\(column.name))", .text),
                             ("if \(column.name) >= \(pick(column.samples)) then \(column.name) else 0", .figure)])
            case .bool:
                return pick([(column.name, .bool), ("if \(column.name) then 1 else 0", .number), ("text(\(column.name))", .text)])
            case .date:
                return pick([(column.name, .date), ("year(\(column.name)) * 100 + month(\(column.name))", .number), ("day(\(column.name))", .number),
                             ("\(column.name) - @2020-01-01", .number), ("\(column.name) - 40", .date), ("3 + \(column.name)", .date),
                             ("text(\(column.name))", .text), ("date(text(\(column.name)) + \" 08:00\")", .date), ("\(column.name) ?? @2019-01-01", .date),
                             ("lag(\(column.name))", .date), ("greatest(\(column.name), @2020-01-10)", .date)])
            }
        }

        mutating func query() -> Query {
            let source = pick(["centres", "awards", "projects"])
            var columns = self.columns(of: source)
            var stages: [String] = []
            var isEntity = true
            for _ in 0..<random.next(below: 5) {
                switch random.next(below: 9) {
                case 0, 1:
                    stages.append("where " + condition(columns))
                case 2:
                    var fields: [Column] = []
                    var parts: [String] = []
                    for index in 0..<(1 + random.next(below: 3)) {
                        let (text, kind) = expression(columns)
                        let name = "c\(index)"
                        parts.append("\(name) = \(text)")
                        fields.append(Column(name: name, kind: kind, samples: kind.samples))
                    }
                    if isEntity, source == "centres", chance(50) {
                        // Links to many rows: aggregates over them, with and without a condition.
                        parts.append(pick([
                            "n = count(\(pick(["projects", "awards"])))",
                            "n = count(projects where kind == \"项目\" or members > 20)",
                            "n = sum(projects.members)",
                            "n = max(awards.rank)",
                            "n = avg(projects.members)",
                        ]))
                        fields.append(Column(name: "n", kind: .number, samples: ["0", "1", "20"]))
                        if chance(50) {
                            parts.append("e = exists(awards where rank <= \(random.next(below: 11)))")
                            fields.append(Column(name: "e", kind: .bool, samples: ["true"]))
                        }
                    }
                    if isEntity, source != "centres", chance(40) {
                        parts.append("t = centre.\(pick(["town", "district", "town_kind"]))")
                        fields.append(Column(name: "t", kind: .text, samples: ["\"闵行区\"", "\"镇\""]))
                    }
                    if isEntity, source != "centres", chance(25) {
                        // A to-many link reached through a to-one link.
                        parts.append(pick(["l = count(centre.projects)", "l = count(centre.awards where rank <= 3)", "l = sum(centre.projects.members)"]))
                        fields.append(Column(name: "l", kind: parts.last!.contains("sum") ? .figure : .number, samples: ["0", "14"]))
                    }
                    stages.append("select " + parts.joined(separator: ", "))
                    columns = fields
                    isEntity = false
                case 3:
                    let keys = (0..<(1 + random.next(below: 2))).map { _ in pick(columns) }
                    stages.append("sort " + keys.map { $0.name + (chance(50) ? " desc" : "") }.joined(separator: ", "))
                case 4:
                    stages.append("take \(random.next(below: 12))")
                case 5:
                    let textual = columns.filter { $0.kind == .text || $0.kind == .bool || $0.kind == .date }
                    // Or a key made with ?? and a literal of another type (a number for a figure, an int
                    // for a decimal): grouping and == must agree on what is one value.
                    let defaulted = columns.filter { $0.kind == .number || $0.kind == .figure }
                    if !defaulted.isEmpty, chance(40) {
                        let column = pick(defaulted)
                        let key = "k = \(column.name) ?? \(pick(["0", "80", "80.0", "1"]))"
                        if chance(50) {
                            stages.append("select \(key) | distinct")
                            columns = [Column(name: "k", kind: column.kind, samples: ["80", "0"])]
                        } else {
                            stages.append("group \(key) agg n = count()")
                            columns = [Column(name: "k", kind: column.kind, samples: ["80", "0"]), Column(name: "n", kind: .number, samples: ["1"])]
                        }
                        isEntity = false
                        continue
                    }
                    guard let key = textual.isEmpty ? nil : pick(textual) else { continue }
                    var parts = ["n = count()"]
                    var fields = [key, Column(name: "n", kind: .number, samples: ["1", "3"])]
                    if let number = columns.first(where: { $0.kind == .number }), chance(60) {
                        parts.append("s = sum(\(number.name))")
                        fields.append(Column(name: "s", kind: .number, samples: ["10"]))
                    }
                    if let number = columns.first(where: { $0.kind == .number || $0.kind == .figure }), chance(40) {
                        parts.append("c = count(\(number.name))")
                        fields.append(Column(name: "c", kind: .number, samples: ["2"]))
                    }
                    let others = columns.filter { $0.name != key.name }
                    if !others.isEmpty, chance(40) {
                        let other = pick(others)
                        // count_distinct of any kind; median over numbers; string_agg over text (in row order).
                        switch other.kind {
                        case .number: parts.append(pick(["m = median(\(other.name))", "m = percentile(\(other.name), 0.25)", "m = count_distinct(\(other.name))"]))
                        case .text: parts.append(pick(["m = string_agg(\(other.name), \"|\")", "m = count_distinct(\(other.name))"]))
                        case .figure: parts.append("m = count_distinct(amount(\(other.name)))")
                        case .bool: parts.append("m = count_distinct(\(other.name))")
                        case .date: parts.append(pick(["m = count_distinct(\(other.name))", "m = max(\(other.name)) - min(\(other.name))"]))
                        }
                        fields.append(Column(name: "m", kind: other.kind == .text && parts.last!.contains("string_agg") ? .text : .number, samples: ["1"]))
                    }
                    stages.append("group \(key.name) agg " + parts.joined(separator: ", "))
                    columns = fields
                    isEntity = false
                case 6:
                    if !isEntity {
                        stages.append("distinct")
                    } else if source == "awards", stages.isEmpty, chance(50) {
                        // A join the links do not cover: awards of the same rank in other categories.
                        stages.append("join awards as other on other.rank == rank and other.category != category")
                        stages.append("select a = id, b = other.id, r = rank")
                        columns = [Column(name: "a", kind: .number, samples: ["1", "20"]), Column(name: "b", kind: .number, samples: ["5"]),
                                   Column(name: "r", kind: .number, samples: ["3"])]
                        isEntity = false
                    } else if source == "centres", stages.isEmpty, chance(50) {
                        // A left join: centres without a matching project are kept once, its columns null.
                        let condition = pick(["p.centre_id == id", "p.centre_id == id and p.kind == \"联盟\"", "p.members > teams"])
                        stages.append("join left projects as p on \(condition)")
                        stages.append("select a = id, b = p.id, m = p.members ?? 0, t = town")
                        columns = [Column(name: "a", kind: .number, samples: ["1", "19"]), Column(name: "b", kind: .number, samples: ["5"]),
                                   Column(name: "m", kind: .figure, samples: ["0", "43"]), Column(name: "t", kind: .text, samples: ["\"吴泾镇\""])]
                        isEntity = false
                    }
                case 8 where !isEntity && chance(60):
                    // The rows so far against another pipeline's, whole rows compared: the same stages over
                    // some of the table's rows, so both sides have the same names and types.
                    let other = "(" + ([source, "where id % \(random.next(below: 4) + 2) == 0"] + stages).joined(separator: " | ") + ")"
                    stages.append(pick(["append", "except", "intersect"]) + " " + other)
                case 8 where isEntity && source == "centres" && chance(30):
                    // Columns into rows, and back: unpivot figures that share a type; pivot a text key.
                    let measures = ["teams", "social_orgs", "stations", "volunteers"].filter { _ in chance(60) }
                    guard measures.count >= 2 else { continue }
                    if chance(50) {
                        stages.append("select id, town_kind, \(measures.joined(separator: ", ")) | unpivot \(measures.joined(separator: ", ")) into measure, value")
                        columns = [Column(name: "id", kind: .number, samples: ["3", "20"]), Column(name: "town_kind", kind: .text, samples: ["\"镇\"", "\"街道\""]),
                                   Column(name: "measure", kind: .text, samples: ["\"teams\"", "\"stations\""]),
                                   Column(name: "value", kind: .figure, samples: ["10", "80"])]
                    } else {
                        let by = pick(["", " by district", " by town_kind"])
                        stages.append("pivot town_kind agg \(pick(["n = count()", "s = sum(\(measures[0]))", "m = max(\(measures[0]))"]))\(by)")
                        // Its columns are named by the data's values: only the `by` key is generated with.
                        columns = by.isEmpty ? [] : [Column(name: String(by.dropFirst(4)), kind: .text, samples: ["\"闵行区\"", "\"镇\""])]
                        if columns.isEmpty { return Query(source: source, stages: stages) }
                    }
                    isEntity = false
                case 8 where isEntity && chance(40):
                    let column = pick(["id", source == "centres" ? "id" : "centre_id"])
                    stages.append("where \(column) \(pick(["in", "not in"])) (awards | where rank \(pick(["<=", "=="])) \(random.next(below: 11)) | select centre_id)")
                case 7:
                    let (text, kind) = expression(columns)
                    let name = "d\(stages.count)"
                    stages.append("derive \(name) = \(text)")
                    columns.append(Column(name: name, kind: kind, samples: kind.samples))
                default:
                    if chance(30) {
                        stages.append("count")
                        return Query(source: source, stages: stages)
                    }
                }
            }
            return Query(source: source, stages: stages)
        }
    }

    /// The in-memory answer and SQLite's, as text; nil when the query does not check, or SQL cannot say it.
    /// Text-typed parameters the queries may use (`$p + $q` once compiled to a sum on SQLite).
    static let parameters = ["p": "甲", "q": "b"]

    static func answers(_ query: Query, on oracle: Oracle, data: DataSet) -> (ours: [[String]], theirs: [[String]], sql: String)? {
        var engine = Engine(store: data.store, parameters: parameters)
        guard let ours = try? engine.query(query.description) else { return nil }
        var compiled: CompiledQuery?
        engine.compileSQL(SourceText(query.description), dialect: oracle.dialect) { _, outcome in
            if case .sql(let sql, _) = outcome { compiled = sql }
        }
        guard let compiled else { return nil }
        let theirs: [[String]]
        do {
            theirs = try oracle.run(compiled, parameters: parameters.mapValues { .string($0) }, on: data).map { $0.map(\.description) }
        } catch {
            theirs = [["\(oracle.engine) refused it: \(error)"]]
        }
        return (ours.rows.map { $0.map(\.description) }, theirs, compiled.sql)
    }

    /// The smallest variant of a failing query that still fails: drop stages, then simplify parts.
    static func shrink(_ query: Query, on oracle: Oracle, data: DataSet) -> Query {
        func fails(_ q: Query) -> Bool {
            guard let result = answers(q, on: oracle, data: data) else { return false }
            return result.ours != result.theirs
        }
        var smallest = query
        var progress = true
        while progress {
            progress = false
            for index in smallest.stages.indices.reversed() {
                var candidate = smallest
                candidate.stages.remove(at: index)
                if fails(candidate) { smallest = candidate; progress = true; break }
            }
            if progress { continue }
            // Split `(a and b)` or `(a or b)` into either side.
            for index in smallest.stages.indices {
                for part in Self.parts(of: smallest.stages[index]) {
                    var candidate = smallest
                    candidate.stages[index] = part
                    if fails(candidate) { smallest = candidate; progress = true; break }
                }
                if progress { break }
            }
        }
        return smallest
    }

    /// Simpler versions of a `where` stage: each side of its top-level `and` or `or`.
    static func parts(of stage: String) -> [String] {
        guard stage.hasPrefix("where ("), stage.hasSuffix(")") else { return [] }
        let inner = Array(stage.dropFirst("where (".count).dropLast())
        var depth = 0
        var inString = false
        for (index, character) in inner.enumerated() {
            if character == "\"" { inString.toggle() }
            if inString { continue }
            if character == "(" || character == "[" { depth += 1 }
            if character == ")" || character == "]" { depth -= 1 }
            for op in [" and ", " or "] where depth == 0 && String(inner[index...]).hasPrefix(op) {
                return ["where " + String(inner[..<index]), "where " + String(inner[(index + op.count)...])]
            }
        }
        return []
    }

    @Test(arguments: Oracle.all, [DataSet.builtIn, DataSet.generated])
    func randomQueriesAgree(_ oracle: Oracle, _ data: DataSet) throws {
        var generator = QueryGenerator(random: SplitMix64(seed: data.name == "builtin" ? 2019 : 2020), store: data.store)
        var compared = 0, skipped = 0
        // The newer forms, each by a mark of its text: how many queries with it were compared.
        let marks = ["dates": ["@"], "pivot": ["| pivot"], "unpivot": ["| unpivot"], "a to-many link through a to-one": ["(centre."],
                     "join left": ["join left"], "set operations": ["| append (", "| except (", "| intersect ("], "if": ["if "]]
        var forms = marks.mapValues { _ in 0 }
        for _ in 0..<(oracle.engine == .sqlite ? 1500 : 600) {
            let query = generator.query()
            guard let result = Self.answers(query, on: oracle, data: data) else { skipped += 1; continue }
            compared += 1
            for (form, texts) in marks where texts.contains(where: query.description.contains) { forms[form]! += 1 }
            if result.ours != result.theirs {
                let smallest = Self.shrink(query, on: oracle, data: data)
                let shown = Self.answers(smallest, on: oracle, data: data)
                Issue.record("""
                    CentreQL and \(oracle.engine) disagree (\(data.name) data). Smallest query that shows it:
                      \(smallest)
                    CentreQL: \(shown?.ours.prefix(5).description ?? "?")
                    \(oracle.engine): \(shown?.theirs.prefix(5).description ?? "?")
                    SQL:
                    \(shown?.sql ?? "")
                    (found as: \(query))
                    """)
                return
            }
        }
        #expect(compared >= (oracle.engine == .sqlite ? 1000 : 400), "compared \(compared), skipped \(skipped)")
        for (mark, count) in forms {
            #expect(count >= (oracle.engine == .sqlite ? 5 : 2), "compared \(count) queries with \(mark)")
        }
    }
}
