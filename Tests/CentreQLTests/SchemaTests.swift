import CentreQL
import CentreQLSQLite
import Foundation
import Testing

/// The schema is a value the store holds: a small schema of the test's own runs through the checker,
/// planner, executor, completion, loader and SQL without any code knowing its tables.
@Suite struct SchemaTests {
    static let library: Catalog = try! Catalog([
        TableSchema(name: "authors", columns: [
            ColumnSchema(name: "id", type: .int),
            ColumnSchema(name: "name", type: .string),
            ColumnSchema(name: "country", type: .string, domain: .oneOf(["CN", "GB"])),
        ], links: [LinkSchema(name: "books", target: "books", kind: .toMany(column: "author_id"))],
           indexes: [IndexSchema(columns: ["country"], kind: .hash)]),
        TableSchema(name: "books", columns: [
            ColumnSchema(name: "id", type: .int),
            ColumnSchema(name: "author_id", type: .int),
            ColumnSchema(name: "title", type: .string),
            ColumnSchema(name: "year", type: .int, domain: .between(1000, 2100)),
            ColumnSchema(name: "copies", type: .figure),
        ], links: [LinkSchema(name: "author", target: "authors", kind: .toOne(column: "author_id"))],
           indexes: [IndexSchema(columns: ["year"], kind: .ordered)]),
        TableSchema(name: "notes", columns: [ColumnSchema(name: "text", type: .string)], isOptional: true),
    ])

    static func store() throws -> Store {
        try Store(rows: [
            "authors": [DataRow(["id": .int(1), "name": .string("鲁迅"), "country": .string("CN")]),
                        DataRow(["id": .int(2), "name": .string("Woolf"), "country": .string("GB")]),
                        DataRow(["id": .int(3), "name": .string("老舍"), "country": .string("CN")])],
            "books": [DataRow(["id": .int(1), "author_id": .int(1), "title": .string("呐喊"), "year": .int(1923),
                               "copies": .figure(Figure(3, .moreThan))]),
                      DataRow(["id": .int(2), "author_id": .int(1), "title": .string("彷徨"), "year": .int(1926)]),
                      DataRow(["id": .int(3), "author_id": .int(2), "title": .string("Orlando"), "year": .int(1928),
                               "copies": .figure(Figure(5))]),
                      DataRow(["id": .int(4), "author_id": .int(3), "title": .string("骆驼祥子"), "year": .int(1939)])],
        ], catalog: library)
    }

    func text(_ query: String, on store: Store) throws -> [[String]] {
        var engine = Engine(store: store)
        return try engine.query(query).rows.map { $0.map(\.description) }
    }

