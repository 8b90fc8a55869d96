#if canImport(Glibc)
internal import Glibc
#endif
import Audit

/// `report.html`: a self-contained page (inline CSS, inline SVG, no scripts, no external resources): the answers
/// first, then charts on shared, labelled axes — selection rates by group with the target share, parity ratios
/// with the four-fifths line, counterfactual flip rates (exact twin beside naive flip), the gap attribution —
/// then the same tables and definitions as `report.md`.
struct HTMLReport {
    let report: AuditReport

    init(_ report: AuditReport) { self.report = report }

    static func escape(_ s: String) -> String { JUnitReport.escape(s) }

    func v(_ x: Double?) -> String { FindingText.value(x) }

    /// The report's confidence level as the legend shows it.
    var level: String { ReportTables.level(report.configuration) }

    func selectionCharts() -> String {
        let share = report.configuration.targetShare
        let perOffer = report.offers.map { offer in
            report.findings.filter { $0.offer == offer && $0.metric.descriptor.isCharted }
                .flatMap { f in
                    f.groups.map { g in
                        Bar(label: "\(f.attribute): \(g.group)", value: g.estimate.value, lower: g.estimate.lower,
                            upper: g.estimate.upper, style: g.small ? "small" : "model",
                            note: g.small ? "(n = \(g.members), small)" : "")
                    }
                }
        }
        // With decision rules, each offer's share follows from its rule: no common target-share line.
        let c = report.configuration
        let axis = Axis(covering: perOffer.flatMap { $0 }, label: "selection rate: share of the group targeted",
                        level: level,
                        references: c.decisionRules == nil ? [(share, "target share \(v(share * 100))%")] : [])
        return zip(report.offers, perOffer).map { offer, bars in
            let campaign = c.decisionRules == nil ? "top \(v(share * 100))% by score" : "\(c.decisionRule(forOffer: offer))"
            return Self.chart(title: "Selection rate for \(offer) (campaign: \(campaign))", bars: bars, axis: axis)
        }.joined()
    }

    func ratioCharts() -> String {
        let perOffer = report.offers.map { offer in
            report.findings.filter { $0.offer == offer && $0.metric == .demographicParityRatio }.map { f in
                Bar(label: f.attribute, value: f.estimate.value, lower: f.estimate.lower, upper: f.estimate.upper,
                    style: f.verdict == .disparity ? "twin" : "model")
            }
        }
        guard perOffer.contains(where: { !$0.isEmpty }) else { return "" }
        var axis = Axis(covering: [], label: "demographic parity ratio: lowest group rate / highest", level: level,
                        percent: false, references: [(0.8, "four-fifths rule (0.8)")], atLeast: 1)
        axis.maximum = 1
        return zip(report.offers, perOffer).filter { !$0.1.isEmpty }.map { offer, bars in
            Self.chart(title: "Parity ratio for \(offer)", bars: bars, axis: axis)
        }.joined()
    }

    func counterfactualCharts() -> String {
        let perOffer = report.offers.map { offer in
            report.counterfactuals.flatMap { w -> [Bar] in
                guard let o = w.offers.first(where: { $0.offer == offer }) else { return [] }
                return [Bar(label: "\(w.world) ↑", value: o.flipUp.value, lower: o.flipUp.lower, upper: o.flipUp.upper,
                            style: w.kind == .naive ? "naive" : "twin", note: "(\(o.flipsUp))"),
                        Bar(label: "\(w.world) ↓", value: o.flipDown.value, lower: o.flipDown.lower,
                            upper: o.flipDown.upper, style: w.kind == .naive ? "naive" : "twin",
                            note: "(\(o.flipsDown))")]
            }
        }
        let axis = Axis(covering: perOffer.flatMap { $0 }, label: "share of affected users whose targeting flips",
                        level: level)
        return zip(report.offers, perOffer).filter { !$0.1.isEmpty }.map { offer, bars in
            Self.chart(title: "Targeting flips for \(offer): twin targeted only (↑) or factual only (↓)", bars: bars,
                       axis: axis)
        }.joined()
    }

