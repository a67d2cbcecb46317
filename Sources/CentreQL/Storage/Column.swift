/// One column of a table, stored unboxed by its type: whole numbers and decimals as plain arrays,
/// figures as an amount and a one-byte qualifier, and text dictionary-coded (each distinct string
/// stored once, rows holding a 4-byte code), so a million rows of "闵行区" cost four bytes each.
/// Reading a row gives a `Value`, so the evaluator sees the same values as before.
public struct Column: Sendable, RandomAccessCollection {
    enum Kind: Sendable { case int, decimal, bool, string, figure }

    let kind: Kind
    public let count: Int
    // The arrays are stored properties (unused ones empty), not an enum's payloads: reading a row
    // then borrows the array instead of retaining and releasing it.
    /// `.int`: the values.
    private var ints: [Int] = []
    /// `.decimal`: the values; `.figure`: the amounts.
    private var doubles: [Double] = []
    /// `.bool`: 0 false, 1 true, 2 null; `.figure`: the qualifier (`nullQualifier` for null).
    private var bytes: [UInt8] = []
    /// `.string`: code 0 is null; code c > 0 is `dictionary[c - 1]`.
    private var codes: [UInt32] = []
    private var dictionary: [String] = []
    /// `.int`, `.decimal`: which rows are null.
    private var nulls = NullMask()
    /// `.int`: the smallest and largest value that is not null (nil when there is none).
    private var intRange: ClosedRange<Int>?

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(row: Int) -> Value {
        switch kind {
        case .int: nulls.isNull(row) ? .null : .int(ints[row])
        case .decimal: nulls.isNull(row) ? .null : .decimal(doubles[row])
        case .bool: bytes[row] == 2 ? .null : .bool(bytes[row] == 1)
        case .string: codes[row] == 0 ? .null : .string(dictionary[Int(codes[row]) - 1])
        case .figure: bytes[row] == Self.nullQualifier ? .null : .figure(Figure(doubles[row], Self.qualifier(bytes[row])))
        }
    }

    /// For a text column: the code of each row (0 for null) and the distinct strings, so grouping
    /// and matching can work on codes and look at each distinct string once.
    var stringCodes: (codes: [UInt32], dictionary: [String])? {
        kind == .string ? (codes, dictionary) : nil
    }

    /// For a whole-number column: its values, nulls and smallest and largest value (found once, when
    /// the column is built), so grouping can number the rows by value like text by its codes.
    var wholeNumbers: (values: [Int], nulls: NullMask, range: ClosedRange<Int>)? {
        guard kind == .int, let intRange else { return nil }
        return (ints, nulls, intRange)
    }

    /// The column's arrays as they are stored, for operators that read a batch of rows at once.
    enum Storage {
        case ints([Int], NullMask)
        case doubles([Double], NullMask)
        /// A figure column's amounts; null where the qualifier is `nullQualifier`.
        case amounts([Double], qualifiers: [UInt8])
        case codes([UInt32], dictionary: [String])
        case bools([UInt8])
    }

    var storage: Storage {
        switch kind {
        case .int: .ints(ints, nulls)
        case .decimal: .doubles(doubles, nulls)
        case .figure: .amounts(doubles, qualifiers: bytes)
        case .string: .codes(codes, dictionary: dictionary)
        case .bool: .bools(bytes)
        }
    }

    /// Bytes the column's data takes (arrays and distinct strings; not allocator overhead).
    var byteCount: Int {
        ints.count * 8 + doubles.count * 8 + bytes.count + codes.count * 4 + nulls.byteCount
            + dictionary.reduce(0) { $0 + 16 + ($1.utf8.count > 15 ? $1.utf8.count + 32 : 0) }
    }

    static let nullQualifier: UInt8 = 255

    /// Each code's place among a dictionary's texts in code-point order (`[code]`, code 0, null, 0):
    /// what an ordered index and a sort by a text column compare instead of the texts.
    static func codeRanks(_ dictionary: [String]) -> [Int] {
        var rank = [Int](repeating: 0, count: dictionary.count + 1)
        for (position, index) in dictionary.indices.sorted(by: { dictionary[$0].codePointOrder(dictionary[$1]) < 0 }).enumerated() {
            rank[index + 1] = position
        }
        return rank
    }

    static func qualifier(_ byte: UInt8) -> Qualifier {
        switch byte {
        case 0: .exact
        case 1: .nearly
        case 2: .moreThan
        case 3: .about
        default: .nearlyMoreThan
        }
    }

    static func byte(_ qualifier: Qualifier) -> UInt8 {
        switch qualifier {
        case .exact: 0
        case .nearly: 1
        case .moreThan: 2
        case .about: 3
        case .nearlyMoreThan: 4
        }
    }

