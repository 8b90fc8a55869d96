import Audit

/// `report.md`: the audit for people — headline, policy, then one table per view.
struct MarkdownReport {
    let report: AuditReport

    init(_ report: AuditReport) { self.report = report }

    func v(_ x: Double?) -> String { FindingText.value(x) }
    func ci(_ e: Estimate) -> String { FindingText.interval(e) }
    func p(_ x: Double?) -> String { FindingText.pValue(x) }
    /// Table cells cannot hold a bare "|".
    func cell(_ s: String) -> String { s.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }

    func render() -> String {
        let c = report.configuration
        var out = "# Fairground audit\n\n"
        out += "Subject: \(report.subject.isEmpty ? "scores" : report.subject) · \(report.users) users · offers: "
            + report.offers.joined(separator: ", ") + " · protected: "
            + report.attributes.map { "\($0.name) (\($0.levels.joined(separator: ", ")))" }.joined(separator: "; ") + "\n\n"
        if let card = report.model {
            let warn = card.holdout.map { !$0.beatsPopularity } ?? false
            out += (warn ? "**Model under audit:** " : "Model under audit: ") + card.summary + "\n\n"
        }
        out += "Campaign: top \(v(c.targetShare * 100))% of users per offer by score · lists: top-\(c.k) · "
            + "\(c.bootstrapReplicates) bootstrap replicates (seed \(c.seed)), \(v(c.confidenceLevel * 100))% intervals · "
            + "Holm over \(report.tests) tests at α = \(v(c.alpha)) · groups below \(c.minimumGroupSize) users flagged\n\n"
        let disparities = report.disparities
        out += "**\(disparities.count) finding\(disparities.count == 1 ? "" : "s") of disparity** among "
            + "\(report.findings.count) findings; "
            + "\(report.findings.filter { $0.verdict == .insufficientData }.count) with insufficient data.\n\n"
        if let policy = report.policy {
            out += "## Policy\n\n| rule | status | detail |\n|---|---|---|\n"
            for outcome in policy {
                let worst = outcome.checks.first { $0.status == outcome.status } ?? outcome.checks.first
                let detail = worst.map { ($0.finding.isEmpty ? "" : "`\($0.finding)`: ") + $0.message } ?? ""
                out += "| \(outcome.rule.name) | **\(outcome.status.rawValue)** | \(detail) |\n"
            }
            out += "\n"
        }
        for (view, title) in [("campaign", "Campaign view"), ("recommendation", "Recommendation view"),
                              ("counterfactual", "Counterfactual tests")] {
            let findings = report.findings.filter { $0.view == view }
            guard !findings.isEmpty else { continue }
            out += "## \(title)\n\n| offer | attribute | world | metric | convention | value | CI | adjusted p | test | verdict |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n"
            for f in findings {
                out += "| \(f.offer ?? "—") | \(f.attribute) | \(cell(f.world ?? "")) | \(f.metric) | \(f.convention) | "
                    + "\(v(f.estimate.value)) | \(ci(f.estimate)) | \(p(f.adjustedPValue)) | \(f.test ?? "—") | \(f.verdict.rawValue) |\n"
            }
            out += "\n"
        }
        out += groupTables()
        if !report.attribution.isEmpty {
            out += "## Where the selection-rate gaps come from\n\n"
                + "Top \(v(c.targetShare * 100))% selected by true interest, by observed interactions, and by the model "
                + "(Fairlearn between-groups difference each).\n\n"
                + "| offer | attribute | gap in truth | gap in data | gap by model | added by data | added by model |\n"
                + "|---|---|---|---|---|---|---|\n"
            for a in report.attribution {
                out += "| \(a.offer) | \(a.attribute) | \(v(a.truthGap.value)) \(ci(a.truthGap)) | "
                    + "\(v(a.observedGap.value)) \(ci(a.observedGap)) | \(v(a.modelGap.value)) \(ci(a.modelGap)) | "
                    + "\(v(a.addedByData.value)) | \(v(a.addedByModel.value)) |\n"
            }
            out += "\n"
        }
        if !report.counterfactuals.isEmpty {
            out += "## Counterfactual worlds\n\n| world | affected | offer | flip up | flip down | exposure change | "
                + "mean score change | score change 5–95% | top-K Jaccard |\n|---|---|---|---|---|---|---|---|---|\n"
            for w in report.counterfactuals {
                for o in w.offers {
                    let q = o.scoreDeltaQuantiles
                    out += "| \(cell(w.world)) | \(w.affected) | \(o.offer) | \(v(o.flipUp.value)) (\(o.flipsUp)) | "
                        + "\(v(o.flipDown.value)) (\(o.flipsDown)) | \(o.exposureChange.map { v($0.value) } ?? "—") | "
                        + "\(v(o.scoreDelta.value)) \(ci(o.scoreDelta)) | "
                        + (q.count == 5 ? "\(v(q[0])) … \(v(q[4]))" : "—") + " | "
                        + "\(w.topKJaccard.map { v($0.value) } ?? "—") |\n"
                }
            }
            out += "\n"
        }
        out += """
            ## Definitions

            - Fairlearn convention: difference = max − min over groups, ratio = min / max. AIF360 convention (when a
              privileged level is named): unprivileged (everyone else) − privileged, and their ratio.
            - Truly interested: true interest among the top \(v(c.targetShare * 100))% for the offer (or the configured
              rule). Equal opportunity compares true-positive rates; equalized odds the worse of TPR and FPR gaps.
            - Undefined values (an empty denominator) are reported as undefined with their counts, never as 0.
            - Tests: chi-square homogeneity for rates, Welch for means, McNemar exact for paired counterfactual
              decisions; Holm-adjusted across the whole audit. Intervals: Poisson bootstrap percentiles.
            - Counterfactual twins share every exogenous noise term with the factual user; the naive flip changes
              only the attribute, which a model that reads interactions never sees.

            """
        return out
    }

    func groupTables() -> String {
        var out = "## Selection rates by group\n\n| offer | attribute | group | users | selected | rate | CI | note |\n"
            + "|---|---|---|---|---|---|---|---|\n"
        for f in report.findings where MetricDescriptor.named(f.metric)?.isCharted == true {
            for g in f.groups {
                out += "| \(f.offer ?? "") | \(f.attribute) | \(g.group) | \(g.members) | \(Int(g.numerator)) | "
                    + "\(v(g.estimate.value)) | \(ci(g.estimate)) | \(g.small ? "small group" : "") |\n"
            }
        }
        return out + "\n"
    }
}
