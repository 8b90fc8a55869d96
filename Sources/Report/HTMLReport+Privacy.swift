import Audit

/// The privacy view's charts in `report.html`.
extension HTMLReport {
    /// The privacy view's charts: inference AUC per trait and source, the membership attack's AUC and empirical ε
    /// (given a non-member world), NDCG by group and consent status, and the opt-out share per group.
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
        out += membershipCharts()
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

    /// The membership attack's two charts: its AUC on the same axis as the probes' (chance and the material
    /// threshold marked), and the empirical ε it proves beside the material threshold and any promised ε.
    func membershipCharts() -> String {
        guard let m = report.privacy?.membership else { return "" }
        var out = ""
        let observed = m.variant == "lists" ? "the lists served" : "the item factors"
        if let f = report.findings.first(where: { $0.metric == .membershipAUC }) {
            let threshold = report.configuration.materiality(for: .membershipAUC).threshold
            var axis = Axis(covering: [], label: "AUC of the attack (0.5: it cannot tell members from others)",
                            percent: false, references: [(0.5, "chance"), (threshold, "material")], atLeast: 1)
            axis.maximum = 1
            out += Self.chart(title: "Can an attacker tell the model's training users from others?",
                              bars: [Bar(label: "membership attack from \(observed)", value: f.estimate.value,
                                         lower: f.estimate.lower, upper: f.estimate.upper, style: Style(f.verdict))],
                              axis: axis)
        }
        if let f = report.findings.first(where: { $0.metric == .empiricalEpsilon }) {
            let threshold = f.materiality?.threshold ?? report.configuration.materiality(for: .empiricalEpsilon).threshold
            var references: [(Double, String)] = [(threshold, "material")]
            if let promised = m.promisedEpsilon { references.append((promised, "promised ε")) }
            let bar = Bar(label: "ε the attack proves (lower bound, δ = \(FindingText.value(m.delta)))",
                          value: f.estimate.value, style: Style(f.verdict))
            out += Self.chart(title: "What the attack proves about ε", bars: [bar],
                              axis: Axis(covering: [bar], label: "empirical lower bound on ε (0: nothing proved)",
                                         percent: false, references: references))
        }
        return out
    }
}
