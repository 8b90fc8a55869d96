public import FileSupport
public import Linear
public import TrainingData

/// A factor model trained elsewhere, made a Fairground model: item factors (and optionally user factors) with the
/// training convention that produced them, so that fold-in, recommend, evaluate, explain and audit treat the
/// model as its trainer would.
///
/// ```swift
/// var importer = FactorImport(convention: .spark, regularization: 0.1, alpha: 10)
/// let model = try importer.model(itemFactors: try NumPyMatrix.read(path: "item_factors.npy"),
///                                itemIDs: try NumPyMatrix.ids(path: "item_ids.npy"), data: interactions)
/// ```
public struct FactorImport: Sendable {
    /// The training convention of the factors.
    public enum Convention: String, Sendable, CaseIterable {
        /// Spark MLlib's implicit ALS: c = 1 + α·|r| (r > 0 a preference of 1, r < 0 of 0), λ·n_u with n_u the
        /// user's positive ratings, and every input row a separate term (duplicate (user, item) rows not summed).
        case spark
        /// The `implicit` library: c = α·r, constant λ.
        case implicit
        /// Fairground's own default: c = 1 + α·r, constant λ.
        case fairground
    }

    /// The convention.
    public var convention: Convention
    /// λ (a saved Spark model records neither λ nor α, so they are given).
    public var regularization: Float
    /// α.
    public var alpha: Float

    /// An importer for factors trained under `convention` with `regularization` and `alpha`.
    public init(convention: Convention, regularization: Float, alpha: Float) {
        self.convention = convention
        self.regularization = regularization
        self.alpha = alpha
    }

    /// The configuration the model file records: the convention's confidence and λ scaling, λ, α and the factor
    /// count.
    public func configuration(factors: Int) -> ALSConfiguration {
        var c = ALSConfiguration()
        c.factors = factors
        c.iterations = 0
        c.regularization = regularization
        c.alpha = alpha
        c.confidence = convention == .implicit ? .alpha : .onePlusAlpha
        c.regularizationScaling = convention == .spark ? .perInteraction : nil
        c.duplicateEntries = convention == .spark ? .separateTerms : nil
        return c
    }

    /// What the convention does with the (user, item) pairs `data` repeats, in a phrase (`nil` when none repeats):
    /// Spark counts every repeated row as a term of its own; the other conventions sum them.
    public func duplicatesNote(_ data: InteractionData) -> String? {
        guard let d = data.duplicates else { return nil }
        let counted = "\(d.repeatedEntries) repeated (user, item) rows in \(d.rows.count) users"
        let first = " (the first: user \(data.userIDs[d.first.row]), item \(d.first.item))"
        return counted + (convention == .spark ? ", each a separate term as in Spark" : ", summed") + first
    }

    /// A factor table arranged by id: row `i` of the result is id `i` (ids absent from the table are zero rows).
    ///
    /// - Parameters:
    ///   - table: The factors, one row per entry of `ids` (or, without ids, already one row per id).
    ///   - ids: The id of each row; `nil` when row i is id i.
    ///   - count: The number of ids (rows of the result).
    ///   - field: The option or file the table came from, for errors.
    /// - Throws: ``FairgroundError`` for a row count that disagrees with the ids or the count, an id outside
    ///   0..<count, or an id given twice.
    public static func arranged(_ table: Matrix<Float>, ids: [Int]?, count: Int, field: String) throws(FairgroundError)
        -> Matrix<Float>
    {
        let k = table.columns
        guard let ids else {
            guard table.rows == count else {
                throw FairgroundError.parameter(field, expected: "\(count) rows (one per id; or give the ids)",
                                           found: "\(table.rows) rows")
            }
            return table
        }
        guard ids.count == table.rows else {
            throw FairgroundError.parameter(field, expected: "one id per row (\(table.rows))", found: "\(ids.count) ids")
        }
        var out = [Float](repeating: 0, count: count * k)
        var seen = [Bool](repeating: false, count: count)
        for (r, id) in ids.enumerated() {
            guard id >= 0 && id < count else {
                throw FairgroundError.parameter(field, expected: "ids from 0 to \(count - 1)", found: "\(id) at row \(r)")
            }
            guard !seen[id] else { throw FairgroundError.parameter(field, expected: "distinct ids", found: "\(id) twice") }
            seen[id] = true
            for f in 0..<k { out[id * k + f] = table.elements[r * k + f] }
        }
        return Matrix(rows: count, columns: k, elements: out)
    }

