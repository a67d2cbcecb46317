import Foundation
import Testing
@testable import CentreQL

/// The REPL as a person uses it: `centreql` runs in a real pseudo-terminal (a tmux pane), the test
/// types keys and reads the screen. Waits poll the screen; no test asserts a duration.
final class TerminalSession {
    let socket = "centreql-test-\(UUID().uuidString.prefix(8))"
    let historyPath = NSTemporaryDirectory() + "centreql-history-\(UUID().uuidString)"

    init(width: Int = 100, height: Int = 30, environment: [String: String] = [:], historyPath: String? = nil) throws {
        var variables = ["CENTREQL_HISTORY": historyPath ?? self.historyPath, "PAGER": "cat"]
        variables.merge(environment) { $1 }
        // No LANG or LC_ALL: the REPL must fall back to UTF-8 by itself. NO_COLOR only when a test sets it.
        let command = "env -u LANG -u LC_ALL -u LC_CTYPE -u NO_COLOR " + variables.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
            + " '\(CommandTests.binary)'"
        try tmux(["-u", "new-session", "-d", "-s", "t", "-x", "\(width)", "-y", "\(height)", command])
        try tmux(["set-option", "-t", "t", "remain-on-exit", "on"])
        #expect(waitFor("centreql>"), "no prompt appeared:\n\(screen())")
    }

    deinit { _ = try? tmux(["kill-server"]) }

    /// Runs tmux through the shell. (Foundation's Process waits for descriptors that the forked tmux
    /// server inherits, so it would never see the client finish.)
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        guard let pipe = popen("tmux -L \(socket) \(quoted) 2>/dev/null </dev/null", "r") else { return "" }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, pipe)
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        pclose(pipe)
        return String(decoding: output, as: UTF8.self)
    }

    /// Types text literally (Chinese included).
    func type(_ text: String) {
        _ = try? tmux(["send-keys", "-t", "t", "-l", text])
    }

    /// Types a line and presses Enter.
    func enter(_ text: String) {
        type(text)
        press("Enter")
    }

    /// Presses named keys: Enter, Tab, Up, Left, C-c, C-d, C-r, …
    func press(_ keys: String...) {
        _ = try? tmux(["send-keys", "-t", "t"] + keys)
    }

    func screen() -> String { (try? tmux(["capture-pane", "-t", "t", "-p"])) ?? "" }
    func screenWithColour() -> String { (try? tmux(["capture-pane", "-t", "t", "-p", "-e"])) ?? "" }

    var cursorColumn: Int { Int((try? tmux(["display", "-p", "-t", "t", "#{cursor_x}"]))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1 }
    var hasExited: Bool { (try? tmux(["display", "-p", "-t", "t", "#{pane_dead}"]))?.hasPrefix("1") == true }

    /// Polls the screen until it shows `text` (up to 15 s, for slow machines). The screen has no
    /// trailing spaces, so a prompt is looked for as `centreql>`.
    @discardableResult
    func waitFor(_ text: String, count: Int = 1) -> Bool {
        for _ in 0..<300 {
            if screen().components(separatedBy: text).count - 1 >= count { return true }
            usleep(50_000)
        }
        return false
    }

    /// Waits until the screen stops changing, so the next key meets a settled prompt.
    func settle() {
        var last = screen()
        for _ in 0..<40 {
            usleep(50_000)
            let now = screen()
            if now == last { return }
            last = now
        }
    }
}

