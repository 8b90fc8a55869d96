import TestSupport
import Testing
import Linear
@testable import Recommender
import TrainingData

@Suite struct RankingMetricsTests {
    /// REFERENCE.md §1 Ex. 3: top-3 lists and relevant sets, binary gain, discount 1/log2(rank + 1).
    @Test func ndcgMatchesTheReferenceFixture() {
        let lists = [[0, 3, 4], [1, 2, 5], [0, 1, 3], [0, 2, 4]]
        let relevant: [Set<Int>] = [[0, 3], [1], [0, 5], [2]]
        let expected = [1.0, 1.0, 0.613147, 0.630930]
        for u in 0..<4 {
            #expect(abs(RankingMetrics.ndcg(ranked: lists[u], relevant: relevant[u], k: 3) - expected[u]) < 1e-6)
        }
        let women = (RankingMetrics.ndcg(ranked: lists[0], relevant: relevant[0], k: 3)
            + RankingMetrics.ndcg(ranked: lists[1], relevant: relevant[1], k: 3)) / 2
        let men = (RankingMetrics.ndcg(ranked: lists[2], relevant: relevant[2], k: 3)
            + RankingMetrics.ndcg(ranked: lists[3], relevant: relevant[3], k: 3)) / 2
        #expect(abs(women - 1.0) < 1e-9 && abs(men - 0.622038) < 1e-6)
    }

    @Test func averagePrecisionKnownAnswer() {
        // Hits at ranks 1 and 3 of 3, two relevant: (1/1 + 2/3) / 2.
        #expect(abs(RankingMetrics.averagePrecision(ranked: [7, 8, 9], relevant: [7, 9], k: 3) - (1 + 2.0 / 3) / 2) < 1e-12)
    }

    @Test func evaluationOfAKnownScorer() {
        // Popularity over 4 items: item 3 most popular, then 2, 1, 0.
        let train = CSRMatrix<Float>(rows: 3, columns: 4, triplets: [
            (0, 3, 1), (1, 3, 1), (2, 3, 1), (0, 2, 1), (1, 2, 1), (2, 1, 1),
        ])
        let test = CSRMatrix<Float>(rows: 3, columns: 4, triplets: [(0, 1, 1), (1, 0, 1), (2, 2, 1)])
        let m = RankingMetrics.evaluate(.popularity(of: train), train: train, test: test, k: 1)
        // Lists after excluding training items: u0 → [1], u1 → [1], u2 → [2]; hits for u0 and u2.
        #expect(m.users == 3 && abs(m.precision - 2.0 / 3) < 1e-12 && abs(m.implicitPrecision - 2.0 / 3) < 1e-12)
        // AUC: u0 positive 1 vs negative 0 (1 > 0 wins); u1 positive 0 vs negative 1 (loses); u2 2 vs 0 (wins).
        #expect(abs(m.auc - 2.0 / 3) < 1e-12 && m.aucUsers == 3)
    }

    @Test func topKOrdersAndBreaksTiesByIndex() {
        let scores: [Float] = [0.5, 2, -.infinity, 2, 1, .nan]
        let top = scores.withUnsafeBufferPointer { TopK.select($0, k: 4) }
        #expect(top == [1, 3, 4, 0])
    }

    @Test("TopK's blocked scan equals a full sort, with ties, NaN and −∞", arguments: [1, 5, 10, 50, 999, 1500])
    func topKMatchesSorting(k: Int) {
        var rng = TestLCG(seed: 0x9E37_79B9_7F4A_7C15 &* UInt64(k))
        var scores: [Float] = (0..<1000).map { _ in Float(rng.next() >> 58) }  // 64 distinct values: many ties
        for i in stride(from: 7, to: 1000, by: 97) { scores[i] = .nan }
        for i in stride(from: 11, to: 1000, by: 89) { scores[i] = -.infinity }
        let reference = scores.indices.filter { scores[$0] > -.infinity }
            .sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }.prefix(k).map { Int32($0) }
        #expect(scores.withUnsafeBufferPointer { TopK.select($0, k: k) } == reference)
    }

    @Test func splitIsDeterministicAndKeepsATrainingItem() {
        let matrix = plantedMatrix(users: 50, items: 40)
        let (train, test) = HoldoutSplit.split(matrix, fraction: 0.2, seed: 3)
        let again = HoldoutSplit.split(matrix, fraction: 0.2, seed: 3)
        #expect(train == again.train && test == again.test)
        #expect(train.nonzeroCount + test.nonzeroCount == matrix.nonzeroCount)
        for u in 0..<matrix.rows {
            let n = matrix.rowPointers[u + 1] - matrix.rowPointers[u]
            let held = test.rowPointers[u + 1] - test.rowPointers[u]
            #expect(held == min(Int((0.2 * Double(n)).rounded()), n - 1))
        }
        #expect(HoldoutSplit.split(matrix, fraction: 0.2, seed: 4).test != test)
    }
}

@Suite struct SimilarItemsTests {
    @Test func similarItemsComeFromTheSameBlock() throws {
        let matrix = plantedMatrix()
        let model = try ImplicitALS(configuration: configuration(.cholesky)).train(InteractionData(matrix: matrix)).model
        // Items 19, 34 and 49 have exactly item 4's users in the planted matrix (same residue mod 15).
        let similar = model.similarItems(to: 4, k: 5)
        #expect(similar.count == 5 && !similar.contains { $0.item == 4 })
        #expect(Set(similar.prefix(3).map(\.item)) == [19, 34, 49], "\(similar)")
        #expect(zip(similar, similar.dropFirst()).allSatisfy { $0.similarity >= $1.similarity })
        // And on average an item's own block is more similar than the others.
        let all = model.similarItems(to: 4, k: 59)
        let own = all.filter { $0.item % 3 == 1 }.map(\.similarity), other = all.filter { $0.item % 3 != 1 }.map(\.similarity)
        let ownMean: Float = own.reduce(0, +) / Float(own.count)
        let otherMean: Float = other.reduce(0, +) / Float(other.count)
        #expect(ownMean > otherMean)
    }
}

