public import Linear
import FileSupport

/// The training data handed from a population (or an interaction file) to a model: who interacted with which
/// item and how strongly, the global id of every row's user, and per-user columns such as a consent flag.
///
/// A generated world produces it with `World.interactionData()`, and ``InteractionReader`` produces it from a
/// Matrix Market file, a `user,item,weight` CSV or a generated directory. Every model trains on this value and
/// validates it (``validate()``) — so the same interactions are accepted or refused the same way whether they
/// come from memory or from a file.
///
/// Weights are implicit feedback: counts, durations, or ±1 ratings. A positive weight r means "interacted"
/// (preference 1) with confidence growing in r; a negative weight means "seen and rejected" (preference 0) with
/// confidence growing in |r|; a stored 0 carries no information. Item `j` is column `j`.
///
/// ```swift
/// let data = try InteractionReader.read(path: "train.mtx")
/// let (model, _) = try ImplicitALS(configuration: ALSConfiguration()).train(data)
/// ```
public struct InteractionData: Sendable, Equatable {
    /// Users × items weights; row `r` belongs to user ``userIDs``[r].
    public var matrix: CSRMatrix<Float>
    /// The global id of each row's user.
    public var userIDs: [Int]
    /// Per-user columns (one value per row), at most one of each role.
    public var userColumns: [UserColumn]
    /// Where the data came from, for messages: a file path or a description such as `world credit-offers`.
    public var source: String
    /// Whether the source declared the matrix's shape (a Matrix Market header, a generated directory) rather than
    /// its extent being inferred from the largest ids present (CSV triplets).
    public var shapeIsDeclared = false
    /// The rows in which a (user, item) pair occurs more than once, term by term as the source listed them (``matrix``
    /// sums them); `nil` when no pair repeats. Set by ``InteractionReader``; whoever changes ``matrix`` keeps it
    /// consistent or sets it to `nil`.
    public var duplicates: DuplicatePairs?

    /// Creates training data.
    ///
    /// - Parameters:
    ///   - userIDs: The global id of each row's user; `nil`: the row indices.
    /// - Precondition: `userIDs` and every column have one entry per row; no two columns share a role.
    public init(matrix: CSRMatrix<Float>, userIDs: [Int]? = nil, userColumns: [UserColumn] = [],
                source: String = "in-memory interactions") {
        let ids = userIDs ?? Array(0..<matrix.rows)
        precondition(ids.count == matrix.rows, "One user id per row")
        for (i, column) in userColumns.enumerated() {
            precondition(column.values.count == matrix.rows, "One value per row in user column \(column.role)")
            precondition(!userColumns[..<i].contains { $0.role == column.role }, "Two user columns of one role")
        }
        self.matrix = matrix
        self.userIDs = ids
        self.userColumns = userColumns
        self.source = source
    }

    /// The number of rows (users).
    public var users: Int { matrix.rows }
    /// The number of columns (items).
    public var items: Int { matrix.columns }

    /// The column of a role, if present.
    public func column(_ role: UserColumn.Role) -> UserColumn? { userColumns.first { $0.role == role } }

    /// This data with the per-user columns of `other` that it lacks, when both hold the same users (the same ids
    /// in the same order) — e.g. a held-out file taking the consent column of the generated directory it was split
    /// from. Otherwise this data unchanged.
    public func addingColumns(of other: InteractionData) -> InteractionData {
        guard other.userIDs == userIDs else { return self }
        var result = self
        for column in other.userColumns where self.column(column.role) == nil { result.userColumns.append(column) }
        return result
    }

    /// Checks what every model needs: at least one item and finite weights.
    ///
    /// - Throws: ``FairgroundError`` naming ``source``, the user and the item of the first non-finite weight.
    public func validate() throws(FairgroundError) {
        guard matrix.columns >= 1 else {
            throw FairgroundError(file: source, field: "items", expected: "at least one item", found: "none")
        }
        if let bad = matrix.values.firstIndex(where: { !$0.isFinite }) {
            let row = matrix.rowPointers.lastIndex { $0 <= bad }!
            throw FairgroundError(file: source, field: "weight", expected: "a finite weight",
                             found: "\(matrix.values[bad]) for user \(userIDs[row]), item \(matrix.columnIndices[bad])")
        }
    }
}
