/// What data-parallel training asks of the processes it runs in: the group's size and this
/// process's rank, and the two collective operations a step and an epoch's end need.
/// `ProcessGroup` is MPI's; tests stand in for it to check the arithmetic in one process.
public protocol Collective: AnyObject {
    var rank: Int { get }
    var size: Int { get }
    /// Replaces `values` by their sum over the group, in place.
    func sum(_ values: UnsafeMutableBufferPointer<Float>)
    /// Rank 0's `value`, on every rank.
    func broadcast(_ value: Double) -> Double
}

extension Collective {
    /// Rank 0 alone holds the run folder and writes.
    public var writesRun: Bool { rank == 0 }
}
