#if canImport(Glibc)
internal import Glibc
#endif

/// The standard normal distribution's density, distribution and quantile functions.
enum StandardNormal {
    /// φ(x).
    static func density(_ x: Double) -> Double {
        exp(-0.5 * x * x) * 0.398_942_280_401_432_7
    }

    /// Φ(x), accurate in both tails (through `erfc`).
    static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x * 0.707_106_781_186_547_5)
    }

    /// Φ⁻¹(p) for p in (0, 1); −∞ at 0 and +∞ at 1.
    ///
    /// A rational starting value (Abramowitz & Stegun 26.2.23, error < 4.5e-4) refined by two Halley steps on
    /// `erfc`, which brings it to within a few ulps.
    static func quantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        if p > 0.5 { return -quantile(1 - p) }
        // Lower half: p in (0, 0.5].
        let t = (-2 * log(p)).squareRoot()
        var x = -(t - (2.515_517 + t * (0.802_853 + t * 0.010_328))
            / (1 + t * (1.432_788 + t * (0.189_269 + t * 0.001_308))))
        for _ in 0..<2 {
            let e = cdf(x) - p
            let u = e * 2.506_628_274_631_000_5 * exp(0.5 * x * x)
            x -= u / (1 + 0.5 * x * u)
        }
        return x
    }
}
