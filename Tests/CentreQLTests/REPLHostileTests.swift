import Foundation
import Testing
@testable import CentreQL

/// Hostile input, round two, as found in the REPL: typed into a real terminal (tmux).
@Suite(.serialized) struct REPLHostileTests {

    /// A pager that quits before reading everything once crashed the REPL (EPIPE through a trapping write).
    @Test func aPagerThatQuitsEarlyLeavesTheSessionRunning() throws {
        let t = try TerminalSession(height: 20, environment: ["PAGER": "head -n 2"])
        t.enter(".pager on")
        t.enter(".maxrows off")
        t.enter("centres | join awards as a on true | join projects as p on true | select n = name, c = a.category, pn = p.name | take 20000")  // far more than a pipe holds
        t.settle()
        t.enter("centres | count")
        #expect(t.waitFor("(1 row)"), "\(t.screen())")
        #expect(!t.hasExited)
    }

    /// `.output` onto the history file is refused (it once wrote the results over the history).
    @Test func outputOntoTheHistoryFileIsRefused() throws {
        let t = try TerminalSession()
        t.enter("centres | count")
        #expect(t.waitFor("(1 row)"))
        t.enter(".output \(t.historyPath)")
        #expect(t.waitFor("is the history file"), "\(t.screen())")
        let history = try String(contentsOfFile: t.historyPath, encoding: .utf8)
        #expect(history.contains("centres | count") && !history.contains("(1 row)"))
    }

    /// SIGHUP (the terminal closed) while `.output` is on keeps the results written so far.
    @Test func aHangupKeepsTheOutputSoFar() throws {
        let path = NSTemporaryDirectory() + "centreql-hangup-\(UUID().uuidString).txt"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = try TerminalSession()
        t.enter(".output \(path)")
        t.enter("awards | count")
        t.settle()
        _ = try? t.tmux(["kill-server"])  // the terminal goes away: the REPL gets SIGHUP
        var text = ""
        for _ in 0..<100 where !text.contains("40") {
            usleep(50_000)
            text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        }
        #expect(text.contains("40"), "\(text)")
    }

