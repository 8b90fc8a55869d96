import Linear
import Testing
@testable import Population
import Statistics

@Suite struct DistributionTests {
    @Test func zigguratNormalsAreStandard() {
        let rng = Philox(seed: 42)
        let xs = (0..<20_000).map { Ziggurat().normal(rng, row: $0, column: 3, stream: 9) }
        let (mean, se) = meanAndError(xs)
        #expect(abs(mean) < 4 * se)
        let variance = xs.reduce(0) { $0 + $1 * $1 } / Double(xs.count)
        #expect(abs(variance - 1) < 4 * (2.0 / Double(xs.count)).squareRoot())
    }

    @Test func normalQuantileKnownValues() {
        #expect(abs(StandardNormal.quantile(0.975) - 1.959_963_984_540_054) < 1e-13)
        #expect(abs(StandardNormal.quantile(0.5)) < 1e-15)
        #expect(abs(StandardNormal.quantile(1e-10) + 6.361_340_902_404_056) < 1e-10)
        #expect(StandardNormal.quantile(0) == -.infinity && StandardNormal.quantile(1) == .infinity)
        for p in stride(from: 0.001, to: 1, by: 0.0137) {
            #expect(abs(StandardNormal.cdf(StandardNormal.quantile(p)) - p) < 1e-14)
        }
    }

    @Test func betaKnownValues() {
        let beta = BetaDistribution(a: 2, b: 3)
        // I_0.5(2, 3) = 11/16.
        #expect(abs(beta.cdf(0.5) - 0.6875) < 1e-14)
        #expect(abs(beta.quantile(0.6875) - 0.5) < 1e-12)
        let skewed = BetaDistribution(a: 0.5, b: 5)
        for p in [1e-6, 0.01, 0.3, 0.9, 0.999_999] {
            #expect(abs(skewed.cdf(skewed.quantile(p)) - p) < 1e-10)
        }
    }

    @Test func aliasTableReproducesWeights() {
        let table = AliasTable(weights: [0.5, 0.25, 0.125, 0.125, 0])
        let rng = Philox(seed: 1)
        var counts = [Int](repeating: 0, count: 5)
        let n = 40_000
        for i in 0..<n {
            let b = rng.block(row: i, column: 0, stream: 1)
            counts[table.sample(column: b.0, coin: b.1)] += 1
        }
        for (k, p) in [0.5, 0.25, 0.125, 0.125, 0].enumerated() {
            let se = (p * (1 - p) / Double(n)).squareRoot()
            #expect(abs(Double(counts[k]) / Double(n) - p) <= 4 * se + 1e-12)
        }
    }
}

@Suite struct ZigguratTests {
    /// Kolmogorov–Smirnov distance to Φ over 200k draws, plus tail frequencies beyond the ziggurat's base strip.
    @Test func drawsFollowTheStandardNormal() {
        let rng = Philox(seed: 2026)
        let zig = Ziggurat()
        let n = 200_000
        var xs = [Double](repeating: 0, count: n)
        xs.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<(n / 8) {
                zig.normals(rng, row: row, stream: 1, into: UnsafeMutableBufferPointer(rebasing: buffer[(row * 8)..<(row * 8 + 8)]))
            }
        }
        xs.sort()
        var distance = 0.0
        for (i, x) in xs.enumerated() {
            let f = StandardNormal.cdf(x)
            distance = max(distance, abs(f - Double(i) / Double(n)), abs(f - Double(i + 1) / Double(n)))
        }
        // The 1% critical value of the KS statistic is 1.63/√n.
        #expect(distance < 1.63 / Double(n).squareRoot(), "KS distance \(distance)")
        // P(|Z| > 3.4426) = 5.76e-4: the tail algorithm runs and is calibrated.
        let tail = Double(xs.filter { abs($0) > Ziggurat.r }.count) / Double(n)
        let p = 2 * StandardNormal.cdf(-Ziggurat.r)
        #expect(abs(tail - p) < 4 * (p / Double(n)).squareRoot())
    }

    @Test func singleDrawsMatchBatchDraws() {
        let rng = Philox(seed: 5)
        let zig = Ziggurat()
        var batch = [Double](repeating: 0, count: 7)
        for row in 0..<2000 {
            batch.withUnsafeMutableBufferPointer { zig.normals(rng, row: row, stream: 3, into: $0) }
            for c in 0..<7 { #expect(zig.normal(rng, row: row, column: c, stream: 3) == batch[c]) }
        }
    }
}

@Suite struct MarginalTableTests {
    /// Every tabulated marginal kind agrees with its exact inverse CDF to 1e-9 relative.
    @Test(arguments: [
        NumericMarginal(distribution: .normal(mean: 41, sd: 13), minimum: 18, maximum: 90),
        NumericMarginal(distribution: .lognormal(mu: 10.6, sigma: 0.5), minimum: 5000, maximum: nil),
        NumericMarginal(distribution: .uniform(lower: -2, upper: 7), minimum: nil, maximum: nil),
        NumericMarginal(distribution: .beta(alpha: 2, beta: 5), minimum: nil, maximum: nil),
        NumericMarginal(distribution: .beta(alpha: 0.5, beta: 0.7), minimum: 0.1, maximum: nil),
    ])
    func tableMatchesExactMap(marginal: NumericMarginal) throws {
        let map = NumericMap(marginal)
        let table = try #require(map.table)
        let rng = Philox(seed: 9)
        for i in 0..<20_000 {
            let z = -8 + 16 * rng.uniform(row: i, column: 0, stream: 0)
            let exact = map.exact(latent: z)
            let interpolated = try #require(table.value(z))
            #expect(abs(interpolated - exact) <= 1e-9 * max(1, abs(exact)), "z \(z): \(interpolated) vs \(exact)")
        }
        #expect(table.value(8.5) == nil && table.value(-9) == nil)
    }
}
