/// An error reported by a LAPACK routine, mapped from its `info` code.
///
/// Shape mismatches are programming errors and trap; these errors describe the *numbers*:
/// a matrix that is not positive definite, an iteration that did not converge.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The leading minor of the given order (1-based) is not positive, so the Cholesky factorisation does not exist.
    case notPositiveDefinite(order: Int)
    /// The eigenvalue algorithm failed to converge; `count` off-diagonal elements did not reach zero.
    case noConvergence(count: Int)
    /// A routine rejected its argument at the given (1-based) position, or a value was NaN.
    case illegalArgument(routine: String, position: Int)

    /// A sentence naming what failed.
    public var description: String {
        switch self {
        case .notPositiveDefinite(let order):
            "the matrix is not positive definite (its leading minor of order \(order) is not positive)"
        case .noConvergence(let count):
            "the eigenvalue algorithm did not converge (\(count) off-diagonal elements remained)"
        case .illegalArgument(let routine, let position):
            "\(routine) rejected argument \(position) (a NaN in the input, or an invalid shape)"
        }
    }
}
