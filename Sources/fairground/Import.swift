import ArgumentParser
import FileSupport
import Population
import Recommender
import TrainingData

/// `fairground import DATA --item-factors FILE --convention spark --regularization L --alpha A --out MODEL`.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a model file from factors trained elsewhere (Spark MLlib, implicit), with their training convention.",
        discussion: """
            Factors arrive as .npy files: float32/float64 arrays of shape (rows, k), either one row per id (row i \
            is item i; users in the data's order) or an unordered table with its int32/int64 ids given by \
            --item-ids / --user-ids (as Spark writes them: scale/spark_to_npy.py converts its Parquet tables). \
            Without --user-factors every user of DATA is folded into the item factors under the convention, as its \
            trainer would. Fold-in, recommend, evaluate, explain and audit then use that convention.
            """)

    @Argument(help: "The training data: a directory written by 'fairground generate', a .mtx or a CSV.")
    var data: String
    @Option(help: "Item factors (.npy).") var itemFactors: String
    @Option(help: "The item id of each row of --item-factors (.npy, 1-D integers).") var itemIds: String?
    @Option(help: "User factors (.npy); folded in when absent.") var userFactors: String?
    @Option(help: "The user id of each row of --user-factors (.npy, 1-D integers).") var userIds: String?
    @Option(help: "spark (c = 1 + α·|r|, λ·n_u), implicit (c = α·r, λ) or fairground (c = 1 + α·r, λ).")
    var convention: FactorImport.Convention
    @Option(help: "The λ the factors were trained with.") var regularization: Float
    @Option(help: "The α the factors were trained with.") var alpha: Float
    @Option(help: "The model file to write.") var out: String
    @OptionGroup var options: ComputeOptions

    func validate() throws {
        if out.isEmpty { throw FairgroundError(file: "--out", expected: "a file name", found: "") }
        if userIds != nil && userFactors == nil { throw FairgroundError(file: "--user-ids", expected: "--user-factors beside it") }
    }

    func run() throws {
        let interactions = try TrainingInput(path: data).data
        let importer = FactorImport(convention: convention, regularization: regularization, alpha: alpha)
        let model = try importer.model(
            itemTable: NumPyMatrix.read(path: itemFactors), itemIDs: itemIds.map(NumPyMatrix.ids(path:)),
            userTable: userFactors.map(NumPyMatrix.read(path:)), userIDs: userIds.map(NumPyMatrix.ids(path:)),
            data: interactions, threads: options.resolvedThreads)
        try model.write(to: out)
        if !options.quiet {
            print("wrote \(out): \(model.users) users × \(model.items) items, \(model.factors) factors, "
                  + "\(convention.rawValue) convention (λ \(regularization)\(convention == .spark ? "·n_u" : ""), α \(alpha))"
                  + (userFactors == nil ? "; user factors folded in" : "")
                  + (importer.duplicatesNote(interactions).map { "; " + $0 } ?? ""))
        }
    }
}
