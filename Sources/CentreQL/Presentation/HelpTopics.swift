/// Help for every stage, statement and function, each with an example that runs (a test makes sure).
public struct HelpTopic: Sendable {
    public let name: String
    public let usage: String
    public let summary: String
    public let example: String
}

public enum HelpTopics {
    public static let all: [HelpTopic] = stages + statements + functions + concepts

    /// The topics with this name (`count` is both a stage and an aggregate).
    public static func topics(named name: String) -> [HelpTopic] {
        all.filter { $0.name == name.lowercased() }
    }

    static let stages: [HelpTopic] = StageName.allCases.map {
        HelpTopic(name: $0.rawValue, usage: $0.usage, summary: $0.summary, example: $0.example)
    }

    static let statements: [HelpTopic] = [
        HelpTopic(name: "let", usage: "let NAME = PIPELINE", summary: "names a pipeline; later queries can start from the name",
                  example: "let minhang = centres | where district_en == \"Minhang\"\nminhang | count"),
        HelpTopic(name: "param", usage: "param NAME: TYPE [= DEFAULT]", summary: "declares a parameter, used as $NAME and set with --param NAME=VALUE or .param set",
                  example: "param kind: string = \"镇\"\ncentres | where town_kind == $kind | count"),
        HelpTopic(name: "trace", usage: "trace PIPELINE [follow CONDITION]",
                  summary: "runs the query and shows each stage in order: its text, rows in → rows out, the columns after it, and its first three rows; with follow, what each stage does to the source rows for which CONDITION holds (kept, changed, grouped, dropped and why; row N is its place among the stage's rows)",
                  example: "trace centres | where district == \"闵行区\" | select town, n = count(projects) | sort n desc"),
        HelpTopic(name: "explain", usage: "explain PIPELINE", summary: "how the query will run: the index or scan, each stage, hash join or nested loop, top-N",
                  example: "explain centres | join awards as a on a.centre_id == id | count"),
    ]

    static let functions: [HelpTopic] =
        ScalarFunction.allCases.map { HelpTopic(name: $0.rawValue, usage: $0.usage, summary: $0.summary, example: $0.example) }
        + AggregateFunction.allCases.map {
            HelpTopic(name: $0.rawValue, usage: $0.usage, summary: $0.summary + " (an aggregate)", example: $0.example)
        }
        + WindowFunction.allCases.map {
            HelpTopic(name: $0.rawValue, usage: $0.usage, summary: $0.summary + " (a window function, in derive or select)", example: $0.example)
        }

    static let concepts: [HelpTopic] = [
        HelpTopic(name: "if", usage: "if CONDITION then VALUE else VALUE",
                  summary: "a value chosen per row; else if adds cases; both branches one type (null fits either)",
                  example: #"centres | derive size = if teams == null then "not given" else if teams > 50 then "large" else "small" | group size agg n = count()"#),
        HelpTopic(name: "windows", usage: "derive x = AGGREGATE(…) · row_number() · rank() · lag(x) · running_sum(x)",
                  summary: "in derive and select an aggregate spans all the rows (a group's, in group … (…)), and window functions read the order of the last sort",
                  example: "centres | group town_kind agg n = count() | derive pct = round(n / sum(n) * 100, 1)"),
        HelpTopic(name: "links", usage: "centre.COLUMN · AGGREGATE(projects …) · AGGREGATE(awards …)",
                  summary: "an award or project has one centre (follow it with a dot); a centre has many awards and projects (aggregate them)",
                  example: "projects | where centre.town == \"莘庄镇\" | select name | take 3"),
        HelpTopic(name: "figures", usage: "近 nearly · 余 more than · 约 about",
                  summary: "figures keep the report's qualifiers through arithmetic and compare as they read (18000余 > 18000, 近62000 < 62000; a note where the wording leaves it open); qualifier() and amount() take them apart",
                  example: #"centres | where town == "吴泾镇" | select volunteers, over = volunteers > 18000, equal = volunteers == 18000"#),
        HelpTopic(name: "dates", usage: "@2019-12-31 · date(text) · year(d) · d + 7 · d1 - d2",
                  summary: "a date literal, text read as a date (null if it is not one), its parts; ± whole days, and the days between two dates",
                  example: #"provenance | where field == "report_date" | select d = date(value), days = date(value) - @2019-12-31, y = year(date(value))"#),
        HelpTopic(name: "null", usage: "x == null · x ?? default",
                  summary: "a missing value; == null tests for it, ?? replaces it, aggregates skip it",
                  example: "centres | where volunteers == null | count"),
    ]
}
