/// What an audit found, in a versioned, serialisable form (`report.json`): every finding with its value,
/// confidence interval, p-value and verdict, the gap attribution, and the counterfactual summaries.
public struct AuditReport: Sendable, Codable, Equatable {
    /// Identifies the file type.
    public var format = "fairground-audit"
    /// Schema version; bumped on any incompatible change.
    public var formatVersion = 3
    /// The configuration the audit ran with.
    public var configuration: AuditConfiguration
    /// What was audited (a model file, a score file), for the reader.
    public var subject: String
    /// Number of users.
    public var users: Int
    /// Offer names.
    public var offers: [String]
    /// The protected attributes and their levels.
    public var attributes: [Attribute]
    /// Number of hypothesis tests in the Holm family.
    public var tests: Int
    /// All findings, in a stable order.
    public var findings: [Finding]
    /// How much of each selection-rate gap is in the truth, the data and the model.
    public var attribution: [Attribution]
    /// Counterfactual worlds and what changed in them.
    public var counterfactuals: [CounterfactualSummary]
    /// The policy's verdicts, when the audit was checked against one.
    public var policy: [RuleOutcome]?
    /// Whether inconclusive policy rules fail the gate (`--inconclusive fail`); `nil`: they only warn.
    public var inconclusiveFails: Bool?
    /// What was audited: the model, its hyper-parameters and its holdout check, when known.
    public var model: ModelCard?
    /// The world the audit was computed on, when known.
    public var world: WorldIdentity?
    /// Warnings the reader must see before the findings (e.g. a baseline compared despite differences).
    public var warnings: [String]?
    /// The privacy view's tables, when the audit has one (its tested figures are findings of view `privacy`).
    public var privacy: PrivacySummary?

    /// A protected attribute.
    public struct Attribute: Sendable, Codable, Equatable {
        /// Name.
        public var name: String
        /// Levels.
        public var levels: [String]
        /// The privileged level, when named.
        public var privileged: String?

        /// Creates an attribute entry.
        public init(name: String, levels: [String], privileged: String?) {
            self.name = name
            self.levels = levels
            self.privileged = privileged
        }
    }

    /// Creates a report.
    public init(configuration: AuditConfiguration, subject: String, users: Int, offers: [String],
                attributes: [Attribute], tests: Int, findings: [Finding], attribution: [Attribution],
                counterfactuals: [CounterfactualSummary], policy: [RuleOutcome]? = nil, model: ModelCard? = nil,
                world: WorldIdentity? = nil) {
        self.configuration = configuration
        self.subject = subject
        self.users = users
        self.offers = offers
        self.attributes = attributes
        self.tests = tests
        self.findings = findings
        self.attribution = attribution
        self.counterfactuals = counterfactuals
        self.policy = policy
        self.model = model
        self.world = world
    }

    /// Findings whose verdict is ``Verdict/material``.
    public var materialFindings: [Finding] { findings.filter { $0.verdict == .material } }

    /// How many findings have each verdict, in words: `3 material, 12 small, 60 none, 12 inconclusive`.
    public var verdictCounts: String {
        Verdict.allCases.map { v in "\(findings.filter { $0.verdict == v }.count) \(v.rawValue)" }
            .joined(separator: ", ")
    }
}

/// The outcome of a finding: whether a gap is there, and whether it matters (``Materiality``).
public enum Verdict: String, Sendable, Codable, Equatable, CaseIterable {
    /// The test rejects "no gap" (Holm-adjusted p below α) and the estimate is beyond the materiality threshold.
    case material
    /// The test rejects "no gap", but the estimate is within the materiality threshold: real, but small.
    case small
    /// No rejection, and the whole interval lies within the threshold: evidence of no material gap.
    case noMaterialGap = "none"
    /// No rejection, but the interval reaches past the threshold (a material gap is not ruled out), or the data
    /// cannot support a test (the reason says why).
    case inconclusive

    /// The verdict in a few words (`material gap`, `small gap`, `no material gap`, `inconclusive`).
    public var words: String {
        switch self {
        case .material: "material gap"
        case .small: "small gap"
        case .noMaterialGap: "no material gap"
        case .inconclusive: "inconclusive"
        }
    }
}

/// A value with its confidence interval; `value == nil` means undefined (see the reason).
public struct Estimate: Sendable, Codable, Equatable {
    /// The point estimate.
    public var value: Double?
    /// Lower end of the confidence interval.
    public var lower: Double?
    /// Upper end of the confidence interval.
    public var upper: Double?

