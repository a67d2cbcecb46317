/// How many terminal columns text takes: East Asian wide and fullwidth characters take two,
/// combining marks and other zero-width scalars none. A small table by Unicode ranges, because
/// glibc's `wcwidth` depends on the locale and Swift's standard library has no width property.
public enum DisplayWidth {
    public static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// A character (grapheme cluster) is as wide as its widest scalar; emoji presentation makes it two.
    public static func of(_ character: Character) -> Int {
        var width = 0
        for scalar in character.unicodeScalars {
            if scalar == "\u{FE0F}" { return 2 }
            width = max(width, of(scalar))
        }
        return width
    }

    static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0 { return 0 }
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0x1160...0x11FF).contains(v) || v == 0x200B { return 0 }
        for range in wideRanges where range.contains(v) { return 2 }
        if scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
        0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// Cuts text to at most `width` columns, ending with "…" when cut; never splits a character.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        guard width > 0 else { return "" }
        var result = ""
        var used = 0
        for character in text {
            let w = of(character)
            if used + w > width - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…"
    }

    /// Keeps the last `width` columns of text, starting with "…" when cut; never splits a character.
    public static func truncateLeading(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        var kept: [Character] = []
        var used = 0
        for character in text.reversed() {
            let w = of(character)
            if used + w > width - 1 { break }
            kept.append(character)
            used += w
        }
        return "…" + String(kept.reversed())
    }

    /// Pads text with spaces to `width` columns, on the right or (for numbers) on the left.
    public static func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - of(text)))
        return alignRight ? padding + text : text + padding
    }
}

/// Text that is about to reach a terminal: control characters in data are shown, not obeyed,
/// so a value cannot move the cursor or change colours; and invisible format characters (bidi
/// overrides such as U+202E, zero-width spaces, line separators) are shown as escapes, so text
/// cannot pretend to be other text.
public enum TerminalText {
    /// With `keepingLineBreaks`, line feeds and tabs stay (for messages of several lines).
    public static func escapingControlCharacters(_ text: String, keepingLineBreaks: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: isHidden) else { return text }
        var result = ""
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            switch scalar {
            case "\n" where keepingLineBreaks, "\t" where keepingLineBreaks: result.unicodeScalars.append(scalar)
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            // A zero-width joiner after an emoji builds one picture (👩‍💻): it is shown as it is.
            case "\u{200D}" where previous?.properties.isEmojiPresentation == true: result.unicodeScalars.append(scalar)
            case _ where isHidden(scalar): result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A value as a message quotes it: at most `maximum` characters, "…" standing for the rest.
    public static func excerpt(_ text: String, maximum: Int = 60) -> String {
        text.count <= maximum ? text : String(text.prefix(maximum)) + "… (\(text.count) characters)"
    }

    /// Controls (C0, DEL, C1), format characters and line or paragraph separators.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) { return true }
        if scalar.value < 0xAD { return false }
        switch scalar.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator, .control: return true
        default: return false
        }
    }
}
