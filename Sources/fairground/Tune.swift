import FileSupport
import ArgumentParser
import Recommender
import Population
import TrainingData

/// `fairground tune DATA [--holdout 0.2] [--budget N] [--seed S] [--json] [--out best.json]`.
struct Tune: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search ALS hyper-parameters (factors, λ, α, confidence convention) by NDCG@k on a validation split.",
        discussion: """
            Trial 0 is the starting configuration (the defaults, or --config and flags); the others are drawn at \
            random from the seed. Every trial trains on the same deterministic split and is ranked against the \
            popularity baseline, on the data 'train' would use (opted-out users left out unless --consent \
            ignore; --exclude-users, --minimise and --exclude-categories as in 'train'). Prints the trial table and the best configuration, and writes it to --out for \
            'train', 'run' and 'audit' to take with --config. Same data and seed give the same file on any thread \
            count.
            """)

    @Argument(help: "A generated directory, a Matrix Market file or a CSV of user,item,weight.")
    var data: String
    @Option(help: "Share of each user's items held out for validation.") var holdout = 0.2
    @Option(help: "Number of trials, the starting configuration included.") var budget = 16
    @Option(help: "Seed of the split and of the trials.") var seed: UInt64 = 0
    @Option(help: "The list length of NDCG@k.") var k = 10
    @Option(help: "Where to write the best configuration.") var out = "best.json"
    @OptionGroup var training: TrainingOptions
    @Option(help: "Confidence convention: one-plus-alpha (c = 1 + αr) or alpha (c = αr, as in implicit). (default: one-plus-alpha, or the --config file's)")
    var confidence: ALSConfiguration.Confidence?
    @OptionGroup var selecting: SelectionOptions
    @Flag(help: "Print the trials and the best configuration as JSON.") var json = false
    @OptionGroup var options: ComputeOptions

    func run() throws {
        var search = HyperparameterSearch(budget: budget, holdout: holdout, seed: seed, k: k,
                                          start: try training.configuration(confidence: confidence))
        search.start.computeLoss = false
        let input = try TrainingInput(path: data)
        let selection = try selecting.selection(for: input)
        // The trials train on what 'train' would: opted-out users, listed users and minimised items left out.
        let applied = selection.apply(to: input.data)
        let interactions = selection.isActive(for: input.data) ? applied.data : input.data
        guard interactions.users > 0 else {
            throw FairgroundError(file: data, field: "users", expected: "at least one user left to tune on after the selection",
                                  found: "\(applied.record.optedOutUsers) opted out, \(applied.record.listedUsers) excluded by the list")
        }
        let quiet = options.quiet || json
        let progress = ProgressLine(label: "tuning trials", total: budget, quiet: quiet)
        if !quiet { print(Self.header(k: k)) }
        let result = try search.run(interactions, threads: options.resolvedThreads) { trial in
            progress.finish()
            if !quiet { print(Self.row(trial)) }
            progress.advance(1)
        }
        progress.finish()
        try result.best.configuration.write(to: out, tuning: result)
        if json {
            print(String(decoding: try JSONOutput.bytes(result, snakeCase: true, what: "the search"), as: UTF8.self),
                  terminator: "")
        } else if !options.quiet {
            let best = result.best
            print("best: trial \(best.index): " + Self.describe(best.configuration) + "; "
                  + result.bestCheck.verdict)
            print("wrote \(out) (use it with --config)")
        }
        selecting.announce(applied.record, data: data, quiet: options.quiet, json: json, what: "in every trial")
        if !result.bestCheck.beatsPopularity {
            writeStandardError("warning: no trial beats popularity: \(result.bestCheck.verdict)\n")
        }
    }

    static func describe(_ c: ALSConfiguration) -> String {
        "\(c.factors) factors, λ \(c.regularization), α \(c.alpha) (\(c.confidence.name)), \(c.iterations) iterations"
    }

    static func header(k: Int) -> String {
        pad("trial", 6) + pad("factors", 9) + pad("λ", 9) + pad("α", 8) + pad("confidence", 16)
            + pad("ndcg@\(k)", 10) + pad("popularity", 12) + "auc"
    }

    static func row(_ t: HyperparameterSearch.Trial) -> String {
        let c = t.configuration, e = t.evaluation
        return pad("\(t.index)", 6) + pad("\(c.factors)", 9) + pad("\(c.regularization)", 9) + pad("\(c.alpha)", 8)
            + pad(c.confidence.name, 16) + pad(ModelEvaluation.fixed(e.model.ndcg), 10)
            + pad(ModelEvaluation.fixed(e.popularity.ndcg), 12) + ModelEvaluation.fixed(e.model.auc)
    }

    static func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(1, width - s.count)) }
}
