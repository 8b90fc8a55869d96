internal import CKernels

/// Dot products of every row of one row-major matrix with every row of another: the scores of a block of users
/// for a range of items.
///
/// Unlike `sgemm`, whose kernels may round a product differently at the ragged edge of a tile, every score is the
/// same chain of multiply-adds over the factors in order, whatever its row's position, the block's size or the
/// thread: a user's score for an item is the same in every block, list, shard and twin batch it is computed in.
/// Panels of 16 items are packed once and scored against six users at a time, in the form
/// ``KernelPath/active`` names.
public enum ScoreKernel {
    /// Writes `out[r·ldc + i] = Σ_f x[r·k + f]·y[i·k + f]` for `r < m`, `i < n`.
    ///
    /// - Parameters:
    ///   - x: `m × k` row-major (the users).
    ///   - y: `n × k` row-major (the items).
    ///   - out: `m` rows of `ldc ≥ n` floats.
    public static func scores(
        _ x: UnsafePointer<Float>, rows m: Int, _ y: UnsafePointer<Float>, items n: Int, k: Int,
        into out: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        scores(x, rows: m, y, items: n, k: k, into: out, ldc: ldc, path: .active)
    }

    /// ``scores(_:rows:_:items:k:into:ldc:)`` in the given form.
    static func scores(
        _ x: UnsafePointer<Float>, rows m: Int, _ y: UnsafePointer<Float>, items n: Int, k: Int,
        into out: UnsafeMutablePointer<Float>, ldc: Int, path: KernelPath
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0 && ldc >= n, "Score block shape")
        guard m > 0, n > 0 else { return }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16 * max(k, 1)) { pack in
            fairground_scores(path.selector, x, m, y, n, k, out, ldc, pack.baseAddress!)
        }
    }

    /// The score of one row of `x` for one row of `y`: the same multiply-add chain as every score of
    /// ``scores(_:rows:_:items:k:into:ldc:)``, so a single score equals its entry in any block.
    public static func score(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, k: Int) -> Float {
        score(x, y, k: k, path: .active)
    }

    /// ``score(_:_:k:)`` in the given form.
    static func score(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, k: Int, path: KernelPath) -> Float {
        fairground_score1(path.selector, x, y, k)
    }
}
