import Linear
import Testing
import TrainingData

@Suite struct InteractionStatisticsTests {
    /// Item popularity (distinct users) 1, 1, 2, 4 and one unused item: Gini Σ(2i − n − 1)x / (n Σx) = 10 / 32.
    @Test func knownAnswer() {
        let triplets: [(row: Int, column: Int, value: Float)] = [
            (0, 3, 2), (1, 3, 1), (2, 3, 5), (3, 3, 1), (0, 2, 1), (1, 2, 1), (2, 1, 1), (3, 0, -1),
        ]
        let s = InteractionStatistics(CSRMatrix(rows: 4, columns: 5, triplets: triplets))
        #expect(s.users == 4 && s.items == 5 && s.activeItems == 4 && s.pairs == 8)
        #expect(s.meanItemsPerUser == 2 && s.medianItemsPerUser == 2)
        #expect(s.meanWeightPerUser == 13.0 / 4)
        #expect(abs(s.itemGini - 0.3125) < 1e-12)
        #expect(s.topOnePercentShare == 0.5)
    }

    @Test func equalPopularityHasGiniZeroAndAnEmptyMatrixIsAllZero() {
        let even = InteractionStatistics(CSRMatrix(rows: 2, columns: 2, triplets: [(0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 1, 1)]))
        #expect(even.itemGini == 0 && even.medianItemsPerUser == 2)
        let empty = InteractionStatistics(CSRMatrix(rows: 0, columns: 3, triplets: []))
        #expect(empty.itemGini == 0 && empty.topOnePercentShare == 0 && empty.meanItemsPerUser == 0)
    }
}
