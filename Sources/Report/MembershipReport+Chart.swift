#if canImport(Glibc)
internal import Glibc
#endif

/// The membership report's one chart.
extension MembershipReport {
    /// The attack's ROC curve on linear axes (false-positive rate across, true-positive rate up), the chance
    /// diagonal, the point the threshold reached on the held-out half, and — for a model trained with differential
    /// privacy — the highest curve its promise allows: TPR ≤ min(e^ε·FPR + δ, 1 − e^−ε·(1 − FPR − δ)). An SVG 340
    /// units wide like the audit's charts, so its text stays readable at a phone's 390 px.
    func rocChart() -> String {
        let width = 340.0, left = 44.0, top = 12.0, plot = 280.0
        func fmt(_ d: Double) -> String { String((d * 10).rounded() / 10) }
        func x(_ fpr: Double) -> Double { left + plot * min(max(fpr, 0), 1) }
        func y(_ tpr: Double) -> Double { top + plot * (1 - min(max(tpr, 0), 1)) }
        let o = outcome, e = o.epsilon
        var svg = ""
        for i in 0...5 {
            let t = Double(i) / 5, label = i == 0 ? "0" : i == 5 ? "1" : "0.\(2 * i)"
            svg += "<line x1=\"\(fmt(x(t)))\" x2=\"\(fmt(x(t)))\" y1=\"\(fmt(top))\" y2=\"\(fmt(top + plot))\" "
                + "class=\"grid\"/>\n<line x1=\"\(fmt(left))\" x2=\"\(fmt(left + plot))\" y1=\"\(fmt(y(t)))\" "
                + "y2=\"\(fmt(y(t)))\" class=\"grid\"/>\n"
                + "<text x=\"\(fmt(x(t)))\" y=\"\(fmt(top + plot + 14))\" text-anchor=\"middle\" class=\"tick\">"
                + "\(label)</text>\n<text x=\"\(fmt(left - 5))\" y=\"\(fmt(y(t) + 4))\" text-anchor=\"end\" "
                + "class=\"tick\">\(label)</text>\n"
        }
        svg += "<line x1=\"\(fmt(left))\" x2=\"\(fmt(left + plot))\" y1=\"\(fmt(top + plot))\" y2=\"\(fmt(top + plot))\" "
            + "class=\"axis\"/>\n<line x1=\"\(fmt(left))\" x2=\"\(fmt(left))\" y1=\"\(fmt(top))\" "
            + "y2=\"\(fmt(top + plot))\" class=\"axis\"/>\n"
        // Chance: an attack that cannot tell.
        svg += "<line x1=\"\(fmt(x(0)))\" y1=\"\(fmt(y(0)))\" x2=\"\(fmt(x(1)))\" y2=\"\(fmt(y(1)))\" stroke=\"#777\" "
            + "stroke-dasharray=\"2 3\"><title>chance: TPR = FPR</title></line>\n"
        var legend: [(String, String)] = [
            ("<line x1=\"0\" y1=\"6\" x2=\"18\" y2=\"6\" stroke=\"#3f6fb5\" stroke-width=\"2.5\"/>",
             "the attack (AUC \(Self.short(o.area)))"),
            ("<line x1=\"0\" y1=\"6\" x2=\"18\" y2=\"6\" stroke=\"#777\" stroke-dasharray=\"2 3\"/>", "chance"),
        ]
        if let promised = o.promisedEpsilon, let promisedDelta = o.promisedDelta {
            let grow = exp(promised), shrink = exp(-promised)
            let points = (0...200).map { i -> String in
                let f = pow(Double(i) / 200, 2)  // denser near FPR 0, where the bound rises fastest
                let bound = min(1, grow * f + promisedDelta, 1 - shrink * (1 - f - promisedDelta))
                return "\(fmt(x(f))),\(fmt(y(bound)))"
            }
            svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#b00020\" "
                + "stroke-width=\"1.5\" stroke-dasharray=\"5 3\"><title>highest ROC an (ε = \(v(promised)), δ = "
                + "\(Self.delta(promisedDelta)))-private model allows</title></polyline>\n"
            legend.append(("<line x1=\"0\" y1=\"6\" x2=\"18\" y2=\"6\" stroke=\"#b00020\" stroke-width=\"1.5\" "
                           + "stroke-dasharray=\"5 3\"/>",
                           "most a model with the promised ε = \(v(promised)) allows"))
        }
        let curve = o.roc.map { "\(fmt(x($0.falsePositiveRate))),\(fmt(y($0.truePositiveRate)))" }
        svg += "<polyline points=\"\(curve.joined(separator: " "))\" fill=\"none\" stroke=\"#3f6fb5\" "
            + "stroke-width=\"2.5\" stroke-linejoin=\"round\"><title>the attack's ROC curve, AUC \(v(o.area))"
            + "</title></polyline>\n"
        svg += "<circle cx=\"\(fmt(x(e.falsePositiveRate)))\" cy=\"\(fmt(y(e.truePositiveRate)))\" r=\"4.5\" "
            + "fill=\"#f2a900\" stroke=\"#222\"><title>held-out half at threshold \(v(e.threshold)): TPR "
            + "\(v(e.truePositiveRate)), FPR \(v(e.falsePositiveRate))</title></circle>\n"
        legend.append(("<circle cx=\"9\" cy=\"6\" r=\"4.5\" fill=\"#f2a900\" stroke=\"#222\"/>",
                       "the chosen threshold on the held-out half"))
        var bottom = top + plot + 14
        for line in HTMLReport.wrap("false-positive rate: share of non-members flagged as members", width: 46) {
            bottom += 15
            svg += "<text x=\"\(fmt(left + plot / 2))\" y=\"\(fmt(bottom))\" text-anchor=\"middle\" class=\"axislabel\">"
                + "\(HTMLReport.escape(line))</text>\n"
        }
        svg += "<text transform=\"translate(14 \(fmt(top + plot / 2))) rotate(-90)\" text-anchor=\"middle\" "
            + "class=\"axislabel\">true-positive rate: members flagged</text>\n"
        for (symbol, label) in legend {
            bottom += 8
            svg += "<g transform=\"translate(\(fmt(left)) \(fmt(bottom)))\">\(symbol)<text x=\"24\" y=\"10\" "
                + "class=\"tick\">\(HTMLReport.escape(label))</text></g>\n"
            bottom += 10
        }
        let title = o.promisedEpsilon == nil ? "Members found against non-members flagged, at every threshold"
            : "Members found against non-members flagged, beside what the privacy promise allows"
        return "<figure class=\"chart\"><figcaption>\(HTMLReport.escape(title))</figcaption>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(fmt(width)) \(fmt(bottom + 8))\" role=\"img\" "
            + "aria-label=\"\(HTMLReport.escape(title))\">\n" + svg + "</svg></figure>\n"
    }
}
