public import FileSupport
/// The Cholesky factorisation `A = L·Lᵀ` of a symmetric positive-definite matrix, computed with LAPACK `potrf`.
///
/// ```swift
/// let chol = try Cholesky(Matrix<Double>([[4, 2], [2, 3]]))
/// let x = chol.solve([2, 1])     // A⁻¹ b through potrs
/// ```
public struct Cholesky<Scalar: BLASScalar>: Sendable {
    /// The lower-triangular factor `L` (its strictly upper triangle is zero).
    public let factor: Matrix<Scalar>

    /// Factors a symmetric positive-definite matrix; only its lower triangle is read.
    ///
    /// - Throws: ``FairgroundError/notPositiveDefinite(order:)`` when a leading minor is not positive,
    ///   ``FairgroundError/illegalArgument(routine:position:)`` when the matrix holds a NaN.
    /// - Precondition: the matrix is square.
    /// - Complexity: O(n³/3).
    public init(_ matrix: Matrix<Scalar>) throws(FairgroundError) {
        precondition(matrix.rows == matrix.columns, "Cholesky needs a square matrix")
        guard matrix.isFinite else { throw FairgroundError.illegalArgument(routine: "potrf", position: 4) }
        var l = matrix
        let n = matrix.rows
        var info = 0
        if n > 0 {
            info = l.elements.withUnsafeMutableBufferPointer { Scalar._potrf(n: n, a: $0.baseAddress!, lda: n) }
        }
        if info > 0 { throw FairgroundError.notPositiveDefinite(order: info) }
        if info < 0 { throw FairgroundError.illegalArgument(routine: "potrf", position: -info) }
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) { l.elements[i * n + j] = 0 }
        }
        factor = l
    }

    /// The order `n` of the factored matrix.
    public var order: Int { factor.rows }

    /// Solves `A·X = B` for a matrix of right-hand sides (`n × nrhs`).
    ///
    /// - Precondition: `b.rows == order`.
    public func solve(_ b: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(b.rows == order, "Right-hand side has \(b.rows) rows, the factor \(order)")
        var x = b
        guard order > 0, b.columns > 0 else { return x }
        let info = factor.elements.withUnsafeBufferPointer { a in
            x.elements.withUnsafeMutableBufferPointer { xp in
                Scalar._potrs(
                    n: order, nrhs: b.columns, a: a.baseAddress!, lda: order, b: xp.baseAddress!, ldb: b.columns)
            }
        }
        precondition(info == 0, "potrs rejected argument \(-info)")
        return x
    }

    /// Solves `A·x = b` for one right-hand side.
    public func solve(_ b: [Scalar]) -> [Scalar] {
        solve(Matrix(rows: b.count, columns: 1, elements: b)).elements
    }
}
