import FileSupport
import Foundation
import Privacy
import Recommender
import TestSupport
import Testing

/// One case of the oracle fixture: releases, δ, and the (ε, order) Google's `dp-accounting` computed for them
/// (`Fixtures/make_rdp_fixture.py`).
struct RDPOracleCase: Decodable, CustomTestStringConvertible {
    var name: String
    var releases: [GaussianRelease]
    var delta: Double
    var epsilon: Double
    var order: Double

    var testDescription: String { name }
}

/// The oracle fixture: the package's version, its default orders and the cases.
struct RDPOracleFile: Decodable {
    var dp_accounting: String
    var orders: [Double]
    var cases: [RDPOracleCase]
}

let rdpOracle: RDPOracleFile = {
    let url = URL(fileURLWithPath: repositoryRoot + "/Tests/PrivacyTests/Fixtures/rdp_epsilons.json")
    return try! JSONDecoder().decode(RDPOracleFile.self, from: Data(contentsOf: url))
}()

/// The releases of a private ALS run at noise scale `s`: per sweep the Gram matrix at s and each item's system
/// and vector at s/√B, over `sweeps` sweeps, and (optionally) one release of privately counted popularity at s.
func privateALSReleases(scale s: Double, sweeps: Int, budget: Int, counts: Bool) -> [GaussianRelease] {
    let perItem = s / Double(budget).squareRoot()
    var releases = [GaussianRelease(noiseMultiplier: s, count: sweeps),
                    GaussianRelease(noiseMultiplier: perItem, count: sweeps),
                    GaussianRelease(noiseMultiplier: perItem, count: sweeps)]
    if counts { releases.append(GaussianRelease(noiseMultiplier: s, count: 1)) }
    return releases
}

@Suite("RDPAccountant against dp-accounting")
struct RDPAccountantTests {
    @Test("The fixture was computed by dp-accounting 0.6.0, whose default orders are ours")
    func fixtureAndOrders() {
        #expect(rdpOracle.dp_accounting == "0.6.0")
        #expect(rdpOracle.cases.count == 180)
        #expect(RDPAccountant.defaultOrders.count == 156)
        #expect(RDPAccountant.defaultOrders == rdpOracle.orders)  // bit for bit
        #expect(RDPAccountant().orders == RDPAccountant.defaultOrders)
    }

