import ArgumentParser
import FileSupport
import Population

/// `fairground counterfactual DIR --set attribute=value --out DIR2`.
struct Counterfactual: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Regenerate every user of a generated directory under do(attribute = value).",
        discussion: """
            Each twin keeps its original's exogenous noise; the intervened attribute moves to the same relative \
            position inside the new level, descendants are recomputed in causal order, and interactions are \
            redrawn with the same random numbers. --keep holds mediators at their factual values.
            """)

    @Argument(help: "A directory written by 'fairground generate'.")
    var directory: String

    @Option(name: .customLong("set"), help: "An intervention attribute=value (repeatable).")
    var assignments: [String] = []

    @Option(help: "A mediator held at its factual value (repeatable).")
    var keep: [String] = []

    @Option(help: "The output directory.")
    var out: String

    @OptionGroup var options: ComputeOptions

    func validate() throws {
        if assignments.isEmpty { throw FairgroundError(file: "--set", expected: "at least one attribute=value") }
    }

    func run() throws {
        let factual = try GeneratedDirectory(path: directory)
        try factual.checkOutput(out)
        let intervention = try factual.intervention(set: assignments, keep: keep)
        try factual.generator.checkCapacity(users: factual.users.count)
        let progress = ProgressLine(label: "generating twins", total: factual.users.count, quiet: options.quiet)
        let world = factual.generate(
            intervention: intervention, threads: options.resolvedThreads, progress: progress.callback)
        progress.finish()
        try writer(for: world, options: options)
            .write(world, to: out, repairCorrelations: factual.manifest.repairCorrelations)
        if !options.quiet { print(intervention.description(in: factual.spec)) }
        report(world, directory: out, quiet: options.quiet)
    }
}
