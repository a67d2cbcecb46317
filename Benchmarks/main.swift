// The side-by-side benchmark: CentreQL against SQLite (in-process, the system's libsqlite3,
// `:memory:`, the same indexes) and DuckDB (its Python package, 2 threads, run by
// Benchmarks/duckdb_peer.py when `--duckdb PYTHON` names a Python that has it) on generated data.
// It checks that every engine returns the same rows and prints, per query class, the median time
// over repeated runs and the ratios CentreQL / SQLite and CentreQL / DuckDB.
//
//   swift run -c release CentreQLBenchmarks [--sizes 10000,100000,1000000] [--runs 5] [--duckdb PYTHON] [--classes 14,16]
//
// Timings are medians of wall-clock runs on a noisy machine: compare the ratios, not the numbers.
import CSQLite
import CentreQL
import Foundation

struct Options {
    var sizes = [10_000, 100_000, 1_000_000]
    var runs = 5
    /// A Python interpreter with the duckdb package (`make benchmark` makes one in .build/venv).
    var duckDBPython: String?
    /// Only these classes (`--classes 14,16`), for a quicker look at a few; every class by default.
    var onlyClasses: Set<Int>?

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--sizes": sizes = (iterator.next() ?? "").split(separator: ",").compactMap { Int($0) }
            case "--runs": runs = Int(iterator.next() ?? "") ?? runs
            case "--duckdb": duckDBPython = iterator.next()
            case "--classes": onlyClasses = Set((iterator.next() ?? "").split(separator: ",").compactMap { Int($0) })
            case "--profile-prepare":
                // For a profiler: prepare class 6's query over and over on the built-in data, nothing else.
                let count = Int(iterator.next() ?? "") ?? 100_000
                let engine = Engine()
                let query = classes(size: 40)[5].centreQL
                for _ in 0..<count { _ = engine.prepare(query) }
                exit(0)
            case "--profile-lookup":
                // For a profiler: class 1's point lookup run over and over on the built-in data.
                let count = Int(iterator.next() ?? "") ?? 100_000
                var engine = Engine()
                let query = classes(size: 40)[0].centreQL
                for _ in 0..<count { _ = try? engine.query(query) }
                exit(0)
            case "--profile-class":
                // For a profiler: `--profile-class N SNAPSHOT RUNS [rows]` runs class N's query RUNS times on a
                // snapshot (with `rows`, reading each result's rows too, as printing it does).
                let number = Int(iterator.next() ?? "") ?? 1
                let store = try! Snapshot.read(iterator.next() ?? "")
                let count = Int(iterator.next() ?? "") ?? 10
                let readsRows = iterator.next() == "rows"
                var engine = Engine(store: store)
                let query = classes(size: store.tables[0].rowCount).first { $0.number == number }!.centreQL
                let start = ContinuousClock.now
                for _ in 0..<count { let result = try! engine.query(query); if readsRows { _ = result.rows } }
                print("\((ContinuousClock.now - start) / count) a run")
                exit(0)
            default: print("unknown argument \(argument)"); exit(2)
            }
        }
    }
}

/// One query class, in both languages. `ordered` results are compared in order, the others as sets.
struct QueryClass {
    let number: Int
    let name: String
    let centreQL: String
    let sql: String
    let ordered: Bool
    /// DuckDB's spelling, where it differs from SQLite's.
    var duckDBSQL: String? = nil
    var duckDB: String { duckDBSQL ?? sql }
}

