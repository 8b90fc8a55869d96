/// One rule of a ``Policy``: a bound on a metric (or no regression from a baseline) over some offers,
/// attributes and counterfactual kinds. Part of the report model: each ``RuleOutcome`` names its rule.
public struct PolicyRule: Sendable, Equatable, Codable {
    /// Shown in reports and as the JUnit test case name.
    public var name: String
    /// A finding metric (`demographic_parity_ratio`, `counterfactual_flip_rate`, …).
    public var metric: MetricID
    /// The value must be at least this.
    public var atLeast: Double?
    /// The value must be at most this.
    public var atMost: Double?
    /// Compare with the baseline instead of a bound: no finding may be worse beyond its interval.
    public var noRegression: Bool?
    /// Offers the rule covers (all when absent).
    public var offers: [String]?
    /// Attributes (or intersections, "a × b") the rule covers (all when absent).
    public var attributes: [String]?
    /// Counterfactual kinds the rule covers (all when absent).
    public var worlds: [CounterfactualWorld.Kind]?
    /// What a violation must be shown by (`nil`: ``Evidence/interval``).
    public var evidence: Evidence?
    /// The materiality threshold the rule judges its findings by, on the metric's scale (``Materiality``); the
    /// matching findings' verdicts in the report use it. A rule with it and no bound is violated when a matching
    /// finding is material with evidence (see `Policy`), and inconclusive when one is material short of that, or
    /// inconclusive.
    public var material: Double?

    /// Creates a rule.
    public init(name: String, metric: MetricID, atLeast: Double? = nil, atMost: Double? = nil,
                noRegression: Bool? = nil, offers: [String]? = nil, attributes: [String]? = nil,
                worlds: [CounterfactualWorld.Kind]? = nil, evidence: Evidence? = nil, material: Double? = nil) {
        self.name = name
        self.metric = metric
        self.atLeast = atLeast
        self.atMost = atMost
        self.noRegression = noRegression
        self.offers = offers
        self.attributes = attributes
        self.worlds = worlds
        self.evidence = evidence
        self.material = material
    }

    /// The rule's materiality threshold, or `nil` when it has none.
    public var materiality: Materiality? {
        material.map { Materiality(scale: metric.descriptor.materiality.scale, threshold: $0) }
    }

    /// Whether the rule covers finding `f` of `report` (its metric, offers, attributes and worlds).
    public func matches(_ f: Finding, in report: AuditReport) -> Bool {
        f.metric == metric && (offers.map { o in f.offer.map(o.contains) ?? true } ?? true)
            && (attributes?.contains(f.attribute) ?? true)
            && (worlds.map { kinds in
                f.world == nil || report.counterfactuals.contains { $0.world == f.world && kinds.contains($0.kind) }
            } ?? true)
    }

    enum CodingKeys: String, CodingKey {
        case name, metric, offers, attributes, worlds, evidence, material
        case atLeast = "at_least", atMost = "at_most", noRegression = "no_regression"
    }
}

extension PolicyRule {
    /// What shows a rule violated.
    public enum Evidence: String, Sendable, Equatable, Codable, CaseIterable {
        /// The whole simultaneous interval lies beyond the bound (the default).
        case interval
        /// The finding's own interval lies beyond the bound.
        case perFinding = "per_finding"
        /// The point estimate lies beyond the bound.
        case point
    }
}

/// The outcome of one policy rule.
public struct RuleOutcome: Sendable, Equatable, Codable {
    /// Passed, violated with evidence, or inconclusive.
    public enum Status: String, Sendable, Codable {
        /// Every matching finding holds.
        case passed
        /// At least one finding breaks the rule with evidence.
        case violated
        /// No violation with evidence, but a point estimate is beyond the bound or nothing matched.
        case inconclusive
    }

    /// One finding checked against the rule.
    public struct Check: Sendable, Equatable, Codable {
        /// The finding's id.
        public var finding: String
        /// Its status.
        public var status: Status
        /// Why.
        public var message: String

        /// A check.
        public init(finding: String, status: Status, message: String) {
            self.finding = finding
            self.status = status
            self.message = message
        }
    }

    /// The rule.
    public var rule: PolicyRule
    /// The worst status of its checks.
    public var status: Status
    /// Each matching finding's check.
    public var checks: [Check]

    /// An outcome.
    public init(rule: PolicyRule, status: Status, checks: [Check]) {
        self.rule = rule
        self.status = status
        self.checks = checks
    }
}
