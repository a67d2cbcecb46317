// The libFuzzer entry point, compiled into the engine's own module by `scripts/fuzz` (so it can reach
// the CSV parser, which is internal). It feeds the bytes through everything a user's text reaches:
//   FUZZ_TARGET=query (default): lexer, parser, checker, planner, executor with and without indexes,
//     the diagnostic renderer and every output format;
//   FUZZ_TARGET=csv: the CSV reader and the typed row parser of each table, then building a store;
//   FUZZ_TARGET=sql: each query compiled to SQLite's SQL and run on the exported built-in data,
//     whose rows must be the in-memory engine's (and whose database must be unchanged after);
//   FUZZ_TARGET=snapshot: the snapshot reader, on the bytes as a whole file when they start as one,
//     else as a payload given a valid header and checksum (so the fuzzer gets past the checksum).
// A crash, a sanitizer report or a timeout here is a bug; each one found becomes a regression test.
import Foundation

private let target = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "query"
private let builtIn = Store.builtIn

/// `FUZZ_TARGET=dictionary` prints the fuzzer's dictionary, made from the language's vocabulary
/// and the built-in schema, and exits (`scripts/fuzz` writes it before fuzzing).
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    guard target == "dictionary" else { return 0 }
    for word in Vocabulary.words(of: .builtIn) {
        let escaped = word.utf8.map { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 || $0 > 0x7E ? String(format: "\\x%02x", $0) : String(UnicodeScalar($0)) }.joined()
        print("\"\(escaped)\"")
    }
    exit(0)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    if target == "snapshot" {
        fuzzSnapshot(Array(UnsafeBufferPointer(start: bytes, count: count)))
        return 0
    }
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    switch target {
    case "csv": fuzzCSV(text)
    case "sql": fuzzSQL(text)
    default: fuzzQuery(text)
    }
    return 0
}

private func fuzzQuery(_ text: String) {
    let source = SourceText(text, name: "<fuzz>")
    // `explain` differs with and without indexes by design; its answers are left out of the comparison.
    let explains = Parser.parse(source).map { if case .explain = $0.statement?.kind { true } else { false } }
    var answers: [[String]] = []
    for usesIndexes in [true, false] {
        var engine = Engine(store: builtIn, parameters: ["district": "闵行区", "n": "3"])
        engine.usesIndexes = usesIndexes
        engine.usesKernels = usesIndexes  // the second run takes the general path all the way
        let renderer = DiagnosticRenderer(source: source)
        var outputs: [String] = []  // one per statement
        engine.run(source) { result in
            switch result.outcome {
            case .rows(let rows):
                let rendered = OutputFormat.allCases.map {
                    $0.render(rows, options: TableOptions(maxRows: 50, maxColumnWidth: 20, maxLineWidth: 80))
                }
                let isExplain = explains.indices.contains(outputs.count) && explains[outputs.count]
                outputs.append(isExplain ? "explain" : rendered.joined())
            case .failed(let diagnostics):
                outputs.append(diagnostics.map(renderer.render).joined())
            case .defined(let name):
                outputs.append(name)
            }
        }
        answers.append(outputs)
    }
    // Indexes and the row-number path are optimisations: with or without them every answer must be the same.
    if answers[0] != answers[1] {
        fatalError("indexes changed the answer of:\n\(text)\n--- with:\n\(answers[0].joined())\n--- without:\n\(answers[1].joined())")
    }
}

private func fuzzCSV(_ text: String) {
    var tables: [String: [DataRow]] = [:]
    for schema in Catalog.builtIn.tables {
        if let rows = try? CSVLoader.parse(text, schema: schema, file: "<fuzz>") { tables[schema.name] = rows }
    }
    // A table that parsed may still break a store's rules (ids, links, domains); that must be an error, not a crash.
    _ = try? Store(rows: tables)
}

/// The built-in data in an in-memory SQLite database, made once (the engine's authorizer keeps every
/// query from changing it; the fuzzer checks that too).
private let database: SQLiteDatabase = {
    let database = try! SQLiteDatabase(path: ":memory:")
    try! database.load(builtIn)
    return database
}()
private let rowCounts = CompiledQuery(sql: "SELECT (SELECT COUNT(*) FROM centres) + (SELECT COUNT(*) FROM awards) + (SELECT COUNT(*) FROM projects)",
                                      parameters: [], columns: [ResultColumn(name: "n", type: .int)])

private func fuzzSQL(_ text: String) {
    let source = SourceText(text, name: "<fuzz>")
    var running = Engine(store: builtIn, parameters: ["district": "闵行区", "n": "3"])
    var compiling = running
    var answers: [SourceRange: StatementOutcome] = [:]
    running.run(source) { answers[$0.extent] = $0.outcome }
    compiling.compileSQL(source, dialect: .sqlite) { extent, outcome in
        guard case .rows(let expected)? = answers[extent], case .sql(let query, let parameters) = outcome else { return }
        // What SQLite refuses (a limit of its own, an overflow it reports) is not a disagreement;
        // different rows are.
        guard let actual = try? database.run(query, parameters: parameters) else { return }
        let ours = expected.rows.map { $0.map(\.description) }, theirs = actual.rows.map { $0.map(\.description) }
        if ours != theirs {
            fatalError("SQLite disagrees on:\n\(source.text(of: extent))\n\(query.sql)\n--- ours: \(ours.prefix(5))\n--- SQLite: \(theirs.prefix(5))")
        }
    }
    if (try? database.run(rowCounts, parameters: [:]).rows) != [[.int(builtIn.tables.prefix(3).map(\.rowCount).reduce(0, +))]] {
        fatalError("a query changed the database:\n\(text)")
    }
}

/// A snapshot opens or is refused with a reason; when it opens, a query over every table runs.
private func fuzzSnapshot(_ bytes: [UInt8]) {
    var file = bytes
    if !bytes.starts(with: Snapshot.magic) {
        var header = SnapshotWriter()
        header.bytes = Snapshot.magic
        header.scalar(Snapshot.version)
        header.integer(bytes.count)
        header.scalar(bytes.withUnsafeBytes { Snapshot.checksum($0) })
        file = header.bytes + bytes
    }
    guard let store = try? Snapshot.read(bytes: file) else { return }
    var engine = Engine(store: store)
    for table in store.catalog.tables {
        _ = try? engine.query("\(table.name) | take 5")
    }
}
