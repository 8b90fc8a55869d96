#if canImport(Glibc)
internal import Glibc
#endif
import Audit

/// The one chart `report.html` draws: horizontal bars with interval whiskers on a shared, labelled axis.
extension HTMLReport {
    /// One bar of a chart: a label, a value in [0, 1]-ish units, an optional interval, a colour class.
    struct Bar {
        var label: String
        var value: Double?
        var lower: Double?
        var upper: Double?
        var style: String
        var note: String = ""
    }

    /// A chart's value axis: shared by every chart of one metric, so equal lengths mean equal values.
    struct Axis {
        /// The axis runs from 0 to this.
        var maximum: Double
        /// What the values are, with their unit.
        var label: String
        /// Values shown as percentages.
        var percent = true
        /// The intervals' confidence level, for the whisker legend ("95%").
        var level: String
        /// Vertical reference lines: value and label.
        var references: [(value: Double, label: String)] = []

        /// An axis whose end is a round number at or above every bar's value and interval end.
        init(covering bars: [Bar], label: String, level: String, percent: Bool = true,
             references: [(Double, String)] = [], atLeast floor: Double = 0) {
            self.level = level
            let peak = max(bars.map { max($0.value ?? 0, $0.upper ?? 0) }.max() ?? 0,
                           references.map(\.0).max() ?? 0, floor, 1e-6)
            let step = Self.step(peak)
            maximum = (peak / step).rounded(.up) * step
            self.label = label
            self.percent = percent
            self.references = references.map { (value: $0.0, label: $0.1) }
        }

        /// A tick step of 1, 2, 2.5 or 5 × 10ᵏ giving at most six ticks up to `peak`.
        static func step(_ peak: Double) -> Double {
            let magnitude = pow(10, (log10(peak / 5)).rounded(.down))
            return [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { peak / $0 <= 6 } ?? 10 * magnitude
        }

        func shown(_ v: Double) -> String {
            percent ? AuditAnswers.points(v) + "%" : FindingText.value(v)
        }
    }

    /// A horizontal bar chart with interval whiskers on a labelled axis with ticks and reference lines. The
    /// SVG scales to the page width (phones included); label and value columns are sized to their text.
    static func chart(title: String, bars: [Bar], axis: Axis) -> String {
        let longest = bars.map { $0.label.count }.max() ?? 10
        let labelWidth = max(120, 7 * Double(longest) + 12), plotWidth = 420.0, rowHeight = 22.0, top = 44.0
        let valueWidth = 7 * Double((bars.map { $0.note.count }.max() ?? 0) + 10) + 10
        let width = labelWidth + plotWidth + valueWidth
        let height = top + rowHeight * Double(bars.count) + 46
        func x(_ v: Double) -> Double { labelWidth + plotWidth * min(max(0, v), axis.maximum) / axis.maximum }
        func fmt(_ d: Double) -> String { String((d * 10).rounded() / 10) }
        func shown(_ v: Double?) -> String { v.map(axis.shown) ?? "undefined" }
        let bottom = top + rowHeight * Double(bars.count)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" "
            + "width=\"\(fmt(width))\" role=\"img\" aria-label=\"\(escape(title))\">\n"
            + "<text x=\"4\" y=\"16\" class=\"title\">\(escape(title))</text>\n"
            + "<text x=\"4\" y=\"32\" class=\"legend\">whiskers: \(axis.level) confidence intervals</text>\n"
        // Ticks and grid.
        let step = Axis.step(axis.maximum)
        var tick = 0.0
        while tick <= axis.maximum * (1 + 1e-9) {
            svg += "<line x1=\"\(fmt(x(tick)))\" x2=\"\(fmt(x(tick)))\" y1=\"\(fmt(top))\" y2=\"\(fmt(bottom + 4))\" "
                + "class=\"grid\"/>\n<text x=\"\(fmt(x(tick)))\" y=\"\(fmt(bottom + 16))\" text-anchor=\"middle\" "
                + "class=\"tick\">\(axis.shown(tick))</text>\n"
            tick += step
        }
        svg += "<line x1=\"\(fmt(labelWidth))\" x2=\"\(fmt(labelWidth + plotWidth))\" y1=\"\(fmt(bottom + 4))\" "
            + "y2=\"\(fmt(bottom + 4))\" class=\"axis\"/>\n"
            + "<text x=\"\(fmt(labelWidth + plotWidth / 2))\" y=\"\(fmt(bottom + 34))\" text-anchor=\"middle\" "
            + "class=\"axislabel\">\(escape(axis.label))</text>\n"
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
                        + "y1=\"\(fmt(y + 6))\" y2=\"\(fmt(y + 16))\" class=\"ci\"><title>\(axis.level) interval "
                        + "\(shown(l))–\(shown(u))</title></line>\n"
                }
            }
            svg += "<text x=\"\(fmt(labelWidth + plotWidth + 8))\" y=\"\(fmt(y + 15))\" class=\"value\">\(shown(bar.value))"
                + "\(bar.note.isEmpty ? "" : " " + escape(bar.note))</text>\n"
        }
        for reference in axis.references {
            svg += "<line x1=\"\(fmt(x(reference.value)))\" x2=\"\(fmt(x(reference.value)))\" y1=\"\(fmt(top - 4))\" "
                + "y2=\"\(fmt(bottom + 4))\" class=\"reference\"/>\n<text x=\"\(fmt(x(reference.value) + 3))\" "
                + "y=\"\(fmt(top - 2))\" class=\"reflabel\">\(escape(reference.label))</text>\n"
        }
        return svg + "</svg>\n"
    }
}
