import FileSupport
import Statistics

/// How large a gap must be to matter, for one metric — the line between a *material* finding and a *small* one,
/// and the band an interval must lie within for the audit to say there is *no* material gap.
///
/// Significance alone cannot separate 0.36% of twins flipping from 36%: with enough users both are "not zero".
/// Every metric of the registry has a documented default (``MetricDescriptor/materiality``), which a run can
/// override (`--material METRIC=VALUE`, ``AuditConfiguration/materiality``) and a policy rule too (`material:`).
///
/// | scale | metrics | default | not material |
/// |---|---|---|---|
/// | ``Scale/rateRatio`` | the rate metrics of the campaign view | 0.8 | the groups' rate ratio in [0.8, 1.25] (the four-fifths band, Aequitas' default) |
/// | ``Scale/difference`` | other gaps and changes | per metric | the value within [−t, t] |
/// | ``Scale/auc`` | `inference_auc`, `membership_auc` | 0.6 | the AUC at most 0.6 |
/// | ``Scale/epsilon`` | `empirical_epsilon` | 1 | never shown: a lower bound can show leakage, not its absence |
public struct Materiality: Sendable, Equatable, Codable {
    /// What the threshold is measured on.
    public enum Scale: String, Sendable, Equatable, Codable, CaseIterable {
        /// The ratio of the groups' rates — lowest over highest for Fairlearn's metrics, unprivileged over privileged
        /// for AIF360's — whatever form (difference or ratio) the metric itself reports: material outside
        /// [t, 1/t]. A rate difference is judged on its ratio (the difference is shown beside it), as the
        /// four-fifths rule and Aequitas judge disparity.
        case rateRatio = "rate_ratio"
        /// The metric's own value: material beyond ±t.
        case difference
        /// An area under the ROC curve: material above t (0.5 is chance).
        case auc
        /// An empirical lower bound on a release's ε (one-sided, at the audit's confidence level): material when
        /// the bound itself exceeds t, small when it proves some leakage (above 0) but not that much, and otherwise
        /// inconclusive — a lower bound never shows that a model is private, so the verdict is never "none".
        case epsilon
    }

    /// What the threshold is measured on.
    public var scale: Scale
    /// The threshold: the lowest ratio that is not material (``Scale/rateRatio``), the largest difference that is
    /// not (``Scale/difference``), the largest AUC that is not (``Scale/auc``), or the largest ε a lower bound
    /// may prove without being material (``Scale/epsilon``).
    public var threshold: Double

    /// Creates a materiality threshold.
    public init(scale: Scale, threshold: Double) {
        self.scale = scale
        self.threshold = threshold
    }

    /// The four-fifths band on a rate ratio.
    public static let fourFifths = Materiality(scale: .rateRatio, threshold: 0.8)

    /// A difference threshold.
    public static func difference(_ t: Double) -> Materiality { Materiality(scale: .difference, threshold: t) }

    /// The values that are not material.
    public var band: ClosedRange<Double> {
        switch scale {
        case .rateRatio: threshold...(1 / threshold)
        case .difference: -threshold...threshold
        case .auc, .epsilon: 0...threshold
        }
    }

    /// Checks the threshold is one the scale can use.
    ///
    /// - Throws: ``FairgroundError`` for `field`, saying what the scale expects (for `metric`, when named).
    public func validate(field: String, metric: MetricID? = nil) throws(FairgroundError) {
        let ok: Bool
        let expected: String
        switch scale {
        case .rateRatio: ok = threshold > 0 && threshold < 1; expected = "a rate ratio in (0, 1), e.g. 0.8"
        case .difference: ok = threshold >= 0 && threshold.isFinite; expected = "a difference ≥ 0, e.g. 0.05"
        case .auc: ok = threshold >= 0.5 && threshold < 1; expected = "an AUC in [0.5, 1), e.g. 0.6"
        case .epsilon: ok = threshold >= 0 && threshold.isFinite; expected = "an ε ≥ 0, e.g. 1"
        }
        guard ok else {
            throw FairgroundError.parameter(field, expected: (metric.map { "for \($0): " } ?? "") + expected,
                                            found: "\(threshold)")
        }
    }

