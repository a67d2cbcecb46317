/// One plain aggregate's state for every group of a `group … agg`, in the form its argument's type
/// (carried on the bound tree) allows: counts, and sums, minima and maxima of whole numbers as
/// integers, sums and means of decimals as doubles, each folded a batch at a time over the group
/// numbers of the batch's rows; any other aggregate keeps an `Aggregator` per group. Every form
/// answers as the `Aggregator` would: the typed forms are that fold with the `Value`s taken out.
struct AggregateColumn {
    private enum Form {
        /// `count()` and `count(x)`: per group, the rows (or the values that are not null).
        case count
        /// `sum`/`avg` of whole numbers: `wholes` holds the sums; an overflow is an error.
        case wholeSum
        /// `sum`/`avg` of decimals: `decimals` holds the sums.
        case decimalSum
        /// `min`/`max` of whole numbers: `wholes` holds the extremes.
        case wholeExtreme(isMax: Bool)
        case general
    }

    private var form: Form
    private let function: AggregateFunction
    private let prototype: Aggregator
    /// Per group: how many values were folded (what `count` gives; none means null for the others).
    private var counts: [Int] = []
    private var wholes: [Int] = []
    private var decimals: [Double] = []
    private var general: [Aggregator] = []

    init(_ function: AggregateFunction, option: Value, argument: ValueType?) {
        self.function = function
        prototype = Aggregator(function, option: option)
        switch (function, argument) {
        case (.count, _): form = .count
        case (.sum, .int?), (.avg, .int?): form = .wholeSum
        case (.sum, .decimal?), (.avg, .decimal?): form = .decimalSum
        case (.min, .int?), (.max, .int?): form = .wholeExtreme(isMax: function == .max)
        default: form = .general
        }
    }

    /// Makes room for a new group, before any of its rows is folded.
    mutating func addGroup() {
        switch form {
        case .general: general.append(prototype)
        case .count: counts.append(0)
        case .wholeSum, .wholeExtreme: counts.append(0); wholes.append(0)
        case .decimalSum: counts.append(0); decimals.append(0)
        }
    }

    /// Folds one row's value into `group`: `value()` is nil when the aggregate's condition leaves
    /// the row out (asked only while the aggregate is undecided, as `exists` is after a row).
    mutating func fold(_ group: Int, _ value: () throws -> Value?) throws {
        if case .general = form { return try general[group].add(value) }
        guard let value = try value(), !value.isNull else { return }
        switch (form, value) {
        case (.count, _): counts[group] += 1
        case (.wholeSum, .int(let i)): try addWhole(i, group)
        case (.decimalSum, _): addDecimal(value.number ?? 0, group)
        case (.wholeExtreme(let isMax), .int(let i)): extreme(i, group, isMax: isMax)
        default:
            becomeGeneral()
            try general[group].add(value)
        }
    }

    /// A value its type did not promise (`-x` of the smallest whole number is a decimal): every
    /// group's state becomes the `Aggregator` that folded the same values, which takes any value.
    private mutating func becomeGeneral() {
        general = counts.indices.map { group in
            let count = counts[group], some = counts[group] > 0
            switch form {
            case .wholeSum: return Aggregator(function, option: prototype.option, count: count, sum: some ? .int(wholes[group]) : .null)
            case .decimalSum: return Aggregator(function, option: prototype.option, count: count, sum: some ? .decimal(decimals[group]) : .null)
            case .wholeExtreme: return Aggregator(function, option: prototype.option, count: count, extreme: some ? .int(wholes[group]) : .null)
            case .count, .general: return Aggregator(function, option: prototype.option, count: count)
            }
        }
        form = .general
    }

