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

    /// One line for people: the guarantee, then how it was obtained.
    public var summary: String {
        let multipliers = Set(releases.map(\.noiseMultiplier)).sorted().map { Self.figure($0) }.joined(separator: ", ")
        let count = releases.reduce(0) { $0 + $1.count }
        return "private: the item factors are (ε = \(Self.figure(epsilon)), δ = \(delta))-differentially private for "
            + "each user's whole history (\(accountant) accountant); noise multiplier \(multipliers) on \(count) "
            + "releases; user rows clipped to \(Self.figure(clip)), at most \(maxItems) items per user "
            + "(\(itemSelection)), confidence at most \(Self.figure(confidenceCap))"
    }

    /// Four significant figures.
    static func figure(_ x: Double) -> String {
        guard x.isFinite, x != 0 else { return "\(x)" }
        let digits = max(0, 3 - Int((abs(x)).log10Floor))
        let scale = pow10(digits)
        return "\((x * scale).rounded() / scale)"
    }

    private static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { r, _ in r * 10 } }

    enum CodingKeys: String, CodingKey {
        case epsilon, delta, accountant, releases, clip
        case maxItems = "max_items"
        case itemSelection = "item_selection"
        case confidenceCap = "confidence_cap"
    }
}

extension Double {
    /// ⌊log₁₀ |x|⌋ for a finite non-zero value.
    fileprivate var log10Floor: Int {
        var n = 0, v = abs(self)
        while v >= 10 { v /= 10; n += 1 }
        while v < 1 { v *= 10; n -= 1 }
        return n
    }
}
