public import Linear

/// How well a trait can be predicted from what a model (or the raw data) holds about each person — the
/// pregnancy-prediction case: a recommender's user factors can reveal what nobody told it.
///
/// Cross-fitted: users are dealt into seeded folds; for each fold an L2 logistic regression
/// (``LogisticRegression``, Newton/IRLS through BLAS) is fitted on the other folds' standardised features and
/// scores the held-out users, so every score is out of sample. The scores' AUC has DeLong's standard error, a
/// logit-scale interval and a one-sided test against 0.5 (nothing revealed). A trait with more than two levels
/// is probed one level against the rest; a numeric one as "above its median".
///
/// ```swift
/// let result = InferenceProbe().probe(features: factors, labels: expecting)
/// print(result.auc, result.low, result.high, result.pValue)
/// ```
public struct InferenceProbe: Sendable {
    /// Cross-fitting folds (at least 2).
    public var folds = 5
    /// The seed of the fold assignment.
    public var seed: UInt64 = 0
    /// The L2 penalty λ (scikit-learn's `C = 1/λ`).
    public var regularization = 1.0
    /// The confidence level of the intervals.
    public var level = 0.95

    /// A probe with 5 folds, seed 0, λ = 1 and 95% intervals.
    public init() {}

    /// One probe's outcome.
    public struct Outcome: Sendable, Codable, Equatable {
        /// The area under the ROC curve of the cross-fitted scores (0.5: nothing revealed).
        public var auc: Double
        /// DeLong's standard error of ``auc``.
        public var standardError: Double
        /// The interval at ``InferenceProbe/level``, on the logit scale.
        public var low: Double, high: Double
        /// The one-sided p-value against AUC = 0.5.
        public var pValue: Double
        /// Users with and without the trait.
        public var positives: Int, negatives: Int
    }

    /// The fold of each of `rows` users: a seeded shuffle dealt round-robin, so fold sizes differ by at most one.
    public func foldAssignment(rows: Int) -> [Int] {
        let key = seed ^ UInt64(RandomStream.probeFolds.rawValue)
        let order = (0..<rows).sorted {
            (CounterHash.mix(key &+ UInt64($0) &* 0x9E37_79B9_7F4A_7C15), $0)
                < (CounterHash.mix(key &+ UInt64($1) &* 0x9E37_79B9_7F4A_7C15), $1)
        }
        var fold = [Int](repeating: 0, count: rows)
        for (position, row) in order.enumerated() { fold[row] = position % folds }
        return fold
    }

    /// Out-of-fold probabilities of the label for each row.
    ///
    /// - Parameter assignment: Each row's fold; ``foldAssignment(rows:)`` when `nil`.
    /// - Precondition: one label per row of `features`; `folds ≥ 2`.
    public func crossFittedScores(features: Matrix<Double>, labels: [Bool], assignment: [Int]? = nil) -> [Double] {
        precondition(labels.count == features.rows && folds >= 2, "One label per row and at least two folds")
        let fold = assignment ?? foldAssignment(rows: features.rows)
        let d = features.columns
        var scores = [Double](repeating: 0.5, count: features.rows)
        let regression = LogisticRegression(regularization: regularization)
        // Each fold after the first starts from the first fold's fit (their training rows overlap by 3/4 or more):
        // the same optimum in fewer Newton steps.
        var first: LogisticRegression.Fit?
        for f in Set(fold).sorted() {
            let train = fold.indices.filter { fold[$0] != f }, test = fold.indices.filter { fold[$0] == f }
            // Standardise by the training rows (a constant feature becomes 0).
            var mean = [Double](repeating: 0, count: d), sd = [Double](repeating: 0, count: d)
            for i in train { for j in 0..<d { mean[j] += features.elements[i * d + j] } }
            for j in 0..<d { mean[j] /= Double(max(train.count, 1)) }
            for i in train {
                for j in 0..<d {
                    let c = features.elements[i * d + j] - mean[j]
                    sd[j] += c * c
                }
            }
            for j in 0..<d { sd[j] = (sd[j] / Double(max(train.count, 1))).squareRoot() }  // as StandardScaler
            func standardised(_ rows: [Int]) -> Matrix<Double> {
                var m = [Double](repeating: 0, count: rows.count * d)
                for (r, i) in rows.enumerated() {
                    for j in 0..<d where sd[j] > 0 { m[r * d + j] = (features.elements[i * d + j] - mean[j]) / sd[j] }
                }
                return Matrix(rows: rows.count, columns: d, elements: m)
            }
            let fit = regression.fit(standardised(train), train.map { labels[$0] }, start: first)
            if first == nil { first = fit }
            for (r, p) in zip(test, fit.probabilities(standardised(test))) { scores[r] = p }
        }
        return scores
    }

    /// Probes one binary trait; `nil` when one of the two classes is empty.
    public func probe(features: Matrix<Double>, labels: [Bool], assignment: [Int]? = nil) -> Outcome? {
        let scores = crossFittedScores(features: features, labels: labels, assignment: assignment)
        guard let roc = ReceiverOperatingCurve(scores: scores, labels: labels) else { return nil }
        let (low, high) = roc.interval(level: level)
        return Outcome(auc: roc.area, standardError: roc.standardError, low: min(low, roc.area),
                       high: max(high, roc.area), pValue: roc.pValue, positives: roc.positives,
                       negatives: roc.negatives)
    }

    /// The probe's features: rows `rows` of `m` (all when `nil`) in double precision.
    package static func features(_ m: Matrix<Float>, rows: [Int]?) -> Matrix<Double> {
        let d = m.columns
        guard let rows else { return Matrix(rows: m.rows, columns: d, elements: m.elements.map(Double.init)) }
        var out = [Double](repeating: 0, count: rows.count * d)
        m.elements.withUnsafeBufferPointer { e in
            for (r, i) in rows.enumerated() { for j in 0..<d { out[r * d + j] = Double(e[i * d + j]) } }
        }
        return Matrix(rows: rows.count, columns: d, elements: out)
    }
}
