extension Matrix {
    /// The product `op(self) · op(other)` computed with BLAS `gemm`.
    ///
    /// - Parameters:
    ///   - other: The right-hand factor.
    ///   - transposeSelf: Multiply by `selfᵀ` instead of `self`.
    ///   - transposeOther: Multiply by `otherᵀ` instead of `other`.
    ///   - alpha: A scale applied to the product.
    /// - Returns: A `m × n` matrix where `m` is the row count of `op(self)` and `n` the column count of `op(other)`.
    /// - Precondition: the inner dimensions agree.
    /// - Complexity: O(m·n·k) floating-point operations, done by OpenBLAS.
    public func multiplied(
        by other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false, alpha: Scalar = 1
    ) -> Matrix {
        let m = transposeSelf ? columns : rows
        let k = transposeSelf ? rows : columns
        let k2 = transposeOther ? other.columns : other.rows
        let n = transposeOther ? other.rows : other.columns
        precondition(k == k2, "gemm: inner dimensions \(k) and \(k2) differ")
        var c = Matrix(rows: m, columns: n)
        guard m > 0, n > 0 else { return c }
        if k == 0 { return c }
        elements.withUnsafeBufferPointer { a in
            other.elements.withUnsafeBufferPointer { b in
                c.elements.withUnsafeMutableBufferPointer { cp in
                    Scalar._gemm(
                        transA: transposeSelf, transB: transposeOther, m: m, n: n, k: k, alpha: alpha,
                        a: a.baseAddress!, lda: max(1, columns), b: b.baseAddress!, ldb: max(1, other.columns),
                        beta: 0, c: cp.baseAddress!, ldc: max(1, n))
                }
            }
        }
        return c
    }

    /// The Gram matrix `selfᵀ · self` (columns × columns), computed with BLAS `syrk` and symmetrised.
    ///
    /// - Complexity: O(rows · columns²) floating-point operations, done by OpenBLAS.
    public func gram() -> Matrix {
        let n = columns
        var c = Matrix(rows: n, columns: n)
        guard n > 0, rows > 0 else { return c }
        elements.withUnsafeBufferPointer { a in
            c.elements.withUnsafeMutableBufferPointer { cp in
                Scalar._syrk(
                    trans: true, n: n, k: rows, alpha: 1, a: a.baseAddress!, lda: n,
                    beta: 0, c: cp.baseAddress!, ldc: n)
            }
        }
        c.fillUpperFromLower()
        return c
    }

    /// Copies the strictly lower triangle onto the upper one.
    mutating func fillUpperFromLower() {
        precondition(rows == columns, "Only a square matrix has triangles")
        for i in 0..<rows {
            for j in 0..<i { elements[j * columns + i] = elements[i * columns + j] }
        }
    }
}
