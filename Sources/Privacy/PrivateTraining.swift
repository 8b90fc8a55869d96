public import FileSupport
public import Recommender

/// The parameters of user-level differentially private training (Chien et al. 2021, "Private Alternating Least
/// Squares"): the target (ε, δ), the norm every user's factor row is clipped to, and the budget bounding each user's
/// contribution to the item side.
///
/// ```swift
/// let dp = try PrivateTraining(epsilon: 1, delta: 1e-6)
/// ```
public struct PrivateTraining: Sendable, Equatable {
    /// How a user's budget of items is chosen.
    public enum ItemSelection: String, Sendable, Equatable, CaseIterable {
        /// B of the user's items, uniformly by a seeded hash of (seed, user, item).
        case uniform
        /// The user's B least popular items, by item counts released with Gaussian noise.
        case tail
    }

    /// Target ε; `.infinity` trains without noise (today's model, byte for byte).
    public var epsilon: Double
    /// Target δ, in (0, 1).
    public var delta: Double
    /// The norm each user's factor row is clipped to before it reaches the item side; `nil`: chosen from the
    /// noise (``automaticClip(noiseMultiplier:blockWeight:factors:regularization:)``), which costs no privacy.
    public var clip: Double?
    /// The most items one user contributes to the item side (B).
    public var maxItems: Int
    /// How the B items are chosen.
    public var itemSelection: ItemSelection
    /// The largest confidence one interaction carries into the item side (2 by default); `nil`: the confidence of one
    /// interaction of weight 1 under the model's rule (1 + α, or α).
    public var confidenceCap: Double?

    /// Creates the parameters, checking each (the flag that sets it is named in the error).
    ///
    /// - Throws: ``FairgroundError`` for ε ≤ 0 or NaN, δ outside (0, 1), a clip ≤ 0, a budget below 1 or a cap ≤ 0
    ///   (``plan(for:)`` also refuses a cap that leaves an interaction no weight under the model's rule).
    public init(epsilon: Double, delta: Double, clip: Double? = nil, maxItems: Int = 20,
                itemSelection: ItemSelection = .uniform, confidenceCap: Double? = 2) throws(FairgroundError) {
        guard epsilon > 0, !epsilon.isNaN else {
            throw FairgroundError.parameter("dp-epsilon", expected: "ε > 0 (or inf for no noise)", found: "\(epsilon)")
        }
        guard delta > 0, delta < 1 else {
            throw FairgroundError.parameter("dp-delta", expected: "δ in (0, 1), e.g. 1e-6", found: "\(delta)")
        }
        if let clip, !(clip > 0 && clip.isFinite) {
            throw FairgroundError.parameter("dp-clip", expected: "a finite clip norm > 0", found: "\(clip)")
        }
        guard maxItems >= 1 else {
            throw FairgroundError.parameter("dp-max-items", expected: "a budget of at least 1 item per user",
                                            found: "\(maxItems)")
        }
        if let confidenceCap, !(confidenceCap > 0 && confidenceCap.isFinite) {
            throw FairgroundError.parameter("dp-confidence-cap", expected: "a finite confidence cap > 0",
                                            found: "\(confidenceCap)")
        }
        self.epsilon = epsilon
        self.delta = delta
        self.clip = clip
        self.maxItems = maxItems
        self.itemSelection = itemSelection
        self.confidenceCap = confidenceCap
    }

    /// A private training's trainer and what it promises: the noise scale that meets (ε, δ) over the
    /// configuration's sweeps, found by the Rényi-DP accountant, and the step that applies it.
    public struct Plan: Sendable {
        /// The trainer, with the private item side as its step.
        public var trainer: ImplicitALS
        /// What the trained model's item factors promise (recorded in its file).
        public var guarantee: PrivacyGuarantee
    }

    /// The releases of a run of `sweeps` sweeps at noise multiplier `scale`: per sweep the Gram matrix, the item
    /// blocks (unless they carry no user data) and the right-hand sides, and — with `tail` selection — the item
    /// counts once.
    func releases(scale: Double, sweeps: Int, blocksCarryData: Bool) -> [GaussianRelease] {
        var releases = [GaussianRelease(noiseMultiplier: scale, count: sweeps)]
        if blocksCarryData { releases.append(GaussianRelease(noiseMultiplier: scale, count: sweeps)) }
        releases.append(GaussianRelease(noiseMultiplier: scale, count: sweeps))
        if itemSelection == .tail { releases.append(GaussianRelease(noiseMultiplier: scale, count: 1)) }
        return releases
    }

