#if canImport(Glibc)
internal import Glibc
#endif
public import FileSupport
public import Privacy

/// The membership attack's report, written as one commit into a directory: `report.json` (the attack's
/// ``Privacy/MembershipAttack/Outcome`` under `result`, with what was attacked under `context`), `report.md` and
/// `report.html` — the answer first (can the attack tell members from non-members, and what ε does that prove
/// against the model's promise), then one chart (the attack's ROC curve against the bound TPR ≤ e^ε·FPR + δ of
/// the promise, when there is one), then the figures.
///
/// ```swift
/// let report = MembershipReport(context: .init(members: "world", nonMembers: "fresh", model: "model.bin"),
///                               outcome: outcome)
/// try report.write(to: "attack")
/// ```
public struct MembershipReport: Sendable {
    /// What was attacked, for the reader.
    public struct Context: Codable, Sendable, Equatable {
        /// The members' world (the directory the model was trained on).
        public var members: String
        /// The non-members' world.
        public var nonMembers: String
        /// The model file.
        public var model: String
        /// The scenario both worlds come from, when known.
        public var scenario: String?

        /// Creates a context.
        public init(members: String, nonMembers: String, model: String, scenario: String? = nil) {
            self.members = members
            self.nonMembers = nonMembers
            self.model = model
            self.scenario = scenario
        }
    }

    /// The context.
    public var context: Context
    /// What the attack found.
    public var outcome: MembershipAttack.Outcome

    /// Creates a report.
    public init(context: Context, outcome: MembershipAttack.Outcome) {
        self.context = context
        self.outcome = outcome
    }

    struct Document: Encodable {
        var format = "fairground-membership-attack"
        var formatVersion = 1
        var context: Context
        var result: MembershipAttack.Outcome
    }

    /// `report.json`: `format`, `format_version`, `context` and `result` (snake case; ROC points, the AUC's
    /// interval and the empirical ε with its counts and Clopper–Pearson bounds).
    ///
    /// - Throws: ``FileSupport/FairgroundError`` when a value cannot be encoded.
    public func jsonBytes() throws(FairgroundError) -> [UInt8] {
        try JSONOutput.bytes(Document(context: context, result: outcome), snakeCase: true, what: "report.json")
    }

    // MARK: - The answer

    /// Four decimals, as every report's tables.
    func v(_ x: Double?) -> String { FindingText.value(x) }

    /// Two decimals, for the sentences (`0.83`).
    static func short(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        let r = (x * 100).rounded() / 100
        var s = "\(r)"
        if let dot = s.firstIndex(of: "."), s.distance(from: dot, to: s.endIndex) == 2 { s += "0" }
        return s
    }

    /// δ as the reports show it (`1e-05` → `1e-5`).
    static func delta(_ d: Double) -> String {
        let exponent = log10(d)
        if abs(exponent - exponent.rounded()) < 1e-12, exponent < -2 { return "1e\(Int(exponent.rounded()))" }
        return FindingText.value(d)
    }

    /// The confidence level: `95%`.
    var level: String {
        let percent = outcome.level * 100
        return (percent == percent.rounded() ? "\(Int(percent))" : v(percent)) + "%"
    }

