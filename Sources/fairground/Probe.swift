import ArgumentParser
import Audit
import AuditSubjects
import FileSupport
import Population
import Recommender
import Report
import TrainingData

/// `fairground probe DIR --factors user_factors.npy --out REPORT`.
struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "How well protected and sensitive traits can be predicted from user factors (any model's) and from the raw interactions.",
        discussion: """
            Cross-fitted L2 logistic regression per trait and source, scored by AUC with an interval and a one-sided \
            test against 0.5, Holm-corrected. Rows of --factors are the users of DIR, in order (e.g. a PyTorch or \
            Spark model's embeddings saved with numpy.save). Each probe's verdict: material (shown above chance and \
            above --material), small, none or inconclusive. Writes probe.html, probe.md and probe.json (the \
            audit's inference_auc findings).
            """)

    @Argument(help: "A generated directory (its users' attributes and interactions).") var world: String
    @Option(help: "User factors as a 2-D float32/float64 .npy file, one row per user of the directory.")
    var factors: String?
    @Option(help: "Instead of --factors: a model file whose user factors to probe.") var model: String?
    @Option(help: "Attributes to probe (comma-separated). Default: every protected or sensitive attribute.")
    var attributes: String?
    @Option(help: "Cross-fitting folds.") var folds = 5
    @Option(help: "Seed of the folds.") var probeSeed: UInt64 = 0
    @Option(help: "The L2 penalty λ of the logistic regressions (scikit-learn's C = 1/λ).") var regularization = 1.0
    @Option(help: "Confidence level of the intervals.") var confidence = 0.95
    @Option(help: "The AUC above which a probe is material (the audit's inference_auc threshold).")
    var material = MetricID.inferenceAUC.descriptor.materiality.threshold
    @Option(help: "The output directory (probe.html, probe.md, probe.json).") var out: String
    @OptionGroup var options: ComputeOptions

    func validate() throws {
        guard (factors == nil) != (model == nil) else { throw FairgroundError(file: "--factors/--model", expected: "exactly one of them") }
        guard (2...100).contains(folds) else { throw FairgroundError(file: "--folds", expected: "from 2 to 100 folds", found: "\(folds)") }
        guard regularization > 0, regularization.isFinite else {
            throw FairgroundError(file: "--regularization", expected: "a positive number", found: "\(regularization)")
        }
        guard confidence > 0, confidence < 1 else { throw FairgroundError(file: "--confidence", expected: "a level in (0, 1)", found: "\(confidence)") }
        do { try Materiality(scale: .auc, threshold: material).validate(field: "materiality") } catch {
            throw CommandLineFlags.relocated(error)
        }
    }

    func run() throws {
        let directory = try GeneratedDirectory(path: world)
        let source = factors ?? model!
        let matrix = try factors.map { path throws in try NumPyMatrix.read(path: path) }
            ?? FactorModel.read(path: model!).userFactors
        let world = directory.generate(intervention: nil, threads: options.resolvedThreads)
        var inference = TraitInference(world: world)
        inference.probe.folds = folds
        inference.probe.seed = probeSeed
        inference.probe.regularization = regularization
        inference.probe.level = confidence
        inference.threads = options.resolvedThreads
        inference.attributes = attributes.map { $0.split(separator: ",").map(String.init) } ?? []
        inference.materiality.threshold = material
        let findings = try inference.run(sources: [("user_factors", matrix)])
        let report = ProbeReport(context: .init(world: self.world, factors: source, probe: inference.probe,
                                                alpha: inference.alpha, materiality: inference.materiality),
                                 findings: findings)
        try report.write(to: out)
        if !options.quiet {
            func named(_ f: Finding) -> String {
                "\(f.attribute) = \(f.trait ?? "") from \(f.source ?? "") (AUC \(FindingText.value(f.estimate.value)))"
            }
            let material = findings.filter { $0.verdict == .material }, small = findings.filter { $0.verdict == .small }
            let counts = Verdict.allCases.map { v in "\(findings.filter { $0.verdict == v }.count) \(v.rawValue)" }
            print("\(material.count) of \(findings.count) probes material (AUC above \(FindingText.value(self.material)))"
                  + (material.isEmpty ? "" : ": " + material.map(named).joined(separator: "; ")))
            if !small.isEmpty { print("slightly predictable (small): " + small.map(named).joined(separator: "; ")) }
            print("verdicts: " + counts.joined(separator: ", "))
            print("report: \(out)/probe.html (and probe.md, probe.json)")
        }
    }
}
