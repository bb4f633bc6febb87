import Foundation

/// Open MPI's C interface, loaded at run time (`dlopen`) so that the bench neither links nor
/// initialises MPI unless `mpirun` started it. Open MPI's handles are the addresses of its
/// predefined objects (`MPI_COMM_WORLD` is `&ompi_mpi_comm_world`), looked up like its functions;
/// `MPI_IN_PLACE` is the address 1. Other MPI implementations have another ABI and are refused.
struct MPILibrary {
    typealias Handle = UnsafeMutableRawPointer
    typealias Initialize = @convention(c) (UnsafeMutablePointer<Int32>?, UnsafeMutableRawPointer?) -> Int32
    typealias CommunicatorQuery = @convention(c) (Handle, UnsafeMutablePointer<Int32>) -> Int32
    typealias Allreduce =
        @convention(c) (
            UnsafeRawPointer?, UnsafeMutableRawPointer, Int32, Handle, Handle, Handle
        ) -> Int32
    typealias Broadcast = @convention(c) (UnsafeMutableRawPointer, Int32, Handle, Int32, Handle) -> Int32
    typealias Finalize = @convention(c) () -> Int32

    /// The sonames Debian's `libopenmpi3` installs, newest first.
    static let names = ["libmpi.so.40", "libmpi.so"]

    let initialize: Initialize
    let rank: CommunicatorQuery
    let size: CommunicatorQuery
    let allreduce: Allreduce
    let broadcast: Broadcast
    let finalize: Finalize
    let world: Handle
    let float: Handle
    let double: Handle
    let sum: Handle
    /// `MPI_IN_PLACE`.
    static var inPlace: UnsafeRawPointer? { UnsafeRawPointer(bitPattern: 1) }

    /// Loads the library; its plug-ins need its symbols global (`RTLD_GLOBAL`).
    init() throws(BenchError) {
        var reasons: [String] = []
        var handle: UnsafeMutableRawPointer?
        for name in Self.names where handle == nil {
            handle = dlopen(name, RTLD_NOW | RTLD_GLOBAL)
            if handle == nil { reasons.append(String(cString: dlerror())) }
        }
        guard let handle else {
            throw .unavailable(
                "mpirun started this process, but Open MPI's library does not load ("
                    + reasons.joined(separator: "; ") + "); install openmpi-bin and libopenmpi-dev")
        }
        func symbol(_ name: String) throws(BenchError) -> UnsafeMutableRawPointer {
            guard let address = dlsym(handle, name) else {
                throw .unavailable("\(name) is not in the MPI library mpirun gave: only Open MPI is supported")
            }
            return address
        }
        initialize = unsafeBitCast(try symbol("MPI_Init"), to: Initialize.self)
        rank = unsafeBitCast(try symbol("MPI_Comm_rank"), to: CommunicatorQuery.self)
        size = unsafeBitCast(try symbol("MPI_Comm_size"), to: CommunicatorQuery.self)
        allreduce = unsafeBitCast(try symbol("MPI_Allreduce"), to: Allreduce.self)
        broadcast = unsafeBitCast(try symbol("MPI_Bcast"), to: Broadcast.self)
        finalize = unsafeBitCast(try symbol("MPI_Finalize"), to: Finalize.self)
        world = try symbol("ompi_mpi_comm_world")
        float = try symbol("ompi_mpi_float")
        double = try symbol("ompi_mpi_double")
        sum = try symbol("ompi_mpi_op_sum")
    }
}
