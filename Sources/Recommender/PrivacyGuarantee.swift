/// What a differentially private training promises, as its model file records it: user-level (ε, δ) for the item
/// factors (and everything served to anybody else), the accountant that composed the run's releases, and how each
/// user's contribution was bounded.
///
/// `releases` are enough to re-account the run with another accountant; `clip`, `maxItems`, `itemSelection` and
/// `confidenceCap` say what the sensitivities were computed from.
public struct PrivacyGuarantee: Sendable, Equatable, Codable {
    /// ε of the (ε, δ) guarantee.
    public var epsilon: Double
    /// δ of the (ε, δ) guarantee.
    public var delta: Double
    /// The accountant and conversion that gave ε (for example `rdp`).
    public var accountant: String
    /// Every Gaussian mechanism the run applied, with its noise multiplier and count.
    public var releases: [GaussianRelease]
    /// The norm every user's factor row was clipped to before it reached the item side.
    public var clip: Double
    /// The most items one user contributes to the item side (the budget B).
    public var maxItems: Int
    /// How the B items were chosen: `uniform` (a seeded hash) or `tail` (the least popular, counted privately).
    public var itemSelection: String
    /// The largest confidence one interaction carries into the item side.
    public var confidenceCap: Double

    /// Creates a record.
    public init(epsilon: Double, delta: Double, accountant: String, releases: [GaussianRelease], clip: Double,
                maxItems: Int, itemSelection: String, confidenceCap: Double) {
        self.epsilon = epsilon
        self.delta = delta
        self.accountant = accountant
        self.releases = releases
        self.clip = clip
        self.maxItems = maxItems
        self.itemSelection = itemSelection
        self.confidenceCap = confidenceCap
    }

    enum CodingKeys: String, CodingKey {
        case epsilon, delta, accountant, releases, clip
        case maxItems = "max_items"
        case itemSelection = "item_selection"
        case confidenceCap = "confidence_cap"
    }
}
