import Audit

/// The privacy view's charts in `report.html`.
extension HTMLReport {
    /// The privacy view's charts: inference AUC per trait and source, NDCG by group and consent status, and the
    /// opt-out share per group.
    func privacyCharts() -> String {
        guard let privacy = report.privacy else { return "" }
        var out = ""
        let probes = report.findings.filter { $0.metric == .inferenceAUC }.map { f in
            Bar(label: "\(f.attribute) = \(f.trait ?? "") from \(f.source ?? "")", value: f.estimate.value,
                lower: f.estimate.lower, upper: f.estimate.upper, style: Style(f.verdict))
        }
        if !probes.isEmpty {
            let threshold = report.configuration.materiality(for: .inferenceAUC).threshold
            var axis = Axis(covering: [], label: "AUC of a cross-fitted probe predicting the trait (0.5: nothing revealed)",
                            percent: false, references: [(0.5, "chance"), (threshold, "material")], atLeast: 1)
            axis.maximum = 1
            out += Self.chart(title: "What the user factors and the raw interactions reveal",
                              bars: probes, axis: axis)
        }
        let groups = privacy.groups.filter { !$0.attribute.contains("×") }
        let ndcg = groups.flatMap { g in
            [Bar(label: "\(g.attribute): \(g.group), consenting", value: g.consentingNDCG.value,
                 lower: g.consentingNDCG.lower, upper: g.consentingNDCG.upper, style: .context),
             Bar(label: "\(g.attribute): \(g.group), opted out (served)", value: g.optedOutServedNDCG.value,
                 lower: g.optedOutServedNDCG.lower, upper: g.optedOutServedNDCG.upper, style: .context),
             Bar(label: "\(g.attribute): \(g.group), opted out (if personalised)",
                 value: g.optedOutPersonalisedNDCG.value, lower: g.optedOutPersonalisedNDCG.lower,
                 upper: g.optedOutPersonalisedNDCG.upper, style: .context)]
        }
        if ndcg.contains(where: { $0.value != nil }) {
            out += Self.chart(title: "NDCG@\(report.configuration.k) by group and consent status", bars: ndcg,
                              axis: Axis(covering: ndcg, label: "NDCG@\(report.configuration.k) against true interest",
                                         percent: false))
        }
        let shares = groups.map { g in
            Bar(label: "\(g.attribute): \(g.group)", value: g.optedOutShare.value, lower: g.optedOutShare.lower,
                upper: g.optedOutShare.upper, style: .context)
        }
        if privacy.consentAttribute != nil && !shares.isEmpty {
            out += Self.chart(title: "Who opted out (not eligible for personalised targeting)", bars: shares,
                              axis: Axis(covering: shares, label: "share of the group who opted out"))
        }
        return out.isEmpty ? "" : "<h2>Privacy</h2>\n<div class=\"charts\">\n\(out)</div>\n"
    }
}
