internal import CBLAS

/// Control over OpenBLAS's own worker threads.
///
/// Code that parallelises over many small problems (one solve per user) must run BLAS on one thread inside
/// its parallel region, and results that must not depend on the thread count (a Gram matrix) are computed on
/// one BLAS thread too: OpenBLAS's multi-threaded kernels split sums differently and can change the last bits.
public enum BLASThreads {
    /// The number of threads OpenBLAS currently uses.
    public static var count: Int { Int(openblas_get_num_threads()) }

    /// Runs `body` with OpenBLAS on `threads` threads, then restores the previous count.
    ///
    /// OpenBLAS keeps this setting process-wide; do not nest calls from concurrent tasks.
    public static func with<R>(_ threads: Int, _ body: () throws -> R) rethrows -> R {
        let previous = openblas_get_num_threads()
        openblas_set_num_threads(Int32(max(1, threads)))
        defer { openblas_set_num_threads(previous) }
        return try body()
    }
}
