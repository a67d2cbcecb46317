/// A script's text, kept as Unicode scalars so that offsets, lines and columns are cheap to compute
/// and mean the same thing to the lexer, the diagnostics and the REPL.
public struct SourceText: Sendable {
    /// What the text is called in messages: a file path, `<command line>` or `<stdin>`.
    public var name: String { storage.name }
    public var text: String { storage.text }
    var scalars: [Unicode.Scalar] { storage.scalars }
    /// Scalar offset at which each line starts; line 1 is `lineStarts[0]`.
    var lineStarts: [Int] { storage.lineStarts }
    /// The UTF-8 offset of each scalar (and of the end), so a slice is one copy of bytes.
    private var utf8Offsets: [Int32] { storage.utf8Offsets }

    /// The arrays behind one reference: the lexer, parser, checker and messages each hold the source,
    /// and copying five references at each hand-over cost more than reading through one.
    private final class Storage: Sendable {
        let name: String
        let text: String
        let scalars: [Unicode.Scalar]
        let lineStarts: [Int]
        let utf8Offsets: [Int32]

        init(name: String, text: String, scalars: [Unicode.Scalar], lineStarts: [Int], utf8Offsets: [Int32]) {
            (self.name, self.text, self.scalars, self.lineStarts, self.utf8Offsets) = (name, text, scalars, lineStarts, utf8Offsets)
        }
    }
    private let storage: Storage

    public init(_ text: String, name: String = "<query>") {
        var text = text
        text.makeContiguousUTF8()  // UTF-8 offsets then index the string in constant time
        // One pass over the scalars for all three arrays (every statement typed pays for this).
        let capacity = text.utf8.count + 1
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(capacity)
        var starts = [0]
        var offsets: [Int32] = []
        offsets.reserveCapacity(capacity)
        var utf8: Int32 = 0
        for scalar in text.unicodeScalars {
            offsets.append(utf8)
            utf8 &+= Int32(truncatingIfNeeded: UTF8.width(scalar))
            scalars.append(scalar)
            if scalar == "\n" { starts.append(scalars.count) }
        }
        offsets.append(utf8)
        storage = Storage(name: name, text: text, scalars: scalars, lineStarts: starts, utf8Offsets: offsets)
    }

    /// The 1-based line and column of a scalar offset.
    public func location(of offset: Int) -> SourceLocation {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return SourceLocation(offset: offset, line: low + 1, column: offset - lineStarts[low] + 1)
    }

    /// The text of a 1-based line, without its line break.
    public func line(_ number: Int) -> String {
        guard number >= 1, number <= lineStarts.count else { return "" }
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] - 1 : scalars.count
        if end > start, scalars[end - 1] == "\r" { end -= 1 }
        return slice(start..<max(start, end))
    }

    public func slice(_ range: Range<Int>) -> String {
        let storage = storage
        let count = storage.scalars.count
        let lower = min(max(range.lowerBound, 0), count)
        let upper = min(max(range.upperBound, lower), count)
        let (start, end) = (Int(storage.utf8Offsets[lower]), Int(storage.utf8Offsets[upper]))
        let text = storage.text
        // Straight from the contiguous bytes: a Substring in between checks scalar alignment and copies twice.
        return text.utf8.withContiguousStorageIfAvailable { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
            ?? String(text.utf8.dropFirst(start).prefix(end - start))!
    }

    public func text(of range: SourceRange) -> String { slice(range.start..<range.end) }

    /// The text of `extent` with the fix-its of `diagnostics` that lie inside it applied (the first
    /// of any that overlap), or nil when none has one: the statement as the messages would correct it.
    public func applyingFixes(_ diagnostics: [Diagnostic], in extent: SourceRange) -> String? {
        var fixes: [(range: SourceRange, text: String)] = []
        for diagnostic in diagnostics {
            guard let fix = diagnostic.fixIt, diagnostic.range.start >= extent.start, diagnostic.range.end <= extent.end,
                  !fixes.contains(where: { $0.range.start < diagnostic.range.end && diagnostic.range.start < $0.range.end }) else { continue }
            fixes.append((diagnostic.range, fix))
        }
        guard !fixes.isEmpty else { return nil }
        var result = "", position = extent.start
        for fix in fixes.sorted(by: { $0.range.start < $1.range.start }) {
            result += slice(position..<fix.range.start) + fix.text
            position = fix.range.end
        }
        return (result + slice(position..<extent.end)).trimmingSpaces()
    }
}

public struct SourceLocation: Sendable, Hashable {
    public let offset: Int
    public let line: Int
    public let column: Int
}

/// A half-open range of scalar offsets into a `SourceText`.
public struct SourceRange: Sendable, Hashable {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    public func to(_ other: SourceRange) -> SourceRange { SourceRange(min(start, other.start), max(end, other.end)) }
}
