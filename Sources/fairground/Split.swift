import ArgumentParser
import FileSupport
import Recommender
import Population
import TrainingData

/// `fairground split DATA --holdout 0.2 --out DIR`.
struct Split: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Split interactions into train.mtx and test.mtx with a deterministic per-user holdout.")

    @Argument(help: "A generated directory, a Matrix Market file or a CSV of user,item,weight.")
    var data: String
    @Option(help: "Fraction of each user's interactions held out (0 < f < 1).") var holdout = 0.2
    @Option(help: "Seed of the split.") var seed: UInt64 = 0
    @Option(help: "Output directory.") var out: String
    @Option(help: "honour: opted-out users' interactions go into neither file (their rows stay, empty); ignore: split everyone's.")
    var consent: TrainingSelection.Consent = .honour
    @Flag(name: [.short, .long], help: "No summary.") var quiet = false

    func validate() throws {
        guard holdout > 0, holdout < 1 else { throw FairgroundError(file: "--holdout", expected: "a share in (0, 1)", found: "\(holdout)") }
    }

    func run() throws {
        var selection = TrainingSelection()
        selection.consent = consent
        let (masked, record) = selection.masked(try TrainingInput(path: data).data)
        let matrix = masked.matrix
        let (train, test) = HoldoutSplit.split(matrix, fraction: holdout, seed: seed)
        try MatrixMarketWriter.write([("train.mtx", train), ("test.mtx", test)], into: out,
                                     comment: "fairground split of \(data): holdout \(holdout), seed \(seed)")
        guard !quiet else { return }
        if record.optedOutUsers > 0 {
            print("left out: \(record.optedOutUsers) opted-out users' interactions (--consent ignore keeps them)")
        }
        print("wrote \(out)/train.mtx (\(train.nonzeroCount) entries) and \(out)/test.mtx (\(test.nonzeroCount) entries)")
    }
}
