import Foundation
import Testing
@testable import CentreQL

/// The planner explains itself, and the tests read the explanation (as SQLite's tests read
/// EXPLAIN QUERY PLAN): Tests/CentreQLTests/Corpus/plans/ holds, a file per kind of decision,
/// queries with their plans.
@Suite struct PlannerTests {
    @Test(arguments: Repository.corpus("plans"))
    func planCorpus(_ path: String) {
        let report = ScriptCheck.check(SourceText(Repository.read(path)))
        #expect(report.cases.contains { $0.expected != nil }, "\(path) has no case with expected output")
        for failure in report.failures {
            let message = "\(path):\(failure.line)\n" + ScriptCheck.diff(expected: failure.expected ?? [], actual: failure.actual)
            Issue.record("\(message)")
        }
    }

    /// Every query of the examples and the evaluator corpus gives the same output with and without
    /// indexes, and with and without the row-number fast path.
    @Test(arguments: EvaluatorTests.corpus + ExamplesTests.files.map { String($0.dropFirst(Repository.root.path.count + 1)) })
    func indexesAndFastPathsNeverChangeAnAnswer(_ path: String) {
        let source = SourceText(Repository.read(path))
        var scanning = Engine()
        scanning.usesIndexes = false
        var plain = Engine()
        plain.usesIndexes = false
        plain.usesKernels = false
        let withIndexes = ScriptCheck.check(source).cases.map(\.actual)
        let withoutIndexes = ScriptCheck.check(source, engine: scanning).cases.map(\.actual)
        let withoutEither = ScriptCheck.check(source, engine: plain).cases.map(\.actual)
        #expect(withIndexes == withoutIndexes)
        #expect(withIndexes == withoutEither)
    }

