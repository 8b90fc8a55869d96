import Linear

/// Something that scores every item for a block of users: a factor model (through ``ScoreKernel``, so a score is
/// the same in every block) or a baseline.
public enum Scorer: Sendable {
    /// Dot products of user and item factors.
    case model(FactorModel)
    /// The same score for every user: an item's popularity (its training interaction count).
    case popularity([Float])

    /// The popularity baseline of a training matrix: each item scored by how many users interacted with it.
    public static func popularity(of train: CSRMatrix<Float>) -> Scorer {
        var counts = [Float](repeating: 0, count: train.columns)
        for c in train.columnIndices { counts[Int(c)] += 1 }
        return .popularity(counts)
    }

    /// The number of items scored.
    public var items: Int {
        switch self {
        case .model(let m): m.items
        case .popularity(let counts): counts.count
        }
    }

    /// Writes the scores of `users` (row-major, `users.count × items`) into `out`.
    func scores(users: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        switch self {
        case .model(let m):
            let k = m.factors
            m.userFactors.elements.withUnsafeBufferPointer { x in
                m.itemFactors.elements.withUnsafeBufferPointer { y in
                    ScoreKernel.scores(x.baseAddress! + users.lowerBound * k, rows: users.count, y.baseAddress!,
                                       items: m.items, k: k, into: out, ldc: m.items)
                }
            }
        case .popularity(let counts):
            counts.withUnsafeBufferPointer { c in
                for r in 0..<users.count { (out + r * counts.count).update(from: c.baseAddress!, count: counts.count) }
            }
        }
    }
}
