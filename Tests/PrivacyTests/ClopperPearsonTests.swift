import Foundation
import Testing
import TestSupport
@testable import Statistics

/// Clopper–Pearson bounds and the beta quantiles under them, against scipy (`Fixtures/make_clopper_pearson.py`).
@Suite struct ClopperPearsonTests {
    struct Fixture: Decodable {
        struct Bound: Decodable {
            var successes: Int, trials: Int, level: Double, lower: Double, upper: Double
        }
        struct Quantile: Decodable {
            var a: Double, b: Double, p: Double, quantile: Double
        }
        var bounds: [Bound]
        var betaQuantiles: [Quantile]
    }

    static let fixture: Fixture = {
        let path = repositoryRoot + "/Tests/PrivacyTests/Fixtures/clopper_pearson.json"
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try! decoder.decode(Fixture.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }()

    static func close(_ a: Double, _ b: Double, relative: Double = 1e-9) -> Bool {
        abs(a - b) <= relative * max(abs(a), abs(b)) + 1e-300
    }

    @Test func boundsMatchScipy() {
        #expect(Self.fixture.bounds.count == 52)
        for b in Self.fixture.bounds {
            let lower = ClopperPearson.lower(successes: b.successes, trials: b.trials, level: b.level)
            let upper = ClopperPearson.upper(successes: b.successes, trials: b.trials, level: b.level)
            #expect(Self.close(lower, b.lower), "lower \(b.successes)/\(b.trials) at \(b.level): \(lower) vs \(b.lower)")
            #expect(Self.close(upper, b.upper), "upper \(b.successes)/\(b.trials) at \(b.level): \(upper) vs \(b.upper)")
        }
    }

    @Test func betaQuantilesMatchScipy() {
        for q in Self.fixture.betaQuantiles {
            let x = BetaDistribution(a: q.a, b: q.b).quantile(q.p)
            #expect(Self.close(x, q.quantile, relative: 1e-8), "Beta(\(q.a), \(q.b)) at \(q.p): \(x) vs \(q.quantile)")
        }
    }

    /// The two-sided interval spends half the rest on each side and always contains the rate.
    @Test func twoSidedIntervalsContainTheRate() {
        let i = ClopperPearson.interval(successes: 0, trials: 20, level: 0.95)
        #expect(i.lower == 0 && Self.close(i.upper, 0.1684334709830853))
        for (x, n) in [(1, 3), (7, 20), (999, 1000), (20, 20)] {
            let i = ClopperPearson.interval(successes: x, trials: n, level: 0.9)
            let rate = Double(x) / Double(n)
            #expect(i.lower <= rate && rate <= i.upper)
            #expect(Self.close(i.lower, ClopperPearson.lower(successes: x, trials: n, level: 0.95)) || x == 0)
        }
    }
}
