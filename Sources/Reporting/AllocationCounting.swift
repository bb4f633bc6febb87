/// Counts the heap allocations of a stretch of code. `bench --allocations` passes one that
/// interposes malloc; the library itself stays free of the interposer, which every program linking
/// it would otherwise carry.
public protocol AllocationCounting {
    /// Allocations made on every thread while `body` ran.
    func allocations(during body: () -> Void) -> Int
}
