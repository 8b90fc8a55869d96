public import Linear
public import TrainingData
import FileSupport

extension ModelEvaluation {
    /// Evaluates a model and the baseline.
    ///
    /// - Throws: ``FairgroundError`` when the matrices do not match the model's shape, or for the parameter `k` when
    ///   the list length is not from 1 to the model's item count (as the audit refuses a `k` beyond its world's
    ///   items).
    /// - Parameter groups: When given, the metrics are also computed per level (``groups``); rows beyond the
    ///   groups' count belong to none.
    public init(model factors: FactorModel, train: CSRMatrix<Float>, test: CSRMatrix<Float>, k: Int, threads: Int,
                modelFile: String = "model", trainFile: String = "train", testFile: String = "test",
                groups: UserGroups? = nil)
        throws(FairgroundError)
    {
        guard k >= 1, k <= factors.items else {
            throw FairgroundError.parameter("k", expected: "a list length from 1 to the model's \(factors.items) items",
                                            found: "\(k)")
        }
        guard train.rows <= factors.users, train.columns <= factors.items else {
            throw FairgroundError(file: trainFile, expected: "at most \(factors.users) users and \(factors.items) items "
                             + "(the shape of \(modelFile))", found: "\(train.rows) × \(train.columns)")
        }
        guard test.rows <= factors.users, test.columns <= factors.items else {
            throw FairgroundError(file: testFile, expected: "at most \(factors.users) users and \(factors.items) items "
                             + "(the shape of \(modelFile))", found: "\(test.rows) × \(test.columns)")
        }
        let trainFull = Self.reshaped(train, rows: factors.users, columns: factors.items)
        let testFull = Self.reshaped(test, rows: factors.users, columns: factors.items)
        var padded = groups
        if let g = groups {
            padded?.group = Array(g.group.prefix(factors.users)) + [Int](repeating: -1, count: max(0, factors.users - g.group.count))
        }
        let model = RankingMetrics.evaluate(.model(factors), train: trainFull, test: testFull, k: k, threads: threads,
                                            groups: padded)
        let popularity = RankingMetrics.evaluate(.popularity(of: trainFull), train: trainFull, test: testFull, k: k,
                                                 threads: threads, groups: padded)
        self.init(model: model.overall, popularity: popularity.overall, groups: groups.map { g in
            g.levels.indices.map { ModelEvaluation.Group(attribute: g.attribute, level: g.levels[$0],
                                                         model: model.groups[$0], popularity: popularity.groups[$0]) }
        })
    }

    static func reshaped(_ m: CSRMatrix<Float>, rows: Int, columns: Int) -> CSRMatrix<Float> {
        if m.rows == rows && m.columns == columns { return m }
        let pointers = m.rowPointers + [Int](repeating: m.rowPointers.last!, count: rows - m.rows)
        return CSRMatrix(rows: rows, columns: columns, rowPointers: pointers, columnIndices: m.columnIndices,
                         values: m.values)
    }
}
