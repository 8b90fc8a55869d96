import Statistics
#if canImport(Glibc)
internal import Glibc
#endif

/// Maps an attribute's latent standard-normal value to its observed value and back (the copula's marginals).
///
/// Observed values are stored as `Double`: the level index of a categorical attribute, 0 or 1 for a boolean,
/// the value itself for a numeric one. Higher latent values give later levels, `true`, and larger numbers.
///
/// A final class, so the hot loop reaches its tables without copying them.
final class Marginal: Sendable {
    enum Kind: Sendable {
        /// Latent thresholds between consecutive levels, and the cumulative probabilities they come from.
        case categorical(thresholds: [Double], cumulative: [Double])
        /// The latent value above which the attribute is true, and P(true).
        case boolean(threshold: Double, p: Double)
        /// A continuous marginal.
        case numeric(NumericMap)
    }

    /// How ``value(latent:)`` evaluates, without unpacking ``kind``.
    enum FastPath: Sendable {
        case levels, threshold(Double), affine(Double, Double), exponential(Double, Double), table, exact
    }

    let kind: Kind
    let fast: FastPath
    /// Categorical thresholds (empty otherwise).
    let thresholds: [Double]
    /// The interpolation table of a tabulated numeric marginal.
    let table: HermiteTable?

    convenience init(_ spec: AttributeSpec) {
        self.init(kind: Marginal.kind(spec))
    }

    init(kind: Kind) {
        self.kind = kind
        switch kind {
        case .categorical(let thresholds, _):
            fast = .levels
            self.thresholds = thresholds
            table = nil
        case .boolean(let threshold, _):
            fast = .threshold(threshold)
            thresholds = []
            table = nil
        case .numeric(let map):
            thresholds = []
            table = map.table
            let truncated = map.lower > 0 || map.upper < 1
            switch map.marginal.distribution {
            case .normal(let mean, let sd) where !truncated: fast = .affine(mean, sd)
            case .lognormal(let mu, let sigma) where !truncated: fast = .exponential(mu, sigma)
            default: fast = map.table == nil ? .exact : .table
            }
        }
    }

    static func kind(_ spec: AttributeSpec) -> Kind {
        switch spec.kind {
        case .categorical(_, let probabilities):
            var cumulative = [0.0]
            for p in probabilities { cumulative.append(cumulative.last! + p) }
            cumulative[cumulative.count - 1] = 1
            let thresholds = cumulative.dropFirst().dropLast().map { StandardNormal.quantile($0) }
            return .categorical(thresholds: Array(thresholds), cumulative: cumulative)
        case .boolean(let p):
            return .boolean(threshold: StandardNormal.quantile(1 - p), p: p)
        case .numeric(let m):
            return .numeric(NumericMap(m))
        }
    }

    /// The observed value for a latent value.
    @inline(__always)
    func value(latent z: Double) -> Double {
        switch fast {
        case .levels:
            var level = 0
            for t in thresholds where z > t { level += 1 }
            return Double(level)
        case .threshold(let t):
            return z > t ? 1 : 0
        case .affine(let mean, let sd):
            return mean + sd * z
        case .exponential(let mu, let sigma):
            return exp(mu + sigma * z)
        case .table:
            if let x = table.unsafelyUnwrapped.value(z) { return x }
            return exactValue(latent: z)
        case .exact:
            return exactValue(latent: z)
        }
    }

    func exactValue(latent z: Double) -> Double {
        guard case .numeric(let map) = kind else { preconditionFailure("only numeric marginals have values") }
        return map.exact(latent: z)
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
        guard case .numeric(let map) = kind, x.isFinite else { return nil }
        let m = map.marginal, lower = map.lower, upper = map.upper
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
            u = BetaDistribution(a: a, b: b).cdf(x)
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
        case .beta(let a, let b): BetaDistribution(a: a, b: b).cdf(x)
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
    static func clamp(_ x: Double, _ m: NumericMarginal) -> Double {
        var x = x
        if let lo = m.minimum, x < lo { x = lo }
        if let hi = m.maximum, x > hi { x = hi }
        return x
    }
}

/// The map from latent value to a continuous marginal: `x = F⁻¹(lower + Φ(z)·(upper − lower))`.
///
/// An untruncated normal or lognormal is evaluated directly (`mean + sd·z`, `exp(mu + sigma·z)`). Every other
/// marginal would need `Φ` and an inverse CDF per value (an iterative one for the beta), so it is tabulated once
/// on a fine grid of z and evaluated by cubic Hermite interpolation; outside the grid the exact map is used.
/// ``HermiteTable`` documents and tests the accuracy.
struct NumericMap: Sendable {
    let marginal: NumericMarginal
    let lower: Double
    let upper: Double
    let beta: BetaDistribution?
    let table: HermiteTable?

    init(_ marginal: NumericMarginal) {
        self.marginal = marginal
        (lower, upper) = Marginal.truncationRange(marginal)
        if case .beta(let a, let b) = marginal.distribution { beta = BetaDistribution(a: a, b: b) } else { beta = nil }
        let truncated = lower > 0 || upper < 1
        var direct = false
        switch marginal.distribution {
        case .normal, .lognormal: direct = !truncated
        case .uniform, .beta: direct = false
        }
        if direct {
            table = nil
        } else {
            let exact = ExactMap(marginal: marginal, lower: lower, upper: upper, beta: beta)
            table = HermiteTable { exact.value(latent: $0) }
        }
    }

    func exact(latent z: Double) -> Double {
        ExactMap(marginal: marginal, lower: lower, upper: upper, beta: beta).value(latent: z)
    }
}

/// The exact (untabulated) latent-to-value map of a continuous marginal.
///
/// In the upper half it works with the complementary probability `1 − u = (1 − upper) + Φ(−z)·(upper − lower)`,
/// computed without cancellation, so the upper tail is as accurate as the lower one.
struct ExactMap {
    let marginal: NumericMarginal
    let lower: Double
    let upper: Double
    let beta: BetaDistribution?

    func value(latent z: Double) -> Double {
        let truncated = lower > 0 || upper < 1
        switch marginal.distribution {
        case .normal(let mean, let sd):
            if !truncated { return mean + sd * z }
            return Marginal.clamp(mean + sd * standardQuantile(z), marginal)
        case .lognormal(let mu, let sigma):
            if !truncated { return exp(mu + sigma * z) }
            return Marginal.clamp(exp(mu + sigma * standardQuantile(z)), marginal)
        case .uniform(let a, let b):
            return z <= 0 ? a + (b - a) * StandardNormal.cdf(z) : b - (b - a) * StandardNormal.cdf(-z)
        case .beta(let a, let b):
            let (u, q) = probabilities(z)
            let x = u <= 0.5 ? beta!.quantile(u) : 1 - BetaDistribution(a: b, b: a).quantile(q)
            return Marginal.clamp(x, marginal)
        }
    }

    /// `u = lower + Φ(z)(upper − lower)` and `1 − u`, each computed directly.
    func probabilities(_ z: Double) -> (u: Double, q: Double) {
        let width = upper - lower
        return (lower + StandardNormal.cdf(z) * width, (1 - upper) + StandardNormal.cdf(-z) * width)
    }

    /// Φ⁻¹(u), through the complement in the upper half.
    func standardQuantile(_ z: Double) -> Double {
        let (u, q) = probabilities(z)
        return u <= 0.5 ? StandardNormal.quantile(u) : -StandardNormal.quantile(q)
    }
}
