import Statistics

extension Finding {
    /// Whether the finding's test rejected "no gap" after Holm's correction at `alpha` (`nil`: no test applied).
    public func rejects(alpha: Double) -> Bool? {
        guard estimate.value != nil, let q = holmPValue else { return nil }
        return q < alpha
    }

    /// Gives the finding its verdict under `materiality` (see ``Materiality/verdict(rejected:estimate:equivalence:)``)
    /// and ends its reason with a sentence saying how the estimate compares with the threshold. Judging again (a
    /// policy rule's own threshold) replaces the previous verdict and sentence.
    ///
    /// - Parameters:
    ///   - materiality: the threshold.
    ///   - alpha: the audit's family-wise error rate.
    ///   - measured: the value on the threshold's scale with its intervals; `nil`: the previous check's, or the
    ///     finding's own estimate and simultaneous interval.
    public mutating func judge(by materiality: Materiality, alpha: Double, measured: MeasuredValue? = nil) {
        let previous = self.materiality
        if let old = previous?.because, !old.isEmpty, reason.hasSuffix(old) { reason.removeLast(old.count) }
        let on = measured ?? previous.map { MeasuredValue(estimate: $0.estimate, simultaneous: $0.simultaneous,
                                                          equivalence: $0.equivalence) }
            ?? MeasuredValue(estimate: estimate, simultaneous: simultaneous)
        let onScale = on.estimate
        let rejected = rejects(alpha: alpha)
        verdict = materiality.verdict(rejected: rejected, estimate: onScale, equivalence: on.equivalence)
        func v(_ x: Double?) -> String {
            guard let x else { return "undefined" }
            return x.isFinite ? (x < 0 ? "-" : "") + Significance.formatted(abs(x)) : x > 0 ? "∞" : "-∞"
        }
        let what = materiality.scale == .rateRatio ? "the rate ratio \(v(onScale.value))" : v(onScale.value)
        let band = materiality.band
        let equivalence = on.equivalence ?? onScale
        let interval = equivalence.lower.map { "\(v($0))–\(v(equivalence.upper))" } ?? "none"
        let because: String
        if materiality.scale == .epsilon {
            switch verdict {
            case .material:
                because = "; material: the bound \(what) itself is above the materiality threshold ε = \(v(band.upperBound))"
            case .small:
                because = "; small: the bound \(what) shows some leakage but is at most the materiality threshold "
                    + "ε = \(v(band.upperBound))"
            case .noMaterialGap, .inconclusive:
                because = onScale.value == nil ? "" : "; inconclusive: the attack proves no ε above 0, and a lower "
                    + "bound cannot show that the model is private"
            }
        } else if materiality.scale == .auc {
            switch verdict {
            case .material: because = "; material: \(what) is above the materiality threshold \(v(band.upperBound))"
            case .small: because = "; small: \(what) is at most the materiality threshold \(v(band.upperBound))"
            case .noMaterialGap: because = "; no material gap: the interval \(interval) is at most \(v(band.upperBound))"
            case .inconclusive:
                because = rejected == nil ? "" : "; inconclusive: the interval \(interval) reaches above "
                    + "\(v(band.upperBound)), so a material gap is not ruled out"
            }
        } else {
            let range = "[\(v(band.lowerBound)), \(v(band.upperBound))]"
            switch verdict {
            case .material:
                because = onScale.value == nil ? "; material: the rate ratio is undefined (a side is never selected)"
                    : "; material: \(what) is outside the materiality band \(range)"
            case .small:
                because = "; small: \(what) is within the materiality band \(range)"
            case .noMaterialGap:
                because = "; no material gap: the interval \(interval) lies within the materiality band \(range)"
            case .inconclusive:
                because = rejected == nil ? ""
                    : "; inconclusive: the interval \(interval) reaches past the materiality band \(range), so a "
                        + "material gap is not ruled out"
            }
        }
        reason += because
        self.materiality = MaterialityCheck(materiality, estimate: onScale, simultaneous: on.simultaneous,
                                            equivalence: on.equivalence, because: because)
    }
}
