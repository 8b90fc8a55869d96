import ArgumentParser
import Privacy
import FileSupport
import Population
import Recommender
import TrainingData

/// Options shared by every command that computes.
struct ComputeOptions: ParsableArguments {
    @Option(help: "Worker threads (results are identical for any value). Default: all cores.")
    var threads: Int?

    @Flag(name: [.short, .long], help: "No progress line and no summary.")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 || threads > 1024 {
            throw FairgroundError(file: "--threads", expected: "from 1 to 1024 threads", found: "\(threads)")
        }
    }

    var resolvedThreads: Int { threads ?? ProgressLine.processorCount }
}

/// The model's hyper-parameters, shared by `train`, `run` and `tune`: a `--config` file (as `tune` writes) over
/// the library defaults, then any flag given. (The confidence convention is a flag of `train` and `tune` only:
/// in `run`, `--confidence` is the audit's confidence level; there the convention comes from `--config`.)
struct TrainingOptions: ParsableArguments {
    @Option(help: "A configuration file written by 'fairground tune' (flags given too override it).")
    var config: String?
    @Option(help: "Factor dimension. (default: \(ALSConfiguration().factors))") var factors: Int?
    @Option(help: "Alternating sweeps. (default: \(ALSConfiguration().iterations))") var iterations: Int?
    @Option(help: "L2 regularisation λ. (default: \(ALSConfiguration().regularization))") var regularization: Float?
    @Option(help: "Confidence scale α. (default: \(ALSConfiguration().alpha))") var alpha: Float?
    @Option(help: "Row solver: cg or cholesky. (default: cg)") var solver: SolverName?
    @Option(help: "Conjugate-gradient steps per row. (default: 3)") var cgSteps: Int?
    @Option(help: "Item side of each sweep: direct (solve the transposed rows; fast) or aggregated (from summed per-user contributions, the form private and federated training act on). (default: direct)")
    var itemSide: ItemSide?

    /// The configuration: defaults, then the file, then the flags; `seed` when neither file nor caller set one.
    func configuration(seed: UInt64? = nil, confidence: ALSConfiguration.Confidence? = nil)
        throws(FairgroundError) -> ALSConfiguration
    {
        var c = try config.map { path throws(FairgroundError) in try ALSConfiguration.read(path: path) } ?? ALSConfiguration()
        if config == nil, let seed { c.seed = seed }
        if let factors { c.factors = factors }
        if let iterations { c.iterations = iterations }
        if let regularization { c.regularization = regularization }
        if let alpha { c.alpha = alpha }
        if let confidence { c.confidence = confidence }
        if let itemSide { c.itemSide = itemSide == .direct ? nil : itemSide }
        switch solver {
        case .cholesky?: c.solver = .cholesky
        case .cg?: c.solver = .conjugateGradient(steps: cgSteps ?? 3)
        case nil:
            if let cgSteps {
                guard case .conjugateGradient = c.solver else {
                    throw FairgroundError(file: "--cg-steps", expected: "the cg solver (the configuration uses cholesky)")
                }
                c.solver = .conjugateGradient(steps: cgSteps)
            }
        }
        try c.validate()
        return c
    }
}

/// `--dp-*`: user-level differentially private training (the item factors are (ε, δ)-DP).
struct PrivacyTrainingOptions: ParsableArguments {
    @Option(help: "Train with user-level differential privacy at this ε (inf: no noise, the ordinary model).")
    var dpEpsilon: Double?
    @Option(help: "δ of the guarantee, in (0, 1); keep it below 1 / users. (default: 1e-6)")
    var dpDelta: Double?
    @Option(help: "Norm every user's factor row is clipped to before it reaches the item side. (default: chosen from the noise so λ keeps every item's system well conditioned; recorded in the model)")
    var dpClip: Double?
    @Option(help: "Most items one user contributes to the item side. (default: 20)")
    var dpMaxItems: Int?
    @Option(help: "How a user's items are chosen when they have more: uniform (seeded hash) or tail (the least popular, counted privately). (default: uniform)")
    var dpItemSelection: PrivateTraining.ItemSelection?
    @Option(help: "Largest confidence one interaction carries into the item side. (default: 2)")
    var dpConfidenceCap: Double?

