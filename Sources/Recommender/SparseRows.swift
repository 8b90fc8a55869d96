import Linear
import TrainingData

/// Rows of (column, weight) terms in CSR layout, where a column may repeat within a row: what ``RowSolver`` solves.
///
/// A ``CSRMatrix`` is the common case (one term per stored entry); the terms of the rows that repeat a
/// (user, item) pair (``DuplicatePairs``) are the other, for conventions that count every input row separately.
struct SparseRows {
    /// The number of rows.
    let rows: Int
    /// `rows + 1` offsets into ``columnIndices`` and ``values``.
    let rowPointers: [Int]
    /// The column of each term.
    let columnIndices: [Int32]
    /// The weight of each term.
    let values: [Float]

    /// The entries of a matrix, one term each (the arrays are shared, not copied).
    init(_ matrix: CSRMatrix<Float>) {
        rows = matrix.rows
        rowPointers = matrix.rowPointers
        columnIndices = matrix.columnIndices
        values = matrix.values
    }

    /// The terms of the rows that repeat a pair, row `i` being `duplicates.rows[i]`.
    init(_ duplicates: DuplicatePairs) {
        rows = duplicates.rows.count
        rowPointers = duplicates.rowPointers
        columnIndices = duplicates.columnIndices
        values = duplicates.values
    }

    /// One row of terms.
    init(terms: [(item: Int, weight: Float)]) {
        rows = 1
        rowPointers = [0, terms.count]
        columnIndices = terms.map { Int32($0.item) }
        values = terms.map(\.weight)
    }
}
