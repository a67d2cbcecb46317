import Foundation
import Testing
@testable import CentreQL

/// `centreql save FILE` / `--data FILE`: the store round-trips through one file, every query answers
/// as before, and a file that is not a whole snapshot of this format is refused with the reason.
@Suite struct SnapshotTests {
    func path() -> String { NSTemporaryDirectory() + "centreql-snapshot-\(UUID().uuidString).cqs" }

    func sameData(_ a: Store, _ b: Store) {
        #expect(a.catalog == b.catalog)
        for (x, y) in zip(a.tables, b.tables) {
            #expect(x.rowCount == y.rowCount, "\(x.schema.name)")
            #expect(x.columns.map(Array.init) == y.columns.map(Array.init), "\(x.schema.name)")
        }
    }

    @Test func builtInDataRoundTripsAndEveryCorpusQueryAnswersAsBefore() throws {
        let file = path()
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Snapshot.write(.builtIn, to: file)
        #expect(Snapshot.isSnapshot(file))
        let opened = try Snapshot.read(file)
        sameData(.builtIn, opened)
        // The query and plan corpora's expected blocks are the built-in data's answers and plans (the
        // ordered indexes as stored): they hold on the snapshot too.
        for script in EvaluatorTests.corpus + Repository.corpus("plans") {
            let source = SourceText(Repository.read(script), name: script)
            let report = ScriptCheck.check(source, engine: Engine(store: opened))
            #expect(report.passed, "\(script): \(report.failures.map(\.line))")
        }
    }

