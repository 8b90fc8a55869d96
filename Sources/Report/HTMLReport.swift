#if canImport(Glibc)
internal import Glibc
#endif
import Audit

/// `report.html`: a self-contained page (inline CSS, inline SVG, no scripts, no external resources): the answer
/// first (the overall verdict, one sentence per offer and for privacy), then the details, then charts on shared,
/// labelled axes coloured by verdict with one legend — selection rates by group with the target share, parity
/// ratios with the four-fifths line, counterfactual flip rates, the signed gap attribution diverging from 0 —
/// then the same tables and definitions as `report.md`.
struct HTMLReport {
    let report: AuditReport

    init(_ report: AuditReport) { self.report = report }

    static func escape(_ s: String) -> String { JUnitReport.escape(s) }

    func v(_ x: Double?) -> String { FindingText.value(x) }

    /// The report's confidence level as the legend shows it.
    var level: String { ReportTables.level(report.configuration) }

    /// The verdict of the headline (charted) finding of an offer and attribute.
    func chartedVerdict(_ offer: String, _ attribute: String) -> Verdict? {
        report.findings.first { $0.offer == offer && $0.attribute == attribute && $0.metric.descriptor.isCharted }?
            .verdict
    }

    func selectionCharts() -> String {
        let share = report.configuration.targetShare
        let perOffer = report.offers.map { offer in
            report.findings.filter { $0.offer == offer && $0.metric.descriptor.isCharted }
                .flatMap { f in
                    f.groups.map { g in
                        Bar(label: "\(f.attribute): \(g.group)", value: g.estimate.value, lower: g.estimate.lower,
                            upper: g.estimate.upper, style: Style(f.verdict),
                            note: g.small ? "(n = \(g.members), small group)" : "")
                    }
                }
        }
        // With decision rules, each offer's share follows from its rule: no common target-share line.
        let c = report.configuration
        let axis = Axis(covering: perOffer.flatMap { $0 }, label: "selection rate: share of the group targeted",
                        references: c.decisionRules == nil ? [(share, "target \(v(share * 100))%")] : [])
        return zip(report.offers, perOffer).map { offer, bars in
            let campaign = c.decisionRules == nil ? "top \(v(share * 100))% by score" : "\(c.decisionRule(forOffer: offer))"
            return Self.chart(title: "Selection rate for \(offer) (campaign: \(campaign))", bars: bars, axis: axis)
        }.joined()
    }

    func ratioCharts() -> String {
        let perOffer = report.offers.map { offer in
            report.findings.filter { $0.offer == offer && $0.metric == .demographicParityRatio }.map { f in
                Bar(label: f.attribute, value: f.estimate.value, lower: f.estimate.lower, upper: f.estimate.upper,
                    style: Style(f.verdict))
            }
        }
        guard perOffer.contains(where: { !$0.isEmpty }) else { return "" }
        // The line the verdicts were judged by (the four-fifths rule unless the run or a rule set another).
        let threshold = report.findings.first { $0.metric == .demographicParityRatio }?.materiality?.threshold
            ?? report.configuration.materiality(for: .demographicParityRatio).threshold
        let line = threshold == 0.8 ? "four-fifths (0.8)" : "material below \(v(threshold))"
        var axis = Axis(covering: [], label: "demographic parity ratio: lowest group rate / highest", percent: false,
                        references: [(threshold, line)], atLeast: 1)
        axis.maximum = 1
        return zip(report.offers, perOffer).filter { !$0.1.isEmpty }.map { offer, bars in
            Self.chart(title: "Parity ratio for \(offer): material below \(v(threshold))", bars: bars, axis: axis)
        }.joined()
    }

    func counterfactualCharts() -> String {
        let perOffer = report.offers.map { offer in
            report.counterfactuals.flatMap { w -> [Bar] in
                guard let o = w.offers.first(where: { $0.offer == offer }) else { return [] }
                let verdict = report.findings.first {
                    $0.offer == offer && $0.world == w.world && $0.metric == .counterfactualFlipRate
                }?.verdict
                let kind = w.kind == .naive ? "naive flip" : w.kind == .total ? "exact twin" : "twin, mediators kept"
                return [Bar(label: "\(w.world) (\(kind)) ↑", value: o.flipUp.value, lower: o.flipUp.lower,
                            upper: o.flipUp.upper, style: Style(verdict), note: "(\(o.flipsUp) users)"),
                        Bar(label: "\(w.world) (\(kind)) ↓", value: o.flipDown.value, lower: o.flipDown.lower,
                            upper: o.flipDown.upper, style: Style(verdict), note: "(\(o.flipsDown) users)")]
            }
        }
        let axis = Axis(covering: perOffer.flatMap { $0 }, label: "share of affected users whose targeting flips")
        return zip(report.offers, perOffer).filter { !$0.1.isEmpty }.map { offer, bars in
            Self.chart(title: "Targeting flips for \(offer): twin targeted only (↑) or factual only (↓)", bars: bars,
                       axis: axis)
        }.joined()
    }

