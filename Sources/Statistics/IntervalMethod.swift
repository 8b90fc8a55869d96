#if canImport(Glibc)
internal import Glibc
#endif

/// One group's estimate of a rate or mean, with the variance of that estimate and the count behind it.
package struct GroupSummary: Sendable, Equatable {
    /// The rate or mean.
    package var value: Double
    /// The variance of `value` (never 0 for a proportion: see ``proportion(_:of:)``).
    package var variance: Double
    /// The denominator (members, interested users, affected users).
    package var count: Double

    /// A summary from its parts.
    package init(value: Double, variance: Double, count: Double) {
        self.value = value
        self.variance = variance
        self.count = count
    }

    /// A proportion `successes / trials`. Its variance is p̃(1 − p̃)/n with p̃ = (x + ½)/(n + 1), which equals the
    /// binomial p̂(1 − p̂)/n up to O(1/n) and is never 0, so a group whose rate is 0 or 1 still has a finite weight.
    package static func proportion(_ successes: Double, of trials: Double) -> GroupSummary {
        let adjusted = (successes + 0.5) / (trials + 1)
        return GroupSummary(value: successes / trials, variance: adjusted * (1 - adjusted) / trials, count: trials)
    }

    /// A mean of values in [0, 1] from their moments: the unbiased sample variance over n, floored at 1/n² so a
    /// group whose values are all equal keeps a finite weight, and ¼ (the largest variance of such values) for a
    /// single value.
    package static func mean(_ m: Significance.Moments) -> GroupSummary {
        let perValue = m.count > 1 ? max(m.variance, 1 / (m.count * m.count)) : 0.25
        return GroupSummary(value: m.sum / m.count, variance: perValue / m.count, count: m.count)
    }
}

