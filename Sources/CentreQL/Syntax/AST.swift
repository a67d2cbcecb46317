/// The syntax tree: what the user wrote, with source ranges, before any name is resolved.
/// Each node is a plain value; the checker turns it into the bound tree.

public struct Script: Sendable {
    public var statements: [Statement]
}

public struct Name: Sendable, Hashable {
    public let text: String
    public let range: SourceRange
}

public struct Statement: Sendable {
    public enum Kind: Sendable {
        /// `let NAME = PIPELINE`
        case `let`(Name, Pipeline)
        /// `param NAME: TYPE [= LITERAL]`
        case param(Name, type: Name, defaultValue: Expression?)
        /// `PIPELINE`
        case query(Pipeline)
        /// `explain PIPELINE`: the plan in words instead of the rows.
        case explain(Pipeline)
        /// `trace PIPELINE [follow CONDITION]`: each stage's rows in and out, its columns and first
        /// rows; with `follow`, what became of the source rows for which CONDITION holds.
        case trace(Pipeline, follow: Expression?)
    }
    public let kind: Kind
    public let range: SourceRange
}

public struct Pipeline: Sendable {
    public let source: Name
    public let stages: [Stage]
    public let range: SourceRange
}

public struct Stage: Sendable {
    public enum Kind: Sendable {
        case `where`(Expression)
        case select([Field])
        case derive([Field])
        case group(keys: [Field], aggregates: [Field])
        /// `group KEYS (STAGES)`: the stages run on each group's rows.
        case groupEach(keys: [Field], stages: [Stage])
        case sort([SortKey])
        case take(Expression)
        case count
        case distinct
        /// `join [left] TABLE [as NAME] on CONDITION`: with `left`, a row without a match is kept once, the joined row missing.
        /// TABLE may be a `let` name, or `(PIPELINE)` (then `pipeline` holds it and `table` is its source).
        // Boxed: the largest payloads would make every stage that large to copy.
        indirect case join(table: Name, pipeline: Pipeline?, alias: Name?, condition: Expression, keepsUnmatched: Bool)
        /// `append (PIPELINE)`, `except (PIPELINE)`, `intersect (PIPELINE)`: with another pipeline's rows.
        case append(Pipeline), except(Pipeline), intersect(Pipeline)
        /// `explode NAME = LIST`: a row for each element.
        case explode(Field)
        /// `unpivot COLUMN, … into NAME, VALUE`
        indirect case unpivot(columns: [Name], name: Name, value: Name)
        /// `pivot KEY agg FIELDS [by FIELDS]`
        case pivot(key: Expression, aggregates: [Field], by: [Field])
        /// `chart KIND FIELDS [bins N]`: the kind's and the setting's names as written (the checker
        /// resolves them; neither is a reserved word).
        case chart(kind: Name, fields: [Field], setting: (name: Name, value: Expression)?)
    }
    /// Which stage it is, as the parser dispatched on it.
    public let name: StageName
    public let kind: Kind
    /// The range of the stage's keyword, where messages about the stage as a whole point.
    public let keyword: SourceRange
    public let range: SourceRange
}

/// `[NAME =] EXPRESSION` in `select`, `derive` and `group`.
public struct Field: Sendable {
    public let name: Name?
    public let expression: Expression
}

public struct SortKey: Sendable {
    public let expression: Expression
    public let isDescending: Bool
}

public struct Expression: Sendable {
    public indirect enum Kind: Sendable {
        case integer(Int)
        case decimal(Double)
        case string(String)
        /// `@2019-12-31`, as days from 1970-01-01.
        case date(Int)
        case boolean(Bool)
        case null
        case list([Expression])
        case name(String)
        case parameter(String)
        /// `BASE.NAME`: a column of a linked row, or a column of a joined table.
        case member(Expression, Name)
        case unary(UnaryOperator, Expression)
        case binary(BinaryOperator, Expression, Expression)
        /// `NAME(ARGUMENTS [where CONDITION])`
        case call(Name, [Expression], filter: Expression?)
        /// `(PIPELINE)`: its one column's values as a list (`id in (awards | select centre_id)`).
        case pipeline(Pipeline)
        /// `if CONDITION then VALUE else VALUE` (`else if …` is an `if` in the else branch).
        case conditional(Expression, then: Expression, else: Expression)
    }
    public let kind: Kind
    public let range: SourceRange
    /// How many levels deep the tree below this node goes (a literal is 1).
    public let depth: Int

    public init(kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
        let below: Int = switch kind {
        case .list(let items): items.map(\.depth).max() ?? 0
        case .member(let base, _): base.depth
        case .unary(_, let operand): operand.depth
        case .binary(_, let left, let right): max(left.depth, right.depth)
        case .call(_, let arguments, let filter): max(arguments.map(\.depth).max() ?? 0, filter?.depth ?? 0)
        case .conditional(let condition, let then, let otherwise): max(condition.depth, then.depth, otherwise.depth)
        default: 0
        }
        self.depth = below + 1
    }
}

extension Expression {
    /// The expressions directly inside this one, for walks that look for one kind of part.
    var children: [Expression] {
        switch kind {
        case .integer, .decimal, .string, .date, .boolean, .null, .name, .parameter: []
        case .pipeline: []  // a scope of its own
        case .list(let items): items
        case .member(let base, _): [base]
        case .unary(_, let operand): [operand]
        case .binary(_, let left, let right): [left, right]
        case .call(_, let arguments, let filter): arguments + (filter.map { [$0] } ?? [])
        case .conditional(let condition, let then, let otherwise): [condition, then, otherwise]
        }
    }
}

public enum UnaryOperator: String, Sendable {
    case negate = "-"
    case not
}

public enum BinaryOperator: String, Sendable, CaseIterable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case `in`, contains, startsWith = "starts_with", endsWith = "ends_with", matches
    case coalesce = "??"
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    /// `+` on text: never parsed, but written by the checker where it found text, so the executor and
    /// the SQL compiler read the type the checker carried instead of guessing it again.
    case concatenate = "||"
    /// Day arithmetic, written by the checker where it found a date (as `concatenate` is): a date
    /// moved by whole days (the date on the left), and the days from the right date to the left.
    case addDays = "+ days", subtractDays = "- days", daysBetween = "- date"

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: true
        default: false
        }
    }
    var isTextPredicate: Bool {
        switch self {
        case .contains, .startsWith, .endsWith, .matches: true
        default: false
        }
    }
}

/// One statement as the parser found it: its tree, or the syntax errors that kept it from having one.
public struct ParsedStatement: Sendable {
    public var statement: Statement?
    public var diagnostics: [Diagnostic]
    /// From the statement's first token to the separator that ends it.
    public let extent: SourceRange
}