    /// Two sessions sharing a history file lose nothing (57 of 300 entries were once lost).
    @Test func twoSessionsSharingAHistoryLoseNothing() throws {
        let shared = NSTemporaryDirectory() + "centreql-shared-history-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: shared) }
        let a = try TerminalSession(historyPath: shared)
        let b = try TerminalSession(historyPath: shared)
        for i in 0..<60 {
            a.enter("centres | take \(i) | count")
            b.enter("awards | take \(i) | count")
        }
        #expect(a.waitFor("centreql>", count: 3) && b.waitFor("centreql>", count: 3))
        a.enter("centres | take 999 | count")
        b.enter("awards | take 999 | count")
        var entries: [String] = []
        for _ in 0..<200 {
            entries = ((try? String(contentsOfFile: shared, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            if entries.contains("centres | take 999 | count") && entries.contains("awards | take 999 | count") { break }
            usleep(50_000)
        }
        for i in 0..<60 {
            #expect(entries.contains("centres | take \(i) | count"), "lost centres \(i)")
            #expect(entries.contains("awards | take \(i) | count"), "lost awards \(i)")
        }
    }
}

/// The REPL's first two faults as they were found (issue 12): with the real `less`, reading raw bytes.
@Suite(.serialized) struct REPLPagerAndColourTests {
    /// With `less -FRX` in a 30-row pane, 40 rows once showed rows 1–27 and then the prompt: the pager
    /// ran outside the terminal's foreground process group, could not read keys and quit.
    @Test func theRealLessPagesEveryRow() throws {
        let t = try TerminalSession(height: 30, environment: ["PAGER": "less -FRX"])
        t.enter(".pager on")
        t.enter("centres | select id, name | take 60")
        // The first screen, in UTF-8 though no locale is set; less then waits for a key.
        #expect(t.waitFor("嘉定区菊园新区社区志愿服务中心"), "\(t.screen())")
        t.settle()
        #expect(!t.screen().contains("(40 rows)"))
        t.press("Space")
        #expect(t.waitFor("(40 rows)"), "\(t.screen())")
        t.press("q")
        t.enter("awards | count")
        #expect(t.waitFor("(1 row)"), "\(t.screen())")
        #expect(t.screen().contains(" 40 | "))
    }

    /// The prompt's colour once never reset: what was typed, and the results, stayed bold green.
    @Test func thePromptsColourEndsWithThePrompt() throws {
        let t = try TerminalSession()
        t.type("centres")  // no keyword, so nothing typed is coloured by the highlighter
        t.settle()
        let line = try #require(t.screenWithColour().split(separator: "\n").last { $0.contains("centres") })
        let typed = try #require(line.range(of: "centres"))
        let before = line[..<typed.lowerBound]
        // The last attribute change before the typed text is a reset.
        let lastEscape = try #require(before.ranges(of: "\u{1B}[").last)
        #expect(before[lastEscape.lowerBound...].hasPrefix("\u{1B}[0m") || before[lastEscape.lowerBound...].hasPrefix("\u{1B}[39m")
                || before[lastEscape.lowerBound...].hasPrefix("\u{1B}[49m"), "\(line.debugDescription)")
        #expect(before.contains("\u{1B}[0m"), "\(line.debugDescription)")
    }
}

/// Syntax highlighting as you type, read from the raw bytes of the screen (tmux's `capture-pane -e`).
@Suite(.serialized) struct REPLHighlightingTests {
    private func typedLine(_ t: TerminalSession, containing text: String) -> String {
        t.screenWithColour().split(separator: "\n").last { $0.contains(text) }.map(String.init) ?? ""
    }

    @Test func keywordsStringsNumbersCommentsAndProblemsAreColoured() throws {
        let t = try TerminalSession()
        t.type("centres | where name contains \"吴泾\" and (teams > 5 # 备注")
        t.settle()
        var line = typedLine(t, containing: "centres")
        #expect(line.contains("\u{1B}[1m\u{1B}[34mwhere"), "\(line.debugDescription)")
        #expect(line.contains("\u{1B}[33m\"吴泾\""), "\(line.debugDescription)")
        #expect(line.contains("\u{1B}[35m5"), "\(line.debugDescription)")
        #expect(line.contains("\u{1B}[2m# 备注"), "\(line.debugDescription)")
        #expect(line.contains("\u{1B}[31m("), "an unclosed bracket is marked: \(line.debugDescription)")
        // The cursor is where libedit left it: typing goes in at the right place.
        t.press("Home")
        t.press("Right", "Right", "Right", "Right", "Right", "Right", "Right", "Right", "Right", "Right", "Right")
        t.settle()
        #expect(t.cursorColumn == 10 + 11, "\(t.cursorColumn)")
        t.press("C-e", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace")
        t.type(")")
        t.settle()
        line = typedLine(t, containing: "centres")
        #expect(!line.contains("\u{1B}[31m("), "the bracket has its partner: \(line.debugDescription)")
        #expect(t.screen().contains("centreql> centres | where name contains \"吴泾\" and (teams > 5)"), "\(t.screen())")
        t.type(" | derive s = \"open")
        t.settle()
        line = typedLine(t, containing: "centres")
        #expect(line.contains("\u{1B}[31m\"open"), "an unclosed string is marked: \(line.debugDescription)")
        t.press("C-u")
        t.enter(".highlight off")
        t.type("awards | where rank == 1")
        t.settle()
        line = typedLine(t, containing: "awards |")
        #expect(line.hasSuffix("awards | where rank == 1"), "\(line.debugDescription)")
    }

    /// The whole lines of a paste after its first are shown coloured too, each in the light of the
    /// ones before it (they were echoed plain); the last, still being edited, is coloured as typed.
    @Test func pastedLinesAreColouredToo() throws {
        let t = try TerminalSession()
        _ = try t.tmux(["set-buffer", "-b", "p", "centres\n  | where (id\n  == 19) | select name"])
        _ = try t.tmux(["paste-buffer", "-p", "-b", "p", "-t", "t"])
        #expect(t.waitFor("...>   == 19) | select name"), "\(t.screen())")
        t.settle()
        let middle = typedLine(t, containing: "| ")
        let whole = t.screenWithColour().split(separator: "\n").first { $0.contains("(") && $0.contains("id") }.map(String.init) ?? ""
        #expect(whole.contains("\u{1B}[34mwhere"), "\(whole.debugDescription)")
        #expect(middle.contains("\u{1B}[35m19"), "\(middle.debugDescription)")
        t.press("Enter")
        #expect(t.waitFor("(1 row)"), "\(t.screen())")
    }

    @Test func noColourWithNoColor() throws {
        let t = try TerminalSession(environment: ["NO_COLOR": "1"])
        t.type("centres | where teams > 5")
        t.settle()
        let line = typedLine(t, containing: "centres")
        #expect(!line.contains("\u{1B}["), "\(line.debugDescription)")
        t.press("C-u")
        t.enter(".highlight on")
        #expect(t.waitFor("NO_COLOR"), "\(t.screen())")
    }
}

/// Habits users bring from sqlite3, psql and DuckDB (issue 12, faults 6, 7, 10, 11, 12), typed into tmux.
@Suite(.serialized) struct REPLHabitTests {
    @Test func otherShellsWordsWork() throws {
        let t = try TerminalSession()
        t.enter("\\d")
        #expect(t.waitFor("centres  40 rows"), "\(t.screen())")
        t.enter(".tab")  // a unique prefix
        #expect(t.waitFor("centres  40 rows", count: 2), "\(t.screen())")
        t.enter("help")
        // (Its first lines have scrolled off a 24-line screen by the time it ends.)
        #expect(t.waitFor("Keys: .help shortcuts"), "\(t.screen())")
        t.enter(".exti")  // a typo is never answered with "did you mean '.exit'?"
        #expect(t.waitFor("unknown command '.exti'"), "\(t.screen())")
        #expect(!t.screen().contains("did you mean '.exit'"))
        t.enter("\\q")
        for _ in 0..<100 where !t.hasExited { usleep(50_000) }
        #expect(t.hasExited)
    }

    @Test func parametersAsTheyAreTyped() throws {
        let t = try TerminalSession()
        t.enter(".param set r \"闵行区\"")  // the quotes are the query's, not the value's
        t.enter("centres | where district == $r | count")
        #expect(t.waitFor("     3"), "\(t.screen())")
        t.enter(".param set $w 2")
        t.enter("centres | take $w | count")
        #expect(t.waitFor("     2"), "\(t.screen())")
        t.enter(".param unset r")
        t.enter(".param list")
        t.settle()
        #expect(!t.screen().contains("$r:") && t.screen().contains("$w: int = 2"), "\(t.screen())")
    }

    @Test func aUniqueCompletionIsFollowedByASpace() throws {
        let t = try TerminalSession()
        t.type("centres | wh")
        t.press("Tab")
        t.type("id == 1 | cou")
        t.press("Tab")
        t.press("Enter")
        #expect(t.waitFor("(1 row)"), "\(t.screen())")
        #expect(t.screen().contains("centres | where id == 1 | count"))
    }

    /// Ctrl-← and Alt-← move by words (they once typed `5D` and `3D`).
    @Test func ctrlAndAltArrowsMoveByWords() throws {
        let t = try TerminalSession()
        t.type("centres | count")
        t.press("C-Left")
        t.type("x")
        t.press("M-Left", "M-Left")
        t.type("y")
        t.settle()
        #expect(t.screen().contains("centreql> ycentres | xcount"), "\(t.screen())")
        #expect(!t.screen().contains("5D") && !t.screen().contains("3D"))
    }

    /// A line starting with `|` continues the last query, and completes in its scope.
    @Test func aContinuingLineCompletesTheLastQuerysColumns() throws {
        let t = try TerminalSession()
        t.enter("centres | where district_en == \"Minhang\"")
        #expect(t.waitFor("(3 rows"))  // wide: "(3 rows, 19 columns (… shown…))"
        t.type("| select town_e")
        t.press("Tab")
        t.press("Enter")
        #expect(t.waitFor(" Wujing"), "\(t.screen())")
    }

    /// File names complete after `.read`, `.output`, `.once` and `.load` (folders only for `.load`).
    @Test func fileNamesComplete() throws {
        let t = try TerminalSession()
        t.type(".read Examples/01-fi")
        t.press("Tab")
        t.press("Enter")
        #expect(t.waitFor(" row"), "\(t.screen())")
        #expect(t.screen().contains(".read Examples/01-first-look.cql"), "\(t.screen())")
        t.type(".load Exam")
        t.press("Tab")
        t.settle()
        #expect(t.screen().contains(".load Examples/"), "\(t.screen())")
    }

    /// A real (bracketed) paste: a tab in it is text, not completion (`select<TAB>town` once became
    /// `selecttown`), and a pipeline of several lines is one statement (it once ran line by line).
    @Test func aPastedPipelineIsOneStatement() throws {
        let t = try TerminalSession()
        _ = try t.tmux(["set-buffer", "-b", "p", "centres\n  | where district_en == \"Minhang\"\n  | select\ttown"])
        _ = try t.tmux(["paste-buffer", "-p", "-b", "p", "-t", "t"])
        #expect(t.waitFor("...>   | select town"), "\(t.screen())")
        #expect(!t.screen().contains("(40 rows)"))  // `centres` alone did not run
        t.press("Enter")
        #expect(t.waitFor("(3 rows)"), "\(t.screen())")
        #expect(t.screen().contains(" 莘庄镇"))
    }

    /// A paste after a typed statement: the previous line's text once showed through the pasted
    /// first line (`awards` after `projects | count` ran as `awardsts | count`).
    @Test func aPasteAfterAStatementIsItself() throws {
        let t = try TerminalSession()
        t.enter("projects | count")
        #expect(t.waitFor("(1 row)"), "\(t.screen())")
        _ = try t.tmux(["set-buffer", "-b", "p", "awards\n| select rank\n| take 2\n"])
        _ = try t.tmux(["paste-buffer", "-p", "-b", "p", "-t", "t"])
        #expect(t.waitFor("(2 rows)"), "\(t.screen())")
        #expect(!t.screen().contains("error"), "\(t.screen())")
        t.enter(".history")
        #expect(t.waitFor("awards\n       | select rank"), "\(t.screen())")
    }

    /// `.output` writes as results come (the file was made only when output returned to the screen);
    /// `.once` captures what dot-commands show; paths may be quoted or start with `~/`.
    @Test func outputAndOnceAsSqlite3UsersExpect() throws {
        let folder = NSTemporaryDirectory() + "centreql out \(UUID().uuidString)"  // a space in the path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let t = try TerminalSession()
        t.enter(".output \"\(folder)/results.txt\"")
        t.enter("awards | count")
        t.settle()
        var text = ""
        for _ in 0..<100 where !text.contains("40") {
            usleep(50_000)
            text = (try? String(contentsOfFile: folder + "/results.txt", encoding: .utf8)) ?? ""
        }
        #expect(text.contains("40"), "\(text)")  // already there, before `.output` returns to the screen
        t.enter(".output")
        t.enter(".once '\(folder)/schema.txt'")
        t.enter(".schema awards")
        t.enter(".schema centre")
        #expect(t.waitFor("did you mean 'centres'?"), "\(t.screen())")
        let schema = (try? String(contentsOfFile: folder + "/schema.txt", encoding: .utf8)) ?? ""
        #expect(schema.contains("centre_id"), "\(schema)")
        try "centres | count\n".write(toFile: folder + "/a lesson.cql", atomically: false, encoding: .utf8)
        t.enter(".read \"\(folder)/a lesson.cql\"")
        #expect(t.waitFor("    40"), "\(t.screen())")
    }

    /// Dot-commands in a `.read` file and in the start-up file (`$CENTREQL_RC`), so a session copied
    /// from `.history` replays (they were refused outside the prompt).
    @Test func dotCommandsRunFromFilesAndTheStartUpFile() throws {
        let folder = NSTemporaryDirectory() + "centreql-rc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ".param set d 闵行区\nlet mine = centres\n  | where district == $d\n".write(toFile: folder + "/rc", atomically: false, encoding: .utf8)
        try ".mode csv\nmine | select town\n.mode table\nmine | count\n".write(toFile: folder + "/replay.cql", atomically: false, encoding: .utf8)
        let t = try TerminalSession(environment: ["CENTREQL_RC": folder + "/rc"])
        t.enter(".read \(folder)/replay.cql")
        #expect(t.waitFor("town\n吴泾镇\n浦江镇\n莘庄镇"), "\(t.screen())")  // CSV, from the file's .mode
        #expect(t.waitFor("     3"), "\(t.screen())")                     // then a table again
        #expect(!t.screen().contains("error"), "\(t.screen())")
    }

    /// Smaller faults: `.maxrows` in CSV mode, `.tables` after a load, the caret in a narrow terminal.
    @Test func maxrowsInEveryModeTablesAfterALoadAndANarrowCaret() throws {
        let folder = NSTemporaryDirectory() + "centreql-loaded-\(UUID().uuidString)"
        _ = try Generator(centres: 100, seed: 2).write(to: folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let t = try TerminalSession(width: 60)
        t.enter(".mode csv")
        t.enter(".maxrows 2")
        t.enter("centres | select id")
        #expect(t.waitFor("38 more rows not shown"), "\(t.screen())")
        #expect(t.screen().contains("id\n1\n2\n"), "\(t.screen())")
        t.enter(".mode table")
        t.enter(".load \(folder)")
        #expect(t.waitFor("loaded centres 100"), "\(t.screen())")
        t.enter(".tables")
        #expect(t.waitFor("(loaded from"), "\(t.screen())")
        #expect(!t.screen().contains("the 40 community"))
        t.enter("centres | where district == \"闵行区\" and town_kind == \"镇\" and name contains \"社区\" | selec name")
        #expect(t.waitFor("error[E"), "\(t.screen())")
        // The source line is cut to the width, so the caret stands under `selec` (a wrapped line
        // once left it under nothing).
        let lines = t.screen().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let quoted = try #require(lines.lastIndex { $0.contains("| ") && $0.contains("selec") && !$0.hasPrefix("centreql>") }, "\(t.screen())")
        let caretLine = lines[quoted + 1]
        let spanColumn = DisplayWidth.of(String(lines[quoted][..<lines[quoted].range(of: "selec")!.lowerBound]))
        let caretColumn = DisplayWidth.of(String(caretLine[..<(caretLine.firstIndex(of: "^") ?? caretLine.endIndex)]))
        #expect(caretColumn == spanColumn, "\(lines[quoted])\n\(caretLine)")
    }

    /// Ctrl-Z suspends the session from an interactive shell, and `fg` brings the line back (it was swallowed).
    @Test func ctrlZSuspendsAndFgResumes() throws {
        let t = try TerminalSession()
        t.enter(".quit")
        for _ in 0..<100 where !t.hasExited { usleep(50_000) }
        _ = try t.tmux(["respawn-pane", "-k", "-t", "t", "bash --norc --noprofile -i"])
        usleep(500_000)
        t.enter("CENTREQL_HISTORY='\(t.historyPath)' '\(CommandTests.binary)'")
        #expect(t.waitFor("centreql>"), "\(t.screen())")
        t.type("centres | co")
        t.press("C-z")
        #expect(t.waitFor("Stopped"), "\(t.screen())")
        t.enter("fg")
        t.type("unt")
        t.press("Enter")
        #expect(t.waitFor("    40"), "\(t.screen())")
    }

    /// `.load` of a large folder shows its progress and stops on Ctrl-C, leaving the data as it was.
    @Test func aLongLoadShowsProgressAndStopsOnCtrlC() throws {
        let folder = NSTemporaryDirectory() + "centreql-big-load-\(UUID().uuidString)"
        _ = try Generator(centres: 40_000, seed: 5).write(to: folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let t = try TerminalSession()
        t.enter(".load \(folder)")
        #expect(t.waitFor("rows/s"), "\(t.screen())")
        t.press("C-c")
        #expect(t.waitFor("(the data already loaded is unchanged)"), "\(t.screen())")
        #expect(t.screen().replacingOccurrences(of: "\n", with: "").contains("the load was cancelled"))
        t.enter("centres | count")
        #expect(t.waitFor("    40"), "\(t.screen())")
    }

    /// sqlite3's settings where they mean something here, and `.show` listing them.
    @Test func sqlite3SettingsAndShow() throws {
        let folder = NSTemporaryDirectory() + "centreql-settings-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "centres | count\ncentres | selec name\nawards | count\n".write(toFile: folder + "/bad.cql", atomically: false, encoding: .utf8)
        let t = try TerminalSession()
        t.enter(".nullvalue (none)")
        t.enter(".headers off")
        t.enter("centres | where id == 1 | select id, volunteers")
        #expect(t.waitFor("  1 |     (none)"), "\(t.screen())")
        #expect(!t.screen().contains(" id | volunteers"))
        t.enter(".headers on")
        t.enter(".bail on")
        t.enter(".echo on")
        t.enter(".read \(folder)/bad.cql")
        #expect(t.waitFor(".bail: the rest"), "\(t.screen())")
        #expect(t.screen().contains("centres | count\n count"), "\(t.screen())")  // echoed, then its result
        t.enter(".echo off")
        t.enter(".prompt \"cql> \" \"...> \"")
        #expect(t.waitFor("cql> "), "\(t.screen())")
        t.enter(".show")
        #expect(t.waitFor("nullvalue: \"(none)\""), "\(t.screen())")
        #expect(t.screen().contains("bail: on"))
        t.enter(".help shortcuts")
        #expect(t.waitFor("Ctrl-Z"), "\(t.screen())")
    }

    /// `.last` shows the previous result whole; one row wider than the screen is shown one field per
    /// line (psql's \x auto); `.edit` runs what the editor saved.
    @Test func lastExpandedAndEdit() throws {
        let t = try TerminalSession(environment: ["EDITOR": "sed -i s/centres/awards/"])
        t.enter(".maxrows 3")
        t.enter("centres | select id")
        #expect(t.waitFor("37 not shown"), "\(t.screen())")
        t.enter(".last")
        #expect(t.waitFor("(40 rows)"), "\(t.screen())")
        t.enter("centres | where id == 19")
        #expect(t.waitFor("volunteers = 18000余"), "\(t.screen())")
        t.enter("centres | count")
        #expect(t.waitFor("    40"))
        t.enter(".edit")  // the editor turns the last statement into `awards | count`
        #expect(t.waitFor("awards | count"), "\(t.screen())")
    }

    /// Resizing the terminal while typing keeps the line and the next output whole.
    @Test func aResizeWhileTypingKeepsTheLine() throws {
        let t = try TerminalSession(width: 100, height: 20)
        t.type("centres | where district == \"闵行区\" and town_kind == \"镇\" | select name, town")
        t.settle()
        _ = try t.tmux(["resize-window", "-t", "t", "-x", "50", "-y", "20"])
        t.settle()
        t.type(" | take 2")
        t.press("Enter")
        #expect(t.waitFor("(2 rows)"), "\(t.screen())")
        #expect(t.screen().contains("闵行区吴泾镇社区志愿服务中心 | 吴泾镇"), "\(t.screen())")
    }

    /// A query running longer than two seconds shows a progress line, which is gone when the answer
    /// (here, the cancellation) is shown.
    @Test func aLongQueryShowsProgress() throws {
        let t = try TerminalSession(width: 140)
        t.enter("centres | join awards as a on true | join projects as p on true | join awards as b on true | where name + a.category + p.name + b.category contains \"x\" | count")
        #expect(t.waitFor("rows examined"), "\(t.screen())")
        t.press("C-c")
        #expect(t.waitFor("E405"), "\(t.screen())")
        t.settle()
        #expect(!t.screen().contains("rows examined"), "\(t.screen())")
    }

    @Test func ctrlDInAnUnfinishedStatementSaysSo() throws {
        let t = try TerminalSession()
        t.enter("centres |")
        #expect(t.waitFor("...>"))
        t.press("C-d")
        #expect(t.waitFor("the unfinished statement was not run"), "\(t.screen())")
    }

    @Test func aDumbTerminalGetsNoColour() throws {
        let t = try TerminalSession(environment: ["TERM": "dumb"])
        t.enter("centres | where id == 1 | select volunteers, stations")
        #expect(t.waitFor("(1 row)"))
        #expect(!t.screenWithColour().contains("\u{1B}["), "\(t.screenWithColour().debugDescription)")
    }

    /// Ctrl-C during a `.read` cancels the statement running and the rest of the file, with one message.
    @Test func ctrlCDuringAReadStopsTheFile() throws {
        let file = NSTemporaryDirectory() + "centreql-slow-\(UUID().uuidString).cql"
        let slow = "centres | join awards as a on true | join projects as p on true | join awards as b on true | count\n"
        try String(repeating: slow, count: 4).write(toFile: file, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let t = try TerminalSession()
        t.enter(".read \(file)")
        usleep(500_000)
        t.press("C-c")
        #expect(t.waitFor("was not run"), "\(t.screen())")
        #expect(t.screen().components(separatedBy: "E405").count == 2, "\(t.screen())")
    }
}