    /// Creates an estimate.
    public init(value: Double?, lower: Double? = nil, upper: Double? = nil) {
        self.value = value
        self.lower = lower
        self.upper = upper
    }
}

/// One group's value of a metric, with the counts behind it.
public struct GroupValue: Sendable, Codable, Equatable {
    /// The level (or intersectional cell) name.
    public var group: String
    /// Members of the group.
    public var members: Int
    /// Numerator of a rate (or the sum of a mean).
    public var numerator: Double
    /// Denominator of a rate (or the count of a mean); 0 makes the value undefined.
    public var denominator: Double
    /// The value and its interval.
    public var estimate: Estimate
    /// The group is below the minimum size: shown, flagged, left out of tests.
    public var small: Bool

    /// Creates a group value.
    public init(group: String, members: Int, numerator: Double, denominator: Double, estimate: Estimate, small: Bool) {
        self.group = group
        self.members = members
        self.numerator = numerator
        self.denominator = denominator
        self.estimate = estimate
        self.small = small
    }
}

/// One claim of the audit.
public struct Finding: Sendable, Codable, Equatable {
    /// Stable identifier: view/offer/attribute/metric (and world), used to match baselines.
    public var id: String
    /// The view the finding belongs to.
    public var view: MetricDescriptor.View
    /// The offer, when the metric is per offer.
    public var offer: String?
    /// The protected attribute or intersection.
    public var attribute: String
    /// The counterfactual world, for counterfactual findings.
    public var world: String?
    /// The metric, named as Fairlearn or AIF360 name it where they define it.
    public var metric: MetricID
    /// Fairlearn's (symmetric), AIF360's (directional, unprivileged − privileged) or Fairground's.
    public var convention: MetricDescriptor.Convention
    /// The value and its confidence interval.
    public var estimate: Estimate
    /// Why the value is undefined, when it is.
    public var undefinedReason: String?
    /// The test's p-value.
    public var pValue: Double?
    /// The Holm-adjusted p-value (over the audit's whole family of tests).
    public var holmPValue: Double?
    /// The verdict: material, small, none or inconclusive.
    public var verdict: Verdict
    /// The materiality threshold the verdict was judged by, and the estimate on its scale.
    public var materiality: MaterialityCheck?
    /// A sentence explaining the verdict.
    public var reason: String
    /// The test the verdict rests on (`nil` when no test applied).
    public var test: MetricDescriptor.TestName?
    /// How the interval was built (`Wald projection`, `Wilson`, `Fieller`, `normal`).
    public var interval: String?
    /// The simultaneous interval over the audit's whole family of tests (Bonferroni: each at level
    /// 1 − (1 − confidence) / tests). A policy's "with evidence" rests on it, so the chance that any rule of an
    /// audit is violated with evidence when none is truly violated stays at most 1 − confidence.
    public var simultaneous: Estimate?
    /// Per-group values behind the metric.
    public var groups: [GroupValue]
    /// For a campaign or recommendation gap: the group with the highest per-group value (the one targeted, shown
    /// or served best), among groups large enough to test; `nil` when all are equal or undefined.
    public var favoured: String?
    /// The group with the lowest per-group value (targeted, shown or served least).
    public var leastFavoured: String?
    /// For `inference_auc`: what the trait was predicted from (`user_factors` or `interactions`).
    public var source: String?
    /// For `inference_auc` and `sensitive_exposure_rate_difference`: the trait probed (a level against the rest,
    /// `true`, or `above median`).
    public var trait: String?
    /// For `sensitive_exposure_rate_difference`: the sensitive item category.
    public var category: String?
    /// For `opt_out_bias`: the campaign metric whose consenting-only value is compared with everyone's.
    public var basis: MetricID?

    /// Creates a finding.
    public init(id: String, view: MetricDescriptor.View, offer: String?, attribute: String, world: String?,
                metric: MetricID, convention: MetricDescriptor.Convention, estimate: Estimate, undefinedReason: String?,
                pValue: Double?, holmPValue: Double?, verdict: Verdict, reason: String, groups: [GroupValue],
                test: MetricDescriptor.TestName? = nil,
                interval: String? = nil, simultaneous: Estimate? = nil) {
        self.interval = interval
        self.simultaneous = simultaneous
        self.id = id
        self.view = view
        self.offer = offer
        self.attribute = attribute
        self.world = world
        self.metric = metric
        self.convention = convention
        self.estimate = estimate
        self.undefinedReason = undefinedReason
        self.pValue = pValue
        self.holmPValue = holmPValue
        self.verdict = verdict
        self.test = test
        self.reason = reason
        self.groups = groups
    }
}

