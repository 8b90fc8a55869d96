import ArgumentParser
import Recommender

/// `fairground export MODEL --npy DIR`.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a model's factors as NumPy files (user_factors.npy, item_factors.npy).")

    @Argument(help: "A model file written by 'fairground train'.") var model: String
    @Option(help: "The output directory.") var npy: String

    func run() throws {
        try FactorModel.read(path: model).exportNumPy(directory: npy)
        print("wrote \(npy)/user_factors.npy and \(npy)/item_factors.npy")
    }
}
