@preconcurrency import CEditLine
import CentreQL
@preconcurrency import Glibc

/// Line editing on libedit's native API: emacs keys, the user's ~/.editrc, history with Ctrl-R
/// search, Tab completion through a callback, and Ctrl-C that discards the line being typed.
final class LineEditor {
    enum Input: Equatable {
        /// Whole lines pasted (with the one being edited first); the statement goes on in the next line.
        case pasted(String)
        case line(String)
        /// Ctrl-C: the line was discarded.
        case interrupted
        /// Ctrl-D on an empty line.
        case endOfFile
    }

    /// Given the text before the cursor, what could replace its end.
    typealias Completer = (String) -> Completion

    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private var promptBuffer: UnsafeMutablePointer<wchar_t>
    private var wasInterrupted = false
    /// The lines of a bracketed paste after its first (which is in the line being edited).
    private var pastedRest: [String]?
    /// The last line of a paste that did not end with a line end: it is put in the next line to edit.
    private var pastedTail = ""
    /// Whether the paste ended with a line end (then what was pasted is entered, as if typed).
    private var pasteEnded = false
    /// The continuation prompt shown before each further pasted line.
    var continuationPrompt = "     ...> "
    var completer: Completer?
    /// Earlier lines of the statement being typed, so completion sees the whole statement.
    var context = ""
    /// Colours for the line being typed, given the statement so far (earlier lines, then this
    /// one): SGR codes for runs of the line's scalars. Nil: the line is not coloured.
    var highlighter: ((_ context: String, _ line: String) -> [(range: Range<Int>, sgr: String)])?
    /// The columns the prompt takes on screen (its invisible escapes left out).
    private var promptWidth = 0

    init?(programName: String) {
        Self.ensureUTF8Locale()
        guard let editLine = el_init(programName, stdin, stdout, stderr), let history = history_winit() else { return nil }
        self.editLine = editLine
        self.history = history
        promptBuffer = Self.wide("")
        cql_history_set_size(history, 1000)
        cql_history_set_unique(history, 1)
        cql_set_history(editLine, history)
        cql_set_editor(editLine, "emacs")
        cql_set_signal_handling(editLine, 1)
        // The user's ~/.editrc first: a `bind -v` there would wipe bindings made before it.
        el_source(editLine, nil)
        cql_set_client_data(editLine, Unmanaged.passUnretained(self).toOpaque())
        cql_set_prompt(editLine, { editLine in
            LineEditor.from(editLine)?.promptBuffer
        }, 1)
        cql_add_function(editLine, "centreql-complete", "Complete the word at the cursor", { editLine, _ in
            LineEditor.from(editLine)?.complete() ?? UInt8(CC_ERROR)
        })
        cql_bind(editLine, "^I", "centreql-complete")
        cql_set_read_function(editLine, { editLine, character in
            guard let editor = LineEditor.from(editLine), let character else { return -1 }
            return editor.readCharacter(into: character)
        })
        cql_add_function(editLine, "centreql-interrupt", "Discard the line", { editLine, _ in
            LineEditor.from(editLine)?.wasInterrupted = true
            return UInt8(CC_NEWLINE)
        })
        cql_bind(editLine, "^C", "centreql-interrupt")
        cql_keep_interrupt_key(editLine)
        // Ctrl-Z suspends the session as in any shell program (the tty's ISIG is off while a line
        // is edited, so it arrived as a key and was swallowed): libedit's SIGTSTP handling puts the
        // terminal back first and redraws the line on `fg`.
        cql_add_function(editLine, "centreql-suspend", "Suspend the session", { _, _ in
            kill(0, SIGTSTP)
            return UInt8(CC_REDISPLAY)
        })
        cql_bind(editLine, "^Z", "centreql-suspend")
        // Ctrl-X Ctrl-F: the last error's fixed statement replaces the line (`.fix` does the same).
        cql_add_function(editLine, "centreql-fix", "Put the last error's fixed statement on the line", { editLine, _ in
            LineEditor.from(editLine)?.replaceLineWithFix() ?? UInt8(CC_ERROR)
        })
        cql_bind(editLine, "^X^F", "centreql-fix")
        // Bracketed paste: the terminal wraps pasted text in ESC[200~ … ESC[201~, so a tab in it is
        // text (not completion) and a pasted pipeline of several lines arrives as one statement.
        cql_add_function(editLine, "centreql-paste", "Take pasted text as text", { editLine, _ in
            LineEditor.from(editLine)?.takePaste() ?? UInt8(CC_ERROR)
        })
        cql_bind(editLine, "\\e[200~", "centreql-paste")
        // Word moves with Ctrl-←/→ and Alt-←/→ as xterm-like terminals send them (unbound, libedit
        // typed their tails: `5D`, `3D`); also Home/End in their other spellings.
        for (key, function) in [("\\e[1;5D", "ed-prev-word"), ("\\e[1;5C", "em-next-word"),
                                ("\\e[1;3D", "ed-prev-word"), ("\\e[1;3C", "em-next-word"),
                                ("\\e[5D", "ed-prev-word"), ("\\e[5C", "em-next-word"),
                                ("\\e[1~", "ed-move-to-beg"), ("\\e[4~", "ed-move-to-end"),
                                ("\\e[H", "ed-move-to-beg"), ("\\e[F", "ed-move-to-end"),
                                ("\\e[3~", "ed-delete-next-char")] {
            cql_bind(editLine, key, function)
        }
        // Without these capabilities libedit redraws instead of inserting, which keeps the cursor
        // right next to double-width characters.
        for capability in ["im", "ei", "ic", "IC", "ip", "dc", "DC", "dm", "ed"] {
            cql_clear_capability(editLine, capability)
        }
    }

