internal import CBLAS
internal import CKernels

/// In-place Cholesky factorisation and solve of small symmetric positive-definite systems on raw buffers,
/// for hot loops that solve one system per row (implicit ALS, fold-in).
///
/// The matrix is `n × n`, row-major, and only its lower triangle (`a[i * n + j]`, `j ≤ i`) is read — which is
/// the upper triangle of the column-major matrix LAPACK sees, so no transposition copy is made. It calls the
/// `_work` LAPACKE variants, which skip LAPACKE's NaN scan; callers keep their inputs finite.
public enum SPDKernel {
    /// Factors `a` in place and overwrites `b` (length n) with the solution of `A·x = b`.
    ///
    /// - Returns: `false` when the matrix is not positive definite (then `b` is unchanged).
    @inlinable
    public static func solve(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, n: Int) -> Bool {
        _solve(a, b, n: n)
    }

    @usableFromInline
    static func _solve(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, n: Int) -> Bool {
        let upper = Int8(UInt8(ascii: "U"))
        BLASThreads.configure()
        guard LAPACKE_spotrf_work(LAPACK_COL_MAJOR, upper, Int32(n), a, Int32(n)) == 0 else { return false }
        return LAPACKE_spotrs_work(LAPACK_COL_MAJOR, upper, Int32(n), 1, a, Int32(n), b, Int32(n)) == 0
    }

    /// `C += alpha · Aᵀ·A` on the lower triangle of row-major `C` (`k × k`), for row-major `A` (`rows × k`).
    @inlinable
    public static func addGram(
        _ a: UnsafePointer<Float>, rows: Int, k: Int, alpha: Float, into c: UnsafeMutablePointer<Float>
    ) {
        Float._syrk(trans: true, n: k, k: rows, alpha: alpha, a: a, lda: k, beta: 1, c: c, ldc: k)
    }
}

extension SPDKernel {
    /// The most systems ``solveBatch(_:_:n:count:)`` takes at once: one per SIMD lane.
    public static let batchWidth = 8

    /// Solves up to eight SPD systems `Aᵢ xᵢ = bᵢ` at once, one per SIMD lane: the same right-looking Cholesky
    /// factorisation and substitutions as scalar code, every operation eight lanes wide, so no horizontal
    /// operation is needed (about twice as fast per system as `spotrf` + `spotrs` for n = 64). Each lane's result
    /// depends only on its own system, never on the others in the batch.
    ///
    /// - Parameters:
    ///   - a: `count` row-major `n × n` matrices one after another; only the lower triangles are read.
    ///   - b: `count` right-hand sides of length `n`, overwritten by the solutions.
    /// - Returns: A bit per system, set when it was positive definite and solved (the others' `b` is unchanged).
    /// - Precondition: `1 ≤ count ≤ 8`.
    public static func solveBatch(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, n: Int,
                                  count: Int) -> UInt8 {
        solveBatch(a, b, n: n, count: count, path: .active)
    }

    /// ``solveBatch(_:_:n:count:)`` in the given form.
    static func solveBatch(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, n: Int,
                           count: Int, path: KernelPath) -> UInt8 {
        precondition(count >= 1 && count <= batchWidth, "Batch of 1 to 8 systems")
        let bytes = (n * n + 2 * n) * batchWidth * MemoryLayout<Float>.stride
        return withUnsafeTemporaryAllocation(byteCount: bytes, alignment: 32) { buffer -> UInt8 in
            let work = buffer.baseAddress!.assumingMemoryBound(to: Float.self)
            return fairground_spd_solve_batch(path.selector, a, b, n, count, work)
        }
    }
}
