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
        precondition(count >= 1 && count <= batchWidth, "Batch of 1 to 8 systems")
        return withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: n * n + 2 * n) { buffer -> UInt8 in
            let m = buffer.baseAddress!, x = m + n * n, column = x + n
            // Interleave: lane r holds system r; missing lanes repeat the last system (their results are dropped).
            func system(_ r: Int) -> Int { min(r, count - 1) }
            let a0 = a, a1 = a + system(1) * n * n, a2 = a + system(2) * n * n, a3 = a + system(3) * n * n
            let a4 = a + system(4) * n * n, a5 = a + system(5) * n * n, a6 = a + system(6) * n * n
            let a7 = a + system(7) * n * n
            for i in 0..<n {
                for j in 0...i {
                    let t = i * n + j
                    m[t] = SIMD8(a0[t], a1[t], a2[t], a3[t], a4[t], a5[t], a6[t], a7[t])
                }
                x[i] = SIMD8(b[i], b[system(1) * n + i], b[system(2) * n + i], b[system(3) * n + i],
                             b[system(4) * n + i], b[system(5) * n + i], b[system(6) * n + i], b[system(7) * n + i])
            }
            // Right-looking Cholesky on the lower triangle; column j is copied out so the update reads it
            // contiguously.
            var failed = SIMDMask<SIMD8<Int32>>()
            let tiny = SIMD8<Float>(repeating: .leastNormalMagnitude)
            for j in 0..<n {
                let d = m[j * n + j]
                failed .|= .!(d .> 0)
                let l = pointwiseMax(d, tiny).squareRoot()
                m[j * n + j] = l
                let inverse = 1 / l
                for i in (j + 1)..<n {
                    m[i * n + j] *= inverse
                    column[i] = m[i * n + j]
                }
                for i in (j + 1)..<n {
                    let negative = -column[i]
                    var target = m + (i &* n &+ j &+ 1)
                    var source = column + (j &+ 1)
                    for _ in 0..<(i &- j) {
                        target.pointee = target.pointee.addingProduct(negative, source.pointee)
                        target += 1
                        source += 1
                    }
                }
            }
            // L y = b, then Lᵀ x = y.
            for i in 0..<n {
                var s = x[i]
                let row = m + i * n
                for p in 0..<i { s = s.addingProduct(-row[p], x[p]) }
                x[i] = s / row[i]
            }
            var i = n - 1
            while i >= 0 {
                let v = x[i] / m[i * n + i]
                x[i] = v
                let row = m + i * n
                for p in 0..<i { x[p] = x[p].addingProduct(-row[p], v) }
                i -= 1
            }
            var solved: UInt8 = 0
            for r in 0..<count where !failed[r] {
                solved |= 1 << r
                for i in 0..<n { b[r * n + i] = x[i][r] }
            }
            return solved
        }
    }
}
