/// The scalar functions, declared once with everything the front end knows of each: how it is
/// written and what it does (help, completion, messages), an example (help; a test runs it), whether
/// it can fail, and its type rule. Adding one means a case here, its evaluation in `ScalarFunctions`
/// and its SQL in `SQLCompiler`; each is an exhaustive switch, so the compiler points to all three.
enum ScalarFunction: String, Sendable, CaseIterable {
    case lower, upper, length, contains, starts_with, ends_with, matches, round, abs, coalesce
    case qualifier, amount
    case replace, slice, trim, text, greatest, least, split
    case date, year, month, day

    var usage: String {
        switch self {
        case .lower: "lower(text)"
        case .upper: "upper(text)"
        case .length: "length(text)"
        case .contains: "contains(text, part)"
        case .starts_with: "starts_with(text, start)"
        case .ends_with: "ends_with(text, end)"
        case .matches: "matches(text, pattern)"
        case .round: "round(number [, digits])"
        case .abs: "abs(number)"
        case .coalesce: "coalesce(a, b, …)"
        case .qualifier: "qualifier(figure)"
        case .amount: "amount(figure)"
        case .replace: "replace(text, old, new)"
        case .slice: "slice(text, start [, end])"
        case .trim: "trim(text)"
        case .text: "text(value)"
        case .greatest: "greatest(a, b, …)"
        case .least: "least(a, b, …)"
        case .split: "split(text, separator)"
        case .date: "date(text)"
        case .year: "year(date)"
        case .month: "month(date)"
        case .day: "day(date)"
        }
    }

    var summary: String {
        switch self {
        case .lower: "the text in lower case"
        case .upper: "the text in upper case"
        case .length: "the number of characters as a reader counts them (吴泾镇 is 3)"
        case .contains: "whether text contains part; also written `text contains part`"
        case .starts_with: "whether text starts with start"
        case .ends_with: "whether text ends with end"
        case .matches: "whether a regular expression matches somewhere in text"
        case .round: "the number rounded half away from zero"
        case .abs: "the number without its sign"
        case .coalesce: "the first value that is not null"
        case .qualifier: "how the source qualifies a figure: 近, 余, 约, 近余, or \"\" when exact"
        case .amount: "the stated number of a figure, without its qualifier"
        case .replace: "the text with every occurrence of old replaced by new"
        case .slice: "the characters from start up to (not including) end, counted from 0 as length counts them; negative counts from the end"
        case .trim: "the text without white space (including the full-width 　) at either end"
        case .text: "the value as text, as the table shows it (80, 1.5, 18000余, true)"
        case .greatest: "the largest of the values that are not null"
        case .least: "the smallest of the values that are not null"
        case .split: "the list of the parts of text between the separators (an empty separator: each character)"
        case .date: "the date written YYYY-MM-DD at the start of text (a time after it is dropped); null if there is none"
        case .year: "the date's year, a whole number"
        case .month: "the date's month, 1 to 12"
        case .day: "the date's day of the month, 1 to 31"
        }
    }

