import FileSupport
import ArgumentParser
import Population
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
    @Option(help: "honour: leave out the interactions of users whose consent attribute is false (they get no factors); ignore: train on everyone.")
    var consent: TrainingSelection.Consent = .honour
    @Option(help: "A file of user ids (one per line) to leave out of training.") var excludeUsers: String?
    @Option(help: "sensitive: drop interactions with the categories the spec marks sensitive (data minimisation).")
    var minimise: Minimisation?
    @Option(help: "Drop interactions with these categories (comma-separated; a generated directory's).")
    var excludeCategories: String?
    @Flag(help: "Compute the training loss after each iteration.") var loss = false
    @Flag(help: "Print a JSON summary instead of text.") var json = false
    @OptionGroup var options: ComputeOptions

    func run() throws {
        var config = try training.configuration(confidence: confidence)
        if let seed { config.seed = seed }
        config.computeLoss = loss
        let directory = FileIO.exists(data + "/.") ? try GeneratedDirectory(path: data, counterfactual: true) : nil
        let interactions = try directory?.trainingData() ?? InteractionReader.read(path: data)
        let selection = try selection(directory: directory)
        let quiet = options.quiet || json
        let threads = options.resolvedThreads
        var check: HoldoutCheck? = nil
        if holdout.holdout > 0 {
            let progress = ProgressLine(label: "holdout check", total: 1, quiet: quiet)
            progress.stage(holdout.stage)
            check = try HoldoutCheck.measure(selection.selected(interactions), configuration: config,
                                             fraction: holdout.holdout,
                                             seed: config.seed, threads: threads)
            progress.finish()
        }
        var (model, reports, record) = try selection.train(interactions, with: ImplicitALS(configuration: config),
                                                           threads: threads) { report in
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
        model.holdout = check
        try model.write(to: out)
        if json {
            print(try TrainingSummary(model: model, reports: reports, nonzeros: interactions.matrix.nonzeroCount).json())
        } else if !options.quiet {
            print("wrote \(out): \(model.users) users × \(model.items) items, \(model.factors) factors, "
                  + "λ \(config.regularization), α \(config.alpha) (\(config.confidence.name))")
        }
        if let record { announce(record) }
        // After the summary; the warning is given even quiet: an audit of such a model describes a model nobody
        // would ship.
        HoldoutOptions.announce(check, quiet: quiet)
    }

    /// The selection the flags ask for.
    func selection(directory: GeneratedDirectory?) throws -> TrainingSelection {
        var selection = TrainingSelection()
        selection.consent = consent
        if let excludeUsers { selection.excludedUsers = try UserList.read(path: excludeUsers) }
        var categories = excludeCategories.map { $0.split(separator: ",").map(String.init) } ?? []
        if minimise == .sensitive {
            let sensitive = directory?.sensitiveCategories ?? []
            guard !sensitive.isEmpty else {
                throw InputError.parameter("minimise", expected: "a generated directory whose spec marks categories "
                                           + "sensitive: true", found: directory == nil ? data : "none in \(data)")
            }
            categories += sensitive.filter { !categories.contains($0) }
        }
        if !categories.isEmpty {
            guard let directory else {
                throw InputError.parameter("exclude-categories", expected: "a generated directory (its items' categories)",
                                           found: data)
            }
            selection.excludedItems = try directory.items(inCategories: categories)
            selection.excludedCategories = categories
        }
        return selection
    }

    /// Says what the selection left out — never silently, even quiet.
    func announce(_ record: TrainingSelection.Record) {
        if record.consent == .honour && !record.hadConsentColumn && !options.quiet {
            print("note: the data has no consent column; nobody was left out for consent")
        }
        if record.listedUsersAbsent > 0 {
            writeStandardError("warning: \(record.listedUsersAbsent) of the ids in \(excludeUsers ?? "") are not users of "
                               + "\(data)\n")
        }
        guard !options.quiet && !json else { return }
        var parts: [String] = []
        if record.optedOutUsers > 0 { parts.append("\(record.optedOutUsers) opted-out users") }
        if record.listedUsers > 0 { parts.append("\(record.listedUsers) listed users") }
        if !record.excludedCategories.isEmpty {
            parts.append("\(record.droppedInteractions) interactions with \(record.excludedCategories.joined(separator: ", "))")
        }
        print("left out of training: " + (parts.isEmpty ? "nothing" : parts.joined(separator: "; "))
              + " (\(record.trainedUsers) users trained on; recorded in the model file)")
    }
}

/// `--minimise`: what data minimisation leaves out.
enum Minimisation: String, ExpressibleByArgument, CaseIterable {
    /// The categories the spec marks sensitive.
    case sensitive
}

extension TrainingSelection.Consent: ExpressibleByArgument {}
