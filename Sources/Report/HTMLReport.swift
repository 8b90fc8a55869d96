import Audit

/// `report.html`: a self-contained page (inline CSS, inline SVG, no scripts, no external resources) with three
/// charts — selection rates by group with intervals, counterfactual flip rates (exact twin beside naive flip),
/// and the gap attribution — followed by the findings table.
struct HTMLReport {
    let report: AuditReport

    init(_ report: AuditReport) { self.report = report }

    static func escape(_ s: String) -> String { JUnitReport.escape(s) }

    func v(_ x: Double?) -> String { FindingText.value(x) }

    /// One bar of a chart: a label, a value in [0, 1]-ish units, an optional interval, a colour class.
    struct Bar {
        var label: String
        var value: Double?
        var lower: Double?
        var upper: Double?
        var style: String
        var note: String = ""
    }

    /// A horizontal bar chart with interval whiskers, scaled to the largest value or interval end.
    static func chart(title: String, bars: [Bar], percent: Bool = true) -> String {
        let labelWidth = 300.0, plotWidth = 420.0, rowHeight = 22.0, top = 28.0
        let height = top + rowHeight * Double(bars.count) + 24
        let peak = max(bars.map { max($0.value ?? 0, $0.upper ?? 0) }.max() ?? 0, 1e-9)
        func x(_ v: Double) -> Double { labelWidth + plotWidth * max(0, v) / peak }
        func fmt(_ d: Double) -> String { String((d * 10).rounded() / 10) }
        func shown(_ v: Double?) -> String {
            guard let v else { return "undefined" }
            return percent ? String((v * 10_000).rounded() / 100) + "%" : FindingText.value(v)
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(fmt(labelWidth + plotWidth + 120))\" "
            + "height=\"\(fmt(height))\" role=\"img\" aria-label=\"\(escape(title))\">\n"
            + "<text x=\"4\" y=\"18\" class=\"title\">\(escape(title))</text>\n"
        for (i, bar) in bars.enumerated() {
            let y = top + rowHeight * Double(i)
            svg += "<text x=\"\(fmt(labelWidth - 6))\" y=\"\(fmt(y + 15))\" text-anchor=\"end\">"
                + "\(escape(bar.label))</text>\n"
            if let value = bar.value {
                svg += "<rect x=\"\(fmt(labelWidth))\" y=\"\(fmt(y + 4))\" width=\"\(fmt(x(value) - labelWidth))\" "
                    + "height=\"14\" class=\"\(bar.style)\"><title>\(escape(bar.label)): \(shown(value))</title></rect>\n"
                if let l = bar.lower, let u = bar.upper {
                    svg += "<line x1=\"\(fmt(x(l)))\" x2=\"\(fmt(x(u)))\" y1=\"\(fmt(y + 11))\" y2=\"\(fmt(y + 11))\" "
                        + "class=\"ci\"/>\n<line x1=\"\(fmt(x(l)))\" x2=\"\(fmt(x(l)))\" y1=\"\(fmt(y + 6))\" "
                        + "y2=\"\(fmt(y + 16))\" class=\"ci\"/>\n<line x1=\"\(fmt(x(u)))\" x2=\"\(fmt(x(u)))\" "
                        + "y1=\"\(fmt(y + 6))\" y2=\"\(fmt(y + 16))\" class=\"ci\"/>\n"
                }
            }
            let end = max(x(bar.value ?? 0), x(bar.upper ?? 0))
            svg += "<text x=\"\(fmt(end + 6))\" y=\"\(fmt(y + 15))\" class=\"value\">\(shown(bar.value))"
                + "\(bar.note.isEmpty ? "" : " " + escape(bar.note))</text>\n"
        }
        return svg + "</svg>\n"
    }

    func selectionCharts() -> String {
        var out = ""
        for offer in report.offers {
            var bars: [Bar] = []
            for f in report.findings where f.offer == offer && MetricDescriptor.named(f.metric)?.isCharted == true {
                for g in f.groups {
                    bars.append(Bar(label: "\(f.attribute): \(g.group)", value: g.estimate.value, lower: g.estimate.lower,
                                    upper: g.estimate.upper, style: g.small ? "small" : "model",
                                    note: g.small ? "(n = \(g.members), small)" : ""))
                }
            }
            out += Self.chart(title: "Selection rate for \(offer) (top \(v(report.configuration.targetShare * 100))%)",
                              bars: bars)
        }
        return out
    }

    func counterfactualCharts() -> String {
        var out = ""
        for offer in report.offers {
            var bars: [Bar] = []
            for w in report.counterfactuals {
                guard let o = w.offers.first(where: { $0.offer == offer }) else { continue }
                bars.append(Bar(label: "\(w.world) ↑", value: o.flipUp.value, lower: o.flipUp.lower, upper: o.flipUp.upper,
                                style: w.kind == .naive ? "naive" : "twin", note: "(\(o.flipsUp))"))
                bars.append(Bar(label: "\(w.world) ↓", value: o.flipDown.value, lower: o.flipDown.lower,
                                upper: o.flipDown.upper, style: w.kind == .naive ? "naive" : "twin", note: "(\(o.flipsDown))"))
            }
            if !bars.isEmpty {
                out += Self.chart(title: "Targeting flips for \(offer): twin targeted only (↑) or factual only (↓)",
                                  bars: bars)
            }
        }
        return out
    }

    func attributionCharts() -> String {
        var out = ""
        for a in report.attribution where !a.attribute.contains("×") {
            let bars = [
                Bar(label: "gap in true interest", value: a.truthGap.value, lower: a.truthGap.lower,
                    upper: a.truthGap.upper, style: "truth"),
                Bar(label: "gap in observed data", value: a.observedGap.value, lower: a.observedGap.lower,
                    upper: a.observedGap.upper, style: "data"),
                Bar(label: "gap in model targeting", value: a.modelGap.value, lower: a.modelGap.lower,
                    upper: a.modelGap.upper, style: "model"),
            ]
            out += Self.chart(title: "Selection-rate gap, \(a.offer) by \(a.attribute)", bars: bars, percent: true)
        }
        return out
    }

    func findingsTable() -> String {
        var rows = ""
        for f in report.findings {
            let verdictClass = f.verdict == .disparity ? "bad" : f.verdict == .insufficientData ? "warn" : "ok"
            rows += "<tr><td>\(Self.escape(f.view))</td><td>\(Self.escape(f.offer ?? "—"))</td>"
                + "<td>\(Self.escape(f.attribute))</td><td>\(Self.escape(f.world ?? ""))</td>"
                + "<td>\(Self.escape(f.metric))</td><td>\(Self.escape(f.convention))</td>"
                + "<td class=\"num\">\(v(f.estimate.value))</td>"
                + "<td class=\"num\">\(Self.escape(FindingText.interval(f.estimate)))</td>"
                + "<td class=\"num\">\(Self.escape(FindingText.pValue(f.adjustedPValue)))</td>"
                + "<td>\(Self.escape(f.test ?? "—"))</td>"
                + "<td class=\"\(verdictClass)\" title=\"\(Self.escape(f.reason))\">\(Self.escape(f.verdict.rawValue))</td></tr>\n"
        }
        return "<table>\n<thead><tr><th>view</th><th>offer</th><th>attribute</th><th>world</th><th>metric</th>"
            + "<th>convention</th><th>value</th><th>CI</th><th>adjusted p</th><th>test</th><th>verdict</th></tr></thead>\n"
            + "<tbody>\n\(rows)</tbody>\n</table>\n"
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
        return "<h2>Policy</h2>\n<table>\n<thead><tr><th>rule</th><th>status</th><th>detail</th></tr></thead>\n"
            + "<tbody>\n\(rows)</tbody>\n</table>\n"
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
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Fairground audit</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
            h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 2em; }
            table { border-collapse: collapse; font-size: 0.85em; width: 100%; }
            th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .bad { color: #b00020; font-weight: bold; } .warn { color: #a06000; } .ok { color: #1b5e20; }
            svg { display: block; margin: 1em 0; font-size: 12px; }
            svg .title { font-weight: bold; font-size: 13px; }
            svg .model { fill: #3f6fb5; } svg .small { fill: #b0b7c3; } svg .twin { fill: #c0504d; }
            svg .naive { fill: #9bbb59; } svg .truth { fill: #8064a2; } svg .data { fill: #f79646; }
            svg .ci { stroke: #222; stroke-width: 1.2; } svg .value { fill: #444; }
            </style>
            </head>
            <body>
            <h1>Fairground audit</h1>
            <p>\(Self.escape(report.subject.isEmpty ? "scores" : report.subject)) · \(report.users) users ·
            offers \(Self.escape(report.offers.joined(separator: ", "))) · campaign: top \(v(c.targetShare * 100))% per
            offer · lists: top-\(c.k) · \(c.bootstrapReplicates) bootstrap replicates ·
            Holm over \(report.tests) tests at α = \(v(c.alpha)).</p>
            \(modelSection())            <p class="\(disparities > 0 ? "bad" : "ok")">\(disparities) finding\(disparities == 1 ? "" : "s") of
            disparity among \(report.findings.count).</p>
            \(policySection())<h2>Selection rates by group</h2>
            \(selectionCharts())<h2>Counterfactual flips</h2>
            <p>Red: exact twins (same exogenous noise, descendants follow the attribute). Green: the naive flip
            (only the attribute changes).</p>
            \(counterfactualCharts())<h2>Where the gaps come from</h2>
            \(attributionCharts())<h2>All findings</h2>
            \(findingsTable())</body>
            </html>

            """
    }
}
