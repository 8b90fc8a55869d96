/// How one row's weights become a regularised least-squares problem against fixed factors: the confidence
/// convention, α, λ and whether λ grows with the row's interaction count.
///
/// Training and fold-in share it. A model trained here folds users in under the rule of its own
/// ``ALSConfiguration``; a model trained elsewhere is folded in under the rule of the library that trained it
/// (Spark's ALS scales λ by the row's number of positive interactions), so that folding in a training user
/// reproduces that user's factors.
///
/// Per entry with weight r: confidence c = 1 + α·|r| (or α·|r|), preference p = 1 when r > 0, else 0. The row's
/// system is `(YᵀY + Σ (c − 1)·y yᵀ + λ_row·I) x = Σ c·p·y`, so a negative weight (a rejected item in ±1 ratings)
/// adds confidence that the preference is 0 and a stored 0 adds nothing. Entries that repeat a (user, item) pair
/// are summed into one weight, or, under ``Duplicates/separateTerms`` (Spark's), each is a term of its own.
///
/// ```swift
/// var rule = model.configuration.foldInRule
/// rule.scaling = .perInteraction   // as Spark MLlib
/// let factors = model.foldIn(data, rule: rule)
/// ```
public struct FoldInRule: Sendable, Equatable, Codable {
    /// How λ is applied to a row.
    public enum Scaling: String, Sendable, Equatable, Codable {
        /// λ for every row (Hu, Koren & Volinsky 2008; the `implicit` library).
        case constant
        /// λ · n, n the row's number of positive weights (Spark MLlib's ALS; with separate terms, of positive terms).
        case perInteraction = "per_interaction"
    }

    /// How entries that repeat a (user, item) pair enter a row's problem.
    public enum Duplicates: String, Sendable, Equatable, Codable {
        /// Their weights are summed into one entry (Fairground's training, the `implicit` library).
        case summed
        /// Each is a separate term: its own confidence and preference, and its own count towards n (Spark MLlib's
        /// ALS, which never aggregates its input rows).
        case separateTerms = "separate_terms"
    }

    /// The confidence convention.
    public var confidence: ALSConfiguration.Confidence
    /// The confidence scale α.
    public var alpha: Float
    /// The regularisation λ.
    public var regularization: Float
    /// How λ is applied.
    public var scaling: Scaling
    /// How repeated (user, item) entries enter.
    public var duplicates: Duplicates

    /// Creates a rule.
    public init(confidence: ALSConfiguration.Confidence = .onePlusAlpha, alpha: Float = 10, regularization: Float = 100,
                scaling: Scaling = .constant, duplicates: Duplicates = .summed) {
        self.confidence = confidence
        self.alpha = alpha
        self.regularization = regularization
        self.scaling = scaling
        self.duplicates = duplicates
    }

    /// The confidence c of a weight r: 1 + α·|r| or α·|r|.
    @inline(__always)
    public func confidence(_ r: Float) -> Float {
        let m = abs(r)
        return confidence == .onePlusAlpha ? 1 + alpha * m : alpha * m
    }

    /// The right-hand-side weight c·p of a weight r: its confidence when r > 0, else 0. Summed over a row, it is
    /// also the row's loss at x = 0, which the share of it a fold-in explains is measured against.
    @inline(__always)
    public func target(_ r: Float) -> Float { r > 0 ? confidence(r) : 0 }

    /// λ for a row whose weights are `values`.
    @inline(__always)
    func lambda(_ values: UnsafePointer<Float>, count: Int) -> Float {
        guard scaling == .perInteraction else { return regularization }
        var n = 0
        for j in 0..<count where values[j] > 0 { n += 1 }
        return regularization * Float(n)
    }
}
