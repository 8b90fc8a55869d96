import Statistics
@testable import Audit
import Testing

@Suite("Exposure, NDCG, tests and Holm: known answers")
struct KnownAnswerTests {
    @Test("REFERENCE Ex. 3: NDCG@3 per user, group means, provider exposure, targeting parity")
    func example3() {
        let top3 = [[0, 3, 4], [1, 2, 5], [0, 1, 3], [0, 2, 4]]
        let relevant: [Set<Int>] = [[0, 3], [1], [0, 5], [2]]
        let ndcg = zip(top3, relevant).map { list, rel in
            ExposureMetrics.ndcg(ranked: list, relevant: { rel.contains($0) }, relevantCount: rel.count, k: 3)!
        }
        for (value, expected) in zip(ndcg, [1.0, 1.0, 0.613147, 0.630930]) { #expect(abs(value - expected) < 1e-6) }
        #expect(abs((ndcg[0] + ndcg[1]) / 2 - 1.0) < 1e-9)
        #expect(abs((ndcg[2] + ndcg[3]) / 2 - 0.622038) < 1e-6)
        let exposure = ExposureMetrics.groupExposure(lists: top3, groups: 2) { $0 < 3 ? 0 : 1 }
        #expect(abs(exposure[0] - 5.892789) < 1e-6)
        #expect(abs(exposure[1] - 2.630930) < 1e-6)
        #expect(abs(exposure[0] / 3 - 1.964263) < 1e-6)
        #expect(abs((exposure[1] / 3) / (exposure[0] / 3) - 0.446466) < 1e-6)
        let targeted = top3.map { $0.contains(0) }
        let m = BinaryGroupMetrics(groups: [0, 0, 1, 1], levels: 2, truth: targeted, decisions: targeted)
        #expect(m.difference(.selectionRate) == 0.5)
        #expect(m.ratio(.selectionRate) == 0.5)
    }

    @Test("REFERENCE Ex. 4: the naive attribute flip changes half the decisions")
    func example4() throws {
        let x: [[Double]] = [[0.5, 1, 0], [0.5, 0, 0], [0.3, 1, 1], [0.3, 0, 1], [0.9, 0, 0], [0.2, 1, 0]]
        func score(_ r: [Double]) -> Float { Float(0.8 * r[0] + 0.5 * r[1] - 0.3 * r[2]) }
        let factual = x.map(score)
        let flipped = x.map { r in score([r[0], 1 - r[1], r[2]]) }
        let sex = Grouping(name: "male", levels: ["0", "1"], membership: x.map { Int32($0[1]) })
        // "offer iff score > 0.6" selects 3 of 6: the campaign's top half.
        var configuration = AuditConfiguration()
        configuration.targetShare = 0.5
        configuration.minimumGroupSize = 2
        configuration.bootstrapReplicates = 50
        let data = AuditData(
            userIDs: Array(0..<6), attributes: [sex], offers: ["offer"], scores: factual,
            counterfactuals: [0, 1].map { CounterfactualWorld(attribute: 0, level: $0, kind: .naive, scores: flipped) })
        let result = try FairnessAudit.run(data, configuration: configuration)
        #expect(result.targeted == [true, false, false, false, true, true])
        let summaries = result.report.counterfactuals
        let flips = summaries.reduce(0) { $0 + $1.offers[0].flipsUp + $1.offers[0].flipsDown }
        let affected = summaries.reduce(0) { $0 + $1.affected }
        #expect(affected == 6)
        #expect(Double(flips) / Double(affected) == 0.5)
        // Each user's twin decision in its own world: f(X with sex flipped) = [0,1,0,0,1,0].
        let twin = (0..<6).map { u in result.twinTargeted[Int(1 - x[u][1])][u] }
        #expect(twin == [false, true, false, false, true, false])
    }

    @Test("Chi-square, normal and binomial tails against tabled values")
    func distributions() {
        #expect(abs(Significance.chiSquareSurvival(3.841458820694124, degreesOfFreedom: 1) - 0.05) < 1e-10)
        #expect(abs(Significance.chiSquareSurvival(5.991464547107979, degreesOfFreedom: 2) - 0.05) < 1e-10)
        #expect(abs(Significance.chiSquareSurvival(30.5779141668925, degreesOfFreedom: 15) - 0.01) < 1e-9)
        #expect(abs(Significance.chiSquareSurvival(0.5, degreesOfFreedom: 4) - 0.9735009788392561) < 1e-12)
        #expect(abs(Significance.normalCDF(-1.959963984540054) - 0.025) < 1e-12)
        #expect(abs(Significance.normalQuantile(0.975) - 1.959963984540054) < 1e-12)
        #expect(abs(Significance.normalQuantile(1e-10) + 6.361340902404056) < 1e-9)
        #expect(Significance.normalQuantile(0.5) == 0)
        #expect(Significance.mcNemar(up: 0, down: 5) == 0.0625)
        #expect(abs(Significance.mcNemar(up: 1, down: 9) - 0.021484375) < 1e-15)
        #expect(Significance.mcNemar(up: 7, down: 7) == 1)
        #expect(Significance.mcNemar(up: 0, down: 0) == 1)
        // A large, balanced table stays finite and symmetric.
        let p = Significance.mcNemar(up: 50_400, down: 49_600)
        #expect(p > 0.01 && p < 0.02)
        #expect(Significance.mcNemar(up: 49_600, down: 50_400) == p)
    }

    @Test("Holm's step-down adjustment")
    func holm() {
        #expect(Significance.holm([0.01, 0.04, 0.03]) == [0.03, 0.06, 0.06])
        #expect(Significance.holm([0.5, 0.001]) == [0.5, 0.002])
        #expect(Significance.holm([]) == [])
    }

    @Test("The Wald test of equal values: known answers (scipy's chi2.sf), identical groups give p = 1")
    func tests() {
        func g(_ value: Double, _ variance: Double) -> GroupSummary { GroupSummary(value: value, variance: variance, count: 100) }
        // Two groups: z² = 0.3² / (0.0009 + 0.0024) = 27.27 → p = chi2.sf(27.27, 1).
        if case .tested(let p) = Significance.valuesEqual([g(0.1, 0.0009), g(0.4, 0.0024)]) {
            #expect(abs(p - 1.7668604421878377e-07) < 1e-15)
        } else { Issue.record("expected a p-value") }
        // Three groups: T = Σ w (θ − θ̄_w)² = 5.7377 → p = chi2.sf(T, 2).
        if case .tested(let p) = Significance.valuesEqual([g(0.1, 0.0004), g(0.15, 0.0009), g(0.2, 0.0016)]) {
            #expect(abs(p - 0.05676402826810736) < 1e-12)
        } else { Issue.record("expected a p-value") }
        #expect(Significance.valuesEqual([g(0.2, 0.001), g(0.2, 0.004)]) == .tested(pValue: 1))
        #expect(Significance.valuesEqual([g(0.2, 0.001)]) == .insufficient(reason: "fewer than two groups with members"))
    }
}

@Suite("Tie-breaking")
struct TieBreakingTests {
    /// Reproduces the issue: ties were broken by a hash of the user only, so equal scores targeted the same users
    /// for every offer. Keyed by (seed, user, offer), two offers' campaigns over all-equal scores overlap about as
    /// much as independent draws (share²), and each offer's selection is still the top share.
    @Test func equalScoresTargetDifferentUsersPerOffer() throws {
        let n = 4000
        let group = Grouping(name: "g", levels: ["a", "b"], membership: (0..<n).map { Int32($0 % 2) })
        let data = AuditData(userIDs: Array(0..<n), attributes: [group], offers: ["first", "second"],
                             scores: [Float](repeating: 0.5, count: 2 * n))
        var configuration = AuditConfiguration()
        configuration.bootstrapReplicates = 20
        configuration.targetShare = 0.25
        let result = try FairnessAudit.run(data, configuration: configuration, subject: "ties", threads: 2)
        let first = (0..<n).filter { result.targeted[$0 * 2] }, second = (0..<n).filter { result.targeted[$0 * 2 + 1] }
        #expect(first.count == 1000 && second.count == 1000)
        let both = Set(first).intersection(second).count
        // Independent: 4000 × 0.25² = 250 expected (sd ≈ 14); the old keys gave 1000.
        #expect(both > 180 && both < 320, "\(both) users targeted for both offers")
        // Same seed, same choice; another seed, another one.
        let again = try FairnessAudit.run(data, configuration: configuration, subject: "ties", threads: 1)
        #expect(again.targeted == result.targeted)
        configuration.seed = 99
        #expect(try FairnessAudit.run(data, configuration: configuration, subject: "ties", threads: 2).targeted != result.targeted)
    }
}

@Suite("Undefined stays undefined")
struct UndefinedGapTests {
    /// Reproduces the issue: with an empty group, the parity difference printed 0 and the ratio 1.0 (Fairlearn's
    /// answer over the one group present). With nothing to compare, both are undefined, with the reason.
    @Test func aGapOverOneGroupIsUndefinedWithItsReason() throws {
        let one = BinaryGroupMetrics(groups: [0, 0, 0, 0], levels: 2, truth: [true, false, true, false],
                                     decisions: [true, true, false, false])
        #expect(one.difference(.selectionRate) == nil && one.ratio(.selectionRate) == nil)
        #expect(one.difference(.selectionRate, method: .toOverall) == nil)
        #expect(one.equalizedOddsDifference() == nil)

        let n = 600
        let everyoneA = Grouping(name: "g", levels: ["a", "b"], membership: [Int32](repeating: 0, count: n))
        let data = AuditData(userIDs: Array(0..<n), attributes: [everyoneA], offers: ["offer"],
                             scores: (0..<n).map { Float($0 % 97) },
                             truth: (0..<n).map { Float($0 % 89) })
        var configuration = AuditConfiguration()
        configuration.bootstrapReplicates = 20
        let report = try FairnessAudit.run(data, configuration: configuration, subject: "one group").report
        for metric: MetricID in [.demographicParityDifference, .demographicParityRatio, .equalizedOddsDifference] {
            let f = try #require(report.findings.first { $0.metric == metric })
            #expect(f.estimate.value == nil && f.estimate.lower == nil, "\(metric): \(f.estimate)")
            #expect(f.undefinedReason?.contains("fewer than two groups have members") == true
                    && f.undefinedReason?.contains("no users in b") == true, "\(metric): \(f.undefinedReason ?? "nil") \(f.groups.map { "\($0.group):\($0.members)" })")
            #expect(f.verdict == .inconclusive)
        }
    }
}

