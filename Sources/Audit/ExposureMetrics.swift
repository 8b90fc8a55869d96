#if canImport(Glibc)
internal import Glibc
#endif

/// Position-based exposure of ranked lists (Singh & Joachims 2018) and NDCG with binary gains.
///
/// Ranks are 1-based; an item at rank r receives attention 1 / log2(r + 1), the same discount as DCG.
public enum ExposureMetrics {
    /// The attention an item at 1-based `rank` receives: 1 / log2(rank + 1).
    public static func positionWeight(rank: Int) -> Double {
        precondition(rank >= 1, "Ranks start at 1")
        return 1 / log2(Double(rank + 1))
    }

    /// Total exposure of each item group over many ranked lists: Σ over lists and positions of the position
    /// weight of the item there, added to its group (`groupOf(item)`; `nil` items are skipped).
    public static func groupExposure(lists: [[Int]], groups: Int, groupOf: (Int) -> Int?) -> [Double] {
        var total = [Double](repeating: 0, count: groups)
        for list in lists {
            for (position, item) in list.enumerated() {
                if let g = groupOf(item) { total[g] += positionWeight(rank: position + 1) }
            }
        }
        return total
    }

    /// NDCG@k with binary gains: DCG of the list's relevant items over the DCG of an ideal list
    /// (min(k, |relevant|) relevant items first); `nil` when nothing is relevant.
    public static func ndcg(ranked: some Collection<Int>, relevant: (Int) -> Bool, relevantCount: Int, k: Int)
        -> Double?
    {
        guard relevantCount > 0 else { return nil }
        var dcg = 0.0
        for (position, item) in ranked.prefix(k).enumerated() where relevant(item) {
            dcg += positionWeight(rank: position + 1)
        }
        var ideal = 0.0
        for rank in 1...min(k, relevantCount) { ideal += positionWeight(rank: rank) }
        return dcg / ideal
    }
}
