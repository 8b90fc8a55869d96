#if canImport(Glibc)
internal import Glibc
#endif

/// Maps an attribute's latent standard-normal value to its observed value and back (the copula's marginals).
///
/// Observed values are stored as `Double`: the level index of a categorical attribute, 0 or 1 for a boolean,
/// the value itself for a numeric one. Higher latent values give later levels, `true`, and larger numbers.
struct Marginal: Sendable {
    enum Kind: Sendable {
        /// Latent thresholds between consecutive levels, and the cumulative probabilities they come from.
        case categorical(thresholds: [Double], cumulative: [Double])
        /// The latent value above which the attribute is true, and P(true).
        case boolean(threshold: Double, p: Double)
        /// A continuous marginal with the probability range its truncation keeps.
        case numeric(NumericMarginal, lower: Double, upper: Double)
    }

    let kind: Kind

    init(_ spec: AttributeSpec) {
        switch spec.kind {
        case .categorical(_, let probabilities):
            var cumulative = [0.0]
            for p in probabilities { cumulative.append(cumulative.last! + p) }
            cumulative[cumulative.count - 1] = 1
            let thresholds = cumulative.dropFirst().dropLast().map { StandardNormal.quantile($0) }
            kind = .categorical(thresholds: Array(thresholds), cumulative: cumulative)
        case .boolean(let p):
            kind = .boolean(threshold: StandardNormal.quantile(1 - p), p: p)
        case .numeric(let m):
            let (lo, hi) = Marginal.truncationRange(m)
            kind = .numeric(m, lower: lo, upper: hi)
        }
    }

    /// The observed value for a latent value.
    @inline(__always)
    func value(latent z: Double) -> Double {
        switch kind {
        case .categorical(let thresholds, _):
            var level = 0
            for t in thresholds where z > t { level += 1 }
            return Double(level)
        case .boolean(let threshold, _):
            return z > threshold ? 1 : 0
        case .numeric(let m, let lower, let upper):
            return Marginal.numericValue(m, latent: z, lower: lower, upper: upper)
        }
    }

    /// Whether the attribute has levels (categorical or boolean).
    var isDiscrete: Bool {
        if case .numeric = kind { return false }
        return true
    }

    /// The probability interval `[lo, hi)` of a level in uniform space.
    func interval(level: Int) -> (lo: Double, hi: Double) {
        switch kind {
        case .categorical(_, let cumulative):
            return (cumulative[level], cumulative[level + 1])
        case .boolean(_, let p):
            return level == 1 ? (1 - p, 1) : (0, 1 - p)
        case .numeric:
            preconditionFailure("numeric attributes have no levels")
        }
    }

    /// Moves a latent value to the same relative position inside another level's interval
    /// (the action step of a categorical counterfactual). A value already at that level is returned unchanged.
    func latent(_ z: Double, movedTo level: Int) -> Double {
        if Int(value(latent: z)) == level { return z }
        let from = interval(level: Int(value(latent: z)))
        let to = interval(level: level)
        let u = StandardNormal.cdf(z)
        let relative = min(max((u - from.lo) / (from.hi - from.lo), 0), 1)
        var target = to.lo + relative * (to.hi - to.lo)
        // Keep the result strictly inside the level, whatever the rounding.
        let z2 = StandardNormal.quantile(target)
        if Int(value(latent: z2)) == level { return z2 }
        target = (to.lo + to.hi) / 2
        return StandardNormal.quantile(target)
    }

    /// The latent value whose observed value is `x` (numeric attributes), or `nil` when `x` is outside the support.
    func latent(forValue x: Double) -> Double? {
        guard case .numeric(let m, let lower, let upper) = kind, x.isFinite else { return nil }
        if let lo = m.minimum, x < lo { return nil }
        if let hi = m.maximum, x > hi { return nil }
        let u: Double
        switch m.distribution {
        case .normal(let mean, let sd):
            u = StandardNormal.cdf((x - mean) / sd)
        case .lognormal(let mu, let sigma):
            guard x > 0 else { return nil }
            u = StandardNormal.cdf((log(x) - mu) / sigma)
        case .uniform(let a, let b):
            guard x >= a, x <= b else { return nil }
            u = (x - a) / (b - a)
        case .beta(let a, let b):
            guard x >= 0, x <= 1 else { return nil }
            u = BetaFunction(a: a, b: b).cdf(x)
        }
        let relative = (u - lower) / (upper - lower)
        let clamped = min(max(relative, 1e-15), 1 - 1e-15)
        return StandardNormal.quantile(clamped)
    }

    /// The untruncated distribution function.
    static func cdf(_ m: NumericMarginal, _ x: Double) -> Double {
        switch m.distribution {
        case .normal(let mean, let sd): StandardNormal.cdf((x - mean) / sd)
        case .lognormal(let mu, let sigma): x <= 0 ? 0 : StandardNormal.cdf((log(x) - mu) / sigma)
        case .uniform(let a, let b): min(max((x - a) / (b - a), 0), 1)
        case .beta(let a, let b): BetaFunction(a: a, b: b).cdf(x)
        }
    }

    /// The probability range `[F(min), F(max)]` kept by the truncation.
    static func truncationRange(_ m: NumericMarginal) -> (Double, Double) {
        (m.minimum.map { cdf(m, $0) } ?? 0, m.maximum.map { cdf(m, $0) } ?? 1)
    }

    /// The probability mass kept by the truncation.
    static func numericTruncationMass(_ m: NumericMarginal) -> Double {
        let (lo, hi) = truncationRange(m)
        return hi - lo
    }

    @inline(__always)
    static func numericValue(_ m: NumericMarginal, latent z: Double, lower: Double, upper: Double) -> Double {
        let truncated = lower > 0 || upper < 1
        switch m.distribution {
        case .normal(let mean, let sd):
            if !truncated { return mean + sd * z }
            let x = mean + sd * StandardNormal.quantile(lower + StandardNormal.cdf(z) * (upper - lower))
            return clamp(x, m)
        case .lognormal(let mu, let sigma):
            if !truncated { return exp(mu + sigma * z) }
            let x = exp(mu + sigma * StandardNormal.quantile(lower + StandardNormal.cdf(z) * (upper - lower)))
            return clamp(x, m)
        case .uniform(let a, let b):
            return a + (b - a) * StandardNormal.cdf(z)
        case .beta(let a, let b):
            let x = BetaFunction(a: a, b: b).quantile(lower + StandardNormal.cdf(z) * (upper - lower))
            return clamp(x, m)
        }
    }

    @inline(__always)
    static func clamp(_ x: Double, _ m: NumericMarginal) -> Double {
        var x = x
        if let lo = m.minimum, x < lo { x = lo }
        if let hi = m.maximum, x > hi { x = hi }
        return x
    }
}
