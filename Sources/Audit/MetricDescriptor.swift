/// Everything the audit knows about one metric, in one place: its name, the view it belongs to, the convention
/// it follows, which direction is worse, the per-user columns it needs, how it is computed and which test its
/// verdict rests on.
///
/// The engine's column layout, the policy's allowed metrics, the baseline-regression direction and the report's
/// charts are all derived from the descriptors in ``MetricDescriptor/all``; a campaign metric is added by adding
/// one entry there.
public struct MetricDescriptor: Sendable {
    /// Where in the audit a metric lives.
    public enum View: String, Sendable, Hashable, Codable, CaseIterable {
        /// The marketer targets the top share of users by score for each offer.
        case campaign
        /// Each user's top-K list.
        case recommendation
        /// Exact twins compared with their factual selves.
        case counterfactual
        /// Consent, what opting out costs, and what the model and the data reveal about sensitive traits.
        case privacy
    }

    /// Whose definition the metric follows.
    public enum Convention: String, Sendable, Hashable, Codable, CaseIterable {
        /// Fairlearn's symmetric group metrics (max − min, min / max).
        case fairlearn
        /// AIF360's directional metrics (unprivileged against privileged).
        case aif360
        /// Fairground's own (exposure, NDCG, counterfactual) metrics.
        case fairground
    }

    /// Which values are worse, for baselines: a regression is a move in this direction beyond the interval.
    public enum Direction: String, Sendable {
        /// Larger is worse (gaps, flip rates).
        case higherIsWorse = "higher_is_worse"
        /// Smaller is worse (Fairlearn's min / max ratios, at most 1).
        case lowerIsWorse = "lower_is_worse"
        /// Further from 0 in either direction is worse (signed differences).
        case furtherFromZeroIsWorse = "further_from_zero_is_worse"
        /// Further from 1 in either direction is worse (AIF360's unprivileged / privileged ratio).
        case furtherFromOneIsWorse = "further_from_one_is_worse"
    }

    /// A per-user quantity the engine sums by group (one column per offer, world or both).
    public enum Column: String, Sendable, Hashable, CaseIterable {
        /// Targeted by the campaign.
        case targeted
        /// Truly interested (ground truth) and targeted while interested.
        case interest
        /// Shown the offer in the top-K list, and its position weight.
        case exposure
        /// NDCG@K against the truly interesting offers.
        case ndcg
        /// Twin decisions (flips each way, score deltas) per counterfactual world.
        case twinDecisions = "twin_decisions"
        /// Twin top-K exposure changes per counterfactual world.
        case twinExposure = "twin_exposure"
        /// Consent (opted out or not), and the consenting users' campaign and NDCG sums.
        case consent
    }

    /// How a campaign metric is computed from the per-group counts of one offer (replicate by replicate).
    public enum Statistic: Sendable {
        /// Fairlearn's difference of a rate (max − min, or the largest distance to the overall rate).
        case difference(BinaryRate, BinaryGroupMetrics.Method)
        /// Fairlearn's ratio of a rate (min / max, or the smallest ratio to the overall rate).
        case ratio(BinaryRate, BinaryGroupMetrics.Method)
        /// Fairlearn's equalized-odds difference (worst case of the TPR and FPR differences).
        case equalizedOddsDifference
        /// Fairlearn's equalized-odds ratio (worst case of the TPR and FPR ratios).
        case equalizedOddsRatio
        /// AIF360's rate(unprivileged) − rate(privileged).
        case directionalDifference(BinaryRate)
        /// AIF360's rate(unprivileged) / rate(privileged).
        case directionalRatio(BinaryRate)
        /// AIF360's average odds difference.
        case averageOddsDifference
        /// Computed by the view's own code (recommendation and counterfactual metrics).
        case viewSpecific

        /// The rate ratio a rate metric's materiality is judged on: the metric itself for a ratio, the ratio of the
        /// same rates for a difference (`nil`: the metric is judged on its own value).
        var ratioCompanion: Statistic? {
            switch self {
            case .difference(let rate, let method): .ratio(rate, method)
            case .ratio: self
            case .equalizedOddsDifference, .equalizedOddsRatio: .equalizedOddsRatio
            case .directionalDifference(let rate), .directionalRatio(let rate): .directionalRatio(rate)
            case .averageOddsDifference, .viewSpecific: nil
            }
        }

