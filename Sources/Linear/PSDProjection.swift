/// The nearest positive semi-definite matrix (in Frobenius norm) to a symmetric one: its negative eigenvalues set
/// to zero, A − Σ_{λ<0} λ·v vᵀ. Only the negative eigenpairs are computed (LAPACK `syevr` over (−∞, 0]), so a
/// matrix with few of them costs little more than its tridiagonal reduction — about four Cholesky factorisations,
/// against some twenty for a full eigen-decomposition.
public enum PSDProjection {
    /// Projects the symmetric row-major `n × n` matrix at `a` in place (both triangles written; the lower one is
    /// read).
    ///
    /// - Returns: `false` when LAPACK fails (a NaN in the input, or no convergence); `a` is then unchanged.
    public static func project(_ a: UnsafeMutablePointer<Float>, n: Int) -> Bool {
        guard n > 0 else { return true }
        var work = [Float](repeating: 0, count: n * n)
        var values = [Float](repeating: 0, count: n), vectors = [Float](repeating: 0, count: n * n)
        var support = [Int32](repeating: 0, count: 2 * n)
        var found: Int32 = 0
        let info = work.withUnsafeMutableBufferPointer { w in
            w.baseAddress!.update(from: a, count: n * n)
            return values.withUnsafeMutableBufferPointer { v in
                vectors.withUnsafeMutableBufferPointer { z in
                    support.withUnsafeMutableBufferPointer { s in
                        Float._syevr(n: n, a: w.baseAddress!, lda: n, low: -.greatestFiniteMagnitude, high: 0,
                                     found: &found, w: v.baseAddress!, z: z.baseAddress!, ldz: n, support: s.baseAddress!)
                    }
                }
            }
        }
        guard info == 0 else { return false }
        for j in 0..<Int(found) {
            let lambda = values[j]
            for r in 0..<n {
                let scaled = lambda * vectors[r * n + j]
                for c in 0...r { a[r * n + c] -= scaled * vectors[c * n + j] }
            }
        }
        for r in 0..<n { for c in 0..<r { a[c * n + r] = a[r * n + c] } }
        return true
    }
}
