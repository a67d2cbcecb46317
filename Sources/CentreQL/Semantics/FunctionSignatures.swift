/// The type rule of each scalar function, with a one-line description and an example for help text.
enum FunctionSignatures {
    static let summaries: [ScalarFunction: (usage: String, summary: String)] = [
        .lower: ("lower(text)", "the text in lower case"),
        .upper: ("upper(text)", "the text in upper case"),
        .length: ("length(text)", "the number of characters as a reader counts them (吴泾镇 is 3)"),
        .contains: ("contains(text, part)", "whether text contains part; also written `text contains part`"),
        .starts_with: ("starts_with(text, start)", "whether text starts with start"),
        .ends_with: ("ends_with(text, end)", "whether text ends with end"),
        .matches: ("matches(text, pattern)", "whether a regular expression matches somewhere in text"),
        .round: ("round(number [, digits])", "the number rounded half away from zero"),
        .abs: ("abs(number)", "the number without its sign"),
        .coalesce: ("coalesce(a, b, …)", "the first value that is not null"),
        .qualifier: ("qualifier(figure)", "how the source qualifies a figure: 近, 余, 约, 近余, or \"\" when exact"),
        .amount: ("amount(figure)", "the stated number of a figure, without its qualifier"),
    ]

    static func resultType(of function: ScalarFunction, arguments types: [ValueType], call: Expression,
                           checker: inout Checker) throws -> ValueType {
        let usage = summaries[function]!.usage
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
        case .coalesce:
            try arity(1...64)
            var result = ValueType.null
            for (index, type) in types.enumerated() {
                guard let unified = result.unified(with: type) else {
                    throw checker.fail(.functionArgumentType(usage, position: index + 1, expected: result.description, found: type, range: argumentRange(index)))
                }
                result = unified
            }
            return result
        case .qualifier:
            try arity(1...1)
            try require(0, \.isNumeric, "a figure")
            return .string
        case .amount:
            try arity(1...1)
            try require(0, \.isNumeric, "a figure")
            return .decimal
        }
    }
}
