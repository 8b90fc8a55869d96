import Audit
import Pipeline
import FileSupport
import Testing

/// The metric registry is the one place metrics are described: policies, baselines and the audit derive from it.
@Suite struct MetricDescriptorTests {
    /// Every metric identity has exactly one descriptor, and a policy may name exactly the registry's metrics (the
    /// opt-in ones included), each parsed to its identity; any other name is refused naming the rule's field and
    /// line.
    @Test func policiesAcceptTheRegistry() throws {
        for id in MetricID.allCases {
            #expect(MetricDescriptor.all.filter { $0.id == id }.count == 1, "\(id)")
            #expect(id.descriptor.id == id && MetricDescriptor.named(id.name)?.id == id)
            let policy = try Policy.parse("version: 1\nrules:\n  - {name: r, metric: \(id.name), at_most: 1}\n",
                                          file: "p.yaml")
            #expect(policy.rules.map(\.metric) == [id])
        }
        #expect(MetricDescriptor.all.count == MetricID.allCases.count)
        #expect { try Policy.parse("version: 1\nrules:\n  - {name: r, metric: theil_index, at_most: 1}\n", file: "p.yaml") }
            throws: { error in
                let e = error as? FairgroundError
                return e?.field == "rules[0].metric" && e?.line == 3 && e?.found == "theil_index"
                    && e?.expected.contains("demographic_parity_ratio") == true
            }
        #expect { try Policy.parse("version: 1\nrules:\n  - {name: r, metric: inference_auc, at_most: 1, evidence: vibes}\n",
                                   file: "p.yaml") }
            throws: { error in (error as? FairgroundError)?.field == "rules[0].evidence" }
        #expect(try Policy.parse("version: 1\nrules:\n  - {name: r, metric: inference_auc, at_most: 1, evidence: per_finding}\n",
                                 file: "p.yaml").rules[0].evidence == .perFinding)
    }

    func report(_ metric: MetricID, _ value: Double, _ lower: Double, _ upper: Double) -> AuditReport {
        AuditReport(
            configuration: AuditConfiguration(), subject: "test", users: 100, offers: ["offer"],
            attributes: [.init(name: "gender", levels: ["f", "m"], privileged: "m")], tests: 1,
            findings: [Finding(id: "campaign/offer/gender/\(metric)", view: .campaign, offer: "offer",
                               attribute: "gender", world: nil, metric: metric, convention: .aif360,
                               estimate: Estimate(value: value, lower: lower, upper: upper), undefinedReason: nil,
                               pValue: nil, holmPValue: nil, verdict: .noMaterialGap, reason: "", groups: [])],
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
        let baseline = report(.disparateImpactRatio, 0.95, 0.9, 1.0)
        let above = report(.disparateImpactRatio, 1.3, 1.2, 1.4)
        let below = report(.disparateImpactRatio, 0.7, 0.6, 0.8)
        let within = report(.disparateImpactRatio, 1.04, 1.0, 1.08)
        #expect(try policy.evaluate(above, baseline: baseline)[0].status == .violated)
        #expect(try policy.evaluate(below, baseline: baseline)[0].status == .violated)
        #expect(try policy.evaluate(within, baseline: baseline)[0].status == .passed)
        let ratio = try Policy.parse("""
            version: 1
            rules:
              - {name: dpr, metric: demographic_parity_ratio, no_regression: true}
            """, file: "p.yaml")
        #expect(try ratio.evaluate(report(.demographicParityRatio, 0.7, 0.6, 0.8),
                                   baseline: report(.demographicParityRatio, 0.95, 0.9, 1.0))[0].status == .violated)
        #expect(try ratio.evaluate(report(.demographicParityRatio, 0.99, 0.98, 1.0),
                                   baseline: report(.demographicParityRatio, 0.8, 0.7, 0.9))[0].status == .passed)
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
        #expect(!plain.report.findings.contains { $0.metric == .equalizedOddsRatio })
        configuration.metrics = [.equalizedOddsRatio, .demographicParityDifferenceToOverall,
                                 .demographicParityRatioToOverall, .equalOpportunityRatio]
        let result = try FairnessAudit.run(data, configuration: configuration)
        let targeted = result.targeted
        #expect(targeted == [true, true, false, false, true, false, false, false])
        let m = BinaryGroupMetrics(groups: group.membership.map(Int.init), levels: 2, truth: truth.map { $0 > 0.5 },
                                   decisions: targeted)
        let ratio = result.report.findings.first { $0.metric == .equalizedOddsRatio }
        let overall = result.report.findings.first { $0.metric == .demographicParityDifferenceToOverall }
        #expect(ratio?.estimate.value == m.equalizedOddsRatio())
        #expect(overall?.estimate.value == m.difference(.selectionRate, method: .toOverall))
        let value = { (id: MetricID) in result.report.findings.first { $0.metric == id }?.estimate.value }
        #expect(value(.demographicParityRatioToOverall) == m.ratio(.selectionRate, method: .toOverall))
        #expect(value(.equalOpportunityRatio) == m.ratio(.truePositiveRate))
        #expect(ratio?.convention == .fairlearn && ratio?.view == .campaign)
        // The defaults are unchanged by the opt-ins (same values, same order).
        let defaults = result.report.findings.filter { f in plain.report.findings.contains { $0.id == f.id } }
        #expect(defaults == plain.report.findings)
    }

    /// An unknown metric name cannot become a configuration: decoding one (a baseline's or a shard's
    /// configuration) fails.
    @Test func unknownMetricsAreRefused() {
        #expect(MetricID(rawValue: "theil_index") == nil)
        #expect(throws: (any Error).self) {
            try JSONInput.decode(AuditConfiguration.self, from: Array(#"{"metrics": ["theil_index"]}"#.utf8), snakeCase: true)
        }
    }
}
