extension MetricDescriptor {
    /// Every metric the audit can report, in report order within each view.
    public static let all: [MetricDescriptor] = campaign + recommendation + counterfactual + privacy

    /// Campaign metrics, in the order findings are listed per offer and attribute.
    static let campaign: [MetricDescriptor] = [
        MetricDescriptor(
            name: "demographic_parity_difference", view: .campaign, convention: .fairlearn, direction: .higherIsWorse,
            columns: [.targeted], statistic: .difference(.selectionRate, .betweenGroups),
            test: .rates([.selectionRate]), groupRate: .selectionRate, isCharted: true),
        MetricDescriptor(
            name: "demographic_parity_ratio", view: .campaign, convention: .fairlearn, direction: .lowerIsWorse,
            columns: [.targeted], statistic: .ratio(.selectionRate, .betweenGroups), test: .rates([.selectionRate]),
            groupRate: .selectionRate, undefined: .fixed("undefined: no group was selected")),
        MetricDescriptor(
            name: "demographic_parity_difference_to_overall", view: .campaign, convention: .fairlearn,
            direction: .higherIsWorse, columns: [.targeted], statistic: .difference(.selectionRate, .toOverall),
            test: .rates([.selectionRate]), groupRate: .selectionRate, isDefault: false),
        MetricDescriptor(
            name: "demographic_parity_ratio_to_overall", view: .campaign, convention: .fairlearn,
            direction: .lowerIsWorse, columns: [.targeted], statistic: .ratio(.selectionRate, .toOverall),
            test: .rates([.selectionRate]), groupRate: .selectionRate,
            undefined: .fixed("undefined: no user was selected"), isDefault: false),
        MetricDescriptor(
            name: "equal_opportunity_difference", view: .campaign, convention: .fairlearn, direction: .higherIsWorse,
            columns: [.targeted, .interest], statistic: .difference(.truePositiveRate, .betweenGroups),
            test: .rates([.truePositiveRate]), groupRate: .truePositiveRate,
            undefined: .emptyDenominators([.truePositiveRate], what: "truly interested users")),
        MetricDescriptor(
            name: "equal_opportunity_ratio", view: .campaign, convention: .fairlearn, direction: .lowerIsWorse,
            columns: [.targeted, .interest], statistic: .ratio(.truePositiveRate, .betweenGroups),
            test: .rates([.truePositiveRate]), groupRate: .truePositiveRate,
            undefined: .emptyDenominators([.truePositiveRate], what: "truly interested users"), isDefault: false),
        MetricDescriptor(
            name: "equalized_odds_difference", view: .campaign, convention: .fairlearn, direction: .higherIsWorse,
            columns: [.targeted, .interest], statistic: .equalizedOddsDifference,
            test: .rates([.truePositiveRate, .falsePositiveRate]), groupRate: .falsePositiveRate,
            undefined: .emptyDenominators([.truePositiveRate, .falsePositiveRate], what: "users of one interest class")),
        MetricDescriptor(
            name: "equalized_odds_ratio", view: .campaign, convention: .fairlearn, direction: .lowerIsWorse,
            columns: [.targeted, .interest], statistic: .equalizedOddsRatio,
            test: .rates([.truePositiveRate, .falsePositiveRate]), groupRate: .truePositiveRate,
            undefined: .emptyDenominators([.truePositiveRate, .falsePositiveRate], what: "users of one interest class"),
            isDefault: false),
        MetricDescriptor(
            name: "statistical_parity_difference", view: .campaign, convention: .aif360,
            direction: .furtherFromZeroIsWorse, columns: [.targeted], statistic: .directionalDifference(.selectionRate),
            test: .rates([.selectionRate]), groupRate: .selectionRate, needsPrivileged: true),
        MetricDescriptor(
            name: "disparate_impact_ratio", view: .campaign, convention: .aif360, direction: .furtherFromOneIsWorse,
            columns: [.targeted], statistic: .directionalRatio(.selectionRate), test: .rates([.selectionRate]),
            groupRate: .selectionRate, undefined: .fixed("undefined: the privileged group was never selected"),
            needsPrivileged: true),
        MetricDescriptor(
            name: "aif360_equal_opportunity_difference", view: .campaign, convention: .aif360,
            direction: .furtherFromZeroIsWorse, columns: [.targeted, .interest],
            statistic: .directionalDifference(.truePositiveRate), test: .rates([.truePositiveRate]),
            undefined: .fixed("undefined: a side has no truly interested users"), needsPrivileged: true),
        MetricDescriptor(
            name: "average_odds_difference", view: .campaign, convention: .aif360, direction: .furtherFromZeroIsWorse,
            columns: [.targeted, .interest], statistic: .averageOddsDifference, test: .signedStatistic,
            undefined: .fixed("undefined: a side has no users of one interest class"), needsPrivileged: true),
    ]