    init(int values: [Int], nulls: NullMask) {
        kind = .int; count = values.count; ints = values; self.nulls = nulls
        var low = Int.max, high = Int.min
        for row in 0..<count where !nulls.isNull(row) {
            low = Swift.min(low, values[row])
            high = Swift.max(high, values[row])
        }
        intRange = low <= high ? low...high : nil
    }
    init(decimal values: [Double], nulls: NullMask) { kind = .decimal; count = values.count; doubles = values; self.nulls = nulls }
    init(bool values: [UInt8]) { kind = .bool; count = values.count; bytes = values }
    init(codes: [UInt32], dictionary: [String]) { kind = .string; count = codes.count; self.codes = codes; self.dictionary = dictionary }
    init(amounts: [Double], qualifiers: [UInt8]) {
        kind = .figure; count = amounts.count; doubles = amounts; bytes = qualifiers
        var seen = Set<Figure>()
        for (amount, byte) in zip(amounts, qualifiers) where byte != Self.nullQualifier && byte != Self.byte(.exact) {
            if seen.insert(Figure(amount, Self.qualifier(byte))).inserted { qualifiedFigures.append(Figure(amount, Self.qualifier(byte))) }
            if qualifiedFigures.count == Self.qualifiedFiguresKept { break }
        }
    }

    /// A figure column's distinct qualified figures (近, 余, 约), in row order, the first
    /// `qualifiedFiguresKept` of them: what the checker's notes on comparisons read, found once.
    private(set) var qualifiedFigures: [Figure] = []
    static let qualifiedFiguresKept = 256
}

/// Which rows of a number column are null: a bit per row, or nothing at all when none are.
struct NullMask: Sendable {
    private(set) var words: [UInt64] = []

    init() {}
    /// A mask from its words, as a snapshot stores it.
    init(words: [UInt64]) { self.words = words }

