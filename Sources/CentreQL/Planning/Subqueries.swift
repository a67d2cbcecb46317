/// Pipelines inside a pipeline's expressions (`id in (awards | where rank == 1 | select centre_id)`)
/// are taken out before planning: each becomes a subplan run once, before the query's rows are
/// read, and is read as `.subqueryList(i)`. A pipeline's own lists come before it, so every subplan
/// finds the lists it reads already made.
enum Subqueries {
    static func extract(_ pipeline: BoundPipeline) -> (pipeline: BoundPipeline, subqueries: [BoundPipeline]) {
        guard occur(in: pipeline) else { return (pipeline, []) }
        var found: [BoundPipeline] = []
        let rewritten = extract(pipeline, into: &found)
        return (rewritten, found)
    }

    /// Whether any stage reads a pipeline as a list (most do not, and planning them rebuilds nothing).
    static func occur(in pipeline: BoundPipeline) -> Bool {
        pipeline.stages.contains { $0.stage.readsPipeline }
    }

    private static func extract(_ pipeline: BoundPipeline, into found: inout [BoundPipeline]) -> BoundPipeline {
        let stages = pipeline.stages.map { checked in
            CheckedStage(name: checked.name, stage: checked.stage.mappingExpressions { expression in
                expression.replacing { part in
                    guard case .subquery(let inner) = part.node else { return nil }
                    let ready = extract(inner, into: &found)
                    found.append(ready)
                    return part.with(.subqueryList(found.count - 1))
                }
            }, text: checked.text, scope: checked.scope)
        }
        return BoundPipeline(sourceTable: pipeline.sourceTable, stages: stages, scope: pipeline.scope)
    }
}

extension BoundStage {
    /// Whether a pipeline used as a list is inside it (or inside the stages and pipelines it holds).
    var readsPipeline: Bool {
        func reads(_ e: BoundExpression) -> Bool {
            e.containsNode { if case .subquery = $0.node { true } else { false } }
        }
        func any(_ fields: [BoundField]) -> Bool { fields.contains { reads($0.expression) } }
        switch self {
        case .where(let conjuncts): return conjuncts.contains { reads($0.expression) }
        case .select(let fields), .derive(let fields, _): return any(fields)
        case .group(let keys, let aggregates): return any(keys) || any(aggregates)
        case .groupEach(let keys, let stages, _): return any(keys) || stages.contains { $0.stage.readsPipeline }
        case .sort(let keys): return keys.contains { reads($0.expression) }
        case .take(let count): return reads(count)
        case .join(_, let condition, _): return reads(condition)
        case .combine(_, let other): return other.stages.contains { $0.stage.readsPipeline }
        case .explode(let field, _): return reads(field.expression)
        case .count, .distinct, .unpivot: return false
        }
    }

    /// The stage with `transform` applied to each of its expressions, those of the stages and
    /// pipelines inside it included.
    func mappingExpressions(_ transform: (BoundExpression) -> BoundExpression) -> BoundStage {
        func fields(_ list: [BoundField]) -> [BoundField] {
            list.map { BoundField(name: $0.name, expression: transform($0.expression)) }
        }
        func pipeline(_ p: BoundPipeline) -> BoundPipeline {
            BoundPipeline(sourceTable: p.sourceTable, stages: p.stages.map {
                CheckedStage(name: $0.name, stage: $0.stage.mappingExpressions(transform), text: $0.text, scope: $0.scope)
            }, scope: p.scope)
        }
        switch self {
        case .where(let conjuncts): return .where(conjuncts.map { Conjunct(expression: transform($0.expression), text: $0.text) })
        case .select(let list): return .select(fields(list))
        case .derive(let list, let replacing): return .derive(fields(list), replacing: replacing)
        case .group(let keys, let aggregates): return .group(keys: fields(keys), aggregates: fields(aggregates))
        case .groupEach(let keys, let stages, let kept):
            return .groupEach(keys: fields(keys), stages: stages.map {
                CheckedStage(name: $0.name, stage: $0.stage.mappingExpressions(transform), text: $0.text, scope: $0.scope)
            }, keptKeys: kept)
        case .sort(let keys): return .sort(keys.map { BoundSortKey(expression: transform($0.expression), isDescending: $0.isDescending) })
        case .take(let count): return .take(transform(count))
        case .count, .distinct: return self
        case .join(let table, let condition, let keepsUnmatched): return .join(table: table, condition: transform(condition), keepsUnmatched: keepsUnmatched)
        case .combine(let operation, let other): return .combine(operation, pipeline(other))
        case .explode(let field, let replacing): return .explode(fields([field])[0], replacing: replacing)
        case .unpivot: return self
        }
    }
}