    @Test func queriesRunOnASchemaOfTheirOwn() throws {
        let store = try Self.store()
        #expect(try text("authors | select name, n = count(books) | sort n desc, name", on: store)
                == [["鲁迅", "2"], ["Woolf", "1"], ["老舍", "1"]])
        #expect(try text("books | where year < 1927 | select title, who = author.name", on: store)
                == [["呐喊", "鲁迅"], ["彷徨", "鲁迅"]])
        #expect(try text("books | group c = author.country agg n = count(), y = max(year) | sort c", on: store)
                == [["CN", "3", "1939"], ["GB", "1", "1928"]])
        #expect(try text("authors | join books as b on b.author_id == id | count", on: store) == [["4"]])
        #expect(try text("notes | count", on: store) == [["0"]])
    }

    @Test func theCheckerAndExplainReadTheStoresSchema() throws {
        var engine = Engine(store: try Self.store())
        do {
            _ = try engine.query("centres | count")
            Issue.record("the built-in table was found in a store without it")
        } catch {
            #expect(error.diagnostics.map(\.code) == ["E201"])
            #expect(error.description.contains("authors, books, notes"), "\(error)")
        }
        let plan = try engine.query("explain authors | where country == \"GB\" | count").rows.map { $0[0].description }
        #expect(plan.contains { $0.contains("HASH INDEX ON authors(country)") }, "\(plan)")
        #expect(Engine().store.catalog == .builtIn)
    }

    @Test func completionOffersTheStoresTablesAndColumns() throws {
        let engine = Engine(store: try Self.store())
        #expect(engine.completions(before: "").candidates.filter { !["let", "param", "explain", "trace"].contains($0) }
                == ["authors", "books", "notes"])
        #expect(engine.completions(before: "books | where author.").candidates == ["books", "country", "id", "name"])
    }

    @Test func domainsAndLinksOfTheSchemaAreChecked() {
        #expect(throws: DataError.self) {
            _ = try Store(rows: ["authors": [DataRow(["id": .int(1), "country": .string("FR")])]], catalog: Self.library)
        }
        #expect(throws: DataError.self) {
            _ = try Store(rows: ["books": [DataRow(["id": .int(1), "author_id": .int(9), "year": .int(1999)])]], catalog: Self.library)
        }
        #expect(throws: DataError.self) { _ = try Store(rows: ["centres": []], catalog: Self.library) }
    }

    @Test func aSchemaThatDoesNotFitTogetherIsRefused() {
        func reason(_ tables: [TableSchema]) -> String? {
            do { _ = try Catalog(tables); return nil } catch { return error.reason }
        }
        let id = ColumnSchema(name: "id", type: .int)
        #expect(reason([TableSchema(name: "a", columns: [id]), TableSchema(name: "a", columns: [id])]) == "two tables are named a")
        #expect(reason([TableSchema(name: "a", columns: [id, id])]) == "a has two columns named id")
        #expect(reason([TableSchema(name: "a", columns: [id], links: [LinkSchema(name: "b", target: "b", kind: .toOne(column: "b_id"))])])
                == "the link a.b names no table b")
        #expect(reason([TableSchema(name: "a", columns: [id], links: [LinkSchema(name: "self", target: "a", kind: .toOne(column: "parent"))])])
                == "the link a.self needs an int column a.parent")
        #expect(reason([TableSchema(name: "a", columns: [id], indexes: [IndexSchema(columns: ["x"], kind: .hash)])])
                == "the index x of a names no column x")
        #expect(reason([TableSchema(name: "a", columns: [id, ColumnSchema(name: "y", type: .int, domain: .between(3, 1))])])
                == "a.y must be between 3 and 1, which no value is")
    }

    @Test func aFolderFollowsTheSchemaItIsLoadedWith() throws {
        let directory = NSTemporaryDirectory() + "centreql-schema-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "id,name,country\n1,鲁迅,CN\n".write(toFile: directory + "/authors.csv", atomically: true, encoding: .utf8)
        try "id,author_id,title,year,copies\n1,1,呐喊,1923,3余\n".write(toFile: directory + "/books.csv", atomically: true, encoding: .utf8)
        // notes.csv is optional in this schema; the built-in schema's tables are not looked for.
        let store = try CSVLoader.load(directory: directory, catalog: Self.library)
        #expect(try text("books | select title, copies, q = qualifier(copies)", on: store) == [["呐喊", "3余", "余"]])
        try FileManager.default.removeItem(atPath: directory + "/books.csv")
        #expect(throws: DataError.self) { _ = try CSVLoader.load(directory: directory, catalog: Self.library) }
    }

    @Test func theSQLSchemaAndCompiledQueriesFollowTheStoresSchema() throws {
        let store = try Self.store()
        let ddl = SQLSchema.statements(.sqlite, catalog: store.catalog)
        #expect(ddl.contains("CREATE TABLE books") && ddl.contains("copies_qualifier") && !ddl.contains("centres"))
        let database = try SQLiteDatabase(path: ":memory:")
        try database.load(store)
        var engine = Engine(store: store)
        for query in ["authors | select name, n = count(books) | sort n desc, name",
                      "books | where year < 1927 | select title, who = author.name, copies",
                      "books | group c = author.country agg n = count() | sort c"] {
            var compiled: CompiledQuery?
            engine.compileSQL(SourceText(query), dialect: .sqlite) { _, outcome in
                if case .sql(let sql, _) = outcome { compiled = sql }
            }
            let sql = try #require(compiled)
            #expect(try database.run(sql, parameters: [:]).rows == (try engine.query(query)).rows, "\(query)")
        }
    }

    /// Stored texts that differ only in how an accent is encoded are two values in the column's
    /// dictionary, in a hash index, in `group` and in `==`, as they are on SQLite.
    @Test func storedTextsAreToldApartByCodePoint() throws {
        let (composed, decomposed) = ("caf\u{e9}", "cafe\u{301}")
        let store = try Store(rows: [
            "authors": [DataRow(["id": .int(1), "name": .string(composed), "country": .string("CN")]),
                        DataRow(["id": .int(2), "name": .string(decomposed), "country": .string("GB")]),
                        DataRow(["id": .int(3), "name": .string(decomposed), "country": .string("CN")])],
            "books": [],
        ], catalog: Self.library)
        #expect(try text("authors | group name agg n = count() | sort name | select n", on: store) == [["2"], ["1"]])
        #expect(try text("authors | where name == \"caf\\u{e9}\" | select id", on: store) == [["1"]])
        #expect(try text("authors | select name | distinct | count", on: store) == [["2"]])
        let database = try SQLiteDatabase(path: ":memory:")
        try database.load(store)
        var engine = Engine(store: store)
        for query in ["authors | group name agg n = count() | sort name", "authors | where name == \"cafe\\u{301}\" | select id"] {
            var compiled: CompiledQuery?
            engine.compileSQL(SourceText(query), dialect: .sqlite) { _, outcome in
                if case .sql(let sql, _) = outcome { compiled = sql }
            }
            #expect(try database.run(try #require(compiled), parameters: [:]).rows == (try engine.query(query)).rows, "\(query)")
        }
    }

    /// A table without ids may hold a row twice: `distinct` and `except` compare its rows' columns.
    @Test func distinctRowsOfATableWithoutIDs() throws {
        let note = DataRow(["text": .string("同一条")])
        let store = try Store(rows: ["authors": [], "books": [], "notes": [note, DataRow(["text": .string("另一条")]), note]], catalog: Self.library)
        #expect(try text("notes | distinct | count", on: store) == [["2"]])
        #expect(try text("notes | except (notes | where text == \"另一条\") | count", on: store) == [["1"]])
        #expect(try text("notes | select text | distinct | count", on: store) == [["2"]])
    }
}
