import Linear
@testable import Recommender
import Testing
import TestSupport

@Suite struct TopKRecommenderTests {
    /// A user's top-k list and offer maxima are the same bits whichever other users are scored with them — all
    /// users, every third one, or the user alone — so an audit's shard scores a user as the whole audit does.
    @Test func scoresDoNotDependOnTheOtherUsersOfABlock() {
        var rng = TestLCG(seed: 5)
        let f = 24, users = 150, items = 700
        func factors(_ rows: Int) -> Matrix<Float> {
            Matrix(rows: rows, columns: f, elements: (0..<(rows * f)).map { _ in Float.random(in: -1...1, using: &rng) })
        }
        let all = factors(users), itemFactors = factors(items)
        let offers = [0..<50, 300..<420]
        func run(_ rows: [Int]) -> (lists: [[(item: Int, score: Float)]], best: [Float]) {
            var elements: [Float] = []
            for r in rows { elements += all.elements[(r * f)..<((r + 1) * f)] }
            let model = FactorModel(userFactors: Matrix(rows: rows.count, columns: f, elements: elements),
                                    itemFactors: itemFactors, configuration: ALSConfiguration(), iterationsRun: 0)
            return TopKRecommender(scorer: .model(model)).recommend(users: 0..<rows.count, k: 10, threads: 2,
                                                                     bestWithin: offers)
        }
        let whole = run(Array(0..<users))
        for subset in [Array(stride(from: 0, to: users, by: 3)), [77], Array(90..<users)] {
            let part = run(subset)
            for (i, u) in subset.enumerated() {
                #expect(part.lists[i].map(\.item) == whole.lists[u].map(\.item))
                #expect(part.lists[i].map(\.score.bitPattern) == whole.lists[u].map(\.score.bitPattern))
                for o in offers.indices {
                    #expect(part.best[i * offers.count + o].bitPattern == whole.best[u * offers.count + o].bitPattern)
                }
            }
        }
    }
}