@Suite(.serialized) struct REPLTests {
    @Test func tmuxIsInstalled() {
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "make test installs tmux")
    }

    @Test func chineseQueryWithValueCompletionWithoutALocale() throws {
        let t = try TerminalSession()
        t.type("centres | where district == \"闵")
        t.press("Tab")
        #expect(t.waitFor("\"闵行区\""))
        t.type(" | sel")
        t.press("Tab")
        t.enter(" town")
        #expect(t.waitFor("(3 rows)"), "\(t.screen())")
        #expect(t.screen().contains(" 莘庄镇"))
    }

    /// `.fix` puts the last error's corrected statement on the next line, Ctrl-X Ctrl-F replaces the
    /// line with it, and Enter runs it; a chart is drawn as wide as the terminal; `.help E202` explains.
    @Test func fixChartAndErrorHelpAsTyped() throws {
        let t = try TerminalSession(width: 90, height: 40)
        t.enter(#"centres | where distrct == "闵行区" | count"#)
        #expect(t.waitFor("= fix: centres | where district"), "\(t.screen())")
        t.enter(".fix")
        #expect(t.waitFor(#"centreql> centres | where district == "闵行区" | count"#), "\(t.screen())")
        t.press("Enter")
        #expect(t.waitFor("     3"), "\(t.screen())")
        // A note's fix too, put in place of what is being typed.
        t.enter(#"centres | where town == "吴泾" | count"#)
        #expect(t.waitFor("did you mean \"吴泾镇\"?"), "\(t.screen())")
        t.type("centres | take 1")
        t.press("C-x", "C-f")
        #expect(t.waitFor(#"centreql> centres | where town == "吴泾镇" | count"#), "\(t.screen())")
        t.press("Enter")
        #expect(t.waitFor("     1"), "\(t.screen())")
        t.enter(".help E202")
        #expect(t.waitFor("Example (fails with E202):"), "\(t.screen())")
        t.enter("centres | group town_kind agg n = count() | sort n desc | chart bar town_kind, n")
        #expect(t.waitFor("n by town_kind"), "\(t.screen())")
        // The longest bar reaches the terminal's last column.
        let bar = t.screen().split(separator: "\n").first { $0.hasPrefix("街道") }.map(String.init) ?? ""
        #expect(DisplayWidth.of(bar) == 90, "\(t.screen())")
        t.enter(".quit")
    }

    /// `.lesson`: the lessons listed with their progress, a question posed, a wrong answer met with
    /// escalating hints, a right one (columns renamed and reordered) accepted, and the progress kept
    /// for the next session, which starts at the first question not yet answered.
    @Test func lessonModeChecksTheStudentsAnswers() throws {
        let progress = NSTemporaryDirectory() + "centreql-lessons-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: progress) }
        let environment = ["CENTREQL_LESSON_PROGRESS": progress, "CENTREQL_LESSONS": Repository.root.appendingPathComponent("Examples").path]
        let t = try TerminalSession(width: 120, height: 50, environment: environment)
        t.enter(".lesson")
        #expect(t.waitFor("5  summarising with `group … agg`.  (0/4 answered)"), "\(t.screen())")
        t.enter(".lesson 5")
        #expect(t.waitFor("Question 1 of 4:"), "\(t.screen())")
        #expect(t.waitFor("How many centres does each district have?"), "\(t.screen())")
        t.enter("centres | group district agg n = count()")
        #expect(t.waitFor("✗ not yet: the answer has 16 rows of 2 columns (district, n); yours has 16 rows"), "\(t.screen())")
        t.enter("centres | group district agg n = count() | sort district")
        #expect(t.waitFor("✗ not yet: the lesson's query uses group | sort"), "\(t.screen())")
        t.enter("centres | group district agg c = count() | sort c desc, district | select c, district")
        #expect(t.waitFor("✓ Right."), "\(t.screen())")
        #expect(t.waitFor("Question 2 of 4:"), "\(t.screen())")
        t.enter(".quit")
        for _ in 0..<100 where !t.hasExited { usleep(50_000) }
        let again = try TerminalSession(width: 120, height: 50, environment: environment)
        again.enter(".lesson")
        #expect(again.waitFor("(1/4 answered)"), "\(again.screen())")
        again.enter(".lesson 5")
        #expect(again.waitFor("Question 2 of 4:"), "\(again.screen())")
        again.enter(".lesson stop")
        #expect(again.waitFor("(the lesson is left"), "\(again.screen())")
        again.enter(".quit")
    }

    @Test func severalCandidatesAreListed() throws {
        let t = try TerminalSession()
        t.type("centres | where town")
        t.press("Tab")
        t.settle()
        t.press("Tab")
        #expect(t.waitFor("town_kind_en"), "\(t.screen())")
        #expect(t.screen().contains("town_en"))
    }

    @Test func cursorMovesOverChineseAsDoubleWidth() throws {
        let t = try TerminalSession()
        t.type("select \"吴泾镇社区\"")
        t.settle()
        #expect(t.cursorColumn == 10 + 8 + 10 + 1)
        t.press("Left", "Left", "Left", "Left", "Left", "Left")
        t.settle()
        #expect(t.cursorColumn == 10 + 8)
        t.type("x")
        t.settle()
        #expect(t.screen().contains("centreql> select \"x吴泾镇社区\""))
        #expect(t.cursorColumn == 10 + 9)
        t.press("C-e")
        t.settle()
        #expect(t.cursorColumn == 10 + 8 + 1 + 10 + 1)
    }

    @Test func multiLineStatementsShowAContinuationPrompt() throws {
        let t = try TerminalSession()
        t.enter("awards |")
        #expect(t.waitFor("...>"))
        t.enter("where rank == 1")
        t.enter("| select category_en")
        #expect(t.waitFor("(4 rows)"), "\(t.screen())")
        #expect(t.screen().contains("Service Excellence"))
    }

    @Test func ctrlCDiscardsTheLineAndCtrlDLeaves() throws {
        let t = try TerminalSession()
        t.type("centres | where distr")
        t.press("C-c")
        #expect(t.waitFor("centreql>", count: 2))
        t.enter("centres | count")
        #expect(t.waitFor("40"))
        #expect(!t.screen().contains("distrcentres"))
        // As a person would, at the next prompt: the test once failed on a loaded machine, most likely
        // because a key typed while the answer printed was dropped when the line editor took the
        // terminal back.
        #expect(t.waitFor("centreql>", count: 3))
        t.settle()
        t.press("C-d")
        for _ in 0..<100 where !t.hasExited { usleep(50_000) }
        #expect(t.hasExited)
    }

    @Test func ctrlCCancelsARunningQueryNotTheSession() throws {
        let t = try TerminalSession()
        t.enter("projects | join projects as b on true | join projects as c on true | join centres as d on true | count")
        usleep(300_000)
        t.press("C-c")
        #expect(t.waitFor("error[E405]: the query was cancelled"), "\(t.screen())")
        t.enter("awards | count")
        #expect(t.waitFor("(1 row)"))
    }

    @Test func errorsTeachAndNeverEndTheSession() throws {
        let t = try TerminalSession()
        t.enter("centres | where distrct == 1")
        #expect(t.waitFor("did you mean 'district'?"))
        t.enter(".tabels")
        #expect(t.waitFor("did you mean '.tables'?"))
        t.enter(".tables")
        #expect(t.waitFor("projects  43 rows"))
    }

    @Test func historyPersistsAndCtrlRSearchesIt() throws {
        let path = NSTemporaryDirectory() + "centreql-history-\(UUID().uuidString)"
        do {
            let t = try TerminalSession(historyPath: path)
            t.enter("centres | where town == \"吴泾镇\" | select volunteers")
            #expect(t.waitFor("18000余"))
            t.enter("awards |")
            t.enter("count")
            #expect(t.waitFor("(1 row)", count: 2))
            t.type("awards | count")  // a repeat of the same statement on one line is a different entry
            t.press("Enter")
            #expect(t.waitFor("(1 row)", count: 3))
        }
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        #expect(saved.contains("awards |\\ncount\n"))  // the multi-line statement is one entry
        let t = try TerminalSession(historyPath: path)
        t.press("Up", "Up")
        #expect(t.waitFor("count"))
        t.press("C-u")
        t.press("C-r")
        t.type("吴泾")
        #expect(t.waitFor("select volunteers"), "\(t.screen())")
        t.press("Enter")
        #expect(t.waitFor("18000余"))
        t.enter(".history")
        #expect(t.waitFor("    1  centres | where town"))
        t.enter(".sql centres | where town == \"吴泾镇\" | count")
        #expect(t.waitFor("WHERE COALESCE((p.\"town\" IS '吴泾镇'), 0)"), "\(t.screen())")
        t.enter(".param set t 吴泾镇")
        t.enter(".sql postgres centres | where town == $t | count")
        #expect(t.waitFor("IS NOT DISTINCT FROM CAST($1 AS TEXT)"), "\(t.screen())")
    }

    @Test func modesMaxrowsAndWideTables() throws {
        let t = try TerminalSession(width: 60)
        t.enter("centres | take 3")
        #expect(t.waitFor("(3 rows, 19 columns ("))
        for line in t.screen().split(separator: "\n") { #expect(DisplayWidth.of(String(line)) <= 60) }
        #expect(t.screen().contains("| … |"))
        t.enter(".mode csv")
        t.enter("awards | where rank == 10 | select id")
        #expect(t.waitFor("40"))
        #expect(t.screen().contains("\nid\n") || t.screen().contains("id\n10"))
        t.enter(".maxrows 2")
        t.enter(".mode table")
        t.enter("centres | select id")
        #expect(t.waitFor("(40 rows), 38 not shown (.maxrows)"))
    }

    @Test func parametersAndHelp() throws {
        let t = try TerminalSession()
        t.enter(".param set d 闵行区")
        t.enter("centres | where district == $d | count")
        #expect(t.waitFor("     3"))
        t.enter(".help contains")
        #expect(t.waitFor("example:"))
        #expect(t.screen().contains("contains(text, part)"))
    }

    @Test func colourUnlessNoColor() throws {
        let coloured = try TerminalSession()
        coloured.enter("centres | where id == 1 | select volunteers")
        #expect(coloured.waitFor("(1 row)"))
        #expect(coloured.screenWithColour().contains("\u{1B}["))
        let plain = try TerminalSession(environment: ["NO_COLOR": "1"])
        plain.enter("centres | where id == 1 | select volunteers")
        #expect(plain.waitFor("(1 row)"))
        #expect(!plain.screenWithColour().contains("\u{1B}[2m"))
    }

    @Test func longOutputGoesThroughThePager() throws {
        let paged = NSTemporaryDirectory() + "centreql-paged-\(UUID().uuidString)"
        // The pager runs without a shell: `tee FILE` (a program and its argument) keeps a copy.
        let t = try TerminalSession(height: 12, environment: ["PAGER": "tee \(paged)"])
        t.enter("centres | select id")
        t.settle()
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: paged) { usleep(50_000) }
        t.settle()
        let text = (try? String(contentsOfFile: paged, encoding: .utf8)) ?? ""
        #expect(text.contains("(40 rows)"))
    }

    @Test func filesTimerAndData() throws {
        let folder = NSTemporaryDirectory() + "centreql-repl-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "let wujing = centres | where town == \"吴泾镇\"\nwujing | select teams\n".write(toFile: folder + "/lesson.cql", atomically: true, encoding: .utf8)
        let t = try TerminalSession()
        t.enter(".read \(folder)/lesson.cql")
        #expect(t.waitFor("78"))
        t.enter(".once \(folder)/once.txt")
        t.type("wujing | select volunteers")   // the let from the file persists
        t.press("Enter")
        t.settle()
        #expect((try? String(contentsOfFile: folder + "/once.txt", encoding: .utf8))?.contains("18000余") == true)
        // .output writes results into the file as they come (as sqlite3's does).
        t.enter(".output \(folder)/out.txt")
        t.enter("centres | count")
        t.enter("awards | count")
        t.settle()
        #expect(FileManager.default.fileExists(atPath: folder + "/out.txt"))
        t.enter(".output")
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: folder + "/out.txt") { usleep(50_000) }
        let collected = (try? String(contentsOfFile: folder + "/out.txt", encoding: .utf8)) ?? ""
        #expect(collected.components(separatedBy: "    40").count == 3, "\(collected)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tmp") } == [])
        t.enter(".timer on")
        t.enter("awards | count")
        #expect(t.waitFor("Run Time: "))
        // A folder that does not load whole leaves the data as it was.
        try FileManager.default.createDirectory(atPath: folder + "/bad", withIntermediateDirectories: true)
        try "id,name\n1,x\n".write(toFile: folder + "/bad/centres.csv", atomically: true, encoding: .utf8)
        t.enter(".load \(folder)/bad")
        #expect(t.waitFor("unchanged"))
        t.enter("projects | count")
        #expect(t.waitFor("    43"))
        t.enter(".schema awards")
        #expect(t.waitFor("link centre"))
    }
}
