import FileSupport
/// The choices an audit makes: list length, campaign size, who counts as truly interested, statistics.
public struct AuditConfiguration: Sendable, Equatable, Codable {
    /// Who counts as truly interested in an offer.
    public enum InterestRule: Sendable, Equatable, Codable {
        /// The users whose true interest is in the top share (e.g. 0.1: the top 10%).
        case topShare(Double)
        /// The users whose true interest is at least this value.
        case threshold(Double)

        enum CodingKeys: String, CodingKey { case rule, value }

        /// Decodes `{"rule": "top_share" | "threshold", "value": x}`.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let value = try c.decode(Double.self, forKey: .value)
            switch try c.decode(String.self, forKey: .rule) {
            case "top_share": self = .topShare(value)
            case "threshold": self = .threshold(value)
            case let other:
                throw DecodingError.dataCorruptedError(forKey: .rule, in: c,
                                                       debugDescription: "unknown interest rule \(other)")
            }
        }

        /// Encodes `{"rule": "top_share" | "threshold", "value": x}`.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .topShare(let q):
                try c.encode("top_share", forKey: .rule)
                try c.encode(q, forKey: .value)
            case .threshold(let t):
                try c.encode("threshold", forKey: .rule)
                try c.encode(t, forKey: .value)
            }
        }
    }

    /// Length of the recommendation lists examined (top-K).
    public var k = 10
    /// The share of users a campaign targets for each offer (top q% by score).
    public var targetShare = 0.1
    /// The ground-truth rule for "truly interested"; `nil`: the top `targetShare` by true interest.
    public var interest: InterestRule?
    /// Groups (and intersectional cells) smaller than this are flagged and left out of tests.
    public var minimumGroupSize = 30
    /// Bootstrap replicates for confidence intervals.
    public var bootstrapReplicates = 200
    /// Two-sided confidence level of the intervals.
    public var confidenceLevel = 0.95
    /// Family-wise error rate of the audit's tests (Holm-corrected).
    public var alpha = 0.05
    /// The share of exact twins whose campaign decision may differ before the flip-rate test calls it a
    /// disparity; 0 (the default): any flip is evidence, since exact twins of a counterfactually fair model are
    /// never treated differently.
    public var flipTolerance = 0.0
    /// Seed for the bootstrap and for breaking ties in rankings.
    public var seed: UInt64 = 0
    /// Metrics to report besides the defaults (e.g. ``MetricID/equalizedOddsRatio``,
    /// ``MetricID/demographicParityDifferenceToOverall``; see ``MetricDescriptor/all``); `nil`: the defaults only.
    public var metrics: [MetricID]?
    /// The campaign's decision rule per offer, one entry at most per offer; an offer without one targets the top
    /// ``targetShare`` by score. `nil`: every offer the top share (and the report's configuration is unchanged).
    public var decisionRules: [OfferRule]?
    /// Materiality thresholds that replace the registry's defaults (``MetricDescriptor/materiality``) for this run,
    /// one entry at most per metric; `nil`: the defaults.
    public var materiality: [MaterialityOverride]?

    /// A run's own materiality threshold for one metric, on the metric's scale (``Materiality/Scale``).
    public struct MaterialityOverride: Sendable, Equatable, Codable {
        /// The metric.
        public var metric: MetricID
        /// Its threshold.
        public var threshold: Double

        /// Creates an override.
        public init(metric: MetricID, threshold: Double) {
            self.metric = metric
            self.threshold = threshold
        }
    }

    /// The materiality threshold findings of `metric` are judged by in this run: the run's own, or the
    /// registry's default — for the flip rate at least the tolerated share of flips (``flipTolerance``).
    public func materiality(for metric: MetricID) -> Materiality {
        var m = metric.descriptor.materiality
        if let t = materiality?.first(where: { $0.metric == metric })?.threshold {
            m.threshold = t
        } else if metric == .counterfactualFlipRate {
            m.threshold = max(m.threshold, flipTolerance)
        }
        return m
    }

    /// The defaults.
    public init() {}

    /// The campaign's rules in words, offer by offer (`premium_credit: score ≥ 0.42; payday_loan: top 10.0% by
    /// score`), or `nil` when every offer targets the top share (the reports then say so in one phrase).
    public func campaignRules(offers: [String]) -> String? {
        guard decisionRules != nil else { return nil }
        return offers.map { "\($0): \(decisionRule(forOffer: $0))" }.joined(separator: "; ")
    }

    /// The rule that decides who `offer` targets.
    public func decisionRule(forOffer offer: String) -> DecisionRule {
        decisionRules?.first { $0.offer == offer }?.rule ?? .topShare(targetShare)
    }

    /// Checks the decision rules against an audit's offers and protected attributes: every rule names an offer of
    /// the audit, and a per-group rule a protected attribute and a threshold for each of its levels (none other).
    ///
    /// - Throws: ``FairgroundError`` for the parameter `decisionRules`, naming the offer, attribute or level.
    public func checkDecisionRules(offers: [String], attributes: [Grouping]) throws(FairgroundError) {
        for entry in decisionRules ?? [] {
            let (offer, rule) = (entry.offer, entry.rule)
            guard offers.contains(offer) else {
                throw FairgroundError.parameter("decisionRules", expected: "an offer of this audit ("
                                           + offers.joined(separator: ", ") + ")", found: offer)
            }
            guard case .groupThresholds(let attribute, let thresholds) = rule else { continue }
            guard let grouping = attributes.first(where: { $0.name == attribute }) else {
                throw FairgroundError.parameter("decisionRules", expected: "for \(offer): a protected attribute ("
                                           + attributes.map(\.name).joined(separator: ", ") + ")", found: attribute)
            }
            let missing = grouping.levels.filter { thresholds[$0] == nil }
            let unknown = thresholds.keys.filter { !grouping.levels.contains($0) }.sorted()
            guard missing.isEmpty && unknown.isEmpty else {
                throw FairgroundError.parameter(
                    "decisionRules", expected: "for \(offer): a threshold for each level of \(attribute) ("
                        + grouping.levels.joined(separator: ", ") + ")",
                    found: missing.isEmpty ? "unknown level " + unknown.joined(separator: ", ")
                        : "no threshold for " + missing.joined(separator: ", "))
            }
        }
    }

    /// Checks ranges; the error names the offending parameter.
    public func validate() throws(FairgroundError) {
        func fail(_ field: String, _ expected: String, _ found: String) -> FairgroundError {
            FairgroundError.parameter(field, expected: expected, found: found)
        }
        if k < 1 || k > 10_000 { throw fail("k", "a list length from 1 to 10000", "\(k)") }
        if !(targetShare > 0 && targetShare < 1) { throw fail("targetShare", "a share in (0, 1)", "\(targetShare)") }
        if case .topShare(let q) = interest, !(q > 0 && q < 1) {
            throw fail("interest", "a share in (0, 1)", "\(q)")
        }
        if minimumGroupSize < 2 { throw fail("minimumGroupSize", "at least 2", "\(minimumGroupSize)") }
        if bootstrapReplicates < 20 || bootstrapReplicates > 100_000 {
            throw fail("bootstrapReplicates", "from 20 to 100000 replicates", "\(bootstrapReplicates)")
        }
        if case .threshold(let t) = interest, !t.isFinite {
            throw fail("interestThreshold", "a finite threshold", "\(t)")
        }
        if !(confidenceLevel > 0.5 && confidenceLevel < 1) {
            throw fail("confidenceLevel", "a level in (0.5, 1)", "\(confidenceLevel)")
        }
        if !(flipTolerance >= 0 && flipTolerance < 1) {
            throw fail("flipTolerance", "a share in [0, 1)", "\(flipTolerance)")
        }
        if !(alpha > 0 && alpha < 0.5) { throw fail("alpha", "a level in (0, 0.5)", "\(alpha)") }
        var thresholds: Set<MetricID> = []
        for entry in materiality ?? [] {
            guard thresholds.insert(entry.metric).inserted else {
                throw fail("materiality", "one threshold per metric", "two for \(entry.metric)")
            }
            try self.materiality(for: entry.metric).validate(field: "materiality", metric: entry.metric)
        }
        var seen: Set<String> = []
        for entry in decisionRules ?? [] {
            guard seen.insert(entry.offer).inserted else {
                throw fail("decisionRules", "one decision rule per offer", "two for \(entry.offer)")
            }
            try entry.rule.validate(offer: entry.offer)
        }
    }
}