    func isNull(_ row: Int) -> Bool {
        row >> 6 < words.count && words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    /// The first null row, found a word (64 rows) at a time.
    var firstNull: Int? {
        words.firstIndex { $0 != 0 }.map { $0 * 64 + words[$0].trailingZeroBitCount }
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
    /// The type as a plain enum (ValueType's equality, being indirect, cost a call per value).
    private let kind: Column.Kind
    private var ints: [Int] = []
    private var doubles: [Double] = []
    private var bytes: [UInt8] = []
    private var codes: [UInt32] = []
    private var dictionary: [String] = []
    /// Each text's code, told apart by code point as `==` does (`TextKey`).
    private var codeOf: [TextKey: UInt32] = [:]
    private var nulls = NullMask()
    private(set) var count = 0

    init(type: ValueType, capacity: Int = 0) {
        self.type = type
        self.kind = Column.Kind(type)
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
        switch (kind, value) {
        case (.int, .int(let n)): ints.append(n)
        case (.int, .null): ints.append(0); nulls.setNull(count)
        case (.decimal, .decimal(let d)): doubles.append(d)
        case (.decimal, .null): doubles.append(0); nulls.setNull(count)
        case (.bool, .bool(let b)): bytes.append(b ? 1 : 0)
        case (.bool, .null): bytes.append(2)
        case (.figure, .figure(let f)):
            doubles.append(f.amount)
            bytes.append(Column.byte(f.qualifier))
        case (.figure, .null): doubles.append(0); bytes.append(Column.nullQualifier)
        case (.string, .string(let text)): codes.append(code(of: text))
        case (.string, .null): codes.append(0)
        default: return false
        }
        count += 1
        return true
    }

    private mutating func code(of text: String) -> UInt32 {
        if let code = codeOf[TextKey(text)] { return code }
        dictionary.append(text)
        let code = UInt32(dictionary.count)
        codeOf[TextKey(text)] = code
        return code
    }

    func build() -> Column {
        switch kind {
        case .int: Column(int: ints, nulls: nulls)
        case .decimal: Column(decimal: doubles, nulls: nulls)
        case .bool: Column(bool: bytes)
        case .figure: Column(amounts: doubles, qualifiers: bytes)
        case .string: Column(codes: codes, dictionary: dictionary)
        }
    }
}

extension Column {
    /// The column as a snapshot stores it: its kind, then its arrays as they are in memory.
    func write(to out: inout SnapshotWriter) {
        out.byte(kind.snapshotByte)
        switch kind {
        case .int: out.array(ints); out.array(nulls.words)
        case .decimal: out.array(doubles); out.array(nulls.words)
        case .bool: out.array(bytes)
        case .figure: out.array(doubles); out.array(bytes)
        case .string:
            out.array(codes)
            out.integer(dictionary.count)
            for text in dictionary { out.text(text) }
        }
    }

    /// A column read back, `rows` long and of `type`; every code and qualifier checked, so a file
    /// that passed the checksum but was made by hand cannot make a column that crashes a query.
    init(reading input: inout SnapshotReader, rows: Int, type: ValueType) throws(SnapshotError) {
        let kind = try Kind(snapshotByte: input.byte())
        guard kind == Kind(type) else { throw input.invalid("a column of \(type) is stored as another kind") }
        func mask() throws(SnapshotError) -> NullMask {
            let words: [UInt64] = try input.array()
            guard words.count <= (rows + 63) / 64 else { throw input.invalid("a null mask is longer than its column") }
            return NullMask(words: words)
        }
        func counted<T>(_ values: [T]) throws(SnapshotError) -> [T] {
            guard values.count == rows else { throw input.invalid("a column has \(values.count) rows, not \(rows)") }
            return values
        }
        switch kind {
        case .int: self.init(int: try counted(input.array()), nulls: try mask())
        case .decimal: self.init(decimal: try counted(input.array()), nulls: try mask())
        case .bool:
            let bytes: [UInt8] = try counted(input.array())
            guard (bytes.max() ?? 0) <= 2 else { throw input.invalid("a true/false column holds another value") }
            self.init(bool: bytes)
        case .figure:
            let amounts: [Double] = try counted(input.array())
            let qualifiers: [UInt8] = try counted(input.array())
            // Qualifier bytes 0-4 and 255: one pass with no early exit, which the compiler can vectorise.
            let unknown = qualifiers.reduce(0) { $0 | (($1 <= 4 || $1 == Self.nullQualifier) ? 0 : 1) }
            guard unknown == 0 else { throw input.invalid("a figure has an unknown qualifier") }
            self.init(amounts: amounts, qualifiers: qualifiers)
        case .string:
            let codes: [UInt32] = try counted(input.array())
            let count = try input.integer()
            guard count <= input.remaining else { throw input.truncated() }
            var dictionary: [String] = []
            dictionary.reserveCapacity(count)
            for _ in 0..<count { dictionary.append(try input.text()) }
            guard Int(codes.max() ?? 0) <= dictionary.count else { throw input.invalid("a text code names no text") }
            self.init(codes: codes, dictionary: dictionary)
        }
    }
}

extension Column.Kind {
    init(_ type: ValueType) {
        switch type {
        case .int: self = .int
        case .decimal: self = .decimal
        case .bool: self = .bool
        case .figure: self = .figure
        default: self = .string
        }
    }

    var snapshotByte: UInt8 {
        switch self {
        case .int: 1
        case .decimal: 2
        case .bool: 3
        case .string: 4
        case .figure: 5
        }
    }

    init(snapshotByte byte: UInt8) throws(SnapshotError) {
        switch byte {
        case 1: self = .int
        case 2: self = .decimal
        case 3: self = .bool
        case 4: self = .string
        case 5: self = .figure
        default: throw SnapshotError(reason: "corrupted: an unknown kind of column (\(byte))")
        }
    }
}

extension Column {
    /// Whether every value is admitted by `domain`, decided from the stored arrays without making a
    /// value per row: whole numbers by their range, amounts by their smallest, text by its distinct
    /// strings. False means "look row by row" (the rows then say which one, if any, breaks it).
    func allAdmitted(by domain: Domain) -> Bool {
        switch (domain, kind) {
        case (.any, _): return true
        case (.atLeast(let low), .int): return intRange.map { $0.lowerBound >= low } ?? true
        case (.between(let low, let high), .int): return intRange.map { $0.lowerBound >= low && $0.upperBound <= high } ?? true
        case (.atLeast(let low), .figure):
            // The smallest amount that is not null, over the raw buffers (a million rows in a millisecond).
            let bound = Double(low)
            return doubles.withUnsafeBufferPointer { amounts in
                bytes.withUnsafeBufferPointer { qualifiers in
                    var below: UInt8 = 0  // branch-free, so the loop is vectorised
                    for i in 0..<amounts.count { below |= UInt8(qualifiers[i] != Self.nullQualifier ? 1 : 0) & UInt8(amounts[i] < bound ? 1 : 0) }
                    return below == 0
                }
            }
        case (.oneOf(let allowed), .string):
            let admitted = Set(allowed.map(TextKey.init))
            return dictionary.allSatisfy { admitted.contains(TextKey($0)) }
        default: return false
        }
    }
}
