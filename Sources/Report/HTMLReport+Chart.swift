#if canImport(Glibc)
internal import Glibc
#endif
import Audit

/// The one chart `report.html` draws: horizontal bars with interval whiskers on a shared, labelled axis, coloured
/// by the verdict of the finding each bar belongs to (``Style``), from 0 or diverging around 0.
extension HTMLReport {
    /// A bar's colour: the verdict of its finding, or context (a value that is not itself tested).
    enum Style: String {
        /// The finding is material.
        case material = "v-material"
        /// The finding is a real but small gap.
        case small = "v-small"
        /// No material gap.
        case none = "v-none"
        /// Inconclusive.
        case inconclusive = "v-inconclusive"
        /// Not a tested value: context for the tested ones beside it.
        case context = "v-context"

        /// The colour of a finding's verdict.
        init(_ verdict: Verdict?) {
            switch verdict {
            case .material: self = .material
            case .small: self = .small
            case .noMaterialGap: self = .none
            case .inconclusive: self = .inconclusive
            case nil: self = .context
            }
        }
    }

    /// The legend every chart shares, in HTML.
    static func legend(level: String) -> String {
        let keys: [(Style, String)] = [(.material, "material gap"), (.small, "small gap"), (.none, "no material gap"),
                                       (.inconclusive, "inconclusive"), (.context, "context (not a test)")]
        return "<p class=\"legend\">Colours in every chart: " + keys.map { style, label in
            "<span class=\"key\"><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" "
                + "class=\"\(style.rawValue)\"/></svg> \(label)</span>"
        }.joined(separator: " ") + " Whiskers: \(level) confidence intervals.</p>\n"
    }

    /// One bar of a chart: a label, a value, an optional interval, a colour.
    struct Bar {
        var label: String
        var value: Double?
        var lower: Double?
        var upper: Double?
        var style: Style
        var note: String = ""
    }

    /// A chart's value axis: shared by every chart of one metric, so equal lengths mean equal values.
    struct Axis {
        /// The axis runs from this (0, or −``maximum`` for a diverging axis) …
        var minimum = 0.0
        /// … to this.
        var maximum: Double
        /// What the values are, with their unit.
        var label: String
        /// The distance between ticks (the axis's ends are ticks).
        var tickStep: Double
        /// Values shown as percentages.
        var percent = true
        /// Vertical reference lines: value and label.
        var references: [(value: Double, label: String)] = []
        /// For a diverging axis: what the left and the right of 0 mean (`favours men`, `favours women`).
        var sides: (left: String, right: String)?

