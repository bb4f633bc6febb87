import Foundation

/// The processes that `mpirun` started for one data-parallel run: each trains on its share of
/// every batch, and they sum what they computed through MPI. Rank 0 writes the run folder.
public final class ProcessGroup: Collective {
    public let rank: Int
    public let size: Int
    private let mpi: MPILibrary

    /// The group `mpirun` started this process in (its environment names the world's size), or
    /// nil for a process started otherwise, which loads no MPI at all.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(BenchError) -> ProcessGroup? {
        guard environment["OMPI_COMM_WORLD_SIZE"] != nil else { return nil }
        return try ProcessGroup(mpi: MPILibrary())
    }

    private init(mpi: MPILibrary) throws(BenchError) {
        self.mpi = mpi
        try Self.check(mpi.initialize(nil, nil), "MPI_Init")
        var rank: Int32 = 0, size: Int32 = 0
        try Self.check(mpi.rank(mpi.world, &rank), "MPI_Comm_rank")
        try Self.check(mpi.size(mpi.world, &size), "MPI_Comm_size")
        self.rank = Int(rank)
        self.size = Int(size)
    }

    /// Ends MPI; every process of the group calls it before it exits normally.
    public func finish() { _ = mpi.finalize() }

    /// One `MPI_Allreduce`, in place.
    public func sum(_ values: UnsafeMutableBufferPointer<Float>) {
        let status = mpi.allreduce(
            MPILibrary.inPlace, values.baseAddress!, Int32(values.count), mpi.float, mpi.sum, mpi.world)
        precondition(status == 0, "MPI_Allreduce failed with \(status)")
    }

    public func broadcast(_ value: Double) -> Double {
        var value = value
        let status = mpi.broadcast(&value, 1, mpi.double, 0, mpi.world)
        precondition(status == 0, "MPI_Bcast failed with \(status)")
        return value
    }

    private static func check(_ status: Int32, _ call: String) throws(BenchError) {
        guard status == 0 else { throw .unavailable("\(call) failed with MPI error \(status)") }
    }
}
