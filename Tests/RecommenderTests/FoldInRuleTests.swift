import FileSupport
import Linear
@testable import Recommender
import TestSupport
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

    /// Spark's normal equations for one row of terms, in double: A = YᵀY + Σ α·|r|·y yᵀ + λ·n·I and
    /// b = Σ_{r > 0} (1 + α·r)·y, n the positive terms — every term on its own, as Spark's ALS reads its input rows.
    func sparkSolution(_ m: FactorModel, terms: [(item: Int, weight: Float)], alpha: Double, lambda: Double) throws
        -> [Double]
    {
        let k = m.factors
        let y = m.itemFactors.elements.map(Double.init)
        var a = [Double](repeating: 0, count: k * k), b = [Double](repeating: 0, count: k)
        for i in 0..<m.items { for r in 0..<k { for c in 0..<k { a[r * k + c] += y[i * k + r] * y[i * k + c] } } }
        var n = 0.0
        for (item, weight) in terms {
            let w = Double(weight)
            for r in 0..<k { for c in 0..<k { a[r * k + c] += alpha * abs(w) * y[item * k + r] * y[item * k + c] } }
            if w > 0 {
                n += 1
                for r in 0..<k { b[r] += (1 + alpha * w) * y[item * k + r] }
            }
        }
        for f in 0..<k { a[f * k + f] += lambda * n }
        return try Cholesky(Matrix(rows: k, columns: k, elements: a)).solve(b)
    }

    func relativeDifference(_ x: ArraySlice<Float>, _ reference: [Double]) -> Double {
        let diff = zip(x, reference).map { (Double($0) - $1) * (Double($0) - $1) }.reduce(0, +).squareRoot()
        return diff / reference.map { $0 * $0 }.reduce(0, +).squareRoot()
    }

    /// Under separate terms (Spark's convention) a repeated (user, item) row is its own term — its own 1 in the
    /// right-hand side, its own count towards n, |r| not |Σ r| in the system — so fold-in solves Spark's normal
    /// equations; summed, it solves those of the summed row. Rows without repeats are the same bits either way.
    @Test func separateTermsSolveSparksEquationsForRepeatedPairs() throws {
        let m = try model()
        let csv = writeText("user_id,item_id,weight\n0,0,2\n0,3,1\n0,3,1\n0,6,3\n0,6,-1\n0,9,0\n0,9,2\n"
                            + "1,1,1\n1,4,2\n1,7,1\n2,2,1\n2,2,1\n2,2,1\n2,5,1\n", "repeats.csv")
        let data = try InteractionReader.read(path: csv)
        var spark = m.configuration.foldInRule
        spark.scaling = .perInteraction
        spark.duplicates = .separateTerms
        var summed = spark
        summed.duplicates = .summed
        let (separate, unsolved) = m.foldIn(data, rule: spark)
        let (merged, _) = m.foldIn(data, rule: summed)
        #expect(unsolved.isEmpty)
        let k = m.factors, alpha = Double(spark.alpha), lambda = Double(spark.regularization)
        for row in 0..<3 {
            let terms = data.duplicates?.terms(ofRow: row) ?? (data.matrix.rowPointers[row]..<data.matrix.rowPointers[row + 1])
                .map { (Int(data.matrix.columnIndices[$0]), data.matrix.values[$0]) }
            let summedTerms = (data.matrix.rowPointers[row]..<data.matrix.rowPointers[row + 1])
                .map { (item: Int(data.matrix.columnIndices[$0]), weight: data.matrix.values[$0]) }
            let oracle = try sparkSolution(m, terms: terms, alpha: alpha, lambda: lambda)
            let summedOracle = try sparkSolution(m, terms: summedTerms, alpha: alpha, lambda: lambda)
            let x = separate.elements[(row * k)..<((row + 1) * k)], y = merged.elements[(row * k)..<((row + 1) * k)]
            #expect(relativeDifference(x, oracle) < 1e-4, "row \(row)")
            #expect(relativeDifference(y, summedOracle) < 1e-4, "row \(row)")
            if row == 1 {
                #expect(x == y, "a row without repeats")
            } else {
                #expect(relativeDifference(x, summedOracle) > 1e-2, "row \(row): the repeats must matter")
            }
        }
        // A model whose configuration counts separate terms explains from the terms, and its explanation's
        // contributions add up to the score its fold-in gives.
        var imported = m
        imported.configuration.regularizationScaling = .perInteraction
        imported.configuration.duplicateEntries = .separateTerms
        let history = imported.history(ofRow: 0, in: data)
        #expect(history.count == 7)
        let explanation = imported.explain(item: 1, history: history)
        var folded = imported
        folded.userFactors = separate
        #expect(abs(explanation.score - folded.score(user: 0, item: 1)) <= 1e-5 * max(1, abs(explanation.score)))
        let total = explanation.contributions.map(\.contribution).reduce(0, +)
        #expect(abs(total - explanation.score) <= 1e-4 * max(1, abs(explanation.score)))
        #expect(Set(explanation.contributions.map(\.item)).count == explanation.contributions.count)
        #expect(m.history(ofRow: 0, in: data).count == 4, "summed: one entry per item")
    }

    /// Training validates its data whatever its source.
    @Test func trainingRefusesNonFiniteData() {
        let m = CSRMatrix<Float>(rows: 2, columns: 2, triplets: [(0, 0, 1), (1, 1, .infinity)])
        #expect(throws: FairgroundError.self) {
            try ImplicitALS(configuration: configuration(.cholesky)).train(InteractionData(matrix: m, source: "m"))
        }
    }
}
