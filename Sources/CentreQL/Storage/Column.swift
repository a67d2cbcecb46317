/// One column of a table, stored unboxed by its type: whole numbers and decimals as plain arrays,
/// figures as an amount and a one-byte qualifier, and text dictionary-coded (each distinct string
/// stored once, rows holding a 4-byte code), so a million rows of "闵行区" cost four bytes each.
/// Reading a row gives a `Value`, so the evaluator sees the same values as before.
public struct Column: Sendable, RandomAccessCollection {
    enum Storage: Sendable {
        case int([Int], nulls: NullMask)
        case decimal([Double], nulls: NullMask)
        /// 0 false, 1 true, 2 null.
        case bool([UInt8])
        /// Code 0 is null; code c > 0 is `dictionary[c - 1]`.
        case string(codes: [UInt32], dictionary: [String])
        /// A qualifier byte per row (`Column.nullQualifier` for null) beside the amounts.
        case figure(amounts: [Double], qualifiers: [UInt8])
    }

    let storage: Storage
    public let count: Int

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(row: Int) -> Value {
        switch storage {
        case .int(let values, let nulls): nulls.isNull(row) ? .null : .int(values[row])
        case .decimal(let values, let nulls): nulls.isNull(row) ? .null : .decimal(values[row])
        case .bool(let values): values[row] == 2 ? .null : .bool(values[row] == 1)
        case .string(let codes, let dictionary): codes[row] == 0 ? .null : .string(dictionary[Int(codes[row]) - 1])
        case .figure(let amounts, let qualifiers):
            qualifiers[row] == Self.nullQualifier ? .null
                : .figure(Figure(amounts[row], Self.qualifiers[Int(qualifiers[row])]))
        }
    }

    /// For a text column: the code of each row (0 for null) and the distinct strings, so grouping
    /// and matching can work on codes and look at each distinct string once.
    var stringCodes: (codes: [UInt32], dictionary: [String])? {
        if case .string(let codes, let dictionary) = storage { (codes, dictionary) } else { nil }
    }

    /// Bytes the column's data takes (arrays and distinct strings; not allocator overhead).
    var byteCount: Int {
        switch storage {
        case .int(let values, let nulls): values.count * 8 + nulls.byteCount
        case .decimal(let values, let nulls): values.count * 8 + nulls.byteCount
        case .bool(let values): values.count
        case .string(let codes, let dictionary):
            codes.count * 4 + dictionary.reduce(0) { $0 + 16 + ($1.utf8.count > 15 ? $1.utf8.count + 32 : 0) }
        case .figure(let amounts, let qualifiers): amounts.count * 8 + qualifiers.count
        }
    }

    static let qualifiers = Qualifier.allCases
    static let nullQualifier: UInt8 = 255
}

/// Which rows of a number column are null: a bit per row, or nothing at all when none are.
struct NullMask: Sendable {
    private var words: [UInt64] = []

    func isNull(_ row: Int) -> Bool {
        row >> 6 < words.count && words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    mutating func setNull(_ row: Int) {
        while words.count <= row >> 6 { words.append(0) }
        words[row >> 6] |= 1 << UInt64(row & 63)
    }

    var byteCount: Int { words.count * 8 }
}

/// Builds a column a value at a time, as rows are loaded.
struct ColumnBuilder {
    let type: ValueType
    private var ints: [Int] = []
    private var doubles: [Double] = []
    private var bytes: [UInt8] = []
    private var codes: [UInt32] = []
    private var dictionary: [String] = []
    private var codeOf: [String: UInt32] = [:]
    private var nulls = NullMask()
    private(set) var count = 0

    init(type: ValueType, capacity: Int = 0) {
        self.type = type
        switch type {
        case .int: ints.reserveCapacity(capacity)
        case .decimal: doubles.reserveCapacity(capacity)
        case .figure: doubles.reserveCapacity(capacity); bytes.reserveCapacity(capacity)
        case .bool: bytes.reserveCapacity(capacity)
        default: codes.reserveCapacity(capacity)
        }
    }

    /// Appends a value of the column's type (or null); false when it has another type.
    mutating func append(_ value: Value) -> Bool {
        switch (type, value) {
        case (.int, .int(let n)): ints.append(n)
        case (.int, .null): ints.append(0); nulls.setNull(count)
        case (.decimal, .decimal(let d)): doubles.append(d)
        case (.decimal, .null): doubles.append(0); nulls.setNull(count)
        case (.bool, .bool(let b)): bytes.append(b ? 1 : 0)
        case (.bool, .null): bytes.append(2)
        case (.figure, .figure(let f)):
            doubles.append(f.amount)
            bytes.append(UInt8(Column.qualifiers.firstIndex(of: f.qualifier)!))
        case (.figure, .null): doubles.append(0); bytes.append(Column.nullQualifier)
        case (.string, .string(let text)): codes.append(code(of: text))
        case (.string, .null): codes.append(0)
        default: return false
        }
        count += 1
        return true
    }

    private mutating func code(of text: String) -> UInt32 {
        if let code = codeOf[text] { return code }
        dictionary.append(text)
        let code = UInt32(dictionary.count)
        codeOf[text] = code
        return code
    }

    func build() -> Column {
        let storage: Column.Storage = switch type {
        case .int: .int(ints, nulls: nulls)
        case .decimal: .decimal(doubles, nulls: nulls)
        case .bool: .bool(bytes)
        case .figure: .figure(amounts: doubles, qualifiers: bytes)
        default: .string(codes: codes, dictionary: dictionary)
        }
        return Column(storage: storage, count: count)
    }
}
