import Testing
import FileSupport
import Linear
@testable import Recommender
import TrainingData
@testable import Privacy

/// Issue 27, points 1 and 7: the private item side's sensitivities, ε = ∞, seeded noise, and quality against ε.
@Suite struct PrivateItemSideTests {
    static let rule = FoldInRule(confidence: .onePlusAlpha, alpha: 2, regularization: 1)

    /// Random user factors with norms from 0 to about 3 (so the clip of 0.8 acts on most).
    static func factors(users: Int, k: Int, seed: UInt64) -> Matrix<Float> {
        let philox = Philox(seed: seed)
        return Matrix(rows: users, columns: k, elements: (0..<(users * k)).map { j in
            Float(philox.uniform(row: j / k, column: j % k, stream: 5) * 2 - 1) * 1.5
        })
    }

    /// ‖a − b‖ over the released entries: the Gram matrix's upper triangle, each block's lower triangle, each rhs.
    static func distance(_ a: [Float], _ b: [Float], k: Int, triangle: Bool, upper: Bool = false) -> Double {
        var total = 0.0
        for start in stride(from: 0, to: a.count, by: triangle ? k * k : a.count) {
            for r in 0..<(triangle ? k : 1) {
                for c in 0..<(triangle ? k : a.count) where !triangle || (upper ? c >= r : c <= r) {
                    let j = start + (triangle ? r * k + c : c)
                    total += Double(a[j] - b[j]) * Double(a[j] - b[j])
                }
            }
        }
        return total.squareRoot()
    }

