/// A sparse matrix in compressed sparse row (CSR) form, the layout of `scipy.sparse.csr_matrix`.
///
/// Row `i` holds the entries `rowPointers[i] ..< rowPointers[i + 1]` of ``columnIndices`` and ``values``;
/// column indices within a row are strictly increasing.
///
/// ```swift
/// let m = CSRMatrix<Float>(rows: 2, columns: 3, triplets: [(0, 2, 1), (1, 0, 4), (0, 2, 1)])
/// // duplicates are summed: m[0, 2] == 2
/// ```
public struct CSRMatrix<Scalar: BLASScalar>: Equatable, Sendable {
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    /// Offsets into ``columnIndices`` and ``values``; `rows + 1` entries, the first 0, the last ``nonzeroCount``.
    public let rowPointers: [Int]
    /// The column of each stored entry.
    public let columnIndices: [Int32]
    /// The value of each stored entry.
    public let values: [Scalar]

    /// Creates a matrix from validated CSR arrays.
    ///
    /// - Precondition: the arrays describe a valid CSR matrix (monotone pointers, sorted in-range columns).
    public init(rows: Int, columns: Int, rowPointers: [Int], columnIndices: [Int32], values: [Scalar]) {
        precondition(rows >= 0 && columns >= 0 && columns <= Int(Int32.max), "Invalid CSR dimensions")
        precondition(rowPointers.count == rows + 1 && rowPointers.first == 0, "CSR needs rows + 1 row pointers from 0")
        precondition(rowPointers.last == columnIndices.count && values.count == columnIndices.count,
                     "CSR pointers and entries disagree")
        for i in 0..<rows {
            let lo = rowPointers[i], hi = rowPointers[i + 1]
            precondition(lo <= hi, "CSR row pointers must not decrease")
            var previous = -1
            for p in lo..<hi {
                let c = Int(columnIndices[p])
                precondition(c > previous && c < columns, "CSR columns must be increasing and in range")
                previous = c
            }
        }
        self.rows = rows
        self.columns = columns
        self.rowPointers = rowPointers
        self.columnIndices = columnIndices
        self.values = values
    }

    /// Creates a matrix from `(row, column, value)` triplets in any order, summing duplicates.
    ///
    /// - Precondition: every index is in range.
    /// - Complexity: O(nnz + rows + columns), a counting sort.
    public init(rows: Int, columns: Int, triplets: [(row: Int, column: Int, value: Scalar)]) {
        var counts = [Int](repeating: 0, count: rows + 1)
        for t in triplets {
            precondition(t.row >= 0 && t.row < rows && t.column >= 0 && t.column < columns, "Triplet out of range")
            counts[t.row + 1] += 1
        }
        for i in 0..<rows { counts[i + 1] += counts[i] }
        var next = counts
        var cols = [Int32](repeating: 0, count: triplets.count)
        var vals = [Scalar](repeating: 0, count: triplets.count)
        for t in triplets {
            cols[next[t.row]] = Int32(t.column)
            vals[next[t.row]] = t.value
            next[t.row] += 1
        }
        var pointers = [0]
        pointers.reserveCapacity(rows + 1)
        var outCols: [Int32] = []
        var outVals: [Scalar] = []
        outCols.reserveCapacity(triplets.count)
        outVals.reserveCapacity(triplets.count)
        for i in 0..<rows {
            let range = counts[i]..<counts[i + 1]
            let order = range.sorted { cols[$0] < cols[$1] }
            for p in order {
                if outCols.count > pointers[i], outCols[outCols.count - 1] == cols[p] {
                    outVals[outVals.count - 1] += vals[p]
                } else {
                    outCols.append(cols[p])
                    outVals.append(vals[p])
                }
            }
            pointers.append(outCols.count)
        }
        self.init(rows: rows, columns: columns, rowPointers: pointers, columnIndices: outCols, values: outVals)
    }

    /// The number of stored entries.
    public var nonzeroCount: Int { values.count }

    /// The value at `(i, j)`, zero when not stored.
    public subscript(i: Int, j: Int) -> Scalar {
        precondition(i >= 0 && i < rows && j >= 0 && j < columns, "CSR index out of range")
        var lo = rowPointers[i], hi = rowPointers[i + 1]
        while lo < hi {
            let mid = (lo + hi) / 2
            let c = Int(columnIndices[mid])
            if c == j { return values[mid] }
            if c < j { lo = mid + 1 } else { hi = mid }
        }
        return 0
    }

    /// The transpose, again in CSR form (the CSC form of `self`).
    ///
    /// - Complexity: O(nnz + rows + columns).
    public func transposed() -> CSRMatrix {
        var counts = [Int](repeating: 0, count: columns + 1)
        for c in columnIndices { counts[Int(c) + 1] += 1 }
        for j in 0..<columns { counts[j + 1] += counts[j] }
        var next = counts
        var cols = [Int32](repeating: 0, count: nonzeroCount)
        var vals = [Scalar](repeating: 0, count: nonzeroCount)
        for i in 0..<rows {
            for p in rowPointers[i]..<rowPointers[i + 1] {
                let j = Int(columnIndices[p])
                cols[next[j]] = Int32(i)
                vals[next[j]] = values[p]
                next[j] += 1
            }
        }
        return CSRMatrix(rows: columns, columns: rows, rowPointers: counts, columnIndices: cols, values: vals)
    }

    /// The product `self · x`.
    ///
    /// - Precondition: `x.count == columns`.
    public func multiplied(by x: [Scalar]) -> [Scalar] {
        precondition(x.count == columns, "Vector length \(x.count) does not match \(columns) columns")
        var y = [Scalar](repeating: 0, count: rows)
        for i in 0..<rows {
            var s: Scalar = 0
            for p in rowPointers[i]..<rowPointers[i + 1] { s += values[p] * x[Int(columnIndices[p])] }
            y[i] = s
        }
        return y
    }

    /// The dense equivalent, for tests and small matrices.
    public var dense: Matrix<Scalar> {
        var m = Matrix<Scalar>(rows: rows, columns: columns)
        for i in 0..<rows {
            for p in rowPointers[i]..<rowPointers[i + 1] { m[i, Int(columnIndices[p])] = values[p] }
        }
        return m
    }
}
