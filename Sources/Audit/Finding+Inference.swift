import Statistics

/// The one shape of an inference probe's finding, and the verdicts of a family of findings: the audit's privacy view
/// (``FindingBuilder``) and `fairground probe` (AuditSubjects' `TraitInference`) build their `inference_auc`
/// findings here, so `report.json` and `probe.json` carry the same keys and the same sentences.
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

    /// Gives the finding its test's figures, its reason and its verdict: the p-value of the tests it rests on
    /// (`pValues`, Bonferroni-combined when several), `holmPValue` the smallest Holm-adjusted one among them over a
    /// family of `family` tests (or, with no test applied, the first of `insufficient` as the reason), its
    /// simultaneous interval (`method` at 1 − (1 − `level`) / `family`), then its verdict under `materiality`
    /// (``judge(by:alpha:measured:)``). The reason so far (a note) ends the sentence.
    package mutating func conclude(pValues ps: [Double], holmPValue: Double?, insufficient: [String],
                                   interval method: IntervalMethod, level: Double, family: Int, alpha: Double,
                                   materiality: Materiality, measured: Estimate? = nil) {
        let simultaneousLevel = 1 - (1 - level) / Double(max(1, family))
        if let value = estimate.value, estimate.lower != nil, let b = method.bounds(level: simultaneousLevel) {
            simultaneous = Estimate(value: value, lower: min(b.lower, value), upper: max(b.upper, value))
        }
        let note = reason
        if estimate.value == nil {
            reason = (undefinedReason ?? "undefined") + note
        } else if let q = holmPValue, !ps.isEmpty {
            // A verdict resting on several tests (equalized odds: TPR and FPR) takes their Bonferroni
            // combination, the p-value its interval inverts.
            let p = min(1, Double(ps.count) * ps.min()!)
            pValue = p
            self.holmPValue = q
            let test = metric.descriptor.test
            self.test = test.name
            func shown(_ x: Double) -> String { x < 1e-16 ? "< 1e-16" : "= " + Significance.formatted(x) }
            let by = " (\(test.description))"
            // Say why the per-finding interval and the verdict can disagree: multiplicity.
            var multiplicity = ""
            if q >= alpha && p < alpha {
                multiplicity = "; p \(shown(p)) alone is below α, so the per-finding interval excludes no "
                    + "difference, but not after Holm's correction over \(family) tests (the simultaneous "
                    + "interval includes it)"
            } else if q < alpha, let s = simultaneous, let null = FindingBuilder.null(of: metric),
                      let lo = s.lower, let hi = s.upper, lo <= null && null <= hi {
                multiplicity = "; Holm's step-down rejects where the single-step simultaneous interval still "
                    + "reaches \(Significance.formatted(null))"
            }
            let claim = test.claim
            reason = (q < alpha
                ? "\(claim.rejected)\(by): p \(shown(p)), Holm-adjusted p \(shown(q)), below α = \(alpha)"
                : "\(claim.notRejected)\(by): Holm-adjusted p \(shown(q)) ≥ α = \(alpha)")
                + multiplicity + note
        } else {
            reason = (insufficient.first ?? "no test applies") + note
        }
        judge(by: materiality, alpha: alpha, measured: measured)
    }

    /// Holm-adjusts a family of findings with one test each (`tests[i]` of `findings[i]`) and gives each its
    /// figures, reason and verdict (``conclude(pValues:holmPValue:insufficient:interval:level:family:alpha:materiality:measured:)``)
    /// — what `fairground probe` does with its probes, the family being the run's.
    package static func conclude(_ findings: inout [Finding], intervals: [IntervalMethod],
                                 tests: [Significance.Outcome], level: Double, alpha: Double,
                                 materiality: (MetricID) -> Materiality) {
        precondition(findings.count == tests.count && findings.count == intervals.count,
                     "One test and one interval per finding")
        let tested = tests.indices.filter { if case .tested = tests[$0] { true } else { false } }
        let adjusted = Significance.holm(tested.map { i in if case .tested(let p) = tests[i] { p } else { 1 } })
        var adjustedOf = [Int: Double]()
        for (j, i) in tested.enumerated() { adjustedOf[i] = adjusted[j] }
        for i in findings.indices {
            var p: [Double] = [], insufficient: [String] = []
            switch tests[i] {
            case .tested(let value): p = [value]
            case .insufficient(let reason): insufficient = [reason]
            }
            findings[i].conclude(pValues: p, holmPValue: adjustedOf[i], insufficient: insufficient,
                                 interval: intervals[i], level: level, family: tested.count, alpha: alpha,
                                 materiality: materiality(findings[i].metric))
        }
    }
}
