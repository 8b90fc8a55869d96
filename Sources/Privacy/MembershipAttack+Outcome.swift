extension MembershipAttack {
    /// What a membership attack found: its AUC with DeLong's interval, its ROC curve and the empirical lower bound
    /// on ε its best threshold proves on held-out users, beside what the model promised.
    ///
    /// Encoded (snake case) as the `result` of the attack's `report.json`.
    public struct Outcome: Sendable, Equatable, Codable {
        /// One point of the ROC curve: flag as members the users scoring at least `threshold`.
        public struct Point: Sendable, Equatable, Codable {
            /// The share of non-members flagged.
            public var falsePositiveRate: Double
            /// The share of members flagged.
            public var truePositiveRate: Double
            /// The score threshold; `nil` for the start of the curve (nobody flagged).
            public var threshold: Double?

            /// Creates a point.
            public init(falsePositiveRate: Double, truePositiveRate: Double, threshold: Double?) {
                self.falsePositiveRate = falsePositiveRate
                self.truePositiveRate = truePositiveRate
                self.threshold = threshold
            }
        }

        /// The attacker.
        public var variant: Variant
        /// K of the lists variant; `nil` for the factors variant.
        public var listLength: Int?
        /// The seed of the sample and its halves.
        public var seed: UInt64
        /// Confidence level of the interval and the bound.
        public var level: Double
        /// Members and non-members sampled (equal numbers).
        public var members: Int, nonMembers: Int
        /// Members and non-members that could be scored, before sampling.
        public var eligibleMembers: Int, eligibleNonMembers: Int
        /// The AUC: the probability that a random member scores above a random non-member (ties half).
        public var area: Double
        /// The interval of the AUC at ``level`` (DeLong's standard error, on the logit scale).
        public var lower: Double, upper: Double
        /// DeLong's standard error of the AUC.
        public var standardError: Double
        /// One-sided p-value of "the attack cannot tell" (AUC 0.5).
        public var pValue: Double
        /// The ROC curve over every sampled user.
        public var roc: [Point]
        /// The empirical lower bound on ε.
        public var epsilon: EmpiricalEpsilon
        /// The model's promised ε, when it was trained privately.
        public var promisedEpsilon: Double?
        /// The model's promised δ, when it was trained privately.
        public var promisedDelta: Double?

        /// Whether the AUC's interval lies above 0.5: the attack is shown to tell members from non-members.
        public var tellsMembersApart: Bool { lower > 0.5 }

        /// Whether the empirical ε exceeds the promised one at a δ the promise covers (δ at least the promised δ):
        /// then the implementation or the accounting is wrong. `false` for a model without a promise.
        public var breaksPromise: Bool {
            guard let promisedEpsilon, let promisedDelta, epsilon.delta >= promisedDelta else { return false }
            return epsilon.value > promisedEpsilon
        }
    }
}
