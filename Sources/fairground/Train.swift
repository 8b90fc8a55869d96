import FileSupport
import ArgumentParser
import Population
import Privacy
import Recommender
import TrainingData

/// `fairground train DATA --out MODEL`.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an implicit-feedback ALS model on a generated directory, a .mtx or a user,item,weight .csv.",
        discussion: """
            Prints one line per iteration; the model file is written atomically. First, unless --holdout 0, the \
            same configuration is trained on all but a held-out share of each user's items and ranked against \
            recommending the most popular items to everyone; the figures are printed, stored in the model file \
            (the audit report quotes them), and a warning says so when the model does not beat popularity.
            """)

    @Argument(help: "A generated directory, a Matrix Market file or a CSV of user,item,weight.")
    var data: String

    @Option(help: "The model file to write.")
    var out: String

    @OptionGroup var training: TrainingOptions
    @Option(help: "Confidence convention: one-plus-alpha (c = 1 + αr) or alpha (c = αr, as in implicit). (default: one-plus-alpha, or the --config file's)")
    var confidence: ALSConfiguration.Confidence?
    @Option(help: "Seed of the initial factors. (default: 0, or the --config file's)") var seed: UInt64?
    @OptionGroup var holdout: HoldoutOptions
    @OptionGroup var selecting: SelectionOptions
    @OptionGroup var privacy: PrivacyTrainingOptions
    @OptionGroup var federation: FederatedOptions
    @Flag(help: "Compute the training loss after each iteration.") var loss = false
    @Flag(help: "Print a JSON summary instead of text.") var json = false
    @OptionGroup var options: ComputeOptions

    func run() throws {
        var config = try training.configuration(confidence: confidence)
        if let seed { config.seed = seed }
        config.computeLoss = loss
        let threads = options.resolvedThreads
        var input = try TrainingInput(path: data)
        let federated = try federation.federatedTraining(for: &input, threads: threads)
        let interactions = input.data
        let selection = try selecting.selection(for: input)
        let quiet = options.quiet || json
        // One trainer for the holdout check and the model, so the check stored in the file is this model's.
        let privateTraining = try privacy.privateTraining()
        let (trainer, guarantee): (ImplicitALS, PrivacyGuarantee?)
        if let federated {
            let plan = try federated.plan(for: config, privacy: privateTraining)
            (trainer, guarantee) = (plan.trainer, plan.guarantee)
        } else {
            let plan = try privateTraining?.plan(for: config)
            (trainer, guarantee) = (plan?.trainer ?? ImplicitALS(configuration: config), plan?.guarantee)
        }
        var check: HoldoutCheck? = nil
        if holdout.holdout > 0 {
            let progress = ProgressLine(label: "holdout check", total: 1, quiet: quiet)
            progress.stage(holdout.stage)
            check = try HoldoutCheck.measure(selection.selected(interactions), trainer: trainer,
                                             fraction: holdout.holdout,
                                             seed: config.seed, threads: threads)
            progress.finish()
        }
        var (model, reports, record) = try selection.train(interactions, with: trainer,
                                                           threads: threads) { report in
            if report.unsolvedRows > 0 {
                // Never silent, even with -q or --json: these rows kept their previous factors.
                writeStandardError("warning: iteration \(report.iteration): \(report.unsolvedRows) rows had a system "
                                   + "that is not positive definite and kept their previous factors (raise --regularization)\n")
            }
            guard !quiet else { return }
            print(report)
        }
        model.holdout = check
        model.privacy = guarantee
        model.federation = try federated?.record(of: selection.selected(interactions), trainer: trainer,
                                                 threads: threads)
        try model.write(to: out)
        if json {
            print(try TrainingSummary(model: model, reports: reports, nonzeros: interactions.matrix.nonzeroCount).json())
        } else if !options.quiet {
            print("wrote \(out): \(model.users) users × \(model.items) items, \(model.factors) factors, "
                  + "λ \(config.regularization), α \(config.alpha) (\(config.confidence.name))")
            if let guarantee = model.privacy { print(guarantee.summary) }
            if let federation = model.federation { print(federation.summary) }
        }
        if let record { selecting.announce(record, data: data, quiet: options.quiet, json: json, what: "recorded in the model file") }
        // After the summary; the warning is given even quiet: an audit of such a model describes a model nobody
        // would ship.
        HoldoutOptions.announce(check, quiet: quiet)
    }
}
