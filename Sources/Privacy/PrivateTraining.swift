public import FileSupport

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
    /// The norm each user's factor row is clipped to before it reaches the item side.
    public var clip: Double
    /// The most items one user contributes to the item side (B).
    public var maxItems: Int
    /// How the B items are chosen.
    public var itemSelection: ItemSelection
    /// The largest confidence one interaction carries into the item side.
    public var confidenceCap: Double

    /// Creates the parameters, checking each (the flag that sets it is named in the error).
    ///
    /// - Throws: ``FairgroundError`` for ε ≤ 0, δ outside (0, 1), clip ≤ 0, a budget below 1 or a cap below 1.
    public init(epsilon: Double, delta: Double, clip: Double = 1, maxItems: Int = 50,
                itemSelection: ItemSelection = .uniform, confidenceCap: Double = 11) throws(FairgroundError) {
        guard epsilon > 0, !epsilon.isNaN else {
            throw FairgroundError.parameter("dp-epsilon", expected: "ε > 0 (or inf for no noise)", found: "\(epsilon)")
        }
        guard delta > 0, delta < 1 else {
            throw FairgroundError.parameter("dp-delta", expected: "δ in (0, 1), e.g. 1e-6", found: "\(delta)")
        }
        guard clip > 0, clip.isFinite else {
            throw FairgroundError.parameter("dp-clip", expected: "a finite clip norm > 0", found: "\(clip)")
        }
        guard maxItems >= 1 else {
            throw FairgroundError.parameter("dp-max-items", expected: "a budget of at least 1 item per user",
                                            found: "\(maxItems)")
        }
        guard confidenceCap >= 1, confidenceCap.isFinite else {
            throw FairgroundError.parameter("dp-confidence-cap", expected: "a finite confidence cap ≥ 1",
                                            found: "\(confidenceCap)")
        }
        self.epsilon = epsilon
        self.delta = delta
        self.clip = clip
        self.maxItems = maxItems
        self.itemSelection = itemSelection
        self.confidenceCap = confidenceCap
    }
}
