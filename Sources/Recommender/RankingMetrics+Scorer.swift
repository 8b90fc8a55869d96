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
        evaluate(scorer, train: train, test: test, k: k, threads: threads, aucSample: aucSample, groups: nil).overall
    }

    /// Evaluates a scorer over all users and, when `groups` are given, over each group's users alone (the same
    /// lists; each group's AUC over its own evenly spaced sample).
    ///
    /// - Returns: The metrics over everyone, and one per level of `groups` (empty without).
    public static func evaluate(
        _ scorer: Scorer, train: CSRMatrix<Float>, test: CSRMatrix<Float>, k: Int, threads: Int = 1,
        aucSample: Int = 1000, groups: UserGroups?
    ) -> (overall: RankingMetrics, groups: [RankingMetrics]) {
        precondition(train.rows == test.rows && train.columns == test.columns, "Train and test shapes differ")
        precondition(groups.map { $0.group.count == test.rows } ?? true, "One group index per row")
        let recommender = TopKRecommender(scorer: scorer, excluding: train)
        let lists = recommender.recommend(users: 0..<test.rows, k: k, threads: threads)
        let overall = metrics(scorer, lists: lists, users: 0..<test.rows, train: train, test: test, k: k,
                              aucSample: aucSample)
        guard let groups else { return (overall, []) }
        let perGroup = groups.levels.indices.map { level in
            metrics(scorer, lists: lists, users: (0..<test.rows).filter { groups.group[$0] == level }, train: train,
                    test: test, k: k, aucSample: aucSample)
        }
        return (overall, perGroup)
    }

    /// The metrics over `users` (those with held-out items) from their top-k lists.
    static func metrics(
        _ scorer: Scorer, lists: [[(item: Int, score: Float)]], users: some Sequence<Int>, train: CSRMatrix<Float>,
        test: CSRMatrix<Float>, k: Int, aucSample: Int
    ) -> RankingMetrics {
        var m = RankingMetrics(k: k, users: 0, precision: 0, recall: 0, ndcg: 0, map: 0, implicitPrecision: 0,
                               auc: 0, aucUsers: 0)
        var pooledHits = 0, pooledDenominator = 0
        var evaluated: [Int] = []
        for u in users {
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
