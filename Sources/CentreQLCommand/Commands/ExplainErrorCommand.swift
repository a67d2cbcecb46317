import ArgumentParser
import CentreQL

/// `centreql explain-error E202`: what an error code means, a statement that causes it and the fix
/// (rustc's `--explain`). Without a code, the list of codes.
struct ExplainError: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain-error",
                                                    abstract: "Explain an error code (E202): what it means, an example and its fix.")

    @Argument(help: ArgumentHelp("The code, as an error shows it (E202). Without one, every code is listed.", valueName: "CODE"))
    var code: String?

    func run() throws {
        guard let code else { return print(ErrorExplanation.list) }
        guard let explanation = ErrorExplanation.named(code) else {
            throw ValidationError("no error code '\(code)'; `centreql explain-error` lists them (E001 … E601)")
        }
        print(explanation.text)
    }
}
