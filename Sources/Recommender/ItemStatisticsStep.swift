public import FileSupport
public import Linear

/// A step between aggregating the item side's statistics (``ItemStatistics``) and solving them, once per sweep —
/// the place where differentially private training adds its noise and federated training its secure
/// aggregation, without the trainer knowing either.
///
/// A trainer with steps (``ImplicitALS/itemStatisticsSteps``) computes its item side from aggregated statistics,
/// and the model it trains records every step (``ALSConfiguration/itemStatisticsSteps``), so a model file says
/// what was done to its item factors, and a holdout check of the trainer trains through the same steps.
///
/// ```swift
/// struct Damping: ItemStatisticsStep {
///     var factor: Float
///     var record: ItemStatisticsStepRecord { .init(name: "damping", parameters: ["factor": Double(factor)]) }
///     func apply(to s: inout ItemStatistics, userGram: inout [Float], context: ItemStatisticsStepContext) {
///         for j in s.rhs.indices { s.rhs[j] *= factor }
///     }
/// }
/// var als = ImplicitALS(configuration: configuration)
/// als.itemStatisticsSteps = [Damping(factor: 0.9)]
/// ```
public protocol ItemStatisticsStep: Sendable {
    /// What a model file records of the step: its name and parameters.
    var record: ItemStatisticsStepRecord { get }

    /// Changes one sweep's aggregated statistics and the users' Gram matrix XᵀX (row-major k × k) before the items
    /// are solved from them.
    ///
    /// - Throws: ``FairgroundError`` when the step cannot be applied (it ends the training).
    func apply(to statistics: inout ItemStatistics, userGram: inout [Float], context: ItemStatisticsStepContext)
        throws(FairgroundError)

    /// The part of each user's data that reaches the item side, from the whole training matrix (users × items), once
    /// before the first sweep: a step that bounds each user's contribution keeps some entries and caps their weights.
    /// The users' own factors are still solved from all their data. The default is the matrix unchanged.
    ///
    /// - Throws: ``FairgroundError`` when the contributions cannot be formed (it ends the training).
    func contributions(of matrix: CSRMatrix<Float>, seed: UInt64, threads: Int) throws(FairgroundError)
        -> CSRMatrix<Float>

    /// The user factors as the item side sees them, every sweep before aggregation (a step that bounds each user's
    /// influence clips their rows); the model keeps the unchanged factors. The default changes nothing.
    func prepare(userFactors: inout Matrix<Float>, context: ItemStatisticsStepContext)

    /// Whether the step adds noise that can make an item's system indefinite. The trainer then projects such a
    /// system onto the positive semi-definite cone (negative eigenvalues set to 0, λI added back) and solves it,
    /// instead of leaving the item unsolved. The default is `false`.
    var perturbs: Bool { get }
}

extension ItemStatisticsStep {
    /// The matrix unchanged: every entry of every user reaches the item side.
    public func contributions(of matrix: CSRMatrix<Float>, seed: UInt64, threads: Int) throws(FairgroundError)
        -> CSRMatrix<Float> { matrix }

    /// No change.
    public func prepare(userFactors: inout Matrix<Float>, context: ItemStatisticsStepContext) {}

    /// `false`: the step adds no noise.
    public var perturbs: Bool { false }
}

/// What a step knows of the sweep it acts in.
public struct ItemStatisticsStepContext: Sendable, Equatable {
    /// The 1-based sweep.
    public var sweep: Int
    /// The configuration's seed (a step that draws noise keys it by seed, sweep and position, so results never
    /// depend on threads).
    public var seed: UInt64
    /// The users whose contributions were aggregated.
    public var users: Int
    /// Worker threads the step may use.
    public var threads: Int

    /// Creates a context.
    public init(sweep: Int, seed: UInt64, users: Int, threads: Int) {
        self.sweep = sweep
        self.seed = seed
        self.users = users
        self.threads = threads
    }
}

/// A step as a model file records it.
public struct ItemStatisticsStepRecord: Sendable, Equatable, Codable {
    /// The step's name (`gaussian_noise`, `secure_sum`, …).
    public var name: String
    /// Its parameters by name.
    public var parameters: [String: Double]

    /// Creates a record.
    public init(name: String, parameters: [String: Double] = [:]) {
        self.name = name
        self.parameters = parameters
    }
}