/// The selection-rate gap of one offer and attribute under three selections of the top q%: by true interest,
/// by observed interactions, and by the model's scores — and how each stage moves it.
///
/// With two groups every gap is *signed*, oriented by ``orientation`` `[a, b]`: rate(a) − rate(b), positive when
/// `a` is favoured, `a` being the group the model's targeting favours. A stage whose gap has the other sign from the
/// one before it reverses the gap, and its increment says by how much. With more groups the gaps are spreads
/// (highest rate − lowest, Fairlearn's between-groups difference) and ``leaning`` names the most and least
/// favoured group of each stage.
public struct Attribution: Sendable, Codable, Equatable {
    /// The offer.
    public var offer: String
    /// The attribute.
    public var attribute: String
    /// Selection rate per group under each selection.
    public var groups: [Row]
    /// With two groups, `[a, b]`: the gaps and increments are rate(a) − rate(b). `nil` with more groups.
    public var orientation: [String]?
    /// Gap under true interest: already in the world.
    public var truthGap: Estimate
    /// Gap under observed interactions.
    public var observedGap: Estimate
    /// Gap under the model.
    public var modelGap: Estimate
    /// observed − truth: added by what the data recorded (exposure bias); signed with two groups.
    public var addedByData: Estimate
    /// model − observed: added by the model; signed with two groups.
    public var addedByModel: Estimate
    /// Which groups each selection favours most and least, in the order truth, observed, model.
    public var leaning: [Leaning]

    /// One of the three selections.
    public enum Stage: String, Sendable, Codable, Equatable, CaseIterable {
        /// Selecting by true interest.
        case truth
        /// Selecting by observed interactions.
        case observed
        /// The model's targeting.
        case model
    }

    /// The groups one selection favours most and least (`nil` when all groups' rates are equal or undefined).
    public struct Leaning: Sendable, Codable, Equatable {
        /// The selection.
        public var stage: Stage
        /// The group with the highest rate.
        public var favoured: String?
        /// The group with the lowest rate.
        public var leastFavoured: String?

        /// Creates a leaning.
        public init(stage: Stage, favoured: String?, leastFavoured: String?) {
            self.stage = stage
            self.favoured = favoured
            self.leastFavoured = leastFavoured
        }
    }

    /// The gap of one stage.
    public func gap(_ stage: Stage) -> Estimate {
        switch stage {
        case .truth: truthGap
        case .observed: observedGap
        case .model: modelGap
        }
    }

    /// The leaning of one stage.
    public func leaning(_ stage: Stage) -> Leaning? { leaning.first { $0.stage == stage } }

    /// One group's selection rates.
    public struct Row: Sendable, Codable, Equatable {
        /// The group.
        public var group: String
        /// Members.
        public var members: Int
        /// Selected by true interest.
        public var truth: Estimate
        /// Selected by observed interactions.
        public var observed: Estimate
        /// Selected by the model.
        public var model: Estimate
    }
}

/// What changed between users and their twins in one counterfactual world.
public struct CounterfactualSummary: Sendable, Codable, Equatable {
    /// "do(gender=male)" and the like.
    public var world: String
    /// How the twins were made.
    public var kind: CounterfactualWorld.Kind
    /// The intervened attribute.
    public var attribute: String
    /// The level set.
    public var level: String
    /// Mediators held at factual values.
    public var kept: [String]
    /// Users whose attribute level changed (the others are their own twins).
    public var affected: Int
    /// Mean Jaccard overlap of factual and twin top-K lists among affected users.
    public var topKJaccard: Estimate?
    /// Per offer.
    public var offers: [Offer]

    /// One offer in one world.
    public struct Offer: Sendable, Codable, Equatable {
        /// The offer.
        public var offer: String
        /// Share of affected users not targeted whose twin is targeted.
        public var flipUp: Estimate
        /// Share of affected users targeted whose twin is not.
        public var flipDown: Estimate
        /// Share of affected users whose targeting flips either way.
        public var flipRate: Estimate
        /// Users flipping up and down.
        public var flipsUp: Int
        /// Users flipping down.
        public var flipsDown: Int
        /// Change in the share of affected users with the offer in their top-K (twin − factual).
        public var exposureChange: Estimate?
        /// Mean twin − factual score.
        public var scoreDelta: Estimate
        /// 5th, 25th, 50th, 75th and 95th percentiles of the score change.
        public var scoreDeltaQuantiles: [Double]
        /// Flip rate by the affected users' factual level.
        public var byGroup: [GroupValue]
    }
}
