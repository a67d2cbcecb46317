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

    func check(range: SourceRange) throws {
        if isCancelled { throw Diagnostic.cancelled(range: range) }
    }
}
