import Statistics
import Audit
public import AuditSubjects
import FileSupport

/// The inference probes' report: `probe.json` (every probe with its AUC, interval, p-values and verdict) and
/// `probe.md` (the answer first — which traits the model or the data reveal — then the table), written as one
/// commit into a directory.
public struct ProbeReport: Sendable {
    /// What was probed, for the reader.
    public struct Context: Codable, Sendable {
        /// The world's directory.
        public var world: String
        /// Where the user factors came from (a `.npy` file or a model file).
        public var factors: String
        /// Folds, seed, λ, confidence level and family-wise α.
        public var folds: Int, seed: UInt64, regularization: Double, level: Double, alpha: Double

        /// Creates a context.
        public init(world: String, factors: String, probe: InferenceProbe, alpha: Double) {
            self.world = world
            self.factors = factors
            folds = probe.folds
            seed = probe.seed
            regularization = probe.regularization
            level = probe.level
            self.alpha = alpha
        }
    }

    /// The context.
    public var context: Context
    /// The probes.
    public var findings: [TraitInference.Finding]

    /// Creates a report.
    public init(context: Context, findings: [TraitInference.Finding]) {
        self.context = context
        self.findings = findings
    }

    struct Document: Encodable {
        var format = "fairground-probe"
        var formatVersion = 1
        var context: Context
        var findings: [TraitInference.Finding]
    }

    /// `probe.json`.
    public func jsonBytes() throws(FairgroundError) -> [UInt8] {
        try JSONOutput.bytes(Document(context: context, findings: findings), snakeCase: true, what: "probe.json")
    }

    /// `probe.md`: the answer in sentences, then one row per probe.
    public func markdown() -> String {
        let v = FindingText.value, p = FindingText.pValue
        let percent = "\(Int((context.level * 100).rounded()))%"
        var out = "# What the user factors and the data reveal\n\n"
        let revealing = findings.filter(\.reveals)
        if revealing.isEmpty {
            out += "No trait is predictable beyond chance from any source (Holm over \(findings.count) probes at "
                + "α = \(v(context.alpha))).\n\n"
        } else {
            for f in revealing {
                let o = f.outcome
                out += "- **\(f.source == "user_factors" ? "The user factors" : "The \(f.source)") reveal "
                    + "\(f.attribute) = \(f.trait)**: AUC \(v(o.auc)) [\(v(o.low)), \(v(o.high))] (\(percent) interval; "
                    + "0.5 is chance), p \(p(o.pValue)), Holm p \(p(f.holmPValue)); \(o.positives) with the trait, "
                    + "\(o.negatives) without.\n"
            }
            out += "\n"
        }
        out += "Each AUC is of cross-fitted scores: an L2 logistic regression (λ = \(v(context.regularization))) fitted on "
            + "\(context.folds - 1) of \(context.folds) folds (seed \(context.seed)) scores the users of the last; its test "
            + "is one-sided against 0.5 (DeLong's standard error), Holm-corrected over the probes. User factors: "
            + "\(context.factors); world: \(context.world).\n\n"
        out += "| attribute | trait | source | AUC | \(percent) interval | p | Holm p | verdict |\n"
        out += "|---|---|---|---:|---|---:|---:|---|\n"
        for f in findings {
            let o = f.outcome
            out += "| \(f.attribute) | \(f.trait.replacing("|", with: "\\|")) | \(f.source) | \(v(o.auc)) | "
                + "[\(v(o.low)), \(v(o.high))] | \(p(o.pValue)) | \(p(f.holmPValue)) | "
                + (f.reveals ? "reveals" : "not shown") + " |\n"
        }
        return out
    }

    /// Writes `probe.json` and `probe.md` into `directory`, committed as one unit.
    ///
    /// - Throws: ``FairgroundError`` when the files cannot be written.
    public func write(to directory: String) throws(FairgroundError) {
        let output = try StagedOutput(directory: directory)
        let json = try output.open("probe.json")
        try json.write(jsonBytes())
        try json.close()
        let md = try output.open("probe.md")
        try md.write(markdown())
        try md.close()
        try output.commit()
    }
}
