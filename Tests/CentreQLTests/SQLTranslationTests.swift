import Foundation
import Testing
@testable import CentreQL
import CentreQLSQLite

/// A statement written in SQL is refused with E112 and, for the common subset, its translation as
/// the fix. Each translation here is run, and its rows compared with SQLite running the original SQL
/// on the same data (in order where the SQL sorts, else as a multiset).
@Suite struct SQLTranslationTests {
    static let statements = [
        "SELECT * FROM centres WHERE district = '闵行区'",
        "select district, count(*) from centres group by district order by count(*) desc, district limit 3",
        "SELECT name FROM centres WHERE name LIKE '%吴泾%' AND teams IS NOT NULL",
        "SELECT town FROM centres WHERE id BETWEEN 3 AND 5 OR town IN ('浦江镇', '莘庄镇') ORDER BY id DESC",
        "SELECT COUNT(*) FROM awards WHERE rank <> 1;",
        "SELECT category, AVG(rank) AS a, MAX(rank) FROM awards GROUP BY category HAVING COUNT(*) > 5",
        "SELECT DISTINCT district FROM centres ORDER BY district",
        "SELECT c.name FROM centres c WHERE c.town NOT LIKE '%镇' ORDER BY c.id LIMIT 2",
        "SELECT name FROM centres WHERE name LIKE '_行%'",
        "SELECT town_kind, COUNT(DISTINCT district) AS districts FROM centres GROUP BY town_kind ORDER BY 2 DESC, 1",
        "SELECT name, kind FROM projects WHERE NOT (kind = '项目') AND members IS NULL ORDER BY name",
        "SELECT id, town FROM centres WHERE town NOT IN ('浦江镇') AND id < 4",
        "SELECT kind, SUM(members) FROM projects GROUP BY kind",
        "SELECT town FROM centres WHERE town LIKE '浦江%' OR town LIKE '%庄镇'",
        "select upper(district_en) as d from centres where id <= 2",
        "SELECT DISTINCT COUNT(*) FROM centres GROUP BY district ORDER BY 1 DESC LIMIT 2",
    ]

    @Test(arguments: SQLTranslationTests.statements)
    func translationAnswersAsSQLiteDoes(_ sql: String) throws {
        var engine = Engine()
        let translation: String
        do {
            _ = try engine.query(sql)
            Issue.record("ran as CentreQL: \(sql)")
            return
        } catch {
            let diagnostic = try #require(error.diagnostics.first)
            #expect(diagnostic.code == "E112")
            translation = try #require(diagnostic.fixIt, "no translation for \(sql)")
        }
        let ours = try engine.query(translation)
        let query = CompiledQuery(sql: sql.trimmingCharacters(in: CharacterSet(charactersIn: ";")), parameters: [], columns: ours.columns)
        let theirs = try DataSet.builtIn.sqlite.run(query, parameters: [:]).rows
        let sorts = sql.lowercased().contains("order by")
        func text(_ rows: [[Value]]) -> [String] {
            let lines = rows.map { $0.map(\.description).joined(separator: " | ") }
            return sorts ? lines : lines.sorted()
        }
        #expect(text(ours.rows) == text(theirs), "\(sql)\n→ \(translation)")
        #expect(!ours.rows.isEmpty || sql.contains("NOT LIKE"), "\(translation) has no rows: a weak case")
    }

    /// Past the subset there is no translation (rather than a wrong one), and the hint shows the shape.
    @Test func noTranslationPastTheSubset() {
        for sql in ["SELECT * FROM centres JOIN awards ON awards.centre_id = centres.id",
                    "SELECT name FROM centres WHERE id IN (SELECT centre_id FROM awards)",
                    "SELECT CASE WHEN teams > 1 THEN 'a' ELSE 'b' END FROM centres",
                    "SELECT name, COUNT(*) FROM centres GROUP BY district",
                    "SELECT name FROM centres LIMIT 2 OFFSET 3"] {
            var engine = Engine()
            do {
                _ = try engine.query(sql)
                Issue.record("ran: \(sql)")
            } catch {
                #expect(error.diagnostics.first?.code == "E112")
                #expect(error.diagnostics.first?.fixIt == nil, "\(sql)")
            }
        }
    }
}

/// Every habit case in Corpus/queries/habits.cql: the statement fails, and with all its fixes
/// applied (as `.fix` applies them) it runs without an error.
@Suite struct HabitFixTests {
    @Test func everyHabitsFixRuns() throws {
        let path = Repository.root.appendingPathComponent("Tests/CentreQLTests/Corpus/queries/habits.cql").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let statements = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map(String.init)
        var fixed = 0
        defer { #expect(fixed >= 20) }
        // The file's last statement is the fixed form of one above: it runs as it is.
        for statement in statements.dropLast() {
            var engine = Engine()
            let source = SourceText(statement)
            var fix: String?
            engine.run(source) { result in
                if case .failed(let diagnostics) = result.outcome { fix = source.applyingFixes(diagnostics, in: result.extent) }
            }
            let text = try #require(fix, "no fix for \(statement)")
            var fresh = Engine()
            #expect(throws: Never.self, "\(statement) → \(text)") { _ = try fresh.query(text) }
            fixed += 1
        }
    }
}