    /// The same on generated data, where groups, ties, nulls and top-N have thousands of rows to work on.
    @Test func fastPathsMatchOnGeneratedData() throws {
        let directory = NSTemporaryDirectory() + "centreql-fast-paths"
        _ = try Generator(centres: 2_000, seed: 3).write(to: directory)
        let store = try CSVLoader.load(directory: directory)
        var fast = Engine(store: store)
        var plain = Engine(store: store)
        plain.usesIndexes = false
        plain.usesKernels = false
        for query in [
            "centres | group district agg n = count(), total = sum(amount(volunteers)), top = max(volunteers), share = sum(amount(volunteers)) / count()",
            "awards | group centre.district, category agg n = count()",
            "projects | where theme == \"环保\" | sort beneficiaries desc, id | take 10 | select id, town = centre.town, b = amount(beneficiaries)",
            "projects | sort members, id desc | take 25 | select id",
            "projects | sort members | select id",
            // Sorts by stored columns, ranked from the columns (text by its dictionary, through links,
            // descending, nulls after every value), against the values compared one by one.
            "centres | sort town desc, district, id desc | select id, town",
            "awards | sort centre.town, rank desc | select id",
            "centres | sort teams desc, town | select id, teams",
            "awards | sort category, rank | derive r = rank(), d = dense_rank() | where r <= 2 | select id, r, d",
            "centres | sort district | derive r = rank() | select id, r",
            "centres | sort volunteers desc, id | take 30 | select id, volunteers",
            // Computed columns read by later stages as typed vectors (ints, decimals, figures, nulls).
            "awards | derive share = rank / sum(rank), pct = share * 100 | select id, pct, r = rank - avg(rank)",
            "centres | derive v = volunteers, t = teams * 2, d = amount(volunteers) / 3 | where v > 100 or t > 4 | select id, w = v * 2, u = t + 1, e = d - 1",
            "projects | derive b = beneficiaries ?? members | derive c = b * 2, k = b == null | select id, c, k",
            "projects | sort beneficiaries, members desc | select id",
            "centres | sort volunteers | derive r = rank(), d = dense_rank() | select id, r, d",
            "projects | sort centre.town desc, beneficiaries | take 40 | select id",
            "awards | group centre_id (sort rank, id desc | take 1) | select id, centre_id",
            "centres | group district (sort town desc | take 2) | select id",
            "centres | group district (sort teams desc, town | take 1) | select id, district",
            "projects | group centre.town (sort beneficiaries, members desc | take 1) | select id",
            "awards | group category (sort centre.town desc | take 1)",
            "projects | group theme (where members > 10 | sort members desc) | select id, theme",
            "centres | where name contains \"泾\" | select id",
            "centres | where length(town) > 3 or town == null | select id",
            "centres | where town starts_with \"新\" and not (town ends_with \"镇\") | select id, town",
            "centres | where district in [\"闵行区\", \"徐汇区\"] and town_kind == \"镇\" | count",
            "centres | where district_en matches \"^(Min|Xu)\" | count",
            "centres | select district, town | distinct | group district agg towns = count()",
            "centres | select town_kind, district | distinct",
            "centres | where volunteers > 1000 | count",
            "centres | group agg n = count(), v = avg(volunteers)",
            "centres | where id < 0 | group agg n = count(), v = sum(volunteers)",
            "projects | group kind agg n = count(), b = exists(where beneficiaries > 900000)",
            "centres | sort volunteers desc | take 5 | derive x = id * 2 | select id, x",
            // Filters taken a batch at a time (VectorFilter) against the evaluator row by row: nulls,
            // figures' amounts, exact whole numbers, division by zero, `??`, text once per distinct string.
            "projects | where amount(beneficiaries) / (members ?? 1) > 100 and length(name) > 4 | select id",
            "centres | where volunteers / 0 == null and id > 10 | count",
            "centres | where not (town ends_with \"镇\") or teams == null | select id",
            "centres | where (teams ?? 0) >= 5 and district != \"闵行区\" | select id",
            "projects | where members ?? 0.5 < 3 | select id",
            "centres | where id / 3 > 100 and name contains \"中心\" and town != null | count",
            "awards | where rank >= 3 and rank <= 7 and year == 2019 and category == \"服务创优示范中心\" | select id",
            "centres | where volunteers > teams or stations == volunteers | select id",
            "centres | where district in [\"闵行区\"] and id != 7 | select id",
            "awards | where rank > 5 and rank * 2 > 12 and year / 1 > 2000 | select id",
            "centres | where 9007199254740993 > id and id > -9007199254740993 | count",
            // `derive` computed where it is read (DeriveInlining) against the derived rows.
            "awards | derive d = centre.district | group d, category agg n = count()",
            "awards | derive d = centre.district, r = rank / 2 | where r > 2 | sort d, id | take 20 | select id, d, r",
            "centres | derive x = teams ?? 0, y = id / 2 | where y > 10 | derive z = x | sort z desc, id | take 7",
            "projects | derive t = theme, b = amount(beneficiaries) | group t agg n = count(), s = sum(b), m = max(b) | sort t",
            "centres | where id < 30 | derive d = district | distinct | count",
            "awards | derive c = category | select c | distinct",
            // `where`, `sort` and `take` after a `select` run before it (SelectPushdown).
            "centres | select id, n = count(projects) | where n > 6",
            "centres | select id, n = count(projects), d = district | where n > 0 and d != \"闵行区\" | sort n desc, id | take 9",
            "projects | select id, b = amount(beneficiaries), t = theme | sort b desc | take 11 | where t != null",
            "centres | select d = district, v = volunteers | where v > 100 | distinct | count",
            "centres | select id, s = sum(projects.members) | where s > 10 | select id",
            // Kernels (on) against the evaluator (off): arithmetic, figures and their qualifiers, `??` on
            // figures, links followed for a batch, derived columns read by later stages, distinct by value.
            "projects | derive b = beneficiaries ?? members, m = members * 3 - id, h = volunteers / 7 | where m > 20 | select id, b, m, h",
            "projects | select id, b = beneficiaries / (members ?? 1), c = beneficiaries * 2 + members, e = beneficiaries - beneficiaries, f = (members ?? 2) * 1.5 | where b != null or c > 0",
            "centres | select v = volunteers, w = volunteers ?? stations, x = -teams, y = teams * 2 + 1 | sort v desc, id | take 40",
            "awards | where centre.district == \"闵行区\" or centre.teams > 10 | select id, t = centre.town, k = centre.teams + rank",
            "awards | derive t = centre.teams ?? 0 | sort t desc, id desc | take 30 | select id, t",
            "projects | select k = members ?? 0.5, s = stations | distinct | sort k, s",
            "centres | group k = teams ?? 40.0 agg n = count(), v = sum(volunteers) | sort k",
            "awards | where id < 60 | join centres as c on c.id > centre_id and c.id < centre_id + 3 | select x = id, y = c.id",
            "centres | select id, n = count(projects where members > 20), e = exists(projects where is_brand), m = count(projects) | where n > 1 or e",
            "projects | join awards as a on a.rank == members and a.year == 2019 | select x = id, y = a.id, z = a.centre.town",
            "centres | where id * 9223372036854775807 > 0 or true | count",
            "centres | derive a = (id - 1) * 9223372036854775807 * 2, b = (3 - id) * 9223372036854775807 | select a, b",
            // Hash joins (on) against nested loops (off): the same rows in the same order, nulls matching nulls.
            "awards | where id < 300 | join centres as c on c.id == centre_id | select id, c.town",
            "centres | where id < 200 | unpivot teams, stations, volunteers into m, v | select id, m, v",
            "centres | select district | except (centres | where id % 3 == 0 | select district) | append (awards | where id < 50 | select district = centre.district)",
            "projects | select theme | intersect (awards | where rank <= 5 | select theme = category)",
            "centres | select t = teams ?? 0 | except (projects | select t = members ?? 0)",
            "awards | select category, rank | intersect (awards | where year > 2016 | select category, rank)",
            "centres | where id in (awards | where rank <= 2 and id < 900 | select centre_id) | select id",
            // Windows and pipelines per group (kernels or not, the same rows).
            "awards | where id < 400 | sort rank, category | derive r = rank(), d = dense_rank(), p = lag(centre_id), run = running_sum(rank) | select id, r, d, p, run",
            "centres | where id < 300 | group district (sort teams desc | derive pos = row_number(), share = stations / sum(stations) | take 2) | select district, id, pos, share",
            "projects | where id < 300 | group centre.town_kind (where members > 5 | count)",
            // Stages over all groups at once (kernels on) against group by group (off).
            "awards | group centre_id (sort rank | take 1) | select id",
            "awards | group centre_id, category (sort rank desc, id | take 2) | select centre_id, category, id, rank",
            "projects | group theme (where members > 20 | sort beneficiaries desc | take 3 | select id, b = beneficiaries)",
            "projects | group kind (derive m = members ?? 0 | where m > 10 | sort m, id desc | select id, m | take 4)",
            "awards | group rank (take 3) | select rank, id",
            "awards | group centre.district (sort year desc | take 0)",
            "projects | group centre_id (where beneficiaries > 999999999 | sort id | take 1)",
            "awards | group centre_id (sort rank | take 1 | derive big = id * 9223372036854775807) | count",
            // Left joins, hashed, by id and in a nested loop: unmatched rows kept once in each.
            "centres | where id < 300 | join left projects as p on p.centre_id == id and p.members > 20 | select id, b = p.id, n = count(p.centre.awards)",
            "projects | where id < 200 | join left centres as c on c.id == centre_id + 1 | select id, c.town",
            "centres | where id < 60 | join left awards as a on a.rank > teams | group town_kind agg n = count(a.id), s = sum(a.rank)",
            "centres | where id < 200 | join centres as o on o.district == district and o.id != id | select a = id, b = o.id",
            "centres | where id < 300 | join projects as p on p.stations == stations | count",
            "projects | where id < 100 | join awards as a on a.centre_id == centre_id and a.rank * 1.0 == members | select x = id, y = a.id",
            "awards | where id < 100 | join projects as p on p.centre_id + 0 == centre_id * 1.0 and p.members > 10 | select x = id, y = p.id",
        ] {
            // Errors too: the same error, from the same row and part, both ways.
            func outcome(_ engine: inout Engine) -> String {
                do { return "\(try engine.query(query))" } catch { return "error: \(error)" }
            }
            #expect(outcome(&fast) == outcome(&plain), "\(query)")
        }
    }

    @Test(arguments: [
        "centres | where district == \"闵行区\" | select id",
        "centres | where district_en in [\"Minhang\", \"Xuhui\", \"Nowhere\"] | select id",
        "awards | where rank >= 3 and rank < 5 and rank != 4 | select id",
        "awards | where category == \"服务创优示范中心\" and year == 2019 and rank > 8 | select id",
        "awards | where category == \"服务创优示范中心\" and year > 2019 | select id",
        "centres | where volunteers >= 18000 | select id",
        "centres | where stations <= 53 | select id",
        "centres | where 80 == stations | select id",
        "projects | where beneficiaries > 100000 and beneficiaries < 200000 | select id",
        "projects | where members == 43.0 | select id",
    ])
    func indexLookupsMatchScans(_ query: String) throws {
        var indexed = Engine()
        var scanning = Engine()
        scanning.usesIndexes = false
        #expect(try indexed.query(query) == scanning.query(query))
        #expect(try indexed.query("explain " + query).rows.first?.first?.description.hasPrefix("SEARCH") == true)
    }
}
