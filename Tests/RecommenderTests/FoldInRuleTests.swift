import FileSupport
import Linear
@testable import Recommender
import Testing
import TrainingData

/// What a row's weights mean to training and fold-in (``FoldInRule``): counts, ±1 ratings, stored zeros, and λ
/// constant or scaled by the row's positive count.
@Suite struct FoldInRuleTests {
    func model() throws -> FactorModel {
        try ImplicitALS(configuration: configuration(.cholesky, iterations: 8)).train(InteractionData(matrix: plantedMatrix())).model
    }

    func row(_ entries: [(Int, Float)], items: Int) -> CSRMatrix<Float> {
        CSRMatrix(rows: 1, columns: items, triplets: entries.map { (0, $0.0, $0.1) })
    }

    /// A stored zero carries no information: the folded-in factors are the same bits as without it.
    @Test func storedZerosAreIgnored() throws {
        let m = try model()
        let with = m.foldIn(row([(0, 1), (3, 1), (7, 0)], items: m.items)).factors
        let without = m.foldIn(row([(0, 1), (3, 1)], items: m.items)).factors
        #expect(with == without)
    }

    /// A rejected item (weight −1) lowers that item's score below what the same history without it gives, and
    /// below what liking it (+1) gives: preference 0 with confidence 1 + α, not confidence 1 + α·(−1) = 0.
    @Test func negativeRatingsMeanSeenAndRejected() throws {
        let m = try model()
        let liked = [(0, Float(1)), (3, 1), (6, 1)]
        let target = 1  // same block as 0, 3, 6: the model expects this user to like it
        func score(_ history: [(Int, Float)]) -> Float {
            let x = m.foldIn(row(history, items: m.items)).factors
            var folded = m
            folded.userFactors = x
            return folded.score(user: 0, item: target)
        }
        let neutral = score(liked), rejected = score(liked + [(target, -1)]), accepted = score(liked + [(target, 1)])
        #expect(rejected < neutral && neutral < accepted, "\(rejected) \(neutral) \(accepted)")
        // The rejection's confidence is that of |r|: the same system as a +1 entry but with no right-hand side.
        var rule = m.configuration.foldInRule
        #expect(rule.confidence(-1) == rule.confidence(1) && rule.target(-1) == 0 && rule.target(0) == 0)
        rule.confidence = .alpha
        #expect(rule.confidence(-2) == 2 * rule.alpha)
    }

    /// Spark's λ·n_u: for one row it is the constant rule with λ multiplied by the row's positive count.
    @Test func perInteractionScalingMultipliesLambdaByThePositiveCount() throws {
        let m = try model()
        let history = row([(0, 2), (3, 1), (6, 1), (9, -1)], items: m.items)
        var spark = m.configuration.foldInRule
        spark.scaling = .perInteraction
        var scaled = m.configuration.foldInRule
        scaled.regularization *= 3
        #expect(m.foldIn(history, rule: spark).factors == m.foldIn(history, rule: scaled).factors)
        #expect(m.foldIn(history, rule: spark).factors != m.foldIn(history).factors)
    }

    /// Training validates its data whatever its source.
    @Test func trainingRefusesNonFiniteData() {
        let m = CSRMatrix<Float>(rows: 2, columns: 2, triplets: [(0, 0, 1), (1, 1, .infinity)])
        #expect(throws: InputError.self) {
            try ImplicitALS(configuration: configuration(.cholesky)).train(InteractionData(matrix: m, source: "m"))
        }
    }
}
