import Statistics

extension Finding {
    /// Whether the finding's test rejected "no gap" after Holm's correction at `alpha` (`nil`: no test applied).
    public func rejects(alpha: Double) -> Bool? {
        guard estimate.value != nil, let q = holmPValue else { return nil }
        return q < alpha
    }

    /// Gives the finding its verdict under `materiality` (see ``Materiality/verdict(rejected:estimate:)``) and ends
    /// its reason with a sentence saying how the estimate compares with the threshold. Judging again (a policy
    /// rule's own threshold) replaces the previous verdict and sentence.
    ///
    /// - Parameters:
    ///   - materiality: the threshold.
    ///   - alpha: the audit's family-wise error rate.
    ///   - measured: the estimate on the threshold's scale when it is not the finding's own (a rate difference's
    ///     rate ratio); `nil`: the previous check's estimate, or the finding's own.
    public mutating func judge(by materiality: Materiality, alpha: Double, measured: Estimate? = nil) {
        let previous = self.materiality
        if let old = previous?.because, reason.hasSuffix(old) { reason.removeLast(old.count) }
        let onScale = measured ?? previous?.estimate ?? estimate
        let rejected = rejects(alpha: alpha)
        verdict = materiality.verdict(rejected: rejected, estimate: onScale)
        func v(_ x: Double?) -> String {
            guard let x else { return "undefined" }
            return x.isFinite ? (x < 0 ? "-" : "") + Significance.formatted(abs(x)) : x > 0 ? "∞" : "-∞"
        }
        let what = materiality.scale == .rateRatio ? "the rate ratio \(v(onScale.value))" : v(onScale.value)
        let band = materiality.band
        let range = materiality.scale == .auc ? "at most \(v(band.upperBound))"
            : "[\(v(band.lowerBound)), \(v(band.upperBound))]"
        let interval = onScale.lower.map { "\(v($0))–\(v(onScale.upper))" } ?? "none"
        let because: String
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
        reason += because
        self.materiality = MaterialityCheck(materiality, estimate: onScale, because: because)
    }
}
