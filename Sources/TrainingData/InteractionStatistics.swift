public import Linear

/// The shape of an interaction matrix, in the statistics published for real implicit-feedback datasets, so a
/// generated world can be set beside MovieLens, Last.fm or a retail basket dataset (`datasets/README.md`).
///
/// Popularity is counted in distinct users per item, over the items with at least one interaction (as LensKit's
/// dataset descriptions count it); the Gini coefficient is `Σ (2i − n − 1)·x_(i) / (n·Σx)` over the ascending counts.
public struct InteractionStatistics: Sendable, Equatable, Codable {
    /// Users (rows) and items (columns).
    public var users: Int, items: Int
    /// Items with at least one interaction.
    public var activeItems: Int
    /// Stored user–item pairs.
    public var pairs: Int
    /// Distinct items per user: mean and median.
    public var meanItemsPerUser: Double, medianItemsPerUser: Double
    /// The summed weight per user (for count data, the interactions including repeats).
    public var meanWeightPerUser: Double
    /// The Gini coefficient of item popularity (0: every item equally popular; towards 1: a few items take all).
    public var itemGini: Double
    /// The share of user–item pairs on the most popular 1% of active items (at least one item).
    public var topOnePercentShare: Double

    /// Computes the statistics of `matrix` (weights are summed as their absolute values).
    public init(_ matrix: CSRMatrix<Float>) {
        users = matrix.rows
        items = matrix.columns
        pairs = matrix.nonzeroCount
        var perUser = [Int](repeating: 0, count: users)
        var weight = 0.0
        for u in 0..<users {
            perUser[u] = matrix.rowPointers[u + 1] - matrix.rowPointers[u]
            for p in matrix.rowPointers[u]..<matrix.rowPointers[u + 1] { weight += Double(abs(matrix.values[p])) }
        }
        meanItemsPerUser = users > 0 ? Double(pairs) / Double(users) : 0
        perUser.sort()
        medianItemsPerUser = users == 0 ? 0
            : users % 2 == 1 ? Double(perUser[users / 2]) : Double(perUser[users / 2 - 1] + perUser[users / 2]) / 2
        meanWeightPerUser = users > 0 ? weight / Double(users) : 0
        var popularity = [Int](repeating: 0, count: items)
        for c in matrix.columnIndices { popularity[Int(c)] += 1 }
        let counts = popularity.filter { $0 > 0 }.sorted()
        activeItems = counts.count
        let n = Double(counts.count), total = Double(pairs)
        var weighted = 0.0
        for (i, x) in counts.enumerated() { weighted += (2 * Double(i + 1) - n - 1) * Double(x) }
        itemGini = counts.isEmpty ? 0 : weighted / (n * total)
        let top = max(1, counts.count / 100)
        topOnePercentShare = counts.isEmpty ? 0 : Double(counts.suffix(top).reduce(0, +)) / total
    }
}
