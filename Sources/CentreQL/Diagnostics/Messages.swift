/// The wording of every diagnostic, in one place and ordered by code, so it can be reviewed as a whole.
/// E0xx lexical · E1xx syntax · E2xx names · E3xx types · E4xx evaluation · E5xx data files.
extension Diagnostic {
    // MARK: E0xx lexical

    static func unexpectedCharacter(_ character: String, range: SourceRange, suggestion: String?) -> Diagnostic {
        // A character that cannot be seen (a NUL, a zero-width space) is named by its code point instead.
        let visible = character.unicodeScalars.allSatisfy { $0.properties.isGraphemeBase && $0.value >= 0x20 && !$0.properties.isWhitespace }
        let shown = visible ? "'\(character)'" : character.unicodeScalars.map { $0.codePoint }.joined(separator: " ")
        return Diagnostic(code: "E001", message: "unexpected character \(shown)", range: range,
                   hint: suggestion.map { "did you mean '\($0)'? (a Chinese input method may have typed the full-width form)" },
                   fixIt: suggestion)
    }
    static func unterminatedString(range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E002", message: "this string is never closed", range: range,
                   hint: "end it with a matching quote on the same line")
    }
    static func curlyQuotes(range: SourceRange, value: String) -> Diagnostic {
        Diagnostic(code: "E003", message: "strings need straight quotes, not “curly” or 「corner」 ones", range: range,
                   hint: "write \"\(value)\"", fixIt: "\"\(value)\"")
    }
    static func invalidEscape(_ escape: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E004", message: "unknown escape '\(escape)' in a string", range: range,
                   hint: "the escapes are \\n \\t \\r \\\\ \\\" \\' and \\u{4E2D}")
    }
    static func integerTooLarge(_ text: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E005", message: "the number \(text) is too large for a whole number", range: range,
                   hint: "whole numbers go up to \(Int.max); write a decimal such as \(text).0 for larger values")
    }
    static func invalidDate(_ text: String, range: SourceRange) -> Diagnostic {
        let body = text.dropFirst()
        let parts = body.split(separator: "-", omittingEmptySubsequences: false).compactMap { Int($0) }
        let written = parts.count == 3 && body.count == 10
        let hint = if written, (1...12).contains(parts[1]), (1...9999).contains(parts[0]) {
            "\(CalendarDate.monthNames[parts[1] - 1]) \(parts[0]) has \(CalendarDate.daysIn(month: parts[1], year: parts[0])) days"
        } else if written, (1...9999).contains(parts[0]) {
            "months are numbered 01 to 12"
        } else if written {
            "years run from 0001 to 9999"
        } else {
            "write a date as @ and then YYYY-MM-DD, for example @2019-12-31"
        }
        return Diagnostic(code: "E007", message: "\(text) is not a date", range: range, hint: hint)
    }
    static func parameterNeedsName(range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E006", message: "'$' must be followed by a parameter name", range: range,
                   hint: "write $district for the parameter named district")
    }

    // MARK: E1xx syntax

    static func expected(_ what: String, found: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E101", message: "expected \(what), found \(found)", range: range)
    }
    static func expectedExpression(found: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E102", message: "expected a value, a column or a condition, found \(found)", range: range)
    }
    static func unknownStage(_ word: String, range: SourceRange) -> Diagnostic {
        let stages = StageName.names
        let suggestion = StageName.known(as: word)?.rawValue ?? Suggestions.closest(to: word, in: stages)
        return Diagnostic(code: "E103", message: word.isEmpty ? "expected a stage after '|'" : "'\(word)' is not a stage",
                          range: range,
                          hint: (suggestion.map { "did you mean '\($0)'? " } ?? "") + "The stages are " + Suggestions.list(stages) + ".",
                          fixIt: suggestion)
    }
    static func expectedPipe(found: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E104", message: "expected '|' and the next stage, or the end of the statement, found \(found)",
                   range: range, hint: "join stages with '|'; start a new statement on a new line")
    }
    static func assignmentInComparison(range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E105", message: "'=' names a column; to compare, write '=='", range: range,
                   hint: "write == to test equality", fixIt: "==")
    }
    static func chainedComparison(_ op: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E106", message: "comparisons cannot be chained ('\(op)' follows another comparison)", range: range,
                   hint: "combine them with 'and': a < b and b < c")
    }
    static func reservedWord(_ word: String, expected: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E107", message: "'\(word)' is a reserved word; expected \(expected)", range: range,
                   hint: "choose another name")
    }

    static func nestedTooDeeply(limit: Int, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E108", message: "this expression is nested more than \(limit) levels deep", range: range,
                   hint: "split it up: compute parts with derive, then combine them")
    }
    static func listTooLong(limit: Int, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E109", message: "this list has more than \(limit) items", range: range,
                   hint: "load the values as a table (--data DIR) and use join, or split the condition with 'or'")
    }
    static func writtenInSQL(verb: String, translation: String?, range: SourceRange) -> Diagnostic {
        let reads = ["SELECT", "WITH", "SHOW", "DESCRIBE"].contains(verb)
        let message = reads ? "this is SQL; CentreQL starts from a table and passes its rows through stages"
                            : "this is SQL's \(verb); CentreQL only reads the data, it has no \(verb)"
        let hint = translation.map { "in CentreQL: \($0)" }
            ?? (reads ? "write it as a pipeline, as in: centres | where district == \"闵行区\" | select name, town | take 5 (.help lists the stages; .tables the tables)"
                      : "change the data in its CSV files and load them with --data DIR or .load DIR")
        return Diagnostic(code: "E112", message: message, range: range, hint: hint, fixIt: translation)
    }
    static func habit(_ message: String, range: SourceRange, fixIt: String) -> Diagnostic {
        Diagnostic(code: "E113", message: message, range: range,
                   hint: fixIt.isEmpty ? "leave it out" : "write \(fixIt)", fixIt: fixIt)
    }
    static func tooManyStages(_ count: Int, limit: Int, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E111", message: "this pipeline has \(count) stages, counting those of the lets it starts from; the limit is \(limit)",
                   range: range, hint: "combine conditions into one where, and fields into one select or derive")
    }
    static func statementTooLong(_ length: Int, limit: Int, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E110", message: "this statement is \(length) characters long; the limit is \(limit)", range: range,
                   hint: "split it into several statements, naming the parts with let")
    }

    // MARK: E2xx names

    static func unknownTable(_ name: String, range: SourceRange, suggestion: String?, known: [String]) -> Diagnostic {
        Diagnostic(code: "E201", message: "unknown table '\(name)'", range: range,
                   hint: (suggestion.map { "did you mean '\($0)'? " } ?? "") + "Available: " + known.joined(separator: ", "),
                   fixIt: suggestion)
    }
    static func unknownColumn(_ name: String, table: String?, range: SourceRange, suggestion: String?, known: [String]) -> Diagnostic {
        Diagnostic(code: "E202", message: "unknown column '\(name)'" + (table.map { " in \($0)" } ?? ""), range: range,
                   hint: (suggestion.map { "did you mean '\($0)'? " } ?? "") + "Available: " + known.joined(separator: ", "),
                   fixIt: suggestion)
    }
    static func unquotedValue(_ word: String, column: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E202", message: "'\(word)' is not a column, but it is a value of \(column): text is written in quotes",
                   range: range, hint: "write \(Value.string(word).literalText)", fixIt: Value.string(word).literalText)
    }
    static func unknownParameter(_ name: String, range: SourceRange, suggestion: String?) -> Diagnostic {
        Diagnostic(code: "E203", message: "unknown parameter $\(name)", range: range,
                   hint: suggestion.map { "did you mean $\($0)?" }
                       ?? "declare it first (param \(name): string = \"…\") or pass --param \(name)=…")
    }
    static func unknownFunction(_ name: String, range: SourceRange, suggestion: String?) -> Diagnostic {
        let all = FunctionSignatures.allNames
        return Diagnostic(code: "E204", message: "unknown function '\(name)'", range: range,
                          hint: (suggestion.map { "did you mean '\($0)'? " } ?? "") + "Functions: " + all.joined(separator: ", "),
                          fixIt: suggestion)
    }
    static func duplicateColumn(_ name: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E205", message: "two columns are called '\(name)'", range: range,
                   hint: "name one of them: other_\(name) = …")
    }
    static func tableUsedAsColumn(_ name: String, range: SourceRange, in table: String?) -> Diagnostic {
        Diagnostic(code: "E206", message: "'\(name)' is a table, not a column" + (table.map { " of \($0)" } ?? ""), range: range,
                   hint: "follow a link (centre.name, count(projects)) or bring its rows in with 'join \(name) on …'")
    }
    static func joinNameTaken(_ name: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E207", message: "the name '\(name)' is already in use here", range: range,
                   hint: "give the joined table another name: join … as other on …")
    }
    static func unknownType(_ name: String, range: SourceRange) -> Diagnostic {
        let suggestion = Suggestions.closest(to: name, in: ValueType.declarable.keys.sorted())
        return Diagnostic(code: "E208", message: "unknown type '\(name)'", range: range,
                          hint: (suggestion.map { "did you mean '\($0)'? " } ?? "") + "Parameter types: string, int, decimal, bool",
                          fixIt: suggestion)
    }

    // MARK: E3xx types

    static func conditionNotBoolean(stage: String, type: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E301", message: "\(stage) needs a true/false condition, but this is \(type.withArticle)", range: range,
                   hint: "compare it with something, e.g. x == \"…\" or x > 0")
    }
    static func operandTypes(op: String, left: ValueType, right: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E302", message: "'\(op)' cannot combine \(left.withArticle) and \(right.withArticle)", range: range)
    }
    static func dateArithmetic(op: String, left: ValueType, right: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E302", message: "'\(op)' cannot combine \(left.withArticle) and \(right.withArticle)", range: range,
                   hint: "a date moves by whole days (d + 7, d - 7), and d1 - d2 is the number of days from d2 to d1")
    }
    static func compareDateWithText(left: ValueType, right: ValueType, range: SourceRange, fixIt: String?) -> Diagnostic {
        Diagnostic(code: "E304", message: "cannot compare \(left.withArticle) with \(right.withArticle)", range: range,
                   hint: fixIt.map { "a date is written without quotes: \($0)" } ?? "write the date as @2019-12-31, or read the text as a date with date(text)",
                   fixIt: fixIt)
    }
    static func operandType(op: String, type: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E303", message: "'\(op)' does not apply to \(type.withArticle)", range: range)
    }
    static func compareTextWithNumber(left: ValueType, right: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E304", message: "cannot compare \(left.withArticle) with \(right.withArticle)", range: range,
                   hint: "text and numbers never equal each other: write the number without quotes, or the text with them")
    }
    static func inNeedsList(type: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E305", message: "'in' needs a list on its right, found \(type.withArticle)", range: range,
                   hint: "write the values in brackets: town in [\"浦江镇\", \"莘庄镇\"]")
    }
    static func textOperand(op: String, type: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E306", message: "'\(op)' works on text, but this is \(type.withArticle)", range: range)
    }
    static func branchTypes(then: ValueType, else other: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E328", message: "the branches of 'if' must have one type: 'then' gives \(then.withArticle), 'else' \(other.withArticle)",
                   range: range, hint: "make both text (text(x)) or both numbers; null fits either")
    }
    static func windowOutsideProjection(_ function: WindowFunction, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E330", message: "\(function.rawValue)() is computed by derive or select, over all the rows", range: range,
                   hint: "derive it first, then use it: | derive r = \(function.usage) | where r <= 2")
    }
    static func windowWithoutOrder(_ function: WindowFunction, after stage: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E331", message: "\(function.rawValue)() reads the rows' order, and after \(stage) they have none", range: range,
                   hint: "sort them first: | sort … | derive r = \(function.usage)")
    }
    static func rankKeyGone(_ function: String, key: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E332", message: "\(function)() ranks by the last sort's keys, and '\(key)' cannot be read here any more", range: range,
                   hint: "rank before the stage that drops it, or keep it in the select")
    }
    static func pipelineListColumns(_ names: [String], range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E333", message: "a pipeline used as a list must give one column; this one gives \(names.count)"
                   + (names.isEmpty ? "" : " (" + names.prefix(6).joined(separator: ", ") + (names.count > 6 ? ", …" : "") + ")"), range: range,
                   hint: "end it with a select of one column: (awards | where rank == 1 | select centre_id)")
    }
    static func combinedColumns(_ operation: String, position: Int, mine: (name: String, type: ValueType)?,
                                theirs: (name: String, type: ValueType)?, range: SourceRange) -> Diagnostic {
        let describe = { (column: (name: String, type: ValueType)?) in column.map { "'\($0.name)' (\($0.type))" } ?? "no column" }
        return Diagnostic(code: "E334", message: "\(operation) needs the same columns on both sides; column \(position) is \(describe(mine)) here and \(describe(theirs)) there",
                          range: range, hint: "select the same names and types on both sides, in the same order: | select name | \(operation) (projects | select name)")
    }
    static func explodeNeedsList(type: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E335", message: "explode needs a list, but this is \(type.withArticle)", range: range,
                   hint: "split text into a list first: explode partner = split(partners, \"、\")")
    }
    static func pivotTooWide(_ count: Int, limit: Int, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E336", message: "this pivot would make \(count) columns; the most is \(limit)", range: range,
                   hint: "pivot a column with fewer values, or keep fewer rows first (| where …); a group gives one row per value instead")
    }
    static func pivotWithoutData(range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E337", message: "pivot makes a column per value of its key, and inside group … (…) each group would make others",
                   range: range, hint: "pivot before or after the group, where the rows are all the query's")
    }
    static func joinedPipelineNotRows(_ text: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E338", message: "join can take a let or a pipeline whose rows are still a table's (where, sort, take), but '\(text)' gives other rows",
                   range: range, hint: "join the table itself and put the pipeline's condition in `on`, or end the pipeline before its select")
    }
    static func pivotWithoutColumns(range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E339", message: "this pivot makes no columns: no row that reaches it has a value here", range: range,
                   hint: "keep more rows before it (check the where), or add `by KEY` to get an empty table with that column")
    }
    static func chartNotLast(range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E340", message: "chart draws a query's rows, so it can only be the query's last stage", range: range,
                   hint: "end the query with it (… | chart bar LABEL, VALUE); a let, a pipeline in brackets and group (…) cannot draw")
    }
    static func unknownChartKind(_ word: String, range: SourceRange) -> Diagnostic {
        let kinds = ChartKind.allCases.map(\.rawValue)
        let other = ["barh": "hbar", "pie": "bar", "histo": "histogram", "hist": "histogram", "sparkline": "spark", "timechart": "line", "columnchart": "column", "barchart": "bar", "linechart": "line"]
        let suggestion = other[word.lowercased()] ?? Suggestions.closest(to: word, in: kinds)
        return Diagnostic(code: "E341", message: "'\(word)' is not a kind of chart", range: range,
                          hint: (suggestion.map { "did you mean '\($0)'? " } ?? "") + "The kinds are " + Suggestions.list(kinds) + ".",
                          fixIt: suggestion)
    }
    static func chartFields(_ kind: ChartKind, count: Int, range: SourceRange) -> Diagnostic {
        let wanted = kind.fieldCount == 2 ? (kind == .line ? "an X and a Y" : "a label and a value") : "one value"
        return Diagnostic(code: "E342", message: "chart \(kind.rawValue) takes \(wanted), found \(count) expression\(count == 1 ? "" : "s")",
                          range: range, hint: "use it as \(kind.usage)")
    }
    static func chartValueNotNumber(_ name: String, type: ValueType, kind: ChartKind, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E343", message: "a chart draws numbers, but '\(name)' is \(type.withArticle)", range: range,
                   hint: kind.fieldCount == 2 ? "count or sum it first, as in group \(name) agg n = count() | chart \(kind.rawValue) \(name), n"
                       : "chart a number column, or count first: group \(name) agg n = count() | chart bar \(name), n")
    }
    static func chartBins(_ kind: ChartKind, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E344", message: "only a histogram has bins, not chart \(kind.rawValue)", range: range,
                   hint: "use it as \(kind.usage)")
    }
    static func unknownChartSetting(_ word: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E344", message: "'\(word)' is not a chart setting: a chart has one, bins N (for a histogram)", range: range,
                   hint: "as in chart histogram volunteers bins 5", fixIt: Suggestions.closest(to: word, in: ["bins"]))
    }
    static func chartBinCount(limit: Int, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E344", message: "bins takes a whole number from 1 to \(limit)", range: range,
                   hint: "as in chart histogram volunteers bins 5")
    }
    static func mixedList(first: ValueType, other: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E307", message: "a list holds values of one type: \(first) and \(other) do not mix", range: range)
    }
    static func functionArity(_ usage: String, count: Int, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E308", message: "wrong number of arguments (\(count)) in this call", range: range, hint: "use it as \(usage)")
    }
    static func functionArgumentType(_ usage: String, position: Int, expected: String, found: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E309", message: "argument \(position) should be \(expected), but this is \(found.withArticle)", range: range,
                   hint: "use it as \(usage)")
    }
    static func whereInScalarCall(function: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E310", message: "'where' inside a call is only for aggregates, not \(function)()", range: range,
                   hint: "filter with a where stage, or count(projects where …)")
    }
    static func aggregateOutsideGroup(_ function: String, range: SourceRange, links: [String]) -> Diagnostic {
        var hint = "aggregate the rows of a group with: | group key agg n = \(function)(…); over all the rows, derive it: | derive n = \(function)(…)"
        if let link = links.first {
            hint += ", or a link of each row, as in " + (function == "count" || function == "exists" ? "\(function)(\(link))" : "\(function)(\(link).…)")
        }
        return Diagnostic(code: "E311", message: "\(function)() has no rows to aggregate here", range: range, hint: hint)
    }
    static func aggregateNeedsColumn(_ function: String, link: String, target: TableSchema, range: SourceRange) -> Diagnostic {
        let numeric = target.columns.filter { $0.type.isNumeric && $0.name != "id" && !$0.name.hasSuffix("_id") }.map(\.name)
        return Diagnostic(code: "E312", message: "\(function)() needs a column of the linked \(target.name), not just the link", range: range,
                          hint: "for example \(function)(\(link).\(numeric.first ?? "id")); count(\(link)) counts them")
    }
    static func aggregateNeedsArgument(_ function: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E313", message: "\(function)() needs a value to aggregate", range: range, hint: "for example \(function)(volunteers)")
    }
    static func aggregateType(_ function: String, type: ValueType, range: SourceRange) -> Diagnostic {
        let hint: String? = switch function {
        case "sum", "avg": "sum and avg need numbers; count, min and max take any value"
        case "median", "percentile": "\(function) needs numbers"
        case "string_agg": "string_agg joins text; make a number text with text(…)"
        default: nil
        }
        return Diagnostic(code: "E314", message: "\(function)() cannot aggregate \(type.withArticle)", range: range, hint: hint)
    }
    static func nestedAggregate(_ function: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E315", message: "\(function)() cannot be inside another aggregate of the same rows", range: range)
    }
    static func aggregateArity(_ usage: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E316", message: "wrong number of arguments for this aggregate", range: range, hint: "use it as \(usage)")
    }
    static func aggregateOption(_ usage: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E329", message: "this setting must be written in the query: a fraction from 0 to 1 for percentile, a text for string_agg",
                   range: range, hint: "use it as \(usage), e.g. percentile(rank, 0.9) or string_agg(category, \"、\")")
    }
    static func rowUsedAsValue(_ text: String, table: TableSchema, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E317", message: "'\(text)' is a row of \(table.name), not a value", range: range,
                   hint: "pick one of its columns, e.g. \(text).\(table.columns.dropFirst().first?.name ?? "id")")
    }
    static func manyLinkUsedAsValue(_ text: String, target: TableSchema, range: SourceRange) -> Diagnostic {
        let root = text.split(separator: ".").first.map(String.init) ?? text
        return Diagnostic(code: "E318", message: "'\(text)' links to many \(target.name), not one value", range: range,
                          hint: "aggregate it: count(\(root)), exists(\(root) where …), sum(\(root).…), max(\(root).…)")
    }
    static func memberOfValue(_ name: String, base: String, type: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E319", message: "'\(base)' is \(type.withArticle), which has no column '\(name)'", range: range)
    }
    static func takeNeedsCount(type: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E320", message: "take needs a whole number, found \(type.withArticle)", range: range, hint: "for example: take 10")
    }
    static func takeNegative(range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E321", message: "take needs a count of zero or more", range: range)
    }
    static func cannotSort(type: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E322", message: "cannot sort by \(type.withArticle)", range: range)
    }
    static func invalidPattern(_ problem: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E323", message: "this regular expression is not valid: \(problem)", range: range)
    }
    static func parameterDefaultType(_ name: String, expected: ValueType, found: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E324", message: "parameter $\(name) is \(expected.withArticle), but its default is \(found.withArticle)", range: range)
    }
    static func linkAggregateNeedsPath(_ function: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E325", message: "over a link, \(function)() takes a column path such as projects.members, not a formula", range: range,
                   hint: "aggregates skip nulls already; put the rest outside: \(function)(projects.members) ?? 0")
    }
    static func parameterDefaultNotConstant(range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E326", message: "a parameter's default must be a literal value", range: range)
    }
    static func columnOutsideAggregate(_ text: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E327", message: "'\(text)' is neither a group key nor inside an aggregate", range: range,
                   hint: "add it to the keys (group key, \(text) agg …) or aggregate it: min(\(text)), max(\(text)), count(\(text))")
    }

    // MARK: E4xx evaluation

    static func parameterMissing(_ name: String, type: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E401", message: "parameter $\(name) has no value", range: range,
                   hint: "pass one: --param \(name)=… (\(type)), or give a default: param \(name): \(type) = …")
    }
    static func parameterValue(_ name: String, text: String, type: ValueType, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E402", message: "--param \(name)=\(text) is not \(type.withArticle)", range: range)
    }
    static func overflow(range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E403", message: "the result is too large for a whole number", range: range,
                   hint: "use decimals (write 1.0 * x) for very large values")
    }
    static func patternFailed(_ problem: String, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E404", message: "the regular expression could not be used: \(problem)", range: range)
    }
    public static func cancelled(range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E405", message: "the query was cancelled", range: range)
    }
    public static func timedOut(_ limit: Duration, range: SourceRange) -> Diagnostic {
        let seconds = limit.inSeconds
        let shown = seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
        return Diagnostic(code: "E406", message: "the query was stopped at its time limit of \(shown) s",
                          range: range, hint: "narrow it with `where` or `take`, or raise the limit: --timeout SECONDS")
    }
    static func tooMuchText(_ limit: Int, inAll: Bool, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E408", message: inAll ? "the query made more than \(limit >> 20) MiB of text in all"
                                                : "a text value would be longer than \(limit >> 20) MiB", range: range,
                   hint: "text made by `+`, `upper` and `lower` is limited; build shorter values, or fewer of them")
    }
    static func tooManyRows(_ limit: Int, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E407", message: "the join would produce more than \(limit) rows", range: range,
                   hint: "give the join an `on` condition that matches fewer rows, or filter both sides first")
    }
    static func dateOutOfRange(range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E409", message: "the date would be outside 0001-01-01 … 9999-12-31", range: range,
                   hint: "dates have four-digit years")
    }
}