    /// The clip at which the noise on an item's block has a spectral norm of about λ/8 (a k × k symmetric Gaussian
    /// matrix of entry deviation σ has norm about 2σ√k, and σ = noise multiplier·√B·W·C²), so λI keeps every noisy
    /// system well conditioned and none needs projecting; smaller ε gets a smaller clip. Computed from the
    /// parameters alone, it costs no privacy. On credit-offers (20,000 users, 48 factors, λ = 100) it was the best
    /// clip of a grid at ε = 1 and ε = 8 (`Benchmarks/README.md`). Without block noise (W = 0) it is 1.
    public func automaticClip(noiseMultiplier: Double, blockWeight: Double, factors: Int, regularization: Double)
        -> Double
    {
        let perUnit = noiseMultiplier * Double(maxItems).squareRoot() * blockWeight
        guard perUnit > 0, regularization > 0 else { return 1 }
        return (regularization / (16 * perUnit * Double(factors).squareRoot())).squareRoot()
    }

    /// The trainer for `configuration` and its guarantee; `nil` for ε = ∞ (train without noise: today's model).
    ///
    /// - Throws: ``FairgroundError`` naming the flag when the configuration cannot be trained privately (no
    ///   sweeps, λ scaled by interaction counts, which would reveal them) or no noise meets the target.
    public func plan(for configuration: ALSConfiguration) throws(FairgroundError) -> Plan? {
        guard epsilon.isFinite else { return nil }
        guard configuration.iterations >= 1 else {
            throw FairgroundError.parameter("iterations", expected: "at least one sweep to train privately",
                                            found: "\(configuration.iterations)")
        }
        let rule = configuration.foldInRule
        guard rule.scaling == .constant else {
            throw FairgroundError.parameter(
                "regularization-scaling", expected: "constant λ under --dp-epsilon (λ·n_i would reveal each "
                    + "item's count)", found: rule.scaling.rawValue)
        }
        let cap = Float(confidenceCap ?? Double(rule.confidence == .onePlusAlpha ? 1 + rule.alpha : rule.alpha))
        // The cap must leave every interaction some weight: above the confidence of a weight of 0.
        let floor: Float = rule.confidence == .onePlusAlpha ? 1 : 0
        guard cap > floor, cap.isFinite else {
            throw FairgroundError.parameter(
                "dp-confidence-cap", expected: "a confidence cap above \(floor) (the confidence of no interaction"
                    + " under the model's rule)", found: "\(cap)")
        }
        var budget = ContributionBudget(maxItems: maxItems, selection: itemSelection, confidenceCap: cap, rule: rule,
                                        countNoiseMultiplier: 0)
        let weight = PrivateItemSide(clip: 1, budget: budget, noiseMultiplier: 1).blockWeight
        let carries = weight > 0
        let sweeps = configuration.iterations
        let accountant = RDPAccountant()
        let (scale, achieved) = try accountant.scale(achieving: epsilon, delta: delta) { s in
            releases(scale: s, sweeps: sweeps, blocksCarryData: carries)
        }
        budget.countNoiseMultiplier = scale
        let clip = self.clip ?? automaticClip(noiseMultiplier: scale, blockWeight: Double(weight),
                                              factors: configuration.factors,
                                              regularization: Double(configuration.regularization))
        var trainer = ImplicitALS(configuration: configuration)
        trainer.itemStatisticsSteps = [PrivateItemSide(clip: Float(clip), budget: budget, noiseMultiplier: scale)]
        let guarantee = PrivacyGuarantee(
            epsilon: achieved, delta: delta, accountant: "rdp", releases: releases(scale: scale, sweeps: sweeps,
                                                                                   blocksCarryData: carries),
            clip: clip, maxItems: maxItems, itemSelection: itemSelection.rawValue, confidenceCap: Double(cap))
        return Plan(trainer: trainer, guarantee: guarantee)
    }
}
