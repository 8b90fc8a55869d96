import FileSupport
import ArgumentParser
import Recommender
import TrainingData

/// `fairground train DATA --out MODEL`.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an implicit-feedback ALS model on a generated directory, a .mtx or a user,item,weight .csv.",
        discussion: "Prints one line per iteration; the model file is written atomically.")

    @Argument(help: "A generated directory, a Matrix Market file or a CSV of user,item,weight.")
    var data: String

    @Option(help: "The model file to write.")
    var out: String

    @Option(help: "Factor dimension.") var factors = 64
    @Option(help: "Alternating sweeps.") var iterations = 15
    @Option(help: "L2 regularisation λ.") var regularization: Float = 0.05
    @Option(help: "Confidence scale α.") var alpha: Float = 1
    @Option(help: "Confidence convention: one-plus-alpha (c = 1 + αr) or alpha (c = αr, as in implicit).")
    var confidence = ALSConfiguration.Confidence.onePlusAlpha
    @Option(help: "Row solver.") var solver = SolverName.cg
    @Option(help: "Conjugate-gradient steps per row.") var cgSteps = 3
    @Option(help: "Seed of the initial factors.") var seed: UInt64 = 0
    @Flag(help: "Compute the training loss after each iteration.") var loss = false
    @Flag(help: "Print a JSON summary instead of text.") var json = false
    @OptionGroup var options: ComputeOptions

    func run() throws {
        var config = ALSConfiguration()
        config.factors = factors
        config.iterations = iterations
        config.regularization = regularization
        config.alpha = alpha
        config.seed = seed
        config.computeLoss = loss
        config.confidence = confidence
        config.solver = solver == .cg ? .conjugateGradient(steps: cgSteps) : .cholesky
        try config.validate()
        let interactions = try InteractionReader.read(path: data)
        let quiet = options.quiet || json
        let (model, reports) = try ImplicitALS(configuration: config).train(interactions, threads: options.resolvedThreads) { report in
            if report.unsolvedRows > 0 {
                // Never silent, even with -q or --json: these rows kept their previous factors.
                writeStandardError("warning: iteration \(report.iteration): \(report.unsolvedRows) rows had a system "
                                   + "that is not positive definite and kept their previous factors (raise --regularization)\n")
            }
            guard !quiet else { return }
            var line = "iteration \(report.iteration): \(report.seconds) s"
            if let loss = report.loss { line += ", loss \(loss)" }
            print(line)
        }
        try model.write(to: out)
        if json {
            print(try TrainingSummary(model: model, reports: reports, nonzeros: interactions.matrix.nonzeroCount).json())
        } else if !options.quiet {
            print("wrote \(out): \(model.users) users × \(model.items) items, \(model.factors) factors")
        }
    }
}