    /// Folds a batch: row `i` goes to group `groups[i]`, its value is `values`'s `i`th (nil for
    /// `count()`), and `included[i] == false` leaves it out. Throws `FoldFailure` with the first row
    /// whose fold fails (an overflow), so that the executor can report the error a row-by-row fold
    /// would have met first.
    mutating func fold(_ groups: [Int], values: Vector?, included: [Bool]?) throws {
        let n = groups.count
        switch form {
        case .general:
            for i in 0..<n where included?[i] != false {
                do { try general[groups[i]].add(values?.value(at: i) ?? .bool(true)) } catch { throw FoldFailure(row: i, error: error) }
            }
        case .count:
            let nulls = values?.nulls(count: n)
            counts.withUnsafeMutableBufferPointer { counts in
                for i in 0..<n where included?[i] != false && nulls?[i] != true { counts[groups[i]] += 1 }
            }
        case .wholeSum:
            guard let (numbers, nulls) = values?.wholeNumbers(count: n) else { return try foldEach(groups, values, included) }
            let failed = counts.withUnsafeMutableBufferPointer { counts in
                wholes.withUnsafeMutableBufferPointer { sums -> Int? in
                    for i in 0..<n where included?[i] != false && !nulls[i] {
                        let group = groups[i]
                        let (sum, overflow) = sums[group].addingReportingOverflow(numbers[i])
                        if overflow { return i }
                        sums[group] = sum
                        counts[group] += 1
                    }
                    return nil
                }
            }
            // As Aggregator's sum reports it.
            if let failed { throw FoldFailure(row: failed, error: Diagnostic.overflow(range: SourceRange(0, 0))) }
        case .decimalSum:
            guard let (numbers, nulls) = values?.amounts(count: n) else { return try foldEach(groups, values, included) }
            counts.withUnsafeMutableBufferPointer { counts in
                decimals.withUnsafeMutableBufferPointer { sums in
                    for i in 0..<n where included?[i] != false && !nulls[i] {
                        let group = groups[i]
                        // The first value is the sum, as Aggregator starts from it (-0.0 stays -0.0).
                        sums[group] = counts[group] == 0 ? numbers[i] : sums[group] + numbers[i]
                        counts[group] += 1
                    }
                }
            }
        case .wholeExtreme(let isMax):
            guard let (numbers, nulls) = values?.wholeNumbers(count: n) else { return try foldEach(groups, values, included) }
            // The loop over raw buffers: through the arrays, each write checked the array was not shared.
            counts.withUnsafeMutableBufferPointer { counts in
                wholes.withUnsafeMutableBufferPointer { extremes in
                    for i in 0..<n where included?[i] != false && !nulls[i] {
                        let (group, value) = (groups[i], numbers[i])
                        if counts[group] == 0 || (isMax ? value > extremes[group] : value < extremes[group]) { extremes[group] = value }
                        counts[group] += 1
                    }
                }
            }
        }
    }

    /// A batch whose values came in no typed vector, a row at a time.
    private mutating func foldEach(_ groups: [Int], _ values: Vector?, _ included: [Bool]?) throws {
        for i in groups.indices where included?[i] != false {
            do { try fold(groups[i]) { values?.value(at: i) ?? .bool(true) } } catch { throw FoldFailure(row: i, error: error) }
        }
    }

    private mutating func addWhole(_ value: Int, _ group: Int) throws {
        let (sum, overflow) = wholes[group].addingReportingOverflow(value)
        if overflow { throw Diagnostic.overflow(range: SourceRange(0, 0)) }  // as Aggregator's sum reports it
        wholes[group] = sum
        counts[group] += 1
    }

    private mutating func addDecimal(_ value: Double, _ group: Int) {
        // The first value is the sum, as Aggregator starts from it (-0.0 stays -0.0).
        decimals[group] = counts[group] == 0 ? value : decimals[group] + value
        counts[group] += 1
    }

    private mutating func extreme(_ value: Int, _ group: Int, isMax: Bool) {
        if counts[group] == 0 || (isMax ? value > wholes[group] : value < wholes[group]) { wholes[group] = value }
        counts[group] += 1
    }

    func result(_ group: Int) -> Value {
        switch form {
        case .general: return general[group].result
        case .count: return .int(counts[group])
        case .wholeSum, .decimalSum, .wholeExtreme:
            guard counts[group] > 0 else { return .null }
            let decimal = if case .decimalSum = form { true } else { false }
            if function == .avg { return .decimal((decimal ? decimals[group] : Double(wholes[group])) / Double(counts[group])) }
            return decimal ? .decimal(decimals[group]) : .int(wholes[group])
        }
    }
}

/// A batch's fold failed at row `row` of the batch: the rows before it were folded.
struct FoldFailure: Error {
    let row: Int
    let error: any Error
}
