public import Audit
import AuditSubjects
public import FileSupport
public import Statistics

/// The inference probes' report, written as one commit into a directory: `probe.json` (every probe as an
/// `inference_auc` finding, the shape of `report.json`'s: AUC, interval, p-values, verdict, reason), `probe.md`
/// and `probe.html` (the answer first — which traits the model or the data reveal, and how much — then, in the
/// page, the shared legend and a chart of the AUCs, then the table).
///
/// `probe.json` format 2: `findings` are ``Audit/Finding`` values (`metric`, `estimate`, `verdict`, `holm_p_value`,
/// `materiality`, `source`, `trait`, …); format 1's `outcome` and `reveals` are gone.
public struct ProbeReport: Sendable {
    /// What was probed, for the reader.
    public struct Context: Codable, Sendable {
        /// The world's directory.
        public var world: String
        /// Where the user factors came from (a `.npy` file or a model file).
        public var factors: String
        /// Folds, seed, λ, confidence level and family-wise α.
        public var folds: Int, seed: UInt64, regularization: Double, level: Double, alpha: Double
        /// The AUC above which a probe is material.
        public var materiality: Double

        /// Creates a context.
        public init(world: String, factors: String, probe: InferenceProbe, alpha: Double,
                    materiality: Materiality = MetricID.inferenceAUC.descriptor.materiality) {
            self.world = world
            self.factors = factors
            folds = probe.folds
            seed = probe.seed
            regularization = probe.regularization
            level = probe.level
            self.alpha = alpha
            self.materiality = materiality.threshold
        }
    }

    /// The context.
    public var context: Context
    /// The probes: `inference_auc` findings (``TraitInference/run(sources:)``).
    public var findings: [Finding]

    /// Creates a report.
    public init(context: Context, findings: [Finding]) {
        self.context = context
        self.findings = findings
    }

    struct Document: Encodable {
        var format = "fairground-probe"
        var formatVersion = 2
        var context: Context
        var findings: [Finding]
    }

    /// `probe.json`.
    public func jsonBytes() throws(FairgroundError) -> [UInt8] {
        try JSONOutput.bytes(Document(context: context, findings: findings), snakeCase: true, what: "probe.json")
    }

    // MARK: - The answer

    func v(_ x: Double?) -> String { FindingText.value(x) }

    /// The confidence level as the reports show it: `95%`.
    var level: String {
        let percent = context.level * 100
        return (percent == percent.rounded() ? "\(Int(percent))" : v(percent)) + "%"
    }

    /// A source in words: `the user factors`, `the raw interactions` (without `the` for a label), or its name.
    static func source(_ name: String?, article: Bool = true) -> String {
        let the = article ? "the " : ""
        switch name {
        case "user_factors": return the + "user factors"
        case "interactions": return the + "raw interactions"
        default: return name ?? "an unnamed source"
        }
    }

    /// `attribute = trait`.
    static func trait(_ f: Finding) -> String { "\(f.attribute) = \(f.trait ?? "")" }

    /// The answer in plain words (markdown `**bold**`): the run in one sentence, then, most serious first, one
    /// sentence per material probe and per small one, one for the probes that show no material inference and
    /// one for the inconclusive ones.
    func answers() -> (overall: String, sentences: [String]) {
        let threshold = v(context.materiality)
        let material = findings.filter { $0.verdict == .material }
        let counts = Verdict.allCases.map { verdict in "\(findings.filter { $0.verdict == verdict }.count) \(verdict.rawValue)" }
            .joined(separator: ", ")
        let overall = (material.isEmpty
            ? "No trait is materially predictable from any source (an AUC above \(threshold) would be material)."
            : "\(material.count) of \(findings.count) probes find a trait **materially predictable** (an AUC above "
                + "\(threshold)).") + " Verdicts: \(counts)."
        func interval(_ f: Finding) -> String {
            guard let lo = f.estimate.lower, let hi = f.estimate.upper else { return "no interval" }
            return "\(level) interval \(v(lo)) to \(v(hi))"
        }
        func evidence(_ f: Finding) -> String {
            let sizes = f.groups.count == 2 ? "; \(f.groups[0].members) with the trait, \(f.groups[1].members) without" : ""
            return "\(f.test?.rawValue ?? "no") test, Holm-adjusted p \(FindingText.pValue(f.holmPValue))\(sizes)"
        }
        func brief(_ f: Finding) -> String {
            let what = "\(Self.trait(f)) from \(Self.source(f.source))"
            guard f.estimate.value != nil else { return "\(what) (\(f.undefinedReason ?? "undefined"))" }
            return "\(what) (AUC \(v(f.estimate.value)), \(interval(f)))"
        }
        var sentences: [String] = []
        for f in material {
            sentences.append("**\(Self.trait(f)) can be predicted from \(Self.source(f.source))**: AUC "
                + "\(v(f.estimate.value)) (\(interval(f)); 0.5 is chance) — **material**, above \(threshold) "
                + "(\(evidence(f))).")
        }
        for f in findings where f.verdict == .small {
            sentences.append("\(Self.trait(f)) can be predicted from \(Self.source(f.source)), **but only slightly**: "
                + "AUC \(v(f.estimate.value)) (\(interval(f)); 0.5 is chance) — small: above chance, but at most "
                + "\(threshold) (\(evidence(f))).")
        }
        func listed(_ group: [Finding]) -> String {
            let shown = group.prefix(8).map(brief).joined(separator: "; ")
            return shown + (group.count > 8 ? "; and \(group.count - 8) more (see the table)" : "")
        }
        let none = findings.filter { $0.verdict == .noMaterialGap }
        if !none.isEmpty {
            sentences.append("**No material inference**: \(listed(none)) — not shown above chance, and each interval "
                + "lies at or below \(threshold).")
        }
        let inconclusive = findings.filter { $0.verdict == .inconclusive }
        if !inconclusive.isEmpty {
            sentences.append("**Inconclusive**: \(listed(inconclusive)) — not shown above chance, but a material AUC "
                + "(above \(threshold)) is not ruled out.")
        }
        return (overall, sentences)
    }