    /// The private training asked for; `nil` without `--dp-epsilon`. Another `--dp-*` flag alone is refused.
    func privateTraining() throws(FairgroundError) -> PrivateTraining? {
        guard let dpEpsilon else {
            let given = [("--dp-delta", dpDelta != nil), ("--dp-clip", dpClip != nil), ("--dp-max-items", dpMaxItems != nil),
                         ("--dp-item-selection", dpItemSelection != nil), ("--dp-confidence-cap", dpConfidenceCap != nil)]
            if let flag = given.first(where: \.1)?.0 {
                throw FairgroundError(file: flag, expected: "--dp-epsilon beside it (private training is asked for by ε)")
            }
            return nil
        }
        let defaults = try PrivateTraining(epsilon: 1, delta: 1e-6)
        return try PrivateTraining(epsilon: dpEpsilon, delta: dpDelta ?? defaults.delta, clip: dpClip,
                                   maxItems: dpMaxItems ?? defaults.maxItems,
                                   itemSelection: dpItemSelection ?? defaults.itemSelection,
                                   confidenceCap: dpConfidenceCap ?? defaults.confidenceCap)
    }
}

/// `--holdout`, shared by `train` and `run`: the check of the model against popularity before it is trained on
/// everything.
struct HoldoutOptions: ParsableArguments {
    @Option(help: "Share of each user's items held out to compare the model with popularity first (0: no check).")
    var holdout = 0.2

    func validate() throws {
        guard holdout == 0 || (holdout > 0 && holdout < 1) else {
            throw FairgroundError(file: "--holdout", expected: "0 (no check) or a share in (0, 1)", found: "\(holdout)")
        }
    }

    /// The progress line's text while the check trains.
    var stage: String { "training on \(Int((100 * (1 - holdout)).rounded()))% of each user's items" }

    /// Says what the check found: a warning on standard error when the model does not beat popularity (never
    /// silent, even quiet or with --json), and the verdict on standard output unless quiet.
    static func announce(_ check: HoldoutCheck?, quiet: Bool) {
        if let check, !check.beatsPopularity { writeStandardError("warning: \(check.verdict)\n") }
        guard !quiet else { return }
        print("holdout: " + (check?.verdict ?? "not checked (--holdout 0): nothing says whether this model beats popularity"))
    }
}

/// What training may use, shared by `train` and `tune` (and `--consent` by `split` and `evaluate`): consent, listed
/// users, minimised categories.
struct SelectionOptions: ParsableArguments {
    @Option(help: "honour: leave out the interactions of users whose consent attribute is false (they get no factors); ignore: train on everyone.")
    var consent: TrainingSelection.Consent = .honour
    @Option(help: "A file of user ids (one per line) to leave out of training.") var excludeUsers: String?
    @Option(help: "sensitive: drop interactions with the categories the spec marks sensitive (data minimisation).")
    var minimise: Minimisation?
    @Option(help: "Drop interactions with these categories (comma-separated; a generated directory's).")
    var excludeCategories: String?

    /// The selection the flags ask for, for `input`.
    func selection(for input: TrainingInput) throws(FairgroundError) -> TrainingSelection {
        var selection = TrainingSelection()
        selection.consent = consent
        if let excludeUsers { selection.excludedUsers = try UserList.read(path: excludeUsers) }
        let (items, categories) = try input.minimisation(
            categories: excludeCategories.map { $0.split(separator: ",").map(String.init) } ?? [],
            sensitive: minimise == .sensitive)
        selection.excludedItems = items
        selection.excludedCategories = categories
        return selection
    }

    /// Says what the selection left out of `data` — never silently, even quiet; `what` says where it is kept.
    func announce(_ record: TrainingSelection.Record, data: String, quiet: Bool, json: Bool, what: String) {
        if record.consent == .honour && !record.hadConsentColumn && !quiet && !json {
            print("note: the data has no consent column; nobody was left out for consent")
        }
        if record.listedUsersAbsent > 0 {
            writeStandardError("warning: \(record.listedUsersAbsent) of the ids in \(excludeUsers ?? "") are not users of "
                               + "\(data)\n")
        }
        guard !quiet && !json else { return }
        var parts: [String] = []
        if record.optedOutUsers > 0 { parts.append("\(record.optedOutUsers) opted-out users") }
        if record.listedUsers > 0 { parts.append("\(record.listedUsers) listed users") }
        if !record.excludedCategories.isEmpty {
            parts.append("\(record.droppedInteractions) interactions with \(record.excludedCategories.joined(separator: ", "))")
        }
        print("left out of training: " + (parts.isEmpty ? "nothing" : parts.joined(separator: "; "))
              + " (\(record.trainedUsers) users trained on; \(what))")
    }
}

/// `--minimise`: what data minimisation leaves out.
enum Minimisation: String, ExpressibleByArgument, CaseIterable {
    /// The categories the spec marks sensitive.
    case sensitive
}

extension TrainingSelection.Consent: ExpressibleByArgument {}
extension ItemSide: ExpressibleByArgument {}
