public import FileSupport
public import Recommender

extension RDPAccountant {
    /// The noise scales the calibration searches: from 10⁻⁶ to 10⁸.
    ///
    /// A noise multiplier of 10⁸ makes one Gaussian's divergence at the smallest default order about 5.5 · 10⁻¹⁷,
    /// below δ² for any δ above 10⁻⁸, so every reasonable target is reached inside the bracket; a scale of 10⁻⁶
    /// already costs an ε above 10¹¹.
    static let scaleBracket: ClosedRange<Double> = 1e-6...1e8

    /// The relative width at which the calibration stops: the scale it returns is within this factor of the
    /// smallest scale that reaches the target.
    static let scaleTolerance = 1e-6

    /// The smallest noise scale whose releases meet a target ε at δ, found by bisection, and the ε it achieves.
    ///
    /// `releases` maps a scale s to the run's releases; every noise multiplier in them must be proportional to s
    /// (for private ALS: `[Gaussian(s), Gaussian(s/√B), Gaussian(s/√B)]` per sweep), so ε falls as s grows and
    /// the smallest s meeting the target is well defined. The search halves the bracket 10⁻⁶ … 10⁸ geometrically
    /// until its ends are within a relative 10⁻⁶, always from the same ends, so the same inputs give the same
    /// scale bit for bit. The scale returned always meets the target (its ε ≤ `epsilon`), and is at most 10⁻⁶
    /// (relative) above the smallest one that does; the ε it achieves is then within a relative 2 · 10⁻⁶ of the target,
    /// except for targets below about log(1/δ) / 1023 (the bound at the largest default order), where ε jumps to 0
    /// as the divergence falls below δ², or when even the smallest scale in the bracket meets the target (that
    /// scale is returned).
    ///
    /// ```swift
    /// let (scale, achieved) = try RDPAccountant().scale(achieving: 1, delta: 1e-6) { s in
    ///     [GaussianRelease(noiseMultiplier: s, count: 1)]
    /// }
    /// // scale ≈ 4.530877, achieved ≤ 1
    /// ```
    ///
    /// `epsilon` = +∞ means "no noise" to the callers; there is nothing to calibrate, so it is refused here.
    ///
    /// - Parameters:
    ///   - epsilon: The target ε, finite and > 0.
    ///   - delta: The target δ, in (0, 1).
    ///   - releases: The run's releases at a noise scale s > 0, each noise multiplier proportional to s.
    /// - Returns: The scale found and the ε its releases achieve (≤ `epsilon`).
    /// - Throws: ``FairgroundError`` naming `dp-epsilon` when `epsilon` is not finite and positive or when no
    ///   scale up to 10⁸ meets it, and naming `dp-delta` when δ is outside (0, 1).
    /// - Complexity: About 25 evaluations of `releases` and of ``epsilon(of:delta:)``.
    public func scale(
        achieving epsilon: Double, delta: Double, releases: (Double) -> [GaussianRelease]
    ) throws(FairgroundError) -> (scale: Double, epsilon: Double) {
        guard epsilon > 0, epsilon.isFinite else {
            throw FairgroundError.parameter(
                "dp-epsilon", expected: "a finite ε > 0 to calibrate noise for (inf trains without noise)",
                found: "\(epsilon)")
        }
        guard delta > 0, delta < 1 else {
            throw FairgroundError.parameter("dp-delta", expected: "δ in (0, 1), e.g. 1e-6", found: "\(delta)")
        }
        func achieved(_ scale: Double) -> Double { self.epsilon(of: releases(scale), delta: delta).epsilon }

        var low = Self.scaleBracket.lowerBound, high = Self.scaleBracket.upperBound
        var atHigh = achieved(high)
        guard atHigh <= epsilon else {
            throw FairgroundError.parameter(
                "dp-epsilon",
                expected: "an ε these releases reach at δ = \(delta) with a noise scale up to \(high) "
                    + "(there ε = \(atHigh))",
                found: "\(epsilon)")
        }
        let atLow = achieved(low)
        if atLow <= epsilon { return (low, atLow) }
        // Invariant: the scale `low` misses the target, the scale `high` meets it with ε = atHigh.
        while high > low * (1 + Self.scaleTolerance) {
            let middle = (low * high).squareRoot()
            let atMiddle = achieved(middle)
            if atMiddle <= epsilon {
                high = middle
                atHigh = atMiddle
            } else {
                low = middle
            }
        }
        return (high, atHigh)
    }
}
