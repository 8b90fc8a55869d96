import ArgumentParser
import FileSupport
import Recommender
import Population
import TrainingData

/// `fairground evaluate MODEL --train train.mtx --test test.mtx`.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ranking quality of a model on held-out data, beside a popularity baseline.")

    @Argument(help: "A model file written by 'fairground train'.") var model: String
    @Option(help: "The training interactions (excluded from the lists).") var train: String
    @Option(help: "The held-out interactions.") var test: String
    @Option(help: "The cut-off k.") var k = 10
    @Option(help: "honour: opted-out users (the consent column of a generated directory given as --train or --test) are not evaluated, as 'train' left them out; 'split' already leaves them out of its files; ignore: evaluate everyone.")
    var consent: TrainingSelection.Consent = .honour
    @Option(help: "Also evaluate per level of this attribute (categorical or boolean) of --population's users.")
    var by: String?
    @Option(help: "The generated directory whose users the rows are (for --by).") var population: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: ComputeOptions

    func validate() throws {
        guard k >= 1 else { throw FairgroundError(file: "--k", expected: "a list length of at least 1", found: "\(k)") }
        guard (by == nil) == (population == nil) else {
            throw FairgroundError(file: by == nil ? "--population" : "--by",
                                  expected: "--by and --population together (the attribute, and the directory of the users)")
        }
    }

    func run() throws {
        let factors = try FactorModel.read(path: model)
        var selection = TrainingSelection()
        selection.consent = consent
        // A generated directory carries the consent column, for both files (a split's files already leave
        // opted-out users out).
        let trainInput = try TrainingInput(path: train).data, testInput = try TrainingInput(path: test).data
        let (trainData, trainRecord) = selection.masked(trainInput.addingColumns(of: testInput))
        let (testData, testRecord) = selection.masked(testInput.addingColumns(of: trainInput))
        if consent == .honour && !trainRecord.hadConsentColumn && !testRecord.hadConsentColumn && !json {
            print("note: neither file has a consent column; everyone with held-out items is evaluated")
        }
        try factors.checkPairing(with: trainData, modelFile: model)
        try factors.checkPairing(with: testData, modelFile: model)
        var groups: UserGroups? = nil
        if let by, let population {
            groups = try GeneratedDirectory(path: population).groups(by: by, threads: options.resolvedThreads)
        }
        let evaluation = try ModelEvaluation(model: factors, train: trainData.matrix, test: testData.matrix, k: k,
                                             threads: options.resolvedThreads, modelFile: model, trainFile: train,
                                             testFile: test, groups: groups)
        print(json ? try evaluation.json() : evaluation.description)
    }
}
