/// The scalar functions at run time. Their types were checked by `FunctionSignatures`; a null
/// argument gives null, except in the predicates, which are false for null.
public enum ScalarFunctions {
    static func apply<Arguments: RandomAccessCollection<Value>>(_ function: ScalarFunction, _ arguments: Arguments,
                                                                range: SourceRange) throws -> Value where Arguments.Index == Int {
        let first = arguments.first ?? .null
        // Within each function, a value of a type the checker did not admit can only be null.
        switch function {
        case .coalesce:
            return arguments.first { !$0.isNull } ?? .null
        case .contains, .starts_with, .ends_with, .matches:
            guard case .string(let text) = arguments[0], case .string(let part) = arguments[1] else { return .bool(false) }
            let op: BinaryOperator = switch function {
            case .contains: .contains
            case .starts_with: .startsWith
            case .ends_with: .endsWith
            default: .matches
            }
            return try textPredicate(op, text, part, range: range)
        case .lower:
            guard case .string(let s) = first else { return .null }
            return .string(s.lowercased())
        case .upper:
            guard case .string(let s) = first else { return .null }
            return .string(s.uppercased())
        case .length:
            switch first {
            case .string(let s): return .int(s.count)
            case .list(let items): return .int(items.count)
            default: return .null
            }
        case .abs:
            switch first {
            case .int(let i): return i == Int.min ? .decimal(-Double(i)) : .int(abs(i))
            case .decimal(let d): return .decimal(abs(d))
            case .figure(let f): return .figure(Figure(abs(f.amount), f.qualifier))
            default: return .null
            }
        case .round:
            var digits = 0
            if arguments.count > 1 {
                guard case .int(let d) = arguments[1] else { return .null }
                digits = max(-15, min(15, d))
            }
            return round(first, digits: digits)
        case .qualifier:
            switch first {
            case .null: return .null
            case .figure(let f): return .string(f.qualifier.rawValue)
            default: return .string("")
            }
        case .amount:
            return first.number.map { .decimal($0) } ?? .null
        case .replace:
            guard case .string(let text) = arguments[0], case .string(let old) = arguments[1], case .string(let new) = arguments[2] else { return .null }
            return .string(replacingBytes(text, old, with: new))
        case .slice:
            guard case .string(let text) = first, case .int(let start) = arguments[1] else { return .null }
            var end = Int.max
            if arguments.count > 2 {
                guard case .int(let e) = arguments[2] else { return .null }
                end = e
            }
            return .string(slice(text, from: start, to: end))
        case .trim:
            guard case .string(let text) = first else { return .null }
            return .string(trimmed(text))
        case .text:
            return first.isNull ? .null : .string(first.description)
        case .date:
            switch first {
            case .string(let text): return CalendarDate.days(atStartOf: text).map { .date($0) } ?? .null
            case .date: return first
            default: return .null
            }
        case .year, .month, .day:
            guard case .date(let days) = first else { return .null }
            let parts = CalendarDate.parts(days)
            return .int(function == .year ? parts.year : function == .month ? parts.month : parts.day)
        case .split:
            guard case .string(let text) = first, case .string(let separator) = arguments[1] else { return .null }
            if separator.isEmpty { return .list(text.map { .string(String($0)) }) }
            return .list(text.split(separator: separator, omittingEmptySubsequences: false).map { .string(String($0)) })
        case .greatest, .least:
            var best = Value.null
            for value in arguments where !value.isNull {
                let order = Value.compare(value, best)
                if best.isNull || (function == .greatest ? order > 0 : order < 0) { best = value }
            }
            return best
        }
    }

