@testable import Audit
@testable import Report

/// Small audit reports built by hand (as `ReportRenderingTests` does), so every rendered figure is known.
enum ReportFixture {
    static func group(_ name: String, members: Int, selected: Int, _ value: Double?, _ lower: Double? = nil,
                      _ upper: Double? = nil, small: Bool = false) -> GroupValue {
        GroupValue(group: name, members: members, numerator: Double(selected), denominator: Double(members),
                   estimate: Estimate(value: value, lower: lower, upper: upper), small: small)
    }

    /// The default groups: f 8% of 500, m 20% of 20 (small).
    static let groups = [group("f", members: 500, selected: 40, 0.08, 0.06, 0.1),
                         group("m", members: 20, selected: 4, 0.2, 0.05, 0.4, small: true)]

    static func finding(_ metric: MetricID, offer: String = "loan", attribute: String = "gender",
                        world: String? = nil, value: Double?, verdict: Verdict, reason: String = "because <&>",
                        groups: [GroupValue] = [], test: MetricDescriptor.TestName? = nil,
                        adjusted: Double? = nil, ratio: Estimate? = nil) -> Finding {
        let id = [metric.descriptor.view.rawValue, offer, attribute, world, metric.name].compactMap { $0 }
            .joined(separator: "/")
        var f = Finding(
            id: id, view: metric.descriptor.view, offer: offer, attribute: attribute, world: world, metric: metric,
            convention: metric.descriptor.convention,
            estimate: Estimate(value: value, lower: value.map { $0 - 0.01 }, upper: value.map { $0 + 0.01 }),
            undefinedReason: value == nil ? "undefined: no truly interested users in f (0 of 12)" : nil,
            pValue: adjusted, holmPValue: adjusted, verdict: verdict, reason: reason, groups: groups, test: test)
        let m = metric.descriptor.materiality
        f.materiality = MaterialityCheck(m, estimate: m.scale == .rateRatio ? ratio ?? f.estimate : f.estimate,
                                         because: "")
        return f
    }

    /// One offer (`loan`), one attribute (`gender`: f, m), 520 users, default configuration.
    static func report(findings: [Finding], offers: [String] = ["loan"],
                       attributes: [AuditReport.Attribute] = [.init(name: "gender", levels: ["f", "m"], privileged: nil)],
                       attribution: [Attribution] = [], counterfactuals: [CounterfactualSummary] = [],
                       policy: [RuleOutcome]? = nil) -> AuditReport {
        AuditReport(configuration: AuditConfiguration(), subject: "model.fgm", users: 520, offers: offers,
                    attributes: attributes, tests: 2, findings: findings, attribution: attribution,
                    counterfactuals: counterfactuals, policy: policy)
    }

    /// The gap on `loan` by `gender`: 0.12 [0.11, 0.13], f 8% and m 20%.
    /// Its rate ratio is 0.4 [0.3, 0.5].
    static func gap(_ verdict: Verdict, test: MetricDescriptor.TestName? = .wald, adjusted: Double? = 0.2) -> Finding {
        finding(.demographicParityDifference, value: 0.12, verdict: verdict, groups: groups, test: test,
                adjusted: adjusted, ratio: Estimate(value: 0.4, lower: 0.3, upper: 0.5))
    }

    /// Two groups, oriented m − f: truth 2 points, data +3, model +7 [5, 9] — every stage favours m.
    static let attribution = Attribution(
        offer: "loan", attribute: "gender", groups: [], orientation: ["m", "f"],
        truthGap: Estimate(value: 0.02, lower: 0.01, upper: 0.03),
        observedGap: Estimate(value: 0.05, lower: 0.04, upper: 0.06),
        modelGap: Estimate(value: 0.12, lower: 0.1, upper: 0.14),
        addedByData: Estimate(value: 0.03, lower: 0.02, upper: 0.04), addedByModel: Estimate(value: 0.07, lower: 0.05, upper: 0.09),
        leaning: [.init(stage: .truth, favoured: "m", leastFavoured: "f"),
                  .init(stage: .observed, favoured: "m", leastFavoured: "f"),
                  .init(stage: .model, favoured: "m", leastFavoured: "f")])

    /// do(gender=m): 260 affected, 10 flip up and 3 down on `loan`.
    static func world(flipsUp: Int = 10, flipsDown: Int = 3, quantiles: [Double] = [-0.02, -0.01, 0, 0.01, 0.03])
        -> CounterfactualSummary {
        let offer = CounterfactualSummary.Offer(
            offer: "loan", flipUp: Estimate(value: 0.05), flipDown: Estimate(value: 0.01),
            flipRate: Estimate(value: Double(flipsUp + flipsDown) / 260), flipsUp: flipsUp, flipsDown: flipsDown,
            exposureChange: nil, scoreDelta: Estimate(value: 0.01, lower: 0.004, upper: 0.016),
            scoreDeltaQuantiles: quantiles, byGroup: [])
        return CounterfactualSummary(world: "do(gender=m)", kind: .total, attribute: "gender", level: "m", kept: [],
                                     affected: 260, topKJaccard: nil, offers: [offer])
    }

    static func outcome(_ name: String, _ status: RuleOutcome.Status, checks: [RuleOutcome.Check] = [])
        -> RuleOutcome {
        RuleOutcome(rule: PolicyRule(name: name, metric: .demographicParityDifference, atMost: 0.05), status: status,
                    checks: checks)
    }
}
