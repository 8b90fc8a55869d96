import FileSupport
import Linear
@testable import Recommender
import TestSupport
import Testing
import TrainingData

/// The item side as per-user contributions and their aggregation (``ItemStatistics``).
@Suite struct ItemStatisticsTests {
    /// Contributions add up: two "clients" holding disjoint users give, summed, exactly the statistics of all
    /// users (small whole numbers keep every sum exact, so any order gives the same bits).
    @Test func partialStatisticsSumToTheWhole() throws {
        var rng = TestLCG(seed: 9)
        let users = 12, items = 7, k = 3
        let x = Matrix<Float>(rows: users, columns: k, elements: (0..<(users * k)).map { _ in Float(Int(rng.next() >> 61)) - 3 })
        var triplets: [(row: Int, column: Int, value: Float)] = []
        for u in 0..<users { for i in 0..<items where (u + i) % 3 == 0 { triplets.append((u, i, Float((u * i) % 4) - 1)) } }
        let m = CSRMatrix<Float>(rows: users, columns: items, triplets: triplets)
        let rule = FoldInRule(confidence: .onePlusAlpha, alpha: 2, regularization: 1)
        let all = try ItemStatistics.aggregate(m, userFactors: x, rule: rule)
        var first = try ItemStatistics(items: items, factors: k), second = first
        for u in 0..<users {
            let entries = m.rowPointers[u]..<m.rowPointers[u + 1]
            let row = Array(x.elements[(u * k)..<((u + 1) * k)])
            if u % 2 == 0 {
                first.add(user: row, items: Array(m.columnIndices[entries]), weights: Array(m.values[entries]), rule: rule)
            } else {
                second.add(user: row, items: Array(m.columnIndices[entries]), weights: Array(m.values[entries]), rule: rule)
            }
        }
        #expect(first + second == all)
        #expect(all.positives == (0..<items).map { i in triplets.filter { $0.column == i && $0.value > 0 }.count })
    }

    /// Training with the aggregated item side is the exact item solve, up to rounding, and does not depend on
    /// the thread count.
    @Test func aggregatedTrainingMatchesTheDirectExactSolve() throws {
        let matrix = plantedMatrix(users: 150, items: 60)
        var config = configuration(.cholesky, iterations: 4)
        config.computeLoss = false
        let direct = try ImplicitALS(configuration: config).train(InteractionData(matrix: matrix)).model
        var trainer = ImplicitALS(configuration: config)
        trainer.itemSide = .aggregated
        let one = try trainer.train(InteractionData(matrix: matrix), threads: 1).model
        let two = try trainer.train(InteractionData(matrix: matrix), threads: 2).model
        #expect(one == two)
        var largest: Float = 0
        for (a, b) in zip(direct.itemFactors.elements, one.itemFactors.elements) { largest = max(largest, abs(a - b)) }
        let scale = direct.itemFactors.elements.map(abs).max()!
        #expect(largest <= 1e-3 * scale, "largest difference \(largest) against factors up to \(scale)")
    }

    @Test func oversizedStatisticsAreRefused() {
        #expect(throws: FairgroundError.self) { try ItemStatistics(items: 10_000_000, factors: 64) }
    }
}
