#if canImport(Glibc)
internal import Glibc
#endif
import Linear

/// Ranking quality of a scorer on held-out interactions, in the textbook definitions, plus the pooled precision
/// of the `implicit` library for like-with-like comparisons.
///
/// Over the users with at least one test item, with the top-k list excluding training items and binary gain:
/// precision@k = hits/k; recall@k = hits/|T|; NDCG@k = DCG/IDCG with discount 1/log2(rank + 1);
/// MAP@k = (1/min(k, |T|)) Σ_{j≤k} P@j·rel_j; AUC = P(a test item outscores an item the user never touched),
/// ties counting half. implicit's "precision@k" pools hits over users and divides by Σ min(k, |T|).
public struct RankingMetrics: Sendable, Codable, Equatable {
    /// The cut-off.
    public var k: Int
    /// Users evaluated (with at least one test item).
    public var users: Int
    /// Mean precision@k.
    public var precision: Double
    /// Mean recall@k.
    public var recall: Double
    /// Mean NDCG@k.
    public var ndcg: Double
    /// Mean average precision@k.
    public var map: Double
    /// Σ hits / Σ min(k, |T|), the `implicit` library's precision_at_k.
    public var implicitPrecision: Double
    /// Mean AUC over ``aucUsers`` users.
    public var auc: Double
    /// Users in the AUC average (an evenly spaced, deterministic sample when there are many: AUC scores every
    /// item of every sampled user).
    public var aucUsers: Int

    /// Metrics from their values.
    public init(k: Int, users: Int, precision: Double, recall: Double, ndcg: Double, map: Double,
                implicitPrecision: Double, auc: Double, aucUsers: Int) {
        self.k = k
        self.users = users
        self.precision = precision
        self.recall = recall
        self.ndcg = ndcg
        self.map = map
        self.implicitPrecision = implicitPrecision
        self.auc = auc
        self.aucUsers = aucUsers
    }

    /// NDCG@k of one ranked list with binary relevance.
    public static func ndcg(ranked: [Int], relevant: Set<Int>, k: Int) -> Double {
        var dcg = 0.0, ideal = 0.0
        for (j, item) in ranked.prefix(k).enumerated() where relevant.contains(item) { dcg += 1 / log2(Double(j + 2)) }
        for j in 0..<min(k, relevant.count) { ideal += 1 / log2(Double(j + 2)) }
        return ideal > 0 ? dcg / ideal : 0
    }

    /// Average precision@k of one ranked list.
    public static func averagePrecision(ranked: [Int], relevant: Set<Int>, k: Int) -> Double {
        var hits = 0, sum = 0.0
        for (j, item) in ranked.prefix(k).enumerated() where relevant.contains(item) {
            hits += 1
            sum += Double(hits) / Double(j + 1)
        }
        return relevant.isEmpty ? 0 : sum / Double(min(k, relevant.count))
    }

    /// AUC of one user: test items against items in neither train nor test.
    package static func auc(
        scores: [Float], train: CSRMatrix<Float>, test: CSRMatrix<Float>, user u: Int, excluded: inout [Bool]
    ) -> Double {
        let touched = train.columnIndices[train.rowPointers[u]..<train.rowPointers[u + 1]].map(Int.init)
        let positives = test.columnIndices[test.rowPointers[u]..<test.rowPointers[u + 1]].map(Int.init)
        for i in touched { excluded[i] = true }
        for i in positives { excluded[i] = true }
        defer {
            for i in touched { excluded[i] = false }
            for i in positives { excluded[i] = false }
        }
        let negatives = scores.count - Set(touched + positives).count
        guard negatives > 0 else { return 1 }
        var wins = 0.0
        for t in positives {
            let s = scores[t]
            var below = 0, tied = 0
            for i in 0..<scores.count where !excluded[i] {
                if scores[i] < s { below += 1 } else if scores[i] == s { tied += 1 }
            }
            wins += Double(below) + 0.5 * Double(tied)
        }
        return wins / (Double(positives.count) * Double(negatives))
    }
}
