#if canImport(Glibc)
internal import Glibc
#endif

/// The regularised incomplete beta function I_x(a, b) and its inverse, for beta marginals.
struct BetaFunction: Sendable {
    let a: Double
    let b: Double
    /// log B(a, b).
    let logBeta: Double

    init(a: Double, b: Double) {
        self.a = a
        self.b = b
        logBeta = lgamma(a) + lgamma(b) - lgamma(a + b)
    }

    /// The beta density at x.
    func density(_ x: Double) -> Double {
        guard x > 0, x < 1 else { return 0 }
        return exp((a - 1) * log(x) + (b - 1) * log1p(-x) - logBeta)
    }

    /// I_x(a, b), by the continued fraction (modified Lentz) on the side where it converges fast.
    func cdf(_ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let front = exp(a * log(x) + b * log1p(-x) - logBeta)
        if x < (a + 1) / (a + b + 2) {
            return front * BetaFunction.continuedFraction(a: a, b: b, x: x) / a
        }
        return 1 - front * BetaFunction.continuedFraction(a: b, b: a, x: 1 - x) / b
    }

    /// The x with I_x(a, b) = p: Newton steps kept inside a shrinking bisection bracket.
    func quantile(_ p: Double) -> Double {
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        var lo = 0.0, hi = 1.0
        var x = a / (a + b)
        for _ in 0..<100 {
            let f = cdf(x) - p
            if f == 0 { return x }
            if f < 0 { lo = x } else { hi = x }
            let d = density(x)
            var next = d > 0 ? x - f / d : (lo + hi) / 2
            if !(next > lo && next < hi) { next = (lo + hi) / 2 }
            if abs(next - x) <= 1e-15 * max(1e-300, x) || hi - lo <= 1e-15 { return next }
            x = next
        }
        return x
    }

    private static func continuedFraction(a: Double, b: Double, x: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }
}