    var example: String {
        switch self {
        case .lower: "centres | select lower(district_en) | take 2"
        case .upper: "centres | select upper(town_en) | take 2"
        case .length: "centres | select town, length(town) | take 2"
        case .contains: #"centres | where name contains "吴泾" | select name"#
        case .starts_with: #"centres | where starts_with(town_en, "Xin") | select town"#
        case .ends_with: #"centres | where town ends_with "新村街道" | select town"#
        case .matches: #"centres | where town_en matches "qiao$" | select town_en"#
        case .round: "awards | group category_en agg mean = avg(rank) | select category_en, r = round(mean / 3, 2)"
        case .abs: "awards | where rank <= 2 | select rank, d = abs(rank - 5.5)"
        case .coalesce: "centres | where district_en == \"Minhang\" | select town, coalesce(volunteers, stations)"
        case .qualifier: #"centres | where town == "吴泾镇" | select volunteers, qualifier(volunteers)"#
        case .amount: #"centres | where town == "吴泾镇" | select volunteers, amount(volunteers)"#
        case .replace: #"centres | select short = replace(name, "社区志愿服务中心", "") | take 2"#
        case .slice: "centres | select name, head = slice(name, 0, 3), last = slice(town, -1) | take 2"
        case .trim: #"centres | select t = trim("  " + town + "　") | take 2"#
        case .text: #"centres | where teams != null | select label = town + ": " + text(teams) + " teams""#
        case .greatest: "awards | group category agg top = max(rank) | select category, g = greatest(top, 5)"
        case .least: "awards | select rank, l = least(rank, 3) | take 5"
        case .split: #"projects | where partners contains "、" | select parts = split(partners, "、")"#
        case .date: #"provenance | where field == "report_date" | select value, d = date(value)"#
        case .year: #"provenance | where field == "report_date" | select y = year(date(value))"#
        case .month: "awards | take 1 | select m = month(@2019-12-31), next = month(@2019-12-31 + 1)"
        case .day: "awards | take 1 | select d = day(@2020-03-15 - 15)"
        }
    }

    /// Whether it can stop a query with an error of its own (text charged against the limits, a
    /// pattern that fails or times out), besides what its arguments can.
    var canFail: Bool {
        switch self {
        case .lower, .upper, .matches: true
        case .replace: true  // the text it makes can grow past the limit
        case .length, .contains, .starts_with, .ends_with, .coalesce, .qualifier, .amount, .round, .abs: false
        case .slice, .trim, .text, .greatest, .least, .split: false
        case .date, .year, .month, .day: false
        }
    }
}

/// The aggregates, declared once as the scalar functions are.
enum AggregateFunction: String, Sendable, CaseIterable {
    case count, sum, avg, min, max, exists
    case count_distinct, median, percentile, string_agg

    var usage: String {
        switch self {
        case .count: "count([LINK] [where CONDITION])"
        case .sum: "sum(VALUE [where CONDITION])"
        case .avg: "avg(VALUE [where CONDITION])"
        case .min: "min(VALUE [where CONDITION])"
        case .max: "max(VALUE [where CONDITION])"
        case .exists: "exists(LINK [where CONDITION])"
        case .count_distinct: "count_distinct(VALUE [where CONDITION])"
        case .median: "median(NUMBER [where CONDITION])"
        case .percentile: "percentile(NUMBER, FRACTION [where CONDITION])"
        case .string_agg: "string_agg(TEXT, SEPARATOR [where CONDITION])"
        }
    }

    var summary: String {
        switch self {
        case .count: "how many rows (of a group, or a link)"
        case .sum: "the total, skipping nulls"
        case .avg: "the mean, skipping nulls"
        case .min: "the smallest value"
        case .max: "the largest value"
        case .exists: "whether any linked row matches"
        case .count_distinct: "how many different values, skipping nulls"
        case .median: "the middle value (the mean of the two middle ones for an even count), skipping nulls; of figures, their amounts"
        case .percentile: "the value below which FRACTION (0 to 1) of the values lie, interpolated as SQL's percentile_cont; of figures, their amounts"
        case .string_agg: "the texts joined by SEPARATOR in the rows' order, skipping nulls"
        }
    }

    var example: String {
        switch self {
        case .count: "centres | select town, n = count(projects) | where n > 0"
        case .sum: "centres | group district agg stations = sum(stations) | where stations != null"
        case .avg: "awards | group category_en agg mean = avg(rank)"
        case .min: "centres | where district_en == \"Minhang\" | select town, best = min(awards.rank)"
        case .max: "awards | group category agg last = max(rank)"
        case .exists: #"centres | where exists(projects where kind == "联盟") | select town"#
        case .count_distinct: "awards | group d = centre.district agg categories = count_distinct(category) | sort categories desc | take 3"
        case .median: "awards | group category agg m = median(rank)"
        case .percentile: "projects | group k = centre.town agg p90 = percentile(members, 0.9) | where p90 != null"
        case .string_agg: #"awards | where centre.district == "闵行区" | group c = centre.town agg cats = string_agg(category, "、")"#
        }
    }