        /// The value for `metrics`, `nil` when undefined.
        func value(_ metrics: BinaryGroupMetrics, privileged: Int?) -> Double? {
            switch self {
            case .difference(let rate, let method): return metrics.difference(rate, method: method)
            case .ratio(let rate, let method): return metrics.ratio(rate, method: method)
            case .equalizedOddsDifference: return metrics.equalizedOddsDifference()
            case .equalizedOddsRatio: return metrics.equalizedOddsRatio()
            case .directionalDifference(let rate): return privileged.flatMap { metrics.directionalDifference(rate, privileged: $0) }
            case .directionalRatio(let rate): return privileged.flatMap { metrics.directionalRatio(rate, privileged: $0) }
            case .averageOddsDifference: return privileged.flatMap { metrics.averageOddsDifference(privileged: $0) }
            case .viewSpecific: return nil
            }
        }
    }

    /// The test a verdict rests on.
    public enum Test: Sendable, Equatable {
        /// Wald homogeneity of these rates across the groups, each group studentised by its own variance (all
        /// groups, or for a directional metric with more than two levels, the privileged group against everyone
        /// else pooled). The metric's interval inverts it: it reaches "no gap" exactly when the test does not
        /// reject. With two rates (equalized odds) the verdict's p-value is their Bonferroni combination.
        case rates([BinaryRate])
        /// The Wald z-test that the signed statistic itself is 0 (AIF360's average odds difference).
        case signedStatistic
        /// Wald homogeneity of a per-user yes/no share (e.g. shown the offer) across the groups.
        case proportions
        /// The large-sample Welch test of equal group means (Wald homogeneity with each group's own variance).
        case means
        /// McNemar's exact test of paired twin decisions (it tests the direction of flips: as many up as down is
        /// no evidence, whatever the flip rate).
        case mcNemar
        /// The exact binomial test that at most the tolerated share of twins is treated differently
        /// (``AuditConfiguration/flipTolerance``; 0: any flip is evidence, since exact twins of a counterfactually
        /// fair model never flip).
        case flipRate
        /// The one-sided test that a probe's cross-fitted AUC exceeds 0.5, with DeLong's standard error.
        case aucAboveHalf
        /// The one-sided test that a membership attack's AUC exceeds 0.5 (it tells members from non-members), with
        /// DeLong's standard error.
        case attackAboveHalf
        /// No test: the value is a one-sided lower confidence bound at the audit's confidence level (the
        /// empirical ε, from Clopper–Pearson bounds on held-out users). It joins no Holm family; the bound itself is
        /// the evidence (``Materiality/Scale/epsilon``).
        case lowerBound
        /// The z-test that a smooth statistic is 0, with the Poisson bootstrap's standard error.
        case bootstrapZ

        /// The test's name in a table cell and in a finding's `test` field.
        public var name: TestName {
            switch self {
            case .rates, .proportions, .signedStatistic: .wald
            case .means: .welch
            case .mcNemar: .mcNemar
            case .flipRate: .binomial
            case .aucAboveHalf, .attackAboveHalf: .deLong
            case .bootstrapZ: .bootstrapZ
            case .lowerBound: .clopperPearson
            }
        }

        /// The test's name in a table cell: `Wald`, `Welch`, `McNemar`, `binomial`, `DeLong`, `bootstrap z` or
        /// `Clopper–Pearson`.
        public var shortName: String { name.rawValue }

        /// A short description for reports.
        public var description: String {
            switch self {
            case .rates(let rates): "Wald test of equal " + rates.map(\.rawValue).joined(separator: " and ")
                + (rates.count > 1 ? " across groups, Bonferroni over the two" : " across groups")
            case .signedStatistic: "Wald z-test that the difference is 0"
            case .proportions: "Wald test of equal proportions across groups"
            case .means: "Welch's large-sample test of equal means"
            case .mcNemar: "McNemar's exact test of the direction of twin flips: as many up as down is no evidence"
            case .flipRate: "exact binomial test of the share of twins whose decision differs"
            case .aucAboveHalf: "DeLong's one-sided test that the cross-fitted AUC exceeds 0.5"
            case .attackAboveHalf: "DeLong's one-sided test that the membership attack's AUC exceeds 0.5"
            case .lowerBound: "a one-sided lower bound from Clopper–Pearson bounds on held-out users, not a test"
            case .bootstrapZ: "z-test that the difference is 0, with the Poisson-bootstrap standard error"
            }
        }