    /// Recommendation metrics (computed by the recommendation view's code).
    static let recommendation: [MetricDescriptor] = [
        MetricDescriptor(
            name: "exposure_rate_difference", view: .recommendation, convention: .fairground,
            direction: .higherIsWorse, columns: [.exposure], statistic: .viewSpecific, test: .proportions),
        MetricDescriptor(
            name: "exposure_difference", view: .recommendation, convention: .fairground, direction: .higherIsWorse,
            columns: [.exposure], statistic: .viewSpecific, test: .means),
        MetricDescriptor(
            name: "ndcg_difference", view: .recommendation, convention: .fairground, direction: .higherIsWorse,
            columns: [.ndcg], statistic: .viewSpecific, test: .means),
    ]

    /// Counterfactual metrics (computed by the counterfactual view's code).
    static let counterfactual: [MetricDescriptor] = [
        MetricDescriptor(
            name: "counterfactual_flip_rate", view: .counterfactual, convention: .fairground,
            direction: .higherIsWorse, columns: [.twinDecisions], statistic: .viewSpecific, test: .flipRate),
        MetricDescriptor(
            name: "counterfactual_net_flip_rate", view: .counterfactual, convention: .fairground,
            direction: .furtherFromZeroIsWorse, columns: [.twinDecisions], statistic: .viewSpecific, test: .mcNemar),
        MetricDescriptor(
            name: "counterfactual_exposure_change", view: .counterfactual, convention: .fairground,
            direction: .furtherFromZeroIsWorse, columns: [.twinExposure], statistic: .viewSpecific, test: .mcNemar),
    ]

    /// Privacy metrics (computed by the privacy view's code; reported when the data carry ``PrivacyData``).
    static let privacy: [MetricDescriptor] = [
        MetricDescriptor(
            name: "opt_out_rate_difference", view: .privacy, convention: .fairground, direction: .higherIsWorse,
            columns: [.consent], statistic: .viewSpecific, test: .proportions),
        MetricDescriptor(
            name: "opt_out_ndcg_cost_difference", view: .privacy, convention: .fairground,
            direction: .higherIsWorse, columns: [.consent, .ndcg], statistic: .viewSpecific, test: .means),
        MetricDescriptor(
            name: "opt_out_bias", view: .privacy, convention: .fairground, direction: .furtherFromZeroIsWorse,
            columns: [.consent, .targeted], statistic: .viewSpecific, test: .bootstrapZ),
        MetricDescriptor(
            name: "inference_auc", view: .privacy, convention: .fairground, direction: .higherIsWorse,
            columns: [], statistic: .viewSpecific, test: .aucAboveHalf),
        MetricDescriptor(
            name: "sensitive_exposure_rate_difference", view: .privacy, convention: .fairground,
            direction: .higherIsWorse, columns: [.exposure], statistic: .viewSpecific, test: .signedStatistic),
    ]

    /// The metrics an audit with `extra` opt-in names reports: the defaults and the named ones, registry order.
    static func active(extra: [String]) -> [MetricDescriptor] {
        all.filter { $0.isDefault || extra.contains($0.name) }
    }
}