    /// A sum (and so a mean) of whole numbers can overflow; counting, `exists` and the extremes cannot.
    var canFail: Bool {
        switch self {
        case .sum, .avg: true
        case .string_agg: true  // the text it makes is limited
        case .count, .min, .max, .exists, .count_distinct, .median, .percentile: false
        }
    }
}

/// The type rule of each scalar function.
enum FunctionSignatures {
    /// Every name a call can use: scalar functions, aggregates and window functions (the checker's
    /// did-you-mean, its messages, completion and the fuzz dictionary read this one list).
    static let allNames = ScalarFunction.allCases.map(\.rawValue) + AggregateFunction.allCases.map(\.rawValue)
        + WindowFunction.allCases.map(\.rawValue)

    /// What a call's name names.
    enum Callee { case window(WindowFunction), aggregate(AggregateFunction), scalar(ScalarFunction) }

    /// The function a call names, found by one hash of the name (a raw-value initializer compares it
    /// with every case in turn, and a call asked three of them). A window function's name comes
    /// first, then an aggregate's.
    static func callee(named name: String) -> Callee? { callees[name] }

    private static let callees: [String: Callee] = {
        var table: [String: Callee] = [:]
        for function in ScalarFunction.allCases { table[function.rawValue] = .scalar(function) }
        for function in AggregateFunction.allCases { table[function.rawValue] = .aggregate(function) }
        for function in WindowFunction.allCases { table[function.rawValue] = .window(function) }
        return table
    }()

    static func resultType(of function: ScalarFunction, arguments types: [ValueType], call: Expression,
                           checker: inout Checker) throws -> ValueType {
        let usage = function.usage
        func arity(_ range: ClosedRange<Int>) throws {
            guard range.contains(types.count) else { throw checker.fail(.functionArity(usage, count: types.count, range: call.range)) }
        }
        func require(_ index: Int, _ allowed: (ValueType) -> Bool, _ expected: String) throws {
            let type = types[index]
            guard type == .null || allowed(type) else {
                throw checker.fail(.functionArgumentType(usage, position: index + 1, expected: expected, found: type, range: argumentRange(index)))
            }
        }
        func argumentRange(_ index: Int) -> SourceRange {
            if case .call(_, let arguments, _) = call.kind, index < arguments.count { return arguments[index].range }
            return call.range
        }

        switch function {
        case .lower, .upper:
            try arity(1...1)
            try require(0, { $0 == .string }, "text")
            return .string
        case .length:
            try arity(1...1)
            try require(0, { if case .list = $0 { true } else { $0 == .string } }, "text or a list")
            return .int
        case .contains, .starts_with, .ends_with, .matches:
            try arity(2...2)
            try require(0, { $0 == .string }, "text")
            try require(1, { $0 == .string }, "text")
            return .bool
        case .round:
            try arity(1...2)
            try require(0, \.isNumeric, "a number")
            if types.count == 2 { try require(1, { $0 == .int }, "a whole number of digits") }
            return types[0] == .null ? .int : types[0]
        case .abs:
            try arity(1...1)
            try require(0, \.isNumeric, "a number")
            return types[0] == .null ? .int : types[0]
        case .coalesce, .greatest, .least:
            try arity(function == .coalesce ? 1...64 : 2...64)
            var result = ValueType.null
            for (index, type) in types.enumerated() {
                if function != .coalesce, case .list = type {
                    throw checker.fail(.functionArgumentType(usage, position: index + 1, expected: "a value that sorts (not a list)", found: type, range: argumentRange(index)))
                }
                guard let unified = result.unified(with: type) else {
                    throw checker.fail(.functionArgumentType(usage, position: index + 1, expected: result.description, found: type, range: argumentRange(index)))
                }
                result = unified
            }
            return result
        case .replace:
            try arity(3...3)
            for index in 0..<3 { try require(index, { $0 == .string }, "text") }
            return .string
        case .slice:
            try arity(2...3)
            try require(0, { $0 == .string }, "text")
            for index in 1..<types.count { try require(index, { $0 == .int }, "a whole number (a position, from 0)") }
            return .string
        case .trim:
            try arity(1...1)
            try require(0, { $0 == .string }, "text")
            return .string
        case .split:
            try arity(2...2)
            try require(0, { $0 == .string }, "text")
            try require(1, { $0 == .string }, "text")
            return .list(.string)
        case .text:
            try arity(1...1)
            try require(0, { if case .list = $0 { false } else { true } }, "a single value (not a list)")
            return .string
        case .qualifier:
            try arity(1...1)
            try require(0, \.isNumeric, "a figure")
            return .string
        case .amount:
            try arity(1...1)
            try require(0, \.isNumeric, "a figure")
            return .decimal
        case .date:
            try arity(1...1)
            try require(0, { $0 == .string || $0 == .date }, "text written YYYY-MM-DD")
            return .date
        case .year, .month, .day:
            try arity(1...1)
            try require(0, { $0 == .date }, "a date (write @2019-12-31, or date(text))")
            return .int
        }
    }
}

