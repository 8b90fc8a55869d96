public import FileSupport

/// The numerical failures LAPACK reports, mapped from its `info` code to ``FairgroundError`` values of kind
/// ``FairgroundError/Kind/numerical`` named by the routine.
///
/// Shape mismatches are programming errors and trap; these describe the *numbers*: a matrix that is not positive
/// definite, an iteration that did not converge, a NaN in the input.
extension FairgroundError {
    /// The leading minor of the given order (1-based) is not positive, so the Cholesky factorisation does not exist.
    public static func notPositiveDefinite(order: Int) -> FairgroundError {
        .numerical("potrf", expected: "a positive definite matrix",
                   found: "its leading minor of order \(order) is not positive")
    }

    /// The eigenvalue algorithm failed to converge; `count` off-diagonal elements did not reach zero.
    public static func noConvergence(count: Int) -> FairgroundError {
        .numerical("syevd", expected: "an eigenvalue algorithm that converges",
                   found: "\(count) off-diagonal elements remained")
    }

    /// A routine rejected its argument at the given (1-based) position, or a value was NaN.
    public static func illegalArgument(routine: String, position: Int) -> FairgroundError {
        .numerical(routine, expected: "finite values of the right shape",
                   found: "argument \(position) rejected (a NaN in the input, or an invalid shape)")
    }
}