/// How a confidence interval is built, at any level: the per-finding interval at the audit's confidence level and
/// the simultaneous (Bonferroni) one at `1 − (1 − level) / tests` come from the same recipe.
///
/// Every recipe gives an interval that contains its estimate. Gap metrics (max − min, min / max, the worst of two)
/// are not smooth where the gap is 0, so a bootstrap of them leans away from 0 and can exclude its own estimate;
/// they are built by inverting the test instead (Wald confidence sets projected onto the gap):
///
/// - the end toward "no gap" (the lower end of a difference, the upper end of a ratio) is the gap's extreme over
///   the confidence set `Σ (θ̂_g − θ_g)² / v_g ≤ χ²_{k−1}(level)` of the group values up to a common shift
///   (or scale), so it reaches "no gap" exactly when the Wald homogeneity test at the same level does not
///   reject — the interval and the verdict agree;
/// - the end away from it is the most extreme one-sided bound over pairs of groups, which covers because the
///   true gap is attained by one pair.
package indirect enum IntervalMethod: Sendable {
    /// max − min of the group values (Fairlearn's between-groups difference).
    case spread([GroupSummary])
    /// min / max of non-negative group values (Fairlearn's between-groups ratio).
    case minOverMax([GroupSummary])
    /// The largest distance of a group's value to the count-weighted overall value.
    case spreadToOverall([GroupSummary])
    /// The smallest of min(θ_g / θ_all, θ_all / θ_g).
    case ratioToOverall([GroupSummary])
    /// The larger of two gaps (`larger`) or the smaller of two ratios, each gap's end toward "no gap" at half the
    /// error rate (Bonferroni), as its two-test verdict.
    case worstOf(IntervalMethod, IntervalMethod, larger: Bool)
    /// value ± z·error (a smooth statistic: a signed difference, a mean, a bootstrap standard error).
    case normal(value: Double, error: Double)
    /// Fieller's interval for a / b: the ratios ρ with (a − ρb)² ≤ z²(v_a + ρ²v_b), the inversion of the test of
    /// a = ρb (so it excludes 1 exactly when the test of a difference does).
    case fieller(GroupSummary, GroupSummary)
    /// Wilson's score interval for a proportion.
    case wilson(successes: Double, trials: Double)
    /// An area under the ROC curve with DeLong's error, on the logit scale (inside (0, 1), around the area).
    case auc(area: Double, error: Double)
    /// No interval (the value is undefined, or there is nothing to build one from).
    case none

    /// How the report names the construction.
    package var name: String {
        switch self {
        case .spread, .minOverMax, .spreadToOverall, .ratioToOverall: "Wald projection"
        case .worstOf: "Wald projection, Bonferroni over both rates"
        case .normal: "normal"
        case .fieller: "Fieller"
        case .wilson: "Wilson"
        case .auc: "logit, DeLong"
        case .none: "none"
        }
    }

    /// The interval at `level` (two-sided), or `nil`.
    package func bounds(level: Double) -> (lower: Double, upper: Double)? {
        let alpha = 1 - level
        let z = Significance.normalQuantile(1 - alpha / 2)
        switch self {
        case .none:
            return nil
        case .normal(let value, let error):
            guard error.isFinite else { return nil }
            return (value - z * error, value + z * error)
        case .wilson(let x, let n):
            guard n > 0 else { return nil }
            let p = x / n, z2 = z * z
            let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
            let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
            return (min(p, max(0, centre - half)), max(p, min(1, centre + half)))
        case .auc(let area, let error):
            return ReceiverOperatingCurve.interval(area: area, error: error, level: level)
        case .fieller(let a, let b):
            return Self.fieller(a.value, a.variance, b.value, b.variance, z: z).map { (lo, hi) in
                (min(lo, a.value / b.value), max(hi, a.value / b.value))
            }
        case .spread(let groups):
            guard groups.count >= 2 else { return nil }
            let values = groups.map(\.value)
            let estimate = values.max()! - values.min()!
            var upper = estimate
            for i in groups.indices {
                for j in groups.indices where j != i {
                    upper = max(upper, groups[i].value - groups[j].value
                                + z * (groups[i].variance + groups[j].variance).squareRoot())
                }
            }
            let c2 = Significance.chiSquareQuantile(level, degreesOfFreedom: groups.count - 1)
            // The narrowest window width that the confidence set still reaches.
            let fits = { (w: Double) in Self.distance(groups, scale: 1, shift: w) <= c2 }
            let lower = fits(0) ? 0 : Self.bisect(0, estimate, fits).above
            return (min(lower, estimate), upper)
        case .minOverMax(let groups):
            guard groups.count >= 2, let top = groups.map(\.value).max(), top > 0 else { return nil }
            let estimate = groups.map(\.value).min()! / top
            var lower = estimate
            for i in groups.indices {
                for j in groups.indices where j != i {
                    let bound = Self.fieller(groups[i].value, groups[i].variance, groups[j].value,
                                             groups[j].variance, z: z)?.lower ?? 0
                    lower = min(lower, max(0, bound))
                }
            }
            let c2 = Significance.chiSquareQuantile(level, degreesOfFreedom: groups.count - 1)
            // The largest ρ for which some a > 0 puts every group within the confidence set of [ρa, a].
            let fits = { (rho: Double) in Self.distance(groups, scale: rho, shift: 0) <= c2 }
            let upper = fits(1) ? 1 : Self.bisect(estimate, 1) { !fits($0) }.below
            return (lower, max(upper, estimate))
        case .spreadToOverall(let groups):
            guard groups.count >= 2 else { return nil }
            let c = Significance.chiSquareQuantile(level, degreesOfFreedom: groups.count - 1).squareRoot()
            let contrasts = Self.toOverall(groups, logarithmic: false)
            let estimate = contrasts.map { abs($0.value) }.max()!
            let upper = contrasts.map { abs($0.value) + z * $0.error }.max()!
            let lower = contrasts.map { abs($0.value) - c * $0.error }.max()!
            return (min(max(0, lower), estimate), max(upper, estimate))
        case .ratioToOverall(let groups):
            guard groups.count >= 2, groups.allSatisfy({ $0.value > 0 }) else {
                return nil
            }
            let c = Significance.chiSquareQuantile(level, degreesOfFreedom: groups.count - 1).squareRoot()
            let contrasts = Self.toOverall(groups, logarithmic: true)
            let estimate = exp(-contrasts.map { abs($0.value) }.max()!)
            let lower = exp(-contrasts.map { abs($0.value) + z * $0.error }.max()!)
            let upper = exp(-max(0, contrasts.map { abs($0.value) - c * $0.error }.max()!))
            return (min(lower, estimate), max(upper, estimate))
        case .worstOf(let a, let b, let larger):
            // The end away from "no gap" at the full level; the end toward it at half the error rate.
            guard let fa = a.bounds(level: level), let fb = b.bounds(level: level),
                  let ha = a.bounds(level: 1 - alpha / 2), let hb = b.bounds(level: 1 - alpha / 2) else { return nil }
            return larger ? (max(ha.lower, hb.lower), max(fa.upper, fb.upper))
                          : (min(fa.lower, fb.lower), min(ha.upper, hb.upper))
        }
    }

    /// Fieller's interval for a / b, or `nil` when b is not distinguishable from 0 at this level (the set is
    /// unbounded).
    package static func fieller(_ a: Double, _ va: Double, _ b: Double, _ vb: Double, z: Double)
        -> (lower: Double, upper: Double)?
    {
        let z2 = z * z
        let qa = b * b - z2 * vb, qb = -2 * a * b, qc = a * a - z2 * va
        guard qa > 0 else { return nil }
        let discriminant = max(0, qb * qb - 4 * qa * qc)
        let root = discriminant.squareRoot()
        return ((-qb - root) / (2 * qa), (-qb + root) / (2 * qa))
    }

    /// Each group's contrast with the overall value Σ π_h θ_h (π_h = n_h / n), or of their logarithms, with its
    /// standard error (the groups are independent).
    package static func toOverall(_ groups: [GroupSummary], logarithmic: Bool) -> [(value: Double, error: Double)] {
        let n = groups.reduce(0) { $0 + $1.count }
        let overall = groups.reduce(0) { $0 + $1.count / n * $1.value }
        return groups.indices.map { g in
            var variance = 0.0
            for h in groups.indices {
                let pi = groups[h].count / n
                // ∂(contrast)/∂θ_h.
                let slope = logarithmic ? ((h == g ? 1 / groups[g].value : 0) - pi / overall)
                                        : ((h == g ? 1 : 0) - pi)
                variance += slope * slope * groups[h].variance
            }
            let value = logarithmic ? log(groups[g].value) - log(overall) : groups[g].value - overall
            return (value, variance.squareRoot())
        }
    }

    /// min over a of Σ_g dist(θ̂_g, [scale·a, a + shift])² / v_g — how far the group values are, in the Wald
    /// metric, from values that all lie in one window of that shape (width `shift` for a spread, ratio `scale`
    /// for a min / max). The objective is convex and piecewise quadratic in a; it is minimised exactly, segment by
    /// segment between the points where a group enters or leaves the window.
    package static func distance(_ groups: [GroupSummary], scale: Double, shift: Double) -> Double {
        var breaks: [Double] = []
        for g in groups {
            breaks.append(g.value - shift)
            if scale > 0 { breaks.append(g.value / scale) }
        }
        breaks.sort()
        func objective(_ a: Double) -> Double {
            groups.reduce(0) { total, g in
                let lo = scale * a, hi = a + shift
                let d = g.value < lo ? lo - g.value : (g.value > hi ? g.value - hi : 0)
                return total + d * d / g.variance
            }
        }
        var best = breaks.map(objective).min() ?? 0
        // One candidate per segment: the stationary point of that segment's quadratic, clamped into it.
        let edges = [-Double.infinity] + breaks + [Double.infinity]
        for s in 0..<(edges.count - 1) {
            let lo = edges[s], hi = edges[s + 1]
            guard lo < hi else { continue }
            let probe = lo.isFinite ? (hi.isFinite ? (lo + hi) / 2 : lo + 1) : hi - 1
            var num = 0.0, den = 0.0
            for g in groups {
                if g.value < scale * probe {
                    num += scale * g.value / g.variance
                    den += scale * scale / g.variance
                } else if g.value > probe + shift {
                    num += (g.value - shift) / g.variance
                    den += 1 / g.variance
                }
            }
            guard den > 0 else { continue }
            let a = min(max(num / den, lo), hi)
            if a.isFinite { best = min(best, objective(a)) }
        }
        return best
    }

    /// Bisects [lo, hi] for the point where `isAbove` turns from false to true (monotone), to 80 halvings: the
    /// last point found below it and the first found above.
    package static func bisect(_ lo: Double, _ hi: Double, _ isAbove: (Double) -> Bool) -> (below: Double, above: Double) {
        var a = lo, b = hi
        for _ in 0..<80 {
            let m = (a + b) / 2
            if isAbove(m) { b = m } else { a = m }
        }
        return (a, b)
    }
}