    @Test("ε agrees with dp-accounting within 1% and is never below it")
    func oracle() {
        let accountant = RDPAccountant()
        var worst = (difference: 0.0, name: "")
        for oracleCase in rdpOracle.cases {
            let (epsilon, order) = accountant.epsilon(of: oracleCase.releases, delta: oracleCase.delta)
            let difference = abs(epsilon - oracleCase.epsilon) / oracleCase.epsilon
            #expect(difference <= 0.01, "\(oracleCase.name): \(epsilon) against \(oracleCase.epsilon)")
            #expect(epsilon >= oracleCase.epsilon * (1 - 1e-9),
                    "\(oracleCase.name): \(epsilon) below the package's \(oracleCase.epsilon)")
            #expect(order == oracleCase.order, "\(oracleCase.name): order \(order) against \(oracleCase.order)")
            if difference > worst.difference { worst = (difference, oracleCase.name) }
        }
        print("RDPAccountant: largest relative difference from dp-accounting over \(rdpOracle.cases.count) cases:",
              worst.difference, worst.name)
    }

    @Test("DESIGN's oracle: one Gaussian at noise multiplier 4.530877117 gives ε = 1.0000003 at δ = 1e-6")
    func designOracle() {
        let (epsilon, order) = RDPAccountant().epsilon(
            of: [GaussianRelease(noiseMultiplier: 4.530877117, count: 1)], delta: 1e-6)
        #expect(abs(epsilon - 1.0000003) < 1e-7)
        #expect(order == 22)
    }

    @Test("Edges: nothing released, no noise, δ = 0, a release applied 0 times")
    func edges() {
        let accountant = RDPAccountant()
        #expect(accountant.epsilon(of: [], delta: 1e-6).epsilon == 0)
        #expect(accountant.epsilon(of: [], delta: 0) == (0, 0))
        #expect(accountant.epsilon(of: [GaussianRelease(noiseMultiplier: 0, count: 1)], delta: 1e-6).epsilon
            == .infinity)
        #expect(accountant.epsilon(of: [GaussianRelease(noiseMultiplier: 3, count: 1)], delta: 0) == (.infinity, 0))
        let one = [GaussianRelease(noiseMultiplier: 3, count: 2)]
        #expect(accountant.epsilon(of: one + [GaussianRelease(noiseMultiplier: 0, count: 0)], delta: 1e-6)
            == accountant.epsilon(of: one, delta: 1e-6))
        // Vast noise: the divergence falls below δ², and the KL bound gives ε = 0.
        #expect(accountant.epsilon(of: [GaussianRelease(noiseMultiplier: 1e9, count: 1)], delta: 1e-6).epsilon == 0)
        // Orders at or below 1.01 give no finite bound.
        #expect(RDPAccountant(orders: [1, 1.01]).epsilon(of: one, delta: 1e-6).epsilon == .infinity)
    }

    @Test("More noise gives a smaller ε; more applications a larger one", arguments: [1e-5, 1e-6, 1e-8])
    func monotone(delta: Double) {
        let accountant = RDPAccountant()
        for count in [1, 3, 15, 45] {
            var previous = Double.infinity
            for step in 0...60 {
                let z = 0.3 * pow(1.1, Double(step))
                let epsilon = accountant.epsilon(of: [GaussianRelease(noiseMultiplier: z, count: count)],
                                                 delta: delta).epsilon
                #expect(epsilon < previous, "z = \(z), count \(count)")
                previous = epsilon
            }
        }
        for z in [0.5, 2, 10] {
            let epsilons = [1, 2, 5, 20].map {
                accountant.epsilon(of: [GaussianRelease(noiseMultiplier: z, count: $0)], delta: delta).epsilon
            }
            #expect(epsilons == epsilons.sorted() && Set(epsilons).count == epsilons.count)
        }
        let byScale = [1.0, 5, 20, 100].map {
            accountant.epsilon(of: privateALSReleases(scale: $0, sweeps: 15, budget: 50, counts: true),
                               delta: delta).epsilon
        }
        #expect(byScale == byScale.sorted(by: >) && Set(byScale).count == byScale.count)
    }

    @Test("Bisection round-trips: target ε → scale → ε ≤ target, within 0.1%, and the scale is the smallest",
          arguments: [0.5, 1, 2, 4, 8, 20])
    func bisection(target: Double) throws {
        let accountant = RDPAccountant()
        let runs: [(String, (Double) -> [GaussianRelease])] = [
            ("one Gaussian", { [GaussianRelease(noiseMultiplier: $0, count: 1)] }),
            ("ALS, 15 sweeps, B = 50", { privateALSReleases(scale: $0, sweeps: 15, budget: 50, counts: false) }),
            ("ALS, 5 sweeps, B = 20, counts", { privateALSReleases(scale: $0, sweeps: 5, budget: 20, counts: true) }),
        ]
        for delta in [1e-6, 8e-6] {
            for (name, releases) in runs {
                let (scale, achieved) = try accountant.scale(achieving: target, delta: delta, releases: releases)
                let recomputed = accountant.epsilon(of: releases(scale), delta: delta).epsilon
                #expect(achieved == recomputed, "\(name)")
                #expect(achieved <= target, "\(name): ε \(achieved) above the target \(target)")
                #expect(achieved >= target * (1 - 1e-3), "\(name): ε \(achieved) far below the target \(target)")
                let smaller = accountant.epsilon(of: releases(scale * (1 - 1e-5)), delta: delta).epsilon
                #expect(smaller > target, "\(name): a smaller scale also meets the target")
                let again = try accountant.scale(achieving: target, delta: delta, releases: releases)
                #expect(again.scale == scale && again.epsilon == achieved, "\(name): not deterministic")
            }
        }
    }

    @Test("The bisection finds DESIGN's noise multiplier for ε = 1 at δ = 1e-6")
    func bisectionFindsDesignOracle() throws {
        let (scale, epsilon) = try RDPAccountant().scale(achieving: 1, delta: 1e-6) {
            [GaussianRelease(noiseMultiplier: $0, count: 1)]
        }
        #expect(abs(scale - 4.530877117) / scale < 1e-5)
        #expect(epsilon <= 1 && epsilon > 0.99999)
    }

    @Test("Targets the bisection cannot meet are refused, naming the flag")
    func refusals() {
        let accountant = RDPAccountant()
        let single: (Double) -> [GaussianRelease] = { [GaussianRelease(noiseMultiplier: $0, count: 1)] }
        let cases: [(String, Double, Double, (Double) -> [GaussianRelease])] = [
            ("dp-epsilon", .infinity, 1e-6, single),
            ("dp-epsilon", 0, 1e-6, single),
            ("dp-epsilon", -1, 1e-6, single),
            ("dp-epsilon", .nan, 1e-6, single),
            ("dp-delta", 1, 0, single),
            ("dp-delta", 1, 1, single),
            // 1000 releases keep ε above log(1/δ)/1023 ≈ 0.01 at every scale up to 10⁸.
            ("dp-epsilon", 1e-3, 1e-8, { [GaussianRelease(noiseMultiplier: $0, count: 1000)] }),
        ]
        for (flag, epsilon, delta, releases) in cases {
            do {
                _ = try accountant.scale(achieving: epsilon, delta: delta, releases: releases)
                Issue.record("accepted ε = \(epsilon), δ = \(delta)")
            } catch {
                #expect(error.location == .parameter(flag), "\(error)")
            }
        }
    }
}
