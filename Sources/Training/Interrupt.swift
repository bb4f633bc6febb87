import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM (Ctrl-C, Slurm's time limit) only raise a flag; the training loop checks
/// it after each step, saves a checkpoint, and exits with 128 + the signal.
public enum Interrupt {
    private static let received = Atomic<Int32>(0)

    public static func install() {
        // Touch the flag first: a lazily created static must not be created inside a handler.
        _ = received.load(ordering: .relaxed)
        var set = sigset_t()
        sigemptyset(&set)
        for s in [SIGINT, SIGTERM] {
            Glibc.signal(s) { number in Interrupt.received.store(number, ordering: .relaxed) }
            sigaddset(&set, s)
        }
        // A parent may have started us with these blocked (threads of a thread pool usually
        // block signals, and children inherit the mask); a blocked SIGTERM would never stop us.
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The signal received, if any.
    public static var signal: Int32? {
        let s = received.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }
}
