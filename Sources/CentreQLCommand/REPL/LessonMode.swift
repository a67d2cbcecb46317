import CentreQL
import Foundation

/// `.lesson`: the lessons of `Examples/` as questions. `.lesson` lists them with the progress kept
/// between sessions; `.lesson N` poses lesson N's questions one at a time; each query typed is then
/// checked against the question's answer, with hints that escalate (the answer's shape, the stages
/// to use, the lesson's query); `.lesson skip` moves on, `.lesson stop` leaves.
struct LessonSession {
    var lesson: Lesson
    var question = 0
    var attempts = 0

    /// Where the lessons are: `$CENTREQL_LESSONS`, else `Examples/` in the working folder, else beside
    /// the checkout the program was built in (`.build/debug/centreql`).
    static func directory() -> String? {
        let environment = ProcessInfo.processInfo.environment
        var candidates = [environment["CENTREQL_LESSONS"], FileManager.default.currentDirectoryPath + "/Examples"].compactMap { $0 }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(executable.deletingLastPathComponent().appendingPathComponent("../../../Examples").standardized.path)
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}

/// The questions answered, kept in `$CENTREQL_LESSON_PROGRESS` or `~/.centreql_lessons`: one line per
/// question, `LESSON-NAME QUESTION`.
struct LessonProgress {
    let path: String
    private(set) var done: Set<String>

    init() {
        path = ProcessInfo.processInfo.environment["CENTREQL_LESSON_PROGRESS"] ?? NSHomeDirectory() + "/.centreql_lessons"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        done = Set(text.split(separator: "\n").map(String.init))
    }

    func isDone(_ lesson: Lesson, _ question: Int) -> Bool { done.contains("\(lesson.name) \(question + 1)") }

    func count(_ lesson: Lesson) -> Int { lesson.questions.indices.filter { isDone(lesson, $0) }.count }

    mutating func record(_ lesson: Lesson, _ question: Int) {
        guard done.insert("\(lesson.name) \(question + 1)").inserted else { return }
        try? (done.sorted().joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}

extension REPL {
    func lessonCommand(_ arguments: [String]) {
        guard let directory = LessonSession.directory() else {
            Terminal.printError("no lessons found: run centreql in the project's folder, or set CENTREQL_LESSONS to the folder of lessons")
            lastRunFailed = true
            return
        }
        let progress = LessonProgress()
        switch arguments.first {
        case nil:
            if let session = lesson { return askQuestion(session) }
            let lessons = Lesson.all(in: directory)
            var lines = lessons.map { lesson in
                "\(String(lesson.number).leftPadded(to: 3))  \(lesson.title)  (\(progress.count(lesson))/\(lesson.questions.count) answered)"
            }
            lines.append(".lesson N starts lesson N; its questions come one at a time, each answered with a query.")
            emit(lines.joined(separator: "\n"))
        case "skip"?:
            guard let session = lesson else { return Terminal.printError("no lesson is under way (.lesson lists them)") }
            nextQuestion(after: session)
        case "stop"?, "off"?, "quit"?:
            lesson = nil
            print("(the lesson is left; .lesson lists the lessons)")
        case let word?:
            guard let number = Int(word), let found = Lesson.all(in: directory).first(where: { $0.number == number }) else {
                Terminal.printError("no lesson '\(word)' (.lesson lists them)")
                lastRunFailed = true
                return
            }
            // Start at its first question not yet answered.
            let first = found.questions.indices.first { !progress.isDone(found, $0) } ?? 0
            let session = LessonSession(lesson: found, question: first)
            lesson = session
            print(paint("Lesson \(found.number): \(found.title)", "1"))
            // The answers are the built-in data's: on other data a right query would be marked wrong.
            if let dataSource { Terminal.printError("(the lessons ask about the built-in data, and \(dataSource) is loaded: start centreql without --data for them)") }
            askQuestion(session)
        }
    }

    private func askQuestion(_ session: LessonSession) {
        let count = session.lesson.questions.count
        print(paint("Question \(session.question + 1) of \(count):", "1;36"))
        print(session.lesson.questions[session.question].text.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        print("(answer with a query; .lesson skip moves on, .lesson stop leaves)")
    }

    private func nextQuestion(after session: LessonSession) {
        var next = session
        next.question += 1
        next.attempts = 0
        guard next.question < session.lesson.questions.count else {
            lesson = nil
            print(paint("That was the last question of lesson \(session.lesson.number).", "1;32") + " (.lesson lists the lessons)")
            return
        }
        lesson = next
        askQuestion(next)
    }

    /// After a query's rows are shown during a lesson: right, or a hint.
    func checkLessonAnswer(_ result: ResultSet) {
        guard var session = lesson else { return }
        if session.lesson.accepts(result, question: session.question) {
            var progress = LessonProgress()
            progress.record(session.lesson, session.question)
            print(paint("✓ Right.", "1;32"))
            nextQuestion(after: session)
        } else {
            session.attempts += 1
            print(paint("✗ ", "1;33") + session.lesson.hint(for: result, question: session.question, attempts: session.attempts))
            lesson = session
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