    deinit {
        el_end(editLine)
        history_wend(history)
        promptBuffer.deallocate()
    }

    /// Without a UTF-8 character type libedit drops every Chinese keystroke: fall back to C.UTF-8.
    static func ensureUTF8Locale() {
        setlocale(LC_ALL, "")
        if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) != "UTF-8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    func readLine(prompt: String) -> Input {
        promptBuffer.deallocate()
        promptBuffer = Self.wide(prompt)
        promptWidth = DisplayWidth.of(Self.visible(prompt))
        wasInterrupted = false
        pastedRest = nil
        if !pastedTail.isEmpty {
            let tail = Self.wide(pastedTail)
            el_wpush(editLine, tail)
            tail.deallocate()
            pastedTail = ""
        }
        let bracketed = isatty(STDOUT_FILENO) == 1 && getenv("TERM").map { String(cString: $0) } != "dumb"
        if bracketed { fputs("\u{1B}[?2004h", stdout); fflush(stdout) }
        defer { if bracketed { fputs("\u{1B}[?2004l", stdout); fflush(stdout) } }
        // SIGWINCH is held while a line is edited: libedit redraws from inside its handler, which
        // allocates, and a resize that arrived while the program was in malloc corrupted the heap
        // (a crash found by typing through a resize). The size is read before each line instead.
        var held = sigset_t(), previous = sigset_t()
        sigemptyset(&held)
        sigaddset(&held, SIGWINCH)
        pthread_sigmask(SIG_BLOCK, &held, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        el_resize(editLine)
        var count: Int32 = 0
        guard let line = el_wgets(editLine, &count), count > 0 else {
            return wasInterrupted ? .interrupted : .endOfFile
        }
        if wasInterrupted { return .interrupted }
        // `count` characters, not up to a NUL: a line ended from a key binding (a paste) is not
        // terminated, and the buffer still holds the previous line's text beyond it.
        var text = Self.string(line, count: Int(count))
        if text.hasSuffix("\n") { text.removeLast() }
        if let rest = pastedRest {
            // The further lines of a paste, shown as if typed after continuation prompts (and
            // coloured as typed lines are, each in the light of the lines before it).
            var before = context + text + "\n"
            for line in rest {
                print(continuationPrompt + (highlighter.map { Self.coloured(line, $0(before, line)) } ?? line))
                before += line + "\n"
            }
            text += rest.isEmpty ? "" : "\n" + rest.joined(separator: "\n")
            return pasteEnded ? .line(text) : .pasted(text)
        }
        return .line(text)
    }