func classes(size: Int) -> [QueryClass] { [
    QueryClass(number: 1, name: "point lookup by id", centreQL: "centres | where id == \(size / 2 + 1) | select id, name",
               sql: "SELECT id, name FROM centres WHERE id = \(size / 2 + 1)", ordered: false),
    QueryClass(number: 2, name: "equality on district", centreQL: #"centres | where district == "闵行区" | select id, town"#,
               sql: "SELECT id, town FROM centres WHERE district = '闵行区'", ordered: false),
    QueryClass(number: 3, name: "range + equality on awards", centreQL: #"awards | where year >= 2015 and year <= 2018 and category == "品牌创新示范中心" | select id, rank"#,
               sql: "SELECT id, rank FROM awards WHERE year BETWEEN 2015 AND 2018 AND category = '品牌创新示范中心'", ordered: false),
    QueryClass(number: 4, name: "group by district, count and sum", centreQL: "centres | group district agg n = count(), total = sum(amount(volunteers))",
               sql: "SELECT district, COUNT(*), SUM(volunteers) FROM centres GROUP BY district", ordered: false),
    QueryClass(number: 5, name: "awards → centre, by district and category", centreQL: "awards | group centre.district, category agg n = count()",
               sql: "SELECT c.district, a.category, COUNT(*) FROM awards a JOIN centres c ON c.id = a.centre_id GROUP BY c.district, a.category", ordered: false),
    QueryClass(number: 6, name: "one theme's projects, top 10", centreQL: #"projects | where theme == "环保" | sort beneficiaries desc, id | take 10 | select id, town = centre.town, b = amount(beneficiaries)"#,
               sql: "SELECT p.id, c.town, p.beneficiaries FROM projects p JOIN centres c ON c.id = p.centre_id WHERE p.theme = '环保' ORDER BY p.beneficiaries DESC NULLS FIRST, p.id LIMIT 10", ordered: true),
    QueryClass(number: 7, name: "substring in names", centreQL: #"centres | where name contains "泾" | select id"#,
               sql: "SELECT id FROM centres WHERE instr(name, '泾') > 0", ordered: false),
    QueryClass(number: 8, name: "distinct towns per district", centreQL: "centres | select district, town | distinct | group district agg towns = count()",
               sql: "SELECT district, COUNT(DISTINCT town) FROM centres GROUP BY district", ordered: false),
    // Generic shapes, which no fast path was written for (9 and 10 are the front end and loading).
    QueryClass(number: 11, name: "group on a derived key through a link", centreQL: "awards | derive d = centre.district | group d, category agg n = count()",
               sql: "SELECT c.district, a.category, COUNT(*) FROM awards a JOIN centres c ON c.id = a.centre_id GROUP BY c.district, a.category", ordered: false),
    QueryClass(number: 12, name: "to-many count, filtered afterwards", centreQL: "centres | select id, n = count(projects) | where n > 6",
               sql: "SELECT id, n FROM (SELECT c.id, (SELECT COUNT(*) FROM projects p WHERE p.centre_id = c.id) AS n FROM centres c) WHERE n > 6", ordered: false),
    // 20余 is more than 20 (the wording decides between equal amounts), so the SQL says so too.
    QueryClass(number: 13, name: "to-many count with a condition", centreQL: "centres | select id, n = count(projects where members > 20)",
               sql: "SELECT c.id, (SELECT COUNT(*) FROM projects p WHERE p.centre_id = c.id AND (p.members > 20 OR (p.members = 20 AND p.members_q = '余'))) FROM centres c", ordered: false),
    QueryClass(number: 14, name: "filter on computed expressions", centreQL: "projects | where amount(beneficiaries) / (members ?? 1) > 100 and length(name) > 4 | select id",
               sql: "SELECT id FROM projects WHERE beneficiaries * 1.0 / NULLIF(COALESCE(members, 1), 0) > 100 AND length(name) > 4", ordered: false),
    QueryClass(number: 15, name: "equality join", centreQL: "awards | join centres as c on c.id == centre_id | select id, c.town",
               sql: "SELECT a.id, c.town FROM awards a JOIN centres c ON c.id = a.centre_id", ordered: false),
    // Shapes the planner treats otherwise than the ones above: a join whose key is not an id (a
    // hash table is built), a group on a number (its values hashed), distinct over numbers.
    QueryClass(number: 16, name: "equality join on a key that is not an id", centreQL: "centres | join awards as a on a.centre_id == id | select id, a.rank",
               sql: "SELECT c.id, a.rank FROM centres c JOIN awards a ON a.centre_id = c.id", ordered: false),
    QueryClass(number: 17, name: "group on a number", centreQL: "awards | group rank agg n = count(), last = max(year)",
               sql: "SELECT rank, COUNT(*), MAX(year) FROM awards GROUP BY rank", ordered: false),
    QueryClass(number: 18, name: "distinct over numbers", centreQL: "awards | select rank, year | distinct",
               sql: "SELECT DISTINCT rank, year FROM awards", ordered: false),
    // The analysts' questions of issue 11: windows, a pipeline per group, pipelines inside pipelines.
    QueryClass(number: 19, name: "share of the total (an aggregate over all rows)", centreQL: "awards | derive share = rank / sum(rank) | select id, share",
               sql: "SELECT id, rank * 1.0 / SUM(rank) OVER () FROM awards", ordered: false),
    QueryClass(number: 20, name: "rank in a sort, first ranks kept", centreQL: "awards | sort category, rank | derive r = rank() | where r == 1 | select id",
               sql: "SELECT id FROM (SELECT id, RANK() OVER (ORDER BY category, rank) AS r FROM awards) WHERE r = 1", ordered: false),
    QueryClass(number: 21, name: "top 1 of each group", centreQL: "awards | group centre_id (sort rank | take 1) | select id",
               sql: "SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY centre_id ORDER BY rank, id) AS n FROM awards) WHERE n = 1", ordered: false),
    QueryClass(number: 22, name: "in a pipeline's list", centreQL: "centres | where id in (awards | where rank == 1 | select centre_id) | select id",
               sql: "SELECT id FROM centres WHERE id IN (SELECT centre_id FROM awards WHERE rank = 1)", ordered: false),
    QueryClass(number: 23, name: "except another pipeline's rows", centreQL: "projects | select theme | except (awards | where rank <= 2 | select theme = category)",
               sql: "SELECT theme FROM projects EXCEPT SELECT category FROM awards WHERE rank <= 2", ordered: false),
    QueryClass(number: 24, name: "lag and a running sum in order", centreQL: "awards | sort id | select id, p = lag(rank), s = running_sum(rank)",
               sql: "SELECT id, LAG(rank) OVER (ORDER BY id), SUM(rank) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) FROM awards", ordered: false),
] }

