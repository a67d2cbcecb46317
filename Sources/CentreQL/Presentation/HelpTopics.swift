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

    static let stages: [HelpTopic] = [
        HelpTopic(name: "where", usage: "where CONDITION", summary: "keeps the rows for which the condition is true",
                  example: #"centres | where district == "闵行区" and town_kind == "镇""#),
        HelpTopic(name: "select", usage: "select [NAME =] EXPRESSION, …", summary: "keeps only these columns, computing and naming them",
                  example: "awards | select rank, name = centre.name | take 3"),
        HelpTopic(name: "derive", usage: "derive NAME = EXPRESSION, …", summary: "adds (or replaces) columns and keeps the others",
                  example: "centres | derive place = district + town | select place | take 3"),
        HelpTopic(name: "group", usage: "group KEY, … agg NAME = AGGREGATE, …", summary: "one row per distinct key, with aggregates over its rows",
                  example: "centres | group district agg n = count() | sort n desc | take 3"),
        HelpTopic(name: "sort", usage: "sort EXPRESSION [asc|desc], …", summary: "orders the rows; ties keep their order, null comes last",
                  example: "awards | sort rank desc, category | take 3"),
        HelpTopic(name: "take", usage: "take N", summary: "keeps the first N rows",
                  example: "centres | take 2"),
        HelpTopic(name: "count", usage: "count", summary: "the number of rows, as one row",
                  example: #"centres | where town_kind == "镇" | count"#),
        HelpTopic(name: "distinct", usage: "distinct", summary: "drops repeated rows",
                  example: "centres | select district | distinct | count"),
        HelpTopic(name: "join", usage: "join TABLE [as NAME] on CONDITION", summary: "pairs each row with the rows of TABLE for which the condition holds",
                  example: #"centres | where town == "吴泾镇" | join centres as other on other.district == district and other.id != id | select other.town"#),
    ]

    static let statements: [HelpTopic] = [
        HelpTopic(name: "let", usage: "let NAME = PIPELINE", summary: "names a pipeline; later queries can start from the name",
                  example: "let minhang = centres | where district_en == \"Minhang\"\nminhang | count"),
        HelpTopic(name: "param", usage: "param NAME: TYPE [= DEFAULT]", summary: "declares a parameter, used as $NAME and set with --param NAME=VALUE or .param set",
                  example: "param kind: string = \"镇\"\ncentres | where town_kind == $kind | count"),
        HelpTopic(name: "explain", usage: "explain PIPELINE", summary: "how the query will run: the index or scan, each stage, hash join or nested loop, top-N",
                  example: "explain centres | join awards as a on a.centre_id == id | count"),
    ]

    static let aggregateHelp: [AggregateFunction: (String, String, String)] = [
        .count: ("count([LINK] [where CONDITION])", "how many rows (of a group, or a link)", "centres | select town, n = count(projects) | where n > 0"),
        .sum: ("sum(VALUE [where CONDITION])", "the total, skipping nulls", "centres | group district agg stations = sum(stations) | where stations != null"),
        .avg: ("avg(VALUE [where CONDITION])", "the mean, skipping nulls", "awards | group category_en agg mean = avg(rank)"),
        .min: ("min(VALUE [where CONDITION])", "the smallest value", "centres | where district_en == \"Minhang\" | select town, best = min(awards.rank)"),
        .max: ("max(VALUE [where CONDITION])", "the largest value", "awards | group category agg last = max(rank)"),
        .exists: ("exists(LINK [where CONDITION])", "whether any linked row matches", "centres | where exists(projects where kind == \"联盟\") | select town"),
    ]

    static let functionExamples: [ScalarFunction: String] = [
        .lower: "centres | select lower(district_en) | take 2",
        .upper: "centres | select upper(town_en) | take 2",
        .length: "centres | select town, length(town) | take 2",
        .contains: #"centres | where name contains "吴泾" | select name"#,
        .starts_with: #"centres | where starts_with(town_en, "Xin") | select town"#,
        .ends_with: #"centres | where town ends_with "新村街道" | select town"#,
        .matches: #"centres | where town_en matches "qiao$" | select town_en"#,
        .round: "awards | group category_en agg mean = avg(rank) | select category_en, r = round(mean / 3, 2)",
        .abs: "awards | where rank <= 2 | select rank, d = abs(rank - 5.5)",
        .coalesce: "centres | where district_en == \"Minhang\" | select town, coalesce(volunteers, stations)",
        .qualifier: #"centres | where town == "吴泾镇" | select volunteers, qualifier(volunteers)"#,
        .amount: #"centres | where town == "吴泾镇" | select volunteers, amount(volunteers)"#,
    ]

    static let functions: [HelpTopic] =
        ScalarFunction.allCases.map { f in
            let (usage, summary) = FunctionSignatures.summaries[f]!
            return HelpTopic(name: f.rawValue, usage: usage, summary: summary, example: functionExamples[f]!)
        } + AggregateFunction.allCases.map { f in
            let (usage, summary, example) = aggregateHelp[f]!
            return HelpTopic(name: f.rawValue, usage: usage, summary: summary + " (an aggregate)", example: example)
        }

    static let concepts: [HelpTopic] = [
        HelpTopic(name: "links", usage: "centre.COLUMN · AGGREGATE(projects …) · AGGREGATE(awards …)",
                  summary: "an award or project has one centre (follow it with a dot); a centre has many awards and projects (aggregate them)",
                  example: "projects | where centre.town == \"莘庄镇\" | select name | take 3"),
        HelpTopic(name: "figures", usage: "近 nearly · 余 more than · 约 about",
                  summary: "figures keep the report's qualifiers through arithmetic; qualifier() and amount() take them apart",
                  example: #"centres | where town == "吴泾镇" | select volunteers, beneficiaries"#),
        HelpTopic(name: "null", usage: "x == null · x ?? default",
                  summary: "a missing value; == null tests for it, ?? replaces it, aggregates skip it",
                  example: "centres | where volunteers == null | count"),
    ]
}