        /// What a rejection of this test claims, for a verdict's sentence.
        var claim: (rejected: String, notRejected: String) {
            switch self {
            case .aucAboveHalf: ("the trait can be predicted", "no evidence that the trait can be predicted")
            case .attackAboveHalf: ("the attack tells members from non-members",
                                    "no evidence that the attack tells members from non-members")
            case .bootstrapZ: ("the consenting-only value differs from everyone's",
                               "no evidence that the consenting-only value differs from everyone's")
            default: ("groups differ", "no evidence of a difference")
            }
        }
    }

    /// A test's name, as findings record it.
    public enum TestName: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
        /// Wald tests (rates, proportions, a signed statistic).
        case wald = "Wald"
        /// Welch's large-sample test of means.
        case welch = "Welch"
        /// McNemar's exact test of paired twin decisions.
        case mcNemar = "McNemar"
        /// The exact binomial test of a flip rate.
        case binomial
        /// DeLong's test of an AUC.
        case deLong = "DeLong"
        /// The Poisson-bootstrap z-test.
        case bootstrapZ = "bootstrap z"
        /// Not a test: a one-sided lower bound from Clopper–Pearson bounds (the empirical ε).
        case clopperPearson = "Clopper–Pearson"

        /// The name as reports write it (`Wald`).
        public var description: String { rawValue }
    }

    /// Why a value can be undefined, for the finding's reason.
    public enum Undefined: Sendable {
        /// The default sentence (a group's rate has an empty denominator), or this one.
        case fixed(String?)
        /// Name the groups with no users in the denominator of one of these rates.
        case emptyDenominators([BinaryRate], what: String)
    }

    /// The metric's identity.
    public var id: MetricID
    /// The name findings and policies use (`demographic_parity_difference`).
    public var name: String { id.rawValue }
    /// The view.
    public var view: View
    /// The convention.
    public var convention: Convention
    /// Which values are worse.
    public var direction: Direction
    /// Per-user columns it needs; the metric is reported only when the data provide them all.
    public var columns: Set<Column>
    /// How it is computed.
    public var statistic: Statistic
    /// The test its verdict rests on.
    public var test: Test
    /// The rate whose per-group values the finding lists (`nil`: none).
    public var groupRate: BinaryRate?
    /// Why it can be undefined.
    public var undefined: Undefined
    /// Whether it needs a privileged level (`--privileged`).
    public var needsPrivileged: Bool
    /// Whether it needs a non-member world (`--non-members`): the membership attack's metrics.
    public var needsNonMembers: Bool
    /// Whether the audit reports it unless asked otherwise; the others are added with
    /// ``AuditConfiguration/metrics``.
    public var isDefault: Bool
    /// Whether the report charts it per offer (the headline gap of the campaign view).
    public var isCharted: Bool
    /// The default line between a material gap and a small one (``Materiality``): the four-fifths band on the
    /// rate ratio for the campaign view's rate metrics, a documented absolute threshold for the others.
    public var materiality: Materiality

    /// Creates a descriptor.
    public init(id: MetricID, view: View, convention: Convention, direction: Direction, columns: Set<Column>,
                statistic: Statistic, test: Test, groupRate: BinaryRate? = nil, undefined: Undefined = .fixed(nil),
                needsPrivileged: Bool = false, needsNonMembers: Bool = false, isDefault: Bool = true,
                isCharted: Bool = false, materiality: Materiality = .fourFifths) {
        self.id = id
        self.view = view
        self.convention = convention
        self.direction = direction
        self.columns = columns
        self.statistic = statistic
        self.test = test
        self.groupRate = groupRate
        self.undefined = undefined
        self.needsPrivileged = needsPrivileged
        self.needsNonMembers = needsNonMembers
        self.isDefault = isDefault
        self.isCharted = isCharted
        self.materiality = materiality
    }

    /// The descriptor named `name`, if any (for names read from files and flags).
    public static func named(_ name: String) -> MetricDescriptor? { MetricID(rawValue: name)?.descriptor }
}
