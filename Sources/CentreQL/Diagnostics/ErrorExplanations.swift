/// The long explanation of each error code (`centreql explain-error E202`, `.help E202`): what it
/// means, a statement that causes it and the same statement fixed. A test runs every example
/// (it must fail with its code) and every fix (it must run), and finds every code the messages use here.
public struct ErrorExplanation: Sendable {
    public let code: String
    public let title: String
    public let meaning: String
    /// A statement on the built-in data that fails with this code, and the same statement fixed.
    /// Nil for what no statement alone causes (the reason is in `arises`).
    public let example: String?
    public let fixed: String?
    /// For a code without an example: what causes it instead.
    public let arises: String?

    init(_ code: String, _ title: String, _ meaning: String, example: String? = nil, fixed: String? = nil, arises: String? = nil) {
        (self.code, self.title, self.meaning, self.example, self.fixed, self.arises) = (code, title, meaning, example, fixed, arises)
    }

    /// The explanation as `explain-error` prints it.
    public var text: String {
        var lines = ["\(code): \(title)", "", meaning]
        if let example {
            lines += ["", "Example (fails with \(code)):"] + example.split(separator: "\n").map { "  " + $0 }
        }
        if let fixed {
            lines += ["", "Fixed:"] + fixed.split(separator: "\n").map { "  " + $0 }
        }
        if let arises { lines += ["", "When it happens: " + arises] }
        return lines.joined(separator: "\n")
    }

    public static func named(_ code: String) -> ErrorExplanation? {
        let code = code.uppercased()
        return all.first { $0.code == code }
    }

    /// One line per code: `E202  unknown column`.
    public static var list: String {
        all.map { "\($0.code)  \($0.title)" }.joined(separator: "\n")
    }

    public static let all: [ErrorExplanation] = lexical + syntax + names + types + running + sql

