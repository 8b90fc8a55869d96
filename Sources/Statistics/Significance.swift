#if canImport(Glibc)
internal import Glibc
#endif

/// The hypothesis tests an audit uses, and Holm's multiple-testing correction.
///
/// Rates and means are compared with the Wald test of equal values, which studentises each group by its own
/// variance and so stays valid when variances differ (DiCiccio, Hou & Politis 2020; for 0/1 values it is Welch's
/// large-sample test) and which the gap intervals invert; the share of twins treated differently with an exact
/// binomial test; the direction of paired decisions with McNemar's exact test.
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

    /// The `level` quantile of χ²_df: the x with P(χ²_df ≤ x) = level (bisection on the survival function).
    public static func chiSquareQuantile(_ level: Double, degreesOfFreedom df: Int) -> Double {
        precondition(level > 0 && level < 1 && df >= 1, "The chi-square quantile needs a level in (0, 1)")
        var lo = 0.0, hi = Double(df)
        while chiSquareSurvival(hi, degreesOfFreedom: df) > 1 - level { hi *= 2 }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if chiSquareSurvival(mid, degreesOfFreedom: df) > 1 - level { lo = mid } else { hi = mid }
            if hi - lo <= 1e-13 * hi { break }
        }
        return (lo + hi) / 2
    }

    /// The Wald test that every group has the same value, each group studentised by its own variance:
    /// T = min over m of Σ (θ̂_g − m)² / v_g (the inverse-variance-weighted mean attains it), referred to χ² with
    /// (groups − 1) degrees of freedom. For proportions with the binomial variance this is Welch's test on 0/1
    /// values; for two groups it is the square of the z statistic of their difference. It is the test the gap
    /// intervals invert (``IntervalMethod``), so a gap interval reaches "no gap" exactly when it does not reject.
    package static func valuesEqual(_ groups: [GroupSummary]) -> Outcome {
        guard groups.count >= 2 else { return .insufficient(reason: "fewer than two groups with members") }
        if groups.contains(where: { !($0.variance > 0) || !$0.variance.isFinite }) {
            return .insufficient(reason: "a group's values are all equal, so its variance is unknown")
        }
        let statistic = IntervalMethod.distance(groups, scale: 1, shift: 0)
        return .tested(pValue: chiSquareSurvival(statistic, degreesOfFreedom: groups.count - 1))
    }

    /// Q(a, x) = Γ(a, x) / Γ(a): a series below a + 1, Lentz's continued fraction above.
    package static func upperRegularizedGamma(_ a: Double, _ x: Double) -> Double {
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

    /// Summary statistics of one group's values (count, sum, sum of squares).
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

        package var mean: Double { sum / count }
        /// The unbiased variance.
        package var variance: Double { max(0, (sumOfSquares - sum * sum / count) / (count - 1)) }
    }

    /// The Wald z-test that a statistic is 0, given its standard error: p = 2Φ(−|value / error|).
    public static func isZero(value: Double, error: Double) -> Outcome {
        guard error > 0, error.isFinite else { return .insufficient(reason: "the standard error is 0 or unknown") }
        return .tested(pValue: 2 * normalCDF(-abs(value / error)))
    }

    /// P(X ≥ x) for X ~ Binomial(n, rate): the exact one-sided p-value of "at most `rate` of the trials succeed"
    /// (1 when x = 0; with rate 0, 0 for any success).
    public static func binomialUpperTail(_ x: Int, of n: Int, rate: Double) -> Double {
        guard x > 0 else { return 1 }
        guard rate > 0 else { return 0 }
        guard rate < 1, x <= n else { return x <= n ? 1 : 0 }
        func term(_ k: Int) -> Double {
            exp(lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
                + Double(k) * log(rate) + Double(n - k) * log1p(-rate))
        }
        if Double(x) > Double(n) * rate {
            // Above the mean the terms fall as k grows: sum upwards.
            var total = 0.0
            for k in x...n {
                let t = term(k)
                total += t
                if t < total * 1e-17 { break }
            }
            return min(1, total)
        }
        // At or below the mean: 1 − P(X ≤ x − 1), summed downwards.
        var lower = 0.0
        var k = x - 1
        while k >= 0 {
            let t = term(k)
            lower += t
            if t < lower * 1e-17 { break }
            k -= 1
        }
        return max(0, 1 - lower)
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

    /// A positive number as findings write it: four decimals, or a mantissa and exponent below 1e-4 (`1.4e-5`).
    package static func formatted(_ p: Double) -> String {
        if p == 0 { return "0" }
        if p < 1e-4 {
            let exponent = Int((log10(p)).rounded(.down))
            let mantissa = p / pow(10, Double(exponent))
            return "\((mantissa * 10).rounded() / 10)e\(exponent)"
        }
        return "\((p * 10_000).rounded() / 10_000)"
    }
}
