import Synchronization

/// A flag another thread or a signal handler sets to stop a running query. The executor checks it
/// in its loops; a cancelled query reports E405 and leaves the engine as it was.
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Safe to call from a signal handler: one lock-free store.
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public func reset() {
        flag.store(false, ordering: .relaxed)
        steps.store(0, ordering: .relaxed)
    }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }

    /// Rows the running query has examined (a join's pairs included), counted in thousands at each
    /// check: what a progress line reads from another thread.
    public var progress: Int { steps.load(ordering: .relaxed) }
    private let steps = Atomic<Int>(0)
    func advance(by count: Int) { steps.add(count, ordering: .relaxed) }
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
    /// What the query has used so far (shared by every copy of this value).
    let meter = QueryMeter()

    /// The longest text one value may hold, and all the text one query may make (by `+`, `upper`,
    /// `lower`): past either, the query stops with E408 instead of filling memory.
    static let maximumTextBytes = 16 << 20
    static let maximumQueryTextBytes = 1 << 30

    init(cancellation: Cancellation?, timeLimit: Duration?, range: SourceRange) {
        self.cancellation = cancellation
        self.timeLimit = timeLimit
        self.deadline = timeLimit.map { ContinuousClock.now.advanced(by: $0) }
        self.range = range
    }

    func checkpoint(_ iteration: Int = 0) throws {
        guard iteration & 0x3FF == 0 else { return }
        if iteration > 0 { cancellation?.advance(by: 1024) }  // rows examined, for a progress line
        try checkNow()
    }

    /// For work with no row loop of its own (comparisons in a sort, steps of a pattern): every
    /// 1024th call looks at the flag and the clock.
    func tick() throws {
        meter.ticks &+= 1
        guard meter.ticks & 0x3FF == 0 else { return }
        try checkNow()
    }

    func checkNow() throws {
        if cancellation?.isCancelled == true { throw Diagnostic.cancelled(range: range) }
        if let deadline, let timeLimit, ContinuousClock.now >= deadline { throw Diagnostic.timedOut(timeLimit, range: range) }
    }

    /// Accounts for a text of `bytes` the query made: refused past either limit.
    func charge(text bytes: Int) throws {
        guard bytes <= Self.maximumTextBytes else { throw Diagnostic.tooMuchText(Self.maximumTextBytes, inAll: false, range: range) }
        meter.textBytes += bytes
        guard meter.textBytes <= Self.maximumQueryTextBytes else {
            throw Diagnostic.tooMuchText(Self.maximumQueryTextBytes, inAll: true, range: range)
        }
        try tick()
    }
}

/// Counters for one run of a query; a class so every copy of its `Interruption` counts together.
final class QueryMeter: @unchecked Sendable {
    var ticks = 0
    var textBytes = 0
}

extension Duration {
    /// The duration in seconds, for messages and progress lines.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
