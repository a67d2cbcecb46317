import Foundation
import Testing
import CentreQL

/// The README's promises, checked: its schema matches the catalog, and its embedding example works.
@Suite struct DocumentationTests {
    @Test func readmeShowsTheCurrentSchema() {
        let readme = Repository.read("README.md")
        for line in SchemaDescription.text(for: Catalog.builtIn.tables).split(separator: "\n") {
            #expect(readme.contains(line), "README.md lacks: \(line)")
        }
    }

    /// Every `$ centreql -c '…'` example prints today what the README shows under it (results,
    /// then the statement's errors and notes, as a terminal shows both).
    @Test func readmeQueriesPrintWhatTheReadmeShows() {
        let readme = Repository.read("README.md")
        var checked = 0
        for block in readme.split(separator: "```\n", omittingEmptySubsequences: false) {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let first = lines.first, first.hasPrefix("$ centreql -c '"), first.hasSuffix("'") else { continue }
            let query = String(first.dropFirst("$ centreql -c '".count).dropLast())
            var engine = Engine()
            var printed: [String] = []
            ScriptRunner().run(SourceText(query, name: "<command line>"), in: &engine) { output in
                switch output {
                case .result(let text), .error(let text): printed += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                }
            }
            let shown = Array(lines.dropFirst().dropLast())  // the block ends with its newline
            #expect(printed == shown, "README: \(first)\nprints:\n\(printed.joined(separator: "\n"))")
            checked += 1
        }
        #expect(checked >= 8)
    }

    /// The README's `--emit-sql` example is what the compiler writes today.
    @Test func readmeShowsTheCurrentSQL() {
        var engine = Engine()
        var sql = ""
        engine.compileSQL(SourceText(#"centres | where district_en == "Minhang" | select town, n = count(projects) | sort n desc"#), dialect: .sqlite) { _, outcome in
            if case .sql(let query, _) = outcome { sql = query.sql }
        }
        #expect(!sql.isEmpty && Repository.read("README.md").contains(sql + ";"))
    }

    /// The README's `explain` example is what the planner says today.
    @Test func readmeShowsTheCurrentPlan() throws {
        var engine = Engine()
        let plan = try engine.query(#"explain awards | where category == "品牌创新示范中心" and rank <= 3 | select rank, centre.name"#)
        let readme = Repository.read("README.md")
        for row in plan.rows { #expect(readme.contains("\n " + row[0].description + "\n"), "README.md lacks: \(row[0])") }
    }

    @Test func readmeStartsWithTheTwoCommands() {
        let firstScreen = Repository.read("README.md").split(separator: "\n").prefix(15).joined(separator: "\n")
        #expect(firstScreen.contains("make repl"))
        #expect(firstScreen.contains("make test"))
        #expect(Repository.read(".ci/run").contains("make test"))
    }

    /// The README's embedding example, as written there (public API only).
    @Test func embeddingExample() throws {
        var engine = Engine()
        do {
            let result = try engine.query(#"centres | where district_en == "Minhang" | select town, volunteers"#)
            #expect(result.columns.map(\.name) == ["town", "volunteers"])
            #expect(result.rows.first == [.string("吴泾镇"), .figure(Figure(18000, .moreThan))])
        } catch {
            Issue.record("unexpected: \(error)")
        }
        do {
            _ = try engine.query("centres | where nope == 1")
            Issue.record("expected an error")
        } catch {
            let diagnostic = try #require(error.diagnostics.first)
            #expect(diagnostic.code == "E202")
            #expect(diagnostic.range == SourceRange(16, 20))
            #expect(diagnostic.hint != nil)
        }
    }

    /// The README's example of a schema of one's own, as written there, on two small CSV files.
    @Test func embeddingWithASchemaOfYourOwn() throws {
        let readme = Repository.read("README.md")
        #expect(readme.contains(#"var library = Engine(store: try CSVLoader.load(directory: "library", catalog: catalog))"#))
        #expect(readme.contains(#"print(try library.query("authors | select name, n = count(books)").rows)"#))
        let catalog = try Catalog([
            TableSchema(name: "authors", columns: [ColumnSchema(name: "id", type: .int), ColumnSchema(name: "name", type: .string)],
                        links: [LinkSchema(name: "books", target: "books", kind: .toMany(column: "author_id"))]),
            TableSchema(name: "books", columns: [ColumnSchema(name: "id", type: .int), ColumnSchema(name: "author_id", type: .int),
                                                 ColumnSchema(name: "title", type: .string)],
                        links: [LinkSchema(name: "author", target: "authors", kind: .toOne(column: "author_id"))]),
        ])
        let directory = NSTemporaryDirectory() + "centreql-readme-library-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "id,name\n1,鲁迅\n2,老舍\n".write(toFile: directory + "/authors.csv", atomically: true, encoding: .utf8)
        try "id,author_id,title\n1,1,呐喊\n2,1,彷徨\n3,2,茶馆\n".write(toFile: directory + "/books.csv", atomically: true, encoding: .utf8)
        var library = Engine(store: try CSVLoader.load(directory: directory, catalog: catalog))
        #expect(try library.query("authors | select name, n = count(books)").rows == [[.string("鲁迅"), .int(2)], [.string("老舍"), .int(1)]])
    }

    @Test func embeddingWithLoadedData() throws {
        var engine = Engine(store: .builtIn)
        var outcomes: [String] = []
        engine.run(SourceText("let m = centres | where district_en == \"Minhang\"\nm | count\nm | nope")) { result in
            switch result.outcome {
            case .rows(let rows): outcomes.append("rows \(rows.rows)")
            case .defined(let name): outcomes.append("defined \(name)")
            case .failed(let diagnostics): outcomes.append("failed \(diagnostics.map(\.code))")
            }
        }
        #expect(outcomes == ["defined m", "rows [[3]]", "failed [\"E103\"]"])
    }
}