    /// The verdict of a finding whose test did (`true`) or did not (`false`) reject "no gap" after Holm's correction
    /// (`nil`: no test applied, or the value is undefined), given its estimate on this threshold's scale and the
    /// interval its equivalence rests on (`nil`: the estimate's own).
    ///
    /// - **material**: the test rejects and the estimate lies outside the band (a rejection with an undefined
    ///   ratio — one side never selected — is material);
    /// - **small**: the test rejects and the estimate lies within the band;
    /// - **none**: no rejection, and the whole `equivalence` interval lies within the band — an equivalence test:
    ///   with the interval at level max(confidence, 1 − 2α) (two one-sided tests), a true value outside the band
    ///   is called "none" with probability at most α;
    /// - **inconclusive**: no rejection and the interval reaches past the band (a material gap is not ruled out),
    ///   or there is no test.
    ///
    /// On ``Scale/epsilon`` the estimate is a lower bound and there is no test: material when the bound exceeds
    /// the threshold, small when it exceeds 0 only, inconclusive otherwise (`rejected` is not used).
    public func verdict(rejected: Bool?, estimate: Estimate, equivalence: Estimate? = nil) -> Verdict {
        if scale == .epsilon {
            guard let bound = estimate.value else { return .inconclusive }
            return bound > threshold ? .material : bound > 0 ? .small : .inconclusive
        }
        guard let rejected else { return .inconclusive }
        if rejected {
            guard let value = estimate.value else { return .material }
            return band.contains(value) ? .small : .material
        }
        let interval = equivalence ?? estimate
        guard let lower = interval.lower, let upper = interval.upper else { return .inconclusive }
        return band.contains(lower) && band.contains(upper) ? .noMaterialGap : .inconclusive
    }

    /// Whether `interval` lies wholly outside the band — what a policy rule's `material` calls a violation with
    /// evidence (with the simultaneous interval, at most 1 − confidence of audits where no finding is truly
    /// material are failed).
    /// On ``Scale/epsilon`` the interval has only its lower end (the bound): it excludes the band when that end
    /// lies above the threshold.
    public func excludes(_ interval: Estimate) -> Bool {
        if scale == .epsilon { return (interval.lower ?? interval.value).map { $0 > threshold } ?? false }
        guard let lower = interval.lower, let upper = interval.upper else { return false }
        return upper < band.lowerBound || lower > band.upperBound
    }

    /// The level of the interval the verdict "none" rests on: the confidence level, or 1 − 2α when that is
    /// higher, so that "none" is wrong at most α of the time (two one-sided tests at α).
    public static func equivalenceLevel(confidence: Double, alpha: Double) -> Double { max(confidence, 1 - 2 * alpha) }
}

/// The materiality a finding was judged by: the threshold and the estimate on its scale.
public struct MaterialityCheck: Sendable, Equatable, Codable {
    /// What the threshold is measured on.
    public var scale: Materiality.Scale
    /// The threshold.
    public var threshold: Double
    /// The values that are not material (`[lower, upper]`).
    public var band: [Double]
    /// The estimate on the scale (for ``Materiality/Scale/rateRatio`` on a difference metric: the groups' rate
    /// ratio, over the groups its test compares, with its own interval), or the finding's own estimate.
    public var estimate: Estimate
    /// The estimate's interval over the audit's whole family of tests (what a policy rule's `material` rests on).
    public var simultaneous: Estimate?
    /// The interval "none" rests on, at ``Materiality/equivalenceLevel(confidence:alpha:)``.
    public var equivalence: Estimate?
    /// The sentence the finding's reason ends with, saying how the estimate compares with the threshold.
    public var because: String

    /// Creates a check.
    public init(_ materiality: Materiality, estimate: Estimate, simultaneous: Estimate? = nil,
                equivalence: Estimate? = nil, because: String) {
        scale = materiality.scale
        threshold = materiality.threshold
        band = [materiality.band.lowerBound, materiality.band.upperBound]
        self.estimate = estimate
        self.simultaneous = simultaneous
        self.equivalence = equivalence
        self.because = because
    }

    /// The threshold checked.
    public var materiality: Materiality { Materiality(scale: scale, threshold: threshold) }
}

/// A value on a materiality scale with the intervals its verdict and a policy rest on.
public struct MeasuredValue: Sendable, Equatable {
    /// The estimate and its interval at the audit's confidence level.
    public var estimate: Estimate
    /// Its interval over the audit's whole family of tests.
    public var simultaneous: Estimate?
    /// Its interval at the equivalence level.
    public var equivalence: Estimate?

    /// Creates a measured value.
    public init(estimate: Estimate, simultaneous: Estimate? = nil, equivalence: Estimate? = nil) {
        self.estimate = estimate
        self.simultaneous = simultaneous
        self.equivalence = equivalence
    }

    /// `value` with its intervals by `method` at `level`, over a family (`simultaneousLevel`) and at
    /// `equivalenceLevel`; each contains the value.
    package init(value: Double?, method: IntervalMethod, level: Double, simultaneousLevel: Double,
                 equivalenceLevel: Double) {
        func at(_ l: Double) -> Estimate? {
            guard let value, let b = method.bounds(level: l) else { return nil }
            return Estimate(value: value, lower: min(b.lower, value), upper: max(b.upper, value))
        }
        self.init(estimate: at(level) ?? Estimate(value: value), simultaneous: at(simultaneousLevel),
                  equivalence: at(equivalenceLevel))
    }
}
