import FileSupport
public import Linear
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// A model's ranking metrics beside the popularity baseline's, so every report shows how much the model learned.
public struct ModelEvaluation: Sendable, Codable, Equatable, CustomStringConvertible {
    /// The model's metrics.
    public var model: RankingMetrics
    /// The popularity baseline's metrics on the same split.
    public var popularity: RankingMetrics

    /// Evaluates a model and the baseline.
    ///
    /// - Throws: ``InputError`` when the matrices do not match the model's shape.
    public init(model factors: FactorModel, train: CSRMatrix<Float>, test: CSRMatrix<Float>, k: Int, threads: Int,
                modelFile: String = "model", trainFile: String = "train", testFile: String = "test")
        throws(InputError)
    {
        guard train.rows <= factors.users, train.columns <= factors.items else {
            throw InputError(file: trainFile, expected: "at most \(factors.users) users and \(factors.items) items "
                             + "(the shape of \(modelFile))", found: "\(train.rows) × \(train.columns)")
        }
        guard test.rows <= factors.users, test.columns <= factors.items else {
            throw InputError(file: testFile, expected: "at most \(factors.users) users and \(factors.items) items "
                             + "(the shape of \(modelFile))", found: "\(test.rows) × \(test.columns)")
        }
        let trainFull = Self.reshaped(train, rows: factors.users, columns: factors.items)
        let testFull = Self.reshaped(test, rows: factors.users, columns: factors.items)
        model = RankingMetrics.evaluate(.model(factors), train: trainFull, test: testFull, k: k, threads: threads)
        popularity = RankingMetrics.evaluate(.popularity(of: trainFull), train: trainFull, test: testFull, k: k,
                                             threads: threads)
    }

    /// An evaluation from metrics already computed (the baseline's once for many models on one split).
    init(model: RankingMetrics, popularity: RankingMetrics) {
        self.model = model
        self.popularity = popularity
    }

    static func reshaped(_ m: CSRMatrix<Float>, rows: Int, columns: Int) -> CSRMatrix<Float> {
        if m.rows == rows && m.columns == columns { return m }
        let pointers = m.rowPointers + [Int](repeating: m.rowPointers.last!, count: rows - m.rows)
        return CSRMatrix(rows: rows, columns: columns, rowPointers: pointers, columnIndices: m.columnIndices,
                         values: m.values)
    }

    /// A two-column text table.
    public var description: String {
        func row(_ name: String, _ a: Double, _ b: Double) -> String {
            Self.pad(name) + "\(Self.fixed(a))    \(Self.fixed(b))"
        }
        return [
            "k = \(model.k), \(model.users) users with held-out items (AUC over \(model.aucUsers))",
            Self.pad("metric") + "model     popularity",
            row("precision@k", model.precision, popularity.precision),
            row("recall@k", model.recall, popularity.recall),
            row("ndcg@k", model.ndcg, popularity.ndcg),
            row("map@k", model.map, popularity.map),
            row("auc", model.auc, popularity.auc),
            row("precision@k (implicit's)", model.implicitPrecision, popularity.implicitPrecision),
        ].joined(separator: "\n")
    }

    /// The evaluation as sorted-key JSON.
    public func json() throws(FileError) -> String {
        String(decoding: try JSONOutput.bytes(self, snakeCase: true, what: "the evaluation").dropLast(), as: UTF8.self)
    }

    static func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, 28 - s.count)) }

    /// `x` with four decimals (`0.2437`), as every table of the recommender prints it.
    public static func fixed(_ x: Double) -> String {
        let scaled = Int((x * 1e4).rounded())
        let fraction = String(abs(scaled) % 10000)
        return "\(scaled / 10000).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
    }
}
