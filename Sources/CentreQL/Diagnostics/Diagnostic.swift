/// A problem found in a script: a value that says what, where and how to fix it. Rendering it for a
/// terminal is `DiagnosticRenderer`'s job; the wording lives in `Messages.swift`.
public struct Diagnostic: Error, Sendable, Hashable {
    /// A stable code: E0xx lexical, E1xx syntax, E2xx names, E3xx types, E4xx evaluation, E5xx data.
    public let code: String
    public let message: String
    public let range: SourceRange
    /// A suggestion in words ("did you mean 'district'?", the available columns, …).
    public var hint: String?
    /// Replacement text for `range` that fixes the problem, when there is one obvious fix.
    public var fixIt: String?
    /// An error stops the statement; a note only tells how it was read (the statement runs).
    public var severity: Severity

    public enum Severity: Sendable, Hashable { case error, note }

    public init(code: String, message: String, range: SourceRange, hint: String? = nil, fixIt: String? = nil, severity: Severity = .error) {
        self.code = code
        self.message = message
        self.range = range
        self.hint = hint
        self.fixIt = fixIt
        self.severity = severity
    }
}

/// Errors from running a query through the embedding API: every diagnostic, with the text they point into.
public struct QueryError: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]
    public let source: SourceText

    public var description: String {
        diagnostics.map { DiagnosticRenderer(source: source).render($0) }.joined(separator: "\n")
    }
}
