#if canImport(Glibc)
internal import Glibc
#endif

/// The hypothesis tests an audit uses, and Holm's multiple-testing correction.
///
/// Proportions are compared with the chi-square test of homogeneity (for binary outcomes equal means and equal
/// distributions coincide, so it tests exactly the parity claim); means with the large-sample Welch statistic,
/// which studentises each group by its own variance and so stays valid when variances differ (DiCiccio, Hou &
/// Politis 2020); paired decisions with McNemar's exact test.
public enum Significance {
    /// The outcome of one test.
    public enum Outcome: Sendable, Equatable {
        /// A p-value.
        case tested(pValue: Double)
        /// The test cannot be trusted on these data; the reason says why.
        case insufficient(reason: String)
    }

    /// Φ(x), the standard normal distribution function.
    public static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation polished by two Newton steps (|error| < 1e-12).
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "The normal quantile needs p in (0, 1)")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                 -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                 -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        var x: Double
        if p < 0.02425 {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p > 1 - 0.02425 {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        }
        for _ in 0..<2 {
            let e = normalCDF(x) - p
            x -= e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        }
        return x
    }

    /// P(χ²_df ≥ x).
    public static func chiSquareSurvival(_ x: Double, degreesOfFreedom df: Int) -> Double {
        precondition(df >= 1, "Degrees of freedom must be positive")
        guard x > 0 else { return 1 }
        return upperRegularizedGamma(Double(df) / 2, x / 2)
    }

    /// Q(a, x) = Γ(a, x) / Γ(a): a series below a + 1, Lentz's continued fraction above.
    static func upperRegularizedGamma(_ a: Double, _ x: Double) -> Double {
        let logPrefix = a * log(x) - x - lgamma(a)
        if x < a + 1 {
            var term = 1 / a, sum = term, n = a
            for _ in 0..<10_000 {
                n += 1
                term *= x / n
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * exp(logPrefix))
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return min(1, exp(logPrefix) * h)
    }

    /// Chi-square test that the proportion `successes[g] / totals[g]` is the same in every group.
    ///
    /// Groups with no members are left out. Insufficient when fewer than two groups remain, when an expected
    /// cell count is below 5 (the approximation's usual condition), or when a group is below `minimumSize`.
    public static func proportionsEqual(successes: [Double], totals: [Double], minimumSize: Double = 0,
                                        names: [String]) -> Outcome {
        var s: [Double] = [], t: [Double] = []
        for g in totals.indices where totals[g] > 0 {
            if totals[g] < minimumSize {
                return .insufficient(reason: "group \(names[g]) has \(Int(totals[g])) members (< \(Int(minimumSize)))")
            }
            s.append(successes[g])
            t.append(totals[g])
        }
        guard s.count >= 2 else { return .insufficient(reason: "fewer than two groups with members") }
        let total = t.reduce(0, +), hits = s.reduce(0, +)
        let p = hits / total
        if hits == 0 || hits == total { return .tested(pValue: 1) }
        var statistic = 0.0
        for g in s.indices {
            let expectedHits = t[g] * p, expectedMisses = t[g] * (1 - p)
            if expectedHits < 5 || expectedMisses < 5 {
                return .insufficient(reason: "expected count below 5 in a group of \(Int(t[g]))")
            }
            statistic += (s[g] - expectedHits) * (s[g] - expectedHits) / expectedHits
                + (t[g] - s[g] - expectedMisses) * (t[g] - s[g] - expectedMisses) / expectedMisses
        }
        return .tested(pValue: chiSquareSurvival(statistic, degreesOfFreedom: s.count - 1))
    }

    /// Summary statistics of one group's values, for Welch's test.
    public struct Moments: Sendable, Equatable {
        /// Count.
        public var count: Double
        /// Σ x.
        public var sum: Double
        /// Σ x².
        public var sumOfSquares: Double

        /// Creates moments.
        public init(count: Double, sum: Double, sumOfSquares: Double) {
            self.count = count
            self.sum = sum
            self.sumOfSquares = sumOfSquares
        }

        var mean: Double { sum / count }
        /// The unbiased variance.
        var variance: Double { max(0, (sumOfSquares - sum * sum / count) / (count - 1)) }
    }

    /// Large-sample Welch test that every group has the same mean: Σ w_g (m_g − m̄)² with w_g = n_g / s²_g and
    /// m̄ the w-weighted mean, referred to χ² with (groups − 1) degrees of freedom (for two groups this is the
    /// square of Welch's z).
    ///
    /// Insufficient when fewer than two groups have `minimumSize` members (at least 2).
    public static func meansEqual(_ groups: [Moments], minimumSize: Double = 2, names: [String]) -> Outcome {
        var used: [Moments] = []
        for (g, m) in groups.enumerated() where m.count > 0 {
            if m.count < max(2, minimumSize) {
                return .insufficient(reason: "group \(names[g]) has \(Int(m.count)) members (< \(Int(max(2, minimumSize))))")
            }
            used.append(m)
        }
        guard used.count >= 2 else { return .insufficient(reason: "fewer than two groups with members") }
        if used.allSatisfy({ $0.variance == 0 }) {
            return .tested(pValue: Set(used.map(\.mean)).count == 1 ? 1 : 0)
        }
        if used.contains(where: { $0.variance == 0 }) {
            return .insufficient(reason: "a group's values are all equal, so its variance is unknown")
        }
        let weights = used.map { $0.count / $0.variance }
        let pooled = zip(weights, used).reduce(0) { $0 + $1.0 * $1.1.mean } / weights.reduce(0, +)
        let statistic = zip(weights, used).reduce(0) { $0 + $1.0 * ($1.1.mean - pooled) * ($1.1.mean - pooled) }
        return .tested(pValue: chiSquareSurvival(statistic, degreesOfFreedom: used.count - 1))
    }

    /// Large-sample test that a mean is 0 (for paired differences): z = mean / (s / √n).
    public static func meanIsZero(_ m: Moments, minimumSize: Double = 2) -> Outcome {
        guard m.count >= max(2, minimumSize) else {
            return .insufficient(reason: "\(Int(m.count)) values (< \(Int(max(2, minimumSize))))")
        }
        if m.variance == 0 { return .tested(pValue: m.mean == 0 ? 1 : 0) }
        let z = m.mean / (m.variance / m.count).squareRoot()
        return .tested(pValue: 2 * normalCDF(-abs(z)))
    }

    /// McNemar's exact test on paired binary decisions: `down` pairs went 1 → 0 and `up` pairs 0 → 1; under the
    /// null both directions are equally likely, so the p-value is the two-sided binomial(up + down, ½) tail.
    public static func mcNemar(up: Int, down: Int) -> Double {
        let n = up + down
        guard n > 0 else { return 1 }
        let k = min(up, down)
        // P(X ≤ k) for X ~ Binomial(n, ½), summed downwards from the largest term.
        var term = exp(lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
                       - Double(n) * log(2.0))
        var tail = 0.0
        var i = k
        while i >= 0 {
            tail += term
            if term < tail * 1e-17 || term == 0 { break }
            term *= Double(i) / Double(n - i + 1)
            i -= 1
        }
        return min(1, 2 * tail)
    }

    /// Holm's step-down adjusted p-values (Holm 1979): controls the family-wise error rate at any level for
    /// any dependence between the tests.
    public static func holm(_ p: [Double]) -> [Double] {
        let order = p.indices.sorted { p[$0] != p[$1] ? p[$0] < p[$1] : $0 < $1 }
        var adjusted = [Double](repeating: 1, count: p.count)
        var running = 0.0
        for (rank, i) in order.enumerated() {
            running = max(running, min(1, Double(p.count - rank) * p[i]))
            adjusted[i] = running
        }
        return adjusted
    }
}