// MARK: SQLite

final class SQLite {
    private(set) var db: OpaquePointer?

    init() { sqlite3_open(":memory:", &db) }
    deinit { sqlite3_close(db) }

    func execute(_ sql: String) {
        var error: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(db, sql, nil, nil, &error) != SQLITE_OK {
            fatalError("SQLite: \(String(cString: error!)) in \(sql)")
        }
    }

    func prepare(_ sql: String) -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else {
            fatalError("SQLite: \(String(cString: sqlite3_errmsg(db))) in \(sql)")
        }
        return statement
    }

    func rows(_ sql: String) -> [[String]] {
        let statement = prepare(sql)
        defer { sqlite3_finalize(statement) }
        var rows: [[String]] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            rows.append((0..<sqlite3_column_count(statement)).map { column in
                switch sqlite3_column_type(statement, column) {
                case SQLITE_NULL: return "null"
                case SQLITE_INTEGER: return String(sqlite3_column_int64(statement, column))
                case SQLITE_FLOAT: return canonical(sqlite3_column_double(statement, column))
                default: return String(cString: sqlite3_column_text(statement, column))
                }
            })
        }
        return rows
    }
}

func canonical(_ number: Double) -> String {
    number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(format: "%.6g", number)
}

func canonical(_ value: Value) -> String {
    switch value {
    case .null: return "null"
    case .int(let i): return String(i)
    case .decimal(let d): return canonical(d)
    case .figure(let f): return canonical(f.amount)
    default: return value.description
    }
}

