import Foundation
import MallocInterposerSwift
import Reporting
import Training

/// Counts allocations through ordo-one's malloc interposer, which replaces malloc and free in this
/// process when its library is loaded ahead of libc (bench links it; LD_PRELOAD forces it).
struct InterposedAllocations: AllocationCounting {
    /// Where the probe's pointer escapes to, so that the optimizer cannot drop its malloc.
    nonisolated(unsafe) private static var probe: UnsafeMutableRawPointer?

    /// Checks that the counter sees an allocation of its own: a count of 0 from an interposer
    /// that is not in the malloc path would prove nothing.
    init() throws(BenchError) {
        let seen = allocations {
            Self.probe = malloc(64)
            free(Self.probe)
        }
        guard seen > 0 else {
            throw .unavailable(
                "--allocations: the malloc interposer is not in this process's malloc path; "
                    + "run bench with LD_PRELOAD=<bin dir>/libMallocInterposerSwift.so")
        }
    }

    func allocations(during body: () -> Void) -> Int {
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        body()
        MallocInterposerSwift.unhook()
        return MallocInterposerSwift.getStatistics().mallocCount
    }
}