    /// Opening reports its progress after each column and stops when told to, leaving nothing made.
    @Test func openingReportsProgressAndCanBeStopped() throws {
        let file = path()
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Snapshot.write(.builtIn, to: file)
        var seen: [Int] = []
        var total = 0
        _ = try Snapshot.read(file) { read, all in seen.append(read); total = all; return true }
        #expect(seen.count == Store.builtIn.tables.reduce(0) { $0 + $1.schema.columns.count })
        #expect(seen == seen.sorted() && seen.last! < total && total > 0)
        var calls = 0
        #expect(throws: SnapshotError.cancelled) {
            _ = try Snapshot.read(file) { _, _ in calls += 1; return calls < 3 }
        }
        #expect(calls == 3)
    }

    /// A large array is copied in parts on every core; the parts must make the whole.
    @Test func aLargeArrayIsCopiedWhole() {
        var generator = SystemRandomNumberGenerator()
        let source = (0..<(3 << 20) + 13).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) }
        let copy = [UInt64](unsafeUninitializedCapacity: source.count) { buffer, initialized in
            source.withUnsafeBytes { SnapshotReader.copy($0, into: UnsafeMutableRawBufferPointer(buffer)) }
            initialized = source.count
        }
        #expect(copy == source)
    }

    @Test func generatedDataRoundTrips() throws {
        let directory = NSTemporaryDirectory() + "centreql-snapshot-generated-\(UUID().uuidString)"
        let file = path()
        defer { try? FileManager.default.removeItem(atPath: directory); try? FileManager.default.removeItem(atPath: file) }
        _ = try Generator(centres: 500, seed: 3).write(to: directory)
        let loaded = try CSVLoader.load(directory: directory)
        try Snapshot.write(loaded, to: file)
        let opened = try Snapshot.read(file)
        sameData(loaded, opened)
        let query = "awards | derive d = centre.district | group d, category agg n = count(), v = sum(centre.volunteers ?? 0) | sort n desc, d, category | take 5"
        var a = Engine(store: loaded), b = Engine(store: opened)
        #expect(try a.query(query) == b.query(query))
    }

    /// Each damaged file is refused with what is wrong with it, never a crash.
    @Test func damagedFilesAreRefusedWithTheReason() throws {
        let file = path()
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Snapshot.write(.builtIn, to: file)
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        func refusal(_ bytes: [UInt8]) -> String {
            do {
                _ = try Snapshot.read(bytes: bytes)
                return "opened"
            } catch {
                return error.reason
            }
        }
        #expect(refusal(Array("id,name\n1,a\n".utf8)).hasPrefix("not a CentreQL snapshot"))
        #expect(refusal([]).hasPrefix("not a CentreQL snapshot"))
        #expect(refusal(Array(good.prefix(good.count - 100))).hasPrefix("truncated: the file ends 100 bytes early"))
        #expect(refusal(Array(good.prefix(Snapshot.headerLength - 3))).hasPrefix("corrupted"))
        var flipped = good
        flipped[good.count / 2] ^= 0x40
        #expect(refusal(flipped) == "corrupted: its checksum does not match its contents")
        var future = good
        future[Snapshot.magic.count] = 2  // the version, little-endian
        #expect(refusal(future).hasPrefix("written by a newer CentreQL (snapshot format 2"))
        #expect(refusal(good + [0]).hasPrefix("corrupted: 1 bytes after its end"))
        // Every cut of the file is refused, none crashes.
        for cut in stride(from: 0, to: good.count, by: max(1, good.count / 300)) {
            #expect(refusal(Array(good.prefix(cut))) != "opened")
        }
    }

    /// A file that passes the checksum but holds a code that names no text (made by hand) is refused.
    @Test func aConsistentButInvalidPayloadIsRefused() throws {
        var payload = SnapshotWriter()
        let schema = try JSONEncoder().encode([Catalog.provenance])
        payload.array(Array(schema))
        payload.integer(1)
        for _ in Catalog.provenance.columns {
            payload.byte(4)            // text
            payload.array([UInt32(7)]) // code 7 of an empty dictionary
            payload.integer(0)
        }
        var file = SnapshotWriter()
        file.bytes = Snapshot.magic
        file.scalar(Snapshot.version)
        file.integer(payload.bytes.count)
        file.scalar(payload.bytes.withUnsafeBytes { Snapshot.checksum($0) })
        do {
            _ = try Snapshot.read(bytes: file.bytes + payload.bytes)
            Issue.record("opened")
        } catch {
            #expect(error.reason == "corrupted: a text code names no text")
        }
    }

    /// The fuzzer's first find: a payload whose award names a centre that is not there crashed while
    /// the error was written (a snapshot's rows have no source lines). It is refused.
    @Test func aBrokenLinkIsRefusedNotACrash() throws {
        let file = Repository.root.appendingPathComponent("Tests/CentreQLTests/Corpus/snapshot-broken-link.cqs").path
        do {
            _ = try Snapshot.read(file)
            Issue.record("opened")
        } catch {
            #expect(error.reason.hasPrefix("corrupted: its links do not hold: awards"), "\(error.reason)")
        }
    }

    /// A later find of the fuzzer: a snapshot whose schema says awards.year must be between 3898 and
    /// 2100 crashed when the column's values were checked (a range of crossed bounds traps). The
    /// schema is refused. The corpus file is the payload the fuzzer made, put behind a header here.
    @Test func aDomainOfCrossedBoundsIsRefusedNotACrash() throws {
        let payload = [UInt8](try Data(contentsOf: Repository.root.appendingPathComponent("Tests/CentreQLTests/Corpus/snapshot-crossed-domain.payload")))
        var header = SnapshotWriter()
        header.bytes = Snapshot.magic
        header.scalar(Snapshot.version)
        header.integer(payload.count)
        header.scalar(payload.withUnsafeBytes { Snapshot.checksum($0) })
        do {
            _ = try Snapshot.read(bytes: header.bytes + payload)
            Issue.record("opened")
        } catch {
            #expect(error.reason.contains("awards.year must be between 3898 and 2100, which no value is"), "\(error.reason)")
        }
    }

    @Test func theCommandSavesAndDataOpensIt() throws {
        let file = path()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let saved = try CommandTests().run(["save", file])
        #expect(saved.status == 0 && saved.stdout.hasPrefix("saved centres 40, awards 40, projects 43"), "\(saved.stderr)")
        let run = try CommandTests().run(["--data", file, "-c", "centres | where volunteers > 18000 | select town"])
        #expect(run.status == 0 && run.stdout.contains("吴泾镇"), "\(run.stderr)")
        try Data("not a snapshot".utf8).write(to: URL(fileURLWithPath: file))
        let refused = try CommandTests().run(["--data", file, "-c", "centres | count"])
        #expect(refused.status == 2 && !refused.stderr.isEmpty)
    }
}