    /// The answer in plain words (markdown `**bold**`): whether the attack tells members apart, then what ε that
    /// proves against the promise.
    func answers() -> (overall: String, sentences: [String]) {
        let o = outcome, e = o.epsilon
        let auc = "AUC \(Self.short(o.area)) (\(level) interval \(Self.short(o.lower))–\(Self.short(o.upper)); 0.5 is "
            + "chance)"
        var overall: String
        if o.tellsMembersApart {
            overall = "**The attack tells members from non-members** with \(auc): the model leaks who it was trained on."
        } else if o.upper < 0.5 {
            overall = "**The attack scores members below non-members**: \(auc). A real model does not explain the "
                + "histories it was trained on worse than others: check that the model was trained on these members."
        } else {
            overall = "The attack cannot tell members from non-members: \(auc) — no evidence that the model leaks who "
                + "it was trained on, at this sample size."
        }
        let bound = "empirical ε ≥ \(Self.short(e.value)) (δ = \(Self.delta(e.delta)))"
        if let promised = o.promisedEpsilon {
            if o.breaksPromise {
                overall += " **Its \(bound) exceeds the promised ε = \(v(promised))**: the private training's "
                    + "implementation or its accounting is wrong."
            } else {
                overall += " Its \(bound) stays below the promised ε = \(v(promised)): the attack found nothing the "
                    + "promise rules out."
            }
        } else if e.value > 0 {
            overall += " Its \(bound): no differentially private training could have promised a smaller ε for a model "
                + "that leaks this much."
        } else {
            overall += " It proves no lower bound on ε above 0 (at δ = \(Self.delta(e.delta)))."
        }
        var sentences: [String] = []
        switch o.variant {
        case .factors:
            sentences.append("**What the attacker knows**: each user's history and the released item factors with the "
                + "model's fold-in rule. The score folds the user in and measures the share of their fold-in loss the "
                + "item factors explain (the confidence-weighted mean folded-in score of their own items; 1: every item "
                + "predicted perfectly).")
        case .lists:
            sentences.append("**What the attacker knows**: each user's history and the top-\(o.listLength ?? 0) list the "
                + "service shows them (everyone's history folded into the released item factors, as a service serves a "
                + "user whose history it holds). The score is the share of the list the history fills, out of "
                + "min(K, history length).")
        }
        sentences.append("**The sample**: \(o.members) members and \(o.nonMembers) non-members, drawn by seed \(o.seed) "
            + "from the \(o.eligibleMembers) members and \(o.eligibleNonMembers) non-members that could be scored "
            + "(users with an interaction; members the model has factors for).")
        let tpr = "\(e.truePositives) of \(e.evaluationMembers) members (TPR \(Self.short(e.truePositiveRate)), at "
            + "least \(Self.short(e.truePositiveRateLower)))"
        let fpr = "\(e.falsePositives) of \(e.evaluationNonMembers) non-members (FPR \(Self.short(e.falsePositiveRate)), "
            + "at most \(Self.short(e.falsePositiveRateUpper)))"
        sentences.append("**The bound**: the threshold (score ≥ \(v(e.threshold))) was chosen on one seeded half of "
            + "the users and applied to the other half, where it flagged \(tpr) and \(fpr) — Clopper–Pearson bounds, "
            + "together at \(level). An (ε, δ)-private model allows at most TPR ≤ e^ε·FPR + δ (and 1 − FPR ≤ e^ε·(1 − TPR) + δ), so ε ≥ "
            + "\(v(e.value)) with δ = \(Self.delta(e.delta)) (\(Self.deltaWords(e.deltaSource))).")
        if let promised = o.promisedEpsilon, let promisedDelta = o.promisedDelta, e.delta < promisedDelta {
            sentences.append("The bound is at δ = \(Self.delta(e.delta)), below the promised δ = "
                + "\(Self.delta(promisedDelta)): the promise of ε = \(v(promised)) does not cover that δ, so it cannot "
                + "be checked against this bound; rerun without --delta.")
        }
        return (overall, sentences)
    }

    /// Where δ came from, in words.
    static func deltaWords(_ source: EmpiricalEpsilon.DeltaSource) -> String {
        switch source {
        case .given: "as given"
        case .model: "the model's promised δ"
        case .default: "the default: the model promises none"
        }
    }

