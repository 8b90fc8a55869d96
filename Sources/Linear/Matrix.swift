/// A dense, row-major matrix of `Float` or `Double` that owns its storage.
///
/// `Matrix` is a value type: copies share storage until one is mutated. Element `(i, j)` lives at
/// `elements[i * columns + j]`, which is the layout BLAS is called with (`CblasRowMajor`).
///
/// ```swift
/// let a = Matrix<Double>(rows: 2, columns: 2, elements: [4, 2, 2, 3])
/// let c = a.multiplied(by: a)          // gemm
/// ```
public struct Matrix<Scalar: BLASScalar>: Equatable, Sendable {
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    /// The elements in row-major order; `count == rows * columns`, and a mutation must keep that count.
    ///
    /// A plain stored property, so `m.elements[i] = v` writes in place: a property observer here made every
    /// element write from another module copy the whole array (20,000 writes: 38 ms against 13 µs).
    public var elements: [Scalar]

    /// Creates a matrix from row-major elements.
    ///
    /// - Precondition: `rows, columns >= 0` and `elements.count == rows * columns`.
    public init(rows: Int, columns: Int, elements: [Scalar]) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        precondition(elements.count == rows * columns, "Matrix needs rows × columns elements")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// Creates a matrix with every element equal to `value` (zero by default).
    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        self.init(rows: rows, columns: columns, elements: [Scalar](repeating: value, count: rows * columns))
    }

    /// Creates a matrix from an array of equally long rows.
    ///
    /// - Precondition: every row has the same length.
    public init(_ rowArrays: [[Scalar]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "All rows must have the same length")
        self.init(rows: rowArrays.count, columns: columns, elements: rowArrays.flatMap { $0 })
    }

    /// The `n × n` identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// The element in row `i` and column `j`.
    public subscript(i: Int, j: Int) -> Scalar {
        get {
            precondition(i >= 0 && i < rows && j >= 0 && j < columns, "Matrix index out of range")
            return elements[i * columns + j]
        }
        set {
            precondition(i >= 0 && i < rows && j >= 0 && j < columns, "Matrix index out of range")
            elements[i * columns + j] = newValue
        }
    }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows {
            for j in 0..<columns { t.elements[j * rows + i] = elements[i * columns + j] }
        }
        return t
    }

    /// Whether every element is finite (no NaN, no infinity).
    public var isFinite: Bool { elements.allSatisfy { $0.isFinite } }

    /// Calls `body` with the row-major storage.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try elements.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the mutable row-major storage.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R
    ) rethrows -> R {
        try elements.withUnsafeMutableBufferPointer(body)
    }
}

extension Matrix: CustomStringConvertible {
    /// The matrix printed one row a line.
    public var description: String {
        (0..<rows).map { i in
            (0..<columns).map { j in "\(self[i, j])" }.joined(separator: " ")
        }.joined(separator: "\n")
    }
}