/// SQLite's copy of the data: figures as REAL amounts with their qualifiers beside them (`NAME_q`).
func loadSQLite(from directory: String) -> (SQLite, seconds: Double) {
    let sqlite = SQLite()
    let start = ContinuousClock.now
    sqlite.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN")
    for schema in Catalog.builtIn.tables {
        var definitions: [String] = []
        for column in schema.columns {
            switch column.type {
            case .int, .bool: definitions.append("\(column.name) INTEGER" + (column.name == "id" ? " PRIMARY KEY" : ""))
            case .decimal: definitions.append("\(column.name) REAL")
            case .figure: definitions += ["\(column.name) REAL", "\(column.name)_q TEXT"]
            default: definitions.append("\(column.name) TEXT")
            }
        }
        sqlite.execute("CREATE TABLE \(schema.name) (\(definitions.joined(separator: ", ")))")
        guard let text = try? String(contentsOfFile: directory + "/\(schema.name).csv", encoding: .utf8) else { continue }
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: true)
        let header = lines.first!.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let types = header.map { name in schema.columns.first { $0.name == name }!.type }
        let placeholders = types.map { $0 == .figure ? "?, ?" : "?" }.joined(separator: ", ")
        let names = zip(header, types).map { $1 == .figure ? "\($0), \($0)_q" : $0 }.joined(separator: ", ")
        let insert = sqlite.prepare("INSERT INTO \(schema.name) (\(names)) VALUES (\(placeholders))")
        for line in lines.dropFirst() {
            // The generator never quotes fields, so a plain split reads its files.
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            var parameter: Int32 = 1
            for (field, type) in zip(fields, types) {
                if field.isEmpty {
                    sqlite3_bind_null(insert, parameter)
                    if type == .figure { sqlite3_bind_null(insert, parameter + 1) }
                } else if type == .figure, let figure = Figure(parsing: String(field)) {
                    sqlite3_bind_double(insert, parameter, figure.amount)
                    if figure.qualifier == .exact { sqlite3_bind_null(insert, parameter + 1) } else {
                        sqlite3_bind_text(insert, parameter + 1, figure.qualifier.rawValue, -1, cql_sqlite_transient())
                    }
                } else if type == .int {
                    sqlite3_bind_int64(insert, parameter, Int64(field)!)
                } else if type == .bool {
                    sqlite3_bind_int64(insert, parameter, field == "true" ? 1 : 0)
                } else {
                    sqlite3_bind_text(insert, parameter, String(field), -1, cql_sqlite_transient())
                }
                parameter += type == .figure ? 2 : 1
            }
            sqlite3_step(insert)
            sqlite3_reset(insert)
        }
        sqlite3_finalize(insert)
    }
    for schema in Catalog.builtIn.tables {
        for index in schema.indexes {
            sqlite.execute("CREATE INDEX \(schema.name)_\(index.name) ON \(schema.name) (\(index.columns.joined(separator: ", ")))")
        }
        if schema.columnIndex("centre_id") != nil {
            sqlite.execute("CREATE INDEX \(schema.name)_centre_id ON \(schema.name) (centre_id)")  // the link
        }
    }
    sqlite.execute("COMMIT; ANALYZE")
    return (sqlite, (ContinuousClock.now - start).seconds)
}

// MARK: DuckDB

/// DuckDB's answers for one folder: its load time, memory, and per class the median time and a
/// digest of the rows (Benchmarks/duckdb_peer.py computes the same digest).
struct DuckDBRun: Decodable {
    struct Result: Decodable {
        let number: Int
        let seconds: Double
        let rows: Int
        let digest: String
    }
    let version: String
    let load: Double
    let memory: Double?
    /// The resident peak over the load, above what the process held before (bytes).
    let peak: Double?
    let results: [Result]

    /// Runs the peer; nil (with the reason printed) when it cannot.
    static func run(python: String, directory: String, runs: Int, queries: [QueryClass]) -> DuckDBRun? {
        // The tables the folder has a file for (the generator writes no optional table: facts, practices).
        let written = Catalog.builtIn.tables.filter { FileManager.default.fileExists(atPath: directory + "/\($0.name).csv") }
        let tables: [[String: Any]] = written.map { schema in
            ["name": schema.name, "columns": schema.columns.map { column -> [String: String] in
                let type: String
                switch column.type {
                case .int: type = "int"
                case .bool: type = "bool"
                case .decimal: type = "decimal"
                case .figure: type = "figure"
                default: type = "text"
                }
                return ["name": column.name, "type": type]
            }]
        }
        let request: [String: Any] = [
            "directory": directory, "runs": runs, "threads": 2, "tables": tables,
            "queries": queries.map { ["number": $0.number, "sql": $0.duckDB, "ordered": $0.ordered] as [String: Any] },
        ]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("duckdb_peer.py").path]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        do {
            try process.run()
            input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: request))
            try input.fileHandleForWriting.close()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { print("DuckDB: the peer failed (status \(process.terminationStatus))"); return nil }
            return try JSONDecoder().decode(DuckDBRun.self, from: data)
        } catch {
            print("DuckDB: \(error)")
            return nil
        }
    }
}

