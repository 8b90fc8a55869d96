import Audit
import FileSupport
import Testing

/// The metric registry is the one place metrics are described: policies, baselines and the audit derive from it.
@Suite struct MetricDescriptorTests {
    /// A policy may name exactly the registry's metrics, the opt-in ones included.
    @Test func policiesAcceptTheRegistry() throws {
        #expect(Set(Policy.metrics) == Set(MetricDescriptor.all.map(\.name)))
        #expect(Policy.metrics.count == MetricDescriptor.all.count)
        for name in ["equalized_odds_ratio", "demographic_parity_difference_to_overall"] {
            _ = try Policy.parse("version: 1\nrules:\n  - {name: r, metric: \(name), at_most: 1}\n", file: "p.yaml")
        }
    }

    func report(_ metric: String, _ value: Double, _ lower: Double, _ upper: Double) -> AuditReport {
        AuditReport(
            configuration: AuditConfiguration(), subject: "test", users: 100, offers: ["offer"],
            attributes: [.init(name: "gender", levels: ["f", "m"], privileged: "m")], tests: 1,
            findings: [Finding(id: "campaign/offer/gender/\(metric)", view: "campaign", offer: "offer",
                               attribute: "gender", world: nil, metric: metric, convention: "aif360",
                               estimate: Estimate(value: value, lower: lower, upper: upper), undefinedReason: nil,
                               pValue: nil, adjustedPValue: nil, verdict: .noEvidence, reason: "", groups: [])],
            attribution: [], counterfactuals: [])
    }

    /// AIF360's disparate impact (unprivileged / privileged) is worse further from 1 on either side, so a
    /// regression is caught above 1 as well as below; Fairlearn's min/max ratio only gets worse downwards.
    @Test func regressionFollowsEachMetricsDirection() throws {
        let policy = try Policy.parse("""
            version: 1
            rules:
              - {name: di, metric: disparate_impact_ratio, no_regression: true}
            """, file: "p.yaml")
        let baseline = report("disparate_impact_ratio", 0.95, 0.9, 1.0)
        let above = report("disparate_impact_ratio", 1.3, 1.2, 1.4)
        let below = report("disparate_impact_ratio", 0.7, 0.6, 0.8)
        let within = report("disparate_impact_ratio", 1.04, 1.0, 1.08)
        #expect(try policy.evaluate(above, baseline: baseline)[0].status == .violated)
        #expect(try policy.evaluate(below, baseline: baseline)[0].status == .violated)
        #expect(try policy.evaluate(within, baseline: baseline)[0].status == .passed)
        let ratio = try Policy.parse("""
            version: 1
            rules:
              - {name: dpr, metric: demographic_parity_ratio, no_regression: true}
            """, file: "p.yaml")
        #expect(try ratio.evaluate(report("demographic_parity_ratio", 0.7, 0.6, 0.8),
                                   baseline: report("demographic_parity_ratio", 0.95, 0.9, 1.0))[0].status == .violated)
        #expect(try ratio.evaluate(report("demographic_parity_ratio", 0.99, 0.98, 1.0),
                                   baseline: report("demographic_parity_ratio", 0.8, 0.7, 0.9))[0].status == .passed)
    }

    /// The opt-in metrics are reachable from an audit and agree with their definitions on the same counts.
    @Test func optInMetricsAreReported() throws {
        // 8 users, two groups; scores put users 0, 1, 4 on top; interest (truth) is users 0, 4, 5, 6.
        let group = Grouping(name: "g", levels: ["a", "b"], membership: [0, 0, 0, 0, 1, 1, 1, 1])
        let scores: [Float] = [9, 8, 1, 2, 7, 3, 4, 0.5]
        let truth: [Float] = [1, 0, 0, 0, 1, 1, 1, 0]
        var configuration = AuditConfiguration()
        configuration.targetShare = 3.0 / 8
        configuration.interest = .threshold(0.5)
        configuration.minimumGroupSize = 2
        configuration.bootstrapReplicates = 40
        let data = AuditData(userIDs: Array(0..<8), attributes: [group], offers: ["o"], scores: scores, truth: truth)
        let plain = try FairnessAudit.run(data, configuration: configuration)
        #expect(!plain.report.findings.contains { $0.metric == "equalized_odds_ratio" })
        configuration.metrics = ["equalized_odds_ratio", "demographic_parity_difference_to_overall",
                                 "demographic_parity_ratio_to_overall", "equal_opportunity_ratio"]
        let result = try FairnessAudit.run(data, configuration: configuration)
        let targeted = result.targeted
        #expect(targeted == [true, true, false, false, true, false, false, false])
        let m = BinaryGroupMetrics(groups: group.membership.map(Int.init), levels: 2, truth: truth.map { $0 > 0.5 },
                                   decisions: targeted)
        let ratio = result.report.findings.first { $0.metric == "equalized_odds_ratio" }
        let overall = result.report.findings.first { $0.metric == "demographic_parity_difference_to_overall" }
        #expect(ratio?.estimate.value == m.equalizedOddsRatio())
        #expect(overall?.estimate.value == m.difference(.selectionRate, method: .toOverall))
        let value = { (name: String) in result.report.findings.first { $0.metric == name }?.estimate.value }
        #expect(value("demographic_parity_ratio_to_overall") == m.ratio(.selectionRate, method: .toOverall))
        #expect(value("equal_opportunity_ratio") == m.ratio(.truePositiveRate))
        #expect(ratio?.convention == "fairlearn" && ratio?.view == "campaign")
        // The defaults are unchanged by the opt-ins (same values, same order).
        let defaults = result.report.findings.filter { f in plain.report.findings.contains { $0.id == f.id } }
        #expect(defaults == plain.report.findings)
    }

    @Test func unknownMetricsAreRefused() {
        var configuration = AuditConfiguration()
        configuration.metrics = ["theil_index"]
        #expect(throws: InputError.self) { try configuration.validate() }
    }
}