    /// Per offer and attribute, the gap at each stage (truth, data, model). With two groups the bars diverge from
    /// 0 — right of 0 favours the first group, left the second — so a reversal is a bar on the other side.
    func attributionCharts() -> String {
        let charts = report.attribution.filter { !$0.attribute.contains("×") }.map { a in
            let two = a.orientation?.count == 2
            func label(_ stage: Attribution.Stage, _ text: String) -> String {
                guard !two, let l = a.leaning(stage), let top = l.favoured, let bottom = l.leastFavoured else {
                    return text
                }
                return text + " (\(top) over \(bottom))"
            }
            return (a, [Bar(label: label(.truth, "true interest"), value: a.truthGap.value, lower: a.truthGap.lower,
                            upper: a.truthGap.upper, style: .context),
                        Bar(label: label(.observed, "observed data"), value: a.observedGap.value,
                            lower: a.observedGap.lower, upper: a.observedGap.upper, style: .context),
                        Bar(label: label(.model, "model's targeting"), value: a.modelGap.value,
                            lower: a.modelGap.lower, upper: a.modelGap.upper,
                            style: Style(chartedVerdict(a.offer, a.attribute)))])
        }
        let diverging = charts.contains { $0.0.orientation?.count == 2 }
        let shared = Axis(covering: charts.flatMap(\.1), label: "", diverging: diverging)
        return charts.map { a, bars in
            var axis = shared
            if let pair = a.orientation, pair.count == 2 {
                axis.label = "selection-rate gap: \(pair[0])'s rate − \(pair[1])'s"
                axis.sides = (left: "favours \(pair[1])", right: "favours \(pair[0])")
            } else {
                axis.label = "selection-rate gap: highest group rate − lowest"
            }
            return Self.chart(title: "Where the gap comes from: \(a.offer) by \(a.attribute)", bars: bars, axis: axis)
        }.joined()
    }

    /// Every table of the report (the same as `report.md`'s).
    func tables(_ content: ReportTables) -> String {
        content.tables.filter { $0.title != "Policy" }.map(Self.table).joined()
    }