    func attributionCharts() -> String {
        let charts = report.attribution.filter { !$0.attribute.contains("×") }.map { a in
            (a, [Bar(label: "gap in true interest", value: a.truthGap.value, lower: a.truthGap.lower,
                     upper: a.truthGap.upper, style: "truth"),
                 Bar(label: "gap in observed data", value: a.observedGap.value, lower: a.observedGap.lower,
                     upper: a.observedGap.upper, style: "data"),
                 Bar(label: "gap in model targeting", value: a.modelGap.value, lower: a.modelGap.lower,
                     upper: a.modelGap.upper, style: "model")])
        }
        let axis = Axis(covering: charts.flatMap(\.1), label: "selection-rate gap: highest group rate − lowest",
                        level: level)
        return charts.map { a, bars in
            Self.chart(title: "Selection-rate gap, \(a.offer) by \(a.attribute)", bars: bars, axis: axis)
        }.joined()
    }

    /// Every table of the report (the same as `report.md`'s).
    func tables(_ content: ReportTables) -> String {
        var out = ""
        for table in content.tables where table.title != "Policy" {
            out += "<h2>\(Self.escape(table.title))</h2>\n" + (table.intro.isEmpty ? "" : "<p>\(Self.escape(table.intro))</p>\n")
            out += "<div class=\"scroll\"><table>\n<thead><tr>"
                + table.header.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            let verdictColumn = table.header.firstIndex(of: "verdict")
            for row in table.rows {
                out += "<tr>" + row.enumerated().map { i, cell in
                    var cls = table.numeric.contains(i) ? "num" : ""
                    if i == verdictColumn {
                        cls = cell == Verdict.disparity.rawValue ? "bad" : cell == Verdict.insufficientData.rawValue
                            ? "warn" : "ok"
                    }
                    return "<td\(cls.isEmpty ? "" : " class=\"\(cls)\"")>\(Self.escape(cell))</td>"
                }.joined() + "</tr>\n"
            }
            out += "</tbody>\n</table></div>\n"
        }
        return out
    }

    /// The answers, first.
    func answers() -> String {
        let answers = AuditAnswers(report)
        var out = "<h2>Answer</h2>\n"
        if let policy = answers.policy {
            let cls = report.policy?.contains { $0.status == .violated } == true ? "bad" : "ok"
            out += "<p class=\"\(cls)\">\(Self.escape(policy))</p>\n"
        }
        for offer in answers.offers where !offer.sentences.isEmpty {
            out += "<h3>\(Self.escape(offer.offer))</h3>\n<ul>\n"
                + offer.sentences.map { "<li>\(Self.markup($0))</li>\n" }.joined() + "</ul>\n"
        }
        if !answers.privacy.isEmpty {
            out += "<h3>Privacy</h3>\n<ul>\n" + answers.privacy.map { "<li>\(Self.markup($0))</li>\n" }.joined() + "</ul>\n"
        }
        return out
    }

    /// Escapes text and turns its `**bold**` spans into `<strong>`.
    static func markup(_ text: String) -> String {
        let parts = escape(text).split(separator: "**", omittingEmptySubsequences: false)
        return parts.enumerated().map { i, part in i % 2 == 1 ? "<strong>\(part)</strong>" : String(part) }.joined()
    }

    func policySection() -> String {
        guard let policy = report.policy else { return "" }
        var rows = ""
        for o in policy {
            let cls = o.status == .violated ? "bad" : o.status == .inconclusive ? "warn" : "ok"
            let detail = o.checks.filter { $0.status == o.status }.prefix(3)
                .map { ($0.finding.isEmpty ? "" : $0.finding + ": ") + $0.message }.joined(separator: "; ")
            rows += "<tr><td>\(Self.escape(o.rule.name))</td><td class=\"\(cls)\">\(o.status.rawValue)</td>"
                + "<td>\(Self.escape(detail))</td></tr>\n"
        }
        return "<h2>Policy</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>rule</th><th>status</th><th>detail</th>"
            + "</tr></thead>\n<tbody>\n\(rows)</tbody>\n</table></div>\n"
    }

    /// What was audited and how it compares with popularity on held-out interactions.
    func modelSection() -> String {
        guard let card = report.model else { return "" }
        let cls = card.holdout.map { $0.beatsPopularity ? "" : " class=\"bad\"" } ?? " class=\"warn\""
        return "<p\(cls)><strong>Model under audit:</strong> \(Self.escape(card.summary))</p>\n"
    }

    func render() -> String {
        let c = report.configuration
        let disparities = report.disparities.count
        let content = ReportTables(report)
        let warnings = (report.warnings ?? []).map { "<p class=\"bad\"><strong>Warning:</strong> \(Self.escape($0))</p>\n" }
            .joined()
        let campaign = c.campaignRules(offers: report.offers).map(Self.escape) ?? "top \(v(c.targetShare * 100))% per\noffer"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Fairground audit</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1320px; padding: 0 1em; color: #222; }
            h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 2em; } h3 { font-size: 1.05em; }
            li { margin: 0.3em 0; line-height: 1.4; }
            .scroll { overflow-x: auto; }
            table { border-collapse: collapse; font-size: 0.85em; width: 100%; }
            th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; overflow-wrap: break-word; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            .bad { color: #b00020; font-weight: bold; } .warn { color: #a06000; } .ok { color: #1b5e20; }
            svg { display: block; margin: 1em 0; font-size: 12px; max-width: 100%; height: auto; }
            svg .title { font-weight: bold; font-size: 13px; } svg .legend, svg .tick { fill: #555; font-size: 11px; }
            svg .axislabel { fill: #333; font-size: 12px; } svg .grid { stroke: #e4e4e4; } svg .axis { stroke: #888; }
            svg .reference { stroke: #b00020; stroke-dasharray: 4 3; } svg .reflabel { fill: #b00020; font-size: 11px; }
            svg .model { fill: #3f6fb5; } svg .small { fill: #b0b7c3; } svg .twin { fill: #c0504d; }
            svg .naive { fill: #9bbb59; } svg .truth { fill: #8064a2; } svg .data { fill: #f79646; }
            svg .ci { stroke: #222; stroke-width: 1.2; } svg .value { fill: #444; }
            </style>
            </head>
            <body>
            <h1>Fairground audit</h1>
            <p>\(Self.escape(report.subject.isEmpty ? "scores" : report.subject)) · \(report.users) users ·
            offers \(Self.escape(report.offers.joined(separator: ", "))) · campaign: \(campaign) · lists: top-\(c.k) · \(v(c.confidenceLevel * 100))% intervals · Holm over \(report.tests) tests at
            α = \(v(c.alpha)) · groups below \(c.minimumGroupSize) users flagged.</p>
            \(modelSection())\(warnings)\(answers())<p class="\(disparities > 0 ? "bad" : "ok")">\(disparities) finding\(disparities == 1 ? "" : "s") of
            disparity among \(report.findings.count).</p>
            \(policySection())<h2>Selection rates by group</h2>
            \(selectionCharts())\(ratioCharts())<h2>Counterfactual flips</h2>
            <p>Red: exact twins (same exogenous noise, descendants follow the attribute). Green: the naive flip
            (only the attribute changes).</p>
            \(counterfactualCharts())<h2>Where the gaps come from</h2>
            \(attributionCharts())\(privacyCharts())\(tables(content))<h2>Definitions</h2>
            <ul>
            \(content.definitions.map { "<li>\(Self.escape($0))</li>" }.joined(separator: "\n"))
            </ul>
            </body>
            </html>

            """
    }
}
