import Foundation

/// The error of the lowest-numbered item that failed, among those that threads working through
/// a list in parallel reached: the error a sequential pass would have met first.
public final class FirstFailure<Failure: Error>: @unchecked Sendable {
    private let lock = NSLock()
    private var index = Int.max
    private var error: Failure?

    public init() {}

    public func record(_ error: Failure, at i: Int) {
        lock.lock()
        defer { lock.unlock() }
        if i < index { (index, self.error) = (i, error) }
    }

    /// Whether an earlier item has failed already: the later ones need not be done.
    public func precedes(_ i: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return index < i
    }

    public var first: Failure? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }
}
