import FileSupport
/// Hyper-parameters of implicit-feedback alternating least squares (Hu, Koren & Volinsky 2008).
///
/// ```swift
/// var config = ALSConfiguration()
/// config.factors = 32
/// config.solver = .conjugateGradient(steps: 3)
/// ```
public struct ALSConfiguration: Sendable, Equatable, Codable {
    /// How an interaction weight r becomes a confidence.
    public enum Confidence: String, Sendable, Equatable, Codable {
        /// c = 1 + α·r, the paper's definition.
        case onePlusAlpha
        /// c = α·r, the convention of the `implicit` Python library.
        case alpha
    }
    /// How each row's least-squares problem is solved.
    public enum Solver: Sendable, Equatable, Codable {
        /// Exact: a Cholesky solve of YᵀY + Yᵀ(C_u − I)Y + λI (eight rows at a time, one per SIMD lane).
        case cholesky
        /// Conjugate gradient warm-started from the previous factors (Takács et al. 2011).
        case conjugateGradient(steps: Int)

        /// A short name: `cholesky` or `cg`.
        public var name: String {
            switch self {
            case .cholesky: "cholesky"
            case .conjugateGradient: "cg"
            }
        }
    }

    /// The factor dimension.
    public var factors = 48
    /// Alternating sweeps (users, then items).
    public var iterations = 15
    /// The L2 regularisation λ.
    public var regularization: Float = 100
    /// The confidence scale α.
    public var alpha: Float = 10
    /// The confidence convention.
    public var confidence = Confidence.onePlusAlpha
    /// How λ is applied to a row: `nil` or ``FoldInRule/Scaling/constant`` (λ, as Hu et al. and `implicit`), or
    /// ``FoldInRule/Scaling/perInteraction`` (λ·n, Spark MLlib's). Optional so that files written before it
    /// existed read unchanged (and files of constant-λ models stay byte-identical).
    public var regularizationScaling: FoldInRule.Scaling?
    /// How entries that repeat a (user, item) pair enter fold-in: `nil` or ``FoldInRule/Duplicates/summed`` (as the
    /// matrix holds them), or ``FoldInRule/Duplicates/separateTerms`` (Spark MLlib's). Optional for the same reason
    /// as ``regularizationScaling``. Training always sums them.
    public var duplicateEntries: FoldInRule.Duplicates?
    /// The per-row solver.
    public var solver = Solver.conjugateGradient(steps: 3)
    /// How the item half of each sweep is computed: `nil` or ``ItemSide/direct`` (the default, the speed
    /// benchmarked), or ``ItemSide/aggregated``. Optional so that files of direct models stay byte-identical.
    public var itemSide: ItemSide?
    /// The steps applied to the aggregated item statistics in every sweep, as recorded; set by
    /// ``ImplicitALS/train(_:threads:progress:)`` from the trainer's ``ImplicitALS/itemStatisticsSteps``
    /// (`nil`: none).
    public var itemStatisticsSteps: [ItemStatisticsStepRecord]?
    /// The seed of the initial factors.
    public var seed: UInt64 = 0
    /// Compute the training loss after every sweep (costs about one extra pass over the data).
    public var computeLoss = false

    /// The default configuration: 48 factors, 15 iterations, λ = 100, α = 10, c = 1 + α·r, CG with 3 steps —
    /// the best of a `fairground tune` search on every shipped implicit-feedback scenario (20k users each), where it
    /// beats the popularity baseline by 2.5–3× on held-out NDCG@10 (see `Benchmarks/README.md`).
    public init() {}

    /// The rule that turns a row's weights into its least-squares problem, in training and in fold-in: this
    /// configuration's convention, α, λ and its scaling.
    public var foldInRule: FoldInRule {
        FoldInRule(confidence: confidence, alpha: alpha, regularization: regularization,
                   scaling: regularizationScaling ?? .constant, duplicates: duplicateEntries ?? .summed)
    }

    /// Checks the values.
    ///
    /// - Throws: ``FairgroundError`` naming the option and the expected range.
    public func validate() throws(FairgroundError) {
        guard factors >= 1, factors <= 4096 else {
            throw FairgroundError.parameter("factors", expected: "a factor count from 1 to 4096", found: "\(factors)")
        }
        guard iterations >= 0 else {
            throw FairgroundError.parameter("iterations", expected: "a number of iterations ≥ 0", found: "\(iterations)")
        }
        guard regularization.isFinite, regularization >= 0 else {
            throw FairgroundError.parameter("regularization", expected: "a finite λ ≥ 0", found: "\(regularization)")
        }
        guard alpha.isFinite, alpha > 0 else {
            throw FairgroundError.parameter("alpha", expected: "a finite α > 0", found: "\(alpha)")
        }
        if case .conjugateGradient(let steps) = solver, steps < 1 {
            throw FairgroundError.parameter("steps", expected: "at least 1 CG step", found: "\(steps)")
        }
    }
}
