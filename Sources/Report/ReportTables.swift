import Audit

/// The tables and definitions of a report, built once so `report.md` and `report.html` show the same content.
struct ReportTables {
    /// One table.
    struct Table {
        /// Section heading.
        var title: String
        /// A sentence before the table ("" for none).
        var intro: String = ""
        /// Column names.
        var header: [String]
        /// Cells, row by row.
        var rows: [[String]]
        /// Columns holding numbers or intervals (right-aligned, never wrapped).
        var numeric: Set<Int> = []
    }

    /// The confidence level as the reports show it: "95%".
    static func level(_ c: AuditConfiguration) -> String {
        let percent = c.confidenceLevel * 100
        return (percent == percent.rounded() ? "\(Int(percent))" : FindingText.value(percent)) + "%"
    }

    var tables: [Table] = []
    var definitions: [String] = []

    init(_ report: AuditReport) {
        let c = report.configuration
        func v(_ x: Double?) -> String { FindingText.value(x) }
        func ci(_ e: Estimate) -> String { FindingText.interval(e) }
        let shownLevel = Self.level(c)
        let level = shownLevel + " CI"
        if let policy = report.policy {
            tables.append(Table(title: "Policy", header: ["rule", "status", "detail"], rows: policy.map { outcome in
                let worst = outcome.checks.first { $0.status == outcome.status } ?? outcome.checks.first
                let detail = worst.map { ($0.finding.isEmpty ? "" : $0.finding + ": ") + $0.message } ?? ""
                return [outcome.rule.name, outcome.status.rawValue, detail]
            }))
        }
        let views: [(MetricDescriptor.View, String)] = [
            (.campaign, "Campaign view"), (.recommendation, "Recommendation view"),
            (.counterfactual, "Counterfactual tests")]
        for (view, title) in views {
            let findings = report.findings.filter { $0.view == view }
            guard !findings.isEmpty else { continue }
            tables.append(Table(
                title: title,
                header: ["offer", "attribute", "world", "metric", "convention", "value", level, "simultaneous CI",
                         "Holm p", "test", "judged on", "verdict"],
                rows: findings.map { f in
                    [f.offer ?? "—", f.attribute, f.world ?? "", f.metric.name, f.convention.rawValue,
                     v(f.estimate.value), ci(f.estimate), f.simultaneous.map(ci) ?? "",
                     FindingText.pValue(f.holmPValue), f.test?.rawValue ?? "—", Self.judged(f), f.verdict.rawValue]
                },
                numeric: [5, 6, 7, 8]))
        }
        let privacyFindings = report.findings.filter { $0.view == .privacy }
        if !privacyFindings.isEmpty {
            tables.append(Table(
                title: "Privacy view",
                header: ["offer", "attribute", "detail", "metric", "value", level, "simultaneous CI", "Holm p",
                         "test", "judged on", "verdict"],
                rows: privacyFindings.map { f in
                    let detail = [f.trait.map { "trait \($0)" }, f.source.map { "from \($0)" },
                                  f.category.map { "category \($0)" }, f.basis?.name].compactMap { $0 }
                        .joined(separator: ", ")
                    return [f.offer ?? "—", f.attribute, detail, f.metric.name, v(f.estimate.value), ci(f.estimate),
                            f.simultaneous.map(ci) ?? "", FindingText.pValue(f.holmPValue),
                            f.test?.rawValue ?? "—", Self.judged(f), f.verdict.rawValue]
                },
                numeric: [4, 5, 6, 7]))
        }
        if let privacy = report.privacy, !privacy.groups.isEmpty {
            tables.append(Table(
                title: "Consent and NDCG@\(c.k) by group",
                intro: "NDCG against true interest. Opted-out users are served \(privacy.optedOutServing) lists; "
                    + "\"had they been personalised\" is their folded-in list, which only a synthetic world can score.",
                header: ["attribute", "group", "users", "opted out", "NDCG consenting", "NDCG opted out (served)",
                         "NDCG opted out (had they been personalised)"],
                rows: privacy.groups.map { g in
                    [g.attribute, g.group, "\(g.members)", "\(v(g.optedOutShare.value)) \(ci(g.optedOutShare))",
                     "\(v(g.consentingNDCG.value)) \(ci(g.consentingNDCG))",
                     "\(v(g.optedOutServedNDCG.value)) \(ci(g.optedOutServedNDCG))",
                     "\(v(g.optedOutPersonalisedNDCG.value)) \(ci(g.optedOutPersonalisedNDCG))"]
                },
                numeric: [2, 3, 4, 5, 6]))
        }
        if let privacy = report.privacy, !privacy.optOutBias.isEmpty {
            tables.append(Table(
                title: "Campaign metrics on consenting users against everyone",
                intro: "What an auditor who sees only consenting users would compute, beside the value on everyone.",
                header: ["offer", "attribute", "metric", "everyone", "consenting only", "bias", level],
                rows: privacy.optOutBias.map { b in
                    [b.offer, b.attribute, b.metric.name, v(b.everyone), v(b.consentingOnly), v(b.bias.value), ci(b.bias)]
                },
                numeric: [3, 4, 5, 6]))
        }
        var groupRows: [[String]] = []
        for f in report.findings where f.metric.descriptor.isCharted {
            for g in f.groups {
                groupRows.append([f.offer ?? "", f.attribute, g.group, "\(g.members)", "\(Int(g.numerator))",
                                  v(g.estimate.value), ci(g.estimate), g.small ? "small group" : ""])
            }
        }
        if !groupRows.isEmpty {
            tables.append(Table(title: "Selection rates by group",
                                header: ["offer", "attribute", "group", "users", "selected", "rate", level, "note"],
                                rows: groupRows, numeric: [3, 4, 5, 6]))
        }
        if !report.attribution.isEmpty {
            tables.append(Table(
                title: "Where the selection-rate gaps come from",
                intro: (c.decisionRules == nil ? "Top \(v(c.targetShare * 100))% selected"
                            : "As many users as the campaign's rule targets, selected")
                    + " by true interest, by observed interactions, and by the "
                    + "model, with \(shownLevel) intervals. With two groups each gap is signed, first group's rate − "
                    + "second's (the \"gap of\" column; positive favours the first group) so a stage that reverses "
                    + "the gap shows a change of sign; with more groups it is the highest rate − the lowest.",
                header: ["offer", "attribute", "gap of", "gap in truth", "gap in data", "gap by model", "added by data",
                         "added by model"],
                rows: report.attribution.map { a in
                    [a.offer, a.attribute, a.orientation.map { $0.joined(separator: " − ") } ?? "highest − lowest",
                     "\(v(a.truthGap.value)) \(ci(a.truthGap))",
                     "\(v(a.observedGap.value)) \(ci(a.observedGap))", "\(v(a.modelGap.value)) \(ci(a.modelGap))",
                     "\(v(a.addedByData.value)) \(ci(a.addedByData))", "\(v(a.addedByModel.value)) \(ci(a.addedByModel))"]
                },
                numeric: [3, 4, 5, 6, 7]))
        }
        if !report.counterfactuals.isEmpty {
            var rows: [[String]] = []
            for w in report.counterfactuals {
                for o in w.offers {
                    let q = o.scoreDeltaQuantiles
                    rows.append([w.world, "\(w.affected)", o.offer, "\(v(o.flipUp.value)) (\(o.flipsUp))",
                                 "\(v(o.flipDown.value)) (\(o.flipsDown))",
                                 o.exposureChange.map { v($0.value) } ?? "—",
                                 "\(v(o.scoreDelta.value)) \(ci(o.scoreDelta))",
                                 q.count == 5 ? "\(v(q[0])) … \(v(q[4]))" : "—",
                                 w.topKJaccard.map { v($0.value) } ?? "—"])
                }
            }
            tables.append(Table(title: "Counterfactual worlds",
                                header: ["world", "affected", "offer", "flip up", "flip down", "exposure change",
                                         "mean score change", "score change 5–95%", "top-K Jaccard"],
                                rows: rows, numeric: [1, 3, 4, 5, 6, 7, 8]))
        }
        definitions = [String?]([
            "Verdicts: material — the test rejects \"no gap\" after Holm's correction and the estimate is beyond the "
                + "metric's materiality threshold; small — the test rejects but the estimate is within it; none — no "
                + "rejection and the whole \(shownLevel) interval lies within the threshold (an equivalence test: "
                + "evidence of no material gap); inconclusive — no rejection but the interval reaches past the "
                + "threshold, or no test applies. Thresholds: for selection, true- and false-positive rates the "
                + "four-fifths band 0.8–1.25 on the ratio of the groups' rates (Aequitas' default), whether the metric "
                + "is reported as a difference or a ratio (the \"judged on\" column); for other metrics a difference "
                + "(exposure, NDCG and opt-out gaps 0.05; twins' flip rate, net flip rate and exposure change 0.01 — 1% of "
                + "twins, or the flip tolerance if larger; opt-out bias 0.02) or an "
                + "inference AUC of 0.6. Override them with --material METRIC=VALUE or a policy rule's material."
                + (c.materiality.map { o in " This audit's own: " + o.map { "\($0.metric) \(v($0.threshold))" }
                    .joined(separator: ", ") + "." } ?? ""),
            "Fairlearn convention: difference = max − min over groups, ratio = min / max. AIF360 convention (when a "
                + "privileged level is named): unprivileged (everyone else) − privileged, and their ratio.",
            "Truly interested: true interest among the top \(v(c.targetShare * 100))% for the offer (or the configured "
                + "rule). Equal opportunity compares true-positive rates; equalized odds the worse of TPR and FPR gaps.",
            "Undefined values (an empty denominator, fewer than two groups) are reported as undefined with their "
                + "counts, never as 0 or 1.",
            "Tests: the Wald test of equal rates or means across groups, each group studentised by its own variance "
                + "(Welch's for means); the exact binomial test of the share of twins treated differently (tolerance "
                + "\(v(c.flipTolerance))); McNemar's exact test of the direction of twin flips; Holm-adjusted across "
                + "the whole audit (\(report.tests) tests, α = \(v(c.alpha))).",
            "Intervals (\(v(c.confidenceLevel * 100))%): Wilson for a group's rate; for a gap, the test inverted — its "
                + "end toward \"no gap\" reaches 0 (or 1 for a ratio) exactly when the test does not reject, so "
                + "interval and verdict agree; Fieller for AIF360's ratio; normal for signed differences and means; "
                + "a Poisson-bootstrap standard error (\(c.bootstrapReplicates) replicates, seed \(c.seed)) for the "
                + "attribution increments. Simultaneous intervals hold jointly over all tests (Bonferroni); a "
                + "policy's \"with evidence\" rests on them. Their coverage is measured in Benchmarks/README.md.",
            report.privacy == nil ? nil
                : "Privacy view: opt_out_rate_difference is the gap in opt-out share between groups; "
                + "opt_out_ndcg_cost_difference the gap between groups in what opting out costs (personalised NDCG − "
                + "served NDCG, over opted-out users); opt_out_bias a campaign metric on consenting users minus its value "
                + "on everyone (Poisson-bootstrap z-test); inference_auc the cross-fitted AUC of an L2 logistic "
                + "regression predicting the trait from the source (5 folds; DeLong's one-sided test of AUC > 0.5, logit "
                + "interval; probed on the users the model holds factors for); sensitive_exposure_rate_difference the "
                + "share of users with the trait shown the sensitive category in the list they are served minus the "
                + "share without it (Wald z-test). "
                + "Opted-out users are not eligible for personalised targeting (decisions.csv: "
                + "eligible_for_personalisation 0; their share per group is charted); the campaign and recommendation "
                + "views still score them as the model would, so the model's fairness is measured on everyone and "
                + "opt_out_bias compares it with what consenting users alone show.",
            "Counterfactual twins share every exogenous noise term with the factual user; the naive flip changes "
                + "only the attribute, which a model that reads interactions never sees. The factual world is scored "
                + "by folding every user in under the model's rule, as the twins are — not from stored factors.",
        ]).compactMap { $0 }
    }

    /// What a finding's verdict was judged on: its estimate on the materiality scale with the interval "none" rests
    /// on, and the band that is not material (`ratio 0.56 [0.5, 0.62] vs 0.8–1.25`).
    static func judged(_ f: Finding) -> String {
        guard let m = f.materiality, m.estimate.value != nil else { return "—" }
        let v = FindingText.value
        let band = m.scale == .auc ? "≤ \(v(m.band[1]))" : m.scale == .epsilon ? "ε ≤ \(v(m.threshold))"
            : m.scale == .difference ? "±\(v(m.threshold))"
            : "\(v(m.band[0]))–\(v(m.band[1]))"
        let interval = FindingText.interval(m.equivalence ?? m.estimate)
        return (m.scale == .rateRatio ? "ratio " : "") + "\(v(m.estimate.value))" + (interval.isEmpty ? "" : " " + interval)
            + " vs \(band)"
    }
}