extension Diagnostic {
    // MARK: N3xx notes: how a statement that runs was read

    static func unheldText(_ text: String, column: String, table: String, suggestion: String, range: SourceRange) -> Diagnostic {
        // `centres` → `centre`: the message speaks of one row.
        let row = table.hasSuffix("s") ? String(table.dropLast()) : table
        return Diagnostic(code: "N302", message: "no \(row) has \(column) \(Value.string(text).literalText); did you mean \(Value.string(suggestion).literalText)?",
                          range: range, hint: "text is compared exactly; the query runs as written",
                          fixIt: Value.string(suggestion).literalText, severity: .note)
    }
    static func openComparison(_ verdicts: [(comparison: String, verdict: Bool)], range: SourceRange) -> Diagnostic {
        let shown = verdicts.prefix(3).map { "\($0.comparison) is taken as \($0.verdict)" }.joined(separator: ", ")
            + (verdicts.count > 3 ? " and \(verdicts.count - 3) more" : "")
        return Diagnostic(code: "N301", message: "\(shown): the report's wording leaves \(verdicts.count == 1 ? "it" : "them") open", range: range,
                          hint: "figures compare by their stated amount, and on an equal amount 近 counts as less and 余 as more; "
                            + "余 N is read as up to a tenth over N, 近 N up to a tenth under, 约 N within a tenth. amount(x) compares the bare number",
                          severity: .note)
    }
}

extension Diagnostic {
    // MARK: E6xx compiling to SQL

    static func notExpressibleInSQL(_ construct: String, dialect: SQLDialect, range: SourceRange) -> Diagnostic {
        Diagnostic(code: "E601", message: "\(construct) cannot be expressed in \(dialect.rules.name)'s SQL", range: range,
                   hint: "run this query on the in-memory engine, or rewrite that part")
    }
}

extension Unicode.Scalar {
    /// "U+0000": how a character that cannot be seen is named in messages.
    var codePoint: String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

extension ValueType {
    /// "an int", "a string": for messages.
    var withArticle: String {
        switch self {
        case .int: "an int (whole number)"
        case .decimal: "a decimal"
        case .string: "a string"
        case .bool: "a bool (true/false)"
        case .figure: "a figure (number)"
        case .list(let element): "a list of \(element)"
        case .date: "a date"
        case .null: "null"
        }
    }
}