    /// Reads the pasted text up to ESC[201~. One line is inserted at the cursor; several end the
    /// line being edited with the first, the rest following as part of the same input.
    private func takePaste() -> UInt8 {
        var scalars = String.UnicodeScalarView()
        let end = Array("\u{1B}[201~".unicodeScalars)
        var character: wchar_t = 0
        while el_wgetc(editLine, &character) == 1 {
            guard let scalar = Unicode.Scalar(UInt32(bitPattern: character)) else { continue }
            scalars.append(scalar)
            if scalars.count >= end.count, Array(scalars.suffix(end.count)) == end {
                scalars.removeLast(end.count)
                break
            }
        }
        let text = String(scalars).replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        // Pasted control characters are text, not keys (a tab is a space, never a completion).
        var clean = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\t" { clean.append(" ") } else if scalar == "\n" || (scalar.value >= 0x20 && scalar.value != 0x7F) { clean.append(scalar) }
        }
        var lines = String(clean).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let first = Self.wide(lines.first ?? "")
        defer { first.deallocate() }
        el_winsertstr(editLine, first)
        guard lines.count > 1 else { return UInt8(CC_REFRESH) }
        pasteEnded = lines.last == ""
        pastedTail = lines.removeLast()
        pastedRest = Array(lines.dropFirst())
        // Ending the line from a key binding neither redraws it nor moves to the next line: show
        // the first pasted line (the cursor is where it went in) and the line end here.
        fputs((lines.first ?? "") + "\n", stdout)
        fflush(stdout)
        return UInt8(CC_NEWLINE)
    }

    // MARK: Reading keys, and colouring the line

    /// libedit's read function: before waiting for the next key (libedit has drawn the line and
    /// flushed it) the line is drawn again in colour, unless more input is already waiting (a
    /// paste, fast typing). Then one character is read, as UTF-8, from the terminal.
    private func readCharacter(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        if highlighter != nil, !Self.inputWaiting() { repaint() }
        var bytes: [UInt8] = []
        var expected = 1
        while true {
            var byte: UInt8 = 0
            let n = read(STDIN_FILENO, &byte, 1)
            if n < 0 {
                if errno == EINTR { continue }  // a signal (SIGCONT after Ctrl-Z): libedit has redrawn
                if errno == EAGAIN, case let flags = fcntl(STDIN_FILENO, F_GETFL), flags & O_NONBLOCK != 0 {
                    _ = fcntl(STDIN_FILENO, F_SETFL, flags & ~O_NONBLOCK)
                    continue
                }
                return -1
            }
            if n == 0 { return 0 }
            if bytes.isEmpty || byte & 0xC0 != 0x80 {
                // A new sequence (a lead byte where a continuation was due starts again from it).
                bytes = [byte]
                switch byte {
                case 0..<0x80: expected = 1
                case 0xC2..<0xE0: expected = 2
                case 0xE0..<0xF0: expected = 3
                case 0xF0..<0xF5: expected = 4
                default: bytes = []; continue  // not UTF-8: dropped
                }
            } else {
                bytes.append(byte)
            }
            guard bytes.count == expected else { continue }
            guard let scalar = String(validating: bytes, as: UTF8.self)?.unicodeScalars.first else { bytes = []; continue }
            character.pointee = wchar_t(bitPattern: scalar.value)
            return 1
        }
    }

    private static func inputWaiting() -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }

    /// Draws the line being edited again, coloured, over what libedit drew: the same characters in
    /// the same places, so libedit's picture of the screen stays true, and the cursor put back.
    /// Only a line that fits on one row is coloured (libedit lays out wrapped rows its own way).
    private func repaint() {
        guard let highlighter, let info = el_wline(editLine)?.pointee, let buffer = info.buffer else { return }
        let count = info.lastchar - buffer, cursor = info.cursor - buffer
        let text = Self.string(buffer, count: count)
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return }
        let columns = Int(cql_terminal_columns(STDOUT_FILENO))
        guard columns > 0, promptWidth + DisplayWidth.of(text) < columns else { return }
        let scalars = Array(text.unicodeScalars)
        var painted = "\r" + (promptWidth > 0 ? "\u{1B}[\(promptWidth)C" : "") + Self.coloured(text, highlighter(context, text))
        let cursorColumn = promptWidth + DisplayWidth.of(String(String.UnicodeScalarView(scalars[0..<min(cursor, scalars.count)])))
        painted += "\r" + (cursorColumn > 0 ? "\u{1B}[\(cursorColumn)C" : "")
        fputs(painted, stdout)
        fflush(stdout)
    }

    /// The text with each run in its colour.
    private static func coloured(_ text: String, _ runs: [(range: Range<Int>, sgr: String)]) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = "", position = 0
        func plain(to end: Int) {
            if position < end { result += String(String.UnicodeScalarView(scalars[position..<end])) }
            position = max(position, end)
        }
        for run in runs.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            let range = run.range.clamped(to: 0..<scalars.count)
            guard range.lowerBound >= position, !range.isEmpty else { continue }
            plain(to: range.lowerBound)
            result += "\u{1B}[\(run.sgr)m" + String(String.UnicodeScalarView(scalars[range])) + "\u{1B}[0m"
            position = range.upperBound
        }
        plain(to: scalars.count)
        return result
    }

    /// A prompt without the invisible parts libedit is told to skip (between \u{1} marks).
    private static func visible(_ prompt: String) -> String {
        var result = "", hidden = false
        for character in prompt {
            if character == "\u{1}" { hidden.toggle() } else if !hidden { result.append(character) }
        }
        return result
    }

    func addHistory(_ entry: String) {
        let wide = Self.wide(entry)
        defer { wide.deallocate() }
        cql_history_enter(history, wide)
    }

    /// The statement the last error's fix-it makes, if any (set by the REPL).
    var fixProvider: (() -> String?)?

    /// Text the next line starts with, as if typed (`.fix`): it can be edited, or run with Enter.
    func prefill(_ text: String) {
        pastedTail = text
    }

    private func replaceLineWithFix() -> UInt8 {
        guard let fix = fixProvider?(), let info = el_wline(editLine)?.pointee else { return UInt8(CC_REFRESH_BEEP) }
        // To the end of the line, then everything before the cursor deleted and the fix typed in.
        el_cursor(editLine, Int32(info.lastchar - info.cursor))
        el_deletestr(editLine, Int32(info.lastchar - info.buffer))
        let text = Self.wide(fix.replacingOccurrences(of: "\n", with: " "))
        defer { text.deallocate() }
        el_winsertstr(editLine, text)
        return UInt8(CC_REFRESH)
    }

    // MARK: Completion

    private func complete() -> UInt8 {
        guard let completer, let info = el_wline(editLine)?.pointee else { return UInt8(CC_ERROR) }
        var scalars = String.UnicodeScalarView()
        var pointer = info.buffer!
        while pointer < info.cursor {
            if let scalar = Unicode.Scalar(UInt32(bitPattern: pointer.pointee)) { scalars.append(scalar) }
            pointer += 1
        }
        let before = String(scalars)
        let completion = completer(context + before)
        let (replacing, candidates) = (completion.replacing, completion.candidates)
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let typed = String(String.UnicodeScalarView(before.unicodeScalars.suffix(replacing)))
        let common = Self.commonPrefix(candidates)
        if candidates.count == 1 || common.unicodeScalars.count > typed.unicodeScalars.count {
            el_deletestr(editLine, Int32(replacing))
            // A unique completion is a whole word: a space follows, unless one is already there
            // (as readline does), so the next word can be typed at once.
            // (Not after a folder, whose entries come next.)
            let atSpace = info.cursor < info.lastchar && info.cursor.pointee == 0x20
            let space = atSpace || candidates[0].hasSuffix("/") ? "" : " "
            let insertion = Self.wide(candidates.count == 1 ? candidates[0] + space : common)
            defer { insertion.deallocate() }
            el_winsertstr(editLine, insertion)
            return UInt8(CC_REFRESH)
        }
        // Several candidates and nothing more in common: list them in columns below the line.
        let width = max(20, Int(cql_terminal_columns(STDOUT_FILENO)))
        let more = completion.isTruncated ? "\n(only the first \(candidates.count) are listed: type more letters)" : ""
        fputs("\n" + Self.columns(candidates, width: width) + more + "\n", stdout)
        fflush(stdout)
        return UInt8(CC_REDISPLAY)
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first.map({ Array($0) }) else { return "" }
        for word in words.dropFirst() {
            let characters = Array(word)
            var length = 0
            while length < min(prefix.count, characters.count), prefix[length] == characters[length] { length += 1 }
            prefix = Array(prefix.prefix(length))
        }
        return String(prefix)
    }

    /// Words laid out in columns by display width, as shells list completions.
    static func columns(_ words: [String], width: Int) -> String {
        let cell = (words.map { DisplayWidth.of($0) }.max() ?? 0) + 2
        let perLine = max(1, width / cell)
        let rows = (words.count + perLine - 1) / perLine
        var lines: [String] = []
        for row in 0..<rows {
            var line = ""
            for column in 0..<perLine {
                let index = column * rows + row
                guard index < words.count else { continue }
                let word = words[index]
                line += word + String(repeating: " ", count: cell - DisplayWidth.of(word))
            }
            lines.append(String(line.reversed().drop { $0 == " " }.reversed()))
        }
        return lines.joined(separator: "\n")
    }

    // MARK: Helpers

    private static func from(_ editLine: OpaquePointer?) -> LineEditor? {
        guard let editLine, let data = cql_client_data(editLine) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
    }

    /// A NUL-terminated wide string (the caller deallocates it).
    private static func wide(_ text: String) -> UnsafeMutablePointer<wchar_t> {
        let scalars = Array(text.unicodeScalars)
        let buffer = UnsafeMutablePointer<wchar_t>.allocate(capacity: scalars.count + 1)
        for (index, scalar) in scalars.enumerated() { buffer[index] = wchar_t(bitPattern: scalar.value) }
        buffer[scalars.count] = 0
        return buffer
    }

    private static func string(_ pointer: UnsafePointer<wchar_t>, count: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for index in 0..<count {
            if let scalar = Unicode.Scalar(UInt32(bitPattern: pointer[index])) { scalars.append(scalar) }
        }
        return String(scalars)
    }
}
