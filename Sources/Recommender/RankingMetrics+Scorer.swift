public import Linear
public import TrainingData

extension RankingMetrics {
    /// Evaluates a scorer.
    ///
    /// - Parameters:
    ///   - scorer: A model or a baseline.
    ///   - train: Interactions excluded from the lists (and from AUC's negatives).
    ///   - test: Held-out interactions, same shape.
    ///   - k: The cut-off.
    ///   - aucSample: The most users AUC is averaged over.
    public static func evaluate(
        _ scorer: Scorer, train: CSRMatrix<Float>, test: CSRMatrix<Float>, k: Int, threads: Int = 1,
        aucSample: Int = 1000
    ) -> RankingMetrics {
        precondition(train.rows == test.rows && train.columns == test.columns, "Train and test shapes differ")
        let recommender = TopKRecommender(scorer: scorer, excluding: train)
        let lists = recommender.recommend(users: 0..<test.rows, k: k, threads: threads)
        var m = RankingMetrics(k: k, users: 0, precision: 0, recall: 0, ndcg: 0, map: 0, implicitPrecision: 0,
                               auc: 0, aucUsers: 0)
        var pooledHits = 0, pooledDenominator = 0
        var evaluated: [Int] = []
        for u in 0..<test.rows {
            let relevant = Set(test.columnIndices[test.rowPointers[u]..<test.rowPointers[u + 1]].map(Int.init))
            guard !relevant.isEmpty else { continue }
            evaluated.append(u)
            let ranked = lists[u].map(\.item)
            let hits = ranked.filter { relevant.contains($0) }.count
            m.precision += Double(hits) / Double(k)
            m.recall += Double(hits) / Double(relevant.count)
            m.ndcg += ndcg(ranked: ranked, relevant: relevant, k: k)
            m.map += averagePrecision(ranked: ranked, relevant: relevant, k: k)
            pooledHits += hits
            pooledDenominator += min(k, relevant.count)
        }
        m.users = evaluated.count
        if m.users > 0 {
            let n = Double(m.users)
            m.precision /= n
            m.recall /= n
            m.ndcg /= n
            m.map /= n
            m.implicitPrecision = Double(pooledHits) / Double(pooledDenominator)
        }
        let step = max(1, (evaluated.count + aucSample - 1) / max(aucSample, 1))
        let sample = stride(from: 0, to: evaluated.count, by: step).map { evaluated[$0] }
        m.aucUsers = sample.count
        if !sample.isEmpty {
            var scores = [Float](repeating: 0, count: scorer.items)
            var excluded = [Bool](repeating: false, count: scorer.items)
            var total = 0.0
            for u in sample {
                scores.withUnsafeMutableBufferPointer { scorer.scores(users: u..<(u + 1), into: $0.baseAddress!) }
                total += auc(scores: scores, train: train, test: test, user: u, excluded: &excluded)
            }
            m.auc = total / Double(sample.count)
        }
        return m
    }
}
