internal import CBLAS

/// OpenBLAS's own worker threads, set in one place by one rule: **OpenBLAS always runs on one thread.**
///
/// Fairground parallelises over many small problems itself (one solve per user, one block of scores per worker),
/// and its results must not depend on the thread count — OpenBLAS's multi-threaded kernels split sums
/// differently and change the last bits. OpenBLAS keeps its thread count process-wide, so saving and restoring it
/// around calls would interleave between concurrent callers; instead every BLAS and LAPACK wrapper of this module
/// calls ``configure()`` first, which sets one thread once per process (thread-safe, idempotent) and never
/// changes it again.
public enum BLASThreads {
    /// The number of threads OpenBLAS currently uses.
    public static var count: Int { Int(openblas_get_num_threads()) }

    /// Applies the rule (one OpenBLAS thread) the first time it is called in the process; later calls cost an
    /// atomic load.
    public static func configure() { _ = applied }

    /// Swift initialises a static constant exactly once, under a lock: the only write of the setting.
    private static let applied: Bool = {
        openblas_set_num_threads(1)
        return true
    }()
}