/// The digest duckdb_peer.py computes: FNV-1a (64 bits) over the rows as text, one per line,
/// sorted by their UTF-8 bytes unless the order matters.
func digest(_ rows: [[String]], ordered: Bool) -> String {
    var lines = rows.map { Array($0.joined(separator: "|").utf8) }
    if !ordered { lines.sort { $0.lexicographicallyPrecedes($1) } }
    var hash: UInt64 = 0xCBF29CE484222325
    for line in lines {
        for byte in line + [10] { hash = (hash ^ UInt64(byte)) &* 0x100000001B3 }
    }
    return String(format: "%016llx", hash)
}

// MARK: Measuring

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}

func median(_ runs: Int, _ work: () -> Void) -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        work()
        times.append((ContinuousClock.now - start).seconds)
    }
    return times.sorted()[times.count / 2]
}

func format(_ seconds: Double) -> String {
    seconds >= 1 ? String(format: "%.2f s", seconds) : seconds >= 1e-3 ? String(format: "%.1f ms", seconds * 1e3) : String(format: "%.1f µs", seconds * 1e6)
}

func ratio(_ a: Double, _ b: Double) -> String { String(format: "%.2f", a / b) }

/// A field of /proc/self/status in bytes (`VmRSS`, the resident set now; `VmHWM`, its peak).
func processStatus(_ field: String) -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
          let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kib * 1024
}

/// Runs `work` and gives the resident peak it reached above the resident set before it (Linux
/// resets the peak when "5" is written to /proc/self/clear_refs).
func residentPeak<T>(_ work: () throws -> T) rethrows -> (T, bytes: Double) {
    cql_trim_heap()  // memory freed earlier (a smaller size's store) would otherwise be reused unseen
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    let before = processStatus("VmRSS")
    let result = try work()
    return (result, max(0, processStatus("VmHWM") - before))
}

func megabytes(_ bytes: Double) -> String { String(format: "%.0f MB", bytes / 1e6) }

/// Time per centre of each class at each size, for the table of costs as work grows.
var costs: [String: [Int: Double]] = [:]
var classNames: [(label: String, name: String)] = []
@MainActor func record(_ label: String, _ name: String, size: Int, seconds: Double) {
    if costs[label] == nil { classNames.append((label, name)) }
    costs[label, default: [:]][size] = seconds / Double(size)
}

