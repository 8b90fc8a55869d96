/// One Gaussian mechanism of a private run, as an accountant composes it: its noise multiplier (the noise's
/// standard deviation over the L2 sensitivity of what it perturbs) and how many times it is applied.
///
/// A run's releases are enough to re-account it with any accountant (for example Google's `dp-accounting`:
/// `SelfComposedDpEvent(GaussianDpEvent(noiseMultiplier), count)`), so a model file records them.
public struct GaussianRelease: Sendable, Equatable, Hashable, Codable {
    /// Standard deviation over sensitivity; larger is more private.
    public var noiseMultiplier: Double
    /// How many times the mechanism is applied (each on fresh noise).
    public var count: Int

    /// Creates a release.
    public init(noiseMultiplier: Double, count: Int) {
        self.noiseMultiplier = noiseMultiplier
        self.count = count
    }

    enum CodingKeys: String, CodingKey {
        case noiseMultiplier = "noise_multiplier"
        case count
    }
}