/// The functions that read a row's place among the others, in the order of the last `sort` (or
/// table order), within the whole result or, inside `group … (…)`, within the group. Only `derive`
/// and `select` compute them; each is computed for all rows at once (`Execution/Operators/Window.swift`).
enum WindowFunction: String, Sendable, CaseIterable {
    case row_number, rank, dense_rank, lag, lead
    case running_sum, running_count, running_avg, running_min, running_max

    var usage: String {
        switch self {
        case .row_number, .rank, .dense_rank: "\(rawValue)()"
        case .lag, .lead: "\(rawValue)(VALUE [, ROWS])"
        case .running_sum, .running_count, .running_avg, .running_min, .running_max: "\(rawValue)(VALUE)"
        }
    }

    var summary: String {
        switch self {
        case .row_number: "the row's place, from 1, in the order of the last sort"
        case .rank: "1 + how many rows come before it in the last sort's order; ties share a rank and leave a gap (1, 1, 3)"
        case .dense_rank: "as rank, without gaps after ties (1, 1, 2)"
        case .lag: "VALUE of the row ROWS (1 unless given) before this one, null where there is none"
        case .lead: "VALUE of the row ROWS (1 unless given) after this one, null where there is none"
        case .running_sum: "the sum of VALUE over the rows so far, this one included"
        case .running_count: "how many rows so far have a VALUE"
        case .running_avg: "the mean of VALUE over the rows so far"
        case .running_min: "the least VALUE so far"
        case .running_max: "the greatest VALUE so far"
        }
    }

    var example: String {
        switch self {
        case .row_number: "awards | group category (sort rank | derive pos = row_number() | take 2) | select category, pos, rank"
        case .rank: "awards | sort rank | derive r = rank() | select rank, r | take 6"
        case .dense_rank: "awards | sort rank | derive r = dense_rank() | select rank, r | take 6"
        case .lag: #"awards | where category_en == "Brand Innovation" | sort rank | select rank, previous = lag(centre.town) | take 3"#
        case .lead: #"awards | where category_en == "Brand Innovation" | sort rank | select rank, next = lead(centre.town) | take 3"#
        case .running_sum: "projects | where members != null | select name, members, total = running_sum(members)"
        case .running_count: "centres | select town, with_teams = running_count(teams) | take 3"
        case .running_avg: "awards | where rank <= 3 | select rank, mean = running_avg(rank)"
        case .running_min: "awards | where rank <= 3 | sort rank desc | select rank, low = running_min(rank)"
        case .running_max: "awards | where rank <= 3 | select rank, high = running_max(rank)"
        }
    }

    /// Whether it reads the order of the rows (all of them do; an aggregate over all rows does not).
    var takesArgument: Bool {
        switch self {
        case .row_number, .rank, .dense_rank: false
        default: true
        }
    }
}