    @Test(arguments: [PrivateTraining.ItemSelection.uniform, .tail])
    func removingOneUserChangesTheStatisticsByAtMostTheSensitivity(selection: PrivateTraining.ItemSelection) throws {
        let data = SyntheticInteractions.make(users: 200, items: 40, meanItems: 12, seed: 11)
        let k = 6
        let budget = ContributionBudget(maxItems: 5, selection: selection, confidenceCap: 4, rule: Self.rule,
                                        countNoiseMultiplier: 1)
        let side = PrivateItemSide(clip: 0.8, budget: budget, noiseMultiplier: 1)
        let counts = selection == .tail ? budget.noisyCounts(budget.select(data.matrix, seed: 3, counts: nil), seed: 3) : nil
        let bounded = budget.select(data.matrix, seed: 3, counts: counts)
        var x = Self.factors(users: data.users, k: k, seed: 9)
        side.prepare(userFactors: &x, context: .init(sweep: 1, seed: 3, users: data.users, threads: 1))
        let all = try ItemStatistics.aggregate(transposed: bounded.transposed(), userFactors: x, rule: Self.rule)
        let gram = x.gram().elements
        let s = side.sensitivities
        var largest = (gram: 0.0, blocks: 0.0, rhs: 0.0)
        for u in stride(from: 0, to: data.users, by: 7) {
            // The neighbour without u: their row gone from the data and their factors from the Gram matrix.
            var triplets: [(row: Int, column: Int, value: Float)] = []
            for v in 0..<data.users where v != u {
                for p in data.matrix.rowPointers[v]..<data.matrix.rowPointers[v + 1] {
                    triplets.append((v, Int(data.matrix.columnIndices[p]), data.matrix.values[p]))
                }
            }
            let without = CSRMatrix(rows: data.users, columns: data.items, triplets: triplets)
            let neighbour = try ItemStatistics.aggregate(
                transposed: budget.select(without, seed: 3, counts: counts).transposed(), userFactors: x, rule: Self.rule)
            var xu = Matrix<Float>(rows: 1, columns: k, elements: Array(x.elements[(u * k)..<((u + 1) * k)]))
            xu = xu.gram()
            let dGram = Self.distance(gram, zip(gram, xu.elements).map { $0 - $1 }, k: k, triangle: true, upper: true)
            let dBlocks = Self.distance(all.gram, neighbour.gram, k: k, triangle: true)
            let dRHS = Self.distance(all.rhs, neighbour.rhs, k: k, triangle: false)
            #expect(dGram <= s.gram * (1 + 1e-4), "user \(u): Gram \(dGram) > \(s.gram)")
            #expect(dBlocks <= s.blocks * (1 + 1e-4), "user \(u): blocks \(dBlocks) > \(s.blocks)")
            #expect(dRHS <= s.rhs * (1 + 1e-4), "user \(u): rhs \(dRHS) > \(s.rhs)")
            largest = (max(largest.gram, dGram), max(largest.blocks, dBlocks), max(largest.rhs, dRHS))
        }
        // The bounds are not loose: some user comes close to each (full budget, capped weights, a clipped row).
        #expect(largest.gram > 0.6 * s.gram && largest.blocks > 0.4 * s.blocks && largest.rhs > 0.5 * s.rhs,
                "largest changes \(largest) against \(s)")
    }

    @Test func theBudgetKeepsAtMostBItemsWithCappedWeights() {
        let data = SyntheticInteractions.make(users: 100, items: 50, meanItems: 20, seed: 2)
        for selection in PrivateTraining.ItemSelection.allCases {
            let budget = ContributionBudget(maxItems: 4, selection: selection, confidenceCap: 3, rule: Self.rule,
                                            countNoiseMultiplier: 2)
            let bounded = budget.bound(data.matrix, seed: 1)
            for u in 0..<data.users {
                let kept = bounded.rowPointers[u + 1] - bounded.rowPointers[u]
                let had = data.matrix.rowPointers[u + 1] - data.matrix.rowPointers[u]
                #expect(kept == min(had, 4))
            }
            #expect(bounded.values.allSatisfy { Self.rule.confidence($0) <= 3 + 1e-6 })
            #expect(bounded == budget.bound(data.matrix, seed: 1))
            #expect(bounded != budget.bound(data.matrix, seed: 2) || selection == .tail)
        }
    }

    @Test func infiniteEpsilonPlansNoNoise() throws {
        #expect(try PrivateTraining(epsilon: .infinity, delta: 1e-6).plan(for: ALSConfiguration()) == nil)
    }

    @Test func thePlanMeetsItsTargetAndRecordsItsReleases() throws {
        var configuration = ALSConfiguration()
        configuration.iterations = 7
        let plan = try #require(try PrivateTraining(epsilon: 2, delta: 1e-6, maxItems: 30, itemSelection: .tail)
            .plan(for: configuration))
        let g = plan.guarantee
        #expect(g.epsilon <= 2 && g.epsilon > 1.99)
        #expect(g.releases.map(\.count) == [7, 7, 7, 1])
        #expect(abs(RDPAccountant().epsilon(of: g.releases, delta: 1e-6).epsilon - g.epsilon) < 1e-12)
        #expect(g.confidenceCap == 2 && g.maxItems == 30 && g.itemSelection == "tail")
        #expect(plan.trainer.itemStatisticsSteps.count == 1)
        var spark = configuration
        spark.regularizationScaling = .perInteraction
        #expect(throws: FairgroundError.self) { try PrivateTraining(epsilon: 2, delta: 1e-6).plan(for: spark) }
    }

    static func configuration() -> ALSConfiguration {
        var c = ALSConfiguration()
        c.factors = 8
        c.iterations = 5
        c.regularization = 5
        c.alpha = 2
        return c
    }

    @Test func theSameSeedGivesTheSamePrivateModelOnAnyThreadCount() throws {
        let data = SyntheticInteractions.make(users: 600, items: 80, seed: 4)
        let plan = try #require(try PrivateTraining(epsilon: 1, delta: 1e-6, maxItems: 10).plan(for: Self.configuration()))
        let one = try plan.trainer.train(data, threads: 1).model
        let two = try plan.trainer.train(data, threads: 2).model
        #expect(try one.fileBytes() == two.fileBytes())
        var other = Self.configuration()
        other.seed = 1
        let reseeded = try #require(try PrivateTraining(epsilon: 1, delta: 1e-6, maxItems: 10).plan(for: other))
        #expect(try reseeded.trainer.train(data, threads: 1).model.itemFactors != one.itemFactors)
    }

    /// Quality rises with ε toward the non-private value (NDCG@10 on held-out items, mean over seeds).
    @Test func qualityDoesNotFallAsEpsilonGrows() throws {
        let epsilons: [Double] = [0.5, 2, 8, .infinity]
        var ndcg = [Double](repeating: 0, count: epsilons.count)
        let seeds: [UInt64] = [1, 2, 3]
        for seed in seeds {
            let data = SyntheticInteractions.make(users: 3000, items: 150, seed: seed)
            var configuration = Self.configuration()
            configuration.seed = seed
            for (j, epsilon) in epsilons.enumerated() {
                let plan = try PrivateTraining(epsilon: epsilon, delta: 1e-6, clip: 1, maxItems: 20).plan(for: configuration)
                let trainer = plan?.trainer ?? ImplicitALS(configuration: configuration)
                let check = try HoldoutCheck.measure(data, trainer: trainer, fraction: 0.2, seed: seed, threads: 2)
                ndcg[j] += check.evaluation.model.ndcg / Double(seeds.count)
            }
        }
        for j in 1..<epsilons.count {
            #expect(ndcg[j] >= ndcg[j - 1] - 0.01, "NDCG@10 \(ndcg) against ε \(epsilons)")
        }
        #expect(ndcg.last! > ndcg.first! + 0.02, "NDCG@10 \(ndcg): ε = 0.5 should cost something")
    }
}

#if canImport(Glibc)
import Glibc
#endif
