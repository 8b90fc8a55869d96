/// Clopper–Pearson ("exact") bounds on a binomial proportion from `successes` of `trials`: the rates p at which
/// seeing that many successes (or more, or fewer) would still have probability at least 1 − `level` — beta
/// quantiles, never outside [0, 1], conservative at every sample size.
///
/// One-sided bounds (``lower(successes:trials:level:)``, ``upper(successes:trials:level:)``) hold each with
/// probability at least `level`; the two-sided interval spends (1 − level) / 2 on each side. The same values as
/// `statsmodels.stats.proportion.proportion_confint(method="beta")` and scipy's
/// `binomtest(...).proportion_ci(method="exact")`.
///
/// ```swift
/// ClopperPearson.lower(successes: 45, trials: 50, level: 0.975)   // 0.78187…
/// ClopperPearson.interval(successes: 0, trials: 20, level: 0.95)  // (0, 0.16843…)
/// ```
package enum ClopperPearson {
    /// The one-sided lower bound at confidence `level`: the `1 − level` quantile of Beta(x, n − x + 1); 0 when
    /// there is no success.
    ///
    /// - Precondition: `0 <= successes <= trials`, `trials > 0`, `level` in (0, 1).
    package static func lower(successes x: Int, trials n: Int, level: Double) -> Double {
        check(x, n, level)
        guard x > 0 else { return 0 }
        return BetaDistribution(a: Double(x), b: Double(n - x + 1)).quantile(1 - level)
    }

    /// The one-sided upper bound at confidence `level`: the `level` quantile of Beta(x + 1, n − x); 1 when every
    /// trial succeeded.
    ///
    /// - Precondition: `0 <= successes <= trials`, `trials > 0`, `level` in (0, 1).
    package static func upper(successes x: Int, trials n: Int, level: Double) -> Double {
        check(x, n, level)
        guard x < n else { return 1 }
        return BetaDistribution(a: Double(x + 1), b: Double(n - x)).quantile(level)
    }

    /// The two-sided interval at confidence `level` (each side at 1 − (1 − level) / 2); it contains x / n.
    ///
    /// - Precondition: as for the one-sided bounds.
    package static func interval(successes x: Int, trials n: Int, level: Double) -> (lower: Double, upper: Double) {
        let side = 1 - (1 - level) / 2
        let rate = Double(x) / Double(n)
        return (min(rate, lower(successes: x, trials: n, level: side)),
                max(rate, upper(successes: x, trials: n, level: side)))
    }

    private static func check(_ x: Int, _ n: Int, _ level: Double) {
        precondition(n > 0 && x >= 0 && x <= n, "Clopper–Pearson needs 0 ≤ successes ≤ trials and trials > 0")
        precondition(level > 0 && level < 1, "Clopper–Pearson needs a level in (0, 1)")
    }
}
