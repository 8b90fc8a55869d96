public import Linear

/// A deterministic per-user holdout: each user's interactions ordered by a hash of (seed, user, item), the first
/// `round(fraction × n)` held out for testing — always leaving at least one in training, so users with a single
/// interaction stay whole.
public enum HoldoutSplit {
    /// Splits a users × items matrix into training and test matrices of the same shape.
    ///
    /// - Precondition: `0 < fraction < 1`.
    public static func split(_ matrix: CSRMatrix<Float>, fraction: Double, seed: UInt64)
        -> (train: CSRMatrix<Float>, test: CSRMatrix<Float>)
    {
        precondition(fraction > 0 && fraction < 1, "The holdout fraction must be in (0, 1)")
        var train: [(row: Int, column: Int, value: Float)] = [], test: [(row: Int, column: Int, value: Float)] = []
        train.reserveCapacity(matrix.nonzeroCount)
        let key = CounterHash.mix(seed ^ UInt64(RandomStream.holdoutSplit.rawValue))
        for u in 0..<matrix.rows {
            let range = matrix.rowPointers[u]..<matrix.rowPointers[u + 1]
            let held = min(Int((fraction * Double(range.count)).rounded()), range.count - 1)
            let order = range.sorted {
                let a = CounterHash.mix(key ^ CounterHash.mix(UInt64(u) << 32 | UInt64(matrix.columnIndices[$0])))
                let b = CounterHash.mix(key ^ CounterHash.mix(UInt64(u) << 32 | UInt64(matrix.columnIndices[$1])))
                return a != b ? a < b : $0 < $1
            }
            for (n, p) in order.enumerated() {
                let entry = (u, Int(matrix.columnIndices[p]), matrix.values[p])
                if n < held { test.append(entry) } else { train.append(entry) }
            }
        }
        return (CSRMatrix(rows: matrix.rows, columns: matrix.columns, triplets: train),
                CSRMatrix(rows: matrix.rows, columns: matrix.columns, triplets: test))
    }
}
