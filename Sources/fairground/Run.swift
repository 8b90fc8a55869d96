import FileSupport
import ArgumentParser
import Audit
import Linear
import Population
import Recommender

/// `fairground run [SCENARIO]`: generate → train → audit, end to end.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the pipeline end to end on a scenario (the built-in default when none is given).",
        discussion: """
            Writes OUT/world (the generated population), OUT/model.fgm (implicit ALS on its interactions) and \
            OUT/report (the audit, with exact twins for every protected level). Exit status as for 'audit'.
            """)

    @Argument(help: "A spec file; omitted, the built-in credit-offers scenario.")
    var scenario: String?

    @Option(help: "The output directory.")
    var out: String = "fairground-output"

    @Option(help: "Number of users (overrides the spec).")
    var users: Int?

    @Option(help: "Factor dimension of the model.") var factors = 64
    @Option(help: "ALS sweeps.") var iterations = 15
    @Option(help: "Mediator held at its factual value in additional path-specific twins (repeatable).")
    var keep: [String] = []

    @OptionGroup var audit: AuditOptions
    @OptionGroup var options: ComputeOptions

    func validate() throws {
        if let users, users < 1 { throw ValidationError("--users must be at least 1, got \(users)") }
    }

    func run() throws {
        let prepared = try audit.prepare()
        var spec = try scenario.map { path throws(InputError) in try PopulationSpec.load(path: path) }
            ?? Scenario.defaultSpec()
        if let users { spec.users = users }
        let generator = try Generator(spec: spec)
        let range = 0..<spec.users
        try generator.checkCapacity(users: range.count)
        let threads = options.resolvedThreads
        let progress = ProgressLine(label: "generating users", total: range.count, quiet: options.quiet)
        let world = generator.generate(users: range, threads: threads, progress: progress.callback)
        progress.finish()
        let directory = out + "/world"
        try writer(for: world, options: options).write(world, to: directory, repairCorrelations: false)
        report(world, directory: directory, quiet: options.quiet)

        var configuration = ALSConfiguration()
        configuration.factors = factors
        configuration.iterations = iterations
        configuration.seed = spec.seed
        let training = ProgressLine(label: "training", total: iterations, quiet: options.quiet)
        let model = try ImplicitALS(configuration: configuration).train(world.interactionData(), threads: threads) { _ in
            training.advance(1)
        }.model
        training.finish()
        let modelPath = out + "/model.fgm"
        try model.write(to: modelPath)
        if !options.quiet { print("wrote \(modelPath): \(model.factors) factors, \(iterations) iterations") }

        var modelAudit = try ModelAudit(directory: directory, model: model)
        modelAudit.factualWorld = world
        modelAudit.k = audit.k
        modelAudit.keep = keep
        modelAudit.privileged = prepared.privileged
        let stages = ProgressLine(label: "audit", total: 1, quiet: options.quiet)
        let data = try modelAudit.data(threads: threads) { stages.stage($0) }
        stages.finish()
        let reportDirectory = out + "/report"
        let passed = try audit.perform(data, prepared, subject: modelPath, out: reportDirectory, threads: threads,
                                       quiet: options.quiet)
        if !options.quiet { print("report: \(reportDirectory)/report.html (and report.md, report.json)") }
        if !passed { throw ExitCode(1) }
    }
}
