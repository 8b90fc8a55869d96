import Statistics

/// The one shape of a finding before its verdict, and of an inference probe's: the audit's privacy view
/// (``FindingBuilder``) and `fairground probe` (AuditSubjects' `TraitInference`) build their `inference_auc`
/// findings here, so `report.json` and `probe.json` carry the same keys and the same sentences (their verdicts:
/// `Finding+Verdict.swift`).
extension Finding {
    /// A finding's identifier: `view/offer/attribute/world/metric`, the parts that apply, then `extra` (a trait, a
    /// source, a category).
    package static func identifier(_ metric: MetricDescriptor, offer: String?, attribute: String, world: String?,
                                   extra: [String]) -> String {
        ([metric.view.rawValue, offer, attribute, world, metric.name].compactMap { $0 } + extra).joined(separator: "/")
    }

    /// A finding of `metric` before its test's verdict: the value and its interval at `level` by `method`, no
    /// p-values yet, verdict inconclusive, `note` as its reason so far.
    package init(_ metric: MetricDescriptor, offer: String?, attribute: String, world: String?, extra: [String],
                 value: Double?, interval method: IntervalMethod, level: Double, undefined: String, note: String,
                 groups: [GroupValue]) {
        var estimate = Estimate(value: value)
        if let value, let b = method.bounds(level: level) {
            estimate = Estimate(value: value, lower: min(b.lower, value), upper: max(b.upper, value))
        }
        self.init(id: Self.identifier(metric, offer: offer, attribute: attribute, world: world, extra: extra),
                  view: metric.view, offer: offer, attribute: attribute, world: world, metric: metric.id,
                  convention: metric.convention, estimate: estimate,
                  undefinedReason: estimate.value == nil ? undefined : nil, pValue: nil, holmPValue: nil,
                  verdict: .inconclusive, reason: note, groups: groups,
                  interval: estimate.lower == nil ? nil : method.name)
    }

    /// The `inference_auc` finding of one probe — how well `trait` of `attribute` is predicted from `source`
    /// (`privacy/<attribute>/inference_auc/<trait>/<source>`) — before its verdict: the cross-fitted AUC with
    /// DeLong's logit-scale interval at `level`, the users with and without the trait (flagged below
    /// `minimumGroupSize`), and the test it rests on (DeLong's one-sided test against 0.5; insufficient when a class
    /// is empty, `outcome` `nil`).
    package static func inference(attribute: String, trait: String, source: String,
                                  outcome: InferenceProbe.Outcome?, level: Double, minimumGroupSize: Int)
        -> (finding: Finding, interval: IntervalMethod, test: Significance.Outcome)
    {
        let minimum = Double(minimumGroupSize)
        let method = outcome.map { IntervalMethod.auc(area: $0.auc, error: $0.standardError) } ?? .none
        var finding = Finding(
            MetricID.inferenceAUC.descriptor, offer: nil, attribute: attribute, world: nil, extra: [trait, source],
            value: outcome?.auc, interval: method, level: level,
            undefined: "undefined: every probed user has the same value of the trait", note: "",
            groups: outcome.map { o in [
                GroupValue(group: trait, members: o.positives, numerator: 0, denominator: 0,
                           estimate: Estimate(value: nil), small: Double(o.positives) < minimum),
                GroupValue(group: "other", members: o.negatives, numerator: 0, denominator: 0,
                           estimate: Estimate(value: nil), small: Double(o.negatives) < minimum),
            ] } ?? [])
        finding.source = source
        finding.trait = trait
        let test: Significance.Outcome = outcome.map { .tested(pValue: $0.pValue) }
            ?? .insufficient(reason: "one class of the trait is empty among the probed users")
        return (finding, method, test)
    }
}
