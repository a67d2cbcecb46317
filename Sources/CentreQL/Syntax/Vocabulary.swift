/// The stages of a pipeline, declared once. The parser dispatches on it, the syntax tree, the bound
/// tree and the plan name their stages by it, and completion, help, the unknown-stage message, the
/// grammar test and the fuzz dictionary read it. Adding a stage here makes every switch over it
/// fail to compile until the stage is handled there.
public enum StageName: String, CaseIterable, Sendable {
    case `where`, select, derive, group, sort, take, count, distinct, join, append, except, intersect, explode, unpivot, pivot, chart

    /// How it is written, for help.
    public var usage: String {
        switch self {
        case .where: "where CONDITION"
        case .select: "select [NAME =] EXPRESSION, …"
        case .derive: "derive NAME = EXPRESSION, …"
        case .group: "group KEY, … agg NAME = AGGREGATE, … | group KEY, … (STAGE | …)"
        case .sort: "sort EXPRESSION [asc|desc], …"
        case .take: "take N"
        case .count: "count"
        case .distinct: "distinct"
        case .join: "join [left] TABLE [as NAME] on CONDITION"
        case .append: "append (PIPELINE)"
        case .except: "except (PIPELINE)"
        case .intersect: "intersect (PIPELINE)"
        case .explode: "explode NAME = LIST"
        case .unpivot: "unpivot COLUMN, … into NAME, VALUE"
        case .pivot: "pivot KEY agg NAME = AGGREGATE, … [by KEY, …]"
        case .chart: "chart bar|hbar|column LABEL, VALUE | chart histogram VALUE [bins N] | chart line X, Y | chart spark VALUE"
        }
    }

    public var summary: String {
        switch self {
        case .where: "keeps the rows for which the condition is true"
        case .select: "keeps only these columns, computing and naming them"
        case .derive: "adds (or replaces) columns and keeps the others"
        case .group: "one row per distinct key, with aggregates over its rows; or, with (STAGE | …), those stages over each group's rows"
        case .sort: "orders the rows; ties keep their order, null comes last"
        case .take: "keeps the first N rows"
        case .count: "the number of rows, as one row"
        case .distinct: "drops repeated rows"
        case .join: "pairs each row with the rows of TABLE for which the condition holds; with left, keeps a row without any (the joined columns null)"
        case .append: "the rows, then the other pipeline's (the same column names and types)"
        case .except: "the distinct rows that the other pipeline does not have (whole rows compared)"
        case .intersect: "the distinct rows that the other pipeline has too (whole rows compared)"
        case .explode: "one row for each element of the list, in NAME (a row whose list is empty or null goes)"
        case .unpivot: "a row for each listed column of each row: its name in NAME, its value in VALUE (null values left out)"
        case .pivot: "one row per by-key, one column per value of KEY (read from the data when the query is checked), each the aggregate over those rows"
        case .chart: "draws the rows (the last stage): bars, columns, a histogram, a line or a sparkline; csv and json give the data"
        }
    }

    /// A query on the built-in data that uses it (help shows it; a test runs every one).
    var example: String {
        switch self {
        case .where: #"centres | where district == "闵行区" and town_kind == "镇""#
        case .select: "awards | select rank, name = centre.name | take 3"
        case .derive: "centres | derive place = district + town | select place | take 3"
        case .group: "centres | group district agg n = count() | sort n desc | take 3"
        case .sort: "awards | sort rank desc, category | take 3"
        case .take: "centres | take 2"
        case .count: #"centres | where town_kind == "镇" | count"#
        case .distinct: "centres | select district | distinct | count"
        case .join: #"centres | where town == "吴泾镇" | join centres as other on other.district == district and other.id != id | select other.town"#
        case .append: #"centres | where town_kind == "新区" | select name | append (projects | where kind == "联盟" | select name)"#
        case .except: "centres | select district | except (awards | where rank <= 2 | select district = centre.district) | take 3"
        case .intersect: "centres | select district | intersect (awards | where rank == 1 | select district = centre.district)"
        case .explode: #"projects | where partners != null | explode partner = split(partners, "、") | group partner agg n = count() | sort n desc | take 3"#
        case .unpivot: #"centres | where town == "吴泾镇" | select town, teams, social_orgs, stations | unpivot teams, social_orgs, stations into measure, value"#
        case .pivot: "awards | derive kind = centre.town_kind | pivot kind agg n = count() by category"
        case .chart: "centres | group district agg n = count() | sort n desc | take 5 | chart bar district, n"
        }
    }

    /// What SQL, dplyr, PRQL and pandas users type for it: the unknown-stage message suggests the stage.
    var otherNames: [String] {
        switch self {
        case .where: ["filter"]
        case .select: ["project"]
        case .derive: ["mutate", "extend"]
        case .group: ["aggregate", "groupby"]
        case .sort: ["order", "orderby"]
        case .take: ["limit", "head", "top"]
        case .count: []
        case .distinct: ["unique"]
        case .join: []
        case .append: ["union", "concat", "bind_rows"]
        case .except: ["minus", "setdiff", "difference"]
        case .intersect: ["intersection"]
        case .explode: ["unnest", "flatten", "mv_expand"]
        case .unpivot: ["melt", "pivot_longer", "gather"]
        case .pivot: ["pivot_wider", "spread", "crosstab"]
        case .chart: ["render", "plot", "draw"]
        }
    }

    /// The stage another language's word stands for (`filter` → `where`).
    static func known(as word: String) -> StageName? {
        let word = word.lowercased()
        return allCases.first { $0.otherNames.contains(word) }
    }

    static let names: [String] = allCases.map(\.rawValue)
}

extension TokenKind {
    /// The keyword that starts a stage, if this token is one.
    var stage: StageName? { Self.stages[self] }

    private static let stages = Dictionary(uniqueKeysWithValues: StageName.allCases.map { (TokenKind(rawValue: $0.rawValue)!, $0) })
}

/// Everything a query can spell: the fuzzer's dictionary is made from it (`scripts/fuzz`), so a new
/// word reaches the fuzzer without anyone remembering to add it.
enum Vocabulary {
    static func words(of catalog: Catalog) -> [String] {
        let tokens = TokenKind.allCases.filter { !TokenKind.nonWords.contains($0) }
        var words = tokens.map(\.rawValue) + StageName.names
        words += FunctionSignatures.allNames.map { $0 + "(" }
        for table in catalog.tables {
            words += [table.name] + table.columns.map(\.name) + table.links.map { $0.name + "." }
        }
        var seen = Set<String>()
        return words.filter { seen.insert($0).inserted }
    }
}