    static let lexical: [ErrorExplanation] = [
        .init("E001", "unexpected character", "A character that is no part of the language, outside a string: often a symbol from another language (`&&`, `^`, `;` inside an expression) or a full-width one typed with a Chinese input method.",
              example: "centres | where id == 1 ^ 2", fixed: "centres | where id == 1 or id == 2"),
        .init("E002", "string never closed", "A string opened with a quote has no closing quote on its line.",
              example: "centres | where town == \"吴泾镇", fixed: "centres | where town == \"吴泾镇\""),
        .init("E003", "curly quotes", "Strings are written between straight quotes (\" or '). Curly quotes (“ ” ‘ ’), which word processors and Chinese input methods put in, are not string quotes.",
              example: "centres | where town == “吴泾镇”", fixed: "centres | where town == \"吴泾镇\""),
        .init("E004", "unknown escape", "Inside a string a backslash starts an escape: \\\\, \\\", \\', \\n, \\t or \\u{…}. Any other letter after it is an error.",
              example: #"centres | where name contains "\q""#, fixed: #"centres | where name contains "\\q""#),
        .init("E005", "number too large", "A whole number must fit in 64 bits (at most 9223372036854775807). Write a decimal (with a point) for larger amounts.",
              example: "centres | take 99999999999999999999", fixed: "centres | take 10"),
        .init("E006", "'$' without a name", "A parameter is written $NAME; a '$' alone is not one.",
              example: "centres | where id == $", fixed: "param n: int = 3\ncentres | where id == $n"),
        .init("E007", "not a date", "A date literal is @YYYY-MM-DD and must be a day of the calendar (no 2019-02-29, no month 13).",
              example: "awards | select d = @2019-02-29", fixed: "awards | select d = @2019-02-28"),
    ]

    static let syntax: [ErrorExplanation] = [
        .init("E101", "something else was expected", "The parser needed a particular word or symbol here (a name, ')', ':' …) and the message says which.",
              example: "let = centres", fixed: "let all = centres"),
        .init("E102", "a value was expected", "An operator or stage needs a value, a column or a condition after it, and the statement ends or goes on with something else.",
              example: "centres | where", fixed: "centres | where teams > 10"),
        .init("E103", "not a stage", "After '|' comes a stage: where, select, derive, group, sort, take, count, distinct, join, append, except, intersect, explode, unpivot, pivot or chart. Words from other languages (filter, limit, order) are pointed to the stage that does the same.",
              example: "centres | filter teams > 10", fixed: "centres | where teams > 10"),
        .init("E104", "'|' expected", "Stages are joined by '|'. A stage's words that run on without one (a missing '|', or SQL's clause order) stop here.",
              example: "centres where teams > 10", fixed: "centres | where teams > 10"),
        .init("E105", "'=' in a comparison", "'=' names a column (select n = …); comparing is '=='.",
              example: "centres | where id = 1", fixed: "centres | where id == 1"),
        .init("E106", "chained comparison", "a < b < c does not mean \"between\": write two comparisons joined by and.",
              example: "centres | where 1 < id < 5", fixed: "centres | where 1 < id and id < 5"),
        .init("E107", "a reserved word as a name", "Words of the language (where, count, as, in, …) cannot name a column or a let.",
              example: "centres | select where = id", fixed: "centres | select place = id"),
        .init("E108", "nested too deep", "An expression nests more brackets or operators than the limit (hostile or generated input).",
              arises: "an expression nested more than 200 levels deep, as a program may generate; split it with derive."),
        .init("E109", "list too long", "A literal list has more items than the limit.",
              arises: "a list of more than 10,000 items written into the query; keep such values in a table and join or use in (PIPELINE)."),
        .init("E110", "statement too long", "A statement is longer than the limit on statement length.",
              arises: "a statement of more than a million characters, as a program may generate."),
        .init("E111", "too many stages", "A pipeline, counting the stages of the lets it starts from, has more stages than the limit.",
              arises: "a chain of lets each adding stages, more than 1000 in all."),
        .init("E112", "written in SQL", "The statement is SQL. CentreQL writes the same question as a pipeline: the table first, then each step after '|'. Where it can, the message gives the translation as a fix.",
              example: "SELECT name FROM centres WHERE teams > 10", fixed: "centres | where teams > 10 | select name"),
        .init("E113", "a habit from SQL or another language", "Inside a pipeline, something written as SQL or another language writes it: && and ||, <>, IS NULL, LIKE, BETWEEN, count(*), group by, order by, select *, in (…) with round brackets, or a group's aggregates without agg. The message gives CentreQL's spelling, and the fix is the statement written so.",
              example: "centres | where teams IS NOT NULL && town LIKE '%镇' | select count(*)", fixed: "centres | where teams != null and town ends_with \"镇\" | count"),
    ]

    static let names: [ErrorExplanation] = [
        .init("E201", "unknown table", "A pipeline starts from a table or a let, and this name is neither. .tables lists them.",
              example: "centers | count", fixed: "centres | count"),
        .init("E202", "unknown column", "The name is not a column of the rows at this point: misspelt, or dropped by an earlier select, group or pivot.",
              example: "centres | where distrct == \"闵行区\"", fixed: "centres | where district == \"闵行区\""),
        .init("E203", "unknown parameter", "$NAME must be declared first with param (or given with --param NAME=VALUE).",
              example: "centres | where district == $district", fixed: "param district: string = \"闵行区\"\ncentres | where district == $district"),
        .init("E204", "unknown function", "There is no function by this name; the message suggests the closest. .help lists the functions.",
              example: "centres | select lenght(name)", fixed: "centres | select length(name)"),
        .init("E205", "two columns with one name", "A stage would make two columns with the same name. Name one of them differently.",
              example: "awards | select name = rank, name = category", fixed: "awards | select r = rank, name = category"),
        .init("E206", "a table where a column was expected", "The name is a linked table (a centre's awards or projects), which is many rows, not a column.",
              example: "awards | where projects == 1", fixed: "awards | where count(centre.projects) == 1"),
        .init("E207", "name already in use", "A join's as-name (or another new name) is already a column or name here.",
              example: "centres | join awards as name on true", fixed: "centres | join awards as a on a.centre_id == id"),
        .init("E208", "unknown type", "A param declares one of the types string, int, decimal, bool or date.",
              example: "param x: text = \"a\"", fixed: "param x: string = \"a\""),
    ]

    static let types: [ErrorExplanation] = [
        .init("E301", "not a condition", "where (and a condition inside a call) needs true or false for each row; a column alone is a value.",
              example: "centres | where name", fixed: "centres | where name != null"),
        .init("E302", "operator cannot combine these types", "Arithmetic needs numbers (or, for +, two texts); a date takes whole days.",
              example: "centres | select x = name + 1", fixed: "centres | select x = name + \"1\""),
        .init("E303", "operator does not apply", "A minus sign, not or another one-sided operator is used on a value of the wrong type.",
              example: "centres | select x = -name", fixed: "centres | select x = -id"),
        .init("E304", "cannot compare these types", "Both sides of a comparison must be of one kind: a number with a number, text with text. Quotes make text: \"1\" is not 1.",
              example: "awards | where rank == \"1\"", fixed: "awards | where rank == 1"),
        .init("E305", "'in' without a list", "in needs a list in square brackets, or a pipeline in round brackets.",
              example: "centres | where town in \"浦江镇\"", fixed: "centres | where town in [\"浦江镇\"]"),
        .init("E306", "text operator on a non-text value", "contains, starts_with, ends_with and matches work on text.",
              example: "awards | where rank contains \"1\"", fixed: "awards | where text(rank) contains \"1\""),
        .init("E307", "list of mixed types", "The values of a list are of one type.",
              example: "centres | where town in [\"浦江镇\", 1]", fixed: "centres | where town in [\"浦江镇\", \"吴泾镇\"]"),
        .init("E308", "wrong number of arguments", "The function takes another number of arguments; the hint shows how it is used.",
              example: "centres | select lower(name, town)", fixed: "centres | select lower(name)"),
        .init("E309", "argument of the wrong type", "An argument is not of the type the function needs (text for upper, a list for explode, …).",
              example: "centres | select upper(id)", fixed: "centres | select upper(district_en)"),
        .init("E310", "'where' inside a non-aggregate", "A condition inside the brackets (count(projects where …)) filters the rows an aggregate reads; other functions have no rows to filter.",
              example: "centres | select lower(name where true)", fixed: "centres | select n = count(projects where kind == \"项目\")"),
        .init("E311", "an aggregate without rows", "An aggregate reads many rows: a group's (in group … agg), all rows (in derive or select), or a link's (count(projects)). In where there are none to read.",
              example: "centres | where count() > 1", fixed: "centres | where count(projects) > 1"),
        .init("E312", "an aggregate of a link, not a column", "sum, avg, min and max need a column of the linked rows, such as projects.members; count alone counts them.",
              example: "centres | select s = sum(projects)", fixed: "centres | select s = sum(projects.members)"),
        .init("E313", "an aggregate without a value", "sum, avg, min, max and the others need the value they aggregate; count() alone counts rows.",
              example: "centres | group district agg s = sum()", fixed: "centres | group district agg s = sum(teams)"),
        .init("E314", "cannot aggregate this type", "sum and avg add numbers; text can be counted, or joined with string_agg.",
              example: "centres | group district agg s = sum(name)", fixed: "centres | group district agg s = count_distinct(name)"),
        .init("E315", "aggregate inside an aggregate", "An aggregate of the same rows cannot hold another one; compute the inner one first (derive or a group), then aggregate it.",
              example: "centres | group district agg s = sum(count())", fixed: "centres | group district agg s = count()"),
        .init("E316", "wrong arguments for an aggregate", "The aggregate takes another number of arguments (string_agg and percentile take a setting).",
              example: "centres | group district agg s = max(id, id)", fixed: "centres | group district agg s = max(id)"),
        .init("E317", "a row, not a value", "A link such as centre is a whole row; pick one of its columns with a dot.",
              example: "awards | select centre", fixed: "awards | select centre.name"),
        .init("E318", "a link to many rows used as one value", "A centre has many projects: aggregate them (count, sum, …) rather than read one.",
              example: "centres | select projects.name", fixed: "centres | select n = count(projects)"),
        .init("E319", "no such column in a value", "A dot reads a column of a linked row; this value is text or a number, which has none.",
              example: "centres | select name.first", fixed: "centres | select slice(name, 0, 3)"),
        .init("E320", "take needs a whole number", "take N keeps the first N rows; N is a whole number.",
              example: "centres | take \"ten\"", fixed: "centres | take 10"),
        .init("E321", "take needs zero or more", "take cannot keep a negative number of rows.",
              example: "centres | take -1", fixed: "centres | take 1"),
        .init("E322", "cannot sort by this", "Rows sort by numbers, text, dates or true/false, not by lists.",
              example: "centres | sort [id]", fixed: "centres | sort id"),
        .init("E323", "invalid regular expression", "The pattern after matches is not a valid regular expression (an unclosed bracket, a bad repeat).",
              example: "centres | where name matches \"(吴泾\"", fixed: "centres | where name matches \"\\\\(?吴泾\""),
        .init("E324", "a parameter's default of another type", "The default value must have the parameter's declared type.",
              example: "param n: int = \"three\"", fixed: "param n: int = 3"),
        .init("E325", "a formula over a link", "Over a link, an aggregate takes a column path (projects.members); compute the formula on the linked table instead.",
              example: "centres | select m = sum(projects.members ?? 0)", fixed: "centres | select m = sum(projects.members)"),
        .init("E326", "a default that is not a literal", "A param's default is written as a value, not computed.",
              example: "param n: int = 1 + 2", fixed: "param n: int = 3"),
        .init("E327", "neither a key nor aggregated", "After group, each row stands for many rows: a column is either a key or inside an aggregate.",
              example: "centres | group agg x = town", fixed: "centres | group agg x = count_distinct(town)"),
        .init("E328", "if branches of two types", "Both branches of if give values of one type (null fits either).",
              example: "centres | select v = if teams > 1 then \"many\" else 1", fixed: "centres | select v = if teams > 1 then \"many\" else \"few\""),
        .init("E329", "a setting that is not written out", "percentile's fraction (0 to 1) and string_agg's separator are literals in the query.",
              example: "awards | group category agg p = percentile(rank, 1.5)", fixed: "awards | group category agg p = percentile(rank, 0.5)"),
        .init("E330", "a window function outside derive or select", "row_number, rank, lag and the others number or compare the rows in order: they are computed by derive or select over all the rows.",
              example: "awards | where row_number() <= 2", fixed: "awards | derive r = row_number() | where r <= 2"),
        .init("E331", "rows without an order", "A window function reads the rows' order, and after group or distinct there is none: sort first.",
              example: "awards | group category agg n = count() | derive r = row_number()", fixed: "awards | group category agg n = count() | sort n desc, category | derive r = row_number()"),
        .init("E332", "the sort key is gone", "rank() ranks by the last sort's keys, and a later select dropped them.",
              example: "awards | sort rank | select category | derive r = rank()", fixed: "awards | sort rank | derive r = rank() | select category, r"),
        .init("E333", "a list from more than one column", "A pipeline used as a list (in (…)) must give one column.",
              example: "centres | where id in (awards | select centre_id, rank)", fixed: "centres | where id in (awards | select centre_id)"),
        .init("E334", "set operation on unlike columns", "append, except and intersect need the same columns, of the same types, on both sides.",
              example: "centres | select name | append (projects | select id)", fixed: "centres | select name | append (projects | select name)"),
        .init("E335", "explode without a list", "explode makes a row per element of a list, such as split(partners, \"、\").",
              example: "centres | explode x = town", fixed: "projects | explode partner = split(partners, \"、\")"),
        .init("E336", "pivot too wide", "A pivot makes a column per value of its key (times the aggregates), up to a limit.",
              example: "projects | pivot name agg a = count(), b = count()", fixed: "projects | pivot kind agg a = count(), b = count()"),
        .init("E337", "pivot inside group (…)", "Each group would make its own columns; pivot the whole rows instead (with by).",
              example: "awards | group category (pivot rank agg n = count())", fixed: "awards | pivot rank agg n = count() by category"),
        .init("E338", "join of rows that are no longer a table's", "join takes a table, a let, or a pipeline that only filters, sorts or takes; after select or group its rows are not a table's.",
              example: "centres | join (awards | select category) as a on true", fixed: "centres | join (awards | where rank == 1) as a on a.centre_id == id | select name, a.category"),
        .init("E339", "pivot without columns", "No row reaching the pivot has a value of its key, so it would make no columns.",
              example: "centres | where town_kind == \"镇\" and town_kind == \"街道\" | pivot town_kind agg n = count()", fixed: "centres | pivot town_kind agg n = count()"),
        .init("E340", "chart not last", "chart draws a query's rows, so it ends the query; a let, a pipeline in brackets and group (…) cannot draw.",
              example: "centres | chart bar town, id | take 3", fixed: "centres | take 3 | chart bar town, id"),
        .init("E341", "unknown kind of chart", "The kinds are bar (or hbar), column, histogram, line and spark.",
              example: "centres | chart pie town_kind, id", fixed: "centres | group town_kind agg n = count() | chart bar town_kind, n"),
        .init("E342", "wrong fields for a chart", "bar, hbar and column take a label and a value, line an X and a Y, histogram and spark one value.",
              example: "centres | chart line id", fixed: "centres | chart spark id"),
        .init("E343", "a chart of something that is not a number", "A chart draws numbers to scale; count or sum text first.",
              example: "centres | chart bar id, town", fixed: "centres | group town_kind agg n = count() | chart bar town_kind, n"),
        .init("E344", "a chart setting that is not bins N", "A histogram takes bins N (1 to 200); no other chart has a setting.",
              example: "centres | chart histogram id bin 5", fixed: "centres | chart histogram id bins 5"),
    ]

    static let running: [ErrorExplanation] = [
        .init("E401", "parameter without a value", "The parameter was declared without a default and was not given with --param or .param set.",
              example: "param d: string\ncentres | where district == $d", fixed: "param d: string = \"闵行区\"\ncentres | where district == $d"),
        .init("E402", "--param value of the wrong type", "The text given with --param NAME=VALUE cannot be read as the parameter's declared type.",
              arises: "centreql --param n=three -c 'param n: int' … ; give a whole number: --param n=3."),
        .init("E403", "whole number too large", "Arithmetic on whole numbers went past 64 bits; use decimals (1.0 * x) for such amounts.",
              example: "centres | select x = 9223372036854775807 + id", fixed: "centres | select x = 9223372036854775807.0 + id"),
        .init("E404", "regular expression failed", "A pattern built while the query runs could not be used.",
              arises: "a pattern that is valid but takes too long on a value; simplify it."),
        .init("E405", "cancelled", "The query was stopped with Ctrl-C; the session is unchanged.",
              arises: "pressing Ctrl-C while a query runs."),
        .init("E406", "time limit", "The query ran longer than --timeout allows.",
              arises: "centreql --timeout 1 with a query that runs longer; narrow the query with where before a join."),
        .init("E407", "join too large", "A join would give more rows than the limit: almost always a missing or too loose condition.",
              arises: "a join whose condition pairs nearly every row with every row over large tables (on true, over a million rows or more)."),
        .init("E408", "too much text", "The query made more text than the limit allows (in one value, or in all).",
              arises: "repeated concatenation that doubles text, over many rows."),
        .init("E409", "date out of range", "A date computed by the query falls outside 0001-01-01 … 9999-12-31.",
              example: "awards | select d = @9999-12-25 + rank", fixed: "awards | select d = @2019-12-25 + rank"),
        .init("E499", "internal error", "Something went wrong inside CentreQL. Please report the statement that caused it.",
              arises: "a bug; the message says what failed."),
    ]

    static let sql: [ErrorExplanation] = [
        .init("E601", "not expressible in this SQL", "--emit-sql (and the SQL backends) cannot write this construct in the dialect's SQL; it runs in CentreQL itself.",
              arises: "centreql --emit-sql sqlite -c 'centres | where name matches \"镇$\"': SQLite has no regular expressions."),
    ]
}