    /// Every occurrence of `old` replaced, matched on the UTF-8 bytes (so by Unicode scalars, as
    /// SQL's `replace` matches): an empty `old` leaves the text as it is.
    static func replacingBytes(_ text: String, _ old: String, with new: String) -> String {
        guard !old.isEmpty, containsBytes(text, old) else { return text }
        let (haystack, needle, replacement) = (Array(text.utf8), Array(old.utf8), Array(new.utf8))
        var result: [UInt8] = []
        result.reserveCapacity(haystack.count)
        var i = 0
        while i < haystack.count {
            if haystack[i] == needle[0], i + needle.count <= haystack.count, haystack[i..<(i + needle.count)].elementsEqual(needle) {
                result += replacement
                i += needle.count
            } else {
                result.append(haystack[i])
                i += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Characters `start..<end` as `length` counts them; a negative position counts from the end,
    /// and positions past either end stop there (as Python's slices do).
    public static func slice(_ text: String, from start: Int, to end: Int) -> String {
        let count = text.count
        func clamped(_ position: Int) -> Int { position < 0 ? max(0, count + max(position, -count)) : min(position, count) }
        let (from, to) = (clamped(start), clamped(end))
        guard from < to else { return "" }
        let lower = text.index(text.startIndex, offsetBy: from)
        return String(text[lower..<text.index(lower, offsetBy: to - from)])
    }

    /// White space as Unicode defines it (the `White_Space` property: spaces, tabs, line breaks,
    /// the full-width 　) removed from both ends. Listed, so the SQL can name the same characters.
    static let whiteSpace: [Unicode.Scalar] = (0x09...0x0D).map { Unicode.Scalar($0)! }
        + [0x20, 0x85, 0xA0, 0x1680].map { Unicode.Scalar($0)! } + (0x2000...0x200A).map { Unicode.Scalar($0)! }
        + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000].map { Unicode.Scalar($0)! }

    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let isSpace = { (s: Unicode.Scalar) in whiteSpace.contains(s) }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// Substring search on the UTF-8 bytes. A valid UTF-8 needle can only match where a character
    /// of a valid haystack starts, so this is a search by Unicode scalars (by character for Chinese
    /// text), without decoding and without allocating.
    static func containsBytes(_ text: String, _ part: String) -> Bool {
        if part.isEmpty { return true }
        var text = text, part = part
        return text.withUTF8 { haystack in
            part.withUTF8 { needle in
                guard needle.count <= haystack.count else { return false }
                let first = needle[0]
                var i = 0
                let last = haystack.count - needle.count
                while i <= last {
                    if haystack[i] == first {
                        var j = 1
                        while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
                        if j == needle.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    static func textPredicate(_ op: BinaryOperator, _ text: String, _ part: String, range: SourceRange) throws -> Value {
        switch op {
        case .contains: return .bool(containsBytes(text, part))
        case .startsWith: return .bool(text.startsWithCodePoints(part))
        case .endsWith: return .bool(text.endsWithCodePoints(part))
        default:
            do {
                return .bool(try TextMatching.matches(text, pattern: part))
            } catch {
                throw Diagnostic.patternFailed(String(describing: error), range: range)
            }
        }
    }

    /// Rounds half away from zero to `digits` places (negative digits round to tens, hundreds, …).
    private static func round(_ value: Value, digits: Int) -> Value {
        func scaled(_ x: Double) -> Double {
            var factor = 1.0
            for _ in 0..<abs(digits) { factor *= 10 }
            return digits >= 0 ? (x * factor).rounded(.toNearestOrAwayFromZero) / factor
                               : (x / factor).rounded(.toNearestOrAwayFromZero) * factor
        }
        switch value {
        case .int(let i):
            guard digits < 0 else { return .int(i) }
            let rounded = scaled(Double(i))
            // Rounding near the ends of the integer range can leave it; give a decimal then.
            return abs(rounded) < 9.2e18 ? .int(Int(rounded)) : .decimal(rounded)
        case .decimal(let d): return .decimal(scaled(d))
        case .figure(let f): return .figure(Figure(scaled(f.amount), f.qualifier))
        default: return .null
        }
    }
}