/// The values of a pipeline used as a list, hashed once so `x in (…)` is a lookup, as `==` decides it.
struct ValueList: Sendable {
    let values: [Value]
    /// Each value's positions by its key, for a list that is not all whole numbers (nil for one that is:
    /// its `wholeNumbers` answer every lookup).
    private let positions: [EqualityKey: [Int]]?

    /// The whole numbers of a list of whole numbers (and nulls), for a lookup without a `Value`;
    /// made once with the list, not by every kernel that reads it (one per group in `group … (…)`).
    let wholeNumbers: (numbers: IntegerSet, hasNull: Bool)?

    init(_ values: [Value]) {
        self.values = values
        var numbers: [Int] = []
        numbers.reserveCapacity(values.count)
        var hasNull = false
        var whole = true
        for value in values where whole {
            switch value {
            case .int(let n): numbers.append(n)
            case .null: hasNull = true
            default: whole = false
            }
        }
        if whole {
            wholeNumbers = (IntegerSet(numbers), hasNull)
            positions = nil
        } else {
            wholeNumbers = nil
            var positions: [EqualityKey: [Int]] = [:]
            for (i, value) in values.enumerated() { positions[EqualityKey(value), default: []].append(i) }
            self.positions = positions
        }
    }

    /// Whether a value of the list is `==` to `value`.
    func contains(_ value: Value) -> Bool {
        if let positions {
            return positions[EqualityKey(value)]?.contains { Value.queryEquals(values[$0], value) } ?? false
        }
        guard let (numbers, hasNull) = wholeNumbers else { return false }
        switch value {
        case .null: return hasNull
        case .int(let n): return numbers.contains(n)
        default:
            // A decimal or an exact figure equals the whole number of its amount; past 2^53 a double
            // stands for several whole numbers, so those are compared one by one.
            guard let amount = value.number else { return false }
            if abs(amount) >= 0x1p53 { return values.contains { Value.queryEquals($0, value) } }
            guard let n = Int(exactly: amount), numbers.contains(n) else { return false }
            return Value.queryEquals(.int(n), value)
        }
    }
}

/// A set of whole numbers for lookups by the batch: a bitmap over their range when it is compact
/// (ids, codes), a hash set otherwise. A bit test is what `id in (…)` costs per row.
struct IntegerSet: Sendable {
    private let lowest: Int
    private let bits: [UInt64]?
    private let hashed: Set<Int>

    init(_ numbers: [Int]) {
        let (lowest, highest) = (numbers.min() ?? 0, numbers.max() ?? -1)
        self.lowest = lowest
        // Compact: at most 64 bits of the range per number (a word per number at worst).
        let span = highest.subtractingReportingOverflow(lowest)
        if !numbers.isEmpty, !span.overflow, span.partialValue < max(1 << 16, numbers.count * 64) {
            var bits = [UInt64](repeating: 0, count: span.partialValue / 64 + 1)
            for n in numbers { let offset = n - lowest; bits[offset >> 6] |= 1 << UInt64(offset & 63) }
            self.bits = bits
            hashed = []
        } else {
            bits = nil
            hashed = Set(numbers)
        }
    }

    func contains(_ n: Int) -> Bool {
        guard let bits else { return hashed.contains(n) }
        let (offset, overflow) = n.subtractingReportingOverflow(lowest)
        guard !overflow, offset >= 0, offset >> 6 < bits.count else { return false }
        return bits[offset >> 6] & (1 << UInt64(offset & 63)) != 0
    }
}
