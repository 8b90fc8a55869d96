import Statistics

/// The verdicts of findings: significance (the Holm-adjusted tests), then materiality — for the audit's whole
/// family (``FindingBuilder``) and for `fairground probe`'s family of probes alike.
extension Finding {
    /// Gives the finding its test's figures, its reason and its verdict: the p-value of the tests it rests on
    /// (`pValues`, Bonferroni-combined when several), `holmPValue` the smallest Holm-adjusted one among them over a
    /// family of `family` tests (or, with no test applied, the first of `insufficient` as the reason), its
    /// simultaneous interval (`method` at 1 − (1 − `level`) / `family`), then its verdict under `materiality`
    /// (``judge(by:alpha:measured:)``) on `measure` — the value and interval recipe on the threshold's scale when
    /// it is not the finding's own (a rate difference's rate ratio). The reason so far (a note) ends the sentence.
    package mutating func conclude(pValues ps: [Double], holmPValue: Double?, insufficient: [String],
                                   interval method: IntervalMethod, level: Double, family: Int, alpha: Double,
                                   materiality: Materiality, measure: (value: Double?, method: IntervalMethod)? = nil) {
        let simultaneousLevel = 1 - (1 - level) / Double(max(1, family))
        if let value = estimate.value, estimate.lower != nil, let b = method.bounds(level: simultaneousLevel) {
            simultaneous = Estimate(value: value, lower: min(b.lower, value), upper: max(b.upper, value))
        }
        let measured = MeasuredValue(value: measure.map(\.value) ?? estimate.value, method: measure?.method ?? method,
                                     level: level, simultaneousLevel: simultaneousLevel,
                                     equivalenceLevel: Materiality.equivalenceLevel(confidence: level, alpha: alpha))
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
        } else if insufficient.isEmpty, estimate.value != nil, metric.descriptor.test == .lowerBound {
            // A bound is its own evidence: no p-value, no place in the Holm family.
            let test = metric.descriptor.test
            self.test = test.name
            reason = "\(test.description) at \(Significance.formatted(level)) confidence (not in the Holm family)" + note
        } else {
            reason = (insufficient.first ?? "no test applies") + note
        }
        judge(by: materiality, alpha: alpha, measured: measured)
    }

    /// Holm-adjusts a family of findings with one test each (`tests[i]` of `findings[i]`) and gives each its
    /// figures, reason and verdict (``conclude(pValues:holmPValue:insufficient:interval:level:family:alpha:materiality:measure:)``)
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
