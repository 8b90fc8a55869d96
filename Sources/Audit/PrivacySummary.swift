/// The privacy view's tables (report.json's `privacy`): who opted out, what each group's users get with and
/// without consent, and the campaign metrics on consenting users beside everyone. Its tested figures are
/// findings of view `privacy` like every other (`opt_out_rate_difference`, `opt_out_ndcg_cost_difference`,
/// `opt_out_bias`, `inference_auc`, `sensitive_exposure_rate_difference`, `membership_auc`, `empirical_epsilon`).
public struct PrivacySummary: Sendable, Codable, Equatable {
    /// The consent attribute, when the world has one.
    public var consentAttribute: String?
    /// Users who opted out (consent false), when there is a consent attribute.
    public var optedOut: Int?
    /// What opted-out users are served: `non-personalised` (the most popular items among consenting users),
    /// `personalised` (the model does not honour consent) or `not applicable` (no consent attribute).
    public var optedOutServing: String
    /// Users the inference probes were run on (the consenting ones when the model honours consent).
    public var probedUsers: Int
    /// The sensitive item categories.
    public var sensitiveCategories: [String]
    /// Consent and NDCG@K by protected group.
    public var groups: [Group]
    /// Each campaign metric on consenting users beside its value on everyone.
    public var optOutBias: [Bias]
    /// What the reader must know before the figures (e.g. opted-out users served personalised lists).
    public var warnings: [String]
    /// The membership attack's evidence, when a non-member world was given (absent from `report.json` otherwise).
    public var membership: MembershipEvidence?

    /// One protected group's consent and what its users get.
    public struct Group: Sendable, Codable, Equatable {
        /// The attribute or intersection.
        public var attribute: String
        /// The level.
        public var group: String
        /// Members.
        public var members: Int
        /// Share who opted out (Wilson interval).
        public var optedOutShare: Estimate
        /// Mean NDCG@K against true interest of consenting users (their personalised lists).
        public var consentingNDCG: Estimate
        /// Mean NDCG@K of opted-out users: what they are served.
        public var optedOutServedNDCG: Estimate
        /// Mean NDCG@K opted-out users would have had with personalised lists (their fold-in): only a synthetic
        /// world can measure it.
        public var optedOutPersonalisedNDCG: Estimate
    }

    /// A campaign metric on consenting users only (what an auditor who sees only them computes) and on everyone.
    public struct Bias: Sendable, Codable, Equatable {
        /// The offer.
        public var offer: String
        /// The attribute or intersection.
        public var attribute: String
        /// The campaign metric.
        public var metric: MetricID
        /// Its value on everyone.
        public var everyone: Double?
        /// Its value on consenting users only.
        public var consentingOnly: Double?
        /// consenting only − everyone, with its bootstrap interval.
        public var bias: Estimate
    }
}
