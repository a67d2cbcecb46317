/// Group keys as one integer, when every key is a text column or a whole-number column of a small
/// range (of the rows' table or reached by a to-one link): text is dictionary-coded and a number
/// is coded by its value, so a row's key is its codes combined, and grouping a million rows hashes
/// (or indexes an array by) a million integers instead of building and hashing a million arrays of values.
struct CodedKeys: Sendable {
    /// Each row's code in one key column: 0 for null.
    private enum Codes: Sendable {
        case text([UInt32])
        /// Value `v` has code `v - low + 1`.
        case wholeNumbers([Int], NullMask, low: Int)

        func code(_ row: Int) -> Int {
            switch self {
            case .text(let codes): Int(codes[row])
            case .wholeNumbers(let values, let nulls, let low): nulls.isNull(row) ? 0 : values[row] - low + 1
            }
        }
    }

    private let parts: [(reference: RowReference, codes: Codes, stride: Int)]
    /// How many distinct combined keys there can be (each part's distinct codes, plus null).
    let capacity: Int
    /// Whether every part is text (`explain` says "dictionary codes").
    let isText: Bool

    /// A number column is coded when its values span at most this many.
    static let widestNumberRange = 1 << 20

    init?(_ keys: [BoundField], store: Store) {
        var parts: [(RowReference, Codes, Int)] = []
        var capacity = 1
        var isText = true
        for key in keys {
            guard case .column(let reference, let table, let column) = key.expression.node else { return nil }
            let data = store.tables[table].columns[column]
            let codes: Codes, distinct: Int
            if let (text, dictionary) = data.stringCodes {
                (codes, distinct) = (.text(text), dictionary.count)
            } else if let (values, nulls, range) = data.wholeNumbers,
                      case (let width, false) = range.upperBound.subtractingReportingOverflow(range.lowerBound), width < Self.widestNumberRange {
                (codes, distinct) = (.wholeNumbers(values, nulls, low: range.lowerBound), width + 1)
                isText = false
            } else {
                return nil
            }
            parts.append((reference, codes, capacity))
            let (product, overflow) = capacity.multipliedReportingOverflow(by: distinct + 1)
            guard !overflow, product <= 1 << 40 else { return nil }
            capacity = product
        }
        guard !parts.isEmpty else { return nil }
        self.parts = parts
        self.capacity = capacity
        self.isText = isText
    }

    /// Whether a table indexed by combined key is small enough to use, for this many rows: up to
    /// 64k entries always, more when there are rows enough to fill them.
    func fitsAnArray(_ rows: Int) -> Bool { capacity <= max(1 << 16, 4 * rows) }

    /// The combined key of each row of a batch, the parts' rows found as `compiler` finds them.
    func kernel(_ compiler: KernelCompiler) -> (Batch) -> [Int] {
        let parts = self.parts.map { (compiler.rows($0.reference), $0.codes, $0.stride) }
        return { batch in
            var keys = [Int](repeating: 0, count: batch.count)
            keys.withUnsafeMutableBufferPointer { keys in
                for (rowsOf, codes, stride) in parts {
                    let rows = rowsOf(batch)
                    // A row a link does not reach has a null key: code 0, as a null text does. The codes'
                    // kind is decided once per part, and the loop reads raw buffers: every row of a
                    // grouping or a distinct passes here.
                    switch codes {
                    case .text(let text):
                        text.withUnsafeBufferPointer { text in
                            for (i, row) in rows.enumerated() where row >= 0 { keys[i] += Int(text[row]) * stride }
                        }
                    case .wholeNumbers(let values, let nulls, let low):
                        let mask = nulls.firstNull == nil ? nil : nulls  // a column without nulls need not be asked
                        values.withUnsafeBufferPointer { values in
                            for (i, row) in rows.enumerated() where row >= 0 && mask?.isNull(row) != true {
                                keys[i] += (values[row] - low + 1) * stride
                            }
                        }
                    }
                }
            }
            return keys
        }
    }

    func key(_ row: [Value], evaluator: Evaluator) -> Int {
        var key = 0
        for part in parts {
            // A row a link does not reach has a null key: code 0, as a null text does.
            let code = evaluator.rowIndex(part.reference, row).map { part.codes.code($0) } ?? 0
            key += code * part.stride
        }
        return key
    }
}

/// How combined codes are told apart, chosen by the planner: an array with a slot per possible key
/// while that is small beside the rows (`fitsAnArray`), else a hash of the codes.
struct CodeLookup: Sendable {
    let keys: CodedKeys
    let inArray: Bool

    init(_ keys: CodedKeys, rows: Int) {
        self.keys = keys
        self.inArray = keys.fitsAnArray(rows)
    }

    /// How `explain` says it ("dictionary codes, into an array of 85 slots", "codes …, hashed").
    func words(_ preposition: String) -> String {
        (keys.isText ? "dictionary codes" : "codes (text by its dictionary, whole numbers by value)")
            + ", " + (inArray ? "\(preposition) an array of \(keys.capacity) slots" : "hashed")
    }
}

/// Numbers for the distinct combined codes met, 0, 1, 2 … in order of first meeting (a group's
/// number, or whether a row is the first of its kind), in the way a `CodeLookup` chose.
struct CodeNumbering {
    private var slots: [Int32]
    private var hashed: [Int: Int] = [:]
    /// How many distinct codes have been met.
    private(set) var count = 0

    init(_ lookup: CodeLookup?) {
        slots = lookup?.inArray == true ? [Int32](repeating: -1, count: lookup!.keys.capacity) : []
    }

    /// The numbers of a batch's codes, in one loop.
    mutating func numbers(of codes: [Int]) -> [Int] {
        guard !slots.isEmpty else { return codes.map { number(of: $0) } }
        var next = count
        let numbers = slots.withUnsafeMutableBufferPointer { slots in
            codes.map { code in
                if slots[code] < 0 { slots[code] = Int32(next); next += 1 }
                return Int(slots[code])
            }
        }
        count = next
        return numbers
    }

    mutating func number(of code: Int) -> Int {
        if !slots.isEmpty {
            if slots[code] < 0 { slots[code] = Int32(count); count += 1 }
            return Int(slots[code])
        }
        if let found = hashed[code] { return found }
        hashed[code] = count
        count += 1
        return count - 1
    }
}