    /// The model: `itemFactors` (rows = item ids of `data`'s columns) and `userFactors` (rows = `data`'s rows, in
    /// order), or, without user factors, every user of `data` folded into the item factors under the convention.
    ///
    /// - Throws: ``FairgroundError`` for factors of another dimension or item count, a non-finite value, or a fold-in
    ///   that leaves a user unsolved.
    public func model(itemFactors: Matrix<Float>, userFactors: Matrix<Float>? = nil, data: InteractionData,
                      threads: Int = 1) throws(FairgroundError) -> FactorModel {
        guard regularization > 0, regularization.isFinite, alpha > 0, alpha.isFinite else {
            throw FairgroundError.parameter("regularization", expected: "λ > 0 and α > 0, finite",
                                       found: "λ \(regularization), α \(alpha)")
        }
        guard itemFactors.rows == data.matrix.columns else {
            throw FairgroundError.parameter("itemFactors", expected: "one row per item of the data (\(data.matrix.columns))",
                                       found: "\(itemFactors.rows) rows")
        }
        for (name, m) in [("itemFactors", itemFactors), ("userFactors", userFactors)] {
            guard let m else { continue }
            if let bad = m.elements.firstIndex(where: { !$0.isFinite }) {
                throw FairgroundError.parameter(name, expected: "finite factors",
                                           found: "\(m.elements[bad]) at row \(bad / m.columns)")
            }
        }
        let k = itemFactors.columns
        let configuration = configuration(factors: k)
        if let userFactors {
            guard userFactors.columns == k, userFactors.rows == data.users else {
                throw FairgroundError.parameter("userFactors", expected: "\(data.users) rows × \(k) factors",
                                           found: "\(userFactors.rows) × \(userFactors.columns)")
            }
            return FactorModel(userFactors: userFactors, itemFactors: itemFactors, configuration: configuration,
                               iterationsRun: 0)
        }
        let empty = Matrix<Float>(rows: 0, columns: k, elements: [])
        let items = FactorModel(userFactors: empty, itemFactors: itemFactors, configuration: configuration,
                                iterationsRun: 0)
        let (users, unsolved) = items.foldIn(data, rule: configuration.foldInRule, threads: threads)
        if let first = unsolved.first {
            throw FairgroundError.parameter("userFactors", expected: "a fold-in of every user (a positive-definite system)",
                                       found: "\(unsolved.count) users unsolved, the first user \(data.userIDs[first])")
        }
        return FactorModel(userFactors: users, itemFactors: itemFactors, configuration: configuration, iterationsRun: 0)
    }

    /// The model from factor tables as Spark writes them (rows in any order, with their ids): item ids are the
    /// data's item columns; user ids are the data's global user ids (users absent from the table get zero rows).
    ///
    /// - Throws: ``FairgroundError`` as ``arranged(_:ids:count:field:)`` and ``model(itemFactors:userFactors:data:threads:)``
    ///   do, or for a user id the data does not have.
    public func model(itemTable: Matrix<Float>, itemIDs: [Int]?, userTable: Matrix<Float>?, userIDs: [Int]?,
                      data: InteractionData, threads: Int = 1) throws(FairgroundError) -> FactorModel {
        let items = try Self.arranged(itemTable, ids: itemIDs, count: data.matrix.columns, field: "itemFactors")
        var users: Matrix<Float>?
        if let userTable {
            var rows: [Int]?
            if let userIDs {
                var row: [Int: Int] = [:]
                for (r, id) in data.userIDs.enumerated() { row[id] = r }
                var mapped: [Int] = []
                mapped.reserveCapacity(userIDs.count)
                for (i, id) in userIDs.enumerated() {
                    guard let r = row[id] else {
                        throw FairgroundError.parameter("userIDs", expected: "user ids of the data", found: "\(id) at row \(i)")
                    }
                    mapped.append(r)
                }
                rows = mapped
            }
            users = try Self.arranged(userTable, ids: rows, count: data.users, field: "userFactors")
        }
        return try model(itemFactors: items, userFactors: users, data: data, threads: threads)
    }
}
