import Recommender

extension GaussianRelease {
    /// The Rényi divergence of this release at `order` α: α / (2z²) per application, times ``count``.
    ///
    /// The Gaussian mechanism with noise multiplier z (standard deviation over L2 sensitivity) is (α, α/(2z²))-RDP
    /// at every order α > 1 (Mironov 2017, Proposition 7); applying it `count` times on fresh noise adds that
    /// divergence `count` times. A noise multiplier of 0 gives +∞ (no privacy), +∞ gives 0, and a release applied
    /// 0 times gives 0. This is the Gaussian's RDP curve, computed as dp-accounting's `RdpAccountant` computes it
    /// (`count * (alpha / (2 * z**2))`), so both compose the same numbers.
    ///
    /// - Parameter order: The Rényi order α (≥ 1).
    /// - Returns: The divergence, ≥ 0 (possibly +∞).
    /// - Precondition: The noise multiplier is not negative or NaN and the count is not negative.
    func renyiDivergence(order: Double) -> Double {
        precondition(noiseMultiplier >= 0, "a noise multiplier is ≥ 0 (found \(noiseMultiplier))")
        precondition(count >= 0, "a release is applied a count ≥ 0 of times (found \(count))")
        if count == 0 { return 0 }
        if noiseMultiplier == 0 { return .infinity }
        return Double(count) * (order / (2 * noiseMultiplier * noiseMultiplier))
    }
}
