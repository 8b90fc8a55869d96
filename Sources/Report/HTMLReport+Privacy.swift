import Audit

/// The privacy view's charts in `report.html`.
extension HTMLReport {
    /// The privacy view's charts: inference AUC per trait and source, NDCG by group and consent status, and the
    /// opt-out share per group.
    func privacyCharts() -> String {
        guard let privacy = report.privacy else { return "" }
        var out = "<h2>Privacy</h2>\n"
        let probes = report.findings.filter { $0.metric == .inferenceAUC }.map { f in
            Bar(label: "\(f.attribute) = \(f.trait ?? "") from \(f.source ?? "")", value: f.estimate.value,
                lower: f.estimate.lower, upper: f.estimate.upper, style: f.verdict == .disparity ? "twin" : "model")
        }
        if !probes.isEmpty {
            var axis = Axis(covering: [], label: "AUC of a cross-fitted probe predicting the trait (0.5: nothing revealed)",
                            level: level, percent: false, references: [(0.5, "chance (0.5)")], atLeast: 1)
            axis.maximum = 1
            out += Self.chart(title: "What the user factors and the raw interactions reveal (red: revealed)",
                              bars: probes, axis: axis)
        }
        let groups = privacy.groups.filter { !$0.attribute.contains("×") }
        let ndcg = groups.flatMap { g in
            [Bar(label: "\(g.attribute): \(g.group), consenting", value: g.consentingNDCG.value,
                 lower: g.consentingNDCG.lower, upper: g.consentingNDCG.upper, style: "model"),
             Bar(label: "\(g.attribute): \(g.group), opted out (served)", value: g.optedOutServedNDCG.value,
                 lower: g.optedOutServedNDCG.lower, upper: g.optedOutServedNDCG.upper, style: "twin"),
             Bar(label: "\(g.attribute): \(g.group), opted out (if personalised)",
                 value: g.optedOutPersonalisedNDCG.value, lower: g.optedOutPersonalisedNDCG.lower,
                 upper: g.optedOutPersonalisedNDCG.upper, style: "truth")]
        }
        if ndcg.contains(where: { $0.value != nil }) {
            out += Self.chart(title: "NDCG@\(report.configuration.k) by group and consent status", bars: ndcg,
                              axis: Axis(covering: ndcg, label: "NDCG@\(report.configuration.k) against true interest",
                                         level: level, percent: false))
        }
        let shares = groups.map { g in
            Bar(label: "\(g.attribute): \(g.group)", value: g.optedOutShare.value, lower: g.optedOutShare.lower,
                upper: g.optedOutShare.upper, style: "data")
        }
        if privacy.consentAttribute != nil && !shares.isEmpty {
            out += Self.chart(title: "Who opted out (not eligible for personalised targeting)", bars: shares,
                              axis: Axis(covering: shares, label: "share of the group who opted out", level: level))
        }
        return out
    }
}