    /// What each verdict means for a probe.
    var verdicts: String {
        let t = v(context.materiality)
        return "What the verdicts mean: **material** — the AUC is shown above 0.5 (Holm over the \(findings.count) probes at "
            + "α = \(v(context.alpha))) and is above \(t); **small** — shown above 0.5, but at most \(t); **none** — "
            + "not shown, and the whole interval lies at or below \(t); **inconclusive** — not shown, but the interval "
            + "reaches above \(t) (or the AUC is undefined)."
    }

    /// How each AUC was obtained.
    var method: String {
        "Each AUC is of cross-fitted scores: an L2 logistic regression (λ = \(v(context.regularization))) fitted on "
            + "\(context.folds - 1) of \(context.folds) folds (seed \(context.seed)) scores the users of the last; its "
            + "test is one-sided against 0.5 (DeLong's standard error), Holm-corrected over the probes. User factors: "
            + "\(context.factors); world: \(context.world)."
    }

    /// One row per probe, in the run's order.
    var table: ReportTables.Table {
        ReportTables.Table(
            title: "Every probe", intro: method,
            header: ["attribute", "trait", "source", "AUC", "\(level) interval", "p", "Holm p", "with / without",
                     "verdict"],
            rows: findings.map { f in
                [f.attribute, f.trait ?? "", f.source ?? "", v(f.estimate.value), FindingText.interval(f.estimate),
                 FindingText.pValue(f.pValue), FindingText.pValue(f.holmPValue),
                 f.groups.count == 2 ? "\(f.groups[0].members) / \(f.groups[1].members)" : "—", f.verdict.rawValue]
            },
            numeric: [3, 4, 5, 6, 7])
    }

    // MARK: - Files

    /// `probe.md`: the answer in sentences, then one row per probe.
    public func markdown() -> String {
        let answer = answers()
        var out = "# What the user factors and the data reveal\n\n\(answer.overall)\n\n"
        out += answer.sentences.map { "- \($0)\n" }.joined() + (answer.sentences.isEmpty ? "" : "\n")
        out += verdicts + "\n\n" + method + "\n\n"
        let t = table
        func cell(_ s: String) -> String {
            s.replacing("|", with: "\\|").replacing("\n", with: " ").replacing("\r", with: " ")
        }
        out += "| " + t.header.map(cell).joined(separator: " | ") + " |\n"
        out += "|" + t.header.indices.map { t.numeric.contains($0) ? "---:|" : "---|" }.joined() + "\n"
        for row in t.rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
        return out
    }

    /// `probe.html`: a self-contained page in the audit report's style — the answer first, the shared legend, one
    /// chart of the AUCs (bars coloured by verdict, reference lines at 0.5 and the materiality threshold), the
    /// verdicts, then the table.
    public func html() -> String {
        let answer = answers()
        let bars = findings.map { f in
            HTMLReport.Bar(label: "\(Self.trait(f)) from \(Self.source(f.source, article: false))",
                           value: f.estimate.value, lower: f.estimate.lower, upper: f.estimate.upper,
                           style: HTMLReport.Style(f.verdict))
        }
        var axis = HTMLReport.Axis(covering: [], label: "AUC of a cross-fitted probe predicting the trait (0.5: nothing revealed)",
                                   percent: false,
                                   references: [(0.5, "chance"), (context.materiality, "material")], atLeast: 1)
        axis.maximum = 1
        let chart = bars.isEmpty ? ""
            : "<div class=\"charts\">\n" + HTMLReport.chart(title: "How well each trait can be predicted, by source",
                                                              bars: bars, axis: axis) + "</div>\n"
        let e = HTMLReport.escape
        return HTMLReport.page(title: "Fairground probe", body: """
            <h1>What the user factors and the data reveal</h1>
            <section class="answer">
            <h2>Answer</h2>
            <p class="overall">\(HTMLReport.markup(answer.overall))</p>
            \(answer.sentences.isEmpty ? "" : "<ul>\n" + answer.sentences.map { "<li>\(HTMLReport.markup($0))</li>\n" }.joined() + "</ul>\n")</section>
            \(HTMLReport.legend(level: level))<p class="about">World \(e(context.world)) · user factors \(e(context.factors)) · \(findings.count) probes · \(level) intervals · Holm over the probes at α = \(v(context.alpha)) · material above an AUC of \(v(context.materiality)).</p>
            <h2>AUC by trait and source</h2>
            \(chart)<p>\(HTMLReport.markup(verdicts))</p>
            \(HTMLReport.table(table))
            """)
    }

    /// Writes `probe.json`, `probe.md` and `probe.html` into `directory`, committed as one unit.
    ///
    /// - Throws: ``FairgroundError`` when the files cannot be written.
    public func write(to directory: String) throws(FairgroundError) {
        let output = try StagedOutput(directory: directory)
        let json = try output.open("probe.json")
        try json.write(jsonBytes())
        try json.close()
        for (name, text) in [("probe.md", markdown()), ("probe.html", html())] {
            let file = try output.open(name)
            try file.write(text)
            try file.close()
        }
        try output.commit()
    }
}
