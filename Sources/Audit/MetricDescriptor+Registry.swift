extension MetricDescriptor {
    /// Every metric the audit can report, in report order within each view.
    public static let all: [MetricDescriptor] = campaign + recommendation + counterfactual + privacy

    /// Campaign metrics, in the order findings are listed per offer and attribute.
    static let campaign: [MetricDescriptor] = [
        MetricDescriptor(
            id: .demographicParityDifference, view: .campaign, convention: .fairlearn, direction: .higherIsWorse,
            columns: [.targeted], statistic: .difference(.selectionRate, .betweenGroups),
            test: .rates([.selectionRate]), groupRate: .selectionRate, isCharted: true),
        MetricDescriptor(
            id: .demographicParityRatio, view: .campaign, convention: .fairlearn, direction: .lowerIsWorse,
            columns: [.targeted], statistic: .ratio(.selectionRate, .betweenGroups), test: .rates([.selectionRate]),
            groupRate: .selectionRate, undefined: .fixed("undefined: no group was selected")),
        MetricDescriptor(
            id: .demographicParityDifferenceToOverall, view: .campaign, convention: .fairlearn,
            direction: .higherIsWorse, columns: [.targeted], statistic: .difference(.selectionRate, .toOverall),
            test: .rates([.selectionRate]), groupRate: .selectionRate, isDefault: false),
        MetricDescriptor(
            id: .demographicParityRatioToOverall, view: .campaign, convention: .fairlearn,
            direction: .lowerIsWorse, columns: [.targeted], statistic: .ratio(.selectionRate, .toOverall),
            test: .rates([.selectionRate]), groupRate: .selectionRate,
            undefined: .fixed("undefined: no user was selected"), isDefault: false),
        MetricDescriptor(
            id: .equalOpportunityDifference, view: .campaign, convention: .fairlearn, direction: .higherIsWorse,
            columns: [.targeted, .interest], statistic: .difference(.truePositiveRate, .betweenGroups),
            test: .rates([.truePositiveRate]), groupRate: .truePositiveRate,
            undefined: .emptyDenominators([.truePositiveRate], what: "truly interested users")),
        MetricDescriptor(
            id: .equalOpportunityRatio, view: .campaign, convention: .fairlearn, direction: .lowerIsWorse,
            columns: [.targeted, .interest], statistic: .ratio(.truePositiveRate, .betweenGroups),
            test: .rates([.truePositiveRate]), groupRate: .truePositiveRate,
            undefined: .emptyDenominators([.truePositiveRate], what: "truly interested users"), isDefault: false),
        MetricDescriptor(
            id: .equalizedOddsDifference, view: .campaign, convention: .fairlearn, direction: .higherIsWorse,
            columns: [.targeted, .interest], statistic: .equalizedOddsDifference,
            test: .rates([.truePositiveRate, .falsePositiveRate]), groupRate: .falsePositiveRate,
            undefined: .emptyDenominators([.truePositiveRate, .falsePositiveRate], what: "users of one interest class")),
        MetricDescriptor(
            id: .equalizedOddsRatio, view: .campaign, convention: .fairlearn, direction: .lowerIsWorse,
            columns: [.targeted, .interest], statistic: .equalizedOddsRatio,
            test: .rates([.truePositiveRate, .falsePositiveRate]), groupRate: .truePositiveRate,
            undefined: .emptyDenominators([.truePositiveRate, .falsePositiveRate], what: "users of one interest class"),
            isDefault: false),
        MetricDescriptor(
            id: .statisticalParityDifference, view: .campaign, convention: .aif360,
            direction: .furtherFromZeroIsWorse, columns: [.targeted], statistic: .directionalDifference(.selectionRate),
            test: .rates([.selectionRate]), groupRate: .selectionRate, needsPrivileged: true),
        MetricDescriptor(
            id: .disparateImpactRatio, view: .campaign, convention: .aif360, direction: .furtherFromOneIsWorse,
            columns: [.targeted], statistic: .directionalRatio(.selectionRate), test: .rates([.selectionRate]),
            groupRate: .selectionRate, undefined: .fixed("undefined: the privileged group was never selected"),
            needsPrivileged: true),
        MetricDescriptor(
            id: .aif360EqualOpportunityDifference, view: .campaign, convention: .aif360,
            direction: .furtherFromZeroIsWorse, columns: [.targeted, .interest],
            statistic: .directionalDifference(.truePositiveRate), test: .rates([.truePositiveRate]),
            undefined: .fixed("undefined: a side has no truly interested users"), needsPrivileged: true),
        MetricDescriptor(
            id: .averageOddsDifference, view: .campaign, convention: .aif360, direction: .furtherFromZeroIsWorse,
            columns: [.targeted, .interest], statistic: .averageOddsDifference, test: .signedStatistic,
            undefined: .fixed("undefined: a side has no users of one interest class"), needsPrivileged: true,
            materiality: .difference(0.05)),
    ]

    /// Recommendation metrics (computed by the recommendation view's code).
    static let recommendation: [MetricDescriptor] = [
        MetricDescriptor(
            id: .exposureRateDifference, view: .recommendation, convention: .fairground,
            direction: .higherIsWorse, columns: [.exposure], statistic: .viewSpecific, test: .proportions,
            materiality: .difference(0.05)),
        MetricDescriptor(
            id: .exposureDifference, view: .recommendation, convention: .fairground, direction: .higherIsWorse,
            columns: [.exposure], statistic: .viewSpecific, test: .means, materiality: .difference(0.05)),
        MetricDescriptor(
            id: .ndcgDifference, view: .recommendation, convention: .fairground, direction: .higherIsWorse,
            columns: [.ndcg], statistic: .viewSpecific, test: .means, materiality: .difference(0.05)),
    ]

    /// Counterfactual metrics (computed by the counterfactual view's code).
    static let counterfactual: [MetricDescriptor] = [
        MetricDescriptor(
            id: .counterfactualFlipRate, view: .counterfactual, convention: .fairground,
            direction: .higherIsWorse, columns: [.twinDecisions], statistic: .viewSpecific, test: .flipRate,
            materiality: .difference(0.01)),
        MetricDescriptor(
            id: .counterfactualNetFlipRate, view: .counterfactual, convention: .fairground,
            direction: .furtherFromZeroIsWorse, columns: [.twinDecisions], statistic: .viewSpecific, test: .mcNemar,
            materiality: .difference(0.01)),
        MetricDescriptor(
            id: .counterfactualExposureChange, view: .counterfactual, convention: .fairground,
            direction: .furtherFromZeroIsWorse, columns: [.twinExposure], statistic: .viewSpecific, test: .mcNemar,
            materiality: .difference(0.01)),
    ]

    /// Privacy metrics (computed by the privacy view's code; reported when the data carry ``PrivacyData``).
    static let privacy: [MetricDescriptor] = [
        MetricDescriptor(
            id: .optOutRateDifference, view: .privacy, convention: .fairground, direction: .higherIsWorse,
            columns: [.consent], statistic: .viewSpecific, test: .proportions, materiality: .difference(0.05)),
        MetricDescriptor(
            id: .optOutNDCGCostDifference, view: .privacy, convention: .fairground,
            direction: .higherIsWorse, columns: [.consent, .ndcg], statistic: .viewSpecific, test: .means,
            materiality: .difference(0.05)),
        MetricDescriptor(
            id: .optOutBias, view: .privacy, convention: .fairground, direction: .furtherFromZeroIsWorse,
            columns: [.consent, .targeted], statistic: .viewSpecific, test: .bootstrapZ,
            materiality: .difference(0.02)),
        MetricDescriptor(
            id: .inferenceAUC, view: .privacy, convention: .fairground, direction: .higherIsWorse,
            columns: [], statistic: .viewSpecific, test: .aucAboveHalf,
            materiality: Materiality(scale: .auc, threshold: 0.6)),
        MetricDescriptor(
            id: .sensitiveExposureRateDifference, view: .privacy, convention: .fairground,
            direction: .higherIsWorse, columns: [.exposure], statistic: .viewSpecific, test: .signedStatistic,
            materiality: .difference(0.05)),
        MetricDescriptor(
            id: .membershipAUC, view: .privacy, convention: .fairground, direction: .higherIsWorse,
            columns: [], statistic: .viewSpecific, test: .attackAboveHalf, needsNonMembers: true,
            materiality: Materiality(scale: .auc, threshold: 0.6)),
        MetricDescriptor(
            id: .empiricalEpsilon, view: .privacy, convention: .fairground, direction: .higherIsWorse,
            columns: [], statistic: .viewSpecific, test: .lowerBound, needsNonMembers: true,
            materiality: Materiality(scale: .epsilon, threshold: 1)),
    ]

    /// The metrics an audit with `extra` opt-in names reports: the defaults and the named ones, registry order.
    static func active(extra: [MetricID]) -> [MetricDescriptor] {
        all.filter { $0.isDefault || extra.contains($0.id) }
    }
}
