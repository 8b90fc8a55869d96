internal import CBLAS

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
