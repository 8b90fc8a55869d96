public import FileSupport
/// The eigen-decomposition `A = V·diag(λ)·Vᵀ` of a symmetric matrix, computed with LAPACK `syevd`.
///
/// Eigenvalues come in ascending order; column `k` of ``vectors`` belongs to `values[k]`.
public struct SymmetricEigen<Scalar: BLASScalar>: Sendable {
    /// The eigenvalues, ascending.
    public let values: [Scalar]
    /// The orthonormal eigenvectors, one per column.
    public let vectors: Matrix<Scalar>

    /// Decomposes a symmetric matrix; only its lower triangle is read.
    ///
    /// - Throws: ``FairgroundError/noConvergence(count:)`` when the algorithm fails,
    ///   ``FairgroundError/illegalArgument(routine:position:)`` for a NaN in the input.
    /// - Complexity: O(n³).
    public init(_ matrix: Matrix<Scalar>) throws(FairgroundError) {
        precondition(matrix.rows == matrix.columns, "An eigen-decomposition needs a square matrix")
        guard matrix.isFinite else { throw FairgroundError.illegalArgument(routine: "syevd", position: 5) }
        let n = matrix.rows
        var a = matrix
        var w = [Scalar](repeating: 0, count: n)
        var info = 0
        if n > 0 {
            info = a.elements.withUnsafeMutableBufferPointer { ap in
                w.withUnsafeMutableBufferPointer { Scalar._syevd(n: n, a: ap.baseAddress!, lda: n, w: $0.baseAddress!) }
            }
        }
        if info > 0 { throw FairgroundError.noConvergence(count: info) }
        if info < 0 { throw FairgroundError.illegalArgument(routine: "syevd", position: -info) }
        values = w
        vectors = a
    }

    /// Rebuilds `V·diag(f(λ))·Vᵀ`, e.g. to clip negative eigenvalues.
    public func reconstructed(mappingValues transform: (Scalar) -> Scalar) -> Matrix<Scalar> {
        let n = values.count
        var columns = vectors.elements
        for j in 0..<n {
            let s = transform(values[j])
            for i in 0..<n { columns[i * n + j] *= s }
        }
        let scaled = Matrix(rows: n, columns: n, elements: columns)
        var product = scaled.multiplied(by: vectors, transposeOther: true).elements
        // Enforce exact symmetry (gemm rounding differs between the triangles).
        for i in 0..<n {
            for j in 0..<i {
                let v = (product[i * n + j] + product[j * n + i]) / 2
                product[i * n + j] = v
                product[j * n + i] = v
            }
        }
        return Matrix(rows: n, columns: n, elements: product)
    }
}