    /// The figures, one row each.
    var table: ReportTables.Table {
        let o = outcome, e = o.epsilon
        var rows: [[String]] = [
            ["attacker", o.variant == .factors ? "item factors and fold-in rule" : "top-\(o.listLength ?? 0) lists"],
            ["members / non-members sampled", "\(o.members) / \(o.nonMembers)"],
            ["members / non-members that could be scored", "\(o.eligibleMembers) / \(o.eligibleNonMembers)"],
            ["AUC", v(o.area)],
            ["\(level) interval (DeLong)", "[\(v(o.lower)), \(v(o.upper))]"],
            ["standard error", v(o.standardError)],
            ["p (AUC = 0.5, one-sided)", FindingText.pValue(o.pValue)],
            ["threshold (calibration half)", v(e.threshold)],
            ["calibration members / non-members", "\(e.calibrationMembers) / \(e.calibrationNonMembers)"],
            ["evaluation members flagged", "\(e.truePositives) of \(e.evaluationMembers)"],
            ["evaluation non-members flagged", "\(e.falsePositives) of \(e.evaluationNonMembers)"],
            ["TPR (Clopper–Pearson lower bound)", "\(v(e.truePositiveRate)) (≥ \(v(e.truePositiveRateLower)))"],
            ["FPR (Clopper–Pearson upper bound)", "\(v(e.falsePositiveRate)) (≤ \(v(e.falsePositiveRateUpper)))"],
            ["δ", "\(Self.delta(e.delta)) (\(Self.deltaWords(e.deltaSource)))"],
            ["empirical ε (lower bound, \(level))", v(e.value)],
        ]
        if let promised = o.promisedEpsilon, let promisedDelta = o.promisedDelta {
            rows.append(["promised (ε, δ)", "(\(v(promised)), \(Self.delta(promisedDelta)))"])
        } else {
            rows.append(["promised (ε, δ)", "none: trained without differential privacy"])
        }
        return ReportTables.Table(title: "The attack in figures",
                                  intro: "Seed \(o.seed). Members: \(context.members); non-members: "
                                      + "\(context.nonMembers); model: \(context.model).",
                                  header: ["figure", "value"], rows: rows, numeric: [])
    }

    /// The answer as plain text for a terminal (the overall sentence without markup).
    public var summary: String { answers().overall.replacing("**", with: "") }

    // MARK: - Files

    /// `report.md`: the answer, the sentences, then the figures.
    public func markdown() -> String {
        let answer = answers()
        var out = "# Can the model tell who it was trained on?\n\n\(answer.overall)\n\n"
        out += answer.sentences.map { "- \($0)\n" }.joined() + "\n"
        let t = table
        out += "## \(t.title)\n\n\(t.intro)\n\n"
        func cell(_ s: String) -> String { s.replacing("|", with: "\\|").replacing("\n", with: " ") }
        out += "| " + t.header.map(cell).joined(separator: " | ") + " |\n|---|---|\n"
        for row in t.rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
        return out
    }

    /// `report.html`: a self-contained page in the audit report's style — the answer, the ROC chart, the sentences
    /// behind the answer, the figures.
    public func html() -> String {
        let answer = answers()
        let e = HTMLReport.escape
        return HTMLReport.page(title: "Fairground membership attack", body: """
            <h1>Can the model tell who it was trained on?</h1>
            <section class="answer">
            <h2>Answer</h2>
            <p class="overall">\(HTMLReport.markup(answer.overall))</p>
            </section>
            <p class="about">Members \(e(context.members)) · non-members \(e(context.nonMembers)) · model \(e(context.model))\(context.scenario.map { " · scenario \(e($0))" } ?? "") · \(outcome.variant.rawValue) attack · seed \(outcome.seed) · \(level) intervals.</p>
            <h2>The attack's ROC curve</h2>
            <div class="charts">
            \(rocChart())</div>
            <ul>
            \(answer.sentences.map { "<li>\(HTMLReport.markup($0))</li>" }.joined(separator: "\n"))
            </ul>
            \(HTMLReport.table(table))
            """)
    }

    /// Writes `report.json`, `report.md` and `report.html` into `directory`, committed as one unit.
    ///
    /// - Throws: ``FileSupport/FairgroundError`` when the files cannot be written.
    public func write(to directory: String) throws(FairgroundError) {
        let output = try StagedOutput(directory: directory)
        let json = try output.open("report.json")
        try json.write(jsonBytes())
        try json.close()
        for (name, text) in [("report.md", markdown()), ("report.html", html())] {
            let file = try output.open(name)
            try file.write(text)
            try file.close()
        }
        try output.commit()
    }
}
