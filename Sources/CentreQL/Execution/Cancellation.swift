import Synchronization

/// A flag another thread or a signal handler sets to stop a running query. The executor checks it
/// in its loops; a cancelled query reports E405 and leaves the engine as it was.
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Safe to call from a signal handler: one lock-free store.
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public func reset() { flag.store(false, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// What may stop a running query: a cancellation (Ctrl-C) and a time limit (`--timeout`).
/// The executor calls `checkpoint` in every loop over rows; it looks at the flag and the clock
/// once every 1024 calls, so a check costs next to nothing.
struct Interruption: Sendable {
    var cancellation: Cancellation?
    var deadline: ContinuousClock.Instant?
    var timeLimit: Duration?
    /// Where an interruption is reported: the statement being run.
    var range: SourceRange

    init(cancellation: Cancellation?, timeLimit: Duration?, range: SourceRange) {
        self.cancellation = cancellation
        self.timeLimit = timeLimit
        self.deadline = timeLimit.map { ContinuousClock.now.advanced(by: $0) }
        self.range = range
    }

    func checkpoint(_ iteration: Int = 0) throws {
        guard iteration & 0x3FF == 0 else { return }
        if cancellation?.isCancelled == true { throw Diagnostic.cancelled(range: range) }
        if let deadline, let timeLimit, ContinuousClock.now >= deadline { throw Diagnostic.timedOut(timeLimit, range: range) }
    }
}
