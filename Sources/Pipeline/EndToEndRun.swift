internal import Audit
internal import AuditSubjects
import FileSupport
public import Population
public import Recommender
import TrainingData

/// The whole pipeline on one spec as one call — generate the world, write it, check the training configuration
/// against popularity on a holdout, train implicit ALS on it, audit the model with exact twins for every protected
/// level, gate and report — what `fairground run` does.
///
/// The world is generated once and audited from memory (the written directory is the audit's record of it).
///
/// ```swift
/// let run = EndToEndRun(spec: Scenario.defaultSpec(), gate: AuditGate(configuration: AuditConfiguration()))
/// let outcome = try run.run(out: "demo-output")
/// print(outcome.gate.result.report.materialFindings.count)
/// ```
public struct EndToEndRun: Sendable {
    /// Callbacks for progress and summaries; every one is optional.
    public struct Events: Sendable {
        /// Users generated so far (called from worker threads).
        public var usersGenerated: (@Sendable (Int) -> Void)?
        /// Generation is done (before the files are written).
        public var worldGenerated: (@Sendable (World) -> Void)?
        /// A world file written: its name, size in bytes and seconds.
        public var fileWritten: (@Sendable (String, Int, Double) -> Void)?
        /// The world is written to the directory.
        public var worldWritten: (@Sendable (World, String) -> Void)?
        /// The holdout check is done (before the model is trained on everything).
        public var holdoutChecked: (@Sendable (HoldoutCheck) -> Void)?
        /// One ALS sweep finished.
        public var iterationFinished: (@Sendable (ImplicitALS.IterationReport) -> Void)?
        /// The model file is written.
        public var modelWritten: (@Sendable (FactorModel, String) -> Void)?
        /// A stage of the audit begins.
        public var auditStage: (@Sendable (String) -> Void)?

        /// No callbacks.
        public init() {}
    }

    /// What the run produced.
    public struct Outcome: Sendable {
        /// The generated (factual) world.
        public var world: World
        /// The trained model.
        public var model: FactorModel
        /// `OUT/world`, `OUT/model.fgm` and `OUT/report`.
        public var worldDirectory: String, modelPath: String, reportDirectory: String
        /// The audit and its gate.
        public var gate: AuditGate.Outcome
    }

    /// The population spec (its `users` and `seed` are used).
    public var spec: PopulationSpec
    /// The model's training configuration; its seed defaults to the spec's.
    public var training: ALSConfiguration
    /// The share of each user's items held out to compare the configuration with popularity first (0: no check;
    /// the report then says nothing was measured).
    public var holdout = 0.2
    /// Mediators held at factual values in additional path-specific twins.
    public var keep: [String] = []
    /// Privileged level per attribute name, for AIF360's directional values.
    public var privileged: [String: String] = [:]
    /// The audit, policy and report.
    public var gate: AuditGate
    /// Worker threads; every output is identical for every value.
    public var threads = 1
    /// Progress and summaries.
    public var events = Events()

    /// A run of `spec` with the default ALS configuration (seeded by the spec) and `gate`.
    public init(spec: PopulationSpec, gate: AuditGate) {
        self.spec = spec
        self.gate = gate
        training = ALSConfiguration()
        training.seed = spec.seed
    }

    /// Runs the pipeline into `out`.
    ///
    /// - Throws: ``FairgroundError`` for a bad spec, size, configuration or policy (checked before any long work where
    ///   possible); ``FairgroundError`` when a file cannot be written.
    public func run(out: String) throws -> Outcome {
        let generator = try Generator(spec: spec)
        let range = try Generator.userRange(first: 0, count: spec.users)
        try generator.checkCapacity(users: range.count)
        try training.validate()
        try gate.configuration.validate()
        guard holdout == 0 || (holdout > 0 && holdout < 1) else {
            throw FairgroundError.parameter("holdout", expected: "0 (no check) or a held-out fraction in (0, 1)",
                                       found: "\(holdout)")
        }

        let world = generator.generate(users: range, threads: threads, progress: events.usersGenerated)
        events.worldGenerated?(world)
        let worldDirectory = out + "/world"
        var writer = WorldWriter(threads: threads)
        writer.fileWritten = events.fileWritten
        try writer.write(world, to: worldDirectory, repairCorrelations: false)
        events.worldWritten?(world, worldDirectory)

        // As `train` does: opted-out users (a spec's consent attribute) are left out of training.
        let all = world.interactionData()
        let selection = TrainingSelection()
        let interactions = selection.selected(all)
        // One trainer for the holdout check and the model, so the check stored in the file is this model's.
        let trainer = ImplicitALS(configuration: training)
        var check: HoldoutCheck? = nil
        if holdout > 0 {
            check = try HoldoutCheck.measure(interactions, trainer: trainer, fraction: holdout,
                                             seed: training.seed, k: gate.configuration.k, threads: threads)
            events.holdoutChecked?(check!)
        }
        var model = try selection.train(all, with: trainer, threads: threads,
                                        progress: events.iterationFinished).model
        model.holdout = check
        let modelPath = out + "/model.fgm"
        try model.write(to: modelPath)
        events.modelWritten?(model, modelPath)

        var audit = try ModelAudit(directory: worldDirectory, model: model)
        audit.factualWorld = world
        audit.k = gate.configuration.k
        audit.keep = keep
        audit.privileged = privileged
        let stage = events.auditStage
        let data = try audit.data(threads: threads) { stage?($0) }
        var gate = self.gate
        gate.threads = threads
        let reportDirectory = out + "/report"
        let outcome = try gate.run(data, subject: modelPath, writingTo: reportDirectory) { stage?($0) }
        return Outcome(world: world, model: model, worldDirectory: worldDirectory, modelPath: modelPath,
                       reportDirectory: reportDirectory, gate: outcome)
    }
}
