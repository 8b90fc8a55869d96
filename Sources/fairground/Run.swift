import FileSupport
import ArgumentParser
import Audit
import AuditSubjects
import Pipeline
import Population
import Recommender

/// `fairground run [SCENARIO]`: generate → train → audit, end to end.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the pipeline end to end on a spec or a shipped scenario (credit-offers when none is given).",
        discussion: """
            Writes OUT/world (the generated population), OUT/model.fgm (implicit ALS on its interactions) and \
            OUT/report (the audit, with exact twins for every protected level). Exit status as for 'audit'.
            """)

    @Argument(help: "A spec file, or the name of a shipped scenario: \(Scenario.names.joined(separator: ", ")). Omitted: credit-offers.")
    var scenario: String?

    @Option(help: "The output directory.")
    var out: String = "fairground-output"

    @Option(help: "Number of users (overrides the spec).")
    var users: Int?

    @OptionGroup var training: TrainingOptions
    @OptionGroup var holdout: HoldoutOptions
    @Option(help: "Mediator held at its factual value in additional path-specific twins (repeatable).")
    var keep: [String] = []

    @OptionGroup var audit: AuditOptions
    @OptionGroup var options: ComputeOptions

    func run() throws {
        let threads = options.resolvedThreads
        let gate = try audit.gate(threads: threads)
        var spec = try scenario.map { argument throws(FairgroundError) in try PopulationSpec.load(pathOrScenario: argument) }
            ?? Scenario.defaultSpec()
        if let users { spec.users = users }
        var pipeline = EndToEndRun(spec: spec, gate: gate)
        pipeline.training = try training.configuration(seed: spec.seed)
        pipeline.holdout = holdout.holdout
        pipeline.keep = keep
        pipeline.privileged = try audit.privilegedLevels()
        pipeline.threads = threads

        let quiet = options.quiet
        let generating = ProgressLine(label: "generating users", total: spec.users, quiet: quiet)
        let writing = ProgressLine(label: "writing files", total: 5, quiet: quiet)
        let checking = ProgressLine(label: "holdout check", total: 1, quiet: quiet)
        let training = ProgressLine(label: "training", total: pipeline.training.iterations, quiet: quiet)
        let stages = ProgressLine(label: "audit", total: 1, quiet: quiet)
        pipeline.events.usersGenerated = generating.callback
        pipeline.events.worldGenerated = { _ in generating.finish() }
        if writing.isEnabled { pipeline.events.fileWritten = { _, _, _ in writing.advance(1) } }
        let holdout = self.holdout
        pipeline.events.worldWritten = { world, directory in
            writing.finish()
            report(world, directory: directory, quiet: quiet)
            if holdout.holdout > 0 { checking.stage(holdout.stage) }
        }
        pipeline.events.holdoutChecked = { check in
            checking.finish()
            HoldoutOptions.announce(check, quiet: quiet)
        }
        pipeline.events.iterationFinished = { _ in training.advance(1) }
        pipeline.events.modelWritten = { model, path in
            training.finish()
            if !quiet {
                let c = model.configuration
                print("wrote \(path): \(model.factors) factors, \(model.iterationsRun) iterations, λ \(c.regularization), "
                      + "α \(c.alpha) (\(c.confidence.name))")
                if model.holdout == nil { HoldoutOptions.announce(nil, quiet: quiet) }
            }
        }
        pipeline.events.auditStage = { stages.stage($0) }
        let outcome = try pipeline.run(out: out)
        stages.finish()
        AuditOptions.summarize(outcome.gate, alpha: gate.configuration.alpha, out: outcome.reportDirectory, quiet: quiet)
        if !quiet { print("report: \(outcome.reportDirectory)/report.html (and report.md, report.json)") }
        if !outcome.gate.passed { throw ExitCode(1) }
    }
}
