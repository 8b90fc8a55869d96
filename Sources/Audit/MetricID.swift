/// A metric's identity: the name findings, policies, baselines and reports use, as a type the registry
/// (``MetricDescriptor/all``) knows — so Swift code names a metric by its case, never by a string, and a name read
/// from a file or a flag is checked once, when it is parsed.
///
/// Every case has exactly one descriptor (``descriptor``); its raw value is the metric's name in JSON and text.
public enum MetricID: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// `demographic_parity_difference`.
    case demographicParityDifference = "demographic_parity_difference"
    /// `demographic_parity_ratio`.
    case demographicParityRatio = "demographic_parity_ratio"
    /// `demographic_parity_difference_to_overall`.
    case demographicParityDifferenceToOverall = "demographic_parity_difference_to_overall"
    /// `demographic_parity_ratio_to_overall`.
    case demographicParityRatioToOverall = "demographic_parity_ratio_to_overall"
    /// `equal_opportunity_difference`.
    case equalOpportunityDifference = "equal_opportunity_difference"
    /// `equal_opportunity_ratio`.
    case equalOpportunityRatio = "equal_opportunity_ratio"
    /// `equalized_odds_difference`.
    case equalizedOddsDifference = "equalized_odds_difference"
    /// `equalized_odds_ratio`.
    case equalizedOddsRatio = "equalized_odds_ratio"
    /// `statistical_parity_difference`.
    case statisticalParityDifference = "statistical_parity_difference"
    /// `disparate_impact_ratio`.
    case disparateImpactRatio = "disparate_impact_ratio"
    /// `aif360_equal_opportunity_difference`.
    case aif360EqualOpportunityDifference = "aif360_equal_opportunity_difference"
    /// `average_odds_difference`.
    case averageOddsDifference = "average_odds_difference"
    /// `exposure_rate_difference`.
    case exposureRateDifference = "exposure_rate_difference"
    /// `exposure_difference`.
    case exposureDifference = "exposure_difference"
    /// `ndcg_difference`.
    case ndcgDifference = "ndcg_difference"
    /// `counterfactual_flip_rate`.
    case counterfactualFlipRate = "counterfactual_flip_rate"
    /// `counterfactual_net_flip_rate`.
    case counterfactualNetFlipRate = "counterfactual_net_flip_rate"
    /// `counterfactual_exposure_change`.
    case counterfactualExposureChange = "counterfactual_exposure_change"
    /// `opt_out_rate_difference`.
    case optOutRateDifference = "opt_out_rate_difference"
    /// `opt_out_ndcg_cost_difference`.
    case optOutNDCGCostDifference = "opt_out_ndcg_cost_difference"
    /// `opt_out_bias`.
    case optOutBias = "opt_out_bias"
    /// `inference_auc`.
    case inferenceAUC = "inference_auc"
    /// `sensitive_exposure_rate_difference`.
    case sensitiveExposureRateDifference = "sensitive_exposure_rate_difference"
    /// `membership_auc`.
    case membershipAUC = "membership_auc"
    /// `empirical_epsilon`.
    case empiricalEpsilon = "empirical_epsilon"

    /// The metric's descriptor in the registry.
    public var descriptor: MetricDescriptor { MetricDescriptor.all.first { $0.id == self }! }

    /// The name (`demographic_parity_difference`).
    public var name: String { rawValue }

    /// The name.
    public var description: String { rawValue }

    /// Orders by name.
    public static func < (a: MetricID, b: MetricID) -> Bool { a.rawValue < b.rawValue }
}