@Suite struct FoldInTests {
    @Test func foldInOfATrainingUserReproducesAnExactUserSweep() throws {
        let matrix = plantedMatrix()
        let model = try ImplicitALS(configuration: configuration(.cholesky, iterations: 60)).train(InteractionData(matrix: matrix)).model
        let folded = model.foldIn(matrix, threads: 2).factors
        // Near convergence the trained user factors solve (almost) the system the fold-in solves: their scores agree.
        let refolded = FactorModel(userFactors: folded, itemFactors: model.itemFactors,
                                   configuration: model.configuration, iterationsRun: model.iterationsRun)
        var worst: Float = 0
        for u in 0..<matrix.rows {
            for i in 0..<matrix.columns { worst = max(worst, abs(refolded.score(user: u, item: i) - model.score(user: u, item: i))) }
        }
        #expect(worst < 0.01, "largest score difference \(worst)")
        // And fold-in equals one exact user half-sweep against the final items, to the bit.
        var sweep = model.userFactors
        RowSolver(rule: model.configuration.foldInRule, solver: model.configuration.solver, threads: 1).solve(rows: matrix, fixed: model.itemFactors, into: &sweep)
        #expect(sweep == folded)
    }

    @Test func explanationsSumToTheScore() throws {
        let matrix = plantedMatrix()
        let model = try ImplicitALS(configuration: configuration(.conjugateGradient(steps: 3))).train(InteractionData(matrix: matrix)).model
        let history = (matrix.rowPointers[5]..<matrix.rowPointers[6]).map {
            (item: Int(matrix.columnIndices[$0]), weight: matrix.values[$0])
        }
        for item in [0, 2, 5, 59] {
            let e = model.explain(item: item, history: history)
            let sum = e.contributions.reduce(Float(0)) { $0 + $1.contribution }
            #expect(abs(sum - e.score) < 1e-4 * max(1, abs(e.score)), "item \(item): \(sum) vs \(e.score)")
            #expect(e.contributions.count == history.count)
            #expect(zip(e.contributions, e.contributions.dropFirst()).allSatisfy { $0.contribution >= $1.contribution })
        }
    }
}

@Suite struct NormOrderedScoringTests {
    /// A trained model on a popularity-skewed matrix, so item norms differ as in real data.
    func model(users: Int, items: Int) throws -> (FactorModel, CSRMatrix<Float>) {
        var rng = TestLCG(seed: 42)
        func next() -> UInt64 { rng.next() >> 33 }
        var triplets: [(row: Int, column: Int, value: Float)] = []
        for u in 0..<users {
            for _ in 0..<(3 + Int(next() % 20)) {
                // Zipf-like: small item ids are far more popular.
                let r = Double(next() % 1_000_000) / 1_000_000
                triplets.append((u, min(items - 1, Int(Double(items) * r * r * r)), 1))
            }
        }
        let matrix = CSRMatrix(rows: users, columns: items, triplets: triplets)
        var configuration = ALSConfiguration()
        configuration.factors = 16
        configuration.iterations = 4
        return (try ImplicitALS(configuration: configuration).train(InteractionData(matrix: matrix)).model, matrix)
    }

    @Test("Norm-ordered top-k equals scoring every item: lists, scores and range maxima", arguments: [1, 10, 50])
    func matchesDense(k: Int) throws {
        let (model, seen) = try model(users: 300, items: 3000)
        var allowed = [Bool](repeating: true, count: 3000)
        for i in stride(from: 5, to: 3000, by: 7) { allowed[i] = false }
        let ranges = [0..<100, 1200..<1900, 2990..<3000]
        for (exclude, filter) in [(true, false), (false, true), (true, true)] {
            let r = TopKRecommender(scorer: .model(model), excluding: exclude ? seen : nil, allowed: filter ? allowed : nil)
            for threads in [1, 2] {
                let fast = r.recommend(users: 0..<300, k: k, threads: threads, bestWithin: ranges)
                let dense = r.recommendDense(users: 0..<300, k: k, threads: 1, bestWithin: ranges)
                let longer = r.recommendDense(users: 0..<300, k: k + 1, threads: 1, bestWithin: [])
                // sgemm's last bit depends on the call's shape, so scores agree to rounding, and items agree
                // wherever the dense scores are not within rounding of a neighbour.
                func close(_ a: Float, _ b: Float) -> Bool { abs(a - b) <= 1e-5 * max(1, abs(a), abs(b)) }
                #expect(zip(fast.best, dense.best).allSatisfy { close($0, $1) })
                for (u, (f, d)) in zip(fast.lists, dense.lists).enumerated() {
                    #expect(f.count == d.count)
                    let next = longer.lists[u]  // one more, for ties at the list's end
                    for p in d.indices {
                        #expect(close(f[p].score, d[p].score))
                        let tied = (p > 0 && close(d[p - 1].score, d[p].score))
                            || (p + 1 < next.count && close(next[p + 1].score, d[p].score))
                        if !tied { #expect(f[p].item == d[p].item) }
                    }
                }
            }
        }
        // A zero user vector ties every item at 0: the lowest indices win, as when sorting.
        var zero = model
        zero.userFactors = Matrix(rows: 1, columns: model.factors)
        let tie = TopKRecommender(scorer: .model(zero)).recommend(users: 0..<1, k: 3)
        #expect(tie[0].map(\.item) == [0, 1, 2])
    }
}
