import Statistics
@testable import Audit
import Foundation
import Testing
import TestSupport

/// The interval constructions: they contain their estimate, reach "no gap" exactly when the test they invert does
/// not reject, and reduce to the textbook intervals where one exists.
@Suite struct IntervalMethodTests {
    /// Random group summaries: `k` proportions of groups of 50…5,000 users around a common rate (plus a gap).
    static func groups(_ rng: inout TestLCG, k: Int, gap: Double) -> [GroupSummary] {
        let base = Double.random(in: 0.02...0.5, using: &rng)
        return (0..<k).map { g in
            let n = Double(Int.random(in: 50...5_000, using: &rng))
            let p = min(1, base + (g == 0 ? gap : 0))
            let x = (n * p + Double.random(in: -3...3, using: &rng) * (n * p * (1 - p)).squareRoot()).rounded()
            return .proportion(min(max(x, 0), n), of: n)
        }
    }

    @Test func everyConstructionContainsItsEstimate() {
        var rng = TestLCG(seed: 11)
        for trial in 0..<400 {
            let k = 2 + trial % 5
            let a = Self.groups(&rng, k: k, gap: [0, 0.01, 0.1][trial % 3])
            let b = Self.groups(&rng, k: k, gap: 0)
            let values = a.map(\.value)
            let checks: [(IntervalMethod, Double)] = [
                (.spread(a), values.max()! - values.min()!),
                (.minOverMax(a), values.min()! / values.max()!),
                (.worstOf(.spread(a), .spread(b), larger: true),
                 max(values.max()! - values.min()!, b.map(\.value).max()! - b.map(\.value).min()!)),
                (.fieller(a[0], a[1]), a[0].value / a[1].value),
                (.normal(value: a[0].value - a[1].value, error: (a[0].variance + a[1].variance).squareRoot()),
                 a[0].value - a[1].value),
                (.wilson(successes: a[0].value * a[0].count, trials: a[0].count), a[0].value),
            ]
            for (method, estimate) in checks {
                for level in [0.9, 0.95, 0.999] {
                    guard let b = method.bounds(level: level) else { continue }
                    #expect(b.lower <= estimate + 1e-15 && estimate <= b.upper + 1e-15,
                            "\(method.name) at \(level): \(estimate) [\(b.lower), \(b.upper)]")
                }
            }
        }
    }

    /// The end toward "no gap" is reached exactly when the Wald test at the same level does not reject.
    @Test func gapIntervalsAgreeWithTheirTest() {
        var rng = TestLCG(seed: 5)
        var rejected = 0
        for trial in 0..<600 {
            let a = Self.groups(&rng, k: 2 + trial % 4, gap: [0, 0.005, 0.02][trial % 3])
            guard case .tested(let p) = Significance.valuesEqual(a) else { Issue.record("untested"); continue }
            // Leave out the knife edge, where the quantile's last digits decide.
            guard abs(p - 0.05) > 1e-6 else { continue }
            let spread = IntervalMethod.spread(a).bounds(level: 0.95)!
            let ratio = IntervalMethod.minOverMax(a).bounds(level: 0.95)!
            #expect((spread.lower > 1e-12) == (p < 0.05), "spread \(spread) p \(p)")
            #expect((ratio.upper < 1 - 1e-12) == (p < 0.05), "ratio \(ratio) p \(p)")
            if p < 0.05 { rejected += 1 }
        }
        #expect(rejected > 100 && rejected < 500, "both outcomes are exercised: \(rejected)")
    }

    /// Two groups: the max − min interval is the absolute value of the signed difference's interval, which is
    /// what AIF360's signed statistic shows (the issue's `0.0004 [8.4e-6, 0.0005]` against `−0.0004 [−0.0088,
    /// 0.0082]`).
    @Test func twoGroupSpreadIsTheFoldedSignedInterval() throws {
        let a = GroupSummary.proportion(1_000, of: 10_000), b = GroupSummary.proportion(1_004, of: 10_000)
        let spread = try #require(IntervalMethod.spread([a, b]).bounds(level: 0.95))
        let error = (a.variance + b.variance).squareRoot(), z = Significance.normalQuantile(0.975)
        let signed = (lower: b.value - a.value - z * error, upper: b.value - a.value + z * error)
        #expect(spread.lower == 0)
        #expect(abs(spread.upper - max(abs(signed.lower), abs(signed.upper))) < 1e-12)
        #expect(spread.upper > 0.008, "not collapsed onto the estimate: \(spread)")
        // And far from 0 both ends move off it by z standard errors.
        let far = try #require(IntervalMethod.spread([a, .proportion(1_400, of: 10_000)]).bounds(level: 0.95))
        let e2 = (a.variance + GroupSummary.proportion(1_400, of: 10_000).variance).squareRoot()
        #expect(abs(far.lower - (0.04 - z * e2)) < 1e-9 && abs(far.upper - (0.04 + z * e2)) < 1e-12)
    }

    /// Fieller's interval for a ratio excludes 1 exactly when the z-test of the difference rejects.
    @Test func fiellerAgreesWithTheDifferenceTest() {
        var rng = TestLCG(seed: 9)
        for trial in 0..<300 {
            let g = Self.groups(&rng, k: 2, gap: [0, 0.01, 0.05][trial % 3])
            guard let b = IntervalMethod.fieller(g[0], g[1]).bounds(level: 0.95) else { continue }
            guard case .tested(let p) = Significance.valuesEqual(g), abs(p - 0.05) > 1e-9 else { continue }
            #expect((b.lower > 1 || b.upper < 1) == (p < 0.05), "\(b) p \(p)")
        }
    }

    @Test func wilsonMatchesTheTextbook() throws {
        // Wilson 1927 for 3 of 10 at 95%: [0.1078, 0.6032].
        let b = try #require(IntervalMethod.wilson(successes: 3, trials: 10).bounds(level: 0.95))
        #expect(abs(b.lower - 0.1078) < 1e-4 && abs(b.upper - 0.6032) < 1e-4)
        let zero = try #require(IntervalMethod.wilson(successes: 0, trials: 50).bounds(level: 0.95))
        #expect(zero.lower == 0 && zero.upper > 0.05)
    }

    @Test func chiSquareQuantileInvertsTheSurvival() {
        for df in [1, 2, 3, 7, 30] {
            for level in [0.5, 0.95, 0.99, 0.999_99] {
                let x = Significance.chiSquareQuantile(level, degreesOfFreedom: df)
                #expect(abs(Significance.chiSquareSurvival(x, degreesOfFreedom: df) - (1 - level)) < 1e-10)
            }
        }
        #expect(abs(Significance.chiSquareQuantile(0.95, degreesOfFreedom: 1) - 3.841458820694124) < 1e-9)
    }

    @Test func binomialTailIsExact() {
        // P(X ≥ 3), X ~ Binomial(10, 0.1) = 1 − (0.9¹⁰ + 10·0.1·0.9⁹ + 45·0.01·0.9⁸) = 0.0701908264.
        #expect(abs(Significance.binomialUpperTail(3, of: 10, rate: 0.1) - 0.0701908264) < 1e-9)
        #expect(abs(Significance.binomialUpperTail(1, of: 10, rate: 0.5) - (1 - pow(0.5, 10))) < 1e-12)
        #expect(Significance.binomialUpperTail(0, of: 10, rate: 0.1) == 1)
        #expect(Significance.binomialUpperTail(1, of: 1_000, rate: 0) == 0)
    }
}