    /// One table under its heading and intro, inside a box that scrolls sideways on a narrow screen; numeric cells
    /// right-aligned, a `verdict` column coloured by verdict (shared with `probe.html`).
    static func table(_ table: ReportTables.Table) -> String {
        var out = "<h2>\(escape(table.title))</h2>\n" + (table.intro.isEmpty ? "" : "<p>\(escape(table.intro))</p>\n")
        out += "<div class=\"scroll\"><table>\n<thead><tr>"
            + table.header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        let verdictColumn = table.header.firstIndex(of: "verdict")
        for row in table.rows {
            out += "<tr>" + row.enumerated().map { i, cell in
                var cls = table.numeric.contains(i) ? "num" : ""
                if i == verdictColumn, let verdict = Verdict(rawValue: cell) {
                    cls = "verdict " + Style(verdict).rawValue
                }
                return "<td\(cls.isEmpty ? "" : " class=\"\(cls)\"")>\(escape(cell))</td>"
            }.joined() + "</tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }

    /// The answer, first: the overall verdict, one sentence per offer (and for privacy), the policy.
    func answers() -> String {
        let answers = AuditAnswers(report)
        var out = "<section class=\"answer\">\n<h2>Answer</h2>\n<p class=\"overall\">\(Self.markup(answers.overall))</p>\n<ul>\n"
        for offer in answers.offers {
            if let headline = offer.headline {
                out += "<li><strong>\(Self.escape(offer.offer))</strong>: \(Self.markup(headline))</li>\n"
            }
        }
        if let privacy = answers.privacyHeadline {
            out += "<li><strong>Privacy</strong>: \(Self.markup(privacy))</li>\n"
        }
        out += "</ul>\n"
        if let policy = answers.policy {
            let cls = report.policy?.contains { $0.status == .violated || ($0.status == .inconclusive
                && report.inconclusiveFails == true) } == true ? "bad" : "ok"
            out += "<p class=\"\(cls)\">\(Self.escape(policy))</p>\n"
        }
        return out + "</section>\n"
    }

    /// The details behind the answer: per offer and attribute, with the tests' names and p-values.
    func details() -> String {
        let answers = AuditAnswers(report)
        var out = "<h2>Details</h2>\n"
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
            let fails = o.status == .violated || (o.status == .inconclusive && report.inconclusiveFails == true)
            let cls = fails ? "bad" : o.status == .inconclusive ? "warn" : "ok"
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

    /// The page's style sheet, shared with `probe.html`: readable at 390 px (charts drawn at full size, tables
    /// scrolling inside their own box) and at 1400 px (charts side by side).
    static let style = """
        body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 1320px; padding: 0 16px; color: #222;
          line-height: 1.45; overflow-wrap: break-word; }
        h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.8em; } h3 { font-size: 1.05em; }
        li { margin: 0.35em 0; }
        .answer { border-left: 4px solid #3f6fb5; padding: 0.2em 0 0.2em 1em; margin: 1em 0; }
        .answer h2 { margin-top: 0.2em; } .overall { font-size: 1.1em; }
        .scroll { overflow-x: auto; max-width: 100%; }
        table { border-collapse: collapse; font-size: 0.85em; }
        th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .bad { color: #b00020; font-weight: bold; } .warn { color: #a06000; } .ok { color: #1b5e20; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 0.5em 2.5em; }
        figure.chart { margin: 0.8em 0; min-width: 0; } figcaption { font-weight: bold; font-size: 0.95em; }
        figure.chart svg { display: block; width: 100%; min-width: 340px; height: auto; font-size: 12px; }
        .legend { font-size: 0.9em; } .key { white-space: nowrap; margin-right: 0.6em; }
        .key svg { display: inline; vertical-align: -1px; }
        svg .tick, svg .side { fill: #555; font-size: 11px; } svg .axislabel { fill: #333; font-size: 12px; }
        svg .grid { stroke: #e4e4e4; } svg .axis { stroke: #888; } svg .zero { stroke: #333; }
        svg .reference { stroke: #b00020; stroke-dasharray: 4 3; } svg .reflabel { fill: #b00020; font-size: 11px; }
        svg .ci { stroke: #222; stroke-width: 1.2; }
        .v-material { fill: #c62828; } .v-small { fill: #f2a900; } .v-none { fill: #2e7d32; }
        .v-inconclusive { fill: #9e9e9e; } .v-context { fill: #6f8fb8; }
        td.verdict { font-weight: bold; } td.v-material { color: #c62828; } td.v-small { color: #9a6700; }
        td.v-none { color: #2e7d32; } td.v-inconclusive { color: #666; }
        """

    func render() -> String {
        let c = report.configuration
        let content = ReportTables(report)
        let warnings = (report.warnings ?? []).map { "<p class=\"bad\"><strong>Warning:</strong> \(Self.escape($0))</p>\n" }
            .joined()
        let campaign = c.campaignRules(offers: report.offers).map(Self.escape) ?? "top \(v(c.targetShare * 100))% per\noffer"
        let legend = Self.legend(level: level)
        func section(_ charts: String) -> String { charts.isEmpty ? "" : "<div class=\"charts\">\n\(charts)</div>\n" }
        let flips = counterfactualCharts(), sources = attributionCharts()
        return Self.page(title: "Fairground audit", body: """
            <h1>Fairground audit</h1>
            \(warnings)\(answers())\(legend)<p class="about">\(Self.escape(report.subject.isEmpty ? "scores" : report.subject)) · \(report.users) users ·
            offers \(Self.escape(report.offers.joined(separator: ", "))) · campaign: \(campaign) · lists: top-\(c.k) · \(v(c.confidenceLevel * 100))% intervals · Holm over \(report.tests) tests at
            α = \(v(c.alpha)) · groups below \(c.minimumGroupSize) users flagged.</p>
            \(modelSection())\(policySection())\(details())<h2>Selection rates by group</h2>
            \(section(selectionCharts() + ratioCharts()))\(flips.isEmpty ? "" : "<h2>Counterfactual flips</h2>\n" + section(flips))\(sources.isEmpty ? "" : "<h2>Where the gaps come from</h2>\n" + section(sources))\(privacyCharts())\(tables(content))<h2>Definitions</h2>
            <ul>
            \(content.definitions.map { "<li>\(Self.escape($0))</li>" }.joined(separator: "\n"))
            </ul>

            """)
    }

    /// A self-contained page: the document head with ``style``, then `body` (which ends with a line break).
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }
}