        /// An axis whose end is a round number at or above every bar's value and interval end; with `diverging`,
        /// symmetric around 0.
        init(covering bars: [Bar], label: String, percent: Bool = true, references: [(Double, String)] = [],
             atLeast floor: Double = 0, diverging: Bool = false) {
            let peak = max(bars.map { max(abs($0.value ?? 0), abs($0.upper ?? 0), diverging ? abs($0.lower ?? 0) : 0) }
                .max() ?? 0, references.map(\.0).max() ?? 0, floor, 1e-6)
            let step = Self.step(diverging ? 2 * peak : peak)
            maximum = (peak / step).rounded(.up) * step
            minimum = diverging ? -maximum : 0
            tickStep = diverging ? step : Self.step(maximum)
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

    /// Splits `text` into lines of at most `width` characters at spaces (a longer word stands alone).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = String(word)
            } else {
                line += (line.isEmpty ? "" : " ") + word
            }
        }
        return lines + [line]
    }

    /// The row of each label centred at `x` (0: just above the plot, 1: a row higher, …), so that no two labels
    /// of a row overlap: an 11 px label is taken as 6.5 units a character, with 4 units between labels.
    static func labelRows(_ labels: [(x: Double, characters: Int)]) -> [Int] {
        var rows = [Int](repeating: 0, count: labels.count), ends: [Double] = []
        for i in labels.indices.sorted(by: { labels[$0].x < labels[$1].x }) {
            let half = 3.25 * Double(labels[i].characters)
            let row = ends.firstIndex { $0 + 4 <= labels[i].x - half } ?? ends.count
            if row == ends.count { ends.append(0) }
            ends[row] = labels[i].x + half
            rows[i] = row
        }
        return rows
    }

    /// A horizontal bar chart as a figure: the title as its caption (HTML, so it wraps), then an SVG 340 units
    /// wide — at a phone's 390 px it is drawn at full size, so its 11–12 px text stays readable — with each bar's
    /// label and value on a line above it, interval whiskers, ticks, reference lines and a labelled axis.
    static func chart(title: String, bars: [Bar], axis: Axis) -> String {
        let width = 340.0, left = 6.0, plot = width - 12, characters = 50
        func x(_ v: Double) -> Double { left + plot * (min(max(axis.minimum, v), axis.maximum) - axis.minimum)
            / (axis.maximum - axis.minimum) }
        func fmt(_ d: Double) -> String { String((d * 10).rounded() / 10) }
        func shown(_ v: Double?) -> String { v.map(axis.shown) ?? "undefined" }
        var body = "", y = 18.0
        // Reference labels are centred over their lines; one that would overlap a label before it (0.5 "chance" and
        // 0.6 "material" on an axis of AUCs) is raised a row.
        let rows = labelRows(axis.references.map { (x($0.value), $0.label.count) })
        y += 12 * Double(rows.max() ?? 0)
        for (reference, row) in zip(axis.references, rows) {
            body += "<text x=\"\(fmt(x(reference.value)))\" y=\"\(fmt(y - 4 - 12 * Double(row)))\" "
                + "text-anchor=\"middle\" class=\"reflabel\">\(escape(reference.label))</text>\n"
        }
        let top = y
        for bar in bars {
            let text = "\(bar.label): \(shown(bar.value))" + (bar.note.isEmpty ? "" : " \(bar.note)")
            for line in wrap(text, width: characters) {
                y += 14
                body += "<text x=\"\(fmt(left))\" y=\"\(fmt(y))\">\(escape(line))</text>\n"
            }
            y += 4
            if let value = bar.value {
                let a = x(min(0, value)), b = x(max(0, value))
                body += "<rect x=\"\(fmt(a))\" y=\"\(fmt(y))\" width=\"\(fmt(max(b - a, 0.5)))\" height=\"12\" "
                    + "class=\"\(bar.style.rawValue)\"><title>\(escape(bar.label)): \(shown(value))</title></rect>\n"
                if let l = bar.lower, let u = bar.upper {
                    body += "<line x1=\"\(fmt(x(l)))\" x2=\"\(fmt(x(u)))\" y1=\"\(fmt(y + 6))\" y2=\"\(fmt(y + 6))\" "
                        + "class=\"ci\"/>\n<line x1=\"\(fmt(x(l)))\" x2=\"\(fmt(x(l)))\" y1=\"\(fmt(y + 1))\" "
                        + "y2=\"\(fmt(y + 11))\" class=\"ci\"/>\n<line x1=\"\(fmt(x(u)))\" x2=\"\(fmt(x(u)))\" "
                        + "y1=\"\(fmt(y + 1))\" y2=\"\(fmt(y + 11))\" class=\"ci\"><title>interval "
                        + "\(shown(l))–\(shown(u))</title></line>\n"
                }
            }
            y += 18
        }
        let bottom = y
        var axisText = ""
        let ticks = Int(((axis.maximum - axis.minimum) / axis.tickStep * (1 + 1e-9)).rounded(.down))
        for i in 0...ticks {
            let tick = axis.minimum + Double(i) * axis.tickStep
            axisText += "<line x1=\"\(fmt(x(tick)))\" x2=\"\(fmt(x(tick)))\" y1=\"\(fmt(top))\" y2=\"\(fmt(bottom))\" "
                + "class=\"grid\"/>\n<text x=\"\(fmt(x(tick)))\" y=\"\(fmt(bottom + 14))\" text-anchor=\""
                + (tick <= axis.minimum ? "start" : tick >= axis.maximum * (1 - 1e-9) ? "end" : "middle")
                + "\" class=\"tick\">\(axis.shown(abs(tick) < 1e-12 ? 0 : tick))</text>\n"
        }
        for reference in axis.references {
            axisText += "<line x1=\"\(fmt(x(reference.value)))\" x2=\"\(fmt(x(reference.value)))\" y1=\"\(fmt(top))\" "
                + "y2=\"\(fmt(bottom))\" class=\"reference\"/>\n"
        }
        if axis.minimum < 0 {
            axisText += "<line x1=\"\(fmt(x(0)))\" x2=\"\(fmt(x(0)))\" y1=\"\(fmt(top))\" y2=\"\(fmt(bottom))\" "
                + "class=\"zero\"/>\n"
        }
        y = bottom + 14
        if let sides = axis.sides {
            y += 15
            axisText += "<text x=\"\(fmt(left))\" y=\"\(fmt(y))\" class=\"side\">← \(escape(sides.left))</text>\n"
                + "<text x=\"\(fmt(width - 6))\" y=\"\(fmt(y))\" text-anchor=\"end\" class=\"side\">"
                + "\(escape(sides.right)) →</text>\n"
        }
        for line in wrap(axis.label, width: characters) {
            y += 15
            axisText += "<text x=\"\(fmt(width / 2))\" y=\"\(fmt(y))\" text-anchor=\"middle\" class=\"axislabel\">"
                + "\(escape(line))</text>\n"
        }
        axisText += "<line x1=\"\(fmt(left))\" x2=\"\(fmt(left + plot))\" y1=\"\(fmt(bottom))\" y2=\"\(fmt(bottom))\" "
            + "class=\"axis\"/>\n"
        let height = y + 8
        return "<figure class=\"chart\"><figcaption>\(escape(title))</figcaption>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" "
            + "role=\"img\" aria-label=\"\(escape(title))\">\n" + axisText + body + "</svg></figure>\n"
    }
}