@Suite("Verdicts name their test")
struct VerdictTestNameTests {
    /// Every tested finding says which test its verdict rests on, in the report's JSON, its reason and the tables.
    @Test func aTestedFindingNamesItsTest() throws {
        let n = 4000
        let group = Grouping(name: "g", levels: ["a", "b"], membership: (0..<n).map { Int32($0 % 2) })
        // Group b scores higher: a selection-rate gap the Wald test sees.
        let data = AuditData(userIDs: Array(0..<n), attributes: [group], offers: ["offer"],
                             scores: (0..<n).map { Float($0 % 2) + Float($0 % 101) / 200 })
        var configuration = AuditConfiguration()
        configuration.bootstrapReplicates = 20
        let report = try FairnessAudit.run(data, configuration: configuration, subject: "named").report
        let f = try #require(report.findings.first { $0.metric == .demographicParityDifference })
        #expect(f.verdict == .material && f.test == .wald && f.interval == "Wald projection")
        #expect(f.reason.contains("(Wald test of equal selection_rate across groups)") && f.reason.contains("p < 1e-16"),
                "\(f.reason)")
        for finding in report.findings { #expect((finding.test == nil) == (finding.holmPValue == nil), "\(finding.id)") }
    }
}

@Suite("The flip rate is tested itself")
struct FlipRateTests {
    /// Reproduces the issue: a 3% flip rate with as many flips up as down was "no evidence", because McNemar's test
    /// tests direction only. The flip rate now has its own test (exact binomial against the tolerance); the
    /// direction is a finding of its own.
    @Test func balancedFlipsAreStillTwinsTreatedDifferently() throws {
        let n = 4_000
        let group = Grouping(name: "g", levels: ["a", "b"], membership: (0..<n).map { Int32($0 % 2) })
        let scores = (0..<n).map { Float(($0 * 7_919) % n) / Float(n) }
        // Twins of group-a users (who become b): 3% of them move across the top-10% cut-off, half up, half down.
        var twin = scores
        var moved = 0
        for u in stride(from: 0, to: n, by: 2) where moved < 60 {
            if scores[u] >= 0.9 && moved % 2 == 0 { twin[u] = 0.1; moved += 1 }
            else if scores[u] < 0.5 && moved % 2 == 1 { twin[u] = 0.99; moved += 1 }
        }
        let data = AuditData(userIDs: Array(0..<n), attributes: [group], offers: ["offer"], scores: scores,
                             counterfactuals: [CounterfactualWorld(attribute: 0, level: 1, kind: .total, scores: twin)])
        var configuration = AuditConfiguration()
        configuration.bootstrapReplicates = 20
        let report = try FairnessAudit.run(data, configuration: configuration).report
        let rate = try #require(report.findings.first { $0.metric == .counterfactualFlipRate && $0.world == "do(g=b)" })
        let direction = try #require(report.findings.first {
            $0.metric == .counterfactualNetFlipRate && $0.world == "do(g=b)"
        })
        #expect(abs(rate.estimate.value! - 0.03) < 0.002, "\(rate.estimate)")
        #expect(rate.verdict == .material && rate.test == .binomial, "\(rate.reason)")
        #expect(direction.verdict == .noMaterialGap && direction.test == .mcNemar, "\(direction.reason)")
        #expect(abs(direction.estimate.value!) < 0.002 && direction.estimate.lower! < 0 && direction.estimate.upper! > 0)

        // With a tolerance of 5% the same flips are no evidence.
        configuration.flipTolerance = 0.05
        let tolerant = try FairnessAudit.run(data, configuration: configuration).report
        #expect(tolerant.findings.first { $0.id == rate.id }?.verdict == .noMaterialGap)
    }
}
