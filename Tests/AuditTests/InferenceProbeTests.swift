import Statistics
import Foundation
@testable import Audit
import Linear
import TestSupport
import Testing

/// The inference probe agrees with scikit-learn (issue 13, point 15): on the same features, labels and folds,
/// `LogisticRegression` + `roc_auc_score` (`Fixtures/make_probe_fixture.py`) give the same out-of-fold scores
/// and AUC.
@Suite struct InferenceProbeTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            var name: String
            var regularization: Double
            var folds: Int
            var features: [[Double]]
            var labels: [Int]
            var fold: [Int]
            var scores: [Double]
            var auc: Double
        }
        var cases: [Case]
    }

    @Test func agreesWithScikitLearn() throws {
        let url = URL(fileURLWithPath: repositoryRoot + "/Tests/AuditTests/Fixtures/probe.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        #expect(fixture.cases.count == 4)
        for c in fixture.cases {
            var probe = InferenceProbe()
            probe.folds = c.folds
            probe.regularization = c.regularization
            let x = Matrix(c.features), y = c.labels.map { $0 == 1 }
            let scores = probe.crossFittedScores(features: x, labels: y, assignment: c.fold)
            let worst = zip(scores, c.scores).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-5, "\(c.name): scores differ by up to \(worst)")
            let outcome = try #require(probe.probe(features: x, labels: y, assignment: c.fold))
            #expect(abs(outcome.auc - c.auc) < 0.005, "\(c.name): AUC \(outcome.auc) vs scikit-learn \(c.auc)")
            #expect(abs(outcome.auc - c.auc) < 1e-6, "\(c.name): AUC \(outcome.auc) vs scikit-learn \(c.auc)")
            #expect(outcome.low <= outcome.auc && outcome.auc <= outcome.high)
        }
    }

    /// AUC and DeLong's variance against a hand computation; a perfect and a useless score.
    @Test func areaAndItsErrorAreRight() throws {
        // Positives 0.9, 0.8, 0.4; negatives 0.7, 0.4, 0.1: pairs won 1+1+1, 1+1+1, 0+0.5+1 → 7.5 / 9.
        let roc = try #require(ReceiverOperatingCurve(scores: [0.9, 0.7, 0.8, 0.4, 0.4, 0.1],
                                                      labels: [true, false, true, false, true, false]))
        #expect(abs(roc.area - 7.5 / 9) < 1e-12)
        // V10 (negatives below each positive) = (1, 1, 0.5); V01 (positives above each negative) = (2/3, 2.5/3, 1).
        func variance(_ v: [Double]) -> Double {
            let m = v.reduce(0, +) / Double(v.count)
            return v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)
        }
        let expected = (variance([1, 1, 0.5]) / 3 + variance([2.0 / 3, 2.5 / 3, 1]) / 3).squareRoot()
        #expect(abs(roc.standardError - expected) < 1e-12)
        #expect(ReceiverOperatingCurve(scores: [1, 2], labels: [true, true]) == nil)
        let perfect = try #require(ReceiverOperatingCurve(scores: [3, 4, 1, 2], labels: [true, true, false, false]))
        #expect(perfect.area == 1 && perfect.interval(level: 0.95).high == 1)
    }

    /// Under the null — labels independent of the features — the probe's one-sided test rejects at about its
    /// level: 200 seeded replications at 5% (a calibration check, not a timing).
    @Test func theTestHoldsItsLevelWhenNothingIsRevealed() {
        var random = TestLCG(seed: 8)
        var rejections = 0
        for replication in 0..<200 {
            let n = 120, d = 3
            let x = Matrix(rows: n, columns: d, elements: (0..<(n * d)).map { _ in Double(random.next() >> 11) / Double(1 << 53) - 0.5 })
            let y = (0..<n).map { _ in random.next() >> 63 == 1 }
            var probe = InferenceProbe()
            probe.seed = UInt64(replication)
            if let outcome = probe.probe(features: x, labels: y), outcome.pValue < 0.05 { rejections += 1 }
        }
        #expect(rejections <= 20, "\(rejections) of 200 rejections at 5%")
    }
}