let options = Options(CommandLine.arguments)
let duckDBNote = options.duckDBPython == nil ? "DuckDB skipped (no --duckdb PYTHON: `make benchmark` installs it when pip can)" : "DuckDB (Python package, 2 threads)"
print("CentreQL vs SQLite \(String(cString: sqlite3_libversion())) (in-process, :memory:, same indexes) and \(duckDBNote); \(options.runs) runs per query, medians")
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB\n")
var mismatches = 0
for size in options.sizes {
    let directory = NSTemporaryDirectory() + "centreql-bench-\(size)"
    let counts = try Generator(centres: size, seed: 2019).write(to: directory)
    let totalRows = counts.centres + counts.awards + counts.projects

    let heapBefore = cql_heap_in_use()
    let loadStart = ContinuousClock.now
    let (store, centreQLPeak) = try residentPeak { try CSVLoader.load(directory: directory) }
    let centreQLLoad = (ContinuousClock.now - loadStart).seconds
    let storeBytes = Double(cql_heap_in_use()) - Double(heapBefore)

    let sqliteBefore = sqlite3_memory_used()
    _ = sqlite3_memory_highwater(1)
    let (sqlite, sqliteLoad) = loadSQLite(from: directory)
    let sqliteBytes = Double(sqlite3_memory_used() - sqliteBefore)
    let sqlitePeak = Double(sqlite3_memory_highwater(0) - sqliteBefore)

    var engine = Engine(store: store)
    let queries = classes(size: size).filter { options.onlyClasses?.contains($0.number) ?? true }
    // DuckDB runs in its own process, before CentreQL's and SQLite's timings, so they never share the cores.
    let duck = options.duckDBPython.flatMap { DuckDBRun.run(python: $0, directory: directory, runs: options.runs, queries: queries) }
    if let duck, size == options.sizes.first { print("DuckDB \(duck.version)\n") }

    print("## \(size) centres (\(counts.awards) awards, \(counts.projects) projects)\n")
    if duck != nil {
        print("| class | query | CentreQL | SQLite | DuckDB | CentreQL / SQLite | CentreQL / DuckDB | rows |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    } else {
        print("| class | query | CentreQL | SQLite | CentreQL / SQLite | rows |")
        print("| --- | --- | ---: | ---: | ---: | ---: |")
    }
    for query in queries {
        let ours = try engine.query(query.centreQL).rows.map { $0.map(canonical) }
        let theirs = sqlite.rows(query.sql)
        var same = query.ordered ? ours == theirs : ours.map { $0.joined(separator: "|") }.sorted() == theirs.map { $0.joined(separator: "|") }.sorted()
        if !same {
            mismatches += 1
            print("MISMATCH in class \(query.number): CentreQL \(ours.prefix(3)) … SQLite \(theirs.prefix(3)) …")
        }
        var a = median(options.runs) { _ = try? engine.query(query.centreQL) }
        var b = median(options.runs) { _ = sqlite.rows(query.sql) }
        if query.number == 1 {
            // One lookup takes microseconds: timed alone, it measures the clock and cold caches. Each
            // engine instead looks up 1,000 different ids a run, every text prepared afresh (no plan cache).
            let ids = (0..<1000).map { 1 + ($0 * 7919) % size }
            let texts = ids.map { (centreQL: "centres | where id == \($0) | select id, name", sql: "SELECT id, name FROM centres WHERE id = \($0)") }
            a = median(options.runs) { for text in texts { _ = try? engine.query(text.centreQL) } } / Double(texts.count)
            b = median(options.runs) { for text in texts { _ = sqlite.rows(text.sql) } } / Double(texts.count)
        }
        record(String(query.number), query.name, size: size, seconds: a)
        if let duck, let result = duck.results.first(where: { $0.number == query.number }) {
            if result.digest != digest(ours, ordered: query.ordered) {
                mismatches += 1
                same = false
                print("MISMATCH in class \(query.number): DuckDB's \(result.rows) rows are not CentreQL's \(ours.count)")
            }
            print("| \(query.number) | \(query.name) | \(format(a)) | \(format(b)) | \(format(result.seconds)) | \(ratio(a, b)) | \(ratio(a, result.seconds)) | \(ours.count)\(same ? "" : " ≠") |")
        } else {
            print("| \(query.number) | \(query.name) | \(format(a)) | \(format(b)) | \(ratio(a, b)) | \(ours.count)\(same ? "" : " ≠") |")
        }
    }
    // 9: what the REPL pays before running anything (DuckDB's prepare is behind Python's: not compared).
    let typical = classes(size: size)[5]
    let prepareRuns = 1000
    let a = median(options.runs) { for _ in 0..<prepareRuns { _ = engine.prepare(typical.centreQL) } } / Double(prepareRuns)
    let b = median(options.runs) {
        for _ in 0..<prepareRuns { let statement = sqlite.prepare(typical.sql); sqlite3_finalize(statement) }
    } / Double(prepareRuns)
    // 10s: the same data from a snapshot (centreql save), opened as --data FILE does; compared with the
    // peers' loading of the CSV files, which is what a snapshot spares.
    let snapshotPath = NSTemporaryDirectory() + "centreql-bench-\(size).cqs"
    try Snapshot.write(store, to: snapshotPath)
    let snapshotBytes = (try? FileManager.default.attributesOfItem(atPath: snapshotPath)[.size] as? Int) ?? 0
    let snapshotOpen = median(options.runs) { _ = try? Snapshot.read(snapshotPath) }
    let (_, snapshotPeak) = residentPeak { try? Snapshot.read(snapshotPath) }
    try? FileManager.default.removeItem(atPath: snapshotPath)
    record("9", "parse + check + plan (class 6)", size: size, seconds: a)
    record("10s", "open a snapshot", size: size, seconds: snapshotOpen)
    record("10", "load the CSV files", size: size, seconds: centreQLLoad)
    if let duck {
        print("| 9 | parse + check + plan (class 6), vs sqlite3_prepare_v2 | \(format(a)) | \(format(b)) | | \(ratio(a, b)) | | |")
        print("| 10s | open a snapshot of the data (\(snapshotBytes >> 20) MiB), vs the peers' CSV loads | \(format(snapshotOpen)) | \(format(sqliteLoad)) | \(format(duck.load)) | \(ratio(snapshotOpen, sqliteLoad)) | \(ratio(snapshotOpen, duck.load)) | \(totalRows) |")
        print("| 10 | load the CSV files (with indexes; DuckDB's read_csv without) | \(format(centreQLLoad)) | \(format(sqliteLoad)) | \(format(duck.load)) | \(ratio(centreQLLoad, sqliteLoad)) | \(ratio(centreQLLoad, duck.load)) | \(totalRows) |")
    } else {
        print("| 9 | parse + check + plan (class 6), vs sqlite3_prepare_v2 | \(format(a)) | \(format(b)) | \(ratio(a, b)) | |")
        print("| 10s | open a snapshot of the data (\(snapshotBytes >> 20) MiB), vs SQLite's CSV load | \(format(snapshotOpen)) | \(format(sqliteLoad)) | \(ratio(snapshotOpen, sqliteLoad)) | \(totalRows) |")
        print("| 10 | load the CSV files (with indexes) | \(format(centreQLLoad)) | \(format(sqliteLoad)) | \(ratio(centreQLLoad, sqliteLoad)) | \(totalRows) |")
    }
    print("\nload rate: CentreQL \(Int(Double(totalRows) / centreQLLoad)) rows/s, SQLite \(Int(Double(totalRows) / sqliteLoad)) rows/s"
          + (duck.map { ", DuckDB \(Int(Double(totalRows) / $0.load)) rows/s" } ?? ""))
    print("memory: CentreQL \(Int(storeBytes / Double(totalRows))) bytes/row (heap growth over the load), SQLite \(Int(sqliteBytes / Double(totalRows))) bytes/row (sqlite3_memory_used)"
          + (duck?.memory.map { ", DuckDB \(Int($0 / Double(totalRows))) bytes/row (duckdb_memory())" } ?? ""))
    print("peak during the load: CentreQL \(megabytes(centreQLPeak)) resident (\(megabytes(snapshotPeak)) opening the snapshot), SQLite \(megabytes(sqlitePeak)) (sqlite3_memory_highwater)"
          + (duck?.peak.map { ", DuckDB \(megabytes($0)) resident (its process's peak)" } ?? ""))
    // Per table, as laid out: columns, indexes and link indexes (the heap figure above adds the allocator's overhead).
    print("per table: " + store.byteCounts.filter { $0.rows > 0 }.map { "\($0.table) \($0.bytes / $0.rows) bytes/row" }.joined(separator: ", ") + "\n")
}
// Cost as work grows: CentreQL's time per centre at each size. Linear work keeps it flat; the last
// column is how it grew from the smallest size to the largest (a point lookup and preparing do the
// same work at every size, so theirs falls).
if options.sizes.count > 1 {
    let sizes = options.sizes.sorted()
    print("## CentreQL's time per centre as the data grows\n")
    print("| class | query | " + sizes.map { "\($0) centres" }.joined(separator: " | ") + " | growth |")
    print("| --- | --- | " + sizes.map { _ in "---:" }.joined(separator: " | ") + " | ---: |")
    for (label, name) in classNames {
        let perCentre = sizes.map { costs[label]?[$0] }
        let cells = perCentre.map { $0.map { String(format: "%.1f ns", $0 * 1e9) } ?? "" }
        let growth = perCentre.first.flatMap { first in perCentre.last.flatMap { last in first.flatMap { f in last.map { $0 / f } } } }
        let flag = (growth ?? 0) > 1.5 ? " (faster than linear)" : ""
        print("| \(label) | \(name) | " + cells.joined(separator: " | ") + " | " + (growth.map { String(format: "%.2f", $0) } ?? "") + flag + " |")
    }
    print("")
}
if mismatches > 0 {
    print("\(mismatches) result mismatches")
    exit(1)
}
