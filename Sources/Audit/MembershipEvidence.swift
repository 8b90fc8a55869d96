/// What a user-level membership inference attack found against the model under audit, as the audit's privacy
/// view receives it: the attack's AUC with DeLong's standard error, the empirical lower bound on ε its best
/// threshold proves on held-out users, and what the model promised.
///
/// A plain value: Audit knows no attack. AuditSubjects runs Privacy's `MembershipAttack` on the members' world
/// and a non-member world and fills it (`MembershipAudit`); a Swift test can build one directly. The view turns it
/// into two findings — `membership_auc` (DeLong's one-sided test that the AUC exceeds 0.5, in the audit's Holm
/// family) and `empirical_epsilon` (a one-sided lower bound, not a test) — and `report.json` carries it whole as
/// `privacy.membership`.
public struct MembershipEvidence: Sendable, Codable, Equatable {
    /// The non-members' world (a generated directory), for the reader.
    public var nonMembers: String
    /// What the attacker observes: `factors` (the item factors and the fold-in rule) or `lists` (the top-K lists
    /// served).
    public var variant: String
    /// K of the lists the `lists` attacker sees; `nil` for `factors`.
    public var listLength: Int?
    /// The seed of the sample and of its calibration and evaluation halves.
    public var seed: UInt64
    /// Members sampled, and as many non-members.
    public var sampled: Int
    /// Members and non-members that could be scored, before sampling.
    public var eligibleMembers: Int, eligibleNonMembers: Int
    /// The attack's AUC: the probability that a random member scores above a random non-member (ties half).
    public var area: Double
    /// DeLong's standard error of the AUC.
    public var standardError: Double
    /// DeLong's one-sided p-value of "the attack cannot tell" (AUC 0.5).
    public var pValue: Double
    /// The empirical lower bound on ε (0 when the attack proves nothing).
    public var epsilon: Double
    /// δ of the bound.
    public var delta: Double
    /// Where δ came from: `given`, `model` (its privacy guarantee) or `default`.
    public var deltaSource: String
    /// Confidence level of the bound (each Clopper–Pearson bound one-sided at 1 − (1 − level)/2).
    public var level: Double
    /// Members and non-members of the evaluation half, and how many of each the threshold flagged.
    public var evaluationMembers: Int, evaluationNonMembers: Int, truePositives: Int, falsePositives: Int
    /// The Clopper–Pearson lower bound of the true-positive rate and upper bound of the false-positive rate the
    /// bound rests on.
    public var truePositiveRateLower: Double, falsePositiveRateUpper: Double
    /// The model's promised ε and δ, when it was trained privately.
    public var promisedEpsilon: Double?, promisedDelta: Double?

    /// Creates evidence.
    public init(nonMembers: String, variant: String, listLength: Int? = nil, seed: UInt64, sampled: Int,
                eligibleMembers: Int, eligibleNonMembers: Int, area: Double, standardError: Double, pValue: Double,
                epsilon: Double, delta: Double, deltaSource: String, level: Double, evaluationMembers: Int,
                evaluationNonMembers: Int, truePositives: Int, falsePositives: Int, truePositiveRateLower: Double,
                falsePositiveRateUpper: Double, promisedEpsilon: Double? = nil, promisedDelta: Double? = nil) {
        self.nonMembers = nonMembers
        self.variant = variant
        self.listLength = listLength
        self.seed = seed
        self.sampled = sampled
        self.eligibleMembers = eligibleMembers
        self.eligibleNonMembers = eligibleNonMembers
        self.area = area
        self.standardError = standardError
        self.pValue = pValue
        self.epsilon = epsilon
        self.delta = delta
        self.deltaSource = deltaSource
        self.level = level
        self.evaluationMembers = evaluationMembers
        self.evaluationNonMembers = evaluationNonMembers
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.truePositiveRateLower = truePositiveRateLower
        self.falsePositiveRateUpper = falsePositiveRateUpper
        self.promisedEpsilon = promisedEpsilon
        self.promisedDelta = promisedDelta
    }

    /// Whether the bound exceeds the promised ε at a δ the promise covers (δ at least the promised δ): then the
    /// implementation or the accounting is wrong. `false` for a model without a promise.
    public var breaksPromise: Bool {
        guard let promisedEpsilon, let promisedDelta, delta >= promisedDelta else { return false }
        return epsilon > promisedEpsilon
    }
}
