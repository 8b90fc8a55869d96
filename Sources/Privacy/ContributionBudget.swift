import Linear
import Recommender

/// What one user may contribute to the item side of private training: at most ``maxItems`` entries (the budget B),
/// each with its weight capped so that its confidence is at most ``confidenceCap``. With the user's factor row
/// clipped to norm C, this bounds how much adding or removing the user can change the item statistics — the
/// sensitivity the noise is scaled to (``PrivateItemSide``).
struct ContributionBudget: Sendable, Equatable {
    /// B.
    var maxItems: Int
    /// How the B entries are chosen.
    var selection: PrivateTraining.ItemSelection
    /// The largest confidence an entry carries.
    var confidenceCap: Float
    /// The rule that turns weights into confidences.
    var rule: FoldInRule
    /// The noise multiplier of the item counts `tail` selection releases.
    var countNoiseMultiplier: Double

    /// The largest |r| whose confidence is within the cap.
    var largestWeight: Float {
        rule.confidence == .onePlusAlpha ? (confidenceCap - 1) / rule.alpha : confidenceCap / rule.alpha
    }

    /// The entries each user contributes, weights capped: B of them by a seeded hash (`uniform`), or the B whose
    /// items have the smallest privately released counts (`tail`; the counts are of each user's uniform B, with
    /// Gaussian noise of standard deviation `countNoiseMultiplier`·√B).
    func bound(_ matrix: CSRMatrix<Float>, seed: UInt64) -> CSRMatrix<Float> {
        let uniform = select(matrix, seed: seed, counts: nil)
        guard selection == .tail else { return uniform }
        return select(matrix, seed: seed, counts: noisyCounts(uniform, seed: seed))
    }

    /// Each user's B entries: those of the smallest `counts` (ties, and everything when `counts` is `nil`, by a
    /// seeded hash of user and item), weights capped. A user's choice depends on nobody else's data but through
    /// the released counts.
    func select(_ matrix: CSRMatrix<Float>, seed: UInt64, counts: [Float]?) -> CSRMatrix<Float> {
        keep(matrix, seed: seed) { item in counts?[item] }
    }

    /// Item counts over `matrix` with Gaussian noise (sensitivity √B: one user adds 1 to at most B counts).
    func noisyCounts(_ matrix: CSRMatrix<Float>, seed: UInt64) -> [Float] {
        var counts = [Float](repeating: 0, count: matrix.columns)
        for item in matrix.columnIndices { counts[Int(item)] += 1 }
        let noise = GaussianNoise(seed: seed, sweep: 0)
        let scale = Float(countNoiseMultiplier * Double(maxItems).squareRoot())
        counts.withUnsafeMutableBufferPointer { noise.add(scale: scale, row: -2, to: $0.baseAddress!, count: $0.count) }
        return counts
    }

    /// Each user's items (repeated entries of one item summed first) ordered by `key`, then by a seeded hash, and
    /// cut to B; weights capped; kept in item order.
    private func keep(_ matrix: CSRMatrix<Float>, seed: UInt64, key: (Int) -> Float?) -> CSRMatrix<Float> {
        let cap = largestWeight
        var pointers = [0], columns: [Int32] = [], values: [Float] = []
        columns.reserveCapacity(min(matrix.nonzeroCount, matrix.rows * maxItems))
        values.reserveCapacity(columns.capacity)
        let salt = seed ^ UInt64(RandomStream.contributionBudget.rawValue)
        var row: [(item: Int32, weight: Float)] = []
        for u in 0..<matrix.rows {
            row.removeAll(keepingCapacity: true)
            for p in matrix.rowPointers[u]..<matrix.rowPointers[u + 1] {
                row.append((matrix.columnIndices[p], matrix.values[p]))
            }
            row.sort { $0.item < $1.item }
            var merged: [(item: Int32, weight: Float)] = []
            for entry in row {
                if let last = merged.last, last.item == entry.item {
                    merged[merged.count - 1].weight += entry.weight
                } else {
                    merged.append(entry)
                }
            }
            merged.removeAll { $0.weight == 0 }  // a stored 0 is no interaction
            if merged.count > maxItems {
                func hash(_ item: Int32) -> UInt64 { CounterHash.mix(salt ^ CounterHash.mix(UInt64(u) << 32 | UInt64(UInt32(item)))) }
                merged.sort { a, b in
                    if let ka = key(Int(a.item)), let kb = key(Int(b.item)), ka != kb { return ka < kb }
                    return hash(a.item) < hash(b.item)
                }
                merged = Array(merged.prefix(maxItems)).sorted { $0.item < $1.item }
            }
            for (item, r) in merged {
                columns.append(item)
                values.append(abs(r) > cap ? (r > 0 ? cap : -cap) : r)
            }
            pointers.append(columns.count)
        }
        return CSRMatrix(rows: matrix.rows, columns: matrix.columns, rowPointers: pointers, columnIndices: columns,
                         values: values)
    }
}
